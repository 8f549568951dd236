"""The This terminal tab: the printer (with a test page), the camera (with a live preview), the
customer display, the addresses of the member's page, the store and terminal ids of this
terminal's settings file, and the file's values the counter could not use, each beside its
field."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core.config import Settings
from ...services import devices
from ...services.context import Context
from ..qt.tasks import TaskRunner
from ..setup.devices import CameraForm, NotedForm, PrinterForm, field, note
from ..text import tr
from ..widgets import ErrorLine, check_box, describe
from .common import ManagerTab, action_button


class DevicesTab(ManagerTab):
    """Printing and cameras on a runner of the tab's own (a test page may wait seconds for
    a printer); the file is read and written on the window's runner."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.view: devices.DeviceView | None = None
        self.device_tasks: TaskRunner | None = None  # made when first needed
        self.watching: QObject | None = None
        self.busy = False
        self.path_label = QLabel()
        self.path_label.setObjectName("settings_path")
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_notes = ErrorLine()
        self.file_notes.setWordWrap(True)
        self.printer = PrinterForm(ctx, runner, self.device_runner, full=True,
                                   settings=self.page_settings)
        self.camera = CameraForm(ctx, self.device_runner, backend=True, preview_on_pick=False,
                                 beside=False)
        self.camera.preview.setMinimumSize(240, 130)
        self.ids = NotedForm()
        self.store_id = field("S001", "store_id")
        self.terminal_id = field("T01", "terminal_id")
        for edit in (self.store_id, self.terminal_id):
            edit.setMaxLength(40)  # longer is refused with its reason, not cut silently
        both = QHBoxLayout()
        both.addWidget(self.store_id, 1)
        both.addWidget(QLabel(tr("Terminal id")))
        both.addWidget(self.terminal_id, 1)
        self.ids.add(tr("Store id"), both, "store_id")
        self.ids.add_note("terminal_id")  # under the store id's
        self.ids.form.addRow(note(tr("Written with every sale and receipt number. Each "
                                     "terminal of a shop has its own.")))
        self.display = NotedForm()
        self.display_enabled = check_box(tr("A second screen faces the customer"))
        self.display_enabled.setObjectName("display_enabled")
        self.display_screen = field(tr("empty: the second screen, if there is one"),
                                    "display_screen")
        self.display_full = check_box(tr("Full screen"))
        self.display_full.setObjectName("display_full_screen")
        self.display.add("", self.display_enabled, "display_enabled")
        self.display.add(tr("Screen"), self.display_screen, "display_screen")
        self.display.add("", self.display_full, "display_full_screen")
        names = ", ".join(f"{i} {screen.name()}" for i, screen in
                          enumerate(QGuiApplication.screens(), start=1))
        self.display.form.addRow(note(tr("Screens now: {0}").format(names or "-")))
        self.web = NotedForm()
        self.local_url = field("http://192.168.1.20:8080", "local_url")
        self.public_url = field("https://members.example.com", "public_url")
        self.web.add(tr("Shop's network"), self.local_url, "local_url")
        self.web.add(tr("Public (TLS)"), self.public_url, "public_url")
        self.web.form.addRow(note(tr("Where member-terminal serve answers. The customer "
                                     "display's code to join uses the shop's network; "
                                     "links in messages and on receipts the public one.")))
        self.save_button = action_button(tr("Save"))
        self.save_button.setObjectName("save_devices")
        self.save_button.clicked.connect(self.on_save_clicked)
        self.reload_button = action_button(tr("Read the file again"), self.reload)
        self.message = ErrorLine()
        self.message.setWordWrap(True)

        printer_box = QGroupBox(tr("Receipt printer"))
        QVBoxLayout(printer_box).addWidget(self.printer)
        camera_box = QGroupBox(tr("Camera"))
        QVBoxLayout(camera_box).addWidget(self.camera)
        ids_box = QGroupBox(tr("This terminal"))
        QVBoxLayout(ids_box).addWidget(self.ids)
        display_box = QGroupBox(tr("Customer display"))
        QVBoxLayout(display_box).addWidget(self.display)
        web_box = QGroupBox(tr("The member's page"))
        QVBoxLayout(web_box).addWidget(self.web)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reload_button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(printer_box)
        left.addWidget(ids_box)
        left.addWidget(display_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(camera_box)
        right.addWidget(web_box)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        # the notes and the printer's advice come and go: past the screen's height they
        # scroll rather than squeeze the fields onto each other
        content = QWidget()
        content.setLayout(columns)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(content.minimumSizeHint().width()
                               + scroll.verticalScrollBar().sizeHint().width())
        layout = QVBoxLayout(self)
        layout.addWidget(self.path_label)
        layout.addWidget(self.file_notes)
        layout.addWidget(scroll, 1)
        # always in sight, however far the fields scroll
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.file_notes.hide()
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self.reload()

    def page_settings(self) -> Settings:
        """The test page as the file's settings lay it out."""
        return self.view.settings if self.view is not None else self.ctx.settings

    def device_runner(self) -> TaskRunner:
        """The printer's and cameras' worker, started the first time it is needed: its
        thread must stop before the window goes, so the window's closing is watched."""
        if self.device_tasks is None:
            self.device_tasks = TaskRunner("terminal-devices", self)
            if self.watching is None:
                self.watching = self.window()
                self.watching.installEventFilter(self)
        return self.device_tasks

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.camera.search()

    def hideEvent(self, event: QHideEvent) -> None:
        self.camera.stop()
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.watching and event.type() == QEvent.Type.Close:
            self.shutdown()
        return super().eventFilter(watched, event)

    def shutdown(self) -> None:
        self.camera.stop()
        if self.device_tasks is not None:
            self.device_tasks.shutdown()
            self.device_tasks = None

    @Slot()
    def reload(self) -> None:
        ctx = self.ctx
        self.run(lambda: devices.read(ctx), self.on_read, self.message.show_error,
                 what=tr("reading the settings file"))

    def on_read(self, view: devices.DeviceView) -> None:
        self.view = view
        self.path_label.setText(tr("Settings file: {0}").format(view.path)
                                if view.path.exists() else
                                tr("Settings file: {0} (made when you save)").format(view.path))
        self.printer.set_printer(view.settings.printer)
        self.camera.set_camera(view.settings.camera)
        chosen = view.devices
        self.display_enabled.setChecked(chosen.display_enabled)
        self.display_screen.setText(chosen.display_screen)
        self.display_full.setChecked(chosen.display_full_screen)
        self.local_url.setText(chosen.local_url)
        self.public_url.setText(chosen.public_url)
        self.store_id.setText(view.devices.store_id)
        self.terminal_id.setText(view.devices.terminal_id)
        self.show_notes({name: tr("In the file, not usable: {0}").format(text)
                         for name, text in view.notes.items()})
        self.file_notes.setVisible(bool(view.other_notes))
        if view.other_notes:
            self.file_notes.show_error(tr("The file also says what the counter ignores: "
                                          "{0}").format("; ".join(view.other_notes)))

    def show_notes(self, notes: dict[str, str]) -> None:
        for form in (self.printer, self.camera, self.display, self.web, self.ids):
            form.clear_notes()
            for name, text in notes.items():
                form.note(name, text)

    def chosen(self) -> devices.Devices:
        printer, camera = self.printer.printer(), self.camera.camera()
        return devices.Devices(
            printer.connection, printer.paper_mm, printer.encoding, printer.columns,
            printer.cash_drawer, printer.reports_status, camera.source, camera.backend,
            self.display_enabled.isChecked(), self.display_screen.text().strip(),
            self.display_full.isChecked(), self.local_url.text().strip(),
            self.public_url.text().strip(), self.store_id.text().strip(),
            self.terminal_id.text().strip())

    def problems(self, chosen: devices.Devices) -> dict[str, str]:
        from printers.connection import parse_connection
        from printers.errors import PrinterError

        found = {name: describe(error) for name, error in devices.problems(chosen).items()}
        if "connection" not in found:
            try:
                parse_connection(chosen.connection)
            except PrinterError as exc:
                found["connection"] = describe(exc)
        return found

    @Slot()
    def on_save_clicked(self) -> None:
        if self.busy or self.view is None:
            return
        chosen = self.chosen()
        found = self.problems(chosen)
        self.show_notes(found)
        if found:
            self.message.show_error(tr("Correct the values marked in red, then save."))
            return
        old = self.view.devices.terminal_id
        if chosen.terminal_id == old:
            self.save(chosen, False)
            return
        new = chosen.terminal_id
        self.run(lambda: devices.next_receipt(new),
                 lambda receipt: self.ask_new_terminal(chosen, old, receipt),
                 self.message.show_error, what=tr("reading the receipt numbers"))

    def ask_new_terminal(self, chosen: devices.Devices, old: str, receipt: str) -> None:
        self.confirm(
            QMessageBox.Icon.Warning, tr("A new terminal id"),
            tr("This terminal's id changes from {0} to {1}. Receipt numbers restart under "
               "the new id: the next sale gets the number {2}. Sales made under {0} keep "
               "their numbers. Change the id?").format(old, chosen.terminal_id, receipt),
            tr("Change the id"), tr("Keep {0}").format(old),
            lambda yes: self.save(chosen, True) if yes else self.message.show_info(
                tr("Nothing was saved.")))

    def save(self, chosen: devices.Devices, confirmed: bool) -> None:
        ctx, path = self.ctx, self.view.path if self.view else None
        self.busy = True
        self.save_button.setEnabled(False)
        self.message.show_info(tr("Saving…"))

        def saved(result: devices.Saved) -> None:
            self.busy = False
            self.save_button.setEnabled(True)
            later = {"printer": tr("Restart the counter to use the new printer."),
                     "camera": tr("Restart the counter to use the new camera."),
                     "display": tr("Restart the counter to use the customer display as "
                                   "set."),
                     "web": tr("Restart the counter and member-terminal serve to use the "
                               "new addresses."),
                     "ids": tr("The counter writes the new ids after it restarts.")}
            said = [later[part] for part in result.changed]
            self.message.show_info(" ".join([tr("Saved."), *said]) if said
                                   else tr("Saved: nothing had changed."))
            self.reload()

        def failed(error: Exception) -> None:
            self.busy = False
            self.save_button.setEnabled(True)
            self.message.show_error(describe(error))

        self.run(lambda: devices.save(ctx, chosen, new_terminal_confirmed=confirmed,
                                      path=path),
                 saved, failed, what=tr("saving this terminal's settings"))
