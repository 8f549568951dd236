"""Opening a cash-drawer shift: the cashier counts the float into the drawer."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from ....core.errors import DomainError
from ....services import shifts
from ....services.context import Context
from ...qt.tasks import TaskRunner
from ...text import tr
from ...widgets import parse_amount, touch_edit
from .task_dialog import TaskDialog


class OpenShiftDialog(TaskDialog):
    """``completed`` carries the new shift's ShiftReport."""

    def __init__(self, runner: TaskRunner, ctx: Context, cashier: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, parent, title=tr("Open a shift"), width=520)
        intro = QLabel(tr("Count the cash in the drawer before the first sale: every sale "
                          "at this counter then counts towards the shift."))
        intro.setWordWrap(True)
        who = QLabel(cashier)
        who.setStyleSheet("font-weight: bold;")
        self.amount_edit = touch_edit("float_edit", "0.00")
        self.amount_edit.returnPressed.connect(self.on_confirm_clicked)
        self.amount_edit.textEdited.connect(self.error.clear)
        self.make_buttons(tr("Open the shift"), tr("Not now"))
        form = QFormLayout()
        form.addRow(tr("Float in the drawer"), self.amount_edit)
        self.stack(who, intro, form)
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
        self.submit(lambda: shifts.open_shift(ctx, amount), tr("Opening the shift"))
