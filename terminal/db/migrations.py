"""Schema migrations with playhouse.migrate, applied in order at start and recorded.

Rules for adding one: append a function to MIGRATIONS, never edit an applied one. Once a
model changes after migration 1, freeze the version-1 table definitions here (copy the
models as they were) so a new database and an old one end up identical.
"""

from __future__ import annotations

import base64
import os
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import peewee as pw
from playhouse.migrate import SchemaMigrator

from ..loyalty import codes
from . import models as m


def _initial(database: pw.Database, migrator: SchemaMigrator) -> None:
    tables = [t for t in m.ALL_MODELS if t is not m.SchemaMigration]
    database.create_tables(tables)
    if isinstance(database, pw.PostgresqlDatabase):
        # a LIKE 'prefix%' search can use this index whatever the database's collation
        database.execute_sql(
            "CREATE INDEX IF NOT EXISTS member_name_key_prefix "
            "ON member (name_key text_pattern_ops)")
    m.Meta.insert_many([
        {"key": "installation_id", "value": codes.new_installation_id()},
        {"key": "member_code_secret", "value": base64.b64encode(codes.new_secret()).decode()},
    ]).on_conflict_ignore().execute()


def _drop_coupon_status_index(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.execute_sql("DROP INDEX IF EXISTS coupon_status")


def _staff_and_print_queue(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.create_tables([m.Staff, m.PinAttempt, m.PrintJob])  # IF NOT EXISTS


def _day_close_and_audit(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.create_tables([m.DayClose, m.AuditEntry])


def _campaigns_and_offer_rules(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.create_tables([m.Campaign, m.CampaignMember])
    # a new database got the column from the models already (migration 1 builds them)
    if "auto_days" not in {c.name for c in database.get_columns("coupon_template")}:
        # plain SQL: playhouse would rebuild the table on SQLite to add a NOT NULL column,
        # which the coupons' foreign keys refuse
        database.execute_sql("ALTER TABLE coupon_template "
                             "ADD COLUMN auto_days INTEGER NOT NULL DEFAULT 0")


def _pin_attempts_per_account(database: pw.Database, migrator: SchemaMigrator) -> None:
    # the counts were per terminal only; they are short-lived, so the table starts afresh
    # (on a new database too: migration 1 built it from the models, empty)
    database.drop_tables([m.PinAttempt])
    database.create_tables([m.PinAttempt])


MIGRATIONS: list[tuple[str, Callable[[pw.Database, SchemaMigrator], None]]] = [
    ("initial schema, installation id and member-code secret", _initial),
    ("drop the coupon status index the planner misused", _drop_coupon_status_index),
    ("staff with hashed PINs, PIN lock-out, print queue", _staff_and_print_queue),
    ("closed business days, audit log", _day_close_and_audit),
    ("campaigns with hold-out groups, look-back days for automatic offers",
     _campaigns_and_offer_rules),
    ("PIN lock-out per account and per terminal", _pin_attempts_per_account),
]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(database: pw.Database) -> int:
    if not database.table_exists(m.SchemaMigration._meta.table_name):
        return 0
    with database.bind_ctx([m.SchemaMigration]):
        return m.SchemaMigration.select(pw.fn.COALESCE(pw.fn.MAX(m.SchemaMigration.version), 0)
                                        ).scalar() or 0


Step = Callable[[pw.Database, SchemaMigrator], None]
BeforeMigrating = Callable[[pw.Database, int, int], object]


def pre_migration_path(path: str | Path, version: int) -> Path:
    """Where the copy of a SQLite file at schema ``version`` goes before it is migrated."""
    path = Path(path)
    return path.with_name(f"{path.name}.pre-migration-v{version}.sqlite")


def backup_before_migrating(database: pw.Database, version: int, target: int) -> Path | None:
    """Copy an existing SQLite file (SQLite's online backup API) next to it before its
    schema changes; a copy that cannot be made stops the migration. PostgreSQL is not
    copied: a chain runs pg_dump before it upgrades."""
    if not isinstance(database, pw.SqliteDatabase) or database.database == ":memory:":
        return None
    dest = pre_migration_path(database.database, version)
    partial = dest.with_name(dest.name + ".partial")
    copy = sqlite3.connect(partial)
    try:
        database.connection().backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        copy.close()
    os.replace(partial, dest)
    return dest


def migrate(database: pw.Database, *, migrations: list[tuple[str, Step]] | None = None,
            before_migrating: BeforeMigrating | None = backup_before_migrating) -> int:
    """Apply what is missing; return the number of migrations applied.

    ``before_migrating(database, version, target)`` runs once when a database that already
    has a schema (version > 0) is about to be migrated; by default it copies a SQLite file
    to ``<name>.pre-migration-v<version>.sqlite``. ``migrations`` (default: all) lets a test
    build a database of an older version.
    """
    postgres = isinstance(database, pw.PostgresqlDatabase)
    if postgres:  # terminals of a chain starting together: one migrates, the rest wait
        database.execute_sql("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        return _migrate(database, MIGRATIONS if migrations is None else migrations,
                        before_migrating)
    finally:
        if postgres:
            database.execute_sql("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))


MIGRATION_LOCK = 0x4D54_0001  # "MT" 1


def _migrate(database: pw.Database, migrations: list[tuple[str, Step]],
             before_migrating: BeforeMigrating | None) -> int:
    with database.bind_ctx(m.ALL_MODELS):
        database.create_tables([m.SchemaMigration])
        applied = 0
        version = current_version(database)
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"the database has schema version {version}, newer than this program "
                f"({SCHEMA_VERSION}): update the program on this terminal")
        if before_migrating is not None and 0 < version < len(migrations):
            before_migrating(database, version, len(migrations))
        migrator = SchemaMigrator.from_database(database)
        for number, (name, step) in enumerate(migrations, start=1):
            if number <= version:
                continue
            with database.atomic():
                step(database, migrator)
                m.SchemaMigration.create(version=number, name=name,
                                         applied_at=datetime.now().replace(microsecond=0))
            applied += 1
        return applied
