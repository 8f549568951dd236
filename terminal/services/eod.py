"""End-of-day (Z) reports of a business date or a shift, and closing a day for good.

The figures are added up by eod_figures. Closing a day (a manager's approval) keeps the report
as JSON in ``day_close``; from then on the store-wide report of that day is read back from
there, never recomputed, so it cannot change afterwards whatever is recorded later.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import peewee as pw

from ..core.errors import Conflict, InvalidInput
from ..core.i18n import Term
from ..db import models as m
from ..db.database import write_transaction
from . import audit
from .context import Context
from .eod_figures import Closing, EodReport, Shift, as_int, check_day, compute
from .printing import decode, encode
from .staff import name_of, require_approver


def _closing_row(ctx: Context, day: date) -> m.DayClose | None:
    return m.DayClose.get_or_none((m.DayClose.store_id == ctx.store_id)
                                  & (m.DayClose.business_date == day))


def _closing(row: m.DayClose) -> Closing:
    head = audit.Head.from_json(row.audit_head) if row.audit_head else None
    return Closing(row.closed_at, row.closed_by, name_of(row.closed_by), row.terminal_id, head)


def closing(ctx: Context, day: date) -> Closing | None:
    """Who closed ``day`` and when; None while it is open."""
    row = _closing_row(ctx, check_day(day))
    return _closing(row) if row is not None else None


def report(ctx: Context, day: date, terminal: str | None = None,
           shift: Shift | None = None) -> EodReport:
    """The end-of-day report of ``day`` for the store, one terminal or a shift.

    The store-wide report of a closed day is the one kept at closing, with a count of the
    transactions recorded on that date after it was closed. A terminal's or a shift's
    report is always added up from the rows, and says that the day is closed.
    """
    check_day(day)
    row = _closing_row(ctx, day)
    if row is None:
        return compute(ctx, day, terminal, shift)
    if terminal is None and shift is None:
        kept = decode(EodReport, row.figures)
        late = as_int(m.Txn.select(pw.fn.COUNT(m.Txn.id)).where(
            (m.Txn.business_date == day) & (m.Txn.store_id == ctx.store_id)
            & (m.Txn.created_at > row.closed_at)).scalar())
        return replace(kept, recorded_after_close=late)
    return replace(compute(ctx, day, terminal, shift), closing=_closing(row))


def totals(rep: EodReport) -> dict[str, int]:
    """The headline figures, for the audit log."""
    return {"sales": rep.sales.count, "revenue": rep.sales.revenue,
            "refunded": rep.returns.refunded, "voided": rep.returns.voided,
            "discounts": rep.discounts.total, "cash": rep.takings.cash,
            "card": rep.takings.card, "other": rep.takings.other,
            "new_members": rep.new_members, "points_issued": rep.points.issued,
            "points_redeemed": rep.points.redeemed,
            "stored_value_outstanding": rep.stored_value.outstanding}


def close_day(ctx: Context, day: date, approved_by: object) -> EodReport:
    """Close ``day`` for this store with a manager's approval: its report is kept as it now
    stands and the closing is written to the audit log. A day is closed once; a day that
    has not begun cannot be."""
    check_day(day)
    approver = require_approver(approved_by, Term("closing the day", "approval"))
    if day > ctx.today():
        raise InvalidInput("{day} has not begun: only a past day or today can be closed",
                           day=day.isoformat())

    def refuse(row: m.DayClose) -> Conflict:
        return Conflict("{day} was closed already, at {closed_at:%Y-%m-%d %H:%M} by {name}",
                        day=day.isoformat(), closed_at=row.closed_at, name=name_of(row.closed_by))

    try:
        with write_transaction():
            existing = _closing_row(ctx, day)
            if existing is not None:
                raise refuse(existing)
            # added up inside the write transaction: nothing is recorded between the sums
            # and the closing (SQLite: the write lock; PostgreSQL: the unique index below)
            now = ctx.now()
            rep = compute(ctx, day)
            audit.record(ctx, "close_day", day.isoformat(), approved_by=approver.id,
                         after=totals(rep))
            # the head with the closing's own entry: what the Z report prints
            head = audit.current_head()
            rep = replace(rep, closing=Closing(now, str(approver.id), approver.name,
                                               ctx.terminal_id, head))
            m.DayClose.create(store_id=ctx.store_id, business_date=day, closed_at=now,
                              closed_by=str(approver.id), terminal_id=ctx.terminal_id,
                              figures=encode(rep), audit_head=head.to_json())
    except pw.IntegrityError:  # another terminal closed it between our check and insert
        existing = _closing_row(ctx, day)
        if existing is None:
            raise
        raise refuse(existing) from None
    return rep
