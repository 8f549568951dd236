"""Who is at the counter: a cashier signs in (or, in a shop with no staff yet, the set-up
assistant runs first), counts the float into the drawer and closes the shift (F1), hands
over to another cashier (F11); a manager's PIN opens the manager's screens (F10)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot

from printers import paper

from ...core import money
from ...reports.shift import shift_document
from ...services import connection, setup, shifts, staff
from ..qt.tasks import TaskRunner
from ..text import language, tr
from .dialogs.close_shift_dialog import CloseShiftDialog, ShiftReportDialog
from .dialogs.manager_pin import ManagerPinDialog
from .dialogs.open_shift_dialog import OpenShiftDialog
from .dialogs.sign_in import SignInDialog

if TYPE_CHECKING:
    from ..manager import ManagerWindow
    from .window import CounterWindow


class SessionFlow(QObject):
    def __init__(self, window: CounterWindow) -> None:
        super().__init__(window)
        self.window = window
        self.cashier_name = ""  # who signed in at this counter
        self.manager_tasks: TaskRunner | None = None  # the manager's screens' own thread
        self.manager_window: ManagerWindow | None = None

    # -- signing in -----------------------------------------------------------------------
    def ask_sign_in(self) -> None:
        """The staff listed on the worker, then the sign-in dialog (or the set-up)."""
        self.window.tasks.run(staff.active, self.on_staff_listed, self.window.on_task_failed,
                              what=tr("listing the staff"))

    def on_staff_listed(self, people: list[staff.StaffView]) -> None:
        window = self.window
        if not people:
            ctx = window.ctx
            window.tasks.run(lambda: setup.state(ctx), self.open_setup, window.on_task_failed,
                             what=tr("reading the set-up"))
            return
        dialog = SignInDialog(window.tasks, window.ctx, people, window)
        dialog.completed.connect(self.on_signed_in)
        window.open_dialog(dialog)

    def open_setup(self, state: setup.SetupState) -> None:
        """A database nobody can sign in to: the set-up assistant, then the counter again,
        signed in as the owner, with the new settings and language."""
        from ..setup.assistant import SetupAssistant  # imported late: needed once

        window = self.window
        window.message.show_info(tr("No staff accounts yet: set up the shop."))
        assistant = SetupAssistant(window.ctx, window.tasks, state, window.demo, window)
        assistant.completed.connect(self.on_setup_done)
        window.open_dialog(assistant)

    def on_setup_done(self, done: setup.Done) -> None:
        from PySide6.QtWidgets import QApplication

        from ..language import install_translation

        window, owner = self.window, done.owner
        warning = None
        translators: list[Any] = []
        if done.settings.store.language != language():
            app = QApplication.instance()
            if app is not None:
                translators, warning = install_translation(app, done.settings.store.language)
        successor = type(window)(done.settings, window.url, warning, window.approve,
                                 str(owner.id) if owner else None, window.demo)
        successor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        successor.translators = translators
        if owner is not None:
            successor.session.on_signed_in(owner)
        window.successor = successor
        successor.show()
        window.close()

    def on_signed_in(self, person: staff.StaffView) -> None:
        window = self.window
        window.ctx = window.ctx.as_staff(str(person.id))
        window.print_pane.ctx = window.ctx
        window.cashier_label.setText(tr("Cashier: {0}").format(person.name))
        window.message.show_info(tr("Signed in: {0}").format(person.name))
        self.cashier_name = person.name
        ctx = window.ctx

        def found(current: shifts.ShiftReport | None) -> None:
            if current is None:  # the float is counted before the first sale
                self.open_shift(person.name)

        window.tasks.run(lambda: shifts.current(ctx), found, window.on_task_failed,
                         what=tr("reading the shift"))

    @Slot()
    def on_switch_clicked(self) -> None:
        self.ask_sign_in()

    # -- the cash drawer's shift ----------------------------------------------------------
    def open_shift(self, cashier: str) -> None:
        window = self.window
        dialog = OpenShiftDialog(window.tasks, window.ctx, cashier, window)
        dialog.completed.connect(self.on_shift_opened)
        window.open_dialog(dialog)

    def on_shift_opened(self, report: shifts.ShiftReport) -> None:
        self.window.message.show_info(tr("Shift opened with a float of {0}.").format(
            money.format_amount(report.opening_float, self.window.ctx.currency)))

    @Slot()
    def on_shift_clicked(self) -> None:
        """F1: open a shift if none is open at this counter, else count the drawer."""
        window, ctx = self.window, self.window.ctx

        def found(current: shifts.ShiftReport | None) -> None:
            if current is None:
                self.open_shift(self.cashier_name)
                return
            dialog = CloseShiftDialog(window.tasks, window.ctx, current, window)
            dialog.completed.connect(self.on_shift_closed)
            window.open_dialog(dialog)

        window.tasks.run(lambda: shifts.current(ctx), found, window.on_task_failed,
                         what=tr("reading the shift"))

    def on_shift_closed(self, report: shifts.ShiftReport) -> None:
        window = self.window
        ctx, doc = window.ctx, shift_document(report, window.settings.store.language)
        window.tasks.run(lambda: paper.enqueue(ctx, doc), window.print_pane.on_job_queued,
                         window.on_task_failed, what=tr("printing the shift report"))
        window.message.show_info(tr("Shift closed."))
        window.open_dialog(ShiftReportDialog(report, window))

    # -- the manager's screens ------------------------------------------------------------
    @Slot()
    def on_manager_clicked(self) -> None:
        window = self.window
        dialog = ManagerPinDialog(window.tasks, window.ctx, window.approve,
                                  "opening the manager's screens",
                                  tr("A manager's PIN opens reports, campaigns, the "
                                     "audit log and member privacy."), window)
        dialog.completed.connect(self.on_manager_approved)
        window.open_dialog(dialog)
        # while the PIN is typed: the screens' code (charts and all) and their connection
        QTimer.singleShot(0, self.prepare_manager)

    def prepare_manager(self) -> None:
        from .. import manager  # noqa: F401  imported late: the counter may never open it

        if self.manager_tasks is None:
            # its own thread and connection: a 25 s analysis must not hold up the scans
            self.manager_tasks = TaskRunner("manager", self.window)
            self.manager_tasks.run(connection.connect_thread)

    def on_manager_approved(self, manager: Any) -> None:
        from ..manager import ManagerWindow

        self.prepare_manager()
        assert self.manager_tasks is not None
        window = self.window
        self.manager_window = ManagerWindow(window.ctx.as_staff(str(manager.id)),
                                            self.manager_tasks, window,
                                            at_counter=window.ctx.staff_id)
        self.manager_window.setWindowFlag(Qt.WindowType.Window)
        self.manager_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.manager_window.show()

    def shutdown(self) -> None:
        if self.manager_tasks is not None:
            self.manager_tasks.shutdown(connection.close_thread)
