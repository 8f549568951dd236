"""Changing one's own PIN: the PIN now, the new one twice."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from ....services import staff
from ....services.context import Context
from ...qt.tasks import TaskRunner
from ...text import tr
from ...widgets import TOUCH_PX, button
from .task_dialog import TaskDialog


class ChangePinDialog(TaskDialog):
    """``completed`` carries the StaffView whose PIN changed; wrong PINs count towards the
    lock-out, as at sign-in."""

    def __init__(self, runner: TaskRunner, ctx: Context, person: staff.StaffView,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, parent)
        self.person = person
        self.setWindowTitle(tr("Change my PIN"))
        self.setMinimumWidth(480)
        self.edits = []
        for name in ("old_pin", "new_pin", "repeat_pin"):
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMinimumHeight(TOUCH_PX)
            edit.setMaxLength(8)
            self.edits.append(edit)
        self.old_edit, self.new_edit, self.repeat_edit = self.edits
        self.repeat_edit.returnPressed.connect(self.on_confirm_clicked)
        self.confirm_button = button(tr("Change the PIN"), "F9")
        self.confirm_button.setDefault(True)
        self.cancel_button = button(tr("Cancel"), "Esc")
        self.cancel_button.setAutoDefault(False)
        form = QFormLayout()
        form.addRow(tr("PIN now"), self.old_edit)
        form.addRow(tr("New PIN (4 to 8 digits)"), self.new_edit)
        form.addRow(tr("New PIN again"), self.repeat_edit)
        self.stack(QLabel(person.name), form, cancel=self.cancel_button,
                   confirm=self.confirm_button)
        self.confirm_button.clicked.connect(self.on_confirm_clicked)
        self.old_edit.setFocus()

    @Slot()
    def on_confirm_clicked(self) -> None:
        if self.busy:
            return
        old, new, again = (e.text() for e in self.edits)
        for edit in self.edits:  # a PIN is never left on screen, right or wrong
            edit.clear()
        self.old_edit.setFocus()
        ctx, staff_id = self.ctx.as_staff(str(self.person.id)), self.person.id
        self.submit(lambda: staff.change_pin(ctx, staff_id, old, new, again),
                    self.confirm_button, tr("Changing the PIN"))
