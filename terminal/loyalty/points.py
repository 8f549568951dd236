"""Points: earning with multipliers, redemption with a cap, expiry batches consumed FIFO."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from ..core import money
from ..core.errors import InsufficientPoints, InvalidInput, PointsRuleViolation
from ..core.rules import PointsRules


def add_months(moment: datetime, months: int) -> datetime:
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def expiry_for(earned_at: datetime, rules: PointsRules) -> datetime:
    """Points earned at ``earned_at`` last through the day ``expiry_months`` later (31 January
    + 1 month: 28 or 29 February) and expire at the start of the day after it."""
    start = earned_at.replace(hour=0, minute=0, second=0, microsecond=0)
    return add_months(start, rules.expiry_months) + timedelta(days=1)


def _anniversary(birthday: date, year: int) -> date:
    try:
        return birthday.replace(year=year)
    except ValueError:  # 29 February in a common year: celebrate on 28 February
        return date(year, 2, 28)


def is_birthday(birthday: date | None, today: date, window: str) -> bool:
    if birthday is None:
        return False
    if window == "month":
        return birthday.month == today.month
    if window == "day":
        return _anniversary(birthday, today.year) == today
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    # a week around New Year holds days of two years: 1 January is in the week of 30 December
    return any(monday <= _anniversary(birthday, year) <= sunday
               for year in {monday.year, sunday.year})


def day_multiplier(today: date, birthday: date | None, rules: PointsRules) -> Decimal:
    """Member-day and birthday multipliers do not stack: the larger one applies."""
    best = Decimal(1)
    if today.weekday() in rules.member_days:
        best = max(best, rules.member_day_multiplier)
    if is_birthday(birthday, today, rules.birthday_window):
        best = max(best, rules.birthday_multiplier)
    return best


@dataclass(frozen=True)
class EarnLine:
    category: str
    amount: int  # what the line cost the member after every discount, minor units
    points_paid: int = 0  # the part of the line paid with points (already out of amount)


@dataclass(frozen=True)
class Earned:
    total: int
    per_line: tuple[int, ...]
    multiplier: Decimal  # tier x day, for the receipt


def earn(lines: Sequence[EarnLine], *, stored_value_paid: int, tier_multiplier: Decimal,
         today: date, birthday: date | None, rules: PointsRules, currency: str) -> Earned:
    """Points for a sale; fractions of a point are dropped once, on the total."""
    money.check(stored_value_paid, "stored value paid")
    base = [ln.amount + (ln.points_paid if rules.earn_on_points_paid else 0) for ln in lines]
    if not rules.earn_on_stored_value_paid and stored_value_paid and sum(base) > 0:
        sv = money.allocate(min(stored_value_paid, sum(base)), base)
        base = [b - s for b, s in zip(base, sv, strict=True)]
    unit = 10 ** money.minor_digits(currency)
    mult = Fraction(tier_multiplier) * Fraction(day_multiplier(today, birthday, rules))
    exact = [
        Fraction(b) * Fraction(rules.category_multipliers.get(ln.category, Decimal(1)))
        * Fraction(rules.earn_per_unit) / unit * mult
        for ln, b in zip(lines, base, strict=True)
    ]
    total = max(0, int(sum(exact, Fraction(0))))
    weights = [max(0, int(e * 1000)) for e in exact]
    per_line = money.allocate(total, weights) if total else [0] * len(lines)
    return Earned(total, tuple(per_line), Decimal(mult.numerator) / Decimal(mult.denominator))


def points_value(points: int, rules: PointsRules, currency: str) -> int:
    """What ``points`` pay, in minor units, rounded down."""
    unit = 10 ** money.minor_digits(currency)
    return points * unit // rules.redeem_points_per_unit


def points_for_value(value: int, rules: PointsRules, currency: str) -> int:
    """Fewest points that pay ``value`` minor units."""
    unit = 10 ** money.minor_digits(currency)
    return -(-value * rules.redeem_points_per_unit // unit)


def redemption_cap(bill: int, rules: PointsRules) -> int:
    """The largest part of ``bill`` (minor units) that points may pay."""
    return int(Fraction(bill) * Fraction(rules.redeem_max_share_percent) / 100)


def max_redeemable(bill: int, balance: int, rules: PointsRules, currency: str) -> int:
    """The most points usable on this bill, given the cap and the balance (0 if below min)."""
    cap_points = points_for_value(redemption_cap(bill, rules), rules, currency)
    # points_for_value rounds up; never let the cap be exceeded in value
    while cap_points and points_value(cap_points, rules, currency) > redemption_cap(bill, rules):
        cap_points -= 1
    usable = min(balance, cap_points)
    return usable if usable >= rules.redeem_min_points else 0


@dataclass(frozen=True)
class Redemption:
    points: int  # points actually taken
    value: int  # minor units they pay


def redeem(requested: int, *, bill: int, balance: int, rules: PointsRules,
           currency: str) -> Redemption:
    """Check a redemption request against the balance, minimum and cap."""
    if isinstance(requested, bool) or not isinstance(requested, int):
        raise InvalidInput("points must be a whole number")
    if requested < 0:
        raise InvalidInput("points to redeem cannot be negative")
    if requested == 0:
        return Redemption(0, 0)
    if requested > balance:
        raise InsufficientPoints(
            "the member has {balance} points; {requested} cannot be redeemed",
            balance=balance, requested=requested)
    if requested < rules.redeem_min_points:
        raise PointsRuleViolation(
            "at least {minimum} points must be redeemed at once",
            minimum=rules.redeem_min_points)
    value = points_value(requested, rules, currency)
    cap = redemption_cap(bill, rules)
    if value > cap:
        most = max_redeemable(bill, balance, rules, currency)
        raise PointsRuleViolation(
            "points may pay at most {redeem_max_share_percent}% of this bill ({shown_cap}): at "
            "most {max_points} points",
            cap=cap, max_points=most, redeem_max_share_percent=rules.redeem_max_share_percent,
            shown_cap=money.format_amount(cap, currency))
    return Redemption(points_for_value(value, rules, currency), value)


@dataclass(frozen=True)
class Batch:
    """Points earned together and expiring together; ``remaining`` not yet used or expired."""

    id: object
    remaining: int
    expires_at: datetime


def consume(batches: Iterable[Batch], points: int, now: datetime) -> list[tuple[object, int]]:
    """Take ``points`` from live batches, soonest-expiring first; [(batch id, taken)]."""
    if isinstance(points, bool) or not isinstance(points, int) or points < 0:
        raise InvalidInput("points to take must be a whole number of at least 0, not "
                           "{points!r}", points=points)
    live = sorted((b for b in batches if b.remaining > 0 and b.expires_at > now),
                  key=lambda b: (b.expires_at, str(b.id)))
    taken: list[tuple[object, int]] = []
    left = points
    for b in live:
        if left == 0:
            break
        part = min(left, b.remaining)
        taken.append((b.id, part))
        left -= part
    if left:
        raise InsufficientPoints("only {balance} live points; {requested} needed",
                                 balance=points - left, requested=points)
    return taken


def take_plan(batches: Iterable[Batch], points: int, now: datetime, *,
              first_from: object = None, include_expired: bool = False
              ) -> list[tuple[object, int]]:
    """What a debit of ``points`` takes from which batch: the batch ``first_from`` first (a
    refund takes back the points its sale earned; an expired one too with
    ``include_expired``), then the live batches soonest-expiring first (``consume``)."""
    held = list(batches)
    plan: list[tuple[object, int]] = []
    left = points
    if first_from is not None:
        for b in held:
            if b.id == first_from and (b.expires_at > now or include_expired):
                part = min(left, b.remaining)
                if part:
                    plan.append((b.id, part))
                    left -= part
        held = [b for b in held if b.id != first_from]
    if left:
        plan += consume(held, left, now)
    return plan


@dataclass(frozen=True)
class Use:
    """What a debit took from one batch (``taken``), and how much of it was put back
    since (``restored``)."""

    batch_id: object
    taken: int
    expires_at: datetime
    restored: int = 0


def restore_plan(uses: Iterable[Use], points: int) -> list[tuple[object, int]]:
    """Where ``points`` of a debit go back: into the batches it took them from,
    latest-expiring first (a partial reversal returns the longest-lived points), each at
    most what it gave and has not had back."""
    plan: list[tuple[object, int]] = []
    left = points
    for u in sorted(uses, key=lambda u: u.expires_at, reverse=True):
        part = min(left, u.taken - u.restored)
        if part <= 0:
            continue
        plan.append((u.batch_id, part))
        left -= part
        if not left:
            break
    if left:
        raise InsufficientPoints("more points to restore than were taken")
    return plan


def expiring(batches: Iterable[Batch], now: datetime, days: int) -> list[tuple[datetime, int]]:
    """Live points that expire within ``days``: (moment, points) per moment, soonest first."""
    until = now + timedelta(days=days)
    due: dict[datetime, int] = {}
    for b in batches:
        if b.remaining > 0 and now < b.expires_at <= until:
            due[b.expires_at] = due.get(b.expires_at, 0) + b.remaining
    return sorted(due.items())


def expired(batches: Iterable[Batch], now: datetime) -> list[Batch]:
    return [b for b in batches if b.remaining > 0 and b.expires_at <= now]
