"""Qt's own messages (warnings about painters, fonts, threads…) into the program's log."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")

_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
           QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
           QtMsgType.QtFatalMsg: logging.CRITICAL}
_previous: list[Any] = []


def _handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    where = f" ({context.file}:{context.line})" if context.file else ""
    log.log(_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)
    if _previous and _previous[-1] is not None:
        _previous[-1](kind, context, message)  # e.g. pytest-qt's, which records them


def install() -> None:
    """Send Qt's messages to the log (the handler before keeps getting them)."""
    if not _previous:
        _previous.append(qInstallMessageHandler(_handler))


def uninstall() -> None:
    if _previous:
        qInstallMessageHandler(_previous.pop())
