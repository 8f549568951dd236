"""Cashier sign-in: pick your name, type your PIN; the same dialog switches cashiers."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ....services import staff
from ....services.context import Context
from ...qt.tasks import TaskRunner
from ...text import tr
from ...widgets import TOUCH_PX, button, touch_edit
from .task_dialog import TaskDialog


class SignInDialog(TaskDialog):
    """``completed`` carries the signed-in StaffView; wrong PINs count towards the lock-out."""

    def __init__(self, runner: TaskRunner, ctx: Context, people: list[staff.StaffView],
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, parent, title=tr("Sign in"), width=420)
        self.who = QComboBox()
        self.who.setMinimumHeight(TOUCH_PX)
        roles = {"cashier": tr("cashier"), "manager": tr("manager"),
                 "owner": tr("owner")}
        for person in people:
            self.who.addItem(f"{person.name} ({roles.get(person.role, person.role)})",
                             person.id)
        self.pin_edit = touch_edit("pin_edit", tr("PIN"), secret=True)
        self.pin_edit.returnPressed.connect(self.on_confirm_clicked)
        self.confirm_button = button(tr("Sign in"))
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.on_confirm_clicked)
        self.change_pin_button = button(tr("Change my PIN"))
        self.change_pin_button.setAutoDefault(False)
        self.change_pin_button.clicked.connect(self.on_change_pin_clicked)
        self.people = {person.id: person for person in people}
        row = QHBoxLayout()
        row.addWidget(self.change_pin_button)
        row.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Who is at the counter?")))
        layout.addWidget(self.who)
        layout.addWidget(self.pin_edit)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self.pin_edit.setFocus()

    @Slot()
    def on_change_pin_clicked(self) -> None:
        """The person picked changes their PIN; then they sign in with the new one."""
        from .change_pin_dialog import ChangePinDialog

        person = self.people.get(self.who.currentData())
        if person is None or self.busy:
            return
        self.pin_dialog = ChangePinDialog(self.runner, self.ctx, person, self)
        self.pin_dialog.completed.connect(lambda _person: self.error.show_info(
            tr("The PIN is changed: sign in with the new one.")))
        self.pin_dialog.open()

    @Slot()
    def on_confirm_clicked(self) -> None:
        if self.busy:
            return
        staff_id, pin, ctx = self.who.currentData(), self.pin_edit.text(), self.ctx
        self.pin_edit.clear()  # a PIN is never left on screen, right or wrong
        self.submit(lambda: staff.sign_in(ctx, staff_id, pin), tr("Signing in"))
