"""The window's own words in its language, from the one gettext catalogue (core.i18n) that
words the engine's messages, the receipts and the reports too.

The language is set once at start-up (language.install_translation); ``tr`` and its kin
translate at the moment they are called, so a string is built where it is shown.
Extraction (terminal/locale/build.py) finds ``tr``, ``trc``, ``trn`` and ``N_``.
"""

from __future__ import annotations

from ..core import i18n
from ..core.i18n import N_

__all__ = ["N_", "language", "set_language", "tr", "trc", "trn"]

_language = "en"


def set_language(language: str) -> None:
    """The window speaks ``language`` from now on ("en": the English source)."""
    global _language
    _language = language


def language() -> str:
    """The window's language ("en" until one is set)."""
    return _language


def tr(text: str) -> str:
    """``text`` in the window's language."""
    return i18n.gettext_(_language, text)


def trc(context: str, text: str) -> str:
    """``text`` in the window's language, where the same English needs another word in
    another place (``context`` says which: "member card" for 'Card' as a card number)."""
    return i18n.pgettext(_language, context, text)


def trn(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` in the window's language, with its ``{n}`` filled in (1,234: with
    thousands separated; other fields are left for the caller's ``format``)."""
    return i18n.ngettext(_language, singular, plural, n).replace("{n}", f"{n:,}")
