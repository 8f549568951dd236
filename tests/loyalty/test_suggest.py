"""The panel's suggestion: expiring points first, then coupons, a tier in reach, points."""

from __future__ import annotations

from datetime import datetime

from terminal.loyalty.suggest import Suggestion, suggest

BASE = dict(expiring_points=0, expiring_on=None, coupons=0, spend_to_next_tier=50_000,
            next_tier_threshold=200_000, next_tier_name="Silver", points=50,
            points_value=50, min_redeem=100)


def test_in_order_of_what_matters() -> None:
    when = datetime(2026, 4, 1)
    assert suggest(**{**BASE, "expiring_points": 300, "expiring_on": when, "coupons": 2}) == \
        Suggestion("use_expiring_points", points=300, when=when)
    assert suggest(**{**BASE, "coupons": 2}) == Suggestion("use_coupon", count=2)
    assert suggest(**{**BASE, "spend_to_next_tier": 20_000}) == Suggestion(
        "tier_close", amount=20_000, name="Silver")  # exactly 10% away
    assert suggest(**{**BASE, "spend_to_next_tier": 20_001}) is None
    assert suggest(**{**BASE, "points": 100, "points_value": 100}) == Suggestion(
        "redeem_points", points=100, amount=100)
    assert suggest(**{**BASE, "next_tier_name": None, "spend_to_next_tier": 0}) is None
