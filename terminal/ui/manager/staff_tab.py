"""The staff tab: who works the counter, adding someone, a new PIN for someone who forgot
theirs (an owner's jobs), PIN lock-outs."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRegularExpression, Slot
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ...services import setup, staff
from ...services.context import Context
from ...services.staff import Lockout, StaffView
from ..qt.tasks import TaskRunner
from ..text import tr
from ..widgets import ErrorLine, describe, group_box, hbox, vbox
from .common import Column, ManagerTab, RowsModel, action_button, hint_label, table_view


def pin_fields(parent: QWidget) -> tuple[QLineEdit, QLineEdit]:
    """A PIN and the same PIN again: hidden, digits only, at most 8."""
    digits = QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,8}"), parent)
    edits = (QLineEdit(), QLineEdit())
    for edit in edits:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setValidator(digits)
        edit.setMaxLength(8)
    edits[0].setPlaceholderText(tr("4 to 8 digits"))
    edits[1].setPlaceholderText(tr("the same PIN again"))
    return edits


def pin_problem(pin: str, again: str) -> str:
    """What is wrong with a PIN typed twice; "" when nothing is."""
    if not 4 <= len(pin) <= 8:
        return tr("A PIN is 4 to 8 digits.")
    if pin != again:
        return tr("The two PINs differ: type them again.")
    return ""


class NewPinDialog(QDialog):
    """The new PIN an owner gives someone, typed twice; ``pin`` once accepted."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("A new PIN for {0}").format(name))
        self.pin_edit, self.pin_again_edit = pin_fields(self)
        self.message = ErrorLine()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.on_accepted)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(tr("They sign in with it from now on; their wrong PINs are "
                              "forgotten.")))
        form.addRow(tr("New PIN"), self.pin_edit)
        form.addRow(tr("PIN again"), self.pin_again_edit)
        form.addRow(self.message)
        form.addRow(self.buttons)
        self.pin = ""

    @Slot()
    def on_accepted(self) -> None:
        problem = pin_problem(self.pin_edit.text(), self.pin_again_edit.text())
        if problem:
            self.message.show_error(problem)
            self.pin_again_edit.clear()
            return
        self.pin = self.pin_edit.text()
        self.accept()


def role_label(role: str) -> str:
    labels = {
        "cashier": tr("Cashier"),
        "manager": tr("Manager"),
        "owner": tr("Owner"),
    }
    return labels.get(role, role)


@dataclass(frozen=True)
class StaffList:
    people: list[StaffView]
    lockouts: list[Lockout]


def staff_list(ctx: Context) -> StaffList:
    """Active staff and the wrong PINs still counted against accounts and terminals."""
    return StaffList(staff.active(), staff.lockouts(ctx))


