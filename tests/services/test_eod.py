"""Closing a day: the figures kept for good, audited, once per store, by a manager."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

import pytest

from terminal.core.errors import Conflict, InvalidInput, PermissionDenied
from terminal.db import models as m
from terminal.services import audit, eod, eod_figures
from terminal.services.printing import decode
from tests.helpers import factory
from tests.helpers.eod_day import DAY, at, refund


def test_closing_keeps_the_figures_for_good(ctx, eod_day, clock):
    at(clock, DAY, 22)
    live = eod.report(ctx, DAY)
    closed = eod.close_day(ctx, DAY, eod_day["manager"])
    assert closed.closing == eod_figures.Closing(datetime(2026, 3, 10, 22), eod_day["manager"],
                                         "Manager Wang 王", "T01", audit.current_head())
    # the same figures as just before (only the generation time and the stamp differ)
    assert replace(closed, closing=None, generated_at=live.generated_at) == live
    row = m.DayClose.get()
    assert (row.store_id, row.business_date, row.closed_by) == ("S001", DAY, eod_day["manager"])
    assert decode(eod_figures.EodReport, row.figures) == closed
    assert eod.report(ctx, DAY) == closed

    # late: a refund of that day's sale on the next day, a sale on the closed date itself
    at(clock, DAY, 22, 30)
    factory.sale(eod_day["t1"], [("TEA", 1)], cash=1800)
    at(clock, date(2026, 3, 11), 10)
    refund(eod_day["t1"], eod_day["s1"].txn_id, eod_day["manager"])
    factory.top_up(eod_day["t1"], eod_day["a"].id, 1000)
    again = eod.report(ctx, DAY)
    assert replace(again, recorded_after_close=0) == closed
    assert again.recorded_after_close == 1
    assert eod_figures.compute(ctx, DAY).sales.count == 6  # the rows did change
    today = eod.report(ctx, date(2026, 3, 11))
    assert today.returns == eod_figures.Returns(1, 4600, 0, 0)
    assert today.sales.revenue == -4600 and today.tenders.stored_value == -4600
    assert today.closing is None
    # a terminal's report of the closed day is added up, and says the day is closed
    sliced = eod.report(ctx, DAY, terminal="T01")
    assert sliced.closing == closed.closing and sliced.sales.count == 3


def test_closing_is_audited(ctx, eod_day, clock):
    at(clock, date(2026, 3, 11), 8)
    rep = eod.close_day(ctx, DAY, eod_day["manager"])
    entry = m.AuditEntry.get(m.AuditEntry.action == "close_day")
    assert (entry.subject, entry.approved_by) == ("2026-03-10", eod_day["manager"])
    after = json.loads(entry.after)
    assert after["revenue"] == 33_100 and after["sales"] == 5
    assert after["stored_value_outstanding"] == rep.stored_value.outstanding == 7400
    assert audit.verify() == []


def test_a_day_is_closed_once_and_never_before_it_begins(ctx, eod_day, clock):
    eod.close_day(ctx, DAY, eod_day["manager"])
    with pytest.raises(Conflict, match="2026-03-10 was closed already"):
        eod.close_day(ctx, DAY, eod_day["manager"])
    with pytest.raises(InvalidInput, match="has not begun"):
        eod.close_day(ctx, date(2026, 3, 11), eod_day["manager"])
    assert m.DayClose.select().count() == 1
    assert m.AuditEntry.select().where(m.AuditEntry.action == "close_day").count() == 1


def test_closing_needs_a_manager(ctx, eod_day):
    for nobody in (None, eod_day["li"], "not-a-staff-id"):
        with pytest.raises(PermissionDenied, match="closing the day needs a manager"):
            eod.close_day(ctx, DAY, nobody)
    assert m.DayClose.select().count() == 0
    assert eod.closing(ctx, DAY) is None


def test_days_are_closed_per_store(ctx, eod_day):
    other = replace(ctx, settings=replace(ctx.settings, store=replace(
        ctx.settings.store, store_id="S002")))
    eod.close_day(ctx, DAY, eod_day["manager"])
    rep = eod.close_day(other, DAY, eod_day["manager"])
    assert rep.sales.count == 0 and rep.store_id == "S002"
    assert eod.report(ctx, DAY).sales.count == 5
