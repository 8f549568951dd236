"""Quantities and amounts stay within what a shop sells and both databases hold."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.core import money
from terminal.core.errors import DomainError, InvalidInput
from terminal.core.rules import StoredValueRules
from terminal.loyalty import stored_value
from terminal.loyalty.pricing import MAX_QTY, BasketLine, Tenders, price

INT64 = 2**63 - 1
HUGE = [10_000, 3 * 10**9, 2**31, 2**63, 10**20]


@pytest.mark.parametrize("qty", HUGE)
def test_a_quantity_above_the_bound_is_refused(qty: int) -> None:
    with pytest.raises(InvalidInput, match=f"at most {MAX_QTY:,}"):
        BasketLine("Coffee", 500, qty=qty)


@given(st.integers(1, MAX_QTY))
def test_every_quantity_within_the_bound_is_taken(qty: int) -> None:
    assert BasketLine("Coffee", 500, qty=qty).gross == 500 * qty


@pytest.mark.parametrize("amount", [money.MAX_ENTRY + 1, 3 * 10**12, 10**20])
def test_a_price_or_discount_above_the_bound_is_refused(amount: int) -> None:
    with pytest.raises(InvalidInput, match="too large"):
        BasketLine("Coffee", amount)
    with pytest.raises(InvalidInput, match="too large"):
        BasketLine("Coffee", money.MAX_ENTRY, qty=MAX_QTY, line_discount=amount)


def test_the_largest_price_and_discount_are_taken() -> None:
    line = BasketLine("Car", money.MAX_ENTRY, line_discount=money.MAX_ENTRY)
    assert line.gross == money.MAX_ENTRY


def test_a_bill_above_the_bound_is_refused() -> None:
    lines = [BasketLine("Gold", money.MAX_ENTRY, qty=MAX_QTY)] * 2
    with pytest.raises(InvalidInput, match="split it"):
        price(lines)
    just = [BasketLine("Gold", money.MAX_ENTRY, qty=1000)]  # exactly the bound
    assert price(just).total == money.MAX_BILL


@pytest.mark.parametrize("field", ["stored_value", "cash", "card", "other"])
def test_a_tender_above_the_bound_is_refused(field: str) -> None:
    with pytest.raises(InvalidInput, match="too large"):
        Tenders(**{field: money.MAX_BILL + 1})
    with pytest.raises(InvalidInput, match="too large"):
        Tenders(**{field: 10**20})
    assert getattr(Tenders(**{field: money.MAX_BILL}), field) == money.MAX_BILL


@pytest.mark.parametrize("paid", [money.MAX_ENTRY + 1, 10**20])
def test_a_top_up_above_the_bound_is_refused(paid: int) -> None:
    rules = StoredValueRules(max_balance=10**15)
    with pytest.raises(InvalidInput, match="too large"):
        stored_value.bonus_for(paid, rules)
    with pytest.raises(InvalidInput, match="too large"):
        stored_value.check_top_up(paid, 0, 0, rules)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(-10, 10**21), st.integers(-10, 10**21),
                          st.integers(-10, 10**6)), min_size=1, max_size=5))
def test_any_basket_either_prices_within_int64_or_is_refused(rows) -> None:
    """Whatever is typed: a clear refusal, or a bill every column of both databases holds."""
    try:
        lines = [BasketLine("x", p, qty=q, line_discount=min(d, p * q) if d >= 0 else d)
                 for p, q, d in rows]
        priced = price(lines)
    except DomainError:
        return
    assert 0 <= priced.total <= priced.subtotal <= money.MAX_BILL
    for pl in priced.lines:
        assert 1 <= pl.line.qty <= MAX_QTY < 2**31  # txn_line.qty is a 32-bit integer
        assert pl.gross <= INT64 and pl.net >= 0
