"""give_font: the window's font on every widget, a styled one too, except those kept."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from terminal.ui.qt.fonts import give_font


def test_every_widget_gets_the_font_but_those_marked_keep_font(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    styled = QLabel("styled")
    styled.setStyleSheet("color: #a00;")  # the kind the font would not reach
    kept = QWidget()
    kept.setProperty("keep_font", True)
    inside = QLabel("inside the kept one", kept)
    kept.setFont(QFont("Monospace", 9))
    for widget in (styled, kept):
        layout.addWidget(widget)
    font = QFont("Sans", 17)

    give_font(window, font)

    assert styled.font().pointSize() == 17
    assert kept.font().pointSize() == 9 and inside.font().pointSize() == 9
