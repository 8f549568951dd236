"""The approval dialog: pick the manager or owner who approves, who then types their PIN."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from ....services import staff
from ....services.context import Context
from ...qt.tasks import TaskRunner
from ...text import tr
from ...widgets import TOUCH_PX, touch_edit
from .task_dialog import TaskDialog

# staff.approve(ctx, staff_id, pin, action) or a stand-in: a view with .id and .name, or
# PermissionDenied
Approver = Callable[[Context, object, str, str], Any]
# staff.approvers or a stand-in: who may approve, run on the database worker
ApproverList = Callable[[], list[staff.StaffView]]


class ManagerPinDialog(TaskDialog):
    """``completed`` carries the approving manager (their ``id`` goes in ``approved_by``).

    The approver is picked, as a cashier picks their name to sign in, so a wrong PIN counts
    against that one account (services/staff.py has the lock-out policy)."""

    def __init__(self, runner: TaskRunner, ctx: Context, approve: Approver, action: str,
                 summary: str, parent: QWidget | None = None,
                 approvers: ApproverList = staff.approvers) -> None:
        super().__init__(runner, ctx, parent, title=tr("Manager approval"), width=460)
        self.approve = approve
        self.action = action
        self.roles = {"manager": tr("manager"), "owner": tr("owner")}
        self.who = QComboBox()
        self.who.setObjectName("who")
        self.who.setMinimumHeight(TOUCH_PX)
        self.who.setEnabled(False)
        self.pin_edit = touch_edit("pin_edit", tr("Their PIN"), secret=True)
        self.make_buttons(tr("Approve"), shortcut="")
        self.confirm_button.setEnabled(False)  # until we know who may approve
        text = QLabel(summary)
        text.setWordWrap(True)
        self.stack(text, QLabel(tr("Who approves?")), self.who, self.pin_edit)
        self.pin_edit.setFocus()
        self.error.show_info(tr("Finding the managers…"))
        self.runner.run(approvers, self.on_approvers_listed, self.error.show_error,
                        what=tr("listing the managers"))

    def on_approvers_listed(self, people: list[staff.StaffView]) -> None:
        self.who.clear()
        for person in people:
            self.who.addItem(f"{person.name} ({self.roles.get(person.role, person.role)})",
                             person.id)
        if not people:
            self.error.show_error(tr("No manager or owner account yet: an owner adds "
                                          "one on the Staff tab."))
            return
        # the manager serving at the counter is the likely approver
        mine = self.who.findData(next((p.id for p in people
                                       if str(p.id) == self.ctx.staff_id), people[0].id))
        self.who.setCurrentIndex(max(0, mine))
        self.who.setEnabled(True)
        self.confirm_button.setEnabled(True)
        self.error.clear()
        self.pin_edit.setFocus()

    @Slot()
    def on_confirm_clicked(self) -> None:
        if self.busy or self.who.currentData() is None:
            return
        staff_id, pin = self.who.currentData(), self.pin_edit.text()
        ctx, action, approve = self.ctx, self.action, self.approve
        self.pin_edit.clear()  # a PIN is never left on screen, right or wrong
        self.submit(lambda: approve(ctx, staff_id, pin, action), tr("Checking the PIN"))
