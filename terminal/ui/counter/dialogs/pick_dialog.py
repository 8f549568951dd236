"""The pick list: several members match a name; the cashier chooses one."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QListWidget, QVBoxLayout, QWidget

from ....services.lookup import Candidate
from ...qt.signals import emit
from ...text import tr
from ...widgets import TOUCH_PX, button


class PickDialog(QDialog):
    chosen = Signal(object)  # the Candidate

    def __init__(self, candidates: list[Candidate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.candidates = candidates
        self.setWindowTitle(tr("Which member?"))
        self.setMinimumSize(520, 420)
        self.list = QListWidget()
        self.list.setObjectName("candidates")
        self.list.setStyleSheet(f"QListWidget::item {{ min-height: {TOUCH_PX}px; }}")
        for c in candidates:
            self.list.addItem(f"{c.name}    {c.phone_masked}    {c.card_no}")
        self.list.setCurrentRow(0)
        self.ok_button = button(tr("Choose"))
        self.ok_button.setDefault(True)
        self.cancel_button = button(tr("Cancel"), "Esc")
        self.cancel_button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.cancel_button)
        row.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.list.itemActivated.connect(self.on_ok_clicked)
        self.ok_button.clicked.connect(self.on_ok_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.list.setFocus()

    @Slot()
    def on_ok_clicked(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.candidates):
            emit(self.chosen, self.candidates[row])
            self.accept()
