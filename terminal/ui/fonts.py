"""The font every screen uses: one with Chinese glyphs, so names never show as boxes."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Source Han Sans SC",
                "Microsoft YaHei", "PingFang SC")


def pick_font() -> QFont:
    """A font that has Chinese glyphs, so names never show as boxes."""
    families = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in families:
            return QFont(family, 14)
    return QFont(QApplication.font().family(), 14)
