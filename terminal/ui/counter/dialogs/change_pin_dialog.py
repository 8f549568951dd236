"""Changing one's own PIN: the PIN now, the new one twice."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from ....services import staff
from ....services.context import Context
from ...qt.tasks import TaskRunner
from ...text import tr
from ...widgets import touch_edit
from .task_dialog import TaskDialog


class ChangePinDialog(TaskDialog):
    """``completed`` carries the StaffView whose PIN changed; wrong PINs count towards the
    lock-out, as at sign-in."""

    def __init__(self, runner: TaskRunner, ctx: Context, person: staff.StaffView,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, parent, title=tr("Change my PIN"), width=480)
        self.person = person
        self.edits = [touch_edit(name, secret=True, max_length=8)
                      for name in ("old_pin", "new_pin", "repeat_pin")]
        self.old_edit, self.new_edit, self.repeat_edit = self.edits
        self.repeat_edit.returnPressed.connect(self.on_confirm_clicked)
        self.make_buttons(tr("Change the PIN"))
        form = QFormLayout()
        form.addRow(tr("PIN now"), self.old_edit)
        form.addRow(tr("New PIN (4 to 8 digits)"), self.new_edit)
        form.addRow(tr("New PIN again"), self.repeat_edit)
        self.stack(QLabel(person.name), form)
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
                    tr("Changing the PIN"))
