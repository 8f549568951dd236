"""Scan events, and the one path every payload takes: classify, verify, de-duplicate."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from terminal.core.errors import MemberCodeError
from terminal.loyalty import codes

log = logging.getLogger(__name__)

Point = tuple[int, int]
Verifier = Callable[[str], object]
Source = Literal["camera", "wedge"]
# failing: frames come but the decoder raises on them (logged once; "ok" when it reads again)
# missing: a live camera that has never opened since the start (none plugged in; retried)
State = Literal["ok", "missing", "lost", "finished", "error", "failing"]

UNKNOWN = "unknown"  # reason of a payload that is none of our codes
ERROR = "error"  # reason when the verifier itself failed (e.g. the database is down)


@dataclass(frozen=True)
class ScanEvent:
    """A payload read by the camera or a keyboard-wedge scanner, classified and checked.

    ``kind`` is member | coupon | card | product | unknown (``codes.classify``). Member
    codes are verified: ``valid`` False with ``reason`` (a ``MemberCodeError`` reason) and a
    cashier-readable ``message`` when not genuine; ``identity`` is what the verifier
    returned for a genuine one. Other kinds are valid when their shape is ours.
    """

    text: str
    format: str
    kind: str
    source: Source
    valid: bool
    reason: str | None = None
    message: str | None = None
    outline: tuple[Point, ...] = ()
    identity: object = None


@dataclass(frozen=True)
class CameraStatus:
    """ok (frames are coming), missing (no such camera since the start; retrying), lost
    (it worked, then failed; retrying), finished (a file or folder ended), error (a file or
    folder that cannot be opened; not retried), failing (frames come, codes cannot be read)."""

    state: State
    message: str
    source: str


Event = ScanEvent | CameraStatus


class ScanProcessor:
    """Classify, verify and de-duplicate payloads from any source; safe to share by threads.

    The same text seen again within ``hold_seconds`` of its last sighting is dropped, so a
    phone held in front of the camera is one scan, and so is a code scanned by both the
    camera and the handheld scanner.
    """

    def __init__(self, verify: Verifier | None = None, hold_seconds: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._verify = verify
        self._hold = hold_seconds
        self._clock = clock
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def process(self, text: str, format: str, source: Source,
                outline: tuple[Point, ...] = ()) -> ScanEvent | None:
        """The event for a payload, or None when it is empty or held."""
        payload = text.strip()
        if not payload:
            return None
        now = self._clock()
        with self._lock:
            last = self._seen.get(payload)
            self._seen[payload] = now
            if len(self._seen) > 64:  # forget codes long gone so the map stays small
                self._seen = {k: t for k, t in self._seen.items() if now - t < self._hold}
        if last is not None and now - last < self._hold:
            return None
        return self._event(payload, format, source, outline)

    def _event(self, text: str, format: str, source: Source,
               outline: tuple[Point, ...]) -> ScanEvent:
        kind = codes.classify(text)
        if kind == "unknown":
            return ScanEvent(text, format, kind, source, valid=False, reason=UNKNOWN,
                             message="not a code of this shop", outline=outline)
        if kind != "member" or self._verify is None:
            return ScanEvent(text, format, kind, source, valid=True, outline=outline)
        try:
            identity = self._verify(text)
        except MemberCodeError as exc:
            return ScanEvent(text, format, kind, source, valid=False, reason=exc.reason,
                             message=exc.message, outline=outline)
        except Exception as exc:
            # Runs on the capture thread: a failing verifier must be reported, not kill it.
            log.exception("member code verifier failed")
            return ScanEvent(text, format, kind, source, valid=False, reason=ERROR,
                             message=f"cannot check this member code: {exc}", outline=outline)
        return ScanEvent(text, format, kind, source, valid=True, outline=outline,
                         identity=identity)
