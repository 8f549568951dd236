"""Exporting members, sales and ledgers as CSV for Excel, and reading members back."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from terminal.core.errors import PermissionDenied
from terminal.db import models as m
from terminal.services import audit_listing, csv_export, member_import, members
from tests.helpers import factory


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def shop(ctx, catalogue, clock):
    manager = factory.manager(ctx)
    alice = factory.member(ctx, "Alice", marketing_consent=True)
    bob = factory.member(ctx, "=HYPERLINK(\"x\")")
    factory.sale(ctx, [("LATTE", 2), ("CAKE", 1)], member_id=alice.id)
    factory.top_up(ctx, bob.id, 10_000)
    clock.advance(days=2)
    factory.sale(ctx, [("TEA", 1)], member_id=bob.id)
    return manager, alice, bob


def test_export_members_masks_phones_unless_revealed(ctx, shop, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(csv_export, "PAGE", 1)
    manager, alice, bob = shop
    out = tmp_path / "members.csv"
    result = csv_export.export_members(ctx, out, approved_by=manager)
    rows = read_csv(out)
    assert result.rows == 2 and len(rows) == 2
    by_card = {r["card_no"]: r for r in rows}
    assert by_card[alice.card_no]["phone"] == members.mask_phone(alice.phone)
    assert "*" in by_card[alice.card_no]["phone"]
    assert by_card[bob.card_no]["name"] == "'=HYPERLINK(\"x\")"  # not a formula in Excel
    assert by_card[bob.card_no]["stored_value"] == "100.00"
    assert by_card[bob.card_no]["stored_value_bonus"] == "20.00"
    assert by_card[alice.card_no]["marketing_consent"] == "yes"
    assert int(by_card[alice.card_no]["points"]) == m.Member.get_by_id(alice.id).points_balance

    csv_export.export_members(ctx, out, reveal_phones=True, consenting_only=True,
                            approved_by=manager)
    rows = read_csv(out)
    assert [(r["card_no"], r["phone"]) for r in rows] == [(alice.card_no, alice.phone)]
    log = audit_listing.entries(action="export_members")
    assert [json.loads(e.after) for e in log] == [
        {"rows": 1, "consenting_only": True, "reveal_phones": True},
        {"rows": 2, "consenting_only": False, "reveal_phones": False}]
    assert log[0].approved_by == "Manager Wang 王" and log[0].subject == "members.csv"
    assert not list(tmp_path.glob("*.partial"))


def test_exported_members_read_back_as_an_import(ctx, shop, tmp_path) -> None:
    manager, alice, bob = shop
    out = tmp_path / "members.csv"
    csv_export.export_members(ctx, out, reveal_phones=True, approved_by=manager)
    result = member_import.import_members(ctx, out, dry_run=True, approved_by=manager)
    assert result.rows == 2 and result.ignored_columns == [
        "stored_value_bonus", "referral_code", "enrolled_at", "last_visit_at"]
    assert sorted(e.message for e in result.errors) == sorted(
        f"phone {members.mask_phone(p)} is already enrolled" for p in (alice.phone, bob.phone))
    assert sorted(str(w).split(": ", 1)[1] for w in result.warnings) == sorted(
        f"card {c} is already used here: a new one is given"
        for c in (alice.card_no, bob.card_no))


def test_every_export_needs_a_manager(ctx, shop, tmp_path) -> None:
    out = tmp_path / "x.csv"
    day = date(2026, 3, 10)
    with pytest.raises(PermissionDenied):
        csv_export.export_members(ctx, out)
    with pytest.raises(PermissionDenied, match="phone numbers"):
        csv_export.export_members(ctx, out, reveal_phones=True, approved_by="cashier1")
    with pytest.raises(PermissionDenied):
        csv_export.export_sales(ctx, out, day, day)
    with pytest.raises(PermissionDenied):
        csv_export.export_ledgers(ctx, out, day, day, approved_by="nobody")
    assert not out.exists()


def test_export_sales_with_lines_for_a_date_range(ctx, shop, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(csv_export, "PAGE", 2)  # several pages, even with these few rows
    manager, alice, bob = shop
    out = tmp_path / "sales.csv"
    result = csv_export.export_sales(ctx, out, date(2026, 3, 10), date(2026, 3, 10),
                                   approved_by=manager)
    rows = read_csv(out)
    assert result.rows == 3
    assert [(r["kind"], r["sku"], r["qty"]) for r in rows] == [
        ("sale", "LATTE", "2"), ("sale", "CAKE", "1"), ("topup", "", "")]
    sale = [r for r in rows if r["kind"] == "sale"]
    assert {r["member_card"] for r in sale} == {alice.card_no}
    total = m.Txn.get(m.Txn.kind == "sale").total
    assert sum(int(r["line_net"].replace(".", "")) for r in sale) == total
    assert sale[0]["total"] == f"{total / 100:.2f}" and sale[0]["staff"] == "cashier1"
    assert rows[2]["sv_bonus"] == "20.00" and rows[2]["member_card"] == bob.card_no
    csv_export.export_sales(ctx, out, date(2026, 3, 10), date(2026, 3, 12), approved_by=manager)
    assert len(read_csv(out)) == 4
    csv_export.export_sales(ctx, out, date(2026, 3, 11), date(2026, 3, 11), approved_by=manager)
    assert read_csv(out) == []
    with pytest.raises(csv_export.InvalidInput, match="starts"):
        csv_export.export_sales(ctx, out, date(2026, 3, 12), date(2026, 3, 11),
                              approved_by=manager)
    assert [json.loads(e.after)["rows"] for e in audit_listing.entries(action="export_sales")] == \
        [0, 4, 3]


def test_export_ledgers(ctx, shop, tmp_path, catalogue, monkeypatch) -> None:
    monkeypatch.setattr(csv_export, "PAGE", 2)
    manager, alice, bob = shop
    factory.sale(ctx, [("CARD10", 1)], member_id=alice.id)  # a punch card sold: +10 visits
    out = tmp_path / "ledgers.csv"
    csv_export.export_ledgers(ctx, out, date(2026, 3, 1), date(2026, 3, 31), approved_by=manager)
    rows = read_csv(out)
    points = [r for r in rows if r["ledger"] == "points"]
    assert sum(int(r["points"]) for r in points) == sum(
        mb.points_balance for mb in m.Member.select())
    assert {r["member_card"] for r in points} == {alice.card_no, bob.card_no}
    sv = [r for r in rows if r["ledger"] == "stored_value"]
    assert [(r["kind"], r["stored_value_paid"], r["stored_value_bonus"]) for r in sv] == [
        ("topup", "100.00", "20.00")]
    assert all(r["receipt_no"] for r in sv)
    punch = [r for r in rows if r["ledger"] == "punch"]
    assert [(r["kind"], r["visits"]) for r in punch] == [("sell", "10")]
    assert punch[0]["punch_card_id"] == str(m.PunchCard.get().id)
    created = [datetime.fromisoformat(r["created_at"]) for r in points]
    assert created == sorted(created)


def test_an_export_that_cannot_be_saved_leaves_no_file_and_no_audit_entry(ctx, shop,
                                                                          tmp_path) -> None:
    manager = shop[0]
    target = tmp_path / "taken"
    target.mkdir()  # a folder where the file should go: the final rename fails
    with pytest.raises(OSError):
        csv_export.export_members(ctx, target, reveal_phones=True, approved_by=manager)
    assert audit_listing.entries(action="export_members") == []
    assert not list(tmp_path.glob("*.partial")) and not list(target.iterdir())
