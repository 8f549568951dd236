"""A database made by an older version of the program comes up to date when opened."""

from __future__ import annotations

import string
from pathlib import Path

import peewee

from terminal.db import models as m
from terminal.db.database import close_database, is_sqlite, open_database
from terminal.db.migrations import (
    MIGRATIONS,
    SCHEMA_VERSION,
    current_version,
    migrate,
    new_installation_id,
    new_secret,
    pre_migration_path,
)
from terminal.loyalty import codes
from terminal.services.context import Context
from terminal.services.integrity import check


def as_left_by(db_url: str, version: int, *undo: str) -> peewee.Database:
    """The database migrated to ``version`` only, then ``undo`` run on it: the parts of the
    models' tables that version did not have yet taken away."""
    db = open_database(db_url, migrate=False)
    migrate(db, migrations=MIGRATIONS[:version], before_migrating=None)
    for statement in undo:
        db.execute_sql(statement)
    return db


def test_a_version_4_database_gains_campaigns_and_look_back_days(db_url) -> None:
    # as version 4 left it: no campaign tables (nor the outbox that names them), no auto_days
    db = as_left_by(db_url, 4, "DROP TABLE message_attempt", "DROP TABLE message",
                    "DROP TABLE campaign_member", "DROP TABLE campaign",
                    "ALTER TABLE coupon_template DROP COLUMN auto_days")
    ctx = Context()
    p = db.param
    db.execute_sql("INSERT INTO coupon_template (code, name, kind, amount, percent, min_spend,"
                   " categories, brands, valid_days, auto_min_spend, active) VALUES "
                   f"({', '.join([p] * 11)})",
                   ("OLD", "Old", "amount", 100, 0, 0, "", "", 30, 0, True))
    m.Member.create(**ctx.origin(), card_no="1234567897", name="Before", name_key="before",
                    referral_code="R1", tier="standard", tier_since=ctx.now())
    assert current_version(db) == 4
    close_database()

    db = open_database(db_url)
    assert current_version(db) == SCHEMA_VERSION
    assert m.CouponTemplate.get_by_id("OLD").auto_days == 0
    assert m.Campaign.select().count() == 0 and m.Member.select().count() == 1
    assert check() == []
    if is_sqlite():
        assert pre_migration_path(db.database, 4).exists()  # the copy made before migrating
        assert Path(db.database).exists()


def test_a_version_5_database_keeps_its_unkeyed_audit_entries_and_gains_a_key(db_url) -> None:
    import json

    from terminal.db.database import write_transaction
    from terminal.services import audit, audit_files
    from tests.helpers import intruder

    # as version 5 left it: no money hash in the audit log, no head in a closed day
    db = as_left_by(db_url, 5, "ALTER TABLE audit_entry DROP COLUMN txn_id",
                    "ALTER TABLE audit_entry DROP COLUMN money_hash",
                    "ALTER TABLE day_close DROP COLUMN audit_head")
    ctx = Context()
    prev = intruder.GENESIS
    p = db.param
    for seq in (1, 2):  # entries of the old program: SHA-256 without a key
        row = m.AuditEntry(seq=seq, created_at=ctx.now().replace(microsecond=0),
                           store_id="S001", terminal_id="T01", staff_id="system",
                           approved_by=None, action="old", subject=f"s{seq}", before="",
                           after="", reason="", prev_hash=prev)
        row.hash = intruder.unkeyed_hash(prev, row)
        db.execute_sql(
            "INSERT INTO audit_entry (seq, created_at, store_id, terminal_id, staff_id, "
            "approved_by, action, subject, before, after, reason, prev_hash, hash) VALUES "
            f"({', '.join([p] * 13)})",
            (seq, row.created_at, "S001", "T01", "system", None, "old", row.subject, "", "",
             "", prev, row.hash))
        prev = row.hash
    close_database()

    db = open_database(db_url)
    assert current_version(db) == SCHEMA_VERSION
    for table, model in (("audit_entry", m.AuditEntry), ("day_close", m.DayClose)):
        assert {c.name for c in db.get_columns(table)} == set(model._meta.columns)
    assert check() == []  # the old entries verify under the old formula
    with write_transaction():
        audit.record(ctx, "new", "s3")
    assert json.loads(audit_files.key_file().read_text())["legacy_through"] == 2
    assert check() == []
    # the first keyed entry seals the old ones: re-hashing them breaks it (its signature
    # covers the hash of the entry before)
    with intruder.bypassing_triggers():
        m.AuditEntry.update(subject="edited").where(m.AuditEntry.seq == 1).execute()
    intruder.rehash_from(1)
    assert check() == ["audit log: entry 3 was changed after it was written, or forged (its "
                       "signature does not match the log's key)"]


