"""End-of-day figures against sums worked out by hand: a day, its cashiers and terminals, one
terminal, a shift, late refunds, stored value outstanding, an empty day."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from terminal.core.errors import InvalidInput
from terminal.services import eod_figures
from tests.helpers import factory
from tests.helpers.eod_day import DAY, at, refund


def test_a_day_adds_up_to_the_sums_worked_out_by_hand(ctx, eod_day):
    rep = eod_figures.compute(ctx, DAY)
    assert rep.period == eod_figures.Period(DAY, datetime(2026, 3, 10), datetime(2026, 3, 11))
    assert rep.sales == eod_figures.Sales(count=5, gross=4600 + 5000 + 2800 + 25_000 + 1700,
                                  revenue=39_100 - 3200 - 2800)
    assert rep.returns == eod_figures.Returns(refunds=1, refunded=3200, voids=1, voided=2800)
    assert rep.net_sales == 4
    assert rep.discounts == eod_figures.Discounts(line=0, tier=0, coupon=1000, points=100)
    assert rep.discounts.total == 1100
    # cash kept: S3 2,800 + S4 25,000 + S5 1,700 - void 2,800 - refund 3,200
    assert rep.tenders == eod_figures.Tenders(cash=23_500, card=5000, other=0, stored_value=4600)
    assert rep.tenders.total == rep.sales.revenue == 33_100
    assert rep.takings == eod_figures.Tenders(cash=23_500 + 10_000, card=5000, other=0)
    # A's three sales, less the refund of B's sale of yesterday
    assert rep.members == eod_figures.MemberSales(sales=3, revenue=4600 + 25_000 + 1700 - 3200)
    assert rep.member_sales_share == pytest.approx(3 / 5)
    assert rep.new_members == 1
    assert rep.points.issued == 46 + 250 + 17
    assert (rep.points.redeemed, rep.points.expired) == (100, 0)
    assert (rep.points.restored, rep.points.clawed_back, rep.points.adjusted_out) == (0, 32, 0)
    assert rep.points.net == 313 - 100 - 32
    assert {(k.kind, k.entries, k.points) for k in rep.points.by_kind} == {
        ("earn", 3, 313), ("redeem", 1, -100), ("refund_earn", 1, -32)}
    sv = rep.stored_value
    assert (sv.topped_up, sv.bonus_given, sv.spent) == (10_000, 2000, 4600)
    assert (sv.refunded, sv.reversed, sv.cashed_out, sv.other) == (0, 0, 0, 0)
    assert (sv.outstanding, sv.outstanding_at) == (12_000 - 4600, datetime(2026, 3, 10, 18))
    assert rep.coupons == eod_figures.Coupons(issued=2, redeemed=1)  # WELCOME of A, NEXTVISIT of S4
    assert rep.punch == eod_figures.Punch(visits=1, cards_sold=1)
    assert rep.closing is None and not rep.closed


def test_per_cashier_and_per_terminal(ctx, eod_day):
    rep = eod_figures.compute(ctx, DAY)
    li, chen = eod_day["li"], eod_day["chen"]
    assert rep.cashiers == (
        eod_figures.CashierLine(li, "Cashier Li 李", sales=2, revenue=4600 + 25_000 - 3200,
                        refunds=1, refunded=3200),
        eod_figures.CashierLine(chen, "Cashier Chen 陈", sales=3, revenue=5000 + 2800 + 1700 - 2800,
                        refunds=1, refunded=2800))
    assert rep.terminals == (
        eod_figures.TerminalLine("T01", sales=2, revenue=26_400, refunds=1, refunded=3200,
                         cash=10_000 + 25_000 - 3200),
        eod_figures.TerminalLine("T02", sales=3, revenue=6700, refunds=1, refunded=2800,
                         cash=2800 + 1700 - 2800))
    assert sum(c.revenue for c in rep.cashiers) == rep.sales.revenue


def test_one_terminal(ctx, eod_day):
    rep = eod_figures.compute(ctx, DAY, terminal="T02")
    assert rep.period.terminal == "T02"
    assert rep.sales == eod_figures.Sales(3, 5000 + 2800 + 1700, 6700)
    assert rep.returns == eod_figures.Returns(0, 0, 1, 2800)
    assert rep.new_members == 0 and rep.coupons == eod_figures.Coupons(0, 0)
    assert (rep.points.issued, rep.points.redeemed) == (17, 100)
    assert rep.stored_value.topped_up == 0
    assert [c.staff_id for c in rep.cashiers] == [eod_day["chen"]]
    assert eod_figures.compute(ctx, DAY, terminal="T09").sales == eod_figures.Sales(0, 0, 0)


def test_a_shift_of_one_cashier(ctx, eod_day):
    shift = eod_figures.Shift(time(11), time(12, 30), eod_day["chen"])
    rep = eod_figures.compute(ctx, DAY, shift=shift)
    assert rep.period.shift and rep.period.staff_name == "Cashier Chen 陈"
    assert (rep.period.start, rep.period.end) == (datetime(2026, 3, 10, 11),
                                                  datetime(2026, 3, 10, 12, 30))
    assert rep.sales == eod_figures.Sales(2, 7800, 5000)  # S2, S3 and its void; not S5 at 15:00
    assert rep.returns.voids == 1
    assert rep.points.issued == 0
    morning = eod_figures.compute(ctx, DAY, shift=eod_figures.Shift(time(0), time(11)))
    assert morning.sales.count == 1 and morning.stored_value.topped_up == 10_000
    assert morning.stored_value.outstanding_at == datetime(2026, 3, 10, 11)
    assert morning.stored_value.outstanding == 10_000 + 2000 - 4600
    with pytest.raises(InvalidInput, match="end after it starts"):
        eod_figures.Shift(time(12), time(11))


def test_a_late_refund_lands_on_the_day_it_is_made(ctx, eod_day, clock):
    at(clock, date(2026, 3, 12), 9)
    refund(eod_day["t1"], eod_day["s2"].txn_id, eod_day["manager"])
    assert eod_figures.compute(ctx, DAY).sales.revenue == 33_100
    later = eod_figures.compute(ctx, date(2026, 3, 12))
    assert later.sales == eod_figures.Sales(0, 0, -5000)
    assert later.returns == eod_figures.Returns(1, 5000, 0, 0)
    assert later.tenders.card == -5000


def test_outstanding_stored_value_is_as_of_the_end_of_the_day(ctx, eod_day, clock):
    at(clock, date(2026, 3, 11), 9)
    factory.top_up(eod_day["t1"], eod_day["a"].id, 500)
    rep = eod_figures.compute(ctx, DAY)
    assert rep.stored_value.outstanding == 7400
    assert rep.stored_value.outstanding_at == datetime(2026, 3, 11)
    assert eod_figures.compute(ctx, date(2026, 3, 11)).stored_value.outstanding == 7900


def test_an_empty_day(ctx, clock):
    rep = eod_figures.compute(ctx, date(2026, 1, 1))
    assert rep.sales == eod_figures.Sales(0, 0, 0) and rep.cashiers == () and rep.terminals == ()
    assert rep.member_sales_share is None and rep.member_revenue_share is None
    with pytest.raises(InvalidInput):
        eod_figures.compute(ctx, datetime(2026, 1, 1))  # type: ignore[arg-type]

