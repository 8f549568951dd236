"""The application: a minimal counter window until the full counter screen lands."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from .. import money
from ..config import Settings
from ..loyalty.errors import DomainError
from .tasks import TaskRunner

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Source Han Sans SC",
                "Microsoft YaHei", "PingFang SC")


def pick_font() -> QFont:
    """A font that has Chinese glyphs, so names never show as boxes."""
    families = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in families:
            return QFont(family, 14)
    return QFont(QApplication.font().family(), 14)


@dataclass(frozen=True)
class Found:
    name: str
    card_no: str
    phone: str
    tier: str
    points: int
    stored_value: int


class CounterWindow(QMainWindow):
    def __init__(self, settings: Settings, url: str, warning: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.url = url
        self.setWindowTitle(f"Member Terminal — {settings.store.name}")
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Scan a member code, or type a phone, card or name")
        self.search_box.returnPressed.connect(self.on_search_return_pressed)
        self.results = QListWidget()
        self.message = QLabel("Opening the database…")
        self.message.setWordWrap(True)
        layout = QVBoxLayout()
        for w in (self.search_box, self.results, self.message):
            layout.addWidget(w)
        body = QWidget()
        body.setLayout(layout)
        self.setCentralWidget(body)
        self.resize(900, 600)
        if warning:
            self.statusBar().showMessage(warning)
        self.tasks = TaskRunner("db", self)
        self.ready = False
        self.tasks.run(self._open, self.on_database_opened, self.on_task_failed)
        self.search_box.setFocus()

    def _open(self) -> int:
        from ..db import models as m
        from ..db.database import open_database

        open_database(self.url)
        return int(m.Member.select().count())

    def _search(self, text: str) -> list[Found]:
        from ..services import members
        from ..services.context import Context

        ctx = Context(self.settings, staff_id="counter")
        tiers = self.settings.programme.tiers
        return [Found(mb.name, mb.card_no, members.mask_phone(mb.phone), tiers.by_code(
            mb.tier).name, mb.points_balance, mb.stored_value_balance)
            for mb in members.search(ctx, text)]

    @Slot(object)
    def on_database_opened(self, count: int) -> None:
        self.ready = True
        self.message.setText(f"{count} members. Ready.")

    @Slot()
    def on_search_return_pressed(self) -> None:
        text = self.search_box.text().strip()
        if not text or not self.ready:
            return
        self.message.setText("Searching…")
        self.tasks.run(lambda: self._search(text), self.on_search_done, self.on_task_failed)

    @Slot(object)
    def on_search_done(self, found: list[Found]) -> None:
        self.results.clear()
        cur = self.settings.currency
        for f in found:
            self.results.addItem(
                f"{f.name}   {f.phone}   card {f.card_no}   {f.tier}   "
                f"{f.points} points   stored value {money.format_amount(f.stored_value, cur)}")
        self.message.setText(f"{len(found)} found" if found else "No member found")
        self.search_box.selectAll()

    @Slot(object)
    def on_task_failed(self, error: Exception) -> None:
        if isinstance(error, DomainError):
            self.message.setText(error.message)
        else:
            self.message.setText(f"Error: {error}")

    def closeEvent(self, event: QCloseEvent) -> None:
        from ..db.database import close_database

        self.tasks.shutdown(close_database)
        super().closeEvent(event)


def run_gui(settings: Settings, url: str, warning: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setFont(pick_font())
    window = CounterWindow(settings, url, warning)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return app.exec()
