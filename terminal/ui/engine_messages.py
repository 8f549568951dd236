"""The engine's messages in the counter's language: the errors carry a message id and its
arguments, and the gettext catalogue (core.i18n) words them, in the language the window
speaks (ui.text, set once at start-up).
"""

from __future__ import annotations

from ..core.errors import DomainError
from . import text as _text


def language() -> str:
    """The window's language ("en" until install_translation sets another)."""
    return _text.language()


def text(error: DomainError) -> str:
    """The error's message in the window's language."""
    return error.text(language())
