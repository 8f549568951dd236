"""The scan field: one line for a keyboard-wedge scanner and for typing, told apart by timing."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from ...scanner.wedge import WedgeParser
from ..qt.signals import emit


class ScanField(QLineEdit):
    """Emits ``submitted(text, typed)`` on Enter. A scanner's burst is submitted on its own
    (``typed`` False) and leaves in the field what the cashier had typed before it."""

    submitted = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.wedge = WedgeParser()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        # Backspace's text is "\b", which the parser reads as a correction
        result = self.wedge.feed("\r" if enter else event.text(), time.monotonic())
        if not enter:
            super().keyPressEvent(event)
        elif result is not None and result.kind == "scan":
            self.setText(result.typed)
            emit(self.submitted, result.text, False)
        else:
            emit(self.submitted, self.text(), True)
