"""The manager PIN dialog: a manager approves a refund or void with their PIN."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ..services.context import Context
from .task_dialog import TaskDialog
from .tasks import TaskRunner
from .widgets import TOUCH_PX, button

# staff.approve(ctx, pin, action) or a stand-in: a view with .id and .name, or PermissionDenied
Approver = Callable[[Context, str, str], Any]


class ManagerPinDialog(TaskDialog):
    """``completed`` carries the approving manager (their ``id`` goes in ``approved_by``)."""

    def __init__(self, runner: TaskRunner, ctx: Context, approve: Approver, action: str,
                 summary: str, parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, parent)
        self.approve = approve
        self.action = action
        self.setWindowTitle(self.tr("Manager approval"))
        self.setMinimumWidth(420)
        self.pin_edit = QLineEdit()
        self.pin_edit.setObjectName("pin_edit")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMinimumHeight(TOUCH_PX)
        self.pin_edit.setPlaceholderText(self.tr("Manager PIN"))
        self.confirm_button = button(self.tr("Approve"))
        self.confirm_button.setDefault(True)
        self.cancel_button = button(self.tr("Cancel"), "Esc")
        self.cancel_button.setAutoDefault(False)
        text = QLabel(summary)
        text.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.cancel_button)
        row.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.pin_edit)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self.confirm_button.clicked.connect(self.on_confirm_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.pin_edit.setFocus()

    @Slot()
    def on_confirm_clicked(self) -> None:
        pin, ctx, action, approve = self.pin_edit.text(), self.ctx, self.action, self.approve
        self.pin_edit.selectAll()  # a wrong PIN is retyped over, not appended to
        self.submit(lambda: approve(ctx, pin, action), self.confirm_button,
                    self.tr("Checking the PIN"))
