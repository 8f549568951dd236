"""The printer and camera forms of the set-up assistant and of the manager's This terminal
tab: the printer's test page with "did it print?", the cameras OpenCV opens with a live
preview; printing and probing on the caller's devices runner (``devices()``: made when
first needed), never on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from ...core.config import CameraSettings, PrinterSettings, Settings
from ...core.errors import DomainError
from ...scanner.devices import Source, find_cameras
from ...scanner.events import ScanEvent
from ...services import setup
from ...services.context import Context
from ..counter.camera_pane import CameraPane, ScannerBridge
from ..qt.signals import emit
from ..qt.tasks import TaskRunner
from ..text import tr
from ..widgets import TOUCH_PX, ErrorLine, button, check_box, combo_box, describe

ENCODINGS = ("GB18030", "GBK", "Big5", "UTF-8", "CP437", "CP858")
BACKENDS = (("zxing", "zxing-cpp"), ("pyzbar", "pyzbar (ZBar)"),
            ("auto", "zxing-cpp + ZBar"))
TYPED_KINDS = ("serial", "cups")  # shown as "Printer device or file", written as typed


def field(placeholder: str = "", name: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setMinimumHeight(TOUCH_PX)
    edit.setPlaceholderText(placeholder)
    if name:
        edit.setObjectName(name)
    return edit


def combo(chars: int) -> Any:
    box = combo_box(chars)
    box.setMinimumHeight(TOUCH_PX)
    return box


def note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class NotedForm(QWidget):
    """A form whose fields each have a line under them for what is wrong with the value
    (hidden while nothing is)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout()
        self.row = QHBoxLayout(self)  # the form, and what a subclass puts beside it
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addLayout(self.form, 1)
        self.notes: dict[str, ErrorLine] = {}

    def add(self, label: str, widget: Any, name: str = "") -> None:
        """A row for ``widget`` (or a layout), with a line for its problems when ``name``d."""
        self.form.addRow(label, widget)
        if name:
            self.add_note(name)

    def add_note(self, name: str) -> None:
        """A line for the problems of the field ``name``, hidden until there is one."""
        line = ErrorLine()
        line.setObjectName(f"note_{name}")
        self.notes[name] = line
        self.form.addRow("", line)
        self.form.setRowVisible(line, False)  # a hidden row takes no spacing either

    def note(self, name: str, problem: DomainError | str | None) -> None:
        """Show ``problem`` under the field ``name`` (None: hide its line)."""
        line = self.notes.get(name)
        if line is None:
            return
        if problem is None:
            line.clear()
        else:
            text = problem if isinstance(problem, str) else describe(problem)
            line.show_error(text[:1].upper() + text[1:])  # the services' ids start small
        self.form.setRowVisible(line, problem is not None)

    def clear_notes(self) -> None:
        for name in self.notes:
            self.note(name, None)


