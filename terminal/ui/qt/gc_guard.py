"""Python's cycle collector runs only on the GUI thread.

The collector runs in whichever thread happens to allocate when a threshold is crossed. If
that is a worker (the database, printer or camera thread) and the garbage holds Qt objects
— a closed dialog and the lambdas that point back at it — PySide deletes them off the GUI
thread and the process can crash (seen as a segfault "Garbage-collecting" in a worker).
The usual cure in PyQt applications (calibre, Anki): switch automatic collection off and
collect from a GUI-thread timer instead.

Upstream: this is how CPython's collector and Qt's thread affinity meet, not a bug a release
fixes, so there is no version check; it affects every PySide6 and PyQt version. Reported and
explained in napari issue 1029 (https://github.com/napari/napari/issues/1029), which points
to Riverbank's PyQt list thread with the same timer cure
(https://www.riverbankcomputing.com/pipermail/pyqt/2011-August/030378.html); seen here with
PySide6 6.12.0 on CPython 3.11.7.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

INTERVAL_MS = 500


class MainThreadGC(QObject):
    """``gc.disable()`` while alive; collects each generation on the GUI thread when its
    threshold is reached, as the automatic collector would."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.on_timer_timeout)
        self.timer.start(INTERVAL_MS)

    @Slot()
    def on_timer_timeout(self) -> None:
        counts = gc.get_count()
        if counts[0] > self.threshold[0]:
            generation = 0
            if counts[1] > self.threshold[1]:
                generation = 2 if counts[2] > self.threshold[2] else 1
            gc.collect(generation)

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()
