"""A database made by an older version of the program comes up to date when opened."""

from __future__ import annotations

from pathlib import Path

from terminal.db import models as m
from terminal.db.database import close_database, is_sqlite, open_database
from terminal.db.migrations import (
    MIGRATIONS,
    SCHEMA_VERSION,
    current_version,
    migrate,
    pre_migration_path,
)
from terminal.services.context import Context
from terminal.services.integrity import check


def test_a_version_4_database_gains_campaigns_and_look_back_days(db_url) -> None:
    db = open_database(db_url, migrate=False)
    migrate(db, migrations=MIGRATIONS[:4], before_migrating=None)
    # as version 4 left it: no campaign tables, no auto_days column
    db.execute_sql("DROP TABLE campaign_member")
    db.execute_sql("DROP TABLE campaign")
    db.execute_sql("ALTER TABLE coupon_template DROP COLUMN auto_days")
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
