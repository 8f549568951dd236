"""terminal.loyalty.stored_value: top-up bonuses, limits and spending paid before bonus."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.core.errors import InsufficientStoredValue, InvalidInput
from terminal.core.money import MoneyError
from terminal.core.rules import StoredValueRules, TopUpBonus
from terminal.loyalty.stored_value import bonus_for, check_top_up, split_spend

RULES = StoredValueRules()  # pay 100 get 120; pay 500 get 650; min 1.00; max 100,000.00


@pytest.mark.parametrize(("paid", "bonus"), [
    (0, 0),
    (9_999, 0),
    (10_000, 2_000),  # pay 100, get 120
    (49_999, 2_000),
    (50_000, 15_000),  # pay 500, get 650
    (1_000_000, 15_000),  # the best rule reached, not one per 100
])
def test_bonus_for(paid: int, bonus: int) -> None:
    assert bonus_for(paid, RULES) == bonus


def test_bonus_for_takes_the_best_rule_whatever_the_order() -> None:
    rules = StoredValueRules(bonuses=(TopUpBonus(50_000, 15_000), TopUpBonus(10_000, 2_000),
                                      TopUpBonus(20_000, 1_000)))
    assert bonus_for(25_000, rules) == 2_000
    assert bonus_for(StoredValueRules(bonuses=()).min_top_up, StoredValueRules(bonuses=())) == 0


@pytest.mark.parametrize("paid", [-1, 100.0, True])
def test_bonus_for_refuses_bad_amounts(paid: object) -> None:
    with pytest.raises(MoneyError, match="top-up"):
        bonus_for(paid, RULES)  # type: ignore[arg-type]


@pytest.mark.parametrize("rules,fits,over,message,detail,currency,in_currency", [
    # the minimum: used to be formatted by dividing by 100 whatever the currency
    pytest.param(RULES, (100, 0, 0), (99, 0, 0), "a top-up must be at least ¥1.00",
                 {"min_top_up": 100}, "JPY", "a top-up must be at least ¥100", id="minimum"),
    # the maximum balance counts the bonus
    pytest.param(StoredValueRules(max_balance=100_000), (10_000, 88_000, 2_000),
                 (10_000, 88_001, 2_000), "the balance may not exceed ¥1,000.00",
                 {"max_balance": 100_000}, "USD", "the balance may not exceed $1,000.00",
                 id="maximum balance"),
])
def test_check_top_up_limits(rules: StoredValueRules, fits: tuple[int, int, int],
                             over: tuple[int, int, int], message: str, detail: dict[str, int],
                             currency: str, in_currency: str) -> None:
    check_top_up(*fits, rules)  # exactly the limit
    with pytest.raises(InvalidInput) as info:
        check_top_up(*over, rules)
    assert str(info.value) == message
    assert info.value.details.items() >= detail.items()
    with pytest.raises(InvalidInput) as info:
        check_top_up(*over, rules, currency=currency)
    assert str(info.value) == in_currency


def test_check_top_up_zero_is_never_a_top_up() -> None:
    rules = StoredValueRules(min_top_up=0)
    check_top_up(1, 0, 0, rules)
    with pytest.raises(InvalidInput, match=r"^a top-up must be at least ¥0\.01$"):
        check_top_up(0, 0, 0, rules)


@pytest.mark.parametrize("paid", [-100, 100.0, True])
def test_check_top_up_refuses_bad_amounts(paid: object) -> None:
    with pytest.raises(MoneyError, match="top-up"):
        check_top_up(paid, 0, 0, RULES)  # type: ignore[arg-type]


@pytest.mark.parametrize(("amount", "paid_bal", "bonus_bal", "expected"), [
    (6_000, 10_000, 2_000, (5_000, 1_000)),  # 12 : 2 -> 5/6 paid, 1/6 bonus
    (100, 10_000, 2_000, (84, 16)),  # bonus 16.67 rounded down: paid takes the rest
    (1, 10_000, 2_000, (1, 0)),
    (12_000, 10_000, 2_000, (10_000, 2_000)),  # everything
    (500, 0, 2_000, (0, 500)),  # only bonus left
    (500, 2_000, 0, (500, 0)),
    (0, 0, 0, (0, 0)),
    (0, 100, 100, (0, 0)),
    (3, 1, 2, (1, 2)),
])
def test_split_spend(amount: int, paid_bal: int, bonus_bal: int,
                     expected: tuple[int, int]) -> None:
    assert split_spend(amount, paid_bal, bonus_bal) == expected


def test_split_spend_overdraw() -> None:
    with pytest.raises(InsufficientStoredValue) as info:
        split_spend(12_001, 10_000, 2_000)
    assert str(info.value) == "stored value balance is ¥120.00; ¥120.01 cannot be paid with it"
    assert info.value.details.items() >= {"balance": 12_000}.items()
    with pytest.raises(InsufficientStoredValue, match=r"^stored value balance is ¥12,000; "
                                                      r"¥12,001 cannot be paid with it$"):
        split_spend(12_001, 10_000, 2_000, currency="JPY")
    with pytest.raises(InsufficientStoredValue, match=r"balance is ¥0\.00"):
        split_spend(1, 0, 0)


@pytest.mark.parametrize("amount", [-1, 1.0, True])
def test_split_spend_refuses_bad_amounts(amount: object) -> None:
    with pytest.raises(MoneyError, match="stored value amount"):
        split_spend(amount, 100, 100)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(paid_bal=st.integers(0, 10**8), bonus_bal=st.integers(0, 10**8), data=st.data())
def test_split_spend_properties(paid_bal: int, bonus_bal: int, data: st.DataObject) -> None:
    amount = data.draw(st.integers(0, paid_bal + bonus_bal))
    paid, bonus = split_spend(amount, paid_bal, bonus_bal)
    assert paid + bonus == amount
    assert 0 <= paid <= paid_bal
    assert 0 <= bonus <= bonus_bal
    if amount:
        # the bonus part is the proportional share rounded down
        assert bonus == int(Fraction(amount * bonus_bal, paid_bal + bonus_bal))