def test_an_older_database_gains_the_chinese_names_of_its_offers(db_url) -> None:
    before = next(n for n, (name, _) in enumerate(MIGRATIONS) if "Chinese name" in name)
    db = as_left_by(db_url, before, "ALTER TABLE coupon_template DROP COLUMN name_zh_cn")
    p = db.param
    for code, name in (("OLD", "Old"), ("WELCOME", "Welcome: 10 off 50"),
                       ("BIRTHDAY", "Our birthday gift")):  # the shop renamed this one
        db.execute_sql(
            "INSERT INTO coupon_template (code, name, kind, amount, percent, min_spend,"
            " categories, brands, valid_days, auto_min_spend, auto_days, active) VALUES "
            f"({', '.join([p] * 12)})", (code, name, "amount", 100, 0, 0, "", "", 30, 0, 0, True))
    close_database()

    db = open_database(db_url)
    assert current_version(db) == SCHEMA_VERSION
    old = m.CouponTemplate.get_by_id("OLD")
    assert old.name_zh_cn == "" and old.names == ()
    assert m.CouponTemplate.get_by_id("WELCOME").names == (("zh_CN", "新会员礼：满50减10"),)
    assert m.CouponTemplate.get_by_id("BIRTHDAY").name_zh_cn == ""  # its own name kept

    class Fresh(m.CouponTemplate):  # the table as a new database builds it from the model
        class Meta:
            table_name = "coupon_template_fresh"

    db.create_tables([Fresh])
    try:
        def shape(table: str) -> list[tuple[object, ...]]:
            return sorted((c.name, c.data_type, c.null, c.primary_key, c.default)
                          for c in db.get_columns(table))

        assert shape("coupon_template") == shape("coupon_template_fresh")
    finally:
        db.drop_tables([Fresh])


def test_a_new_installation_id_and_secret_make_member_codes_that_verify() -> None:
    inst, secret = new_installation_id(), new_secret()
    assert len(inst) == 5 and set(inst) <= set(string.ascii_uppercase + "234567")
    assert len(secret) == 32 and secret != new_secret()
    code = codes.member_code(secret, inst, codes.new_card_number())
    assert codes.parse_member_code(code).installation == inst


def test_an_older_database_moves_each_products_barcode_into_the_barcode_table(db_url) -> None:
    before = next(n for n, (name, _) in enumerate(MIGRATIONS) if "several barcodes" in name)
    # as the version before left it: one nullable unique barcode on the product, no names in
    # Chinese, no member price, no list price on sale lines
    db = as_left_by(db_url, before, "DROP TABLE product_barcode",
                    "ALTER TABLE product DROP COLUMN name_zh_cn",
                    "ALTER TABLE product DROP COLUMN member_price",
                    "ALTER TABLE txn_line DROP COLUMN list_price",
                    "ALTER TABLE product ADD COLUMN barcode VARCHAR(32)",
                    "CREATE UNIQUE INDEX product_barcode ON product (barcode)")
    p = db.param
    for sku, barcode in (("CAKE", "6901234567892"), ("TEA", None)):
        db.execute_sql("INSERT INTO product (sku, name, category, brand, price, barcode, "
                       f"discountable, active) VALUES ({', '.join([p] * 8)})",
                       (sku, sku.title(), "", "", 1000, barcode, True, True))
    close_database()

    db = open_database(db_url)
    assert current_version(db) == SCHEMA_VERSION
    assert [(b.code, b.product_id) for b in m.ProductBarcode.select()] == [
        ("6901234567892", "CAKE")]
    cake = m.Product.get_by_id("CAKE")
    assert cake.name_zh_cn == "" and cake.member_price is None
    assert "barcode" not in {c.name for c in db.get_columns("product")}
    assert check() == []

    class FreshProduct(m.Product):  # the tables as a new database builds them
        class Meta:
            table_name = "product_fresh"

    class FreshLine(m.TxnLine):
        class Meta:
            table_name = "txn_line_fresh"

    db.create_tables([FreshProduct, FreshLine])
    try:
        def shape(table: str) -> list[tuple[object, ...]]:
            return [(c.name, c.data_type, c.null, c.primary_key, c.default)
                    for c in db.get_columns(table)]

        assert shape("product") == shape("product_fresh")
        assert shape("txn_line") == shape("txn_line_fresh")
        indexes = {i.name: (i.columns, i.unique) for i in db.get_indexes("product")}
        fresh = {i.name.replace("product_fresh", "product"): (i.columns, i.unique)
                 for i in db.get_indexes("product_fresh")}
        assert indexes == fresh
    finally:
        db.drop_tables([FreshLine, FreshProduct])


def test_a_database_from_before_the_messages_gains_email_and_the_outbox(db_url) -> None:
    db = as_left_by(db_url, SCHEMA_VERSION - 1, "DROP TABLE message_attempt",
                    "DROP TABLE message", "ALTER TABLE member DROP COLUMN email")
    ctx = Context()
    # the columns the model gives a value (email has no default: left out, as it was)
    m.Member.create(**ctx.origin(), card_no="1234567897", name="Before", name_key="before",
                    referral_code="R1", tier="standard", tier_since=ctx.now(),
                    marketing_consent=True)
    close_database()

    db = open_database(db_url)
    assert current_version(db) == SCHEMA_VERSION
    member = m.Member.get()
    assert member.email is None and member.marketing_consent
    m.Message.create(**ctx.origin(), member=member.id, channel="email", kind="birthday",
                     dedupe_key="k", subject="s", body="b", next_attempt_at=ctx.now())
    assert m.Message.get().state == "queued" and m.MessageAttempt.select().count() == 0
    assert check() == []
