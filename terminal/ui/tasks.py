"""Run slow work off the GUI thread: one worker thread owns the database connection.

Results come back to the GUI thread by signal (the pattern of Anki's taskman and
Electrum's TaskThread); no widget is touched from the worker.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot


class _Worker(QObject):
    finished = Signal(int, object, object)  # task id, result, exception

    @Slot(int, object)
    def run(self, task_id: int, fn: Callable[[], Any]) -> None:
        try:
            result = fn()
        except Exception as exc:  # reported to the caller's error callback, never lost
            self.finished.emit(task_id, None, exc)
        else:
            self.finished.emit(task_id, result, None)


class TaskRunner(QObject):
    """Queue callables on one worker thread; call back on the GUI thread."""

    _submit = Signal(int, object)
    busy_changed = Signal(bool)

    def __init__(self, name: str = "db", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.finished.connect(self._on_worker_finished)
        self._callbacks: dict[int, tuple[Callable[[Any], None] | None,
                                         Callable[[Exception], None] | None]] = {}
        self._ids = itertools.count(1)
        self._thread.start()

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Exception], None] | None = None) -> int:
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_done, on_error)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        self._submit.emit(task_id, fn)
        return task_id

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    @Slot(int, object, object)
    def _on_worker_finished(self, task_id: int, result: Any, error: Exception | None) -> None:
        on_done, on_error = self._callbacks.pop(task_id, (None, None))
        if not self._callbacks:
            self.busy_changed.emit(False)
        if error is not None:
            if on_error is not None:
                on_error(error)
            else:
                raise error
        elif on_done is not None:
            on_done(result)

    def shutdown(self, fn: Callable[[], Any] | None = None) -> None:
        """Run ``fn`` (e.g. close the database) on the worker, then stop the thread."""
        if fn is not None:
            self._submit.emit(0, fn)
        self._thread.quit()
        self._thread.wait(5000)
