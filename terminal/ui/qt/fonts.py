"""Give a window's font to every widget in it, past Qt's style sheet font rule."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

# Workaround: a widget with a style sheet of its own (the coloured message lines) renders in
# the application's font, not the one its window was given. So every widget gets the
# window's font itself; one marked "keep_font" (like the monospaced report), and all inside
# it, keep their own.
# Upstream: no Qt bug report was found (searched Qt's bug tracker and GitHub issues for a
# style sheet stopping font propagation). The nearest: Chatterino's pull request 5960
# (https://github.com/Chatterino/chatterino2/pull/5960) describes the same behaviour and
# points at qstylesheetstyle.cpp taking the parent's font; QTBUG-3455
# (https://bugreports.qt.io/browse/QTBUG-3455) is about style-dependent fonts, not this.
# Affects: seen with PySide6 6.12.0 (Qt 6.12.0); no fixed version is known, so there is no
# version check (a widget given the font it would inherit anyway does not change).


def give_font(window: QWidget, font: QFont) -> None:
    """``font`` on every widget in ``window``, except inside those marked "keep_font"."""
    kept = [w for w in window.findChildren(QWidget) if w.property("keep_font")]
    for widget in window.findChildren(QWidget):
        if not any(widget is k or k.isAncestorOf(widget) for k in kept):
            widget.setFont(font)
