"""The counter's window: the frame that holds its parts and wires them together."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from printers.layouts import MemberCardSlip

from ...core import logs
from ...core.config import Settings
from ...loyalty import codes
from ...scanner.events import ScanEvent
from ...services import (
    backup,
    checkout,
    connection,
    joins,
    lookup,
    members,
    printing,
    setup,
    staff,
)
from ...services.context import Context
from ...services.members import MemberView
from ...services.receipts import Receipt
from .. import geometry
from ..customer.feed import CustomerFeed
from ..qt.signals import emit
from ..qt.tasks import TaskRunner
from ..text import language, tr, trn
from ..widgets import TOUCH_PX, ErrorLine, button, describe
from .basket import SalePanel
from .camera_pane import CameraPane, ScannerBridge
from .checkout_flow import CheckoutFlow
from .dialogs.enrol_dialog import EnrolDialog
from .dialogs.manager_pin import Approver
from .dialogs.pick_dialog import PickDialog
from .dialogs.punch_dialog import PunchDialog
from .dialogs.refund_dialog import RefundDialog
from .dialogs.topup_dialog import TopUpDialog
from .joins_flow import JoinsFlow
from .member_panel import MemberPanel
from .print_pane import PrintBridge, PrintPane
from .receipt_view import ReceiptView
from .scan_field import ScanField
from .session_flow import SessionFlow
from .status import StatusLine

# Room for the summary, two jobs, a two-line hint, the receipt number and the buttons.
PRINT_PANE_HEIGHT = 240


class CounterWindow(QMainWindow):
    """The counter: one scan field, the member, the basket, the receipt, and the actions."""

    # an exception nothing caught, on any thread (already logged): told to the cashier
    unexpected = Signal(object)

    def __init__(self, settings: Settings, url: str, warning: str | None = None,
                 approve: Approver | None = None, staff_id: str | None = None,
                 demo: setup.DemoFill | None = None) -> None:
        """``staff_id``: who serves; None asks a cashier to sign in once the database is
        open (with no staff accounts yet, the set-up assistant opens; ``demo`` fills an
        empty shop when it is asked for)."""
        super().__init__()
        self.demo = demo
        self.successor: CounterWindow | None = None  # the window opened after the set-up
        self.translators: list[Any] = []  # Qt's, installed for the set-up's new language
        self.settings = settings
        self.url = url
        self.ask_sign_in = staff_id is None
        # the counter queues every receipt it makes; the print worker sends them
        self.ctx = Context(settings, staff_id=staff_id or "counter", print_receipts=True)
        self.approve = approve or staff.approve
        self.member: MemberView | None = None
        self.coupon_code = ""  # a coupon scanned before checkout
        self.dialog: QDialog | None = None
        self.session = SessionFlow(self)  # sign-in, the shift, the manager's screens
        self.setWindowTitle(tr("Member Terminal — {0}").format(settings.store.name))

        self.search_box = ScanField()
        self.search_box.setObjectName("search_box")
        self.search_box.setPlaceholderText(tr("Scan a member code or item, or type a phone, "
                                              "card, name or SKU, then Enter"))
        self.search_box.setMinimumHeight(TOUCH_PX + 8)
        font = QFont(self.search_box.font())
        font.setPointSize(font.pointSize() + 4)
        self.search_box.setFont(font)
        self.search_box.submitted.connect(self.submit)
        self.message = ErrorLine()
        self.message.setObjectName("message")
        self.member_panel = MemberPanel(settings.programme)
        self.member_panel.setFixedWidth(geometry.side_width(self))
        self.sale_panel = SalePanel(settings.currency)
        self.receipt_view = ReceiptView()
        self.receipt_view.setFixedWidth(geometry.side_width(self, most=330))
        self.receipt_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.enrol_button = button(tr("Enrol"), "F2")
        self.topup_button = button(tr("Top up"), "F4")
        self.punch_button = button(tr("Punch visit"), "F5")
        self.checkout_button = button(tr("Checkout"), "F9")
        self.checkout_button.setStyleSheet("font-weight: bold;")
        self.refund_button = button(tr("Refund"), "F12")
        self.shift_button = button(tr("Shift"), "F1")  # every other F-key is taken
        self.manager_button = button(tr("Manager"), "F10")
        self.switch_button = button(tr("Cashier"), "F11")
        self.clear_button = button(tr("Clear"), "Esc")
        actions: list[tuple[Any, Callable[[], None]]] = [
            (self.enrol_button, self.on_enrol_clicked),
            (self.topup_button, self.on_topup_clicked),
            (self.punch_button, self.on_punch_clicked),
            (self.refund_button, self.on_refund_clicked),
            (self.manager_button, self.session.on_manager_clicked),
            (self.switch_button, self.session.on_switch_clicked),
            (self.clear_button, self.on_clear_clicked),
            (self.checkout_button, self.on_checkout_clicked)]
        bar = QHBoxLayout()
        for btn, slot in actions:
            btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
            btn.clicked.connect(slot)
            bar.addWidget(btn)

        self.tasks = TaskRunner("db", self)
        self.tasks.failed.connect(self.on_task_failed)
        self.unexpected.connect(self.on_task_failed)
        # from whichever thread failed, to this one (a queued signal), once it is logged
        self._stop_telling = logs.on_unexpected(lambda exc: emit(self.unexpected, exc))
        self.camera = ScannerBridge(settings.camera, parent=self)
        self.camera.scanned.connect(self.on_camera_scanned)
        self.camera_pane = CameraPane(self.camera)
        self.printer = PrintBridge(settings, self.ctx, parent=self)
        self.print_pane = PrintPane(self.ctx, self.tasks, self.printer)
        right = QVBoxLayout()
        right.addWidget(self.camera_pane)
        right.addWidget(self.receipt_view, 1)
        right.addWidget(self.print_pane)
        for pane in (self.camera_pane, self.print_pane):
            pane.setFixedWidth(geometry.side_width(self, most=330))
        self.print_pane.setMaximumHeight(PRINT_PANE_HEIGHT)
        body = QHBoxLayout()
        body.addWidget(self.member_panel)
        body.addWidget(self.sale_panel, 1)
        body.addLayout(right)
        layout = QVBoxLayout()
        layout.addWidget(self.search_box)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)
        layout.addSpacing(8)  # Retry and Reprint apart from the F-key bar
        layout.addLayout(bar)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        self.status_line = StatusLine(self.tasks)
        self.statusBar().addWidget(self.status_line, 1)
        self.cashier_label = QLabel("")
        self.statusBar().addPermanentWidget(self.cashier_label)
        # twice a day, not at every sale: beside the cashier's name, so the F-key bar keeps
        # its room on a 1024-pixel screen (F1 works wherever the button is)
        self.shift_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.shift_button.setMinimumHeight(0)
        self.shift_button.clicked.connect(self.session.on_shift_clicked)
        self.statusBar().addPermanentWidget(self.shift_button)
        if warning:
            self.message.show_error(warning)
        geometry.restore(self, "counter")
        self.customer: CustomerFeed | None = None
        if settings.display.enabled:
            self.customer = CustomerFeed(self)
            note = self.customer.start()
            if note:
                self.message.show_error(note)

        self.checkout = CheckoutFlow(self)
        self.checkout.completed.connect(self.on_operation_completed)
        self.sale_panel.changed.connect(self.on_basket_changed)
        self.open_error: str | None = None
        self.unknown_phone = ""  # the last phone looked up that no member has
        self.backups: TaskRunner | None = None
        self.probed = False  # bench --startup is timing this window: no daily copy
        self.joins = JoinsFlow(self)  # joins from phones, confirmed with F2
        self.tasks.run(self._open, self.on_database_opened, self.on_database_failed,
                       what=tr("opening the database"))
        self.search_box.setFocus()

    @property
    def ready(self) -> bool:
        """The database is open."""
        return self.status_line.ready

    def _open(self) -> int:
        return connection.open_counter(self.url, self.ctx)

    # -- start-up -------------------------------------------------------------------------
    @Slot(object)
    def on_database_opened(self, count: int) -> None:
        # what the status line returns to after each wait (start-up tasks follow this one)
        self.status_line.set_ready(count)
        self.printer.start()  # its own thread and connection; jobs left from before print
        self.print_pane.refresh()
        ctx = self.ctx
        self.tasks.run(ctx.installation, self.on_installation_read, self.on_task_failed,
                       what=tr("reading the member-code key"))
        self.read_offer()
        self.joins.start()
        if self.ask_sign_in:
            self.session.ask_sign_in()
        if self.settings.backup.auto and connection.is_sqlite() and not self.probed:
            # its own thread: copying and checking a big file must not hold up the counter
            self.backups = TaskRunner("backup", self)
            options = self.settings.backup
            self.backups.run(lambda: backup.auto_backup(ctx, options.path(), options.keep_days),
                             self.on_backup_done, self.on_backup_failed,
                             what=tr("backing up"))

    def read_offer(self) -> None:
        """The offer the customer display shows between customers (the programme's)."""
        feed, ctx, shown_in = self.customer, self.ctx, language()
        if feed is not None:
            self.tasks.run(lambda: ctx.programme.receipt.offer_in(shown_in), feed.set_offer,
                           self.on_task_failed, what=tr("reading the display's offer"))

    def on_backup_done(self, result: backup.AutoBackup) -> None:
        if result.made is not None:
            self.status_line.setText(tr("Today's backup is made."))

    def on_backup_failed(self, error: Exception) -> None:
        self.message.show_error(tr("Today's backup failed: {0}").format(describe(error)))

    def on_installation_read(self, installation: tuple[str, bytes]) -> None:
        inst, secret = installation
        # the scanner checks member codes on its own thread, without the database
        self.camera.set_verifier(lambda text: codes.verify_member_code(text, secret, inst))

    @Slot(object)
    def on_camera_scanned(self, event: ScanEvent) -> None:
        if event.valid:
            self.submit(event.text, False)
        else:
            self.message.show_error(event.message or tr("Not one of our codes: {0}")
                                    .format(event.text[:40]))

    @Slot(object)
    def on_database_failed(self, error: Exception) -> None:
        self.open_error = describe(error)
        self.message.show_error(tr("The database could not be opened: {0}").format(
            self.open_error))
        self.status_line.setText(tr("No database: check the settings and restart."))

    @Slot(object)
    def on_task_failed(self, error: Exception) -> None:
        self.message.show_error(error)

    # -- the scan field -------------------------------------------------------------------
    @Slot(str, bool)
    def submit(self, text: str, typed: bool) -> None:
        """Look up what was scanned or typed: member, product, coupon or a pick list. Typed
        text is cleared once found; a scan leaves the field as the cashier left it."""
        entry = text.strip()
        if not entry:
            return
        if self.open_error is not None:
            self.message.show_error(tr("The database could not be opened: {0}").format(
                self.open_error))
            return
        if not self.ready:
            self.message.show_error(tr("Still opening the database; try again in a "
                                            "moment."))
            return
        self.message.show_info(tr("Looking up {0}…").format(entry[:40]))
        ctx = self.ctx

        def done(found: lookup.Found) -> None:
            if typed and self.search_box.text().strip() == entry:
                self.search_box.clear()
            self.on_lookup_done(found)

        self.tasks.run(lambda: lookup.lookup(ctx, entry), done, self.on_lookup_failed,
                       what=tr("looking up"))

    def on_lookup_done(self, found: lookup.Found) -> None:
        if isinstance(found, MemberView):
            self.show_member(found)
            self.message.show_info(tr("Member: {0}").format(found.name))
        elif isinstance(found, joins.Waiting):
            self.joins.pick(found)
        elif isinstance(found, lookup.ProductView):
            self.message.show_info(tr("Added {0}").format(found.name))
            self.sale_panel.add_product(found)
        elif isinstance(found, lookup.CouponFound):
            self.coupon_code = found.code
            self.message.show_info(tr("Coupon {0} will be applied at checkout").format(
                found.name_in(language())))
        else:
            shown = len(found.shown)
            self.message.show_info(
                trn("{n} member found: pick one", "{n} members found: pick one", shown)
                if found.total == shown else
                tr("The first {0} of {1:,} members found: pick one, or type more of the "
                   "name").format(shown, found.total))
            dialog = PickDialog(found.shown, self)
            dialog.chosen.connect(self.on_pick_chosen)
            self.open_dialog(dialog)

    def on_lookup_failed(self, error: Exception) -> None:
        self.message.show_error(error)
        self.search_box.selectAll()  # typed text stays; the next scan replaces it
        # a phone nobody has: F2 enrols it, the number already typed in
        self.unknown_phone = error.details["phone"] \
            if isinstance(error, lookup.UnknownPhone) else ""
        self.joins.label()

    def on_pick_chosen(self, candidate: lookup.Candidate) -> None:
        self.search_box.clear()  # the name typed has done its job
        self.reload_member(candidate.id, self.on_lookup_done)

    def reload_member(self, member_id: object,
                      then: Callable[[MemberView], None] | None = None) -> None:
        ctx = self.ctx
        self.tasks.run(lambda: members.view(ctx, member_id), then or self.show_member,
                       self.on_task_failed, what=tr("reading the member"))

    def show_member(self, member: MemberView | None) -> None:
        changed = (member.id if member else None) != (self.member.id if self.member else None)
        self.member = member
        self.member_panel.show_member(member)
        self.joins.label()
        if changed and self.customer is not None:
            self.customer.next_customer()
        if changed:
            self.on_basket_changed()
        elif self.customer is not None:
            self.customer.update()

    # -- the basket -----------------------------------------------------------------------
    @Slot()
    def on_basket_changed(self) -> None:
        """Price the basket for the member on the worker; only the newest answer counts."""
        self.search_box.setFocus()
        items = self.sale_panel.items()
        feed = self.customer
        if feed is not None:
            feed.update()
        if not items:
            self.tasks.cancel_latest("basket")
            return
        ctx, member_id = self.ctx, self.member.id if self.member else None

        def done(preview: checkout.Preview) -> None:
            self.sale_panel.error.clear()
            self.sale_panel.set_preview(preview)
            if feed is not None:
                feed.update()

        self.tasks.run_latest("basket", lambda: checkout.preview(ctx, items, member_id),
                              done, self.sale_panel.error.show_error,
                       what=tr("pricing the basket"))

    # -- actions --------------------------------------------------------------------------
    def open_dialog(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(self.on_dialog_finished)
        dialog.open()  # window-modal but not blocking: the worker's results keep coming

    @Slot()
    def on_dialog_finished(self) -> None:
        self.activateWindow()  # window managers usually do it; offscreen and some kiosks don't
        self.search_box.setFocus()

    def _need_member(self) -> MemberView | None:
        if self.member is None:
            self.message.show_error(tr("Scan or find the member first."))
        return self.member

    @Slot()
    def on_enrol_clicked(self) -> None:
        """F2: confirm the join from a phone the panel marks, else enrol at the counter."""
        join = self.joins.marked
        if join is not None:
            self.joins.confirm(join)
            return
        dialog = EnrolDialog(self.tasks, self.ctx, self, phone=self.unknown_phone)
        self.unknown_phone = ""
        dialog.completed.connect(self.on_enrolled)
        self.open_dialog(dialog)

    def on_enrolled(self, member: MemberView) -> None:
        ctx = self.ctx
        card = MemberCardSlip(self.settings.store.name, member.name, member.card_no,
                              member.phone_masked, member.tier_name, member.member_code,
                              ctx.now(), member.page_url)
        self.tasks.run(lambda: printing.enqueue(ctx, "member_card", card),
                       self.print_pane.on_job_queued, self.on_task_failed,
                       what=tr("printing the member card"))
        self.show_member(member)
        self.status_line.add_members(1)
        self.search_box.clear()  # the number typed before F2 has done its job
        self.message.show_info(tr("Welcome, {0}: card {1}").format(member.name,
                                                                       member.card_no))

    @Slot()
    def on_topup_clicked(self) -> None:
        member = self._need_member()
        if member is not None:
            dialog = TopUpDialog(self.tasks, self.ctx, member, self)
            dialog.completed.connect(self.on_operation_completed)
            self.open_dialog(dialog)

    @Slot()
    def on_punch_clicked(self) -> None:
        member = self._need_member()
        if member is not None and not member.punch_cards:
            self.message.show_error(tr("{0} has no punch card.").format(member.name))
        elif member is not None:
            dialog = PunchDialog(self.tasks, self.ctx, member, self)
            dialog.completed.connect(self.on_operation_completed)
            self.open_dialog(dialog)

    @Slot()
    def on_checkout_clicked(self) -> None:
        self.checkout.start()

    @Slot()
    def on_refund_clicked(self) -> None:
        dialog = RefundDialog(self.tasks, self.ctx, self.approve, self)
        dialog.completed.connect(self.on_operation_completed)
        self.open_dialog(dialog)

    def on_operation_completed(self, receipt: Receipt) -> None:
        self.show_receipt(receipt)
        self.printer.wake()  # the receipt was queued with the sale: print it now
        self.print_pane.refresh()
        self.message.show_info(tr("Done: receipt {0}").format(receipt.receipt_no))
        if self.customer is not None:
            self.customer.on_paid(receipt)
            self.read_offer()  # the manager may have picked another since
        if self.member is not None:
            self.reload_member(self.member.id)  # balances have moved

    def show_receipt(self, receipt: Receipt) -> None:
        """Show a receipt (the printer team's image preview can replace this one method)."""
        self.receipt_view.show_receipt(receipt)

    @Slot()
    def on_clear_clicked(self) -> None:
        """Esc: clear the scan field; on an empty field, start the next customer."""
        if self.search_box.text():
            self.search_box.clear()
            self.message.clear()
        else:
            self.coupon_code = ""
            self.sale_panel.clear()
            self.joins.pick(None)
            self.show_member(None)
            self.message.clear()
            if self.customer is not None:
                self.customer.next_customer()
        self.search_box.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        geometry.remember(self, "counter")
        self._stop_telling()
        self.joins.stop()
        if self.customer is not None:
            self.customer.shut()
        shutdown = getattr(self.dialog, "shutdown", None)  # the set-up's own threads
        if callable(shutdown):
            shutdown()
        self.camera_pane.shutdown()
        self.printer.stop()
        self.session.shutdown()
        if self.backups is not None:
            self.backups.shutdown(connection.close_thread)
        self.tasks.shutdown(connection.close_thread)
        super().closeEvent(event)