class PrinterForm(NotedForm):
    """Connection and its address, paper width and encoding (``full``: the line width, the
    cash drawer and status answers too), a test page and "did it print?" (answered:
    ``checked(bool)``, recorded on the database runner)."""

    changed = Signal()
    checked = Signal(bool)

    def __init__(self, ctx: Context, db: TaskRunner, devices: Callable[[], TaskRunner], *,
                 full: bool = False, settings: Callable[[], Settings] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.db = db
        self.devices = devices
        self.full = full
        self.page_settings = settings or (lambda: self.ctx.settings)  # for the test page
        self.base = ctx.settings.printer
        self.tested: PrinterSettings | None = None
        self.confirmed: PrinterSettings | None = None
        self.kind = combo(18)
        self.kind.setObjectName("printer_kind")
        for text, kind in ((tr("No receipt printer"), "dummy"),
                           (tr("Network printer"), "network"),
                           (tr("USB printer"), "usb"),
                           (tr("Printer device or file"), "file")):
            self.kind.addItem(text, kind)
        self.target = field("", "printer_target")
        self.paper = combo(6)
        for mm in setup.PAPER_WIDTHS:
            self.paper.addItem(tr("{0} mm").format(mm), mm)
        self.encoding = combo(10)
        self.encoding.setEditable(True)
        self.encoding.addItems(list(ENCODINGS))
        self.columns = QSpinBox()
        self.columns.setRange(0, 96)
        self.columns.setMinimumHeight(TOUCH_PX)
        self.columns.setSpecialValueText(tr("Auto"))  # 0: from the paper width
        self.cash_drawer = check_box(tr("Cash drawer"))
        self.reports_status = check_box(tr("Reports its status"))
        self.test_button = button(tr("Print a test page"))
        self.test_button.setObjectName("print_test")
        self.test_button.clicked.connect(self.on_test_clicked)
        self.question = note(tr("Did it print? Look for the Chinese sample and the QR code."))
        self.yes_button = button(tr("Yes, it printed"))
        self.yes_button.clicked.connect(lambda: self.on_answer(True))
        self.no_button = button(tr("No"))
        self.no_button.clicked.connect(lambda: self.on_answer(False))
        self.advice = note()
        self.error = ErrorLine()
        answers = QHBoxLayout()
        answers.addWidget(self.yes_button)
        answers.addWidget(self.no_button)
        self.add(tr("Connection"), self.kind)
        self.add(tr("Address or device"), self.target, "connection")
        paper = QHBoxLayout()
        paper.addWidget(self.paper, 1)
        self.columns_label = QLabel(tr("Line width"))
        self.columns.setToolTip(tr("Characters a line; Auto: as many as the paper width "
                                   "gives"))
        paper.addWidget(self.columns_label)
        paper.addWidget(self.columns, 1)
        self.add(tr("Paper width"), paper, "paper_mm")
        self.add(tr("Encoding"), self.encoding, "encoding")
        if full:
            self.notes["columns"] = self.notes["paper_mm"]  # one line for the row
            extras = QHBoxLayout()
            extras.addWidget(self.cash_drawer)
            extras.addWidget(self.reports_status)
            self.add("", extras, "cash_drawer")
            self.notes["reports_status"] = self.notes["cash_drawer"]
        else:
            for widget in (self.columns_label, self.columns, self.cash_drawer,
                           self.reports_status):
                widget.hide()
        test = QHBoxLayout()
        test.addWidget(self.test_button)
        test.addLayout(answers)
        self.form.addRow(self.question)
        self.form.addRow(test)
        self.form.addRow(self.advice)
        self.form.addRow(self.error)
        self.set_printer(ctx.settings.printer)
        for signal in (self.kind.currentIndexChanged, self.paper.currentIndexChanged,
                       self.target.textChanged, self.encoding.currentTextChanged,
                       self.columns.valueChanged, self.cash_drawer.toggled,
                       self.reports_status.toggled):
            signal.connect(self.on_changed)
        self.on_changed()

    def set_printer(self, printer: PrinterSettings) -> None:
        """Show ``printer``'s settings (the fields it does not show are kept as they are)."""
        self.base = printer
        kind, _, target = printer.connection.partition(":")
        if self.kind.findData(kind) < 0:  # serial, cups...: typed in full as a file would be
            kind, target = "file", printer.connection
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.target.setText(target)
        self.paper.setCurrentIndex(max(0, self.paper.findData(printer.paper_mm)))
        self.encoding.setCurrentText(printer.encoding)
        self.columns.setValue(printer.columns)
        self.cash_drawer.setChecked(printer.cash_drawer)
        self.reports_status.setChecked(printer.reports_status)

    def connection(self) -> str:
        kind, target = self.kind.currentData(), self.target.text().strip()
        if kind == "dummy":
            return "dummy"
        if kind == "file" and target.partition(":")[0].lower() in TYPED_KINDS:
            return target  # serial:/dev/ttyS0, cups:NAME: the whole setting typed
        return f"{kind}:{target}"

    def choice(self) -> setup.PrinterChoice:
        return setup.PrinterChoice(self.connection(), self.paper.currentData(),
                                   self.encoding.currentText().strip())

    def printer(self) -> PrinterSettings:
        c = self.choice()
        printer = replace(self.base, connection=c.connection, paper_mm=c.paper_mm,
                          encoding=c.encoding)
        if self.full:
            printer = replace(printer, columns=self.columns.value(),
                              cash_drawer=self.cash_drawer.isChecked(),
                              reports_status=self.reports_status.isChecked())
        return printer

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
        emit(self.changed)

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
        printer, settings = self.printer(), self.page_settings()
        self.test_button.setEnabled(False)
        self.error.show_info(tr("Printing the test page…"))

        def send() -> Any:
            parse_connection(printer.connection)
            return print_test_page(settings, printer)

        self.devices().run(send, lambda delivery: self.on_printed(printer, delivery),
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
        emit(self.checked, printed)


class CameraForm(NotedForm):
    """The cameras OpenCV can open (``search``), a live preview of the one picked and the
    text of a code held up to it (``backend``: the decoder can be picked too)."""

    NONE, OTHER = "none", "other"

    def __init__(self, ctx: Context, devices: Callable[[], TaskRunner], *, backend: bool = False,
                 preview_on_pick: bool = True, beside: bool = True,
                 parent: QWidget | None = None) -> None:
        """``preview_on_pick``: the preview starts as a camera is picked (else on "Show the
        picture"); ``beside``: the preview beside the fields (else under them)."""
        super().__init__(parent)
        self.ctx = ctx
        self.devices = devices
        self.base = ctx.settings.camera
        self.preview_on_pick = preview_on_pick
        self.filling = False
        self.source = combo(20)
        self.source.setObjectName("camera_source")
        self.path = field(tr("A video file or a folder of pictures"), "camera_path")
        self.try_button = button(tr("Show the picture"))
        self.try_button.clicked.connect(self.show_picture)
        self.backend = combo(12)
        for code, name in BACKENDS:
            self.backend.addItem(name, code)
        self.looking = note()
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
        self.add(tr("Camera"), self.source, "camera_source")
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.try_button)
        self.add(tr("File or folder"), where)
        if backend:
            self.add(tr("Codes read by"), self.backend, "camera_backend")
        else:
            self.backend.hide()
        self.form.addRow(self.looking)
        self.form.addRow(self.read)
        if beside:
            self.row.addWidget(self.preview, 1)
        else:
            self.form.addRow(self.preview)
        self.source.currentIndexChanged.connect(self.on_source_changed)
        self.backend.currentIndexChanged.connect(self.on_source_changed)
        self.searched = False
        self.set_camera(self.base)

    def set_camera(self, camera: CameraSettings) -> None:
        """Pick ``camera``'s source and decoder (among the cameras found, else typed)."""
        self.base = camera
        self.filling = True
        self.backend.setCurrentIndex(max(0, self.backend.findData(camera.backend)))
        at = self.source.findData(camera.source)
        spec = camera.source.strip()
        if at < 0 and self.source.count() and ((spec.isascii() and spec.isdigit())
                                                or spec.startswith("/dev/")):
            # a camera that did not open now (the counter may be using it) stays the choice
            self.source.insertItem(0, tr("Camera {0} (not found now)").format(spec), spec)
            at = 0
        elif at < 0 and self.source.count():
            at = self.source.findData(self.OTHER)
            self.path.setText(camera.source)
        self.source.setCurrentIndex(at)
        self.filling = False
        self._enable()

    def search(self) -> None:
        """List the cameras (once): slow, on the devices runner."""
        if self.searched:
            return
        self.searched = True
        self.filling = True
        self.source.clear()
        self.source.addItem(tr("No camera"), self.NONE)
        self.source.addItem(tr("A video file or a folder of pictures"), self.OTHER)
        self.filling = False
        self.looking.setText(tr("Looking for cameras…"))
        settings = self.base
        self.devices().run(lambda: find_cameras(settings=settings), self.on_found,
                         self.on_find_failed, what=tr("looking for cameras"))

    def on_found(self, found: list[Source]) -> None:
        self.filling = True
        for n, cam in enumerate(found):
            self.source.insertItem(n, tr("Camera {0} ({1}×{2})").format(
                cam.spec, cam.width, cam.height), cam.spec)
        self.filling = False
        self.looking.setText(tr("No camera was found. Plug one in and open the set-up "
                                "again, or use a file to try the preview.") if not found
                             else "")
        if self.preview_on_pick:
            self.source.setCurrentIndex(0)
            self.on_source_changed()
        else:
            self.set_camera(self.base)

    def on_find_failed(self, error: Exception) -> None:
        self.looking.setText(tr("The cameras could not be listed: the hand scanner "
                                "still works."))

    def chosen(self) -> str:
        if not self.source.count():  # not listed yet: the setting as it is
            return self.base.source
        data = self.source.currentData()
        if data == self.OTHER:
            return self.path.text().strip() or self.NONE
        return str(data or self.NONE)

    def camera(self) -> CameraSettings:
        return replace(self.base, source=self.chosen(),
                       backend=self.backend.currentData() or self.base.backend)

    def _enable(self) -> None:
        other = self.source.currentData() == self.OTHER
        self.path.setEnabled(other)
        self.try_button.setEnabled(other or not self.preview_on_pick)

    @Slot()
    def on_source_changed(self) -> None:
        self._enable()
        if self.filling:
            return
        self.stop()
        self.read.setText(tr("Hold a code up to the camera."))
        if self.preview_on_pick:
            self.show_picture()
        else:
            self.preview.view.clear()
            self.preview.view.setText(tr("Camera off"))

    @Slot()
    def show_picture(self) -> None:
        self.stop()
        if self.chosen() == self.NONE:
            self.preview.view.clear()
            self.preview.view.setText(tr("Camera off"))
            return
        self.bridge.settings = self.camera()
        self.bridge.start()
        self.preview.toggle.setText(tr("Camera off"))  # the pane's own button stops it

    @Slot(object)
    def on_scanned(self, event: ScanEvent) -> None:
        self.read.setText(tr("Read: {0}").format(event.text[:60]))
        self.preview.state.setText(tr("The camera reads codes."))  # not the scanner's English

    def stop(self) -> None:
        self.bridge.stop()
        self.preview.toggle.setText(tr("Camera on"))
