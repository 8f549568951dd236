"""A database from before the shifts gains them, shaped as a new database has them."""

from __future__ import annotations

import peewee

from terminal.db.database import close_database, open_database
from terminal.db.migrations import MIGRATIONS, SCHEMA_VERSION, _shifts, current_version
from tests.conftest import PG_URL, reset_postgres
from tests.db.test_upgrade import as_left_by

# the version before the shifts' migration (versions count from 1)
BEFORE_SHIFTS = [step for _, step in MIGRATIONS].index(_shifts)


def shape(db: peewee.Database, table: str) -> tuple[object, ...]:
    columns = [(c.name, c.data_type, c.null, c.primary_key, c.default)
               for c in db.get_columns(table)]
    indexes = sorted((i.name, tuple(i.columns), i.unique) for i in db.get_indexes(table))
    return columns, indexes


def test_an_older_database_gains_shifts_as_a_new_one_has_them(db_url, tmp_path) -> None:
    db = as_left_by(db_url, BEFORE_SHIFTS, "DROP TABLE shift", "DROP INDEX txn_shift_id",
                    "ALTER TABLE txn DROP COLUMN shift_id")
    assert "shift_id" not in {c.name for c in db.get_columns("txn")}
    assert not db.table_exists("shift")
    close_database()
    db = open_database(db_url)
    assert current_version(db) == SCHEMA_VERSION
    migrated = {t: shape(db, t) for t in ("txn", "shift")}
    close_database()

    if PG_URL:
        reset_postgres(PG_URL)
        fresh_url = PG_URL
    else:
        fresh_url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    fresh = open_database(fresh_url)  # built from the models, then the later migrations
    try:
        assert {t: shape(fresh, t) for t in ("txn", "shift")} == migrated
        assert any(i.name == "shift_one_open_per_terminal" and i.unique
                   for i in fresh.get_indexes("shift"))
    finally:
        close_database()
