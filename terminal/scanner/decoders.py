"""Barcode decoding behind one interface, with zxing-cpp (default) and pyzbar backends."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import cv2
import numpy as np

# Our names for the symbologies the shop uses: QR for member codes and coupons, the retail
# linear codes for products. Both backends report results under these names.
FORMATS = ("qr", "ean13", "ean8", "code128")
DEFAULT_FORMATS = FORMATS
BACKENDS = ("zxing", "pyzbar")

SMALL_TRIGGER = 1000  # a frame whose longest side exceeds this is first tried downscaled ...
SMALL_SIDE = 800  # ... to this: ~4x fewer pixels, and a counter-distance code still decodes

Point = tuple[int, int]


class DecoderError(RuntimeError):
    """A backend cannot be used (unknown name, format or a missing system library)."""


@dataclass(frozen=True)
class Decoded:
    """One symbol found in a frame; ``outline`` is its corners in frame pixels."""

    text: str
    format: str
    outline: tuple[Point, ...] = ()


class Decoder(Protocol):
    def decode(self, frame: np.ndarray) -> list[Decoded]: ...


def _gray(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 3 and frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    if frame.ndim == 3:
        return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    return frame


def _check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise DecoderError(f"unknown barcode format(s) {', '.join(unknown) or '(none)'}; "
                           f"expected some of {', '.join(FORMATS)}")
    return tuple(formats)


class _Backend(ABC):
    """Downscale first, full resolution only when the small image finds nothing."""

    def decode(self, frame: np.ndarray) -> list[Decoded]:
        gray = _gray(frame)
        h, w = gray.shape[:2]
        longest = max(h, w)
        if longest > SMALL_TRIGGER:
            scale = SMALL_SIDE / longest
            small = cv2.resize(gray, (round(w * scale), round(h * scale)),
                               interpolation=cv2.INTER_AREA)
            found = self._read(small)
            if found:
                return [Decoded(d.text, d.format,
                                tuple((round(x / scale), round(y / scale)) for x, y in d.outline))
                        for d in found]
        return self._read(gray)

    @abstractmethod
    def _read(self, gray: np.ndarray) -> list[Decoded]: ...


class ZxingDecoder(_Backend):
    """zxing-cpp: fast and robust; finds inverted (dark-mode) codes by itself."""

    _NAMES: ClassVar = {"qr": "QRCode", "ean13": "EAN13", "ean8": "EAN8", "code128": "Code128"}

    def __init__(self, formats: Sequence[str] = DEFAULT_FORMATS) -> None:
        import zxingcpp

        self._zx = zxingcpp
        wanted = _check_formats(formats)
        # from_str rather than `|`: zxing-cpp 3 deprecates or-ing formats, 2.x lacks tuples
        self._formats = zxingcpp.barcode_formats_from_str(
            ",".join(self._NAMES[f] for f in wanted))
        self._ours = {v: k for k, v in self._NAMES.items()}

    def _read(self, gray: np.ndarray) -> list[Decoded]:
        found = self._zx.read_barcodes(gray, formats=self._formats, try_invert=True)
        return [Decoded(b.text, self._ours.get(b.format.name, b.format.name.lower()),
                        _zxing_outline(b.position))
                for b in found]


def _zxing_outline(position: Any) -> tuple[Point, ...]:
    corners = (position.top_left, position.top_right, position.bottom_right,
               position.bottom_left)
    return tuple((int(p.x), int(p.y)) for p in corners)


class PyzbarDecoder(_Backend):
    """pyzbar (ZBar): selectable backend; needs the system library libzbar0."""

    _NAMES: ClassVar = {"qr": "QRCODE", "ean13": "EAN13", "ean8": "EAN8", "code128": "CODE128"}

    def __init__(self, formats: Sequence[str] = DEFAULT_FORMATS) -> None:
        try:
            from pyzbar import pyzbar
        except ImportError as exc:  # pyzbar raises ImportError when libzbar.so is not found
            raise DecoderError(
                "the pyzbar backend needs the ZBar library: install the Debian package "
                f"libzbar0 (sudo apt-get install libzbar0), or use backend zxing ({exc})"
            ) from None
        self._decode = pyzbar.decode
        wanted = _check_formats(formats)
        self._symbols = [pyzbar.ZBarSymbol[self._NAMES[f]] for f in wanted]
        self._ours = {v: k for k, v in self._NAMES.items()}

    def _read(self, gray: np.ndarray) -> list[Decoded]:
        found = self._decode(gray, symbols=self._symbols)
        if not found:
            # ZBar only reads dark-on-light; phones in dark mode show light-on-dark codes
            found = self._decode(cv2.bitwise_not(gray), symbols=self._symbols)
        return [Decoded(r.data.decode("utf-8", errors="replace"),
                        self._ours.get(r.type, r.type.lower()),
                        tuple((int(p.x), int(p.y)) for p in r.polygon))
                for r in found]


def make_decoder(backend: str = "zxing", formats: Sequence[str] = DEFAULT_FORMATS) -> Decoder:
    """The decoder named in settings (``CameraSettings.backend``)."""
    if backend == "zxing":
        return ZxingDecoder(formats)
    if backend == "pyzbar":
        return PyzbarDecoder(formats)
    raise DecoderError(f"unknown decoder backend {backend!r}; expected one of "
                       f"{', '.join(BACKENDS)}")
