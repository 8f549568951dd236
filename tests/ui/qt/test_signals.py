"""Signals emitted through terminal.ui.qt.signals leave True's reference count as it was."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from terminal.ui.qt.signals import emit


class Emitter(QObject):
    value = Signal(object)


def test_ten_thousand_emits_keep_true_alive(qtbot):
    emitter = Emitter()
    seen: list[object] = []
    emitter.value.connect(seen.append)
    emit(emitter.value, -1)  # the first emit caches a little, holding True once
    before = sys.getrefcount(True)
    for i in range(10_000):  # about 3,000 database tasks' worth
        emit(emitter.value, i)
    after = sys.getrefcount(True)  # not inside assert: its rewriting holds references
    assert len(seen) == 10_001
    assert after == before
