"""Coupons: what a coupon takes off a basket, and whether it may be used now by this member."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..core import money
from ..core.errors import CouponError, InvalidInput

KINDS = ("amount", "percent", "free_item")


@dataclass(frozen=True)
class CouponTerms:
    kind: str  # amount | percent | free_item
    amount: int = 0  # for "amount": minor units off
    percent: Decimal = Decimal(0)  # for "percent"
    sku: str | None = None  # for "free_item": one unit of this product is free
    min_spend: int = 0  # on the eligible lines, after line and tier discounts
    categories: frozenset[str] = field(default_factory=frozenset)  # empty: any
    brands: frozenset[str] = field(default_factory=frozenset)  # empty: any

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidInput("unknown coupon kind {kind!r}", kind=self.kind)
        money.check(self.amount, "coupon amount")
        money.check(self.min_spend, "minimum spend")
        if (isinstance(self.percent, bool)
                or not isinstance(self.percent, int | Decimal | Fraction)
                or (isinstance(self.percent, Decimal) and not self.percent.is_finite())):
            raise InvalidInput("a coupon percentage must be a Decimal, not {percent!r}",
                               percent=self.percent)
        if self.kind == "amount" and self.amount <= 0:
            raise InvalidInput("an amount coupon needs an amount above zero")
        if self.kind == "percent" and not 0 < self.percent <= 100:
            raise InvalidInput("a percent coupon needs a percentage between 0 and 100")
        if self.kind == "free_item" and not self.sku:
            raise InvalidInput("a free-item coupon needs the product's SKU")

    def eligible(self, category: str, brand: str, sku: str | None) -> bool:
        if self.kind == "free_item":
            return sku == self.sku
        if self.categories and category not in self.categories:
            return False
        return not (self.brands and brand not in self.brands)


@dataclass(frozen=True)
class CouponState:
    code: str
    status: str  # issued | redeemed | void
    valid_from: datetime
    valid_until: datetime
    member_id: object | None = None  # None: bearer coupon


def check_usable(state: CouponState, member_id: object | None, now: datetime) -> None:
    """Raise CouponError saying why this coupon cannot be used now by this member."""
    if state.status == "redeemed":
        raise CouponError("coupon {code} has already been used", reason="used", code=state.code)
    if state.status == "void":
        raise CouponError("coupon {code} has been cancelled", reason="void", code=state.code)
    if state.status != "issued":
        raise CouponError("coupon {code} cannot be used ({status})", reason="status",
                          code=state.code, status=state.status)
    if now < state.valid_from:
        raise CouponError(
            "coupon {code} is valid from {valid_from:%Y-%m-%d}", reason="not_yet", code=state.code,
            valid_from=state.valid_from)
    if now >= state.valid_until:
        # valid_until is the first moment it no longer works (usually the midnight after its
        # last day): name that last day, not the day after it
        last_day = state.valid_until - timedelta(microseconds=1)
        raise CouponError(
            "coupon {code} has expired: it was valid until {last_day:%Y-%m-%d}",
            reason="expired", code=state.code, last_day=last_day)
    if state.member_id is not None:
        if member_id is None:
            raise CouponError("coupon {code} belongs to a member: scan the member first",
                              reason="needs_member", code=state.code)
        if str(member_id) != str(state.member_id):
            raise CouponError("coupon {code} belongs to another member",
                              reason="other_member", code=state.code)


@dataclass(frozen=True)
class CouponLine:
    category: str
    brand: str
    sku: str | None
    qty: int
    amount: int  # line amount after line and tier discounts


def discount(terms: CouponTerms, lines: Sequence[CouponLine], code: str = "", *,
             currency: str = "CNY") -> list[int]:
    """The coupon's discount allocated over ``lines`` (zeros on ineligible lines)."""
    eligible = [terms.eligible(ln.category, ln.brand, ln.sku) for ln in lines]
    base = [ln.amount if ok else 0 for ln, ok in zip(lines, eligible, strict=True)]
    spend = sum(base)
    if not any(eligible):
        # (no code: a coupon being designed, not one typed at the counter)
        if terms.kind == "free_item":
            raise (CouponError("coupon {code} does not apply to the product it gives",
                               reason="not_applicable", code=code) if code else
                   CouponError("coupon does not apply to the product it gives",
                               reason="not_applicable"))
        raise (CouponError("coupon {code} does not apply to any item in the basket",
                           reason="not_applicable", code=code) if code else
               CouponError("coupon does not apply to any item in the basket",
                           reason="not_applicable"))
    if spend < terms.min_spend:
        shown: dict[str, Any] = {"shown_min": money.format_amount(terms.min_spend, currency),
                 "shown_spend": money.format_amount(spend, currency)}
        raise (CouponError("coupon {code} needs a spend of at least {shown_min} on eligible "
                           "items (now {shown_spend})", reason="min_spend",
                           min_spend=terms.min_spend, spend=spend, code=code, **shown) if code
               else CouponError("coupon needs a spend of at least {shown_min} on eligible "
                                "items (now {shown_spend})", reason="min_spend",
                                min_spend=terms.min_spend, spend=spend, **shown))
    if terms.kind == "amount":
        total = min(terms.amount, spend)
    elif terms.kind == "percent":
        total = money.round_half_up(Fraction(spend) * Fraction(terms.percent) / 100)
    else:
        i = next(i for i, ok in enumerate(eligible) if ok)
        unit = money.round_half_up(Fraction(lines[i].amount, lines[i].qty))
        result = [0] * len(lines)
        result[i] = min(unit, lines[i].amount)
        return result
    return money.allocate(total, base) if total else [0] * len(lines)
