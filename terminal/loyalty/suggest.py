"""The one thing worth saying to the member at the counter, from what the panel knows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

CLOSE_TO_TIER = 0.1  # within 10% of the next tier's threshold


@dataclass(frozen=True)
class Suggestion:
    kind: str  # use_expiring_points | use_coupon | tier_close | redeem_points
    points: int = 0
    amount: int = 0  # money, minor units
    count: int = 0
    name: str = ""
    when: datetime | None = None


def suggest(*, expiring_points: int, expiring_on: datetime | None, coupons: int,
            spend_to_next_tier: int, next_tier_threshold: int, next_tier_name: str | None,
            points: int, points_value: int, min_redeem: int) -> Suggestion | None:
    """In order: points about to expire, unused coupons, a tier within reach, points worth
    spending; None when there is nothing to say."""
    if expiring_points and expiring_on is not None:
        return Suggestion("use_expiring_points", points=expiring_points, when=expiring_on)
    if coupons:
        return Suggestion("use_coupon", count=coupons)
    if next_tier_name and 0 < spend_to_next_tier <= next_tier_threshold * CLOSE_TO_TIER:
        return Suggestion("tier_close", amount=spend_to_next_tier, name=next_tier_name)
    if points >= max(1, min_redeem):
        return Suggestion("redeem_points", points=points, amount=points_value)
    return None
