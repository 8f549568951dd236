"""Refunds and voids reverse every effect exactly, and need a manager."""

from __future__ import annotations

import pytest

from terminal.core.errors import InvalidInput, PermissionDenied, RefundError
from terminal.db import models as m
from terminal.loyalty.pricing import Tenders
from terminal.services import integrity, members, refunds, staff
from terminal.services.refunds import RefundRequest
from tests.helpers import factory
from tests.helpers.state import snapshot


def refund(ctx, txn_id, lines=None, void=False, approved_by=""):
    approver = factory.manager(ctx) if approved_by == "" else approved_by
    return refunds.refund(ctx, RefundRequest(factory.key("refund"), txn_id, approver,
                                             lines=lines, void=void))


def test_refund_needs_a_manager_and_writes_nothing_without(ctx, catalogue):
    r = factory.sale(ctx, [("LATTE", 1)])
    factory.manager(ctx)
    cashier = staff.create(ctx, "Cashier", "cashier", "1111",
                           approved_by=m.Staff.get(m.Staff.role == "owner").id)
    before = snapshot()
    for nobody in (None, "manager1", str(cashier.id), "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(PermissionDenied, match="a refund or void needs a manager"):
            refund(ctx, r.txn_id, approved_by=nobody)
    assert snapshot() == before


def test_full_refund_reverses_points_stored_value_coupon_and_punch(ctx, catalogue):
    mb = factory.member(ctx)
    factory.top_up(ctx, mb.id, 10_000)
    m.Product.create(sku="BIG", name="Big", category="x", price=50_000)
    factory.sale(ctx, [("BIG", 1), ("CARD10", 1)], member_id=mb.id)  # 750 points, 1 card
    card = members.view(ctx, mb.id).punch_cards[0]
    welcome = next(c for c in members.view(ctx, mb.id).coupons if c.name.startswith("Welcome"))
    before = snapshot()
    sale = factory.sale(ctx, [("LATTE", 3)], member_id=mb.id, coupon_code=welcome.code,
                        points=200, punch_card_id=card.id,
                        tenders=Tenders(stored_value=3000, cash=5000))
    assert sale.total == 8400 - 1000 - 200 and sale.change == 800
    back = refund(ctx, sale.txn_id)
    assert back.total == -sale.total and back.kind == "refund"
    after = snapshot()
    # everything but the new rows is as before: balances, cards and coupons restored
    assert after["balances"] == before["balances"]
    assert after["cards"] == before["cards"]
    restored = {c for c, s in after["coupons"] if s == "issued"}
    assert welcome.code in restored
    assert m.Txn.get_by_id(sale.txn_id).status == "refunded"
    assert integrity.check() == []
    with pytest.raises(RefundError, match="fully refunded"):
        refund(ctx, sale.txn_id)


def test_partial_refunds_add_up_to_the_whole(ctx, catalogue):
    mb = factory.member(ctx)
    m.Member.update(tier="gold").where(m.Member.id == mb.id).execute()
    factory.top_up(ctx, mb.id, 50_000)
    m.Product.create(sku="ODD", name="Odd", price=333)
    sale = factory.sale(ctx, [("ODD", 7), ("LATTE", 3)], member_id=mb.id,
                        tenders=Tenders(stored_value=5000, cash=10_000))
    line = {ln.sku: ln for ln in m.TxnLine.select().where(m.TxnLine.txn == sale.txn_id)}
    parts = [refund(ctx, sale.txn_id, {str(line["ODD"].id): q}) for q in (2, 3, 2)]
    parts.append(refund(ctx, sale.txn_id, {str(line["LATTE"].id): 3}))
    assert sum(p.total for p in parts) == -sale.total
    refunded = sum(-t.points_earned for t in m.Txn.select().where(m.Txn.original == sale.txn_id))
    assert refunded == m.Txn.get_by_id(sale.txn_id).points_earned
    tenders = m.Txn.select().where(m.Txn.original == sale.txn_id)
    assert sum(t.stored_value for t in tenders) == -5000  # stored value first
    assert integrity.check() == []
    with pytest.raises(RefundError, match="fully refunded"):
        refund(ctx, sale.txn_id)


def test_cannot_return_more_than_bought(ctx, catalogue):
    sale = factory.sale(ctx, [("LATTE", 2)])
    line = m.TxnLine.get(m.TxnLine.txn == sale.txn_id)
    refund(ctx, sale.txn_id, {str(line.id): 1})
    before = snapshot()
    with pytest.raises(RefundError, match="only 1"):
        refund(ctx, sale.txn_id, {str(line.id): 2})
    assert snapshot() == before


def test_spent_points_are_charged_against_the_refund(ctx, catalogue):
    mb = factory.member(ctx)
    m.Product.create(sku="BIG", name="Big", price=100_000)
    sale = factory.sale(ctx, [("BIG", 1)], member_id=mb.id)  # earns 1000
    factory.sale(ctx, [("BIG", 1)], member_id=mb.id, points=1000, cash=99_000)  # spends them
    assert m.Member.get_by_id(mb.id).points_balance == 990 + 1000 - 1000
    back = refund(ctx, sale.txn_id)
    # 1000 points to take back, but only the second sale's 990 are left: 10 short = 0.10
    assert back.total == -(100_000 - 10)
    assert m.Member.get_by_id(mb.id).points_balance == 0
    assert integrity.check() == []


def test_void_same_day_only(ctx, catalogue, clock):
    sale = factory.sale(ctx, [("LATTE", 1)])
    v = refund(ctx, sale.txn_id, void=True)
    assert v.kind == "void" and m.Txn.get_by_id(sale.txn_id).status == "voided"
    with pytest.raises(RefundError, match="voided already"):
        refund(ctx, sale.txn_id)
    old = factory.sale(ctx, [("LATTE", 1)])
    clock.advance(days=1)
    with pytest.raises(RefundError, match="today"):
        refund(ctx, old.txn_id, void=True)


def test_used_punch_card_refunds_only_unused_visits(ctx, catalogue):
    mb = factory.member(ctx)
    sale = factory.sale(ctx, [("CARD10", 1)], member_id=mb.id)
    card = members.view(ctx, mb.id).punch_cards[0]
    for _ in range(4):
        factory.sale(ctx, [], member_id=mb.id, punch_card_id=card.id)
    back = refund(ctx, sale.txn_id)
    assert back.total == -(25_000 * 6 // 10)
    assert m.PunchCard.get_by_id(card.id).status == "cancelled"
    assert m.PunchCard.get_by_id(card.id).visits_left == 0
    assert integrity.check() == []


def test_refund_key_is_idempotent(ctx, catalogue):
    sale = factory.sale(ctx, [("LATTE", 1)])
    req = RefundRequest("refund-key-1", sale.txn_id, factory.manager(ctx))
    a = refunds.refund(ctx, req)
    b = refunds.refund(ctx, req)
    assert a.txn_id == b.txn_id
    assert m.Txn.select().where(m.Txn.kind == "refund").count() == 1


def test_top_up_reversal_only_while_unspent(ctx, catalogue):
    mb = factory.member(ctx)
    t1 = factory.top_up(ctx, mb.id, 10_000)
    back = refund(ctx, t1.txn_id)
    assert back.kind == "topup_reversal"
    assert m.Member.get_by_id(mb.id).stored_value_balance == 0
    t2 = factory.top_up(ctx, mb.id, 10_000)
    factory.sale(ctx, [("LATTE", 1)], member_id=mb.id, tenders=Tenders(stored_value=2800))
    with pytest.raises(RefundError, match="spent"):
        refund(ctx, t2.txn_id)
    assert integrity.check() == []


def test_a_refund_is_quoted_then_split_as_the_manager_chooses(ctx, catalogue):
    # the walk-through's case: paid with stored value and cash, part of it returned
    mb = factory.member(ctx)
    factory.top_up(ctx, mb.id, 10_000)
    balance = members.view(ctx, mb.id).stored_value_balance
    sale = factory.sale(ctx, [("LATTE", 3)], member_id=mb.id,
                        tenders=Tenders(stored_value=3000, cash=6000))  # 8,400: 600 change
    line = str(m.TxnLine.get(m.TxnLine.txn == sale.txn_id).id)
    manager = factory.manager(ctx)
    ask = RefundRequest(factory.key("refund"), sale.txn_id, manager, lines={line: 1})
    before = snapshot()
    quoted = refunds.quote(ctx, ask)
    assert snapshot() == before  # a quote writes nothing
    assert quoted.amount == 2800
    assert quoted.split == {"stored_value": 2800, "card": 0, "other": 0, "cash": 0}
    assert quoted.room == {"stored_value": 3000, "card": 0, "other": 0, "cash": 5400}
    # the manager puts it back in cash, as the customer paid most of it
    wanted = RefundRequest(ask.idempotency_key, sale.txn_id, manager, lines={line: 1},
                           tenders={"cash": 2800})
    assert refunds.quote(ctx, wanted).split["cash"] == 2800
    back = refunds.refund(ctx, wanted)
    txn = m.Txn.get_by_id(back.txn_id)
    assert (txn.cash, txn.stored_value) == (-2800, 0)
    assert members.view(ctx, mb.id).stored_value_balance == balance - 3000  # not given back
    # the room shrinks by what has gone back; a split over it or not adding up is refused
    rest = refunds.quote(ctx, RefundRequest(factory.key("refund"), sale.txn_id, manager))
    assert rest.amount == 5600 and rest.room["cash"] == 5400 - 2800
    for bad, said in (({"cash": 5600}, "at most ¥26.00 can go back as cash"),
                      ({"stored_value": 3000, "cash": 2000}, "add up to ¥50.00, not"),
                      ({"cash": -1, "stored_value": 5601}, "not negative"),
                      ({"gold": 5600}, "stored value, card, other or cash")):
        with pytest.raises((RefundError, InvalidInput), match=said):
            refunds.refund(ctx, RefundRequest(factory.key("refund"), sale.txn_id, manager,
                                              tenders=bad))
    assert integrity.check() == []
