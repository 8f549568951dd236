"""Open any frame source given in settings form: camera, device, video file, image folder, URL."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal, Protocol

import cv2
import numpy as np

from terminal.core.config import CameraSettings

log = logging.getLogger(__name__)

Kind = Literal["camera", "stream", "file", "folder"]
LIVE: tuple[Kind, ...] = ("camera", "stream")  # a fault here is retried; a file just ends
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"})
STREAM_TIMEOUT_MS = 5000  # so a dead network camera cannot block the worker for long
# cv2.VideoCapture takes a camera index as a C int: a larger one raises cv2.error (an
# "Overload resolution failed" traceback) instead of failing to open like a missing camera
MAX_CAMERA_INDEX = 2**31 - 1


class Capture(Protocol):
    """The part of ``cv2.VideoCapture`` the scanner uses."""

    def isOpened(self) -> bool: ...

    def read(self) -> tuple[bool, np.ndarray | None]: ...

    def release(self) -> None: ...


CaptureFactory = Callable[[str, CameraSettings], Capture]


def source_kind(spec: str) -> Kind:
    """camera (an index such as "0" or a /dev path), stream (a URL), folder or file."""
    text = spec.strip()
    # isascii: "²" and other Unicode digits pass isdigit() but int() refuses them
    if (text.isascii() and text.isdigit()) or text.startswith("/dev/"):
        return "camera"
    if "://" in text:
        return "stream"
    if Path(text).is_dir():
        return "folder"
    return "file"


class ClosedCapture:
    """A source that cannot be opened at all (a camera index no driver can take): it reports
    itself closed, so the caller says "cannot open camera N" as for any missing camera."""

    def isOpened(self) -> bool:
        return False

    def read(self) -> tuple[bool, np.ndarray | None]:
        return False, None

    def release(self) -> None:
        pass


class FolderCapture:
    """The images of a folder, sorted by name, read one per frame like a video."""

    def __init__(self, folder: str | Path) -> None:
        self._files = sorted(p for p in Path(folder).iterdir()
                             if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
        self._next = 0
        self._open = bool(self._files)

    def isOpened(self) -> bool:
        return self._open

    def read(self) -> tuple[bool, np.ndarray | None]:
        while self._open and self._next < len(self._files):
            path = self._files[self._next]
            self._next += 1
            image = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if image is not None:
                return True, image
            log.warning("skipping unreadable image %s", path)
        return False, None

    def release(self) -> None:
        self._open = False


class StampedCapture:
    """A capture that notes (``time.perf_counter``) when its last frame came out of it: the
    frame's arrival, for timing what follows (``bench --scan``)."""

    def __init__(self, inner: Capture) -> None:
        self._inner = inner
        self.arrived = 0.0

    def isOpened(self) -> bool:
        return self._inner.isOpened()

    def read(self) -> tuple[bool, np.ndarray | None]:
        found = self._inner.read()
        self.arrived = time.perf_counter()
        return found

    def release(self) -> None:
        self._inner.release()


def open_capture(spec: str, settings: CameraSettings) -> Capture:
    """A VideoCapture-like object for the source; check ``isOpened()`` before reading."""
    kind = source_kind(spec)
    text = spec.strip()
    if kind == "folder":
        return FolderCapture(text)
    if kind == "stream":
        return cv2.VideoCapture(text, cv2.CAP_FFMPEG,
                                [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, STREAM_TIMEOUT_MS,
                                 cv2.CAP_PROP_READ_TIMEOUT_MSEC, STREAM_TIMEOUT_MS])
    if kind == "file":
        return cv2.VideoCapture(text)
    # the length first: int() refuses strings of more than 4,300 digits
    if text.isdigit() and (len(text) > 10 or int(text) > MAX_CAMERA_INDEX):
        return ClosedCapture()
    cap = cv2.VideoCapture(int(text) if text.isdigit() else text)
    if cap.isOpened():
        # Requests, not guarantees: the driver picks the nearest mode it supports.
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, settings.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, settings.height)
        cap.set(cv2.CAP_PROP_FPS, settings.fps)
        # Decode the newest frame, not one that waited in the driver's queue while we decoded.
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
    return cap
