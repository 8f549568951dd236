"""Pricing in one documented order, every step in exact integer minor units.

1. Line: unit price x quantity, less the line's own discount. A member's unit price is the
   product's member price (会员价) where it has one below the price; a guest pays the price.
2. Tier discount: the member's tier percentage of the discountable lines' total, rounded
   half up once for the bill and allocated over the lines by largest remainder.
3. Coupon: on the eligible lines after the tier discount (minimum spend checked there);
   amount (capped at the eligible total), percent (rounded half up), or one free unit.
4. Points: redeemed against the bill after the coupon, within the minimum and the cap
   (a share of that bill); allocated over the lines.
5. The total due is what is left; stored value, then cash / card / other pay it (see
   ``settle``). Only cash gives change.
Allocations to lines make partial refunds exact: a refunded line gives back what it cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..core import money
from ..core.errors import InsufficientStoredValue, InvalidInput, PaymentError
from ..core.rules import PointsRules
from . import coupon_rules, points

# Of one item on one line: a shop's largest order, far inside txn_line.qty's 32-bit integer.
MAX_QTY = 9_999


@dataclass(frozen=True)
class BasketLine:
    name: str
    unit_price: int
    qty: int = 1
    sku: str | None = None
    category: str = ""
    brand: str = ""
    line_discount: int = 0  # off the whole line, minor units
    discountable: bool = True  # takes tier discounts (not e.g. punch cards)
    member_price: int | None = None  # a member's unit price (used only when it is lower)

    def __post_init__(self) -> None:
        money.check(self.unit_price, f"price of {self.name}", limit=money.MAX_ENTRY)
        if self.member_price is not None:
            money.check(self.member_price, f"member price of {self.name}",
                        limit=money.MAX_ENTRY)
        money.check(self.line_discount, f"discount on {self.name}", limit=money.MAX_ENTRY)
        if (isinstance(self.qty, bool) or not isinstance(self.qty, int)
                or not 1 <= self.qty <= MAX_QTY):
            raise InvalidInput("quantity of {name} must be a whole number of at least 1 and "
                               "at most {max_qty:,}", max_qty=MAX_QTY,
                               name=self.name)
        if self.line_discount > self.unit_price * self.qty:
            raise InvalidInput("the discount on {name} is larger than the line", name=self.name)

    @property
    def gross(self) -> int:
        return self.unit_price * self.qty

    def unit_price_for(self, member: bool) -> int:
        """The unit price a member (or a guest) pays before the tier discount."""
        if member and self.member_price is not None and self.member_price < self.unit_price:
            return self.member_price
        return self.unit_price


@dataclass(frozen=True)
class PricedLine:
    line: BasketLine
    gross: int  # at ``unit_price``
    line_discount: int
    tier_discount: int
    coupon_discount: int
    points_discount: int
    unit_price: int  # what the unit was priced at (the member price, or the price)

    @property
    def member_saving(self) -> int:
        """What the member price saved on the line (the receipt shows it)."""
        return (self.line.unit_price - self.unit_price) * self.line.qty

    @property
    def net(self) -> int:
        return (self.gross - self.line_discount - self.tier_discount - self.coupon_discount
                - self.points_discount)


@dataclass(frozen=True)
class Pricing:
    lines: tuple[PricedLine, ...]
    points_redeemed: int
    max_points: int  # most points the member could use on this bill

    @property
    def subtotal(self) -> int:
        return sum(pl.gross for pl in self.lines)

    @property
    def member_saving(self) -> int:
        return sum(pl.member_saving for pl in self.lines)

    @property
    def line_discount(self) -> int:
        return sum(pl.line_discount for pl in self.lines)

    @property
    def tier_discount(self) -> int:
        return sum(pl.tier_discount for pl in self.lines)

    @property
    def coupon_discount(self) -> int:
        return sum(pl.coupon_discount for pl in self.lines)

    @property
    def points_discount(self) -> int:
        return sum(pl.points_discount for pl in self.lines)

    @property
    def total(self) -> int:
        return sum(pl.net for pl in self.lines)


def price(lines: Sequence[BasketLine], *, tier_percent: Decimal = Decimal(0),
          coupon: coupon_rules.CouponTerms | None = None, coupon_code: str = "",
          points_requested: int = 0, points_balance: int = 0,
          rules: PointsRules | None = None, currency: str = "CNY",
          member: bool = False) -> Pricing:
    """``lines`` priced in the order above; ``member``: for a member (member prices)."""
    rules = rules or PointsRules()
    if (isinstance(tier_percent, bool) or not isinstance(tier_percent, int | Decimal | Fraction)
            or (isinstance(tier_percent, Decimal) and not tier_percent.is_finite())
            or not 0 <= tier_percent <= 100):
        raise InvalidInput(
            "the tier discount must be a percentage from 0 to 100, not {tier_percent!r}",
            tier_percent=tier_percent)
    n = len(lines)
    if sum(ln.gross for ln in lines) > money.MAX_BILL:
        raise InvalidInput(
            "the bill comes to more than {most}: split it into several sales",
            max_bill=money.MAX_BILL, most=money.format_amount(money.MAX_BILL, currency))
    units = [ln.unit_price_for(member) for ln in lines]
    gross = [u * ln.qty for u, ln in zip(units, lines, strict=True)]
    for ln, g in zip(lines, gross, strict=True):
        if ln.line_discount > g:
            raise InvalidInput("the discount on {name} is larger than the line", name=ln.name)
    after_line = [g - ln.line_discount for ln, g in zip(lines, gross, strict=True)]

    disc_base = [a if ln.discountable else 0 for ln, a in zip(lines, after_line, strict=True)]
    tier_total = money.round_half_up(Fraction(sum(disc_base)) * Fraction(tier_percent) / 100)
    tier = money.allocate(tier_total, disc_base) if tier_total else [0] * n
    after_tier = [a - t for a, t in zip(after_line, tier, strict=True)]

    coupon_parts = [0] * n
    if coupon is not None:
        coupon_parts = coupon_rules.discount(coupon, [
            coupon_rules.CouponLine(ln.category, ln.brand, ln.sku, ln.qty, a)
            for ln, a in zip(lines, after_tier, strict=True)], coupon_code, currency=currency)
    after_coupon = [a - c for a, c in zip(after_tier, coupon_parts, strict=True)]

    bill = sum(after_coupon)
    red = points.redeem(points_requested, bill=bill, balance=points_balance, rules=rules,
                        currency=currency)
    points_parts = money.allocate(red.value, after_coupon) if red.value else [0] * n
    max_pts = points.max_redeemable(bill, points_balance, rules, currency)

    priced = tuple(
        PricedLine(ln, g, ln.line_discount, t, c, p, u)
        for ln, g, u, t, c, p in zip(lines, gross, units, tier, coupon_parts, points_parts,
                                     strict=True))
    return Pricing(priced, red.points, max_pts)


@dataclass(frozen=True)
class Tenders:
    stored_value: int = 0
    cash: int = 0  # handed over by the customer
    card: int = 0
    other: int = 0

    def __post_init__(self) -> None:
        for name in ("stored_value", "cash", "card", "other"):
            money.check(getattr(self, name), f"{name.replace('_', ' ')} tender",
                        limit=money.MAX_BILL)


@dataclass(frozen=True)
class Settlement:
    stored_value: int
    cash: int  # kept: handed over less change
    card: int
    other: int
    change: int
    cash_given: int


def settle(total: int, tenders: Tenders, stored_value_balance: int,
           currency: str = "CNY") -> Settlement:
    """Check that the tenders pay ``total`` exactly (cash may be over: change is given)."""
    money.check(total, "total")
    fmt = lambda v: money.format_amount(v, currency)  # noqa: E731
    if tenders.stored_value > stored_value_balance:
        raise InsufficientStoredValue(
            "stored value balance is {stored_value_balance}; {stored_value} cannot be paid "
            "with it",
            balance=stored_value_balance, stored_value_balance=fmt(stored_value_balance),
            stored_value=fmt(tenders.stored_value))
    non_cash = tenders.stored_value + tenders.card + tenders.other
    if non_cash > total:
        raise PaymentError(
            "stored value, card and other tenders ({non_cash}) exceed the total {total}; "
            "only cash gives change", non_cash=fmt(non_cash), total=fmt(total))
    due_cash = total - non_cash
    if tenders.cash < due_cash:
        raise PaymentError("{shown} still to pay",
                           short=due_cash - tenders.cash, shown=fmt(due_cash - tenders.cash))
    change = tenders.cash - due_cash
    return Settlement(tenders.stored_value, due_cash, tenders.card, tenders.other, change,
                      tenders.cash)
