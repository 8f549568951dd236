"""Cash-drawer shifts: open with the float counted, close by counting the drawer, the shift report.

Every transaction names the shift open at its terminal when it was written (``txn.shift_id``,
set by ``ledger.new_txn``), so a shift's cash is exactly the cash of its own rows, whatever
the clocks of the terminals say. Opening, closing and writing a transaction at a terminal
all take that terminal's receipt-number counter row first (``lock_terminal``): a sale is
either in the shift's figures (committed before the close) or written after it with no
shift, never counted half. SQLite's write transaction holds the whole database already.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import peewee as pw

from ..core.errors import Conflict, InvalidInput, NotFound
from ..core.i18n import Term
from ..core.money import format_amount
from ..db import models as m
from ..db import statements as q
from ..db.database import is_sqlite, write_transaction
from . import audit
from .context import Context
from .staff import name_of, require_staff

MAX_CASH = 10_000_000_00  # a float or a count above this (in minor units) is a typing error

# how each kind of transaction moves the drawer's cash (Txn.cash is signed, after change)
SALES, REFUNDS, TOP_UPS, CASH_OUTS = ("sale",), ("refund", "void", "topup_reversal"), \
    ("topup",), ("cash_out",)


@dataclass(frozen=True)
class ShiftReport:
    """One shift's cash: what the drawer should hold (``expected``) and what was counted.
    Refunds and cash-outs are positive amounts taken out of the drawer."""

    shift_id: uuid.UUID
    store_id: str
    terminal_id: str
    staff_id: str
    staff_name: str
    opened_at: datetime
    currency: str
    opening_float: int
    sales: int  # sales recorded (a void shows under refunds)
    cash_sales: int
    cash_refunds: int  # refunds, voids and top-ups taken back
    cash_top_ups: int
    cash_outs: int
    cash_other: int  # signed
    closed_at: datetime | None = None
    closed_by: str | None = None
    closed_by_name: str = ""
    counted: int | None = None

    @property
    def expected(self) -> int:
        return (self.opening_float + self.cash_sales - self.cash_refunds + self.cash_top_ups
                - self.cash_outs + self.cash_other)

    @property
    def over_short(self) -> int | None:
        """Counted less expected: positive over, negative short; None while open."""
        return None if self.counted is None else self.counted - self.expected

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


def check_cash(amount: object, what: Term) -> int:
    # bool is an int: True must not count as one fen
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise InvalidInput("{what} must be an amount of money", what=what)
    if not 0 <= amount <= MAX_CASH:
        raise InvalidInput("{what} must be between 0 and {most}", what=what,
                           most=format_amount(MAX_CASH))
    return amount


def lock_terminal(terminal_id: str) -> None:
    """Hold the terminal's receipt-number counter row until the transaction ends (the row
    every transaction of the terminal takes too, see the module's docstring)."""
    if is_sqlite():
        return
    q.open_counter.execute(terminal_id)  # a terminal's first: continue its numbering
    (m.TerminalCounter.select().where(m.TerminalCounter.terminal_id == terminal_id)
     .for_update().get())


def open_shift_id(ctx: Context) -> uuid.UUID | None:
    """The id of the shift open at this terminal, for a transaction being written."""
    row = (m.Shift.select(m.Shift.id)
           .where((m.Shift.terminal_id == ctx.terminal_id) & m.Shift.closed_at.is_null())
           .first())
    return row.id if row is not None else None


def _open_row(ctx: Context) -> m.Shift | None:
    return (m.Shift.select().where((m.Shift.terminal_id == ctx.terminal_id)
                                   & m.Shift.closed_at.is_null()).first())


def _busy(row: m.Shift) -> Conflict:
    return Conflict("{name}'s shift is open at this terminal since {opened_at:%Y-%m-%d %H:%M}: "
                    "close it first", name=name_of(row.staff_id), opened_at=row.opened_at)


def open_shift(ctx: Context, opening_float: int) -> ShiftReport:
    """The signed-in cashier (``ctx.staff_id``) opens a shift at this terminal with the
    ``opening_float`` counted into the drawer; audited."""
    check_cash(opening_float, Term("the float", "cash"))
    person = require_staff(ctx.staff_id)
    with write_transaction():
        lock_terminal(ctx.terminal_id)
        existing = _open_row(ctx)
        if existing is not None:
            raise _busy(existing)
        row = m.Shift.create(store_id=ctx.store_id, terminal_id=ctx.terminal_id,
                             staff_id=str(person.id), opened_at=ctx.now(),
                             opening_float=opening_float)
        audit.record(ctx, "shift_opened", row.id, after={"float": opening_float})
    return _report(ctx, row)


def current(ctx: Context) -> ShiftReport | None:
    """The shift open at this terminal, with its figures so far; None if there is none."""
    row = _open_row(ctx)
    return _report(ctx, row) if row is not None else None


