"""The audit log: sensitive actions leave a chained trace that check proves untouched."""

from __future__ import annotations

import pytest

from terminal.db import models as m
from terminal.loyalty.errors import PermissionDenied
from terminal.services import accounts, audit, integrity, refunds, staff
from tests.helpers import factory


def test_sensitive_actions_are_logged_with_who_approved(ctx, catalogue) -> None:
    manager = factory.manager(ctx)  # adds the owner and the manager: two entries
    mb = factory.member(ctx)
    sale = factory.sale(ctx, [("LATTE", 2)], member_id=mb.id)
    refunds.refund(ctx, refunds.RefundRequest(factory.key(), sale.txn_id, manager,
                                              reason="spilt"))
    accounts.adjust_points(ctx, factory.key(), mb.id, 50, "goodwill", manager)
    factory.top_up(ctx, mb.id, 10_000)
    accounts.cash_out(ctx, factory.key(), mb.id, manager, "moving away")
    with pytest.raises(PermissionDenied):
        staff.approve(ctx, manager, "0000", "a void")
    log = audit.entries()
    assert [e.action for e in log] == ["approval_refused", "cash_out", "adjust_points",
                                       "refund", "staff_added", "staff_added"]
    refund = log[3]
    assert refund.subject == sale.receipt_no and refund.reason == "spilt"
    assert refund.approved_by == "Manager Wang 王" and refund.staff == "cashier1"
    assert '"points":' in log[2].before and log[2].reason == "goodwill"
    assert [e.action for e in audit.entries(action="refund")] == ["refund"]
    assert len(audit.entries(staff_id=manager)) == 3  # refund, adjustment, cash-out
    assert integrity.check() == []


def test_a_refused_action_leaves_no_entry(ctx, catalogue) -> None:
    sale = factory.sale(ctx, [("LATTE", 1)])
    with pytest.raises(PermissionDenied):
        refunds.refund(ctx, refunds.RefundRequest(factory.key(), sale.txn_id, "nobody"))
    assert audit.entries() == []


def _three_entries(ctx) -> None:
    for i in range(3):
        with m.AuditEntry._meta.database.atomic():
            audit.record(ctx, "test", f"s{i}", after={"i": i}, reason="r")


def test_check_finds_an_edited_entry(ctx) -> None:
    _three_entries(ctx)
    assert audit.verify() == []
    m.AuditEntry.update(reason="nothing to see").where(m.AuditEntry.seq == 2).execute()
    assert audit.verify() == ["audit log: entry 2 was changed after it was written"]
    assert "audit log: entry 2 was changed after it was written" in integrity.check()


def test_check_finds_a_deleted_or_forged_entry(ctx) -> None:
    _three_entries(ctx)
    m.AuditEntry.delete().where(m.AuditEntry.seq == 2).execute()
    assert audit.verify() == ["audit log: entries 2..2 are missing",
                              "audit log: entry 3 does not follow the entry before it"]
    # a forger who recomputes the row's own hash still breaks the link to the next row
    last = m.AuditEntry.get(m.AuditEntry.seq == 3)
    last.prev_hash = m.AuditEntry.get(m.AuditEntry.seq == 1).hash
    last.reason = "forged"
    last.hash = audit._digest(last.prev_hash, audit._fields(last))
    last.save()
    assert audit.verify() == ["audit log: entries 2..2 are missing"]
    audit.record(ctx, "test", "s3")
    m.AuditEntry.update(hash="0" * 64).where(m.AuditEntry.seq == 1).execute()
    problems = audit.verify()
    assert "audit log: entry 1 was changed after it was written" in problems
    assert "audit log: entry 3 does not follow the entry before it" in problems
