"""Layouts: receipts, slips and reports as pure functions from data to a Printout."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from terminal.core.config import PrinterSettings, Settings
from terminal.core.money import format_amount
from terminal.services.receipts import Receipt, ReceiptCoupon, ReceiptMember

from .charset import charset
from .labels import label
from .printout import (
    QR,
    Align,
    Cut,
    Drawer,
    Feed,
    Op,
    Printout,
    Rule,
    Text,
    Typesetter,
    columns_for,
)

TEST_QR_PAYLOAD = "MEMBER-TERMINAL-PRINTER-TEST"


@dataclass(frozen=True)
class LayoutOptions:
    """What a layout needs to know about the paper, the printer's charset and the shop."""

    paper_mm: int = 80
    columns: int = 0  # 0: 48 on 80 mm, 32 on 58 mm
    encoding: str = "GB18030"
    language: str = "en"
    cash_drawer: bool = False
    footer: str = ""  # empty: the programme's footer (Receipt.texts), else the "thank you" label
    qr_size: int = 6

    @classmethod
    def from_settings(cls, settings: Settings, printer: PrinterSettings | None = None,
                      **overrides: Any) -> LayoutOptions:
        p = printer or settings.printer
        opts = cls(paper_mm=p.paper_mm, columns=p.columns, encoding=p.encoding,
                   language=settings.store.language, cash_drawer=p.cash_drawer)
        return replace(opts, **overrides)


@dataclass(frozen=True)
class MemberCardSlip:
    store_name: str
    member_name: str
    card_no: str
    phone_masked: str
    tier: str
    code_payload: str  # the member QR code (M1.…)
    enrolled_at: date | datetime | None = None
    page_url: str = ""  # the member's own page (a signed link), when the shop publishes it


@dataclass(frozen=True)
class TestPage:
    """The printer test page's data: the shop's name and status lines (label, value)."""

    __test__ = False  # not a pytest test class, despite the name

    store_name: str
    details: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ReportTable:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    aligns: str = ""  # one "l" or "r" per column; default: first left, the rest right


@dataclass(frozen=True)
class ReportSection:
    title: str = ""
    rows: tuple[tuple[str, str], ...] = ()  # key/value pairs, values already formatted
    table: ReportTable | None = None


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str = ""  # the period, e.g. "2026-11-23 08:00 - 22:00"
    store_name: str = ""
    printed_at: datetime | None = None
    sections: tuple[ReportSection, ...] = ()


class _Builder:
    """Appends ops, wrapping every line to the paper's columns."""

    def __init__(self, opts: LayoutOptions) -> None:
        self.opts = opts
        self.columns = columns_for(opts.paper_mm, opts.columns)
        self.charset = charset(opts.encoding)
        self.t = Typesetter(self.charset, self.columns)
        self.ops: list[Op] = []

    def L(self, key: str, **values: object) -> str:  # short, like gettext _()
        return label(key, self.opts.language, **values)

    def text(self, text: str, align: Align = "left", *, bold: bool = False,
             double: bool = False) -> None:
        cols = self.columns // 2 if double else self.columns
        for line in self.t.wrap(text, cols):
            self.ops.append(Text(line, align, bold, double))

    def pair(self, left: str, right: str, *, bold: bool = False, double: bool = False) -> None:
        cols = self.columns // 2 if double else self.columns
        for line in self.t.pair(left, right, cols):
            self.ops.append(Text(line, "left", bold, double))

    def raw_line(self, line: str) -> None:
        self.ops.append(Text(line))

    def rule(self, char: str = "-") -> None:
        self.ops.append(Rule(char))

    def qr(self, payload: str, size: int | None = None) -> None:
        self.ops.append(QR(payload, size or self.opts.qr_size))

    def end(self) -> None:
        # python-escpos feeds six lines before cutting (print head to cutter): no extra feed.
        self.ops.append(Cut())

    def document(self, kind: str) -> Printout:
        return Printout(tuple(self.ops), self.columns, self.opts.paper_mm, self.charset, kind)


def _day(value: date | datetime) -> str:
    return value.strftime("%Y-%m-%d")


def _header(b: _Builder, store_name: str, address: str = "", line: str = "") -> None:
    b.text(store_name, "center", bold=True, double=True)
    if address:
        b.text(address, "center")
    if line:
        b.text(line, "center")
    b.ops.append(Feed(1))