def _figures(shift_id: uuid.UUID) -> dict[str, int]:
    t = m.Txn
    rows = (t.select(t.kind, pw.fn.COUNT(t.id).alias("n"), pw.fn.SUM(t.cash).alias("cash"))
            .where(t.shift_id == shift_id).group_by(t.kind).tuples())
    got = {kind: (int(n or 0), int(cash or 0)) for kind, n, cash in rows}

    def cash(kinds: tuple[str, ...]) -> int:
        return sum(got.pop(k, (0, 0))[1] for k in kinds)

    sales = got.get("sale", (0, 0))[0]
    figures = {"sales": sales, "cash_sales": cash(SALES), "cash_refunds": -cash(REFUNDS),
               "cash_top_ups": cash(TOP_UPS), "cash_outs": -cash(CASH_OUTS)}
    figures["cash_other"] = sum(c for _, c in got.values())
    return figures


def _report(ctx: Context, row: m.Shift) -> ShiftReport:
    if row.closed_at is None:
        figures = _figures(row.id)
    else:  # kept at closing
        figures = {k: getattr(row, k) for k in ("sales", "cash_sales", "cash_refunds",
                                                 "cash_top_ups", "cash_outs", "cash_other")}
    return ShiftReport(
        shift_id=row.id, store_id=row.store_id, terminal_id=row.terminal_id,
        staff_id=row.staff_id, staff_name=name_of(row.staff_id), opened_at=row.opened_at,
        currency=ctx.currency, opening_float=row.opening_float, **figures,
        closed_at=row.closed_at, closed_by=row.closed_by,
        closed_by_name=name_of(row.closed_by) if row.closed_by else "", counted=row.counted)


def _shift_id(value: object) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise NotFound("there is no shift {id}", id=str(value)) from None


def report(ctx: Context, shift_id: object = None) -> ShiftReport:
    """A shift's report: ``shift_id``'s, else the open shift at this terminal, else the
    last one closed here."""
    if shift_id is not None:
        row = m.Shift.get_or_none(m.Shift.id == _shift_id(shift_id))
        if row is None:
            raise NotFound("there is no shift {id}", id=str(shift_id))
        return _report(ctx, row)
    row = _open_row(ctx) or (m.Shift.select().where(m.Shift.terminal_id == ctx.terminal_id)
                             .order_by(m.Shift.opened_at.desc()).first())
    if row is None:
        raise NotFound("no shift was ever opened at this terminal: open one first")
    return _report(ctx, row)


def close_shift(ctx: Context, counted: int, shift_id: object = None) -> ShiftReport:
    """Close a shift by the cash counted in its drawer: the open shift at this terminal, or
    ``shift_id`` (a manager closing another terminal's). Its figures are kept as they stand;
    audited with expected, counted and over/short. A shift is closed once."""
    check_cash(counted, Term("the cash counted", "cash"))
    person = require_staff(ctx.staff_id)
    with write_transaction():
        if shift_id is None:
            found = _open_row(ctx)
            if found is None:
                raise NotFound("no shift is open at this terminal")
            terminal = found.terminal_id
        else:
            found = m.Shift.get_or_none(m.Shift.id == _shift_id(shift_id))
            if found is None:
                raise NotFound("there is no shift {id}", id=str(shift_id))
            terminal = found.terminal_id
        # the terminal's transactions wait now; then read the shift again as it now stands
        lock_terminal(terminal)
        row = m.Shift.get_by_id(found.id)
        if row.closed_at is not None:
            raise Conflict("this shift was closed already, at {closed_at:%Y-%m-%d %H:%M} by "
                           "{name}", closed_at=row.closed_at, name=name_of(row.closed_by))
        figures = _figures(row.id)
        now = ctx.now()
        rep = ShiftReport(
            shift_id=row.id, store_id=row.store_id, terminal_id=row.terminal_id,
            staff_id=row.staff_id, staff_name=name_of(row.staff_id), opened_at=row.opened_at,
            currency=ctx.currency, opening_float=row.opening_float, **figures, closed_at=now,
            closed_by=str(person.id), closed_by_name=person.name, counted=counted)
        updated = (m.Shift.update(closed_at=now, closed_by=str(person.id), counted=counted,
                                  expected=rep.expected, **figures)
                   .where((m.Shift.id == row.id) & m.Shift.closed_at.is_null()).execute())
        if updated != 1:  # cannot happen under the lock; never report a close that was not
            raise Conflict("this shift was closed already by another terminal")
        audit.record(ctx, "shift_closed", row.id, after={
            "float": rep.opening_float, "expected": rep.expected, "counted": counted,
            "over_short": rep.over_short, "terminal": row.terminal_id})
    return rep


def of_day(ctx: Context, day: date, terminal: str | None = None) -> list[ShiftReport]:
    """The shifts opened on ``day`` in this store (at one terminal), oldest first."""
    start = datetime.combine(day, time.min)
    query = m.Shift.select().where((m.Shift.store_id == ctx.store_id)
                                   & (m.Shift.opened_at >= start)
                                   & (m.Shift.opened_at < start + timedelta(days=1)))
    if terminal is not None:
        query = query.where(m.Shift.terminal_id == terminal)
    return [_report(ctx, row) for row in query.order_by(m.Shift.opened_at, m.Shift.id)]
