"""Schema migrations with playhouse.migrate, applied in order at start and recorded.

Rules for adding one: append a function to MIGRATIONS, never edit an applied one. Once a
model changes after migration 1, freeze the version-1 table definitions here (copy the
models as they were) so a new database and an old one end up identical.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime

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


MIGRATIONS: list[tuple[str, Callable[[pw.Database, SchemaMigrator], None]]] = [
    ("initial schema, installation id and member-code secret", _initial),
    ("drop the coupon status index the planner misused", _drop_coupon_status_index),
    ("staff with hashed PINs, PIN lock-out, print queue", _staff_and_print_queue),
    ("closed business days, audit log", _day_close_and_audit),
]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(database: pw.Database) -> int:
    if not database.table_exists(m.SchemaMigration._meta.table_name):
        return 0
    with database.bind_ctx([m.SchemaMigration]):
        return m.SchemaMigration.select(pw.fn.COALESCE(pw.fn.MAX(m.SchemaMigration.version), 0)
                                        ).scalar() or 0


def migrate(database: pw.Database) -> int:
    """Apply what is missing; return the number of migrations applied."""
    postgres = isinstance(database, pw.PostgresqlDatabase)
    if postgres:  # terminals of a chain starting together: one migrates, the rest wait
        database.execute_sql("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        return _migrate(database)
    finally:
        if postgres:
            database.execute_sql("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))


MIGRATION_LOCK = 0x4D54_0001  # "MT" 1


def _migrate(database: pw.Database) -> int:
    with database.bind_ctx(m.ALL_MODELS):
        database.create_tables([m.SchemaMigration])
        applied = 0
        version = current_version(database)
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"the database has schema version {version}, newer than this program "
                f"({SCHEMA_VERSION}): update the program on this terminal")
        migrator = SchemaMigrator.from_database(database)
        for number, (name, step) in enumerate(MIGRATIONS, start=1):
            if number <= version:
                continue
            with database.atomic():
                step(database, migrator)
                m.SchemaMigration.create(version=number, name=name,
                                         applied_at=datetime.now().replace(microsecond=0))
            applied += 1
        return applied
