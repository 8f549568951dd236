"""The set-up assistant: store, owner, printer (with a test page), camera (with a live
preview), empty shop or demo data; everything slow off the GUI thread, everything written
at the end by services.setup.apply."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ...core.config import Settings
from ...core.errors import DomainError, InvalidInput
from ...services import setup, staff
from ...services.context import Context
from ..qt.signals import emit
from ..qt.tasks import TaskRunner
from ..text import tr
from ..widgets import TOUCH_PX, ErrorLine
from .devices import CameraForm, PrinterForm, combo, field, note

CURRENCIES = ("CNY", "HKD", "MOP", "TWD", "SGD", "USD", "EUR")
LANGUAGE_NAMES = (("en", "English"), ("zh_CN", "简体中文"))  # each in its own language
STORE, OWNER, PRINTER, CAMERA, DATA = range(5)


class StorePage(QWizardPage):
    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.setTitle(tr("Your shop"))
        self.setSubTitle(tr("The name, address and phone are printed on every receipt."))
        store = ctx.settings.store
        default = store.name if store.name != type(store)().name else ""
        self.name = field(tr("Shop name, as on the sign"), "store_name")
        self.name.setText(default)
        self.address = field(tr("Street and number, city"), "store_address")
        self.address.setText(store.address)
        self.phone = field(tr("Phone number for customers"), "store_phone")
        self.phone.setText(store.phone)
        self.currency = combo(8)
        self.currency.setEditable(True)
        self.currency.addItems(list(CURRENCIES))
        self.currency.setCurrentText(store.currency)
        self.language = combo(10)
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(store.language)))
        self.error = ErrorLine()
        form = QFormLayout(self)
        form.addRow(tr("Shop name"), self.name)
        form.addRow(tr("Address"), self.address)
        form.addRow(tr("Shop phone"), self.phone)
        form.addRow(tr("Currency"), self.currency)
        form.addRow(tr("Language"), self.language)
        form.addRow(note(tr("A new language shows when the counter opens again at the end "
                             "of the set-up.")))
        form.addRow(self.error)

    def details(self) -> setup.StoreDetails:
        return setup.StoreDetails(self.name.text(), self.address.text(), self.phone.text(),
                                  self.currency.currentText(), self.language.currentData())

    def validatePage(self) -> bool:
        try:
            setup.check_store(self.details())
        except DomainError as exc:
            self.error.show_error(exc)
            return False
        self.error.clear()
        return True


class OwnerPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(tr("The owner's account"))
        self.setSubTitle(tr("The owner signs in at the counter, approves refunds and adds "
                            "the other staff. Choose a PIN nobody can guess."))
        self.name = field(tr("Your name"), "owner_name")
        self.pin = field(tr("4 to 8 digits"), "owner_pin")
        self.pin_again = field(tr("The same PIN again"), "owner_pin_again")
        for edit in (self.pin, self.pin_again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = ErrorLine()
        form = QFormLayout(self)
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("PIN"), self.pin)
        form.addRow(tr("PIN again"), self.pin_again)
        form.addRow(self.error)

    def validatePage(self) -> bool:
        try:
            if not self.name.text().strip():
                raise InvalidInput("a name of 1 to 100 characters is needed")
            staff.check_pin(self.pin.text())
            if self.pin.text() != self.pin_again.text():
                raise InvalidInput("the two PINs differ: type the same PIN twice")
        except DomainError as exc:
            self.pin_again.clear()
            self.error.show_error(exc)
            return False
        self.error.clear()
        return True


class PrinterPage(QWizardPage):
    """Pick the printer; a test page must come out ("Did it print?" answered yes) before
    Next, unless the shop has no receipt printer."""

    def __init__(self, ctx: Context, db: TaskRunner, devices: TaskRunner) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle(tr("Receipt printer"))
        self.setSubTitle(tr("Pick how the printer is connected, then print a test page."))
        self.form = PrinterForm(ctx, db, lambda: devices, settings=self.page_settings)
        self.form.changed.connect(self.completeChanged)
        self.form.checked.connect(lambda _printed: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)

    def page_settings(self) -> Settings:
        """The test page names the store typed on the first page."""
        settings = self.ctx.settings
        wizard = self.wizard()
        if isinstance(wizard, SetupAssistant):
            settings = replace(settings, store=replace(
                settings.store, name=wizard.store_page.details().name or settings.store.name))
        return settings

    def choice(self) -> setup.PrinterChoice:
        return self.form.choice()

    def isComplete(self) -> bool:
        return self.form.kind.currentData() == "dummy" or (
            self.form.confirmed is not None and self.form.confirmed == self.form.printer())


class CameraPage(QWizardPage):
    """The cameras OpenCV can open, a live preview of the one picked, and the text of a
    code held up to it."""

    def __init__(self, ctx: Context, devices: TaskRunner) -> None:
        super().__init__()
        self.setTitle(tr("Camera"))
        self.setSubTitle(tr("A camera reads the members' codes from their phones. Without "
                            "one, the hand scanner or the keyboard does."))
        self.form = CameraForm(ctx, lambda: devices)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)

    def initializePage(self) -> None:
        self.form.search()

    def chosen(self) -> str:
        return self.form.chosen()

    def cleanupPage(self) -> None:
        self.form.stop()

    def validatePage(self) -> bool:
        self.form.stop()
        return True


class DataPage(QWizardPage):
    def __init__(self, state: setup.SetupState, can_demo: bool) -> None:
        super().__init__()
        self.setTitle(tr("Empty shop or demo data"))
        self.setSubTitle(tr("Start with an empty shop, or try every screen first with "
                            "invented members and sales."))
        self.empty = QRadioButton(tr("An empty shop: real members and sales from today"))
        self.empty.setObjectName("empty_shop")
        self.demo = QRadioButton(tr("Demo data: {0} invented members and their sales").format(
            setup.DEMO_MEMBERS))
        self.demo.setObjectName("demo_data")
        for radio in (self.empty, self.demo):
            radio.setMinimumHeight(TOUCH_PX)
        self.empty.setChecked(True)
        why = ""
        if not state.demo_allowed:
            why = tr("This shop has members or sales already: demo data goes only into an "
                     "empty shop.")
        elif not can_demo:
            why = tr("Demo data is made by 'member-terminal setup --demo'.")
        self.demo.setEnabled(not why)
        self.error = ErrorLine()
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.demo)
        layout.addWidget(note(why))
        layout.addStretch(1)
        layout.addWidget(self.error)


class SetupAssistant(QWizard):
    """``completed`` carries a ``setup.Done`` once every step is written. ``db`` is the
    caller's database runner; printer and camera work on a runner of the assistant's own.
    On a shop that has staff (run again from the manager's window) the owner's page is
    skipped."""

    completed = Signal(object)

    def __init__(self, ctx: Context, db: TaskRunner, state: setup.SetupState,
                 demo: setup.DemoFill | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.db = db
        self.state = state
        self.demo_fill = demo
        self.busy = False
        self.devices = TaskRunner("setup-devices", self)
        self.setWindowTitle(tr("Set up the shop"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.NextButton, tr("Next"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("Cancel"))
        self.store_page = StorePage(ctx)
        self.owner_page = OwnerPage()
        self.printer_page = PrinterPage(ctx, db, self.devices)
        self.camera_page = CameraPage(ctx, self.devices)
        self.data_page = DataPage(state, demo is not None)
        for number, page in enumerate((self.store_page, self.owner_page, self.printer_page,
                                       self.camera_page, self.data_page)):
            self.setPage(number, page)
        self.setMinimumSize(860, 600)

    def nextId(self) -> int:
        if self.currentId() == STORE and not self.state.needed:
            return PRINTER  # the shop has its owner: an owner adds staff in the Staff tab
        return super().nextId()

    def plan(self) -> setup.Plan:
        owner = self.owner_page
        return setup.Plan(
            self.store_page.details(),
            owner.name.text().strip() if self.state.needed else "",
            owner.pin.text() if self.state.needed else "",
            self.printer_page.choice(), self.camera_page.chosen(),
            demo=self.data_page.demo.isChecked())

    def accept(self) -> None:
        """Finish: write every step on the database's worker, then close."""
        if self.busy:
            return
        self.busy = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.data_page.error.show_info(tr("Setting up the shop…"))
        ctx, plan, demo = replace(self.ctx), self.plan(), self.demo_fill  # apply moves ctx on
        self.db.run(lambda: setup.apply(ctx, plan, demo=demo), self.on_applied,
                    self.on_apply_failed, what=tr("setting up the shop"))

    def on_applied(self, done: setup.Done) -> None:
        self.busy = False
        emit(self.completed, done)
        self.shutdown()
        super().accept()

    def on_apply_failed(self, error: Exception) -> None:
        self.busy = False
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        self.data_page.error.show_error(error)

    def reject(self) -> None:
        if not self.busy:
            self.shutdown()
            super().reject()

    def shutdown(self) -> None:
        self.camera_page.form.stop()
        self.devices.shutdown()
