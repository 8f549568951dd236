"""The receipt pane: a text rendering of the Receipt model until the printer's preview lands."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from ...core import money
from ...services.receipts import Receipt
from ..text import language, tr, trc, trn

WIDTH = 36


class ReceiptView(QPlainTextEdit):
    """Read-only receipt text; ``show_receipt`` is the one entry point."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setObjectName("receipt_view")
        self.setPlaceholderText(tr("The receipt of the last sale appears here."))
        font = QFont(self.font())
        font.setPointSize(max(9, font.pointSize() - 3))
        self.setFont(font)
        self.receipt: Receipt | None = None

    def show_receipt(self, receipt: Receipt) -> None:
        self.receipt = receipt
        self.setPlainText(self.text_of(receipt))

    def text_of(self, r: Receipt) -> str:
        fmt = lambda v: money.format_amount(v, r.currency)  # noqa: E731
        kinds = {"sale": tr("Sale"), "refund": tr("Refund"), "void": tr("Void"),
                 "topup": tr("Top-up"), "visit": tr("Punch card visit"),
                 "topup_reversal": tr("Top-up reversal"),
                 "cash_out": tr("Stored value refund"),
                 "adjust": tr("Points adjustment")}
        labels = {"line": trc("on-screen receipt", "Line discount"), "tier": tr("Member discount"),
                  "coupon": tr("Coupon"), "points": tr("Points"),
                  "stored_value": tr("Stored value"), "cash": tr("Cash"),
                  "card": tr("Card"), "other": tr("Other")}
        pair = tr("{0}: {1}")  # "label: amount", with the language's own colon
        out = [r.store_name, *([r.store_address] if r.store_address else []), "-" * WIDTH,
               f"{kinds.get(r.kind, r.kind)}  {r.receipt_no}",
               r.created_at.strftime("%Y-%m-%d %H:%M")]
        if r.original_receipt_no:
            out.append(tr("For receipt {0}").format(r.original_receipt_no))
        out.append("-" * WIDTH)
        for ln in r.lines:
            out.append(ln.name)
            out.append(f"  {ln.qty} x {fmt(ln.unit_price)}  = {fmt(ln.net)}")
            if ln.list_price is not None:
                out.append("  " + tr("member price (price {0})").format(fmt(ln.list_price)))
            if ln.discount:
                out.append("  " + tr("saved {0}").format(fmt(ln.discount)))
        out += ["-" * WIDTH, tr("Subtotal: {0}").format(fmt(r.subtotal))]
        out += [pair.format(labels.get(k, k), f"-{fmt(v)}") for k, v in r.discounts]
        out.append(tr("Total: {0}").format(fmt(r.total)))
        if r.member_saving > 0:
            out.append(tr("Member prices saved you: {0}").format(fmt(r.member_saving)))
        out += [pair.format(labels.get(k, k), fmt(v)) for k, v in r.tenders]
        if r.change:
            out.append(tr("Change: {0}").format(fmt(r.change)))
        if r.sv_bonus:
            out.append(tr("Top-up bonus: {0}").format(fmt(r.sv_bonus)))
        if r.member is not None:
            mb = r.member
            out += ["-" * WIDTH, f"{mb.name}  {mb.phone_masked}",
                    tr("Card {0}  {1}").format(mb.card_no, mb.tier),
                    tr("Points earned {0}, used {1}, balance {2}").format(
                        mb.points_earned, mb.points_redeemed, mb.points_balance),
                    tr("Stored value balance: {0}").format(fmt(mb.stored_value_balance))]
            if mb.expiring_points and mb.expiring_on:
                out.append(trn("{n} point expires on {0}", "{n} points expire on {0}",
                               mb.expiring_points).format(mb.expiring_on.strftime("%Y-%m-%d")))
            out += [trn("{0}: {n} of {1} visit left", "{0}: {n} of {1} visits left",
                        c.visits_left).format(c.name, c.visits_total) for c in mb.punch_cards]
        for c in r.coupons:
            out.append(tr("Coupon for next time: {0} ({1}), until {2}").format(
                c.name_in(language()), c.code, c.valid_until.strftime("%Y-%m-%d")))
        if r.note:
            out.append(r.note)
        return "\n".join(out)
