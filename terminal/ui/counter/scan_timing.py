"""The camera path as the counter runs it, timed (``bench --scan``): frames from a source
through the scanner's worker thread (capture, decoding, verification), the ScannerBridge's
queued signal to the GUI thread, the look-up on a database TaskRunner, and its answer back on
the GUI thread, where the counter window shows the member. Only a Qt event loop is needed
(QCoreApplication, no display): the widgets that paint the answer are left out."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from ...core.config import CameraSettings
from ...scanner.capture import Capture, StampedCapture, open_capture
from ...scanner.decoders import Decoder
from ...scanner.events import CameraStatus, ScanEvent
from ...services import connection
from ..qt.tasks import TaskRunner
from .camera_pane import ScannerBridge


@dataclass(frozen=True)
class Timed:
    """One code the scanner reported, with perf_counter times: the frame out of the
    capture, the event on the GUI thread, the look-up's answer on the GUI thread (None for a
    code the scanner refused, which the counter shows as an error without a look-up)."""

    text: str
    valid: bool
    arrived: float
    on_gui: float
    answered: float | None = None
    result: object = None  # the look-up's answer, or the exception it raised


class _TimedBridge(ScannerBridge):
    """The counter's bridge, noting for each event the arrival of the frame it came from
    (the scanner decodes and reports a frame before it reads the next)."""

    def __init__(self, settings: CameraSettings, verify: Callable[[str], Any],
                 decoder: Decoder) -> None:
        self.capture: StampedCapture | None = None
        self.arrivals: dict[int, float] = {}
        self._arrivals_lock = threading.Lock()
        super().__init__(settings, verify, decoder=decoder, capture_factory=self._open,
                         realtime=True)

    def _open(self, spec: str, settings: CameraSettings) -> Capture:
        self.capture = StampedCapture(open_capture(spec, settings))
        return self.capture

    def _on_event(self, event: ScanEvent | CameraStatus) -> None:  # the scanner's thread
        if isinstance(event, ScanEvent) and self.capture is not None:
            with self._arrivals_lock:
                self.arrivals[id(event)] = self.capture.arrived
        super()._on_event(event)

    def arrival_of(self, event: ScanEvent) -> float:
        with self._arrivals_lock:
            return self.arrivals.pop(id(event), time.perf_counter())


def time_scans(settings: CameraSettings, *, decoder: Decoder, verify: Callable[[str], Any],
               look_up: Callable[[str], Any], timeout: float = 600.0) -> list[Timed]:
    """Play ``settings.source`` (a file or folder, paced at ``settings.fps``) through the
    counter's camera path and return every code reported, in order, once all look-ups have
    answered. ``look_up`` runs on the database thread, as the counter's look-up does."""
    app = QCoreApplication.instance() or QCoreApplication([])
    assert app is not None
    loop = QEventLoop()
    tasks = TaskRunner("bench-db")
    bridge = _TimedBridge(replace(settings), verify, decoder)
    done: list[Timed] = []
    ended = threading.Event()

    def maybe_quit() -> None:
        if ended.is_set() and tasks.pending == 0:
            loop.quit()

    def on_scanned(event: ScanEvent) -> None:  # the GUI thread, as on_camera_scanned
        timed = Timed(event.text, event.valid, bridge.arrival_of(event), time.perf_counter())
        if not event.valid:
            done.append(timed)
            return

        def answered(result: object) -> None:
            done.append(replace(timed, answered=time.perf_counter(), result=result))
            maybe_quit()

        text = event.text
        tasks.run(lambda: look_up(text), answered, answered, what="looking up")

    def on_status(status: CameraStatus) -> None:
        if status.state in ("finished", "error"):
            ended.set()
            # the last look-ups may still be under way: quit when they have answered
            QTimer.singleShot(0, maybe_quit)

    bridge.scanned.connect(on_scanned)
    bridge.status.connect(on_status)
    QTimer.singleShot(round(timeout * 1000), loop.quit)
    bridge.start()
    try:
        loop.exec()
    finally:
        bridge.stop()
        tasks.shutdown(connection.close_thread)  # the database thread's own connection
    done.sort(key=lambda t: t.arrived)
    return done
