"""The base of every counter dialog: one idempotency key, work on the worker, errors inline."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from ....services.context import Context
from ...qt.signals import emit
from ...qt.tasks import TaskRunner
from ...text import tr
from ...widgets import ErrorLine, Part, button, hbox, vbox


class TaskDialog(QDialog):
    """``completed`` carries the service's result; on an error the dialog stays open with
    everything typed, and shows the message in ``error``.

    The key is made once, when the dialog opens: a double click or a retry after an error
    sends the same key, so the service records the operation at most once.
    """

    completed = Signal(object)
    confirm_button: QPushButton
    cancel_button: QPushButton

    def __init__(self, runner: TaskRunner, ctx: Context, parent: QWidget | None = None, *,
                 title: str = "", width: int = 0) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.runner = runner
        self.ctx = ctx
        self.key = f"ui-{uuid.uuid4().hex}"
        self.error = ErrorLine()
        self.busy = False
        self.result_value: Any = None

    def make_buttons(self, confirm: str, cancel: str = "", *, shortcut: str = "F9") -> None:
        """The two buttons every counter dialog ends with: ``confirm`` (Enter, ``shortcut``)
        calls ``on_confirm_clicked``; ``cancel`` (Esc; "Cancel" unless named) closes."""
        self.confirm_button = button(confirm, shortcut)
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.on_confirm_clicked)
        self.cancel_button = button(cancel or tr("Cancel"), "Esc")
        self.cancel_button.setAutoDefault(False)

    def on_confirm_clicked(self) -> None:
        raise NotImplementedError

    def stack(self, *parts: Part) -> None:
        """The dialog's layout: ``parts`` top to bottom (a (widget, stretch) pair grows),
        then the error line, then the buttons of ``make_buttons``; Cancel closes it."""
        self.setLayout(vbox(*parts, self.error, hbox(self.cancel_button, self.confirm_button)))
        self.cancel_button.clicked.connect(self.reject)

    def submit(self, fn: Callable[[], Any], what: str) -> None:
        """Run ``fn`` on the worker; the first success completes the dialog. The confirm
        button is off while it runs."""
        confirm = self.confirm_button
        self.busy = True
        confirm.setEnabled(False)
        self.error.show_info(what + "…")

        def failed(exc: Exception) -> None:
            self.busy = False
            confirm.setEnabled(True)
            self.error.show_error(exc)

        self.runner.run(fn, self._succeeded, failed, what=what)

    def reject(self) -> None:
        # a closed dialog must not hide the outcome of an operation still running
        if not self.busy:
            super().reject()

    def _succeeded(self, value: Any) -> None:
        self.busy = False
        if self.result_value is not None:  # a second click's replay of the same key
            return
        self.result_value = value
        emit(self.completed, value)
        self.accept()
