"""End-of-day reports: figures against sums worked out by hand, shifts, terminals, cashiers,
and closing a day for good."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time

import pytest

from terminal.core.errors import Conflict, InvalidInput, PermissionDenied
from terminal.db import models as m
from terminal.loyalty.pricing import Tenders
from terminal.services import accounts, audit, eod, members, refunds, staff
from terminal.services.context import Context
from terminal.services.printing import decode
from terminal.services.refunds import RefundRequest
from tests.helpers import factory

D0 = date(2026, 3, 9)
DAY = date(2026, 3, 10)


def at(clock, day: date, hh: int, mm: int = 0) -> None:
    clock.now = datetime.combine(day, time(hh, mm))


def at_terminal(ctx: Context, terminal: str) -> Context:
    store = replace(ctx.settings.store, terminal_id=terminal)
    return replace(ctx, settings=replace(ctx.settings, store=store))


def refund(ctx, txn_id, approver, void=False):
    return refunds.refund(ctx, RefundRequest(factory.key("refund"), txn_id, approver,
                                             void=void))


@pytest.fixture
def day(ctx, clock, catalogue):
    """A day of two cashiers on two terminals, every figure of it worked out by hand below.

    9 March, T01, cashier Li: member B enrols and buys a cake (3200 cash, 32 points).
    10 March:
      10:00 T01 Li: member A enrols (a WELCOME coupon: 10 off 50)
      10:05 T01 Li: A tops up 10,000 cash, bonus 2,000
      10:10 T01 Li: S1 A 2 lattes 5,600 - WELCOME 1,000 = 4,600 paid by stored value, 46 pts
      11:00 T02 Chen: S2 anonymous cake + tea 5,000 by card
      11:30 T02 Chen: S3 anonymous latte 2,800 cash (5,000 given, 2,200 change)
      12:00 T02 Chen: S3 voided (manager), 2,800 cash back
      13:00 T01 Li: yesterday's cake sale to B refunded: 3,200 cash back, 32 points back
      14:00 T01 Li: S4 A buys a 10-visit card 25,000 cash, 250 pts, a NEXTVISIT coupon
      14:30 T01 Li: A uses one visit of the card
      15:00 T02 Chen: S5 A tea 1,800 - 100 points (1.00) = 1,700 cash, 17 points
    """
    at(clock, D0, 9)
    manager = factory.manager(ctx)
    owner = str(m.Staff.get(m.Staff.role == "owner").id)
    li = str(staff.create(ctx, "Cashier Li 李", "cashier", "1111", approved_by=owner).id)
    chen = str(staff.create(ctx, "Cashier Chen 陈", "cashier", "2222", approved_by=owner).id)
    t1 = ctx.as_staff(li)
    t2 = at_terminal(ctx, "T02").as_staff(chen)

    at(clock, D0, 12)
    b = factory.member(t1, "Member B")
    s0 = factory.sale(t1, [("CAKE", 1)], member_id=b.id, cash=3200)

    at(clock, DAY, 10)
    a = factory.member(t1, "Member A 甲")
    at(clock, DAY, 10, 5)
    factory.top_up(t1, a.id, 10_000)
    at(clock, DAY, 10, 10)
    welcome = m.Coupon.get((m.Coupon.member == a.id) & (m.Coupon.template == "WELCOME"))
    s1 = factory.sale(t1, [("LATTE", 2)], member_id=a.id, coupon_code=welcome.code,
                      tenders=Tenders(stored_value=4600))
    assert (s1.total, s1.member.points_earned) == (4600, 46)
    at(clock, DAY, 11)
    s2 = factory.sale(t2, [("CAKE", 1), ("TEA", 1)], tenders=Tenders(card=5000))
    at(clock, DAY, 11, 30)
    s3 = factory.sale(t2, [("LATTE", 1)], cash=5000)
    assert s3.change == 2200
    at(clock, DAY, 12)
    refund(t2, s3.txn_id, manager, void=True)
    at(clock, DAY, 13)
    back = refund(t1, s0.txn_id, manager)
    assert back.total == -3200
    at(clock, DAY, 14)
    s4 = factory.sale(t1, [("CARD10", 1)], member_id=a.id, cash=25_000)
    assert s4.member.points_earned == 250 and len(s4.coupons) == 1
    at(clock, DAY, 14, 30)
    card = members.view(t1, a.id).punch_cards[0]
    accounts.use_punch(t1, factory.key("visit"), a.id, card.id)
    at(clock, DAY, 15)
    s5 = factory.sale(t2, [("TEA", 1)], member_id=a.id, points=100, cash=1700)
    assert (s5.total, s5.member.points_earned) == (1700, 17)
    at(clock, DAY, 18)
    return {"manager": manager, "li": li, "chen": chen, "t1": t1, "t2": t2, "a": a, "b": b,
            "s1": s1, "s2": s2}


def test_a_day_adds_up_to_the_sums_worked_out_by_hand(ctx, day):
    rep = eod.report(ctx, DAY)
    assert rep.period == eod.Period(DAY, datetime(2026, 3, 10), datetime(2026, 3, 11))
    assert rep.sales == eod.Sales(count=5, gross=4600 + 5000 + 2800 + 25_000 + 1700,
                                  revenue=39_100 - 3200 - 2800)
    assert rep.returns == eod.Returns(refunds=1, refunded=3200, voids=1, voided=2800)
    assert rep.net_sales == 4
    assert rep.discounts == eod.Discounts(line=0, tier=0, coupon=1000, points=100)
    assert rep.discounts.total == 1100
    # cash kept: S3 2,800 + S4 25,000 + S5 1,700 - void 2,800 - refund 3,200
    assert rep.tenders == eod.Tenders(cash=23_500, card=5000, other=0, stored_value=4600)
    assert rep.tenders.total == rep.sales.revenue == 33_100
    assert rep.takings == eod.Tenders(cash=23_500 + 10_000, card=5000, other=0)
    # A's three sales, less the refund of B's sale of yesterday
    assert rep.members == eod.MemberSales(sales=3, revenue=4600 + 25_000 + 1700 - 3200)
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
    assert rep.coupons == eod.Coupons(issued=2, redeemed=1)  # WELCOME of A, NEXTVISIT of S4
    assert rep.punch == eod.Punch(visits=1, cards_sold=1)
    assert rep.closing is None and not rep.closed


def test_per_cashier_and_per_terminal(ctx, day):
    rep = eod.report(ctx, DAY)
    li, chen = day["li"], day["chen"]
    assert rep.cashiers == (
        eod.CashierLine(li, "Cashier Li 李", sales=2, revenue=4600 + 25_000 - 3200,
                        refunds=1, refunded=3200),
        eod.CashierLine(chen, "Cashier Chen 陈", sales=3, revenue=5000 + 2800 + 1700 - 2800,
                        refunds=1, refunded=2800))
    assert rep.terminals == (
        eod.TerminalLine("T01", sales=2, revenue=26_400, refunds=1, refunded=3200,
                         cash=10_000 + 25_000 - 3200),
        eod.TerminalLine("T02", sales=3, revenue=6700, refunds=1, refunded=2800,
                         cash=2800 + 1700 - 2800))
    assert sum(c.revenue for c in rep.cashiers) == rep.sales.revenue


def test_one_terminal(ctx, day):
    rep = eod.report(ctx, DAY, terminal="T02")
    assert rep.period.terminal == "T02"
    assert rep.sales == eod.Sales(3, 5000 + 2800 + 1700, 6700)
    assert rep.returns == eod.Returns(0, 0, 1, 2800)
    assert rep.new_members == 0 and rep.coupons == eod.Coupons(0, 0)
    assert (rep.points.issued, rep.points.redeemed) == (17, 100)
    assert rep.stored_value.topped_up == 0
    assert [c.staff_id for c in rep.cashiers] == [day["chen"]]
    assert eod.report(ctx, DAY, terminal="T09").sales == eod.Sales(0, 0, 0)


def test_a_shift_of_one_cashier(ctx, day):
    shift = eod.Shift(time(11), time(12, 30), day["chen"])
    rep = eod.report(ctx, DAY, shift=shift)
    assert rep.period.shift and rep.period.staff_name == "Cashier Chen 陈"
    assert (rep.period.start, rep.period.end) == (datetime(2026, 3, 10, 11),
                                                  datetime(2026, 3, 10, 12, 30))
    assert rep.sales == eod.Sales(2, 7800, 5000)  # S2, S3 and its void; not S5 at 15:00
    assert rep.returns.voids == 1
    assert rep.points.issued == 0
    morning = eod.report(ctx, DAY, shift=eod.Shift(time(0), time(11)))
    assert morning.sales.count == 1 and morning.stored_value.topped_up == 10_000
    assert morning.stored_value.outstanding_at == datetime(2026, 3, 10, 11)
    assert morning.stored_value.outstanding == 10_000 + 2000 - 4600
    with pytest.raises(InvalidInput, match="end after it starts"):
        eod.Shift(time(12), time(11))


def test_a_late_refund_lands_on_the_day_it_is_made(ctx, day, clock):
    at(clock, date(2026, 3, 12), 9)
    refund(day["t1"], day["s2"].txn_id, day["manager"])
    assert eod.report(ctx, DAY).sales.revenue == 33_100
    later = eod.report(ctx, date(2026, 3, 12))
    assert later.sales == eod.Sales(0, 0, -5000)
    assert later.returns == eod.Returns(1, 5000, 0, 0)
    assert later.tenders.card == -5000


def test_outstanding_stored_value_is_as_of_the_end_of_the_day(ctx, day, clock):
    at(clock, date(2026, 3, 11), 9)
    factory.top_up(day["t1"], day["a"].id, 500)
    rep = eod.report(ctx, DAY)
    assert rep.stored_value.outstanding == 7400
    assert rep.stored_value.outstanding_at == datetime(2026, 3, 11)
    assert eod.report(ctx, date(2026, 3, 11)).stored_value.outstanding == 7900


def test_an_empty_day(ctx, clock):
    rep = eod.report(ctx, date(2026, 1, 1))
    assert rep.sales == eod.Sales(0, 0, 0) and rep.cashiers == () and rep.terminals == ()
    assert rep.member_sales_share is None and rep.member_revenue_share is None
    with pytest.raises(InvalidInput):
        eod.report(ctx, datetime(2026, 1, 1))  # type: ignore[arg-type]


def test_closing_keeps_the_figures_for_good(ctx, day, clock):
    at(clock, DAY, 22)
    live = eod.report(ctx, DAY)
    closed = eod.close_day(ctx, DAY, day["manager"])
    assert closed.closing == eod.Closing(datetime(2026, 3, 10, 22), day["manager"],
                                         "Manager Wang 王", "T01", audit.current_head())
    # the same figures as just before (only the generation time and the stamp differ)
    assert replace(closed, closing=None, generated_at=live.generated_at) == live
    row = m.DayClose.get()
    assert (row.store_id, row.business_date, row.closed_by) == ("S001", DAY, day["manager"])
    assert decode(eod.EodReport, row.figures) == closed
    assert eod.report(ctx, DAY) == closed

    # late: a refund of that day's sale on the next day, a sale on the closed date itself
    at(clock, DAY, 22, 30)
    factory.sale(day["t1"], [("TEA", 1)], cash=1800)
    at(clock, date(2026, 3, 11), 10)
    refund(day["t1"], day["s1"].txn_id, day["manager"])
    factory.top_up(day["t1"], day["a"].id, 1000)
    again = eod.report(ctx, DAY)
    assert replace(again, recorded_after_close=0) == closed
    assert again.recorded_after_close == 1
    assert eod.compute(ctx, DAY).sales.count == 6  # the rows did change
    today = eod.report(ctx, date(2026, 3, 11))
    assert today.returns == eod.Returns(1, 4600, 0, 0)
    assert today.sales.revenue == -4600 and today.tenders.stored_value == -4600
    assert today.closing is None
    # a terminal's report of the closed day is added up, and says the day is closed
    sliced = eod.report(ctx, DAY, terminal="T01")
    assert sliced.closing == closed.closing and sliced.sales.count == 3


def test_closing_is_audited(ctx, day, clock):
    at(clock, date(2026, 3, 11), 8)
    rep = eod.close_day(ctx, DAY, day["manager"])
    entry = m.AuditEntry.get(m.AuditEntry.action == "close_day")
    assert (entry.subject, entry.approved_by) == ("2026-03-10", day["manager"])
    after = json.loads(entry.after)
    assert after["revenue"] == 33_100 and after["sales"] == 5
    assert after["stored_value_outstanding"] == rep.stored_value.outstanding == 7400
    assert audit.verify() == []


def test_a_day_is_closed_once_and_never_before_it_begins(ctx, day, clock):
    eod.close_day(ctx, DAY, day["manager"])
    with pytest.raises(Conflict, match="2026-03-10 was closed already"):
        eod.close_day(ctx, DAY, day["manager"])
    with pytest.raises(InvalidInput, match="has not begun"):
        eod.close_day(ctx, date(2026, 3, 11), day["manager"])
    assert m.DayClose.select().count() == 1
    assert m.AuditEntry.select().where(m.AuditEntry.action == "close_day").count() == 1


def test_closing_needs_a_manager(ctx, day):
    for nobody in (None, day["li"], "not-a-staff-id"):
        with pytest.raises(PermissionDenied, match="closing the day needs a manager"):
            eod.close_day(ctx, DAY, nobody)
    assert m.DayClose.select().count() == 0
    assert eod.closing(ctx, DAY) is None


def test_days_are_closed_per_store(ctx, day):
    other = replace(ctx, settings=replace(ctx.settings, store=replace(
        ctx.settings.store, store_id="S002")))
    eod.close_day(ctx, DAY, day["manager"])
    rep = eod.close_day(other, DAY, day["manager"])
    assert rep.sales.count == 0 and rep.store_id == "S002"
    assert eod.report(ctx, DAY).sales.count == 5
