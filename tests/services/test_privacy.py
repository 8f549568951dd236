"""Privacy: a full phone only with a manager, a member's data on request, erasure that keeps
the books whole."""

from __future__ import annotations

import csv
import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from terminal.core.config import BackupSettings
from terminal.core.errors import (
    Conflict,
    InvalidInput,
    MemberCodeError,
    PermissionDenied,
)
from terminal.db import models as m
from terminal.db.database import sqlite_path
from terminal.loyalty.pricing import Tenders
from terminal.services import (
    accounts,
    audit_listing,
    backup,
    integrity,
    members,
    printing,
    privacy,
)
from tests.conftest import PG_URL
from tests.helpers import factory


def test_reveal_phone_needs_a_manager_and_is_audited(ctx) -> None:
    mb = factory.member(ctx, "张伟")
    assert members.view(ctx, mb.id).phone_masked.count("*") == 4
    with pytest.raises(PermissionDenied):
        privacy.reveal_phone(ctx, mb.id, None)
    manager = factory.manager(ctx)
    assert privacy.reveal_phone(ctx, mb.id, manager).replace(" ", "") == mb.phone
    (entry,) = audit_listing.entries(action="reveal_phone")
    assert entry.subject == mb.card_no and entry.approved_by


def test_member_data_export_has_everything_held(ctx, catalogue, tmp_path) -> None:
    manager = factory.manager(ctx)
    mb = factory.member(ctx, "张伟", marketing_consent=True)
    factory.sale(ctx, [("LATTE", 4), ("CARD10", 1)], member_id=mb.id)
    factory.top_up(ctx, mb.id, 10_000)
    data = privacy.member_data(ctx, mb.id, manager)
    assert data["member"]["name"] == "张伟" and data["member"]["phone"] == mb.phone
    assert [t["kind"] for t in data["transactions"]] == ["sale", "topup"]
    assert data["transactions"][0]["lines"][0]["name"] == "Latte 拿铁"
    assert {p["kind"] for p in data["points"]} == {"earn"}
    assert data["stored_value"][0]["delta_bonus"] > 0 and data["punch_cards"]
    assert {c["template_id"] for c in data["coupons"]} >= {"WELCOME"}
    as_json = json.loads(privacy.write_member_data(data, tmp_path / "a.json").read_text("utf-8"))
    assert as_json["member"]["card_no"] == mb.card_no
    with (privacy.write_member_data(data, tmp_path / "a.csv")).open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert ["member", "name", "张伟"] in rows and any(r[0] == "points" for r in rows)
    assert [e.action for e in audit_listing.entries(action="export_member_data")] == [
        "export_member_data"]


def test_erasure_keeps_the_books_and_a_scan_says_erased(ctx, catalogue) -> None:
    manager = factory.manager(ctx)
    counter = dataclasses.replace(ctx, print_receipts=True)
    mb = factory.member(counter, "张伟", birthday=None, marketing_consent=True)
    code = members.member_code(ctx, mb)
    sale = factory.sale(counter, [("LATTE", 4), ("CARD10", 1)], member_id=mb.id)
    factory.top_up(counter, mb.id, 10_000)
    revenue_before = m.Txn.select().where(m.Txn.member == mb.id).count()
    with pytest.raises(InvalidInput, match="say why"):
        privacy.erase(ctx, mb.id, manager, " ")
    with pytest.raises(InvalidInput, match="cash it out first"):
        privacy.erase(ctx, mb.id, manager, "their request")
    accounts.cash_out(ctx, factory.key(), mb.id, manager, "leaving")
    privacy.erase(ctx, mb.id, manager, "their request of 1 March")

    gone = m.Member.get_by_id(mb.id)
    assert (gone.name, gone.phone, gone.birthday, gone.marketing_consent) == (
        privacy.ERASED_NAME, None, None, False)
    assert gone.points_balance == 0 and gone.erased_at is not None
    assert m.Txn.select().where(m.Txn.member == mb.id).count() == revenue_before + 1
    assert not m.Coupon.select().where((m.Coupon.member == mb.id)
                                       & (m.Coupon.status == "issued")).exists()
    assert m.PrintJob.select().where(m.PrintJob.txn == sale.txn_id).count() == 0
    assert integrity.check() == []
    for typed in (code, mb.card_no):
        with pytest.raises(MemberCodeError) as err:
            members.identify(ctx, typed)
        assert err.value.reason == MemberCodeError.ERASED
    assert members.search(ctx, "张") == []
    reprint = printing.decode(printing.Receipt, printing.reprint(ctx, sale.txn_id).payload)
    assert reprint.member is not None and reprint.member.name == ""
    assert "张伟" not in json.dumps([e.__dict__ for e in audit_listing.entries()], default=str)
    with pytest.raises(Conflict):
        privacy.erase(ctx, mb.id, manager, "again")
    with pytest.raises(InvalidInput, match="erased"):
        factory.sale(ctx, [("LATTE", 1)], member_id=mb.id, tenders=Tenders(cash=5000))


