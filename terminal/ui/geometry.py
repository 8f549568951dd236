"""The windows' size: fitted to the screen they open on, and remembered between runs (in
``window.ini`` in the data dir, beside the database: the terminal's own, not the shop's)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from ..core.config import data_dir

WANTED = QSize(1280, 800)  # on a bigger screen; a smaller one gets the whole of its space
SMALLEST = QSize(1024, 700)  # the counter lays out on a 1024x768 screen (less a taskbar)
ROOM = QSize(40, 60)  # a window manager's frame and title bar, beside the wanted size


def fitted(wanted: QSize, available: QRect) -> QRect:
    """``wanted``, no bigger than the screen's ``available`` space, centred on it."""
    rect = QRect(0, 0, min(wanted.width(), available.width()),
                 min(wanted.height(), available.height()))
    rect.moveCenter(available.center())
    return rect


def _store() -> QSettings:
    return QSettings(str(data_dir() / "window.ini"), QSettings.Format.IniFormat)


def restore(window: QWidget, name: str) -> None:
    """The size and place ``window`` had when it was last closed, else the screen's fit."""
    window.setMinimumSize(SMALLEST.boundedTo(_available(window).size()))
    saved = _store().value(f"{name}/geometry")
    if isinstance(saved, QByteArray) and window.restoreGeometry(saved):
        return  # Qt puts a window saved on a screen that is gone back on one that is there
    available = _available(window)
    window.setGeometry(fitted(WANTED, available))
    if available.width() < WANTED.width() + ROOM.width() \
            or available.height() < WANTED.height() + ROOM.height():
        # a 1366x768 or 1024x768 screen: all of it, title bar and frame included
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def side_width(widget: QWidget, most: int = 340, least: int = 260, share: int = 4) -> int:
    """The width of a side pane: a ``share``-th of the screen (a quarter), from ``least`` to
    ``most``: on a 1024-pixel screen the middle keeps its room."""
    return max(least, min(most, _available(widget).width() // share))


def remember(window: QWidget, name: str) -> None:
    """Keep ``window``'s size and place for its next start (a read-only data dir: not kept)."""
    store = _store()
    store.setValue(f"{name}/geometry", window.saveGeometry())
    store.sync()


def _available(window: QWidget) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()
