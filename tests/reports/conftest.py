"""A small recorded day for the report renderers and the command line."""

from __future__ import annotations

import os
from datetime import date, datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # as the counter window tests do

from terminal.db import models as m
from terminal.loyalty.pricing import Tenders
from terminal.services import eod, eod_figures, refunds, staff
from terminal.services.context import Context
from terminal.services.refunds import RefundRequest
from tests.helpers import factory

DAY = date(2026, 3, 10)


@pytest.fixture
def recorded_day(ctx: Context, clock, catalogue) -> dict[str, object]:
    """10 March: cashier 李 sells to member 王小明 (a latte, 2,800 by card, 28 points) and
    to a passer-by (a cake, 3,200 cash); the cake is refunded; A tops up 10,000."""
    manager = factory.manager(ctx)
    owner = str(m.Staff.get(m.Staff.role == "owner").id)
    li = str(staff.create(ctx, "Cashier Li 李", "cashier", "1111", approved_by=owner).id)
    t1 = ctx.as_staff(li)
    clock.now = datetime(2026, 3, 10, 9)
    a = factory.member(t1, "王小明")
    factory.sale(t1, [("LATTE", 1)], member_id=a.id, tenders=Tenders(card=2800))
    cake = factory.sale(t1, [("CAKE", 1)], cash=3200)
    factory.top_up(t1, a.id, 10_000)
    clock.now = datetime(2026, 3, 10, 11)
    refunds.refund(t1, RefundRequest(factory.key("refund"), cake.txn_id, manager))
    clock.now = datetime(2026, 3, 10, 20)
    return {"manager": manager, "li": li, "member": a}


@pytest.fixture
def eod_report(ctx: Context, recorded_day) -> eod_figures.EodReport:
    return eod.report(ctx, DAY)
