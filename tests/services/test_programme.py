"""services.programme: dated versions of the rules, a sale priced and refunded under the rules
of its own time, changes audited, another process's change seen without a restart."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import peewee as pw
import pytest

from terminal.core.errors import InvalidInput, PermissionDenied
from terminal.core.rules import Programme
from terminal.db import models as m
from terminal.services import audit, programme, refunds
from terminal.services.refunds import RefundRequest
from tests.helpers import factory


def earned(receipt) -> int:
    return int(m.Txn.get_by_id(receipt.txn_id).points_earned)


def earning(ctx, rate: str, **points) -> Programme:
    """The rules in force now with ``rate`` points per unit spent."""
    return replace(ctx.programme, points=replace(ctx.programme.points,
                                                 earn_per_unit=Decimal(rate), **points))


def test_without_a_version_the_settings_rules_apply(ctx):
    assert programme.newest_version() == 0
    assert programme.version_in_force(ctx) is None
    assert ctx.programme is ctx.settings.programme


def test_a_change_is_saved_whole_and_in_force_from_its_time(ctx, clock):
    boss = factory.manager(ctx)
    monday = clock.now + timedelta(days=6)
    version = programme.change(ctx, earning(ctx, "3"), monday, "points week", boss)
    assert version.version == 1 and version.effective_from == monday
    assert ctx.programme.points.earn_per_unit == 1  # not yet: the settings' rules still
    assert programme.in_force(ctx, monday - timedelta(seconds=1)).points.earn_per_unit == 1
    assert programme.in_force(ctx, monday).points.earn_per_unit == 3
    clock.now = monday + timedelta(hours=1)
    assert ctx.programme.points.earn_per_unit == 3
    row = m.ProgrammeVersion.get()
    stored = json.loads(row.rules)
    assert stored["schema"] == programme.SCHEMA and stored["currency"] == "CNY"
    assert set(stored["rules"]) == {"tiers", "tier_rules", "points", "stored_value", "referral",
                                    "receipt"}
    assert (row.created_by, row.approved_by, row.reason) == ("cashier1", boss, "points week")


def test_a_later_version_at_the_same_moment_wins_and_history_lists_all(ctx, clock):
    boss = factory.manager(ctx)
    at = clock.now + timedelta(days=1)
    programme.change(ctx, earning(ctx, "3"), at, "first", boss)
    programme.change(ctx, earning(ctx, "4"), at, "a correction is a new version", boss)
    assert programme.in_force(ctx, at).points.earn_per_unit == 4
    assert [v.reason for v in programme.history(ctx)] == ["a correction is a new version",
                                                          "first"]


def test_a_sale_is_priced_with_the_rules_of_its_time(ctx, clock, catalogue):
    boss = factory.manager(ctx)
    mb = factory.member(ctx, "Li")
    start = clock.now + timedelta(days=2)
    programme.change(ctx, earning(ctx, "3"), start, "triple points from Thursday", boss)
    before = factory.sale(ctx, [("LATTE", 1)], mb.id)  # 28.00
    clock.now = start - timedelta(seconds=1)
    just_before = factory.sale(ctx, [("LATTE", 1)], mb.id)
    clock.now = start
    after = factory.sale(ctx, [("LATTE", 1)], mb.id)
    assert (earned(before), earned(just_before), earned(after)) == (28, 28, 84)


def test_a_sale_before_a_change_is_refunded_under_its_own_rules(ctx, clock, catalogue):
    boss = factory.manager(ctx)
    mb = factory.member(ctx, "Zhao")
    old = factory.sale(ctx, [("LATTE", 2)], mb.id)  # 56 points at 1 a unit
    clock.advance(hours=1)
    programme.change(ctx, earning(ctx, "5"), None, "five points a unit", boss)
    newer = factory.sale(ctx, [("LATTE", 1)], mb.id)
    assert (earned(old), earned(newer)) == (56, 140)
    clock.advance(hours=1)
    back = refunds.refund(ctx, RefundRequest(factory.key("refund"), old.txn_id, boss))
    assert earned(back) == -56  # what the old sale earned, not 280 at today's rate
    assert m.Member.get_by_id(mb.id).points_balance == 140


def test_spent_points_kept_back_on_a_refund_are_valued_at_the_sales_rate(ctx, clock,
                                                                         catalogue):
    boss = factory.manager(ctx)
    mb = factory.member(ctx, "Qian")
    sale = factory.sale(ctx, [("SHAMPOO-B", 10)], mb.id)  # 529 points
    factory.sale(ctx, [("LATTE", 1)], mb.id)  # 28 more: 557 in all
    clock.advance(minutes=5)
    factory.sale(ctx, [("SHAMPOO-A", 1)], mb.id, points=500)  # 500 of them spent, 40 earned
    clock.advance(hours=1)
    dearer = replace(ctx.programme.points, redeem_points_per_unit=50)
    programme.change(ctx, replace(ctx.programme, points=dearer), None, "points worth more",
                     boss)
    assert m.Member.get_by_id(mb.id).points_balance == 97
    back = refunds.refund(ctx, RefundRequest(factory.key("refund"), sale.txn_id, boss))
    # 432 of the 529 points it earned are spent: kept back at the sale's 100 points a unit
    # (4.32), not the new 50 (8.64)
    assert back.total == -(52_900 - 432)


def test_a_change_is_audited_with_who_when_before_and_after(ctx, clock):
    boss = factory.manager(ctx)
    programme.change(ctx, earning(ctx, "2"), clock.now + timedelta(days=1), "double", boss)
    entry = m.AuditEntry.select().where(m.AuditEntry.action == "programme_change").get()
    assert (entry.staff_id, entry.approved_by, entry.reason) == ("cashier1", boss, "double")
    assert entry.created_at == clock.now and entry.subject == "version 1"
    assert json.loads(entry.before)["points"]["earn_per_unit"] == 1
    after = json.loads(entry.after)
    assert after["rules"]["points"]["earn_per_unit"] == 2
    assert after["effective_from"] == "2026-03-11 10:00:00"
    assert audit.verify() == []


@pytest.mark.parametrize(("rules", "message"), [
    (lambda c: earning(c, "5000"), r"^earn_per_unit must be at most 1000 \(5000\)$"),
    (lambda c: replace(c.programme, stored_value=replace(c.programme.stored_value,
                                                         max_balance=10**12)),
     r"^max_balance: expected at most 100,000,000"),
])
def test_a_change_is_checked_as_the_settings_file_is(ctx, clock, rules, message):
    boss = factory.manager(ctx)
    with pytest.raises(InvalidInput, match=message):
        programme.change(ctx, rules(ctx), None, "typo", boss)
    assert programme.newest_version() == 0


def test_a_change_needs_a_reason_an_approver_and_a_time_not_past(ctx, clock):
    boss = factory.manager(ctx)
    cashier = ctx.staff_id
    with pytest.raises(InvalidInput, match="needs a reason"):
        programme.change(ctx, earning(ctx, "2"), None, "  ", boss)
    with pytest.raises(PermissionDenied, match="needs a manager's approval"):
        programme.change(ctx, earning(ctx, "2"), None, "why", cashier)
    with pytest.raises(InvalidInput, match="cannot change in the past"):
        programme.change(ctx, earning(ctx, "2"), clock.now - timedelta(minutes=1), "why", boss)
    assert programme.newest_version() == 0
    assert not m.AuditEntry.select().where(m.AuditEntry.action == "programme_change").exists()


def test_past_versions_are_never_edited(ctx, db):
    programme.change(ctx, earning(ctx, "2"), None, "double", factory.manager(ctx))
    for sql in ("UPDATE programme_version SET reason = 'x'", "DELETE FROM programme_version"):
        with pytest.raises(pw.DatabaseError, match="never edited"), db.atomic():
            db.execute_sql(sql)
    assert m.ProgrammeVersion.get().reason == "double"


def test_the_cache_reads_the_versions_again_only_when_the_newest_changes(ctx, monkeypatch):
    programme.change(ctx, earning(ctx, "2"), None, "double", factory.manager(ctx))
    reads = []
    real = programme.newest_version
    monkeypatch.setattr(programme, "newest_version", lambda: reads.append(1) or real())
    for _ in range(100):
        assert ctx.programme.points.earn_per_unit == 2
    assert len(reads) <= 1  # at most once in POLL_SECONDS, not once a call


CHANGER = textwrap.dedent("""
    import sys
    from dataclasses import replace
    from datetime import datetime
    from decimal import Decimal
    from terminal.core.config import Settings
    from terminal.db.database import open_database
    from terminal.services import programme
    from terminal.services.context import Context

    url, boss, at = sys.argv[1:]
    open_database(url)
    ctx = Context(Settings(), staff_id="other-terminal", clock=lambda: datetime.fromisoformat(at))
    rules = replace(ctx.programme, points=replace(ctx.programme.points,
                                                  earn_per_unit=Decimal(7)))
    programme.change(ctx, rules, None, "from another terminal", boss)
