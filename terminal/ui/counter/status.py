"""The counter's status line: ready with the member count, or how long it has waited."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QTimer, Slot
from PySide6.QtWidgets import QLabel, QWidget

from ..qt.tasks import TaskRunner
from ..text import tr, trn

WAIT_NOTICE_MS = 300  # shorter waits are normal work; longer ones are shown as waiting


class StatusLine(QLabel):
    """What the database worker is doing: nothing to see while work is quick; a wait of
    more than WAIT_NOTICE_MS is shown with what it waits for and for how long."""

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status_line")
        self.setText(tr("Opening the database…"))
        self.tasks = tasks
        self.ready = False
        self.ready_text = ""
        self.count = 0
        self.busy_clock = QElapsedTimer()
        self.wait_timer = QTimer(self)
        self.wait_timer.setInterval(WAIT_NOTICE_MS)
        self.wait_timer.timeout.connect(self.on_wait_timer_timeout)
        tasks.busy_changed.connect(self.on_tasks_busy_changed)

    def set_ready(self, count: int) -> None:
        """The database is open with ``count`` members: what the line returns to after
        each wait."""
        self.ready = True
        self.count = count
        self.ready_text = trn("Ready. {n} member.", "Ready. {n} members.", count)
        self.setText(self.ready_text)

    def add_members(self, joined: int) -> None:
        """Members enrolled here since the count: the line says the new count."""
        self.set_ready(self.count + joined)

    @Slot(bool)
    def on_tasks_busy_changed(self, busy: bool) -> None:
        if busy:
            self.busy_clock.start()
            self.wait_timer.start()
        else:
            self.wait_timer.stop()
            if self.ready:
                self.setText(self.ready_text)

    @Slot()
    def on_wait_timer_timeout(self) -> None:
        # the worker may be waiting for another terminal's write lock (up to the busy
        # timeout): say so, and keep the window working meanwhile
        seconds = self.busy_clock.elapsed() // 1000
        self.setText(tr("Waiting for the database… ({0}, {1} s)").format(
            self.tasks.waiting_for, seconds))
