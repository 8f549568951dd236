"""Run slow work off the GUI thread: one worker thread owns the database connection.

Results come back to the GUI thread by signal (the pattern of Anki's taskman and
Electrum's TaskThread); no widget is touched from the worker.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ...core.errors import DomainError
from .signals import emit

log = logging.getLogger(__name__)


class _Worker(QObject):
    finished = Signal(int, object, object)  # task id, result, exception

    @Slot(int, object)
    def run(self, task_id: int, fn: Callable[[], Any]) -> None:
        try:
            result = fn()
        except Exception as exc:  # reported to the caller's error callback, never lost
            emit(self.finished, task_id, None, exc)
        else:
            emit(self.finished, task_id, result, None)


class TaskRunner(QObject):
    """Queue callables on one worker thread; call back on the GUI thread."""

    _submit = Signal(int, object)
    busy_changed = Signal(bool)
    failed = Signal(object)  # an error of a task queued without on_error (already logged)

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
        self._what: dict[int, str] = {}
        self._latest: dict[str, object] = {}
        self._ids = itertools.count(1)
        self._thread.start()

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Exception], None] | None = None, what: str = "") -> int:
        """Queue ``fn``; ``what`` says in a few words what it does, for the status line."""
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_done, on_error)
        self._what[task_id] = what
        if len(self._callbacks) == 1:
            emit(self.busy_changed, True)
        emit(self._submit, task_id, fn)
        return task_id

    def run_latest(self, channel: str, fn: Callable[[], Any],
                   on_done: Callable[[Any], None], on_error: Callable[[Exception], None],
                   what: str = "") -> int:
        """Like ``run``, but only the newest task of ``channel`` calls back: a price preview
        for a basket that has changed since is dropped, not shown."""
        token = self._latest[channel] = object()

        def if_latest(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            return lambda value: callback(value) if self._latest.get(channel) is token else None

        return self.run(fn, if_latest(on_done), if_latest(on_error), what)

    def cancel_latest(self, channel: str) -> None:
        """Drop the answer of the channel's task still under way (its basket is gone)."""
        self._latest.pop(channel, None)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    @property
    def waiting_for(self) -> str:
        """What the oldest unfinished task does (the one the worker is running)."""
        return next(iter(self._what.values()), "")

    @Slot(int, object, object)
    def _on_worker_finished(self, task_id: int, result: Any, error: Exception | None) -> None:
        on_done, on_error = self._callbacks.pop(task_id, (None, None))
        what = self._what.pop(task_id, None)
        if not self._callbacks:
            emit(self.busy_changed, False)
        if error is not None:
            if not isinstance(error, DomainError):  # a rule's refusal is no fault: not logged
                # the exception keeps the worker's traceback: logged here, on one thread
                log.error("%s failed (thread %s)", what or "a task", self._thread.objectName(),
                          exc_info=error)
            if on_error is not None:
                on_error(error)
            else:
                emit(self.failed, error)
        elif on_done is not None:
            on_done(result)

    def shutdown(self, fn: Callable[[], Any] | None = None) -> None:
        """Run ``fn`` (e.g. close the database) on the worker, then stop the thread."""
        if fn is not None:
            emit(self._submit, 0, fn)
        self._thread.quit()
        self._thread.wait(5000)
