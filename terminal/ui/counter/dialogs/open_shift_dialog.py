"""Opening a cash-drawer shift: the cashier counts the float into the drawer."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from ....core.errors import DomainError
from ....services import shifts
from ....services.context import Context
from ...qt.tasks import TaskRunner
from ...text import tr
from ...widgets import TOUCH_PX, button, parse_amount
from .task_dialog import TaskDialog


class OpenShiftDialog(TaskDialog):
    """``completed`` carries the new shift's ShiftReport."""

    def __init__(self, runner: TaskRunner, ctx: Context, cashier: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, parent)
        self.setWindowTitle(tr("Open a shift"))
        self.setMinimumWidth(520)
        intro = QLabel(tr("Count the cash in the drawer before the first sale: every sale "
                          "at this counter then counts towards the shift."))
        intro.setWordWrap(True)
        who = QLabel(cashier)
        who.setStyleSheet("font-weight: bold;")
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("float_edit")
        self.amount_edit.setMinimumHeight(TOUCH_PX)
        self.amount_edit.setPlaceholderText("0.00")
        self.amount_edit.returnPressed.connect(self.on_confirm_clicked)
        self.amount_edit.textEdited.connect(self.error.clear)
        self.confirm_button = button(tr("Open the shift"), "F9")
        self.confirm_button.setDefault(True)
        self.cancel_button = button(tr("Not now"), "Esc")
        self.cancel_button.setAutoDefault(False)
        form = QFormLayout()
        form.addRow(tr("Float in the drawer"), self.amount_edit)
        self.stack(who, intro, form, cancel=self.cancel_button, confirm=self.confirm_button)
        self.confirm_button.clicked.connect(self.on_confirm_clicked)
        self.amount_edit.setFocus()

    @Slot()
    def on_confirm_clicked(self) -> None:
        if self.busy:
            return
        try:
            amount = parse_amount(self.amount_edit.text(), self.ctx.currency)
        except DomainError as exc:
            self.error.show_error(exc)
            return
        ctx = self.ctx
        self.submit(lambda: shifts.open_shift(ctx, amount), self.confirm_button,
                    tr("Opening the shift"))
