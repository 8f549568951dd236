"""Tell a keyboard-wedge scanner's burst of keystrokes from a person typing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

# Scanners send a whole code within a few milliseconds per key; people need 100 ms or more.
MAX_GAP = 0.05
MIN_LENGTH = 4

# Qt's QKeyEvent.text() gives "\r" for Enter; key names are accepted for other toolkits.
_NAMED = {"Enter": "\r", "Return": "\r", "Tab": "\t", "Backspace": "\b"}
_BACKSPACE = ("\b", "\x7f")
# AIM symbology identifier that scanners can be set to send first: "]" + code + modifier.
_AIM = re.compile(r"\]([A-Za-z])([0-9A-Za-z])")
_AIM_FORMATS = {"Q": "qr", "C": "code128", "E0": "ean13", "E4": "ean8"}


@dataclass(frozen=True)
class WedgeResult:
    """``scan``: ``text`` is the scanner's payload, ``typed`` what a person typed before it.
    ``typed``: a person pressed Enter; ``text`` is what they typed (for the search box)."""

    kind: Literal["scan", "typed"]
    text: str
    format: str = ""  # from the AIM identifier, when the scanner sends one
    typed: str = ""


@dataclass
class WedgeParser:
    """Feed every key press with its time; Enter yields a WedgeResult.

    A scan is a run of at least ``min_length`` keys, each (and the Enter after them) within
    ``max_gap`` seconds of the one before. Control characters (STX, ETX, a trailing Tab),
    ``prefix``, ``suffix`` and an AIM identifier such as "]Q1" are removed from the payload.
    """

    max_gap: float = MAX_GAP
    min_length: int = MIN_LENGTH
    prefix: str = ""
    suffix: str = ""
    terminators: str = "\r\n"
    aim: bool = True
    _slow: list[str] = field(default_factory=list, init=False, repr=False)
    _burst: list[str] = field(default_factory=list, init=False, repr=False)
    _last: float | None = field(default=None, init=False, repr=False)

    def reset(self) -> None:
        self._slow.clear()
        self._burst.clear()
        self._last = None

    def feed(self, key: str, at: float) -> WedgeResult | None:
        """One key (a character or a key name) pressed at ``at`` seconds."""
        key = _NAMED.get(key, key)
        if not key:  # modifier keys (Shift) have no text and say nothing about timing
            return None
        fast = self._last is not None and at - self._last <= self.max_gap
        self._last = at
        if key in self.terminators:
            return self._finish(fast)
        if key in _BACKSPACE:
            # Scanners never correct themselves: whatever came before was a person.
            self._slow += self._burst
            self._burst.clear()
            if self._slow:
                self._slow.pop()
            return None
        if not fast:
            self._slow += self._burst
            self._burst.clear()
        self._burst.append(key)
        return None

    def _finish(self, fast: bool) -> WedgeResult:
        slow, burst = "".join(self._slow), "".join(self._burst)
        self.reset()
        if fast and len(burst) >= self.min_length:
            payload, fmt = self._clean(burst)
            if len(payload) >= self.min_length:
                return WedgeResult("scan", payload, fmt, typed=_printable(slow))
        return WedgeResult("typed", _printable(slow + burst))

    def _clean(self, raw: str) -> tuple[str, str]:
        text = _printable(raw)
        if self.prefix and text.startswith(self.prefix):
            text = text[len(self.prefix):]
        if self.suffix and text.endswith(self.suffix):
            text = text[:-len(self.suffix)]
        fmt = ""
        match = _AIM.match(text) if self.aim else None
        if match:
            code, modifier = match.groups()
            fmt = _AIM_FORMATS.get(code + modifier, _AIM_FORMATS.get(code, ""))
            text = text[match.end():]
        return text.strip(), fmt


def _printable(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable())
