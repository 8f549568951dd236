"""Print status at the counter: the worker prints on its own thread; this pane shows what is
waiting or failed and lets the cashier retry a job or reprint a sale."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from printers.queue import PrintWorker
from terminal.config import Settings
from terminal.loyalty.errors import DomainError
from terminal.services import printing
from terminal.services.context import Context
from terminal.services.receipts import latest_txn_id

from .queries import find_sale
from .signals import emit
from .tasks import TaskRunner
from .widgets import describe


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
    """Jobs not printed yet, with their last error; Retry and Reprint."""

    def __init__(self, ctx: Context, runner: TaskRunner, bridge: PrintBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.bridge = bridge
        self.summary = QLabel(self.tr("Printer: all printed"))
        self.jobs = QListWidget()
        self.jobs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.retry = QPushButton(self.tr("Retry"))
        self.reprint = QPushButton(self.tr("Reprint"))
        self.receipt_no = QLineEdit()
        self.receipt_no.setObjectName("reprint_no")
        self.receipt_no.setPlaceholderText(self.tr("Receipt no. (empty: the last)"))
        self.receipt_no.returnPressed.connect(self.on_reprint_clicked)
        for button in (self.retry, self.reprint):
            button.setMinimumHeight(44)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.retry.clicked.connect(self.on_retry_clicked)
        self.reprint.clicked.connect(self.on_reprint_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry)
        buttons.addWidget(self.reprint)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.jobs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.receipt_no)
        layout.addLayout(buttons)
        bridge.changed.connect(self.on_bridge_changed)
        bridge.failed.connect(self.on_task_failed)

    def refresh(self) -> None:
        self.runner.run(lambda: printing.outstanding(self.ctx), self.on_outstanding_loaded,
                        self.on_task_failed)

    @Slot(object)
    def on_bridge_changed(self, view: printing.JobView) -> None:
        self.message.setText("")  # the worker reached the queue again
        self.refresh()

    @Slot(object)
    def on_outstanding_loaded(self, jobs: list[printing.JobView]) -> None:
        self.jobs.clear()
        for job in jobs:
            what = job.receipt_no or job.kind
            state = {"pending": self.tr("waiting"), "printing": self.tr("printing"),
                     "failed": self.tr("failed")}.get(job.status, job.status)
            text = f"{what}{self.tr(' (copy)') if job.copy else ''}: {state}"
            if job.last_error:
                text += f" — {job.last_error}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, job.id)
            self.jobs.addItem(item)
        failed = sum(1 for j in jobs if j.status == "failed")
        if not jobs:
            self.summary.setText(self.tr("Printer: all printed"))
        elif failed:
            self.summary.setText(self.tr("Printer: {0} failed, {1} waiting").format(
                failed, len(jobs) - failed))
        else:
            self.summary.setText(self.tr("Printer: {0} waiting").format(len(jobs)))

    @Slot()
    def on_retry_clicked(self) -> None:
        item = self.jobs.currentItem() or self.jobs.item(0)
        if item is None:
            self.message.setText(self.tr("Nothing is waiting to print."))
            return
        job_id = item.data(Qt.ItemDataRole.UserRole)
        self.runner.run(lambda: printing.retry(self.ctx, job_id), self.on_job_queued,
                        self.on_task_failed)

    @Slot()
    def on_reprint_clicked(self) -> None:
        """A copy of the receipt whose number is typed, or of this terminal's last one."""
        ctx, number = self.ctx, self.receipt_no.text().strip()

        def reprint() -> object:
            txn_id = find_sale(ctx, number).txn_id if number else latest_txn_id(ctx)
            return printing.reprint(ctx, txn_id)

        self.runner.run(reprint, self.on_job_queued, self.on_task_failed)

    @Slot(object)
    def on_job_queued(self, _job: object) -> None:
        self.message.setText("")
        self.receipt_no.clear()
        self.bridge.wake()
        self.refresh()

    @Slot(object)
    def on_task_failed(self, error: Exception) -> None:
        if isinstance(error, DomainError):
            self.message.setText(describe(error))
        else:  # logged with its traceback by the task runner or the print worker
            self.message.setText(self.tr("Could not reach the print queue: {0}").format(
                describe(error)))
