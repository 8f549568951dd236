"""The customer display: a second window, full screen on the screen facing the customer,
showing a ``screen.Screen``. It reads nothing itself: the counter's window hands it each
screen (``show_screen``)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFont, QGuiApplication, QPixmap, QScreen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.config import DisplaySettings
from ..fonts import pick_font
from ..text import tr
from ..widgets import fill_table, qr_pixmap
from .screen import PAID, WELCOME, Screen

QR_PX = 260


def pick_screen(wanted: str, names: Sequence[str]) -> tuple[int, str | None]:
    """Which of the screens (by their system names, the first being the main one) the
    display opens on, and what to tell the cashier when it is not the one asked for.
    Empty: the second screen, or the only one."""
    listed = ", ".join(f"{i} {name}" for i, name in enumerate(names, start=1))
    if not wanted:
        return (1 if len(names) > 1 else 0), None
    if wanted.isdigit():
        number = int(wanted)
        if 1 <= number <= len(names):
            return number - 1, None
        return 0, tr("Customer display: there is no screen {0} (this computer has {1}: {2}); "
                     "it opens in a window on the first.").format(number, len(names), listed)
    if wanted in names:
        return list(names).index(wanted), None
    return 0, tr("Customer display: no screen is named “{0}” (screens: {1}); it opens in a "
                 "window on the first.").format(wanted, listed)


def _label(size: int, *, bold: bool = False, name: str = "") -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    font = QFont(pick_font())
    font.setPointSize(size)
    font.setBold(bold)
    label.setFont(font)
    return label


class CustomerDisplay(QWidget):
    """Facing the customer: big type, no buttons, nothing to click."""

    def __init__(self, settings: DisplaySettings) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.settings = settings
        self.setWindowTitle(tr("Customer display"))
        self.setObjectName("customer_display")
        self.setStyleSheet("#customer_display { background: #fbfaf7; }")
        self.screen_shown: Screen | None = None
        self.store = _label(30, bold=True, name="store")
        self.store.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.greeting = _label(26, bold=True, name="greeting")
        self.member = _label(18, name="member")
        self.offer = _label(36, bold=True, name="offer")
        self.offer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.offer.setStyleSheet("color: #b3261e;")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("lines")
        self.table.setHorizontalHeaderLabels([tr("Item"), tr("Qty"), tr("Amount")])
        self.table.setFont(_label(18).font())
        self.table.horizontalHeader().setFont(_label(16).font())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setFrameShape(QFrame.Shape.NoFrame)
        self.total = _label(40, bold=True, name="total")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.saving = _label(18, name="saving")
        self.saving.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.earns = _label(20, name="earns")
        self.uses = _label(18, name="uses")
        self.paid = _label(24, bold=True, name="paid")
        self.qr = QLabel()
        self.qr.setObjectName("join_qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_caption = _label(18, name="join_caption")
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._qr_url = ""

        side = QVBoxLayout()
        for widget in (self.greeting, self.member, self.earns, self.uses, self.paid):
            side.addWidget(widget)
        side.addStretch(1)
        side.addWidget(self.qr)
        side.addWidget(self.qr_caption)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setFixedWidth(QR_PX + 140)
        basket = QVBoxLayout()
        basket.addWidget(self.table, 1)
        basket.addWidget(self.saving)
        basket.addWidget(self.total)
        body = QHBoxLayout()
        body.addLayout(basket, 1)
        body.addWidget(side_box)
        self.main = QVBoxLayout(self)
        self.main.setContentsMargins(32, 24, 32, 24)
        self.main.addWidget(self.store)
        self.main.addWidget(self.offer, 1)
        self.main.addLayout(body, 4)
        self.resize(1024, 600)

    def place(self, screens: Sequence[QScreen] | None = None) -> str | None:
        """Put the window on its screen (full screen there if it is not the counter's own);
        what the cashier should be told, if it is not where the settings say."""
        found = list(screens if screens is not None else QGuiApplication.screens())
        if not found:
            return tr("Customer display: the system reports no screen.")
        index, note = pick_screen(self.settings.screen, [s.name() for s in found])
        target = found[index]
        self.setScreen(target)
        self.move(target.availableGeometry().topLeft())
        own_screen = index > 0 and note is None
        if self.settings.full_screen and own_screen:
            self.showFullScreen()
        else:  # the counter's own screen: a window beside it, so the counter stays usable
            self.show()
        return note

    def show_screen(self, screen: Screen) -> None:
        self.screen_shown = screen
        self.store.setText(screen.store)
        between = screen.moment == WELCOME
        self.main.setStretch(1, 3 if between else 0)  # the offer in the middle of the screen
        self.offer.setVisible(between)
        self.offer.setText(screen.offer)
        self.table.setVisible(not between)
        self.total.setVisible(not between)
        fill_table(self.table, [(line.name, str(line.qty), line.amount)
                                for line in screen.lines])
        if screen.lines:
            self.table.scrollToBottom()  # the line just scanned
        total = screen.total
        self.total.setText(tr("Paid: {0}").format(total) if screen.moment == PAID and total
                           else tr("Total: {0}").format(total) if total else "")
        for label, text in ((self.greeting, screen.greeting), (self.member, screen.member),
                            (self.saving, screen.saving), (self.earns, screen.earns),
                            (self.uses, screen.uses), (self.paid, screen.paid)):
            label.setText(text)
            label.setVisible(bool(text))
        self._show_qr(screen.join_url)

    def _show_qr(self, url: str) -> None:
        if url != self._qr_url:
            self._qr_url = url
            self.qr.setPixmap(qr_pixmap(url, QR_PX) if url else QPixmap())
        self.qr.setVisible(bool(url))
        self.qr_caption.setVisible(bool(url))
        self.qr_caption.setText(tr("Not a member yet? Scan to join, no purchase needed")
                                if url else "")

    def closeEvent(self, event: QCloseEvent) -> None:
        # the customer cannot close it; the counter closes it when it closes
        if self.property("closing"):
            super().closeEvent(event)
        else:
            event.ignore()

    def shut(self) -> None:
        self.setProperty("closing", True)
        self.close()
