"""The end-of-day (Z) report carries the day's cash-drawer shifts, and keeps them at closing."""

from __future__ import annotations

import json
from datetime import time

from printers import paper
from terminal.db import models as m
from terminal.reports import text
from terminal.reports.document import eod_document
from terminal.services import eod, shifts, staff
from terminal.services.eod_figures import Shift, compute
from tests.helpers import factory


def test_the_z_report_lists_the_days_shifts(ctx, catalogue, clock):
    approver = factory.manager(ctx)
    owner = m.Staff.get(m.Staff.role == "owner")
    li = ctx.as_staff(str(staff.create(ctx, "Li 李", "cashier", "1357",
                                       approved_by=owner.id).id))
    shifts.open_shift(li, 10_000)
    factory.sale(li, [("LATTE", 1)], cash=2800)
    clock.advance(hours=4)
    shifts.close_shift(li, 12_700)  # 1.00 short
    clock.advance(minutes=30)  # 14:30
    shifts.open_shift(li, 5_000)  # still open at the end of the day
    day = clock.now.date()

    rep = compute(ctx, day)
    lines = [(s.name, s.terminal_id, s.opened_at.time(), s.expected, s.counted, s.over_short)
             for s in rep.shifts]
    assert lines == [("Li 李", "T01", time(10, 0), 12_800, 12_700, -100),
                     ("Li 李", "T01", time(14, 30), 5_000, None, None)]
    assert [s.opened_at.time() for s in compute(
        ctx, day, shift=Shift(time(14), time(18))).shifts] == [time(14, 30)]
    assert compute(ctx, day, terminal="T02").shifts == ()

    out = text.render(eod_document(rep))
    assert "Shifts" in out and "-¥1.00" in out and "¥127.00" in out
    zh = text.render(eod_document(rep, "zh_CN"))
    assert "班次" in zh and "长短款" in zh
    printed = paper.eod_layout(rep)
    table = next(s.table for s in printed.sections if s.table and s.title == "Shifts")
    assert table.rows[0][-1] == "-¥1.00"

    closed = eod.close_day(ctx, day, approved_by=approver)
    assert closed.shifts == rep.shifts
    li_closes = shifts.close_shift(li, 5_000)  # after the day was closed: the kept one stays
    assert li_closes.over_short == 0
    assert eod.report(ctx, day).shifts == rep.shifts


def test_a_day_closed_before_the_shifts_reads_back(ctx, catalogue, clock):
    approver = factory.manager(ctx)
    factory.sale(ctx, [("LATTE", 1)])
    day = clock.now.date()
    eod.close_day(ctx, day, approved_by=approver)
    row = m.DayClose.get()
    kept = json.loads(row.figures)
    del kept["shifts"]  # as a program without shifts kept it
    m.DayClose.update(figures=json.dumps(kept)).where(m.DayClose.id == row.id).execute()
    assert eod.report(ctx, day).shifts == ()
