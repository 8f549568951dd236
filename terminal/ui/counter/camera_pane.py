"""The camera preview pane: the scanner's worker thread feeds it frames and codes by signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QPointF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ...core import logs
from ...core.config import CameraSettings
from ...scanner.events import CameraStatus, ScanEvent
from ...scanner.scanner import Scanner
from ..qt.signals import emit
from ..text import tr

Outline = tuple[tuple[int, int], ...]


class ScannerBridge(QObject):
    """Runs a Scanner and re-emits what its thread reports as Qt signals (queued to the GUI
    thread, since the bridge lives there)."""

    scanned = Signal(object)  # ScanEvent
    status = Signal(object)  # CameraStatus
    frame = Signal(QImage, object)  # preview frame, list of outlines

    def __init__(self, settings: CameraSettings, verify: Callable[[str], Any] | None = None,
                 parent: QObject | None = None, **scanner_options: Any) -> None:
        super().__init__(parent)
        self.settings = settings
        self._verify = verify
        self._options = scanner_options
        self.scanner: Scanner | None = None

    def set_verifier(self, verify: Callable[[str], Any]) -> None:
        """Check member codes with ``verify`` from the next start on (and now, if running)."""
        self._verify = verify
        if self.running:
            self.stop()
            self.start()

    @property
    def verifying(self) -> bool:
        """Member codes can be checked: the installation's key has been read."""
        return self._verify is not None

    @property
    def running(self) -> bool:
        return self.scanner is not None and self.scanner.running

    def start(self) -> None:
        if self.running:
            return
        self.scanner = Scanner(self.settings, self._on_event, verify=self._verify,
                               on_preview=self._on_preview, **self._options)
        self.scanner.start()

    def stop(self) -> None:
        if self.scanner is not None:
            self.scanner.stop()
            self.scanner = None

    def _on_event(self, event: ScanEvent | CameraStatus) -> None:  # the scanner's thread
        emit(self.scanned if isinstance(event, ScanEvent) else self.status, event)

    def _on_preview(self, bgr: np.ndarray, outlines: list[Outline]) -> None:  # its thread
        rgb = np.ascontiguousarray(bgr[:, :, ::-1])
        h, w, _ = rgb.shape
        image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
        emit(self.frame, image, list(outlines))


class CameraPane(QWidget):
    """The preview with the detected code outlined, an on/off button and the camera's state."""

    def __init__(self, bridge: ScannerBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.view = QLabel(tr("Camera off"))
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setMinimumSize(240, 135)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.view.setStyleSheet("background: #222; color: #ddd;")
        self.state = QLabel("")
        self.state.setWordWrap(True)
        self.toggle = QPushButton(tr("Camera on"))
        self.toggle.setMinimumHeight(44)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
        self.toggle.clicked.connect(self.on_toggle_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.state)
        layout.addWidget(self.toggle)
        bridge.frame.connect(self.on_bridge_frame)
        bridge.status.connect(self.on_bridge_status)
        bridge.scanned.connect(self.on_bridge_scanned)

    @Slot()
    def on_toggle_clicked(self) -> None:
        if self.bridge.running:
            self.bridge.stop()
            self.view.clear()
            self.view.setText(tr("Camera off"))
            self.state.setText("")
            self.toggle.setText(tr("Camera on"))
        else:
            self.bridge.start()
            self.view.setText(tr("Starting the camera…"))
            self.toggle.setText(tr("Camera off"))

    @Slot(QImage, object)
    def on_bridge_frame(self, image: QImage, outlines: list[Outline]) -> None:
        pixmap = QPixmap.fromImage(image)
        if outlines:
            painter = QPainter(pixmap)
            painter.setPen(QPen(QColor(40, 220, 90), 3))
            for outline in outlines:
                painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in outline]))
            painter.end()
        self.view.setPixmap(pixmap.scaled(self.view.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))

    @Slot(object)
    def on_bridge_status(self, status: CameraStatus) -> None:
        texts = {"ok": tr("Camera working"),
                 "missing": tr("No camera found. Type or use the hand scanner; a camera "
                               "plugged in starts by itself."),
                 "lost": tr("Camera lost: trying again. Type or use the hand scanner."),
                 "finished": tr("Video finished"),
                 "error": tr("Camera cannot be opened"),
                 "failing": tr("Camera: codes cannot be read. Type or use the hand "
                                    "scanner. The details are in the log: {0}").format(
                     logs.current_path())}
        # the camera's own name, not the scanner's English sentence (the log has that)
        self.state.setText(texts.get(status.state, status.state)
                           + ("" if status.state == "ok" else f" ({status.source})"))
        if status.state in ("finished", "error"):  # nothing more will come: show it as off
            self.bridge.stop()
            self.toggle.setText(tr("Camera on"))

    @Slot(object)
    def on_bridge_scanned(self, event: ScanEvent) -> None:
        self.state.setText(tr("Read: {0}").format(event.text[:40]) if event.valid
                           else event.message or tr("Not one of our codes"))

    def shutdown(self) -> None:
        self.bridge.stop()