def _coupon_block(b: _Builder, coupon: ReceiptCoupon) -> None:
    b.text(coupon.name_in(b.opts.language), "center", bold=True)
    b.qr(coupon.payload)
    b.text(f"{b.L('coupon_code')}: {coupon.code}", "center")
    b.text(b.L("valid_until", date=_day(coupon.valid_until)), "center")


def _page_link(b: _Builder, url: str) -> None:
    """The member's own page as a QR code for their phone, and what it is."""
    if url:
        b.rule()
        b.qr(url)
        b.text(b.L("page_link"), "center")


def _member_block(b: _Builder, mem: ReceiptMember, currency: str) -> None:
    b.rule()
    b.pair(f"{b.L('member')}: {mem.name}" if mem.name else b.L("member"), mem.tier, bold=True)
    b.pair(b.L("card_no"), mem.card_no)
    if mem.phone_masked:
        b.pair(b.L("phone"), mem.phone_masked)
    if mem.points_earned:
        b.pair(b.L("points_earned"), f"{mem.points_earned:+,}")
    if mem.points_redeemed:
        b.pair(b.L("points_redeemed"), f"{-mem.points_redeemed:+,}")
    b.pair(b.L("points_balance"), f"{mem.points_balance:,}")
    if mem.stored_value_balance:
        b.pair(b.L("sv_balance"), format_amount(mem.stored_value_balance, currency))
    for card in mem.punch_cards:
        b.text(b.L("visits_left", name=card.name, left=card.visits_left,
                   total=card.visits_total))
        if card.expires_at is not None:
            b.text(b.L("visits_until", date=_day(card.expires_at)))
    if mem.expiring_points and mem.expiring_on is not None:
        b.text(b.L("points_expire", points=f"{mem.expiring_points:,}",
                   date=_day(mem.expiring_on)), bold=True)
    _page_link(b, mem.page_url)


def receipt(rc: Receipt, opts: LayoutOptions, *, copy: bool = False) -> Printout:
    """Sale, refund, void and top-up receipts; ``copy`` marks a reprint (and opens no drawer)."""
    b = _Builder(opts)
    cur = rc.currency

    def amt(value: int) -> str:
        return format_amount(value, cur, symbol=False)

    if opts.cash_drawer and not copy and any(k == "cash" and v > 0 for k, v in rc.tenders):
        # First in the job: the drawer opens while the receipt prints.
        b.ops.append(Drawer())
    _header(b, rc.store_name, rc.store_address, rc.texts.header_in(opts.language))
    if copy:
        b.text(b.L("copy"), "center", bold=True)
    b.text(b.L(rc.kind) if rc.kind in ("sale", "refund", "void", "topup", "topup_reversal")
           else rc.kind.upper(), "center", bold=True)
    b.pair(b.L("receipt_no"), rc.receipt_no)
    b.pair(b.L("date"), rc.created_at.strftime("%Y-%m-%d %H:%M"))
    b.pair(b.L("terminal"), rc.terminal_id)
    if rc.cashier:
        b.pair(b.L("cashier"), rc.cashier)
    if rc.original_receipt_no:
        b.pair(b.L("original"), rc.original_receipt_no, bold=True)
    if rc.lines:
        b.rule()
        for ln in rc.lines:
            b.text(ln.name)
            b.pair(f"  {ln.qty} x {amt(ln.unit_price)}", amt(ln.gross))
            if ln.list_price is not None:
                b.text(f"  {b.L('member_price', price=amt(ln.list_price))}")
            if ln.discount:
                b.pair(f"  {b.L('line_discount')}", amt(-ln.discount))
        b.rule()
        b.pair(b.L("subtotal"), amt(rc.subtotal))
        for kind, amount in rc.discounts:
            b.pair(b.L(f"discount.{kind}"), amt(-amount))
    else:
        b.rule()
    b.pair(b.L("total"), format_amount(rc.total, cur), bold=True, double=True)
    if rc.member_saving > 0:
        b.pair(b.L("member_saving"), amt(rc.member_saving), bold=True)
    if rc.sv_bonus:
        b.pair(b.L("sv_bonus"), amt(rc.sv_bonus))
        b.pair(b.L("sv_credited"), amt(rc.total + rc.sv_bonus), bold=True)
    for kind, amount in rc.tenders:
        b.pair(b.L(f"tender.{kind}"), amt(amount))
    if rc.change:
        b.pair(b.L("change"), amt(rc.change), bold=True)
    if rc.member is not None:
        _member_block(b, rc.member, cur)
    if rc.coupons:
        b.rule("=")
        b.text(b.L("coupons_issued"), "center", bold=True)
        for i, coupon in enumerate(rc.coupons):
            if i:
                b.rule()
            _coupon_block(b, coupon)
    b.rule()
    if rc.note:
        b.text(f"{b.L('note')}: {rc.note}")
    b.text(opts.footer or rc.texts.footer_in(opts.language) or b.L("thanks"), "center")
    if copy:
        b.text(b.L("copy"), "center", bold=True)
    b.end()
    return b.document(f"receipt.{rc.kind}")


