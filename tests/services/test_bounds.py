"""Huge quantities and amounts, and text that is not text, are refused at the service entry
points with a sentence, and nothing is written (both databases)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from terminal.core import money
from terminal.core.errors import DomainError, InvalidInput, NotFound
from terminal.core.rules import StoredValueRules
from terminal.db import models as m
from terminal.loyalty.pricing import MAX_QTY, Tenders
from terminal.services import accounts, checkout, integrity, lookup, members, refunds
from terminal.services.checkout import CheckoutRequest, SaleItem
from tests.helpers import factory
from tests.helpers.state import snapshot

HUGE_QTY = [MAX_QTY + 1, 3 * 10**9, 10**20]
HUGE_AMOUNT = [money.MAX_ENTRY + 1, 3 * 10**12, 10**20]


def _sell(ctx, *items: SaleItem, tenders: Tenders | None = None, points: int = 0,
          member_id: object = None):
    return checkout.checkout(ctx, CheckoutRequest(
        factory.key("sale"), items, member_id=member_id, points=points,
        tenders=tenders or Tenders(cash=money.MAX_BILL)))


@pytest.mark.parametrize("qty", HUGE_QTY)
def test_checkout_refuses_a_huge_quantity(ctx, catalogue, qty: int) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match=f"at most {MAX_QTY:,}"):
        _sell(ctx, SaleItem("LATTE", qty))
    with pytest.raises(InvalidInput, match=f"at most {MAX_QTY:,}"):
        checkout.preview(ctx, (SaleItem(unit_price=100, name="x", qty=qty),))
    assert snapshot() == before and m.Txn.select().count() == 0


def test_the_largest_quantity_is_recorded(ctx, catalogue) -> None:
    receipt = _sell(ctx, SaleItem("TEA", MAX_QTY))
    assert m.TxnLine.get().qty == MAX_QTY and receipt.total == 1800 * MAX_QTY
    assert integrity.check() == []


@pytest.mark.parametrize("amount", HUGE_AMOUNT)
def test_checkout_refuses_a_huge_price_discount_or_tender(ctx, catalogue, amount: int) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match="too large"):
        _sell(ctx, SaleItem(unit_price=amount, name="Gold"))
    with pytest.raises(InvalidInput, match="too large"):
        _sell(ctx, SaleItem("LATTE", unit_price=amount))
    with pytest.raises(InvalidInput, match="too large"):
        _sell(ctx, SaleItem(unit_price=money.MAX_ENTRY, qty=MAX_QTY, name="Gold",
                            line_discount=amount))
    with pytest.raises(DomainError):
        _sell(ctx, SaleItem("LATTE"), tenders=Tenders(cash=amount * 1000))
    assert snapshot() == before


def test_checkout_refuses_a_bill_above_the_bound(ctx) -> None:
    with pytest.raises(InvalidInput, match="split it"):
        _sell(ctx, *[SaleItem(unit_price=money.MAX_ENTRY, qty=MAX_QTY, name="Gold")] * 3)
    assert m.Txn.select().count() == 0


def test_the_largest_bill_is_recorded_and_checks(ctx) -> None:
    receipt = _sell(ctx, SaleItem(unit_price=money.MAX_ENTRY, qty=1000, name="Gold"))
    assert receipt.total == money.MAX_BILL == m.Txn.get().total
    assert integrity.check() == []


@pytest.mark.parametrize("points", [3 * 10**9, 10**20])
def test_checkout_refuses_huge_points(ctx, catalogue, points: int) -> None:
    mb = factory.member(ctx)
    before = snapshot()
    with pytest.raises(DomainError):
        _sell(ctx, SaleItem("LATTE"), points=points, member_id=mb.id)
    assert snapshot() == before


@pytest.mark.parametrize("paid", HUGE_AMOUNT)
def test_top_up_refuses_a_huge_amount(ctx, paid: int) -> None:
    # a generous balance rule, so the bound refuses the amount, not the rule
    programme = replace(ctx.programme, stored_value=StoredValueRules(max_balance=10**15))
    ctx.settings = replace(ctx.settings, programme=programme)
    mb = factory.member(ctx)
    before = snapshot()
    with pytest.raises(InvalidInput, match="too large"):
        accounts.top_up(ctx, factory.key("topup"), mb.id, paid, Tenders(cash=paid))
    assert snapshot() == before


@pytest.mark.parametrize("delta", [money.MAX_ENTRY + 1, 3 * 10**9, 10**20, -10**20])
def test_a_points_adjustment_refuses_a_huge_number(ctx, delta: int) -> None:
    mb = factory.member(ctx)
    manager = factory.manager(ctx)
    before = snapshot()
    with pytest.raises(InvalidInput, match="at most"):
        accounts.adjust_points(ctx, factory.key("adjust"), mb.id, delta, "typo", manager)
    assert snapshot() == before


def test_the_largest_points_adjustment_is_recorded(ctx) -> None:
    mb = factory.member(ctx)
    manager = factory.manager(ctx)
    accounts.adjust_points(ctx, factory.key("adjust"), mb.id, money.MAX_ENTRY, "gift", manager)
    assert integrity.check() == []


@pytest.mark.parametrize("qty", HUGE_QTY)
def test_a_refund_refuses_a_huge_quantity(ctx, catalogue, qty: int) -> None:
    sale = factory.sale(ctx, [("LATTE", 2)])
    line_id = str(m.TxnLine.get(m.TxnLine.txn == sale.txn_id).id)
    manager = factory.manager(ctx)
    before = snapshot()
    with pytest.raises(DomainError, match="only 2 of"):
        refunds.refund(ctx, refunds.RefundRequest(factory.key("refund"), sale.txn_id,
                                                  manager, lines={line_id: qty}))
    assert snapshot() == before


@pytest.mark.parametrize("text", ["\ud800", "Wang\udfff", "\udc80138"])
def test_a_lone_surrogate_in_a_search_is_invalid_input(ctx, catalogue, text: str) -> None:
    factory.member(ctx, "Wang")
    with pytest.raises(InvalidInput, match="type it again"):
        members.search(ctx, text)
    with pytest.raises(InvalidInput, match="type it again"):
        lookup.lookup(ctx, text)
    with pytest.raises(InvalidInput, match="type it again"):
        members.enrol(ctx, members.EnrolRequest(text, "13812345678"))
    with pytest.raises(NotFound):  # and ordinary text still searches
        lookup.lookup(ctx, "Zhang")
