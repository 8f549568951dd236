"""Privacy: a full phone only with a manager, a member's data on request, erasure that keeps
the books whole."""

from __future__ import annotations

import csv
import dataclasses
import json

import pytest

from terminal.db import models as m
from terminal.loyalty.errors import (
    Conflict,
    InvalidInput,
    MemberCodeError,
    PermissionDenied,
)
from terminal.loyalty.pricing import Tenders
from terminal.services import accounts, audit, integrity, members, printing, privacy
from tests.helpers import factory


def test_reveal_phone_needs_a_manager_and_is_audited(ctx) -> None:
    mb = factory.member(ctx, "张伟")
    assert members.view(ctx, mb.id).phone_masked.count("*") == 4
    with pytest.raises(PermissionDenied):
        privacy.reveal_phone(ctx, mb.id, None)
    manager = factory.manager(ctx)
    assert privacy.reveal_phone(ctx, mb.id, manager).replace(" ", "") == mb.phone
    (entry,) = audit.entries(action="reveal_phone")
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
    assert [e.action for e in audit.entries(action="export_member_data")] == [
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
    assert "张伟" not in json.dumps([e.__dict__ for e in audit.entries()], default=str)
    with pytest.raises(Conflict):
        privacy.erase(ctx, mb.id, manager, "again")
    with pytest.raises(InvalidInput, match="erased"):
        factory.sale(ctx, [("LATTE", 1)], member_id=mb.id, tenders=Tenders(cash=5000))
