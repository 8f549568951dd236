"""The camera scanner: capture and decode on a worker thread, events and preview by callback."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from terminal.core.config import CameraSettings

from .capture import LIVE, Capture, CaptureFactory, open_capture, source_kind
from .decoders import DEFAULT_FORMATS, Decoder, make_decoder
from .events import CameraStatus, Event, Point, ScanEvent, ScanProcessor, State, Verifier

log = logging.getLogger(__name__)

PreviewCallback = Callable[[np.ndarray, list[tuple[Point, ...]]], None]
OUTLINE_SECONDS = 0.5  # keep the last outline this long, so the box does not flicker


@dataclass(frozen=True)
class Backoff:
    """Delays between attempts to reopen a lost camera: first, first*factor, ... up to cap."""

    first: float = 0.5
    factor: float = 2.0
    cap: float = 10.0

    def delay(self, attempt: int) -> float:
        return min(self.cap, self.first * self.factor ** attempt)


class Scanner:
    """Reads frames from ``settings.source`` on a worker thread and reports what it sees.

    ``on_event`` receives ScanEvent and CameraStatus objects and ``on_preview`` (optional)
    receives a BGR frame at most ``preview_width`` wide with the outlines of the codes last
    found, at most ``preview_fps`` times a second. Both are called ON THE WORKER THREAD: a Qt
    caller forwards them by emitting a signal. Start with ``start()``, end with ``stop()``.
    """

    def __init__(self, settings: CameraSettings, on_event: Callable[[Event], None], *,
                 verify: Verifier | None = None,
                 on_preview: PreviewCallback | None = None,
                 decoder: Decoder | None = None,
                 formats: Sequence[str] = DEFAULT_FORMATS,
                 processor: ScanProcessor | None = None,
                 capture_factory: CaptureFactory = open_capture,
                 clock: Callable[[], float] = time.monotonic,
                 backoff: Backoff = Backoff(),
                 preview_fps: float = 12.0,
                 preview_width: int = 640,
                 realtime: bool = False) -> None:
        self.settings = settings
        self._on_event = on_event
        self._on_preview = on_preview
        # Built here, on the caller's thread, so a missing backend fails at once and clearly.
        self._decoder = decoder or make_decoder(settings.backend, formats)
        self.processor = processor or ScanProcessor(verify, settings.hold_seconds, clock)
        self._factory = capture_factory
        self._clock = clock
        self._backoff = backoff
        self._preview_every = 1.0 / preview_fps
        self._preview_width = preview_width
        # A file or folder otherwise plays as fast as it decodes: fine for tests, too fast
        # for a demo at the counter, where it should look like a camera at settings.fps.
        self._pace = 1.0 / settings.fps if realtime and settings.fps > 0 else 0.0
        self._next_preview = -math.inf
        self._outlines: list[tuple[Point, ...]] = []
        self._outlines_at = 0.0
        self._decode_failing = False  # told once per run of failing frames, not per frame
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # -- control, from any thread -------------------------------------------------------

    def start(self) -> None:
        """Start the worker; does nothing when it is already running."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            # daemon: a capture stuck inside a driver call must not keep the program alive
            self._thread = threading.Thread(target=self._run, name="scanner", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 3.0) -> bool:
        """Ask the worker to end and wait for it; True when it has ended."""
        self._stop.set()
        return self.join(timeout)

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the worker to end (a file or folder ends by itself); True when ended."""
        thread = self._thread
        if thread is None or thread is threading.current_thread():
            return thread is None
        thread.join(timeout)
        if thread.is_alive():
            log.warning("scanner thread did not end within %s s", timeout)
            return False
        return True

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> Scanner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wedge(self, text: str, format: str = "") -> ScanEvent | None:
        """A keyboard-wedge payload through the same path as the camera's; the event is also
        passed to ``on_event`` (on the calling thread)."""
        event = self.processor.process(text, format, "wedge")
        if event is not None:
            self._emit(event)
        return event

    # -- worker ---------------------------------------------------------------------------

    def _emit(self, event: Event) -> None:
        try:
            self._on_event(event)
        except Exception:  # a failing consumer must not end capture
            log.exception("scanner event callback failed")

    def _status(self, state: State, message: str) -> None:
        if state != "ok":
            log.warning("%s", message)  # the screen says it in the cashier's words
        self._emit(CameraStatus(state, message, self.settings.source))

    def _open(self) -> Capture | None:
        try:
            cap = self._factory(self.settings.source, self.settings)
        except Exception:  # the factory may raise (a fake, a driver error): same as not opened
            log.exception("opening %s failed", self.settings.source)
            return None
        if cap.isOpened():
            return cap
        cap.release()
        return None

    def _run(self) -> None:
        source = self.settings.source
        live = source_kind(source) in LIVE
        lost = False  # "lost" was reported and "ok" not since: report each change once
        attempt = 0
        opened = False  # a camera that never opened is missing, not lost
        while not self._stop.is_set():
            cap = self._open()
            frames = self._play(cap, live) if cap is not None else 0
            opened = opened or cap is not None
            if self._stop.is_set():
                return
            if not live:
                if cap is None:
                    self._status("error", f"cannot open {source}")
                else:
                    self._status("finished", f"{source} has ended")
                return
            if frames:
                lost, attempt = False, 0
            if not lost and not opened:
                self._status("missing", f"no camera {source} found; retrying")
                lost = True
            elif not lost:
                why = "is not available" if cap is None else "stopped sending frames"
                self._status("lost", f"camera {source} {why}; retrying")
                lost = True
            if self._stop.wait(self._backoff.delay(attempt)):
                return
            attempt += 1

    def _play(self, cap: Capture, live: bool) -> int:
        """Decode frames until the source ends or fails, or stop(); return how many."""
        frames = 0
        pace = 0.0 if live else self._pace
        due = time.monotonic()
        try:
            while not self._stop.is_set():
                if pace:
                    due += pace
                    if self._stop.wait(max(0.0, due - time.monotonic())):
                        break
                try:
                    ok, frame = cap.read()
                except Exception:  # some drivers raise cv2.error instead of returning False
                    log.exception("reading from %s failed", self.settings.source)
                    break
                if not ok or frame is None:
                    break
                if frames == 0:
                    # "ok" on the first frame, not on open: some drivers open a camera
                    # that then delivers nothing
                    self._status("ok", f"camera {self.settings.source} is working" if live
                                 else f"reading {self.settings.source}")
                frames += 1
                self._frame(frame)
        finally:
            cap.release()
        return frames

    def _frame(self, frame: np.ndarray) -> None:
        try:
            found = self._decoder.decode(frame)
        except Exception as exc:  # one bad frame (or decoder hiccup) must not end capture
            found = []
            if self._decode_failing:  # at 30 frames a second: the first one is enough
                log.debug("decoding a frame failed again: %r", exc)
            else:
                self._decode_failing = True
                log.exception("decoding a frame failed")
                self._status("failing", f"codes cannot be read from {self.settings.source}; "
                                        "the details are in the log")
        else:
            if self._decode_failing:
                self._decode_failing = False
                log.info("decoding works again")
                self._status("ok", f"codes are read from {self.settings.source} again")
        for code in found:
            event = self.processor.process(code.text, code.format, "camera", code.outline)
            if event is not None:
                self._emit(event)
        callback = self._on_preview
        if callback is None:
            return
        now = self._clock()
        if found:
            self._outlines = [c.outline for c in found]
            self._outlines_at = now
        if now < self._next_preview:
            return
        # On a fixed grid, so a 30 fps camera gives exactly 10 previews a second at 10 fps
        # rather than every fourth frame; max() skips the backlog after a stall.
        self._next_preview = max(self._next_preview + self._preview_every, now)
        outlines = self._outlines if now - self._outlines_at < OUTLINE_SECONDS else []
        self._preview(callback, frame, outlines)

    def _preview(self, callback: PreviewCallback, frame: np.ndarray,
                 outlines: list[tuple[Point, ...]]) -> None:
        h, w = frame.shape[:2]
        scale = min(1.0, self._preview_width / w)
        if scale < 1.0:
            small = cv2.resize(frame, (round(w * scale), round(h * scale)),
                               interpolation=cv2.INTER_AREA)
        else:
            small = frame.copy()  # the consumer may keep it after the next read
        scaled = [tuple((round(x * scale), round(y * scale)) for x, y in o) for o in outlines]
        try:
            callback(small, scaled)
        except Exception:
            log.exception("scanner preview callback failed")
