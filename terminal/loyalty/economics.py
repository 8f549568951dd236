"""Programme economics as plain arithmetic: liability, redemption rate, breakage, cost share.

The benchmark comes from the seed articles: 1 point per yuan, 100 points redeem for 1 yuan,
30% of points redeemed in the first year, about 50% in the second and 60-80% in a
well-run programme; all told a programme costs about 1% of revenue (1-2% abroad).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..core import money
from ..core.rules import PointsRules
from .points import points_value

# Used while the shop has no history to learn from: the middle of the articles' 30-80%
# range, and what they report for a programme in its second year.
DEFAULT_REDEMPTION_RATE = Fraction(1, 2)
BENCHMARK_COST_SHARE = Fraction(1, 100)  # "about 1% of revenue"
BENCHMARK_ABROAD = (Fraction(1, 100), Fraction(2, 100))  # "1-2% of revenue abroad"
# Within this distance of the benchmark a programme costs "about" the same.
BENCHMARK_TOLERANCE = Fraction(25, 10_000)  # 0.25 percentage points


def ratio(part: int, whole: int) -> Fraction | None:
    """``part / whole`` exactly; None when the whole is zero or negative (no meaningful
    share of nothing)."""
    _whole_number(part, "part")
    _whole_number(whole, "whole")
    if whole <= 0:
        return None
    return Fraction(part, whole)


def _whole_number(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


@dataclass(frozen=True)
class RedemptionRate:
    """The share of points members end up redeeming, and where the figure comes from."""

    rate: Fraction
    learned: bool  # False: no closed-out batch yet, the default was used
    redeemed: int  # points of closed-out batches that were redeemed
    expired: int  # ... and that expired


def expected_redemption_rate(redeemed: int, expired: int,
                             default: Fraction = DEFAULT_REDEMPTION_RATE) -> RedemptionRate:
    """``redeemed / (redeemed + expired)`` over points whose fate is settled.

    The caller passes the points of *closed-out* batches only (batches whose expiry date
    has passed: every point of them was either redeemed or expired). With no such points
    (a young programme, or none ever expired nor redeemed) the rate is ``default``.
    Negative inputs (more reversals than redemptions) count as zero.
    """
    _whole_number(redeemed, "redeemed")
    _whole_number(expired, "expired")
    if not 0 <= default <= 1:
        raise ValueError("the default redemption rate is a share between 0 and 1")
    redeemed, expired = max(0, redeemed), max(0, expired)
    if redeemed + expired == 0:
        return RedemptionRate(Fraction(default), False, 0, 0)
    return RedemptionRate(Fraction(redeemed, redeemed + expired), True, redeemed, expired)


def breakage(expired: int, issued: int) -> Fraction | None:
    """Points that expired as a share of points issued (None when none were issued)."""
    return ratio(expired, issued)


def liability(points: int, rules: PointsRules, currency: str) -> int:
    """What ``points`` would cost if every one were redeemed, in minor units (rounded
    down, as a redemption at the counter is)."""
    _whole_number(points, "points")
    if points <= 0:
        return 0
    return points_value(points, rules, currency)


def expected_liability(points: int, rate: Fraction, rules: PointsRules, currency: str) -> int:
    """What ``points`` are expected to cost: their value at the redemption rate times the
    share expected to be redeemed, rounded half up to a minor unit."""
    _whole_number(points, "points")
    if points <= 0:
        return 0
    unit = 10 ** money.minor_digits(currency)
    exact = Fraction(points * unit, rules.redeem_points_per_unit) * Fraction(rate)
    return money.round_half_up(exact)


@dataclass(frozen=True)
class Costs:
    """What the programme gave away over a period, in minor units.

    Kept simple and on a cash basis: the discounts members got at the till (tier, coupon,
    points redeemed) and the stored-value bonus credited on top-ups. The liability of
    points not yet redeemed is reported beside it, not added to it.
    """

    tier_discounts: int = 0
    coupon_discounts: int = 0
    points_discounts: int = 0
    stored_value_bonus: int = 0

    @property
    def total(self) -> int:
        return (self.tier_discounts + self.coupon_discounts + self.points_discounts
                + self.stored_value_bonus)


def cost_share(costs: Costs, revenue: int) -> Fraction | None:
    """The programme's cost as a share of revenue (None when there was no revenue)."""
    return ratio(costs.total, revenue)


def compare_to_benchmark(share: Fraction | None) -> str:
    """'below', 'about' or 'above' the ~1% a typical programme costs; '' without revenue."""
    if share is None:
        return ""
    if share < BENCHMARK_COST_SHARE - BENCHMARK_TOLERANCE:
        return "below"
    if share > BENCHMARK_COST_SHARE + BENCHMARK_TOLERANCE:
        return "above"
    return "about"


def percent(value: Fraction | None, places: int = 1) -> Decimal | None:
    """A share as a percentage with ``places`` decimals, rounded half up (None stays None)."""
    if value is None:
        return None
    scaled = money.round_half_up(Fraction(value) * 100 * 10 ** places)
    return Decimal(scaled).scaleb(-places)


def percent_text(value: Fraction | None, places: int = 1) -> str:
    """'12.5%'; an em dash when there is nothing to divide by."""
    shown = percent(value, places)
    return "—" if shown is None else f"{shown:.{places}f}%"
