"""Schema migrations with playhouse.migrate, applied in order at start and recorded.

Rules for adding one: append a function to MIGRATIONS, never edit an applied one. Once a
model changes after migration 1, freeze the version-1 table definitions here (copy the
models as they were) so a new database and an old one end up identical.
"""

from __future__ import annotations

import base64
import os
import secrets
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import peewee as pw
from playhouse.migrate import SchemaMigrator

from . import models as m
from . import summaries
from .database import create_private_file


def new_installation_id() -> str:
    """Five base32 characters naming this installation in its member codes (the format
    ``terminal.loyalty.codes`` checks); made once, with the database."""
    return base64.b32encode(secrets.token_bytes(5)).decode()[:5]


def new_secret() -> bytes:
    """The installation's member-code signing key; made once, with the database."""
    return secrets.token_bytes(32)


def _initial(database: pw.Database, migrator: SchemaMigrator) -> None:
    tables = [t for t in m.ALL_MODELS if t is not m.SchemaMigration]
    database.create_tables(tables)
    if isinstance(database, pw.PostgresqlDatabase):
        # a LIKE 'prefix%' search can use this index whatever the database's collation
        database.execute_sql(
            "CREATE INDEX IF NOT EXISTS member_name_key_prefix "
            "ON member (name_key text_pattern_ops)")
    m.Meta.insert_many([
        {"key": "installation_id", "value": new_installation_id()},
        {"key": "member_code_secret", "value": base64.b64encode(new_secret()).decode()},
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


def _terminal_counters(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.create_tables([m.TerminalCounter])
    # each terminal goes on from its last receipt number (a new database has no receipts)
    m.TerminalCounter.insert_from(
        m.Txn.select(m.Txn.terminal_id, pw.fn.MAX(m.Txn.seq)).group_by(m.Txn.terminal_id),
        [m.TerminalCounter.terminal_id, m.TerminalCounter.last_seq]).on_conflict_ignore(
    ).execute()


APPEND_ONLY_SQL = (
    # no % in here: psycopg2 would take it for a parameter
    """CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
           MESSAGE = 'the audit log is append-only: ' || TG_OP || ' on audit_entry refused';
       END $$""",
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry",
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
       FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
    "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry",
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()""",
)


def _audit_money_head_and_append_only(database: pw.Database, migrator: SchemaMigrator) -> None:
    # a new database got the columns from the models already (migration 1 builds them)
    if "txn_id" not in {c.name for c in database.get_columns("audit_entry")}:
        migrate_columns = [migrator.add_column("audit_entry", "txn_id", pw.UUIDField(null=True)),
                           migrator.add_column("audit_entry", "money_hash",
                                               pw.CharField(max_length=64, null=True))]
        for operation in migrate_columns:
            operation.run()
    if "audit_head" not in {c.name for c in database.get_columns("day_close")}:
        database.execute_sql("ALTER TABLE day_close "
                             "ADD COLUMN audit_head TEXT NOT NULL DEFAULT ''")
    if isinstance(database, pw.PostgresqlDatabase):
        for sql in APPEND_ONLY_SQL:
            database.execute_sql(sql)


def _pin_attempts_per_account(database: pw.Database, migrator: SchemaMigrator) -> None:
    # the counts were per terminal only; they are short-lived, so the table starts afresh
    # (on a new database too: migration 1 built it from the models, empty)
    database.drop_tables([m.PinAttempt])
    database.create_tables([m.PinAttempt])


# the built-in offers as services.coupons made them then, with the names they get now
_DEFAULT_OFFER_NAMES = (("WELCOME", "Welcome: 10 off 50", "新会员礼：满50减10"),
                        ("NEXTVISIT", "Next visit 5% off", "下次光临95折"),
                        ("BIRTHDAY", "Birthday: 20 off", "生日礼：立减20"),
                        ("WINBACK", "We miss you: 15% off", "好久不见：85折"))


def _offer_names_in_chinese(database: pw.Database, migrator: SchemaMigrator) -> None:
    # a new database got the column from the models already (migration 1 builds them);
    # plain SQL as for auto_days: playhouse would rebuild the table on SQLite
    if "name_zh_cn" not in {c.name for c in database.get_columns("coupon_template")}:
        database.execute_sql("ALTER TABLE coupon_template "
                             "ADD COLUMN name_zh_cn VARCHAR(100) NOT NULL DEFAULT ''")
    for code, english, chinese in _DEFAULT_OFFER_NAMES:  # unless the shop renamed them
        m.CouponTemplate.update(name_zh_cn=chinese).where(
            (m.CouponTemplate.code == code) & (m.CouponTemplate.name == english)
            & (m.CouponTemplate.name_zh_cn == "")).execute()


def _member_care(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.create_tables([m.RetiredCard])
    # a new database got the column from the models already (migration 1 builds them)
    if "merged_into_id" not in {c.name for c in database.get_columns("member")}:
        if isinstance(database, pw.PostgresqlDatabase):
            migrator.add_column("member", "merged_into_id", m.Member.merged_into).run()
        else:
            # plain SQL: playhouse would rebuild the table on SQLite to add the constraint,
            # which the ledgers' foreign keys refuse; SQLite takes REFERENCES on a NULL column
            database.execute_sql("ALTER TABLE member ADD COLUMN merged_into_id TEXT "
                                 "REFERENCES member (id) ON DELETE RESTRICT")
            database.execute_sql("CREATE INDEX IF NOT EXISTS member_merged_into_id "
                                 "ON member (merged_into_id)")
    # the manager's member list filters by last visit
    database.execute_sql("CREATE INDEX IF NOT EXISTS member_last_visit_at "
                         "ON member (last_visit_at)")


def _catalogue(database: pw.Database, migrator: SchemaMigrator) -> None:
    # a new database got the columns and the table from the models already (migration 1)
    columns = {c.name for c in database.get_columns("product")}
    if "name_zh_cn" not in columns:  # plain SQL as for the offers' names
        database.execute_sql("ALTER TABLE product "
                             "ADD COLUMN name_zh_cn VARCHAR(200) NOT NULL DEFAULT ''")
    if "member_price" not in columns:
        migrator.add_column("product", "member_price", pw.BigIntegerField(null=True)).run()
    if "list_price" not in {c.name for c in database.get_columns("txn_line")}:
        migrator.add_column("txn_line", "list_price", pw.BigIntegerField(null=True)).run()
    if "barcode" in columns:  # one barcode a product becomes any number of them
        old = list(database.execute_sql(
            "SELECT sku, barcode FROM product WHERE barcode IS NOT NULL"))
        # the column's unique index is named like the new table (one namespace in SQLite),
        # and SQLite drops no column an index covers
        database.execute_sql("DROP INDEX IF EXISTS product_barcode")
        database.execute_sql("ALTER TABLE product DROP COLUMN barcode")
        database.create_tables([m.ProductBarcode])
        m.ProductBarcode.insert_many([{"code": code, "product": sku} for sku, code in old]
                                     ).execute()
    database.create_tables([m.ProductBarcode])  # IF NOT EXISTS


def _shifts(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.create_tables([m.Shift])
    # a new database got the column from the models already (migration 1 builds them)
    if "shift_id" not in {c.name for c in database.get_columns("txn")}:
        migrator.add_column("txn", "shift_id", pw.UUIDField(null=True)).run()
        migrator.add_index("txn", ("shift_id",)).run()


PROGRAMME_APPEND_ONLY_SQL = {
    # no % in here: psycopg2 would take it for a parameter
    "postgresql": (
        """CREATE OR REPLACE FUNCTION programme_version_append_only() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN
             RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
               MESSAGE = 'programme versions are never edited: ' || TG_OP
                         || ' on programme_version refused (a correction is a new version)';
           END $$""",
        "DROP TRIGGER IF EXISTS programme_version_append_only ON programme_version",
        """CREATE TRIGGER programme_version_append_only BEFORE UPDATE OR DELETE
           ON programme_version FOR EACH ROW
           EXECUTE FUNCTION programme_version_append_only()"""),
    "sqlite": tuple(
        f"""CREATE TRIGGER IF NOT EXISTS programme_version_no_{op.lower()}
            BEFORE {op} ON programme_version
            BEGIN SELECT RAISE(ABORT, 'programme versions are never edited: {op} on
            programme_version refused (a correction is a new version)'); END"""
        for op in ("UPDATE", "DELETE")),
}


def _programme_versions(database: pw.Database, migrator: SchemaMigrator) -> None:
    # the rules move from each terminal's file to the database; the file's become version
    # 1 at the first start with both (services.programme.adopt), not here: a migration
    # has no settings
    database.create_tables([m.ProgrammeVersion])  # IF NOT EXISTS
    kind = "postgresql" if isinstance(database, pw.PostgresqlDatabase) else "sqlite"
    for sql in PROGRAMME_APPEND_ONLY_SQL[kind]:
        database.execute_sql(sql)


def _analytics_snapshots(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.create_tables([m.AnalyticsSnapshot])  # IF NOT EXISTS


def _running_totals(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.create_tables([m.TxnDay, m.PointsDay])  # IF NOT EXISTS
    these = ("txn_day", "points_day")
    for sql in summaries.trigger_sql(database, *these) + summaries.fill_sql(database, *these):
        database.execute_sql(sql)


def _report_indexes(database: pw.Database, migrator: SchemaMigrator) -> None:
    if isinstance(database, pw.PostgresqlDatabase):
        birthday_key = "((EXTRACT(MONTH FROM birthday) * 100 + EXTRACT(DAY FROM birthday)))"
    else:
        birthday_key = "(substr(birthday, 6, 5))"
    database.execute_sql(f"CREATE INDEX IF NOT EXISTS member_birthday_md ON member "
                         f"{birthday_key} WHERE birthday IS NOT NULL")
    database.execute_sql("CREATE INDEX IF NOT EXISTS points_entry_live_expiry ON points_entry "
                         "(expires_at, member_id, remaining) WHERE remaining > 0")


def _member_year_index(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.execute_sql("DROP INDEX IF EXISTS txn_member_id_created_at")
    database.execute_sql("CREATE INDEX IF NOT EXISTS txn_member_id_created_at_kind_total "
                         "ON txn (member_id, created_at, kind, total)")


def _points_use_totals(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.create_tables([m.PointsUseDay])  # IF NOT EXISTS
    this = "points_use_day"
    for sql in summaries.trigger_sql(database, this) + summaries.fill_sql(database, this):
        database.execute_sql(sql)


def _stored_value_index(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.execute_sql("CREATE INDEX IF NOT EXISTS member_stored_value ON member "
                         "(sv_paid_balance, sv_bonus_balance) "
                         "WHERE sv_paid_balance <> 0 OR sv_bonus_balance <> 0")


def _coupon_code_index(database: pw.Database, migrator: SchemaMigrator) -> None:
    # check --quick finds the other sales of a coupon code a recent sale used
    database.execute_sql("CREATE INDEX IF NOT EXISTS txn_coupon_code ON txn (coupon_code) "
                         "WHERE coupon_code IS NOT NULL")


def _import_batches(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.create_tables([m.ImportBatch])  # IF NOT EXISTS
    # a new database got the column from the models already (migration 1 builds them)
    if "import_batch_id" not in {c.name for c in database.get_columns("member")}:
        # plain SQL as for merged_into_id: playhouse would rebuild the table on SQLite
        kind = "UUID" if isinstance(database, pw.PostgresqlDatabase) else "TEXT"
        database.execute_sql(f"ALTER TABLE member ADD COLUMN import_batch_id {kind} "
                             "REFERENCES import_batch (id) ON DELETE RESTRICT")
    # only the members of an import under way have one: a small index
    database.execute_sql("CREATE INDEX IF NOT EXISTS member_import_batch ON member "
                         "(import_batch_id) WHERE import_batch_id IS NOT NULL")


def _birthdays_index(database: pw.Database, migrator: SchemaMigrator) -> None:
    # the week's birthdays read from the index alone, in the order the list shows them:
    # reading each member's row for its name and phone took three times as long
    database.execute_sql("DROP INDEX IF EXISTS member_birthday_md")
    if isinstance(database, pw.PostgresqlDatabase):
        database.execute_sql(
            "CREATE INDEX IF NOT EXISTS member_birthdays ON member "
            "((EXTRACT(MONTH FROM birthday) * 100 + EXTRACT(DAY FROM birthday)), name) "
            "INCLUDE (card_no, phone, birthday, marketing_consent, erased_at, merged_into_id, "
            "import_batch_id) WHERE birthday IS NOT NULL")
    else:
        database.execute_sql(
            "CREATE INDEX IF NOT EXISTS member_birthdays ON member "
            "(substr(birthday, 6, 5), name, card_no, phone, birthday, marketing_consent, "
            "erased_at, merged_into_id, import_batch_id) WHERE birthday IS NOT NULL")


def _points_use_by_debit_day(database: pw.Database, migrator: SchemaMigrator) -> None:
    # the debit's day joins the key, so that check --quick adds up the days that changed
    # (the debits' days), not every expiry day they took from
    if "day" not in {c.name for c in database.get_columns("points_use_day")}:
        database.execute_sql("DROP TABLE points_use_day")  # the triggers on points_use: below
        database.create_tables([m.PointsUseDay])
    this = "points_use_day"
    for sql in summaries.trigger_sql(database, this) + summaries.fill_sql(database, this):
        database.execute_sql(sql)


def _member_links(database: pw.Database, migrator: SchemaMigrator) -> None:
    # a new database got the column from the models already (migration 1 builds them)
    if "link_version" not in {c.name for c in database.get_columns("member")}:
        database.execute_sql("ALTER TABLE member ADD COLUMN link_version INTEGER NOT NULL "
                             "DEFAULT 0")


def _pending_joins(database: pw.Database, migrator: SchemaMigrator) -> None:
    database.create_tables([m.PendingJoin])  # IF NOT EXISTS


def _messages(database: pw.Database, migrator: SchemaMigrator) -> None:
    # a new database got the column and tables from the models already (migration 1)
    if "email" not in {c.name for c in database.get_columns("member")}:
        database.execute_sql("ALTER TABLE member ADD COLUMN email VARCHAR(254)")
    database.create_tables([m.Message, m.MessageAttempt])  # IF NOT EXISTS


MIGRATIONS: list[tuple[str, Callable[[pw.Database, SchemaMigrator], None]]] = [
    ("initial schema, installation id and member-code secret", _initial),
    ("drop the coupon status index the planner misused", _drop_coupon_status_index),
    ("staff with hashed PINs, PIN lock-out, print queue", _staff_and_print_queue),
    ("closed business days, audit log", _day_close_and_audit),
    ("campaigns with hold-out groups, look-back days for automatic offers",
     _campaigns_and_offer_rules),
    ("a receipt-number counter per terminal", _terminal_counters),
    ("audit entries hash their transaction's money, closed days keep the audit head; "
     "PostgreSQL refuses UPDATE, DELETE and TRUNCATE on the audit log",
     _audit_money_head_and_append_only),
    ("PIN lock-out per account and per terminal", _pin_attempts_per_account),
    ("a Chinese name for each offer", _offer_names_in_chinese),
    ("replaced cards, merged members, members found by last visit", _member_care),
    ("catalogue: products' Chinese names, member prices and several barcodes; a sale line "
     "keeps the list price a member price replaced", _catalogue),
    ("cash-drawer shifts; each transaction names its shift", _shifts),
    ("the programme's rules in dated, append-only versions", _programme_versions),
    ("reports kept with the time they were computed (the members' overview)",
     _analytics_snapshots),
    ("running totals per day and terminal of transactions and points, kept by triggers",
     _running_totals),
    ("indexes for birthdays by month and day and for the live points by expiry",
     _report_indexes),
    ("the members' index of sales covers each member's year (kind and total)",
     _member_year_index),
    ("running totals of the points debits took from batches, by the batch's expiry day",
     _points_use_totals),
    ("an index of the members who hold stored value (the end-of-day outstanding balance)",
     _stored_value_index),
    ("an index of the coupon codes sales used (check --quick)", _coupon_code_index),
    ("imports written in short chunks as one batch, hidden until it is complete",
     _import_batches),
    ("the week's birthdays read from one covering index", _birthdays_index),
    ("the points debits took, kept by the debit's day too", _points_use_by_debit_day),
    ("a revocable signed link to each member's own page", _member_links),
    ("joins from the member's phone, waiting for the counter", _pending_joins),
    ("members' e-mail addresses; the outbox of messages and each attempt at sending one",
     _messages),
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
    partial.unlink(missing_ok=True)
    create_private_file(partial)  # 0600 before a byte of data is in it
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
        if not database.table_exists(m.SchemaMigration._meta.table_name):
            # not even IF NOT EXISTS otherwise: a terminal's PostgreSQL role may not CREATE
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