""")


def test_a_running_process_applies_another_processes_change_without_restart(
        ctx, clock, db_url, catalogue, monkeypatch):
    monkeypatch.setattr(programme, "POLL_SECONDS", 0.2)
    boss = factory.manager(ctx)
    mb = factory.member(ctx, "Sun")
    assert earned(factory.sale(ctx, [("LATTE", 1)], mb.id)) == 28
    subprocess.run([sys.executable, "-c", CHANGER, db_url, boss, clock.now.isoformat()],
                   check=True, cwd=Path(__file__).parents[2], timeout=120)
    time.sleep(0.3)
    assert earned(factory.sale(ctx, [("LATTE", 1)], mb.id)) == 196
    assert programme.version_in_force(ctx).reason == "from another terminal"


SHOP_FILE = """\
# my shop
[store]
name = "Tea House"   # keep me

[printer]
connection = "dummy"

[points]
earn_per_unit = 2

[stored_value]
max_balance = "8000"

[backup]
keep_days = 30
"""


def shop_settings(tmp_path: Path, text: str = SHOP_FILE):
    from terminal.core import settings_file

    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path, settings_file.load(path)


def test_the_first_start_moves_the_files_rules_into_the_database_once(db, clock, tmp_path):
    from terminal.services.context import Context

    path, settings = shop_settings(tmp_path)
    ctx = Context(settings, staff_id="counter", clock=clock)
    assert programme.adopt(ctx) is None
    first = programme.version_in_force(ctx, programme.BEGINNING)
    assert first is not None and (first.version, first.reason) == (1, programme.MOVED)
    assert ctx.programme.points.earn_per_unit == 2
    assert ctx.programme.stored_value.max_balance == 800_000
    entry = m.AuditEntry.get(m.AuditEntry.action == "programme_change")
    assert entry.reason == "moved from the settings file" and entry.staff_id == "counter"
    assert json.loads(entry.after)["rules"]["points"]["earn_per_unit"] == 2
    text = path.read_text(encoding="utf-8")
    note = programme.MOVED_NOTE.format(when="2026-03-10 10:00")
    assert text == SHOP_FILE.replace("[points]\n", note + "[points]\n")  # nothing else moved

    # the next start: the file's values, even edited, are ignored and the program says so
    path.write_text(text.replace("earn_per_unit = 2", "earn_per_unit = 9"), encoding="utf-8")
    from terminal.core import settings_file

    again = Context(settings_file.load(path), staff_id="counter", clock=clock)
    warning = programme.adopt(again)
    assert warning is not None and "these settings now live in the database; the file's " \
        "values are ignored" in warning and "points, stored_value" in warning
    assert again.programme.points.earn_per_unit == 2
    assert programme.newest_version() == 1
    assert programme.adopt(again) is not None and "moved to the database" in \
        path.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8").count("moved to the database") == 1


def test_a_file_without_programme_sections_is_left_as_it_is(db, clock, tmp_path):
    from terminal.services.context import Context

    text = '[store]\nname = "Tea House"\n'
    path, settings = shop_settings(tmp_path, text)
    assert programme.adopt(Context(settings, clock=clock)) is None
    assert path.read_text(encoding="utf-8") == text
    assert programme.newest_version() == 1


def test_a_new_installation_caps_stored_value_at_the_legal_5000_yuan(ctx):
    from terminal.core.errors import DomainError

    assert programme.adopt(ctx) is None
    assert ctx.programme.stored_value.max_balance == 500_000  # ¥5,000.00, bonus included
    mb = factory.member(ctx, "Zhou")
    factory.top_up(ctx, mb.id, 400_000)  # with the ¥150 bonus: 4,150 on the card
    with pytest.raises(DomainError, match="may not exceed"):
        factory.top_up(ctx, mb.id, 80_000)


def test_an_existing_shop_keeps_the_cap_it_had(ctx, tmp_path):
    factory.member(ctx, "Wu")  # a database in use before this version
    assert programme.adopt(ctx) is None
    assert ctx.programme.stored_value.max_balance == 10_000_000  # the old default, kept
