"""The day the end-of-day tests add up by hand: two cashiers on two terminals."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

import pytest

from terminal.db import models as m
from terminal.loyalty.pricing import Tenders
from terminal.services import accounts, members, refunds, staff
from terminal.services.context import Context
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
def eod_day(ctx, clock, catalogue):
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

