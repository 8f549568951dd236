"""Closing a cash-drawer shift: count the drawer, see over or short, then the shift report."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from ....core import money
from ....core.errors import DomainError
from ....reports.document import Document
from ....reports.shift import shift_document
from ....services import shifts
from ....services.context import Context
from ...qt.tasks import TaskRunner
from ...text import language, tr
from ...widgets import big_label, button, parse_amount, touch_edit
from .task_dialog import TaskDialog


def document_view(doc: Document) -> QWidget:
    """A report document as labelled rows, for the screen."""
    view = QWidget()
    layout = QVBoxLayout(view)
    layout.setContentsMargins(0, 0, 0, 0)
    title = QLabel(f"<b>{doc.title}</b><br>{doc.subtitle}")
    layout.addWidget(title)
    for note in doc.notes:
        layout.addWidget(QLabel(note))
    for section in doc.sections:
        form = QFormLayout()
        if section.title:
            layout.addWidget(QLabel(f"<b>{section.title}</b>"))
        for key, value in section.rows:
            shown = QLabel(value)
            shown.setObjectName(key)
            shown.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            form.addRow(key, shown)
        layout.addLayout(form)
    return view


class CloseShiftDialog(TaskDialog):
    """``completed`` carries the closed shift's ShiftReport."""

    def __init__(self, runner: TaskRunner, ctx: Context, current: shifts.ShiftReport,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, parent, title=tr("Close the shift"), width=560)
        self.current = current
        self.amount_edit = touch_edit("counted_edit", "0.00")
        self.amount_edit.textEdited.connect(self.on_amount_edited)
        self.amount_edit.returnPressed.connect(self.on_confirm_clicked)
        self.difference = big_label("difference", 16)
        self.make_buttons(tr("Close the shift"))
        form = QFormLayout()
        form.addRow(tr("Cash counted in the drawer"), self.amount_edit)
        form.addRow(self.difference)
        self.stack(document_view(shift_document(current, language())), form)
        self.amount_edit.setFocus()

    def _counted(self) -> int:
        return parse_amount(self.amount_edit.text(), self.ctx.currency)

    @Slot()
    def on_amount_edited(self) -> None:
        try:
            counted = self._counted()
        except DomainError as exc:
            self.difference.clear()
            if self.amount_edit.text().strip():
                self.error.show_error(exc)
            return
        self.error.clear()
        diff = counted - self.current.expected
        amount = money.format_amount(abs(diff), self.ctx.currency)
        self.difference.setText(tr("Over by {0}").format(amount) if diff > 0 else
                                tr("Short by {0}").format(amount) if diff < 0 else
                                tr("The drawer is right"))

    @Slot()
    def on_confirm_clicked(self) -> None:
        if self.busy:
            return
        if not self.amount_edit.text().strip():
            self.error.show_error(tr("Count the drawer and type the cash counted."))
            return
        try:
            counted = self._counted()
        except DomainError as exc:
            self.error.show_error(exc)
            return
        ctx, shift_id = self.ctx, self.current.shift_id
        self.submit(lambda: shifts.close_shift(ctx, counted, shift_id), tr("Closing the shift"))


class ShiftReportDialog(QDialog):
    """The closed shift's report, as it went to the receipt printer."""

    def __init__(self, report: shifts.ShiftReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Shift report"))
        self.setMinimumWidth(520)
        self.ok_button = button(tr("OK"), "Esc")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(document_view(shift_document(report, language())))
        printed = QLabel(tr("The report is printing on the receipt printer."))
        printed.setWordWrap(True)
        layout.addWidget(printed)
        layout.addWidget(self.ok_button)
