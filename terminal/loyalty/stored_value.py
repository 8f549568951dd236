"""Stored value: top-up bonuses, and spending that keeps the paid part apart from the bonus."""

from __future__ import annotations

from ..core import money
from ..core.errors import InsufficientStoredValue, InvalidInput
from ..core.rules import StoredValueRules


def bonus_for(paid: int, rules: StoredValueRules) -> int:
    """The bonus of the best rule the top-up reaches (pay 100, get 120: bonus 20)."""
    money.check(paid, "top-up", limit=money.MAX_ENTRY)
    best = 0
    for rule in rules.bonuses:
        if paid >= rule.min_paid:
            best = max(best, rule.bonus)
    return best


def check_top_up(paid: int, balance: int, bonus: int, rules: StoredValueRules, *,
                 currency: str = "CNY") -> None:
    money.check(paid, "top-up", limit=money.MAX_ENTRY)
    minimum = max(1, rules.min_top_up)
    if paid < minimum:
        raise InvalidInput(
            "a top-up must be at least {minimum}",
            min_top_up=minimum, minimum=money.format_amount(minimum, currency))
    if balance + paid + bonus > rules.max_balance:
        raise InvalidInput(
            "the balance may not exceed {most}",
            max_balance=rules.max_balance, most=money.format_amount(rules.max_balance, currency))


def split_spend(amount: int, paid_balance: int, bonus_balance: int, *,
                currency: str = "CNY") -> tuple[int, int]:
    """Spend ``amount`` from the paid and bonus parts in proportion to their balances.

    Returns (paid part, bonus part); the bonus part is rounded down, so a refund of what is
    left never gives back more real money than was paid.
    """
    money.check(amount, "stored value amount")
    total = paid_balance + bonus_balance
    if amount > total:
        raise InsufficientStoredValue(
            "stored value balance is {total}; {amount} cannot be paid with it",
            balance=total, total=money.format_amount(total, currency),
            amount=money.format_amount(amount, currency))
    if amount == 0:
        return 0, 0
    bonus = amount * bonus_balance // total
    paid = amount - bonus
    if paid > paid_balance:  # rounding edge: move the excess onto the bonus part
        bonus += paid - paid_balance
        paid = paid_balance
    return paid, bonus