def _raw_bytes(url: str) -> dict[str, bytes]:
    """The database file and its -wal as they are on disk now (read while the connection
    stays open: a test may, the program never does)."""
    path = sqlite_path(url)
    assert path is not None
    return {suffix: Path(path + suffix).read_bytes() if Path(path + suffix).exists() else b""
            for suffix in ("", "-wal")}


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's files; PostgreSQL keeps its own")
def test_erased_data_leaves_the_database_file_and_its_wal(ctx, catalogue, db_url) -> None:
    """Issue 11, item 6: right after an erasure the -wal held the name 10 times."""
    manager = factory.manager(ctx)
    counter = dataclasses.replace(ctx, print_receipts=True)
    mb = factory.member(counter, "Wilhelmina Quackenbush 欧阳娜娜", marketing_consent=True)
    national = mb.phone.removeprefix("+86")
    for _ in range(3):  # the member's row rewritten in frame after frame of the -wal
        factory.sale(counter, [("LATTE", 1)], member_id=mb.id)
    factory.top_up(counter, mb.id, 10_000)
    accounts.cash_out(ctx, factory.key(), mb.id, manager, "leaving")
    before = _raw_bytes(db_url)
    personal = (b"Wilhelmina", "欧阳娜娜".encode(), national.encode())
    assert any(word in data for word in personal for data in before.values())

    privacy.erase(ctx, mb.id, manager, "their request of 1 March")
    after = _raw_bytes(db_url)
    held = {(suffix or "file", word.decode()): data.count(word)
            for suffix, data in after.items() for word in personal if word in data}
    assert held == {}
    factory.sale(ctx, [("LATTE", 1)])  # the counter goes on
    assert m.Member.get_by_id(mb.id).name == privacy.ERASED_NAME


def test_erasure_says_which_backups_still_hold_the_data(ctx, clock, db_url, tmp_path) -> None:
    folder = tmp_path / "backups"
    ctx = dataclasses.replace(ctx, settings=dataclasses.replace(
        ctx.settings, backup=BackupSettings(folder=str(folder), keep_days=3)))
    manager = factory.manager(ctx)
    mb = factory.member(ctx, "Wilhelmina Quackenbush")
    if PG_URL:  # the server's backups are pg_dump's: the result says so, lists nothing
        erased = privacy.erase(ctx, mb.id, manager, "their request")
        assert erased.server_backups and erased.copies == () and erased.keep_days == 3
        return
    first = backup.auto_backup(ctx, folder, 3).made
    clock.advance(days=1)
    second = backup.auto_backup(ctx, folder, 3).made
    by_hand = backup.backup(db_url, folder)
    assert first and second
    (folder / "notes.txt").write_text("not a backup")
    (folder / "other-2026-03-10.sqlite").write_text("another database's backup")
    live = Path(sqlite_path(db_url) or "")
    beside = live.with_name(live.name + ".before-restore-20260301-120000")
    beside.write_bytes(first.path.read_bytes())

    erased = privacy.erase(ctx, mb.id, manager, "their request of 1 March")
    assert erased.card_no == mb.card_no and erased.journal_cleared
    assert not erased.server_backups and erased.keep_days == 3
    assert [(c.path, c.deleted_on) for c in erased.copies] == [
        (first.path, date(2026, 3, 14)), (second.path, date(2026, 3, 15)),
        (by_hand.path, None), (beside, None)]
    for copy in erased.copies:  # they do hold it: the result is no false alarm
        assert b"Quackenbush" in copy.path.read_bytes()
    assert b"Quackenbush" not in live.read_bytes()
