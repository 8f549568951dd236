"""The set-up assistant: store, owner, printer (with a test page), camera (with a live
preview), empty shop or demo data; everything slow off the GUI thread, everything written
at the end by services.setup.apply."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ...core.config import CameraSettings, PrinterSettings
from ...core.errors import DomainError, InvalidInput
from ...scanner.devices import Source, find_cameras
from ...scanner.events import ScanEvent
from ...services import setup, staff
from ...services.context import Context
from ..counter.camera_pane import CameraPane, ScannerBridge
from ..qt.signals import emit
from ..qt.tasks import TaskRunner
from ..text import tr
from ..widgets import TOUCH_PX, ErrorLine, button, combo_box

CURRENCIES = ("CNY", "HKD", "MOP", "TWD", "SGD", "USD", "EUR")
LANGUAGE_NAMES = (("en", "English"), ("zh_CN", "简体中文"))  # each in its own language
ENCODINGS = ("GB18030", "GBK", "Big5", "UTF-8", "CP437", "CP858")
STORE, OWNER, PRINTER, CAMERA, DATA = range(5)


def _field(placeholder: str = "", name: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setMinimumHeight(TOUCH_PX)
    edit.setPlaceholderText(placeholder)
    if name:
        edit.setObjectName(name)
    return edit


def _combo(chars: int) -> Any:
    combo = combo_box(chars)
    combo.setMinimumHeight(TOUCH_PX)
    return combo


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class StorePage(QWizardPage):
    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.setTitle(tr("Your shop"))
        self.setSubTitle(tr("The name, address and phone are printed on every receipt."))
        store = ctx.settings.store
        default = store.name if store.name != type(store)().name else ""
        self.name = _field(tr("Shop name, as on the sign"), "store_name")
        self.name.setText(default)
        self.address = _field(tr("Street and number, city"), "store_address")
        self.address.setText(store.address)
        self.phone = _field(tr("Phone number for customers"), "store_phone")
        self.phone.setText(store.phone)
        self.currency = _combo(8)
        self.currency.setEditable(True)
        self.currency.addItems(list(CURRENCIES))
        self.currency.setCurrentText(store.currency)
        self.language = _combo(10)
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
        form.addRow(_note(tr("A new language shows when the counter opens again at the end "
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
        self.name = _field(tr("Your name"), "owner_name")
        self.pin = _field(tr("4 to 8 digits"), "owner_pin")
        self.pin_again = _field(tr("The same PIN again"), "owner_pin_again")
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
        self.db = db
        self.devices = devices
        self.confirmed: PrinterSettings | None = None
        self.setTitle(tr("Receipt printer"))
        self.setSubTitle(tr("Pick how the printer is connected, then print a test page."))
        self.kind = _combo(20)
        self.kind.setObjectName("printer_kind")
        for text, kind in ((tr("No receipt printer"), "dummy"),
                           (tr("Network printer"), "network"),
                           (tr("USB printer"), "usb"),
                           (tr("Printer device or file"), "file")):
            self.kind.addItem(text, kind)
        self.target = _field("", "printer_target")
        self.paper = _combo(8)
        for mm in setup.PAPER_WIDTHS:
            self.paper.addItem(tr("{0} mm").format(mm), mm)
        self.encoding = _combo(10)
        self.encoding.setEditable(True)
        self.encoding.addItems(list(ENCODINGS))
        current = ctx.settings.printer
        kind = current.connection.partition(":")[0]
        if self.kind.findData(kind) >= 0:
            self.kind.setCurrentIndex(self.kind.findData(kind))
            self.target.setText(current.connection.partition(":")[2])
        self.paper.setCurrentIndex(max(0, self.paper.findData(current.paper_mm)))
        self.encoding.setCurrentText(current.encoding)
        self.test_button = button(tr("Print a test page"))
        self.test_button.setObjectName("print_test")
        self.test_button.clicked.connect(self.on_test_clicked)
        self.question = _note(tr("Did it print? Look for the Chinese sample and the QR code."))
        self.yes_button = button(tr("Yes, it printed"))
        self.yes_button.clicked.connect(lambda: self.on_answer(True))
        self.no_button = button(tr("No"))
        self.no_button.clicked.connect(lambda: self.on_answer(False))
        self.advice = _note()
        self.error = ErrorLine()
        answers = QHBoxLayout()
        answers.addWidget(self.yes_button)
        answers.addWidget(self.no_button)
        form = QFormLayout(self)
        form.addRow(tr("Connection"), self.kind)
        form.addRow(tr("Address or device"), self.target)
        form.addRow(tr("Paper width"), self.paper)
        form.addRow(tr("Encoding"), self.encoding)
        form.addRow(self.test_button)
        form.addRow(self.question)
        form.addRow(answers)
        form.addRow(self.advice)
        form.addRow(self.error)
        self.kind.currentIndexChanged.connect(self.on_changed)
        self.paper.currentIndexChanged.connect(self.on_changed)
        self.target.textChanged.connect(self.on_changed)
        self.encoding.currentTextChanged.connect(self.on_changed)
        self.tested: PrinterSettings | None = None
        self.on_changed()

    def connection(self) -> str:
        kind = self.kind.currentData()
        return "dummy" if kind == "dummy" else f"{kind}:{self.target.text().strip()}"

    def choice(self) -> setup.PrinterChoice:
        return setup.PrinterChoice(self.connection(), self.paper.currentData(),
                                   self.encoding.currentText().strip())

    def printer(self) -> PrinterSettings:
        c = self.choice()
        return replace(self.ctx.settings.printer, connection=c.connection,
                       paper_mm=c.paper_mm, encoding=c.encoding)

    @Slot()
    def on_changed(self) -> None:
        kind = self.kind.currentData()
        hints = {"network": tr("The printer's address, such as 192.168.1.50:9100"),
                 "usb": tr("Vendor and product id, such as 04b8:0202"),
                 "file": tr("The device, such as /dev/usb/lp0")}
        self.target.setPlaceholderText(hints.get(kind, ""))
        self.target.setEnabled(kind != "dummy")
        self.test_button.setEnabled(kind != "dummy")
        self._ask(False)
        self.tested = None
        self.advice.setText(tr("No receipts are printed; the counter says so after each "
                               "sale.") if kind == "dummy" else "")
        self.completeChanged.emit()

    def _ask(self, shown: bool) -> None:
        for widget in (self.question, self.yes_button, self.no_button):
            widget.setVisible(shown)

    @Slot()
    def on_test_clicked(self) -> None:
        from printers.connection import parse_connection
        from printers.test_page import print_test_page

        try:
            setup.check_printer(self.choice())
        except DomainError as exc:
            self.error.show_error(exc)
            return
        printer, settings = self.printer(), self.ctx.settings
        wizard = self.wizard()
        if isinstance(wizard, SetupAssistant):
            settings = replace(settings, store=replace(
                settings.store, name=wizard.store_page.details().name or settings.store.name))
        self.test_button.setEnabled(False)
        self.error.show_info(tr("Printing the test page…"))

        def send() -> Any:
            parse_connection(printer.connection)
            return print_test_page(settings, printer)

        self.devices.run(send, lambda delivery: self.on_printed(printer, delivery),
                         self.on_print_failed, what=tr("printing the test page"))

    def on_printed(self, printer: PrinterSettings, delivery: Any) -> None:
        self.test_button.setEnabled(True)
        self.tested = printer
        self.error.clear()
        self.advice.setText("")
        self._ask(True)

    def on_print_failed(self, error: Exception) -> None:
        self.test_button.setEnabled(True)
        self.error.show_error(error)

    def on_answer(self, printed: bool) -> None:
        if self.tested is None:
            return
        connection = self.tested.connection
        ctx = self.ctx
        self.db.run(lambda: setup.record_printer_check(ctx, connection, printed, "asked"),
                    None, self.error.show_error, what=tr("noting the answer"))
        self._ask(False)
        if printed:
            self.confirmed = self.tested
            self.advice.setText(tr("The printer works."))
        else:
            self.confirmed = None
            self.advice.setText(tr(
                "Check that the printer is on, has paper and its lid is shut; check the "
                "cable or that the computer and the printer are on the same network; check "
                "the address. Then print the test page again. If Chinese came out as "
                "wrong characters, pick another encoding."))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.kind.currentData() == "dummy" or (
            self.confirmed is not None and self.confirmed == self.printer())


class CameraPage(QWizardPage):
    """The cameras OpenCV can open, a live preview of the one picked, and the text of a
    code held up to it."""

    NONE, OTHER = "none", "other"

    def __init__(self, ctx: Context, devices: TaskRunner) -> None:
        super().__init__()
        self.ctx = ctx
        self.devices = devices
        self.setTitle(tr("Camera"))
        self.setSubTitle(tr("A camera reads the members' codes from their phones. Without "
                            "one, the hand scanner or the keyboard does."))
        self.source = _combo(24)
        self.source.setObjectName("camera_source")
        self.path = _field(tr("A video file or a folder of pictures"), "camera_path")
        self.try_button = button(tr("Show the picture"))
        self.try_button.clicked.connect(self.on_source_changed)
        self.looking = _note()
        self.bridge = ScannerBridge(CameraSettings(), parent=self, realtime=True)
        self.preview = CameraPane(self.bridge)
        self.preview.setMinimumSize(360, 220)
        self.read = QLabel(tr("Hold a code up to the camera."))
        self.read.setObjectName("camera_read")
        self.read.setWordWrap(True)
        font = self.read.font()
        font.setPointSize(font.pointSize() + 2)
        self.read.setFont(font)
        self.bridge.scanned.connect(self.on_scanned)
        left = QFormLayout()
        left.addRow(tr("Camera"), self.source)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.try_button)
        left.addRow(tr("File or folder"), where)
        left.addRow(self.looking)
        left.addRow(self.read)
        row = QHBoxLayout(self)
        row.addLayout(left, 1)
        row.addWidget(self.preview, 1)
        self.source.currentIndexChanged.connect(self.on_source_changed)
        self.searched = False

    def initializePage(self) -> None:
        if self.searched:
            return
        self.searched = True
        self.source.clear()
        self.source.addItem(tr("No camera"), self.NONE)
        self.source.addItem(tr("A video file or a folder of pictures"), self.OTHER)
        self.looking.setText(tr("Looking for cameras…"))
        settings = self.ctx.settings.camera
        self.devices.run(lambda: find_cameras(settings=settings), self.on_found,
                         self.on_find_failed, what=tr("looking for cameras"))

    def on_found(self, found: list[Source]) -> None:
        for n, cam in enumerate(found):
            self.source.insertItem(n, tr("Camera {0} ({1}×{2})").format(
                cam.spec, cam.width, cam.height), cam.spec)
        self.looking.setText(tr("No camera was found. Plug one in and open the set-up "
                                "again, or use a file to try the preview.") if not found
                             else "")
        self.source.setCurrentIndex(0)
        self.on_source_changed()

    def on_find_failed(self, error: Exception) -> None:
        self.looking.setText(tr("The cameras could not be listed: the hand scanner "
                                "still works."))

    def chosen(self) -> str:
        data = self.source.currentData()
        if data == self.OTHER:
            return self.path.text().strip() or self.NONE
        return str(data or self.NONE)

    @Slot()
    def on_source_changed(self) -> None:
        for widget in (self.path, self.try_button):
            widget.setEnabled(self.source.currentData() == self.OTHER)
        self.bridge.stop()
        self.read.setText(tr("Hold a code up to the camera."))
        spec = self.chosen()
        if spec == self.NONE:
            self.preview.view.clear()
            self.preview.view.setText(tr("Camera off"))
            return
        self.bridge.settings = replace(self.ctx.settings.camera, source=spec)
        self.bridge.start()

    @Slot(object)
    def on_scanned(self, event: ScanEvent) -> None:
        self.read.setText(tr("Read: {0}").format(event.text[:60]))
        self.preview.state.setText(tr("The camera reads codes."))  # not the scanner's English

    def cleanupPage(self) -> None:
        self.bridge.stop()

    def validatePage(self) -> bool:
        self.bridge.stop()
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
        layout.addWidget(_note(why))
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
        self.camera_page.bridge.stop()
        self.devices.shutdown()
