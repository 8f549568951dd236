"""The refund dialog: find a past sale by receipt number, choose what comes back, approve."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
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
from ...widgets import TOUCH_PX, button, check_box
from .manager_pin import Approver, ManagerPinDialog
from .task_dialog import TaskDialog


class RefundDialog(TaskDialog):
    """``completed`` carries the refund's Receipt."""

    def __init__(self, runner: TaskRunner, ctx: Context, approve: Approver,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, parent)
        self.approve = approve
        self.sale: SaleSummary | None = None
        self.pin_dialog: ManagerPinDialog | None = None
        self.setWindowTitle(tr("Refund or void a sale"))
        self.setMinimumSize(680, 480)
        self.receipt_edit = QLineEdit()
        self.receipt_edit.setObjectName("receipt_edit")
        self.receipt_edit.setPlaceholderText(tr("Receipt number, e.g. {0}-000042").format(
            ctx.terminal_id))
        self.receipt_edit.setMinimumHeight(TOUCH_PX)
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
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason_edit")
        self.reason_edit.setPlaceholderText(tr("Reason"))
        self.reason_edit.setMinimumHeight(TOUCH_PX)
        self.confirm_button = button(tr("Refund"), "F9")
        self.confirm_button.setEnabled(False)
        self.cancel_button = button(tr("Cancel"), "Esc")
        for b in (self.find_button, self.confirm_button, self.cancel_button):
            b.setAutoDefault(False)
        top = QHBoxLayout()
        top.addWidget(self.receipt_edit, 1)
        top.addWidget(self.find_button)
        self.stack(top, self.sale_label, (self.lines, 1), self.void_box, self.reason_edit,
                   cancel=self.cancel_button, confirm=self.confirm_button)
        self.receipt_edit.returnPressed.connect(self.on_find_clicked)
        self.find_button.clicked.connect(self.on_find_clicked)
        self.confirm_button.clicked.connect(self.on_confirm_clicked)
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
            self.lines.setCellWidget(i, 2, spin)
        self.confirm_button.setEnabled(True)

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
        self.pin_dialog = ManagerPinDialog(
            self.runner, self.ctx, self.approve, action,
            (tr("A manager approves voiding receipt {0}.") if action == "void" else
             tr("A manager approves the refund of receipt {0}.")).format(
                self.sale.receipt_no), self)
        self.pin_dialog.completed.connect(self.on_manager_approved)
        self.pin_dialog.rejected.connect(self.on_pin_rejected)
        self.pin_dialog.open()

    @Slot()
    def on_pin_rejected(self) -> None:
        self.error.show_error(tr("Not refunded: a refund or void needs a manager's "
                                      "approval."))

    def on_manager_approved(self, staff: Any) -> None:
        assert self.sale is not None
        void = self.void_box.isChecked()
        req = refunds.RefundRequest(
            idempotency_key=self.key, txn_id=self.sale.txn_id, approved_by=str(staff.id),
            lines=None if void or self.sale.kind != "sale" else self.returned(),
            reason=self.reason_edit.text().strip(), void=void)
        ctx = self.ctx
        self.submit(lambda: refunds.refund(ctx, req), self.confirm_button,
                    tr("Recording the refund"))