def coupon_slip(coupon: ReceiptCoupon, store_name: str, opts: LayoutOptions) -> Printout:
    b = _Builder(opts)
    _header(b, store_name)
    b.text(b.L("coupon"), "center", bold=True, double=True)
    b.rule()
    _coupon_block(b, coupon)
    b.rule()
    b.end()
    return b.document("coupon")


def member_card(slip: MemberCardSlip, opts: LayoutOptions) -> Printout:
    b = _Builder(opts)
    _header(b, slip.store_name)
    b.text(b.L("member_card"), "center", bold=True, double=True)
    b.rule()
    if slip.member_name:
        b.text(slip.member_name, "center", bold=True)
    b.pair(b.L("card_no"), slip.card_no)
    if slip.phone_masked:
        b.pair(b.L("phone"), slip.phone_masked)
    b.pair(b.L("tier"), slip.tier)
    if slip.enrolled_at is not None:
        b.pair(b.L("enrolled"), _day(slip.enrolled_at))
    b.qr(slip.code_payload, opts.qr_size + 1)
    b.text(b.L("show_code"), "center")
    _page_link(b, slip.page_url)
    b.end()
    return b.document("member_card")


def _table_widths(b: _Builder, table: ReportTable) -> list[int]:
    n = len(table.headers)
    widths = [max(b.t.width(str(r[i])) for r in (table.headers, *table.rows)) for i in range(n)]
    over = sum(widths) + (n - 1) - b.columns
    if over > 0:
        # The first column (a name) gives way first, so numbers are cut only as a last resort.
        widths[0] = max(widths[0] - over, 4)
    while sum(widths) + (n - 1) > b.columns and max(widths) > 2:
        widths[widths.index(max(widths))] -= 1
    return widths


def report(rep: Report, opts: LayoutOptions) -> Printout:
    """The generic report: title, period, then sections of key/value rows and tables."""
    b = _Builder(opts)
    if rep.store_name:
        b.text(rep.store_name, "center", bold=True)
    b.text(rep.title, "center", bold=True, double=True)
    if rep.subtitle:
        b.text(rep.subtitle, "center")
    if rep.printed_at is not None:
        b.pair(b.L("printed_at"), rep.printed_at.strftime("%Y-%m-%d %H:%M"))
    for section in rep.sections:
        b.rule()
        if section.title:
            b.text(section.title, bold=True)
        for key, value in section.rows:
            b.pair(key, value)
        if section.table is not None:
            table = section.table
            aligns = table.aligns or "l" + "r" * (len(table.headers) - 1)
            widths = _table_widths(b, table)
            b.ops.append(Text(b.t.row(list(table.headers), widths, aligns), bold=True))
            for row in table.rows:
                b.raw_line(b.t.row([str(c) for c in row], widths, aligns))
    b.rule()
    b.end()
    return b.document("report")


def printer_test_page(store_name: str, opts: LayoutOptions,
                      details: tuple[tuple[str, str], ...] = ()) -> Printout:
    """Store name, a Chinese sample, rulers that show the column count, a QR code, status."""
    b = _Builder(opts)
    _header(b, store_name)
    b.text(b.L("test_page"), "center", bold=True, double=True)
    b.rule()
    b.text(label("chinese_sample", "zh_CN"))
    b.text(b.L("ruler"))
    cols = b.columns
    b.raw_line("".join(str(i // 10 % 10) if i % 10 == 0 else " " for i in range(1, cols + 1)))
    b.raw_line("".join(str(i % 10) for i in range(1, cols + 1)))
    b.raw_line(b.t.printable("中" * (cols // 2)))
    b.rule()
    b.text(b.L("qr_test"), "center")
    b.qr(TEST_QR_PAYLOAD)
    b.text(TEST_QR_PAYLOAD, "center")
    b.rule()
    b.pair(b.L("columns"), str(cols))
    b.pair(b.L("encoding"), opts.encoding)
    for key, value in details:
        b.pair(key, value)
    b.end()
    return b.document("test")
