"""Programme economics: the pure arithmetic (terminal.loyalty.economics) and the monthly
figures read from the database, against sums worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from terminal.core.errors import InvalidInput
from terminal.core.rules import PointsRules, Programme
from terminal.db import models as m
from terminal.loyalty import economics as rules
from terminal.loyalty.pricing import Tenders
from terminal.services import economics, nightly, refunds
from terminal.services.context import Context
from terminal.services.refunds import RefundRequest
from tests.helpers import factory

# --- the arithmetic ---------------------------------------------------------------------


def test_ratio_of_nothing_is_none():
    assert rules.ratio(1, 4) == Fraction(1, 4)
    assert rules.ratio(5, 0) is None and rules.ratio(5, -3) is None
    with pytest.raises(TypeError):
        rules.ratio(1.5, 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        rules.ratio(True, 3)


def test_expected_redemption_rate_learned_or_default():
    learned = rules.expected_redemption_rate(300, 700)
    assert learned == rules.RedemptionRate(Fraction(3, 10), True, 300, 700)
    none = rules.expected_redemption_rate(0, 0)
    assert none.rate == rules.DEFAULT_REDEMPTION_RATE == Fraction(1, 2)
    assert not none.learned
    assert rules.expected_redemption_rate(0, 0, default=Fraction(3, 10)).rate == Fraction(3, 10)
    assert rules.expected_redemption_rate(50, 0).rate == 1
    assert rules.expected_redemption_rate(0, 80).rate == 0
    assert rules.expected_redemption_rate(-5, 10).rate == 0  # more given back than taken
    with pytest.raises(ValueError):
        rules.expected_redemption_rate(1, 1, default=Fraction(3, 2))


def test_breakage():
    assert rules.breakage(30, 120) == Fraction(1, 4)
    assert rules.breakage(30, 0) is None


def test_liability_at_the_redemption_rate_rounds_down():
    per_100 = PointsRules(redeem_points_per_unit=100)
    assert rules.liability(12_345, per_100, "CNY") == 12_345
    assert rules.liability(12_345, PointsRules(redeem_points_per_unit=150), "CNY") == 8230
    assert rules.liability(199, PointsRules(redeem_points_per_unit=100), "JPY") == 1
    assert rules.liability(0, per_100, "CNY") == rules.liability(-5, per_100, "CNY") == 0


def test_expected_liability_rounds_half_up():
    per_100 = PointsRules(redeem_points_per_unit=100)
    assert rules.expected_liability(1000, Fraction(1, 2), per_100, "CNY") == 500
    # 39 points x 100/172 = 22.67 -> 23; 15 x 1/2 = 7.5 -> 8; 13 x 1/2 = 6.5 -> 7
    assert rules.expected_liability(39, Fraction(100, 172), per_100, "CNY") == 23
    assert rules.expected_liability(15, Fraction(1, 2), per_100, "CNY") == 8
    assert rules.expected_liability(13, Fraction(1, 2), per_100, "CNY") == 7
    # 150 points a yuan: 100 points are 66.67 fen, half of it 33.33 -> 33
    assert rules.expected_liability(100, Fraction(1, 2), PointsRules(redeem_points_per_unit=150),
                                    "CNY") == 33
    assert rules.expected_liability(0, Fraction(1, 2), per_100, "CNY") == 0


def test_costs_and_their_share_of_revenue():
    costs = rules.Costs(tier_discounts=100, coupon_discounts=200, points_discounts=300,
                        stored_value_bonus=400)
    assert costs.total == 1000
    assert rules.cost_share(costs, 100_000) == Fraction(1, 100)
    assert rules.cost_share(costs, 0) is None
    assert rules.cost_share(rules.Costs(), 0) is None


def test_compare_to_the_one_percent_benchmark():
    assert rules.compare_to_benchmark(None) == ""
    assert rules.compare_to_benchmark(Fraction(1, 100)) == "about"
    assert rules.compare_to_benchmark(Fraction(125, 10_000)) == "about"  # 1.25%: the edge
    assert rules.compare_to_benchmark(Fraction(126, 10_000)) == "above"
    assert rules.compare_to_benchmark(Fraction(74, 10_000)) == "below"
    assert rules.compare_to_benchmark(Fraction(5, 100)) == "above"


def test_percent_rounds_half_up():
    assert rules.percent(Fraction(1, 8), 1) == Decimal("12.5")
    assert rules.percent(Fraction(1, 8), 0) == Decimal("13")
    assert rules.percent(Fraction(1, 3), 2) == Decimal("33.33")
    assert rules.percent(Fraction(2, 3), 1) == Decimal("66.7")
    assert rules.percent(Fraction(1, 2000), 2) == Decimal("0.05")
    assert rules.percent(None) is None
    assert rules.percent_text(Fraction(2330, 19870)) == "11.7%"
    assert rules.percent_text(None) == "—"


# --- the report -------------------------------------------------------------------------


@pytest.fixture
def short_lived(ctx: Context) -> Context:
    """Points that expire after one month, so batches close out within the test."""
    programme = replace(ctx.settings.programme, points=PointsRules(expiry_months=1))
    assert isinstance(programme, Programme)
    return replace(ctx, settings=replace(ctx.settings, programme=programme))


def at(clock, *args: int) -> None:
    clock.now = datetime(*args)


@pytest.fixture
def history(short_lived, clock, catalogue):
    """Three months of one member, points lasting a month (they expire at the start of the
    day after the same day next month):

    10 Jan  S1 latte 2,800 cash: batch 1, 28 points (expires 11 Feb)
    20 Jan  top-up 10,000, bonus 2,000; S2 4 cakes 12,800: batch 2, 128 points
            (expires 21 Feb), a NEXTVISIT coupon (5% off)
     5 Feb  S3 tea 1,800 - coupon 90 - 100 points (1.00) = 1,610 cash: batch 3, 16 points
            (expires 6 Mar); the 100 points come from batch 1 (28) and batch 2 (72)
     1 Mar  the expiry job writes off batch 2's 56 points
     8 Mar  A is gold (5% off, points x1.5): S4 latte 2,800 - 140 = 2,660 cash, 39 points
    10 Mar  the report; batch 3 has expired but is not written off yet
    """
    ctx = short_lived
    at(clock, 2026, 1, 10, 10)
    a = factory.member(ctx, "A")
    assert factory.sale(ctx, [("LATTE", 1)], member_id=a.id, cash=2800).member.points_earned == 28
    at(clock, 2026, 1, 20, 10)
    factory.top_up(ctx, a.id, 10_000)
    s2 = factory.sale(ctx, [("CAKE", 4)], member_id=a.id, cash=12_800)
    assert s2.member.points_earned == 128 and len(s2.coupons) == 1
    at(clock, 2026, 2, 5, 10)
    s3 = factory.sale(ctx, [("TEA", 1)], member_id=a.id, coupon_code=s2.coupons[0].code,
                      points=100, cash=1610)
    assert (s3.total, s3.member.points_earned) == (1610, 16)
    at(clock, 2026, 3, 1, 3)
    assert nightly.expire_points(ctx).points == 56
    at(clock, 2026, 3, 8, 10)
    m.Member.update(tier="gold").where(m.Member.id == a.id).execute()
    s4 = factory.sale(ctx, [("LATTE", 1)], member_id=a.id, cash=2660)
    assert (s4.total, s4.member.points_earned) == (2660, 39)
    at(clock, 2026, 3, 10, 18)
    return ctx


def test_months_against_sums_worked_out_by_hand(history):
    rep = economics.report(history, months=3)
    assert (rep.start, rep.end) == (date(2026, 1, 1), date(2026, 3, 10))
    jan, feb, mar = rep.months
    assert jan == economics.Month(date(2026, 1, 1), revenue=2800 + 12_800, points_issued=156,
                                  points_redeemed=0, points_expired=0, tier_discounts=0,
                                  coupon_discounts=0, points_discounts=0,
                                  stored_value_bonus=2000)
    assert feb == economics.Month(date(2026, 2, 1), revenue=1610, points_issued=16,
                                  points_redeemed=100, points_expired=0, tier_discounts=0,
                                  coupon_discounts=90, points_discounts=100,
                                  stored_value_bonus=0)
    assert mar == economics.Month(date(2026, 3, 1), revenue=2660, points_issued=39,
                                  points_redeemed=0, points_expired=56, tier_discounts=140,
                                  coupon_discounts=0, points_discounts=0,
                                  stored_value_bonus=0)
    assert rep.total.revenue == 19_870 and rep.cost == 140 + 90 + 100 + 2000
    assert rep.cost_share == Fraction(2330, 19_870)
    assert rep.verdict == "above"
    assert rep.breakage == Fraction(56, 156 + 16 + 39)


def test_liability_and_the_rate_learned_from_closed_out_batches(history):
    rep = economics.report(history, months=3)
    assert rep.live_points == 39  # only S4's batch is still alive
    assert rep.liability == 39  # 100 points = 1.00: a point is a fen
    # batch 1: 28 redeemed; batch 2: 72 redeemed, 56 expired; batch 3: 16 overdue
    assert (rep.closed_redeemed, rep.closed_expired) == (100, 72)
    assert rep.redemption == rules.RedemptionRate(Fraction(100, 172), True, 100, 72)
    assert rep.expected_liability == 23  # 39 x 100/172 = 22.67


def test_a_young_programme_falls_back_to_the_default_rate(ctx, clock, catalogue):
    a = factory.member(ctx, "A")
    factory.sale(ctx, [("CAKE", 4)], member_id=a.id, cash=12_800)
    factory.sale(ctx, [("TEA", 1)], member_id=a.id, points=100, cash=1700)
    rep = economics.report(ctx, months=1)
    # the 100 points came from a batch that is used up, but has not expired: left out
    assert (rep.closed_redeemed, rep.closed_expired) == (0, 0)
    assert not rep.redemption.learned
    assert rep.redemption.rate == rules.DEFAULT_REDEMPTION_RATE
    assert rep.live_points == 128 - 100 + 17
    assert rep.expected_liability == 23  # 45 x 1/2 = 22.5 -> 23


def test_refunds_take_their_discounts_back(ctx, clock, catalogue):
    a = factory.member(ctx, "A")
    welcome = m.Coupon.get((m.Coupon.member == a.id) & (m.Coupon.template == "WELCOME"))
    sale = factory.sale(ctx, [("LATTE", 2)], member_id=a.id, coupon_code=welcome.code,
                        tenders=Tenders(cash=4600))
    factory.sale(ctx, [("CAKE", 1)], cash=3200)
    clock.advance(days=1)
    refunds.refund(ctx, RefundRequest(factory.key("refund"), sale.txn_id, factory.manager(ctx)))
    rep = economics.report(ctx, months=1)
    assert rep.total.revenue == 3200
    assert rep.total.coupon_discounts == 0
    assert rep.total.points_issued == 0  # 46 earned, 46 taken back


def test_no_revenue_no_share(ctx, clock):
    rep = economics.report(ctx)
    assert len(rep.months) == 12 and rep.months[-1].month == date(2026, 3, 1)
    assert rep.months[0].month == date(2025, 4, 1)
    assert rep.total.revenue == 0 and rep.cost_share is None and rep.verdict == ""
    assert rep.breakage is None and rep.live_points == rep.liability == 0


@pytest.mark.parametrize("months", [0, -1, 121, True])
def test_months_must_make_sense(ctx, months):
    with pytest.raises(InvalidInput):
        economics.report(ctx, months)


def test_month_starts_cross_the_year():
    assert economics.month_starts(date(2026, 2, 28), 3) == [
        date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
