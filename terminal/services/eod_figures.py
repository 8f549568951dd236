"""The figures of an end-of-day (Z) report for a business date or a shift, added up from the rows.

A report adds up rows of one business date. Transactions count on their own business date,
so a late refund of last week's sale lands on the day it was made; ledger rows, coupons and
new members count by the moment they were written. Every figure comes from a handful of
GROUP BY queries over indexed columns (``txn.business_date``, ``*.created_at``), never a
Python loop over rows: a day of a large shop reads in milliseconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

import peewee as pw

from ..core.errors import InvalidInput
from ..db import models as m
from ..loyalty.economics import ratio
from . import audit, shifts
from .context import Context
from .staff import name_of

SALE_KINDS = ("sale", "refund", "void")  # what makes revenue
SV_KINDS = ("topup", "topup_reversal", "cash_out")  # money in or out for stored value
# points given to members; "adjust" counts here when positive, as adjusted_out when not
ISSUE_KINDS = ("earn", "welcome", "referral", "import")


@dataclass(frozen=True)
class Shift:
    """Part of a business day: from ``start`` up to (not including) ``end``, optionally only
    what one cashier recorded. ``time.max`` as the end means to midnight."""

    start: time = time.min
    end: time = time.max
    staff_id: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.start, time) or not isinstance(self.end, time):
            raise InvalidInput("a shift starts and ends at a time of day")
        if self.end <= self.start:
            raise InvalidInput("a shift must end after it starts (and within its day)")


@dataclass(frozen=True)
class Period:
    day: date
    start: datetime
    end: datetime  # exclusive
    terminal: str | None = None  # None: every terminal of the store
    staff_id: str | None = None  # a shift of one cashier
    staff_name: str = ""
    shift: bool = False  # a part of the day rather than all of it


@dataclass(frozen=True)
class Closing:
    closed_at: datetime
    closed_by: str  # staff id of the approving manager
    closed_by_name: str
    terminal_id: str  # where the day was closed
    audit_head: audit.Head | None = None  # the audit log as it stood, printed on the Z report


@dataclass(frozen=True)
class Sales:
    count: int  # sales recorded (voided ones included; they show again under voids)
    gross: int  # what they came to
    revenue: int  # gross less refunds and voids made the same day


@dataclass(frozen=True)
class Returns:
    refunds: int  # refund transactions
    refunded: int  # money given back, a positive amount
    voids: int
    voided: int


@dataclass(frozen=True)
class Discounts:
    """Net of the discounts taken back by refunds and voids."""

    line: int = 0
    tier: int = 0
    coupon: int = 0
    points: int = 0

    @property
    def total(self) -> int:
        return self.line + self.tier + self.coupon + self.points


@dataclass(frozen=True)
class Tenders:
    cash: int = 0  # kept, after change
    card: int = 0
    other: int = 0
    stored_value: int = 0

    @property
    def total(self) -> int:
        return self.cash + self.card + self.other + self.stored_value


@dataclass(frozen=True)
class MemberSales:
    sales: int  # sales to identified members
    revenue: int  # their revenue, net of refunds and voids


@dataclass(frozen=True)
class PointsKind:
    kind: str
    entries: int
    points: int  # signed, as on the ledger


@dataclass(frozen=True)
class Points:
    issued: int  # earned, welcome, referral, imported, added by hand
    redeemed: int
    expired: int
    restored: int  # redeemed points given back by refunds
    clawed_back: int  # earned points taken back by refunds
    adjusted_out: int  # taken off by hand
    by_kind: tuple[PointsKind, ...] = ()

    @property
    def net(self) -> int:
        """How much the points members hold moved (the ledger's sum over the period)."""
        return (self.issued - self.redeemed - self.expired + self.restored - self.clawed_back
                - self.adjusted_out)


@dataclass(frozen=True)
class StoredValue:
    topped_up: int  # paid in by members
    bonus_given: int  # credited on top of it
    spent: int  # paid with it (paid and bonus part)
    refunded: int  # put back by refunds of sales paid with it
    reversed: int  # top-ups taken back (paid and bonus part)
    cashed_out: int  # balances paid out or forfeited (paid and bonus part)
    other: int  # adjustments and imports, signed
    outstanding: int  # every member's balance ...
    outstanding_at: datetime  # ... at this moment (the end of the period, or the report)


@dataclass(frozen=True)
class Coupons:
    issued: int
    redeemed: int  # coupons used on sales


@dataclass(frozen=True)
class Punch:
    visits: int  # visits used, less those given back by refunds
    cards_sold: int


@dataclass(frozen=True)
class CashierLine:
    staff_id: str
    name: str
    sales: int
    revenue: int
    refunds: int  # refunds and voids they recorded
    refunded: int


@dataclass(frozen=True)
class TerminalLine:
    terminal_id: str
    sales: int
    revenue: int
    refunds: int
    refunded: int
    cash: int  # cash kept, sales and stored value together: what the drawer should hold


@dataclass(frozen=True)
class ShiftLine:
    """A cash-drawer shift opened in the period (services.shifts): who, where, when, and
    its drawer; ``closed_at`` and ``counted`` are None while it is open."""

    staff_id: str
    name: str
    terminal_id: str
    opened_at: datetime
    closed_at: datetime | None
    expected: int
    counted: int | None

    @property
    def over_short(self) -> int | None:
        return None if self.counted is None else self.counted - self.expected


@dataclass(frozen=True)
class EodReport:
    store_id: str
    store_name: str
    currency: str
    period: Period
    generated_at: datetime
    sales: Sales
    returns: Returns
    discounts: Discounts
    tenders: Tenders  # of sales, refunds and voids: adds up to the revenue
    takings: Tenders  # every money movement, stored-value top-ups and cash-outs included
    members: MemberSales
    new_members: int
    points: Points
    stored_value: StoredValue
    coupons: Coupons
    punch: Punch
    cashiers: tuple[CashierLine, ...]
    terminals: tuple[TerminalLine, ...]
    closing: Closing | None = None
    recorded_after_close: int = 0  # transactions of the day written after it was closed
    shifts: tuple[ShiftLine, ...] = ()  # the cash-drawer shifts opened in the period

    @property
    def closed(self) -> bool:
        return self.closing is not None

    @property
    def net_sales(self) -> int:
        """Sales less those voided (a void cancels the whole sale)."""
        return self.sales.count - self.returns.voids

    @property
    def member_sales_share(self) -> Fraction | None:
        return ratio(self.members.sales, self.sales.count)

    @property
    def member_revenue_share(self) -> Fraction | None:
        return ratio(self.members.revenue, self.sales.revenue)


def check_day(day: object) -> date:
    if not isinstance(day, date) or isinstance(day, datetime):
        raise InvalidInput("a business date is needed")
    return day


def period_of(day: date, terminal: str | None = None, shift: Shift | None = None) -> Period:
    start = datetime.combine(day, time.min)
    end = start + timedelta(days=1)
    if shift is None:
        return Period(day, start, end, terminal)
    shift_end = end if shift.end == time.max else datetime.combine(day, shift.end)
    return Period(day, datetime.combine(day, shift.start), shift_end, terminal,
                  shift.staff_id, name_of(shift.staff_id), True)


def _scoped(query: pw.ModelSelect, model: type[m.Origin], ctx: Context, period: Period,
            by_time: bool) -> pw.ModelSelect:
    """Rows of this store in the period (and terminal, and cashier of a shift)."""
    query = query.where(model.store_id == ctx.store_id)
    if by_time:
        query = query.where((model.created_at >= period.start) & (model.created_at < period.end))
    if period.terminal is not None:
        query = query.where(model.terminal_id == period.terminal)
    if period.staff_id is not None:
        query = query.where(model.staff_id == period.staff_id)
    return query


def as_int(value: object) -> int:
    """A figure from the database as an int: SUM() comes back as None over no rows, and as
    Decimal on PostgreSQL."""
    return int(value or 0)  # type: ignore[call-overload]


def _txn_groups(ctx: Context, period: Period) -> list[dict[str, Any]]:
    t = m.Txn
    has_member = pw.Case(None, [(t.member.is_null(), 0)], 1)
    used_coupon = pw.Case(None, [(t.coupon_code.is_null(), 0)], 1)
    query = (t.select(t.kind, t.staff_id, t.terminal_id, has_member.alias("has_member"),
                      pw.fn.COUNT(t.id).alias("n"),
                      *(pw.fn.SUM(getattr(t, c)).alias(c) for c in (
                          "total", "line_discount", "tier_discount", "coupon_discount",
                          "points_discount", "cash", "card", "other", "stored_value")),
                      pw.fn.SUM(used_coupon).alias("coupons"))
             .where((t.business_date == period.day) & t.kind.in_(SALE_KINDS + SV_KINDS))
             .group_by(t.kind, t.staff_id, t.terminal_id, has_member))
    # the business date bounds the day; a shift narrows it by time
    query = _scoped(query, t, ctx, period, by_time=period.shift)
    return [{k: (v if k in ("kind", "staff_id", "terminal_id") else as_int(v))
             for k, v in row.items()} for row in query.dicts()]


def _by_kind(query: pw.ModelSelect) -> list[dict[str, Any]]:
    return [{k: (v if k == "kind" else as_int(v)) for k, v in row.items()}
            for row in query.dicts()]


def _points(ctx: Context, period: Period) -> Points:
    p = m.PointsEntry
    positive = pw.Case(None, [(p.delta > 0, 1)], 0)
    rows = _by_kind(_scoped(
        p.select(p.kind, positive.alias("positive"), pw.fn.COUNT(p.id).alias("n"),
                 pw.fn.SUM(p.delta).alias("points")).group_by(p.kind, positive),
        p, ctx, period, by_time=True))
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    issued = redeemed = expired = restored = clawed = out = 0
    for r in rows:
        kinds[r["kind"]][0] += r["n"]
        kinds[r["kind"]][1] += r["points"]
        kind, pts = r["kind"], r["points"]
        if kind in ISSUE_KINDS or (kind == "adjust" and r["positive"]):
            issued += pts
        elif kind == "adjust":
            out -= pts
        elif kind == "redeem":
            redeemed -= pts
        elif kind == "expire":
            expired -= pts
        elif kind == "refund_redeem":
            restored += pts
        elif kind == "refund_earn":
            clawed -= pts
        else:  # a kind added later: keep the net right
            issued += pts
    by_kind = tuple(PointsKind(k, n, pts) for k, (n, pts) in sorted(kinds.items()))
    return Points(issued, redeemed, expired, restored, clawed, out, by_kind)


def stored_value_query() -> pw.Select:
    """Members' stored value, summed over the partial index ``member_stored_value`` of the
    members who hold any (a tenth of them), not over every member."""
    mb = m.Member
    return mb.select(pw.fn.SUM(mb.sv_paid_balance + mb.sv_bonus_balance)).where(
        (mb.sv_paid_balance != 0) | (mb.sv_bonus_balance != 0))


def _outstanding(ctx: Context, period: Period) -> tuple[int, datetime]:
    """Every member's stored value as it stood at the end of the period (now, if the period
    has not ended): today's balances less what the ledger moved since."""
    now = ctx.now()
    balance = as_int(stored_value_query().scalar())
    if period.end >= now:
        return balance, now
    sv = m.StoredValueEntry
    since = as_int(sv.select(pw.fn.SUM(sv.delta_paid + sv.delta_bonus))
               .where(sv.created_at >= period.end).scalar())
    return balance - since, period.end


def _stored_value(ctx: Context, period: Period) -> StoredValue:
    sv = m.StoredValueEntry
    rows = _by_kind(_scoped(
        sv.select(sv.kind, pw.fn.SUM(sv.delta_paid).alias("paid"),
                  pw.fn.SUM(sv.delta_bonus).alias("bonus")).group_by(sv.kind),
        sv, ctx, period, by_time=True))
    by = {r["kind"]: (r["paid"], r["bonus"]) for r in rows}

    def both(kind: str) -> int:
        paid, bonus = by.pop(kind, (0, 0))
        return paid + bonus

    topped_up, bonus_given = by.pop("topup", (0, 0))
    spent, refunded = -both("spend"), both("refund")
    reversed_, cashed_out = -both("topup_reversal"), -both("cash_out")
    other = sum(p + b for p, b in by.values())
    outstanding, at = _outstanding(ctx, period)
    return StoredValue(topped_up, bonus_given, spent, refunded, reversed_, cashed_out, other,
                       outstanding, at)


def _count(model: type[m.Origin], ctx: Context, period: Period) -> int:
    return as_int(_scoped(model.select(pw.fn.COUNT(model.id)), model, ctx, period,
                      by_time=True).scalar())


def _punch(ctx: Context, period: Period) -> Punch:
    pe = m.PunchEntry
    rows = _by_kind(_scoped(
        pe.select(pe.kind, pw.fn.COUNT(pe.id).alias("n"), pw.fn.SUM(pe.delta).alias("delta"))
        .where(pe.kind.in_(("use", "refund_use", "sell"))).group_by(pe.kind),
        pe, ctx, period, by_time=True))
    by = {r["kind"]: r for r in rows}
    visits = -(by.get("use", {}).get("delta", 0) + by.get("refund_use", {}).get("delta", 0))
    return Punch(visits, by.get("sell", {}).get("n", 0))


def _shifts(ctx: Context, period: Period) -> tuple[ShiftLine, ...]:
    lines = []
    for rep in shifts.of_day(ctx, period.day, period.terminal):
        if not period.start <= rep.opened_at < period.end:
            continue
        if period.staff_id is not None and rep.staff_id != period.staff_id:
            continue
        lines.append(ShiftLine(rep.staff_id, rep.staff_name, rep.terminal_id, rep.opened_at,
                               rep.closed_at, rep.expected, rep.counted))
    return tuple(lines)


def _sum(rows: Iterable[dict[str, Any]], key: str) -> int:
    return sum(r[key] for r in rows)


def compute(ctx: Context, day: date, terminal: str | None = None,
            shift: Shift | None = None) -> EodReport:
    """The report from the rows as they are now (``report`` reads a closed day back
    instead)."""
    period = period_of(check_day(day), terminal, shift)
    groups = _txn_groups(ctx, period)
    of = lambda *kinds: [g for g in groups if g["kind"] in kinds]  # noqa: E731
    sales_rows, refund_rows, void_rows = of("sale"), of("refund"), of("void")
    revenue_rows = of(*SALE_KINDS)
    sales = Sales(_sum(sales_rows, "n"), _sum(sales_rows, "total"),
                  _sum(revenue_rows, "total"))
    returns = Returns(_sum(refund_rows, "n"), -_sum(refund_rows, "total"),
                      _sum(void_rows, "n"), -_sum(void_rows, "total"))
    discounts = Discounts(*(_sum(revenue_rows, f"{k}_discount")
                            for k in ("line", "tier", "coupon", "points")))
    tenders = Tenders(*(_sum(revenue_rows, k) for k in ("cash", "card", "other",
                                                        "stored_value")))
    takings = Tenders(*(_sum(groups, k) for k in ("cash", "card", "other")))
    member_rows = [g for g in revenue_rows if g["has_member"]]
    members = MemberSales(_sum([g for g in sales_rows if g["has_member"]], "n"),
                          _sum(member_rows, "total"))

    cashiers: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    terminals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for g in groups:
        for key, acc in ((g["staff_id"] or "", cashiers), (g["terminal_id"], terminals)):
            line = acc[key]
            if g["kind"] == "sale":
                line[0] += g["n"]
            if g["kind"] in SALE_KINDS:
                line[1] += g["total"]
            if g["kind"] in ("refund", "void"):
                line[2] += g["n"]
                line[3] -= g["total"]
        terminals[g["terminal_id"]][4] += g["cash"]
    cashier_lines = tuple(sorted(
        (CashierLine(sid, name_of(sid) or "-", *v) for sid, v in cashiers.items()),
        key=lambda c: (-c.revenue, c.name, c.staff_id)))
    terminal_lines = tuple(TerminalLine(tid, *v) for tid, v in sorted(terminals.items()))

    return EodReport(
        store_id=ctx.store_id, store_name=ctx.settings.store.name, currency=ctx.currency,
        period=period, generated_at=ctx.now(), sales=sales, returns=returns,
        discounts=discounts, tenders=tenders, takings=takings, members=members,
        new_members=_count(m.Member, ctx, period), points=_points(ctx, period),
        stored_value=_stored_value(ctx, period),
        coupons=Coupons(_count(m.Coupon, ctx, period), _sum(sales_rows, "coupons")),
        punch=_punch(ctx, period), cashiers=cashier_lines, terminals=terminal_lines,
        shifts=_shifts(ctx, period))
