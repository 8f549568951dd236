"""The member-care migration: a database from before it gains the retired cards, the
merged-into column and the last-visit index, as a new database builds them from the models."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import peewee

from terminal.db import models as m
from terminal.db.database import close_database, open_database
from terminal.db.migrations import MIGRATIONS, SCHEMA_VERSION, current_version, migrate
from terminal.services.integrity import check


@contextmanager
def member_without_merged_into() -> Iterator[None]:
    """The Member model as it was before the migration (SQLite cannot drop a column that a
    foreign key uses, so the old table is built without it)."""
    field = m.Member.merged_into
    m.Member._meta.remove_field("merged_into")
    try:
        yield
    finally:
        m.Member._meta.add_field("merged_into", field)


def shape(db: peewee.Database, table: str) -> tuple[list[tuple[object, ...]], ...]:
    columns = sorted((c.name, c.data_type.upper(), c.null, c.primary_key)
                     for c in db.get_columns(table))
    keys = sorted((k.column, k.dest_table, k.dest_column) for k in db.get_foreign_keys(table))
    indexes = sorted((ix.name, tuple(map(str, ix.columns)), ix.unique)  # an expression: None
                     for ix in db.get_indexes(table))
    return columns, keys, indexes


def test_an_older_database_gains_retired_cards_and_merged_members(db_url, tmp_path) -> None:
    before = next(n for n, (name, _) in enumerate(MIGRATIONS) if "merged members" in name)
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    if not db_url.startswith("sqlite"):
        fresh = db_url
    db = open_database(fresh)
    new_shapes = {t: shape(db, t) for t in ("member", "retired_card")}
    close_database()

    if not db_url.startswith("sqlite"):
        from tests.conftest import reset_postgres

        reset_postgres(db_url)
    with member_without_merged_into():
        db = open_database(db_url, migrate=False)
        migrate(db, migrations=MIGRATIONS[:before], before_migrating=None)
        db.execute_sql("DROP TABLE retired_card")
        db.execute_sql("DROP INDEX member_last_visit_at")
        assert "merged_into_id" not in {c.name for c in db.get_columns("member")}
        close_database()

    db = open_database(db_url)
    try:
        assert current_version(db) == SCHEMA_VERSION
        assert {t: shape(db, t) for t in ("member", "retired_card")} == new_shapes
        assert check() == []
    finally:
        close_database()
