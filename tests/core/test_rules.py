"""terminal.core.rules: the programme's rules refuse values that make no sense."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.core.rules import (
    DEFAULT_TIERS,
    PointsRules,
    Programme,
    StoredValueRules,
    Tier,
    TierRules,
    TopUpBonus,
)


def test_defaults_are_valid() -> None:
    p = Programme()
    assert p.currency == "CNY"
    assert [t.code for t in p.tiers.tiers] == ["standard", "silver", "gold", "platinum"]
    assert p.points.redeem_points_per_unit == 100
    assert p.referral.referrer_points == 500


def test_tiers_sorted_by_threshold() -> None:
    rules = TierRules(tuple(reversed(DEFAULT_TIERS)))
    assert [t.threshold for t in rules.tiers] == [0, 200_000, 500_000, 1_500_000]
    assert rules.base.code == "standard"


@pytest.mark.parametrize(("tiers", "kw", "message"), [
    ((), {}, "at least one tier is needed"),
    ((Tier("a", "A", 100),), {}, "the lowest tier must have threshold 0"),
    ((Tier("a", "A", -1), Tier("b", "B", 0)), {}, "threshold of tier a must be a whole number"),
    ((Tier("a", "A", 0), Tier("a", "B", 10)), {}, "two tiers have the code a: each needs its own"),
    ((Tier("a", "A", 0), Tier("b", "B", 0)), {}, "tiers a and b have the same threshold"),
    ((Tier("a", "A", 0), Tier("b", "B", 10.5)), {},  # type: ignore[arg-type]
     "threshold of tier b must be a whole number"),
    ((Tier("a", "A", 0, Decimal(101)),), {}, "discount_percent of tier a must be at most 100"),
    ((Tier("a", "A", 0, Decimal(-1)),), {}, "discount_percent of tier a must not be negative"),
    ((Tier("a", "A", 0, 0.05),), {},  # type: ignore[arg-type]
     "discount_percent of tier a must be a whole or decimal number"),
    ((Tier("a", "A", 0, Decimal("NaN")),), {}, "discount_percent of tier a must be a whole"),
    ((Tier("a", "A", 0, Decimal(0), Decimal(-1)),), {},
     "points_multiplier of tier a must not be negative"),
    ((Tier("a", "A", 0, Decimal(0), 1.5),), {},  # type: ignore[arg-type]
     "points_multiplier of tier a must be a whole or decimal number"),
    (DEFAULT_TIERS, {"window_days": 0}, "window_days must be a whole number from 1 to 3660"),
    (DEFAULT_TIERS, {"hold_days": -1}, "hold_days must be a whole number from 0 to 3660"),
])
def test_bad_tier_rules(tiers: tuple[Tier, ...], kw: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TierRules(tiers, **kw)


def test_tier_rules_accept_int_percentages() -> None:
    rules = TierRules((Tier("a", "A", 0), Tier("b", "B", 1, 5, 2)))  # type: ignore[arg-type]
    assert rules.by_code("b").discount_percent == 5


@pytest.mark.parametrize(("kw", "message"), [
    ({"redeem_points_per_unit": 0}, "redeem_points_per_unit must be a whole number from 1 "
                                    "to 1000000"),
    ({"redeem_points_per_unit": 1.5}, "redeem_points_per_unit must be a whole number"),
    ({"redeem_points_per_unit": True}, "redeem_points_per_unit must be a whole number"),
    ({"redeem_min_points": -1}, "redeem_min_points must be a whole number from 0 to"),
    ({"redeem_max_share_percent": Decimal(101)}, "redeem_max_share_percent must be at most 100"),
    ({"redeem_max_share_percent": Decimal(-1)}, "redeem_max_share_percent must not be"),
    ({"redeem_max_share_percent": 50.0}, "redeem_max_share_percent must be a whole or decimal"),
    ({"earn_per_unit": Decimal(-1)}, "earn_per_unit must not be negative"),
    ({"earn_per_unit": 0.5}, "earn_per_unit must be a whole or decimal number"),
    ({"earn_per_unit": Decimal("Infinity")}, "earn_per_unit must be a whole or decimal"),
    ({"member_day_multiplier": Decimal(-2)}, "member_day_multiplier must not be negative"),
    ({"birthday_multiplier": 2.0}, "birthday_multiplier must be a whole or decimal number"),
    ({"category_multipliers": {"drinks": Decimal(-1)}},
     "the multiplier of category drinks must not be negative"),
    ({"category_multipliers": {"drinks": 1.5}},
     "the multiplier of category drinks must be a whole"),
    ({"birthday_window": "year"}, "birthday_window must be day, week or month"),
    ({"member_days": (7,)}, "member_days are weekdays 0"),
    ({"member_days": (-1,)}, "member_days are weekdays 0"),
    ({"member_days": (True,)}, "member_days are weekdays 0"),
    ({"expiry_months": 0}, "expiry_months must be a whole number from 1 to 1200"),
])
def test_bad_points_rules(kw: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PointsRules(**kw)  # type: ignore[arg-type]


def test_points_rules_edges_accepted() -> None:
    rules = PointsRules(redeem_points_per_unit=1, redeem_min_points=0,
                        redeem_max_share_percent=Decimal(0), earn_per_unit=Decimal(0),
                        member_days=(0, 6), expiry_months=1)
    assert rules.member_days == (0, 6)
    assert PointsRules(redeem_max_share_percent=Decimal(100)).redeem_max_share_percent == 100


@pytest.mark.parametrize(("kw", "message"), [
    ({"min_top_up": -1}, "min_top_up must be a whole number"),
    ({"min_top_up": 1.0}, "min_top_up must be a whole number"),
    ({"max_balance": -1}, "max_balance must be a whole number"),
    ({"bonuses": (TopUpBonus(10_000, -1),)}, "bonus of top-up bonus 1 must be a whole number"),
    ({"bonuses": (TopUpBonus(100.0, 20),)},  # type: ignore[arg-type]
     "min_paid of top-up bonus 1 must be a whole number"),
])
def test_bad_stored_value_rules(kw: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        StoredValueRules(**kw)  # type: ignore[arg-type]


def test_a_refusal_names_its_key_and_is_said_in_the_readers_language() -> None:
    from terminal.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as info:
        TierRules((Tier("a", "A", 0, Decimal(-5)),))
    assert info.value.key == "discount_percent"  # type: ignore[attr-defined]
    assert str(info.value) == "discount_percent of tier a must not be negative (-5)"
    assert info.value.text("zh_CN") == "等级 a 的折扣百分比不能为负数（-5）"
    with pytest.raises(InvalidInput) as info:
        StoredValueRules(min_top_up=600_000)
    assert info.value.text("zh_CN") == "最低充值大于最高余额：任何充值都无法进行"
