"""Print status at the counter: the worker prints on its own thread; this pane shows what is
waiting, failed or not confirmed by the printer, and lets the cashier retry a job, say an
unconfirmed one came out, or reprint a sale."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from printers.queue import PrintWorker
from terminal.core import i18n
from terminal.core.config import Settings
from terminal.core.errors import DomainError
from terminal.services import printing
from terminal.services.context import Context
from terminal.services.receipts import latest_txn_id

from ...services.lookup import find_sale
from ..qt.signals import emit
from ..qt.tasks import TaskRunner
from ..text import language, tr
from ..widgets import describe


class PrintBridge(QObject):
    """Owns the PrintWorker; ``changed`` (queued to the GUI thread) after every job."""

    changed = Signal(object)  # JobView
    failed = Signal(object)  # the exception that keeps the worker from the queue (logged)

    def __init__(self, settings: Settings, ctx: Context, parent: QObject | None = None,
                 **worker_options: object) -> None:
        super().__init__(parent)
        self.worker = PrintWorker(settings, ctx, on_change=self._on_change,
                                  on_error=self._on_error,
                                  **worker_options)  # type: ignore[arg-type]

    def _on_change(self, view: printing.JobView) -> None:  # the worker's thread
        emit(self.changed, view)

    def _on_error(self, error: Exception) -> None:  # the worker's thread
        emit(self.failed, error)

    def start(self) -> None:
        self.worker.start()

    def wake(self) -> None:
        self.worker.wake()

    def stop(self) -> None:
        self.worker.stop()


class PrintPane(QWidget):
    """Jobs not printed yet, with their last error; Retry, Printed and Reprint.

    An unconfirmed job (the printer took it and did not answer) is never sent again on its
    own: the cashier looks at the printer and presses Printed (it came out) or Retry (it did
    not); see terminal/services/printing.py.
    """

    def __init__(self, ctx: Context, runner: TaskRunner, bridge: PrintBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.bridge = bridge
        self.queue_trouble = ""  # the last "could not reach the print queue" sentence
        self.summary = QLabel(self.idle_text())
        self.summary.setWordWrap(True)  # "… sent, the printer gives no confirmation"
        self.jobs = QListWidget()
        self.jobs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Three rows, then it scrolls: the receipt view above keeps the rest of the column.
        self.jobs.setMaximumHeight(self.jobs.fontMetrics().height() * 3 + 12)
        self.jobs.hide()  # shown with jobs only: an empty list leaves a message its room
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.hide()  # shown with a message only: the receipt view keeps the room
        self.retry = QPushButton(tr("Retry"))
        self.printed = QPushButton(tr("Printed"))
        self.printed.setToolTip(tr("The selected receipt came out: take it off the list"))
        self.reprint = QPushButton(tr("Reprint"))
        self.receipt_no = QLineEdit()
        self.receipt_no.setObjectName("reprint_no")
        self.receipt_no.setPlaceholderText(tr("Receipt no. (empty: the last)"))
        self.receipt_no.returnPressed.connect(self.on_reprint_clicked)
        for button in (self.retry, self.printed, self.reprint):
            button.setMinimumHeight(44)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.printed.setEnabled(False)  # only for a job the printer did not confirm
        self.retry.clicked.connect(self.on_retry_clicked)
        self.printed.clicked.connect(self.on_printed_clicked)
        self.reprint.clicked.connect(self.on_reprint_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry)
        buttons.addWidget(self.printed)
        buttons.addWidget(self.reprint)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.jobs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.receipt_no)
        layout.addLayout(buttons)
        # As tall as what it shows (up to the window's limit), not as tall as it may be.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        bridge.changed.connect(self.on_bridge_changed)
        bridge.failed.connect(self.on_task_failed)

    def say(self, text: str, more: str = "") -> None:
        self.message.setText(text)
        self.message.setToolTip(more or text)  # the whole story, should the pane cut it
        self.message.setVisible(bool(text))

    def refresh(self) -> None:
        ctx = self.ctx
        self.runner.run(lambda: (printing.outstanding(ctx), printing.last_finished(ctx)),
                        self.on_loaded, self.on_task_failed)

    def state_label(self, status: str) -> str:
        return {"pending": tr("waiting"), "printing": tr("printing"),
                "failed": tr("failed"),
                "unconfirmed": tr("not confirmed"),
                "sent": tr("sent, the printer gives no confirmation"),
                "done": tr("printed")}.get(status, status)

    @Slot(object)
    def on_loaded(self, loaded: tuple[list[printing.JobView], printing.JobView | None]
                  ) -> None:
        self.on_outstanding_loaded(*loaded)

    @Slot(object)
    def on_bridge_changed(self, view: printing.JobView) -> None:
        if self.message.text() == self.queue_trouble:
            self.say("")  # the worker reached the queue again; other messages stay
        self.refresh()

    def on_outstanding_loaded(self, jobs: list[printing.JobView],
                              last: printing.JobView | None = None) -> None:
        self.jobs.clear()
        self.jobs.setVisible(bool(jobs))
        for job in jobs:
            what = job.receipt_no or i18n.term(language(), "print job kind", job.kind)
            text = (f"{what}{tr(' (copy)') if job.copy else ''}: "
                    f"{self.state_label(job.status)}")
            if job.last_error:  # a Phrase, in the window's language; an old row as it is
                said = job.last_error
                text += f" — {said.text(language()) if isinstance(said, i18n.Phrase) else said}"
            item = QListWidgetItem(text)
            item.setToolTip(text)  # the whole sentence: the row is cut at the pane's width
            item.setData(Qt.ItemDataRole.UserRole, job.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, job.status)
            if job.status == "unconfirmed":
                item.setForeground(Qt.GlobalColor.darkRed)
            self.jobs.addItem(item)
        failed = sum(1 for j in jobs if j.status == "failed")
        unconfirmed = sum(1 for j in jobs if j.status == "unconfirmed")
        waiting = len(jobs) - failed - unconfirmed
        self.printed.setEnabled(bool(unconfirmed))
        hint = tr("Check the printer: Printed if it came out, Retry if not.")
        if unconfirmed:
            self.say(hint)
        elif self.message.text() == hint:
            self.say("")
        if not jobs:
            if last is not None and last.status == "sent":
                self.summary.setText(tr("Printer: {0} {1}").format(
                    last.receipt_no or i18n.term(language(), "print job kind", last.kind),
                    self.state_label("sent")))
            else:
                self.summary.setText(self.idle_text())
            return
        parts = [text.format(n) for n, text in (
            (failed, tr("{0} failed")), (unconfirmed, tr("{0} not confirmed")),
            (waiting, tr("{0} waiting"))) if n]
        self.summary.setText(tr("Printer: {0}").format(tr(", ").join(parts)))

    def idle_text(self) -> str:
        """The summary when nothing waits: with the dummy printer nothing was printed."""
        if self.ctx.settings.printer.connection.strip().lower() == "dummy":
            return tr("No receipt printer set up: nothing prints.")
        return tr("Printer: all printed")

    @Slot()
    def on_retry_clicked(self) -> None:
        item = self.jobs.currentItem() or self.jobs.item(0)
        if item is None:
            self.say(tr("Nothing is waiting to print."))
            return
        job_id = item.data(Qt.ItemDataRole.UserRole)
        self.runner.run(lambda: printing.retry(self.ctx, job_id), self.on_job_queued,
                        self.on_task_failed)

    @Slot()
    def on_printed_clicked(self) -> None:
        """The cashier saw the selected (or first) unconfirmed receipt on paper."""
        rows = [self.jobs.currentItem()] + [self.jobs.item(i) for i in range(self.jobs.count())]
        item = next((row for row in rows if row is not None
                     and row.data(Qt.ItemDataRole.UserRole + 1) == "unconfirmed"), None)
        if item is None:
            self.say(tr("No receipt is waiting for confirmation."))
            return
        job_id = item.data(Qt.ItemDataRole.UserRole)
        self.runner.run(lambda: printing.confirm_printed(self.ctx, job_id),
                        self.on_job_queued, self.on_task_failed)

    @Slot()
    def on_reprint_clicked(self) -> None:
        """A copy of the receipt whose number is typed, or of this terminal's last one."""
        ctx, number = self.ctx, self.receipt_no.text().strip()

        def reprint() -> object:
            txn_id = find_sale(ctx, number).txn_id if number else latest_txn_id(ctx)
            return printing.reprint(ctx, txn_id)

        def queued(job: object) -> None:
            if self.receipt_no.text().strip() == number:  # not what was typed since
                self.receipt_no.clear()
            self.on_job_queued(job)

        self.runner.run(reprint, queued, self.on_task_failed)

    @Slot(object)
    def on_job_queued(self, _job: object) -> None:
        self.say("")
        self.bridge.wake()
        self.refresh()

    @Slot(object)
    def on_task_failed(self, error: Exception) -> None:
        if isinstance(error, DomainError):
            self.say(describe(error))
        else:  # logged with its traceback by the task runner or the print worker
            # short enough for a 1024-pixel screen's pane; the log's path in the tooltip
            self.queue_trouble = tr(
                "Could not reach the print queue. The details are in the log.")
            self.say(self.queue_trouble, describe(error))
