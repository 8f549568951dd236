"""The refund dialog: find a past sale by receipt number, choose what comes back, approve."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ....core import i18n, money
from ....core.errors import InvalidInput
from ....services import refunds
from ....services.context import Context
from ....services.lookup import SaleSummary, find_sale
from ...qt.tasks import TaskRunner
from ...text import language, tr
from ...widgets import TOUCH_PX, big_label, button, check_box, parse_amount, touch_edit
from .manager_pin import Approver, ManagerPinDialog
from .task_dialog import TaskDialog


class RefundDialog(TaskDialog):
    """``completed`` carries the refund's Receipt."""

    def __init__(self, runner: TaskRunner, ctx: Context, approve: Approver,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, parent, title=tr("Refund or void a sale"), width=680)
        self.setMinimumHeight(480)
        self.approve = approve
        self.sale: SaleSummary | None = None
        self.pin_dialog: ManagerPinDialog | None = None
        self.receipt_edit = touch_edit("receipt_edit", tr(
            "Receipt number, e.g. {0}-000042").format(ctx.terminal_id))
        self.find_button = button(tr("Find"))
        self.sale_label = QLabel()
        self.sale_label.setWordWrap(True)
        self.lines = QTableWidget(0, 3)
        self.lines.setHorizontalHeaderLabels([tr("Item"), tr("Amount"),
                                              tr("Return")])
        self.lines.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.lines.verticalHeader().setDefaultSectionSize(TOUCH_PX)
        self.lines.verticalHeader().hide()
        self.void_box = check_box(tr("Void the whole sale (today's sales only)"))
        # how much goes back and where: the service's quote, split as the manager chooses
        self.quote: refunds.Quote | None = None
        self.split_asked: dict[str, int] | None = None  # the split the manager approves
        self.amount_label = big_label("refund_amount", 14)
        self.split_edits: dict[str, QLineEdit] = {}
        self.split_labels: dict[str, QLabel] = {}
        split = QGridLayout()
        split.setColumnStretch(1, 1)
        for i, tender in enumerate(refunds.TENDERS):
            label, edit = QLabel(), touch_edit(f"back_{tender}")
            split.addWidget(label, i, 0)
            split.addWidget(edit, i, 1)
            self.split_labels[tender], self.split_edits[tender] = label, edit
        self.show_quote(None)
        self.quote_timer = QTimer(self)
        self.quote_timer.setSingleShot(True)
        self.quote_timer.setInterval(200)  # one quote per pause in choosing
        self.quote_timer.timeout.connect(self.on_quote_timer_timeout)
        self.void_box.toggled.connect(self.quote_timer.start)
        self.reason_edit = touch_edit("reason_edit", tr("Reason"))
        self.make_buttons(tr("Refund"))
        self.confirm_button.setEnabled(False)
        # Enter finds the sale: no button takes it
        for b in (self.find_button, self.confirm_button):
            b.setDefault(False)
            b.setAutoDefault(False)
        top = QHBoxLayout()
        top.addWidget(self.receipt_edit, 1)
        top.addWidget(self.find_button)
        self.stack(top, self.sale_label, (self.lines, 1), self.void_box, self.amount_label,
                   split, self.reason_edit)
        self.receipt_edit.returnPressed.connect(self.on_find_clicked)
        self.find_button.clicked.connect(self.on_find_clicked)
        self.receipt_edit.setFocus()

    @Slot()
    def on_find_clicked(self) -> None:
        ctx, text = self.ctx, self.receipt_edit.text()
        self.error.show_info(tr("Finding the sale…"))
        self.runner.run(lambda: find_sale(ctx, text), self.on_sale_found, self.error.show_error,
                        what=tr("finding the sale"))

    def on_sale_found(self, sale: SaleSummary) -> None:
        self.sale = sale
        self.error.clear()
        fmt = lambda v: money.format_amount(v, self.ctx.currency)  # noqa: E731
        self.sale_label.setText(tr("{0}  {1}  {2}  total {3}  {4}").format(
            sale.receipt_no, sale.business_date, sale.member_name or tr("no member"),
            fmt(sale.total), i18n.term(language(), "sale status", sale.status)))
        self.lines.setRowCount(len(sale.lines))
        for i, ln in enumerate(sale.lines):
            self.lines.setItem(i, 0, QTableWidgetItem(f"{ln.name} x{ln.qty}"))
            amount = QTableWidgetItem(fmt(ln.net))
            amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.lines.setItem(i, 1, amount)
            spin = QSpinBox()
            spin.setRange(0, ln.refundable)
            spin.setValue(ln.refundable)
            spin.setMinimumHeight(TOUCH_PX)
            spin.valueChanged.connect(self.quote_timer.start)
            self.lines.setCellWidget(i, 2, spin)
        self.confirm_button.setEnabled(True)
        self.on_quote_timer_timeout()

    def fmt(self, value: int) -> str:
        return money.format_amount(value, self.ctx.currency)

    def request(self, approved_by: str | None,
                tenders: dict[str, int] | None = None) -> refunds.RefundRequest:
        """The refund or void chosen on screen."""
        assert self.sale is not None
        void = self.void_box.isChecked()
        return refunds.RefundRequest(
            idempotency_key=self.key, txn_id=self.sale.txn_id, approved_by=approved_by,
            lines=None if void or self.sale.kind != "sale" else self.returned(),
            reason=self.reason_edit.text().strip(), void=void, tenders=tenders)

    @Slot()
    def on_quote_timer_timeout(self) -> None:
        """What goes back and where, worked out by the service (nothing is written)."""
        if self.sale is None or self.sale.kind != "sale":
            self.show_quote(None)
            return
        if not self.returned() and not self.void_box.isChecked():
            self.show_quote(None)
            return
        ctx, req = self.ctx, self.request(None)
        self.runner.run(lambda: refunds.quote(ctx, req), self.show_quote, self.error.show_error,
                        what=tr("working out the refund"))

    def show_quote(self, quote: refunds.Quote | None) -> None:
        self.quote = quote
        self.amount_label.setText("" if quote is None else tr(
            "Back to the customer: {0}").format(self.fmt(quote.amount)))
        for tender in refunds.TENDERS:
            room = 0 if quote is None else quote.room[tender]
            label, edit = self.split_labels[tender], self.split_edits[tender]
            label.setText(tr("{0} (at most {1})").format(
                i18n.term(language(), "tender", refunds.TENDER_WORDS[tender]).capitalize(),
                self.fmt(room)))
            edit.setText("" if quote is None else money.format_amount(
                quote.split[tender], self.ctx.currency, symbol=False))
            for widget in (label, edit):
                widget.setVisible(room > 0)

    def split(self) -> dict[str, int]:
        """The amounts typed to go back each way (InvalidInput for a bad one)."""
        return {t: parse_amount(e.text(), self.ctx.currency) for t, e in self.split_edits.items()
                if not e.isHidden() or e.text().strip()}

    def destination(self, split: dict[str, int]) -> str:
        return tr(", ").join(tr("{0} {1}").format(
            self.fmt(amount), i18n.term(language(), "tender", refunds.TENDER_WORDS[t]))
            for t, amount in split.items() if amount)

    def returned(self) -> dict[str, int]:
        assert self.sale is not None
        out: dict[str, int] = {}
        for i, ln in enumerate(self.sale.lines):
            spin = self.lines.cellWidget(i, 2)
            if isinstance(spin, QSpinBox) and spin.value():
                out[ln.id] = spin.value()
        return out

    @Slot()
    def on_confirm_clicked(self) -> None:
        if self.sale is None:
            self.error.show_error(InvalidInput("find the sale first"))
            return
        if self.sale.lines and not self.returned() and not self.void_box.isChecked():
            self.error.show_error(InvalidInput("choose at least one item to return"))
            return
        action = "void" if self.void_box.isChecked() else "refund"
        what = (tr("A manager approves voiding receipt {0}.") if action == "void" else
                tr("A manager approves the refund of receipt {0}.")).format(
            self.sale.receipt_no)
        self.split_asked = None
        if self.quote is not None:
            try:
                self.split_asked = self.split()
            except InvalidInput as exc:
                self.error.show_error(exc)
                return
            if sum(self.split_asked.values()) != self.quote.amount:
                self.error.show_error(tr("The amounts to give back add up to {0}; the refund "
                                         "is {1}.").format(self.fmt(sum(self.split_asked
                                                                        .values())),
                                                           self.fmt(self.quote.amount)))
                return
            what += "\n" + tr("{0} back: {1}.").format(self.fmt(self.quote.amount),
                                                       self.destination(self.split_asked))
        self.pin_dialog = ManagerPinDialog(self.runner, self.ctx, self.approve, action, what,
                                           self)
        self.pin_dialog.completed.connect(self.on_manager_approved)
        self.pin_dialog.rejected.connect(self.on_pin_rejected)
        self.pin_dialog.open()

    @Slot()
    def on_pin_rejected(self) -> None:
        self.error.show_error(tr("Not refunded: a refund or void needs a manager's "
                                      "approval."))

    def on_manager_approved(self, staff: Any) -> None:
        req = self.request(str(staff.id), self.split_asked)
        ctx = self.ctx
        self.submit(lambda: refunds.refund(ctx, req), tr("Recording the refund"))
