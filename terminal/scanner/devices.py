"""Which cameras OpenCV can open on this computer, and a quick look at any frame source
(camera, video file, image folder): for the set-up's camera step."""

from __future__ import annotations

import glob
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from terminal.core.config import CameraSettings

from .capture import CaptureFactory, open_capture, source_kind

log = logging.getLogger(__name__)

PROBE_INDEXES = 4  # camera numbers 0-3: a counter rarely has more


@dataclass(frozen=True)
class Source:
    """A frame source that opened and gave a frame of ``width`` x ``height``."""

    spec: str  # as the [camera] source setting writes it
    kind: str  # camera, stream, file or folder
    width: int
    height: int


def probe(spec: str, settings: CameraSettings | None = None,
          factory: CaptureFactory = open_capture) -> Source | None:
    """The source if it opens and gives a frame, else None (nothing is raised: a camera
    that is not there is an answer, not an error)."""
    settings = settings or CameraSettings()
    try:
        cap = factory(spec, settings)
    except Exception:  # a driver's error opening one source must not end the search
        log.warning("could not open the frame source %r", spec, exc_info=True)
        return None
    try:
        if not cap.isOpened():
            return None
        ok, frame = cap.read()
        if not ok or frame is None:
            return None
        height, width = frame.shape[:2]
        return Source(spec, source_kind(spec), int(width), int(height))
    finally:
        cap.release()


def candidates(indexes: int = PROBE_INDEXES) -> list[str]:
    """The camera numbers to try, and the Linux video devices beyond them."""
    devices = sorted(glob.glob("/dev/video*"))
    numbered = [str(i) for i in range(indexes)]
    return numbered + [d for d in devices
                       if not d.removeprefix("/dev/video").isdigit()
                       or int(d.removeprefix("/dev/video")) >= indexes]


def find_cameras(specs: Sequence[str] | None = None, settings: CameraSettings | None = None,
                 factory: CaptureFactory = open_capture) -> list[Source]:
    """The cameras that open and give a frame, among ``specs`` (default: ``candidates()``).
    Slow (up to a second a camera): call it off the GUI thread."""
    found = []
    for spec in candidates() if specs is None else specs:
        if (source := probe(spec, settings, factory)) is not None:
            found.append(source)
    return found
