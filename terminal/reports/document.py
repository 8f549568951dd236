"""Reports as neutral documents: a title, notes and sections of labelled values and tables,
already in words and formatted numbers. Text, CSV, PDF and the receipt printer all render
the same document, so they never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from ..core import money
from ..loyalty.economics import cost_share, percent_text
from ..services.economics import EconomicsReport, Month
from ..services.eod_figures import EodReport
from .labels import label


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    aligns: str = ""  # one "l" or "r" per column; default: the first left, the rest right

    def alignments(self) -> str:
        return self.aligns or "l" + "r" * (len(self.headers) - 1)


@dataclass(frozen=True)
class Section:
    title: str = ""
    rows: tuple[tuple[str, str], ...] = ()  # label, formatted value
    table: Table | None = None


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str = ""
    store_name: str = ""
    generated_at: datetime | None = None
    notes: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()


class Formatter:
    """Numbers for people (``¥1,234.50``, ``1,234``) or, ``plain``, for a spreadsheet
    (``1234.50``, ``1234``)."""

    def __init__(self, currency: str, plain: bool = False) -> None:
        self.currency = currency
        self.plain = plain

    def money(self, amount: int) -> str:
        if self.plain:
            return str(money.to_decimal(amount, self.currency))
        return money.format_amount(amount, self.currency)

    def count(self, n: int) -> str:
        return str(n) if self.plain else f"{n:,}"

    def share(self, value: Fraction | None) -> str:
        return percent_text(value, 1)

    @staticmethod
    def when(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%d %H:%M")

    @staticmethod
    def day(value: date) -> str:
        return value.isoformat()


def signed(f: Formatter, amount: int | None) -> str:
    """Over as ``+¥2.00``, short as ``-¥2.00``; a dash while nothing was counted."""
    if amount is None:
        return "—"
    return ("+" if amount > 0 and not f.plain else "") + f.money(amount)


def eod_document(rep: EodReport, language: str = "en", *, plain: bool = False) -> Document:
    """The end-of-day report in words: ``plain`` numbers for CSV."""
    f = Formatter(rep.currency, plain)

    def L(key: str, **values: object) -> str:  # short, like gettext's _()
        return label(key, language, **values)

    p = rep.period
    scope = [L("eod.terminal", terminal=p.terminal) if p.terminal else L("eod.all_terminals")]
    when = f.day(p.day)
    if p.shift:
        when += f" {p.start:%H:%M}–{'24:00' if p.end.date() > p.day else f'{p.end:%H:%M}'}"
    if p.staff_id:
        scope.append(L("eod.cashier", name=p.staff_name or p.staff_id))
    notes = []
    if rep.closing is not None:
        notes.append(L("eod.closed", at=f.when(rep.closing.closed_at),
                       name=rep.closing.closed_by_name or rep.closing.closed_by,
                       terminal=rep.closing.terminal_id))
        head = rep.closing.audit_head
        if head is not None:  # on paper, so a later cut of the log shows against it
            notes.append(L("eod.audit_head", seq=head.seq, count=head.count,
                           hash=head.hash[:16]))
    else:
        notes.append(L("eod.open"))
    if rep.recorded_after_close:
        notes.append(L("eod.after_close", n=rep.recorded_after_close))

    s, r, d, t, k = rep.sales, rep.returns, rep.discounts, rep.tenders, rep.takings
    pts, sv = rep.points, rep.stored_value
    sections = [
        Section(L("sec.sales"), (
            (L("sales.count"), f.count(s.count)), (L("sales.gross"), f.money(s.gross)),
            (L("sales.refunds"), f.count(r.refunds)), (L("sales.refunded"), f.money(r.refunded)),
            (L("sales.voids"), f.count(r.voids)), (L("sales.voided"), f.money(r.voided)),
            (L("sales.revenue"), f.money(s.revenue)),
            (L("sales.net_count"), f.count(rep.net_sales)))),
        Section(L("sec.discounts"), (
            (L("disc.line"), f.money(d.line)), (L("disc.tier"), f.money(d.tier)),
            (L("disc.coupon"), f.money(d.coupon)), (L("disc.points"), f.money(d.points)),
            (L("total"), f.money(d.total)))),
        Section(L("sec.tenders"), (
            (L("tender.cash"), f.money(t.cash)), (L("tender.card"), f.money(t.card)),
            (L("tender.other"), f.money(t.other)),
            (L("tender.stored_value"), f.money(t.stored_value)),
            (L("total"), f.money(t.total)))),
        Section(L("sec.takings"), (
            (L("tender.cash"), f.money(k.cash)), (L("tender.card"), f.money(k.card)),
            (L("tender.other"), f.money(k.other)), (L("total"), f.money(k.total)))),
        Section(L("sec.members"), (
            (L("mem.sales"), f.count(rep.members.sales)),
            (L("mem.sales_share"), f.share(rep.member_sales_share)),
            (L("mem.revenue"), f.money(rep.members.revenue)),
            (L("mem.revenue_share"), f.share(rep.member_revenue_share)),
            (L("mem.new"), f.count(rep.new_members)))),
        Section(L("sec.points"), (
            (L("pts.issued"), f.count(pts.issued)), (L("pts.redeemed"), f.count(pts.redeemed)),
            (L("pts.expired"), f.count(pts.expired)),
            (L("pts.restored"), f.count(pts.restored)),
            (L("pts.clawed_back"), f.count(pts.clawed_back)),
            (L("pts.adjusted_out"), f.count(pts.adjusted_out)),
            (L("pts.net"), f.count(pts.net)))),
        Section(L("sec.stored_value"), (
            (L("sv.topped_up"), f.money(sv.topped_up)), (L("sv.bonus"), f.money(sv.bonus_given)),
            (L("sv.spent"), f.money(sv.spent)), (L("sv.refunded"), f.money(sv.refunded)),
            (L("sv.reversed"), f.money(sv.reversed)),
            (L("sv.cashed_out"), f.money(sv.cashed_out)), (L("sv.other"), f.money(sv.other)),
            (L("sv.outstanding", at=f.when(sv.outstanding_at)), f.money(sv.outstanding)))),
        Section(L("sec.coupons"), (
            (L("cpn.issued"), f.count(rep.coupons.issued)),
            (L("cpn.redeemed"), f.count(rep.coupons.redeemed)))),
        Section(L("sec.punch"), (
            (L("punch.visits"), f.count(rep.punch.visits)),
            (L("punch.sold"), f.count(rep.punch.cards_sold)))),
        Section(L("sec.cashiers"), table=Table(
            (L("col.cashier"), L("col.sales"), L("col.revenue"), L("col.refunds"),
             L("col.refunded")),
            tuple((c.name, f.count(c.sales), f.money(c.revenue), f.count(c.refunds),
                   f.money(c.refunded)) for c in rep.cashiers))),
        Section(L("sec.terminals"), table=Table(
            (L("col.terminal"), L("col.sales"), L("col.revenue"), L("col.refunds"),
             L("col.cash")),
            tuple((tl.terminal_id, f.count(tl.sales), f.money(tl.revenue), f.count(tl.refunds),
                   f.money(tl.cash)) for tl in rep.terminals))),
        Section(L("sec.shifts"), table=Table(
            (L("col.cashier"), L("col.terminal"), L("col.opened"), L("col.closed"),
             L("col.expected"), L("col.counted"), L("col.over_short")),
            tuple((sl.name or sl.staff_id, sl.terminal_id, f"{sl.opened_at:%H:%M}",
                   f"{sl.closed_at:%H:%M}" if sl.closed_at is not None else "—",
                   f.money(sl.expected),
                   f.money(sl.counted) if sl.counted is not None else "—",
                   signed(f, sl.over_short)) for sl in rep.shifts))),
    ]
    return Document(L("eod.shift_title" if p.shift else "eod.title"),
                    f"{when} · {' · '.join(scope)}", rep.store_name, rep.generated_at,
                    tuple(notes), tuple(sections))


def economics_document(rep: EconomicsReport, language: str = "en", *,
                       plain: bool = False) -> Document:
    """Programme economics in words, with the ~1% benchmark of the seed articles."""
    f = Formatter(rep.currency, plain)

    def L(key: str, **values: object) -> str:
        return label(key, language, **values)

    share = rep.cost_share
    notes = ([L("econ.verdict", share=f.share(share)), L(f"econ.verdict.{rep.verdict}")]
             if share is not None else [L("econ.no_revenue")])
    tot: Month = rep.total
    costs = tot.costs
    redemption = rep.redemption
    basis = (L("econ.rate_learned", points=f.count(redemption.redeemed + redemption.expired))
             if redemption.learned else L("econ.rate_default"))
    unit = 10 ** money.minor_digits(rep.currency)
    sections = [
        Section(L("sec.econ_summary"), (
            (L("econ.revenue"), f.money(tot.revenue)), (L("econ.cost"), f.money(rep.cost)),
            (L("econ.cost_share"), f.share(share)))),
        Section(L("sec.econ_costs"), (
            (L("econ.tier"), f.money(costs.tier_discounts)),
            (L("econ.coupon"), f.money(costs.coupon_discounts)),
            (L("econ.points"), f.money(costs.points_discounts)),
            (L("econ.sv_bonus"), f.money(costs.stored_value_bonus)),
            (L("total"), f.money(costs.total)))),
        Section(L("sec.econ_points"), (
            (L("econ.issued"), f.count(tot.points_issued)),
            (L("econ.redeemed"), f.count(tot.points_redeemed)),
            (L("econ.expired"), f.count(tot.points_expired)),
            (L("econ.breakage"), f.share(rep.breakage)))),
        Section(L("sec.econ_liability"), (
            (L("econ.live"), f.count(rep.live_points)),
            (L("econ.liability", rate=f.count(rep.points_per_unit),
               one=money.format_amount(unit, rep.currency)), f.money(rep.liability)),
            (L("econ.rate"), f.share(redemption.rate)), ("", basis),
            (L("econ.expected"), f.money(rep.expected_liability)),
            (L("econ.expected_breakage"), f.share(1 - redemption.rate)))),
        Section(L("sec.econ_months"), table=Table(
            (L("col.month"), L("col.revenue"), L("col.issued"), L("col.redeemed"),
             L("col.expired"), L("col.cost"), L("col.share")),
            tuple((f"{mo.month:%Y-%m}", f.money(mo.revenue), f.count(mo.points_issued),
                   f.count(mo.points_redeemed), f.count(mo.points_expired),
                   f.money(mo.costs.total),
                   f.share(cost_share(mo.costs, mo.revenue)))
                  for mo in rep.months))),
    ]
    return Document(L("econ.title"),
                    L("econ.period", start=f.day(rep.start), end=f.day(rep.end),
                      months=len(rep.months)),
                    rep.store_name, rep.generated_at, tuple(notes), tuple(sections))