class StaffTab(ManagerTab):
    """Only an owner adds staff: the service checks that the signed-in person (who
    approves) is one, and says so otherwise."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None, *,
                 at_counter: str | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.busy = False

        def signed_in(person: StaffView) -> str:
            where = [tr("at the counter")] if str(person.id) == at_counter else []
            if str(person.id) == ctx.staff_id:
                where.append(tr("this window"))
            return tr(", ").join(where)

        self.model = RowsModel[StaffView]([
            Column(tr("Name"), lambda s: s.name),
            Column(tr("Role"), lambda s: role_label(s.role)),
            Column(tr("Signed in"), signed_in),
        ], self)
        self.table = table_view(self.model, 0)
        self.list_message = ErrorLine()
        self.lock_model = RowsModel[Lockout]([
            Column(tr("Person or terminal"), lambda r: r.name if r.scope == "staff"
                   else tr("Terminal {0}").format(r.name)),
            Column(tr("Wrong PINs"), lambda r: r.failures, True),
            Column(tr("Waits until"), lambda r: self.locked_text(r)),
        ], self)
        self.lock_table = table_view(self.lock_model, 0)
        self.lock_table.setMaximumHeight(160)
        self.clear_button = action_button(tr("Clear the wait"), self.on_clear_clicked)
        self.lock_message = ErrorLine()
        self.refresh_button = action_button(tr("Refresh"), self.reload)
        self.setup_button = action_button(tr("Set up the shop again"), self.on_setup_clicked)
        self.remove_button = action_button(tr("Take off the staff"), self.on_remove_clicked)
        self.new_pin_button = action_button(tr("New PIN"), self.on_new_pin_clicked)
        self.pin_dialog: NewPinDialog | None = None

        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(100)
        self.name_edit.setPlaceholderText(tr("e.g. Li Na"))
        self.role_combo = QComboBox()
        for role in staff.ROLES:
            self.role_combo.addItem(role_label(role), role)
        self.pin_edit, self.pin_again_edit = pin_fields(self)
        self.add_button = action_button(tr("Add the person"), self.on_add_clicked)
        self.form_message = ErrorLine()
        form = QFormLayout()
        form.addRow(tr("Name"), self.name_edit)
        form.addRow(tr("Role"), self.role_combo)
        form.addRow("PIN", self.pin_edit)
        form.addRow(tr("PIN again"), self.pin_again_edit)
        hint = hint_label(tr("Only an owner adds staff. Nobody may share a PIN: a cashier "
                             "whose PIN were a manager's could approve as them."))
        box = group_box(tr("Add a person"), vbox(
            form, self.add_button, self.form_message, hint, 1,
            self.setup_button))  # store details, printer, camera again
        box.setFixedWidth(440)

        header = hbox((QLabel(tr("Active staff")), 1), self.new_pin_button,
                     self.remove_button, self.refresh_button)
        locks = QLabel(tr("Wrong PINs still counted: a person waits after {0} in a "
                               "row, a terminal after {1}; an owner can clear a wait.").format(
            staff.FREE_TRIES, staff.TERMINAL_BURST))
        locks.setWordWrap(True)
        left = vbox(header, (self.table, 1), self.list_message,
                      hbox((locks, 1), self.clear_button), self.lock_table, self.lock_message)
        self.setLayout(hbox((left, 1), box))
        self.reload()

    @Slot()
    def on_setup_clicked(self) -> None:
        """The set-up assistant again (store, printer, camera; the owner's page skipped)."""
        from ..setup.assistant import SetupAssistant  # imported late: seldom needed

        ctx = self.ctx

        def opened(state: setup.SetupState) -> None:
            self.assistant = SetupAssistant(ctx, self.runner, state, None, self)
            self.assistant.completed.connect(lambda _done: self.list_message.show_info(tr(
                "Set-up saved: the counter uses the new store details and devices when it "
                "opens again.")))
            self.assistant.open()

        self.runner.run(lambda: setup.state(ctx), opened, self.list_message.show_error,
                        what=tr("reading the set-up"))

    def locked_text(self, row: Lockout) -> str:
        if row.locked_until is None:
            return tr("not waiting")
        if row.locked_until <= self.ctx.now():
            return tr("not waiting")
        # a wait lasts seconds or minutes: the time to the second
        return tr("waits until {0}").format(f"{row.locked_until:%H:%M:%S}")

    @Slot()
    def reload(self) -> None:
        def loaded(found: StaffList) -> None:
            self.model.set_rows(found.people)
            self.lock_model.set_rows(found.lockouts)
            self.list_message.show_info(tr("{0} active.").format(len(found.people)))

        ctx = self.ctx
        self.run(lambda: staff_list(ctx), loaded, self.list_message.show_error,
                 what=tr("reading the staff"))

    @Slot()
    def on_clear_clicked(self) -> None:
        """Forget the selected run of wrong PINs (an owner's action, audited)."""
        lock = self.lock_model.picked(self.lock_table)
        if lock is None:
            self.lock_message.show_error(tr("Select the person or terminal first."))
            return
        ctx = self.ctx

        def cleared(_: object) -> None:
            self.lock_message.show_info(tr("The wrong PINs are forgotten."))
            self.reload()

        self.run(lambda: staff.clear_lock(ctx, lock.scope, lock.key, ctx.staff_id), cleared,
                 lambda error: self.lock_message.show_error(describe(error)),
                 what=tr("clearing a PIN lock-out"))

    @Slot()
    def on_remove_clicked(self) -> None:
        """Take the selected person off the staff (an owner's action; their PIN stops
        working at once)."""
        person = self.model.picked(self.table)
        if person is None:
            self.list_message.show_error(tr("Select the person first."))
            return
        ctx = self.ctx

        def removed(view: StaffView) -> None:
            self.list_message.show_info(tr("{0} is no longer on the staff.").format(
                view.name))
            self.reload()

        self.run(lambda: staff.deactivate(ctx, person.id, ctx.staff_id), removed,
                 lambda error: self.list_message.show_error(describe(error)),
                 what=tr("taking someone off the staff"))

    @Slot()
    def on_new_pin_clicked(self) -> None:
        """A new PIN for the selected person (they forgot theirs, or it got out): an
        owner's action, audited; the service refuses anyone else."""
        person = self.model.picked(self.table)
        if person is None:
            self.list_message.show_error(tr("Select the person first."))
            return
        ctx = self.ctx
        dialog = NewPinDialog(person.name, self)
        self.pin_dialog = dialog

        def chosen() -> None:
            pin = dialog.pin
            self.run(lambda: staff.reset_pin(ctx, person.id, pin, ctx.staff_id),
                     lambda view: self.list_message.show_info(
                         tr("{0} signs in with the new PIN.").format(view.name)),
                     lambda error: self.list_message.show_error(describe(error)),
                     what=tr("giving a new PIN"))

        dialog.accepted.connect(chosen)
        dialog.open()

    @Slot()
    def on_add_clicked(self) -> None:
        if self.busy:
            return
        name = self.name_edit.text().strip()
        pin, again = self.pin_edit.text(), self.pin_again_edit.text()
        if not name:
            self.form_message.show_error(tr("Type the person's name."))
            self.name_edit.setFocus()
            return
        problem = pin_problem(pin, again)
        if problem:
            self.form_message.show_error(problem)
            self.pin_again_edit.clear()
            self.pin_again_edit.setFocus()
            return
        ctx, role = self.ctx, self.role_combo.currentData()
        self.busy = True
        self.add_button.setEnabled(False)
        self.form_message.show_info(tr("Adding…"))

        def added(view: StaffView) -> None:
            self.busy = False
            self.add_button.setEnabled(True)
            for edit in (self.name_edit, self.pin_edit, self.pin_again_edit):
                edit.clear()
            self.form_message.show_info(tr("{0} was added as {1}.").format(
                view.name, role_label(view.role)))
            self.reload()

        def failed(error: Exception) -> None:
            self.busy = False
            self.add_button.setEnabled(True)
            self.form_message.show_error(describe(error))

        self.run(lambda: staff.create(ctx, name, role, pin, approved_by=ctx.staff_id), added,
                 failed, what=tr("adding a person"))
