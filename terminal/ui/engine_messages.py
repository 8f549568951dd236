"""The engine's messages in the counter's language: the errors carry a message id and its
arguments, and the gettext catalogue (core.i18n) words them; the window only says which
language it speaks.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ..core.errors import DomainError

# Qt's idiom for a fact about the installed translation (as QT_LAYOUT_DIRECTION is): the
# .ts translates this marker to its language code, so the engine's messages follow
# whichever catalogue the window loaded, with nothing else to keep in step.
LANGUAGE_MARKER = str(QT_TRANSLATE_NOOP("engine", "LANGUAGE_CODE"))


def language() -> str:
    """The language of the window's installed translation ("en" when there is none)."""
    code = QCoreApplication.translate("engine", LANGUAGE_MARKER)
    return "en" if code == LANGUAGE_MARKER else code


def text(error: DomainError) -> str:
    """The error's message in the window's language."""
    return error.text(language())

