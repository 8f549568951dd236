"""Barcode decoding behind one interface, with zxing-cpp (default) and pyzbar backends."""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import cv2
import numpy as np

# Our names for the symbologies the shop uses: QR for member codes and coupons, the retail
# linear codes for products. Both backends report results under these names.
FORMATS = ("qr", "ean13", "ean8", "code128")
DEFAULT_FORMATS = FORMATS
BACKENDS = ("zxing", "pyzbar", "auto")  # auto: zxing, then a second pass (CombinedDecoder)

SMALL_TRIGGER = 1000  # a frame whose longest side exceeds this is first tried downscaled ...
SMALL_SIDE = 800  # ... to this: ~4x fewer pixels, and a counter-distance code still decodes

Point = tuple[int, int]

log = logging.getLogger(__name__)


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
        return self.read_small(gray) or self._read(gray)

    def read_small(self, gray: np.ndarray) -> list[Decoded] | None:
        """The first, downscaled attempt, outlines in frame pixels; None when the frame is
        small enough to be read as it is."""
        h, w = gray.shape[:2]
        longest = max(h, w)
        if longest <= SMALL_TRIGGER:
            return None
        scale = SMALL_SIDE / longest
        small = cv2.resize(gray, (round(w * scale), round(h * scale)),
                           interpolation=cv2.INTER_AREA)
        return [Decoded(d.text, d.format,
                        tuple((round(x / scale), round(y / scale)) for x, y in d.outline))
                for d in self._read(small)]

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


# -- the combined decoder: zxing, then a second pass where a code seems to be ------------

# No second-pass attempt starts once the frame has taken this long (first pass included):
# an attempt costs 1 to 3 ms, so a 720p frame stays within 10 ms.
DECODE_BUDGET = 0.007
SECOND_PASS_FORMATS = ("qr",)  # see CombinedDecoder: a linear code has no error correction
FIND_SIDE = 640  # the frame is searched for code-like patches at this size
EDGE_LEVEL = 10  # a local contrast (3 x 3 max - min) above this counts as an edge
CROP_SIDE = 320  # a patch is scaled up (never down) to about this before the second pass
MAX_REGIONS = 2


def code_regions(gray: np.ndarray, limit: int = MAX_REGIONS) -> list[tuple[int, int, int, int]]:
    """Patches of the frame that may hold a 2-D code, as (x, y, width, height) in frame
    pixels, largest first: blobs dense with edges, squarish, neither tiny nor most of the
    frame. Empty for a plain scene (its objects' outlines are thin lines, not blobs) and for
    random noise (edges everywhere: one blob the size of the frame)."""
    h, w = gray.shape[:2]
    scale = min(1.0, FIND_SIDE / max(h, w))
    small = (cv2.resize(gray, (round(w * scale), round(h * scale)),
                        interpolation=cv2.INTER_AREA) if scale < 1 else gray)
    square3 = np.ones((3, 3), np.uint8)
    edges = cv2.morphologyEx(small, cv2.MORPH_GRADIENT, square3) > EDGE_LEVEL
    mask: np.ndarray = edges.astype(np.uint8)
    # modules merge into one blob; the thin outline of a box on the counter does not survive
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    sh, sw = mask.shape
    found = []
    for x, y, bw, bh, area in stats[1:count]:
        if min(bw, bh) < 12 or max(bw, bh) > 0.9 * min(sh, sw):
            continue
        if max(bw, bh) > 2.5 * min(bw, bh) or area < 0.35 * bw * bh:
            continue
        density = float(edges[y:y + bh, x:x + bw].mean())  # a code: a third or more edge
        if density < 0.25:
            continue
        found.append((int(area), (round(x / scale), round(y / scale), round(bw / scale),
                                  round(bh / scale))))
    found.sort(key=lambda item: -item[0])
    return [box for _, box in found[:limit]]


def _stretch(gray: np.ndarray) -> np.ndarray:
    """Contrast stretched so the 1st and 99th percentiles become black and white."""
    low, high = np.percentile(gray, (1, 99))
    if high - low < 4:
        return gray
    out = (gray.astype(np.float32) - low) * (255.0 / (high - low))
    return np.clip(out, 0, 255).astype(np.uint8)


def _odd(n: float) -> int:
    k = int(n)
    return k if k % 2 else k + 1


Attempt = Callable[[np.ndarray], list[Decoded]]


class CombinedDecoder:
    """zxing-cpp as a first pass; when it finds nothing in a frame with a code-like patch
    (``code_regions``), a second pass on that patch, cut out and scaled up: contrast
    stretched, smoothed (moire off a phone screen), sharpened (blur), ZBar on the smoothed
    patch, zxing's global binarizer, an adaptive threshold. The second pass stops at the
    first read, and starts no attempt once the frame has taken ``budget`` seconds
    (``math.inf``: every attempt, whatever the time, as the tests do to be repeatable).

    The first pass is zxing's downscaled read; its full-resolution read comes at once in a
    frame without a code-like patch (exactly as ``zxing``), and after the second pass, time
    allowing, in one with such a patch: the patch, cut out at full resolution or larger, is
    where that read would have found the code, for less time.

    The second pass reads QR codes only: a QR code's error correction refuses a misread, so
    the extra binarizations cannot invent one; a product barcode has a single check digit,
    and thresholding clutter could make one up. Products are read by the first pass, as
    with ``zxing``."""

    def __init__(self, formats: Sequence[str] = DEFAULT_FORMATS, *,
                 budget: float = DECODE_BUDGET,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.first = ZxingDecoder(formats)
        wanted = _check_formats(formats)
        second = tuple(f for f in wanted if f in SECOND_PASS_FORMATS)
        self._zx = ZxingDecoder(second) if second else None
        self._zbar: PyzbarDecoder | None = None
        if second:
            try:
                self._zbar = PyzbarDecoder(second)
            except DecoderError as exc:  # the second pass goes on with zxing alone
                log.warning("second decoding pass without ZBar: %s", exc)
        self._budget = budget
        self._clock = clock
        self.second_passes = 0  # frames the second pass was tried on
        self.second_reads = 0  # ... and read

    def decode(self, frame: np.ndarray) -> list[Decoded]:
        deadline = self._clock() + self._budget
        gray = _gray(frame)
        first = self.first
        small = first.read_small(gray)
        if small:
            return small
        whole = small is None  # a frame small enough to be read whole at once
        if whole and (found := first._read(gray)):
            return found
        regions = code_regions(gray) if self._zx is not None else []
        if not regions:  # nothing like a code: zxing's full-resolution pass, as zxing does
            return [] if whole else first._read(gray)
        self.second_passes += 1
        for region in regions:
            found = self._second_pass(gray, region, deadline)
            if found:
                self.second_reads += 1
                return found
            if self._clock() > deadline:
                return []
        # the patches held nothing readable; the code may be elsewhere, at full resolution
        return [] if whole else first._read(gray)

    def _attempts(self) -> list[tuple[str, Attempt]]:
        zx = self._zx
        assert zx is not None
        zx_read = zx._read
        fmt = zx._formats

        def zx_global(img: np.ndarray) -> list[Decoded]:
            return [Decoded(b.text, "qr", _zxing_outline(b.position))
                    for b in zx._zx.read_barcodes(img, formats=fmt, try_invert=True,
                                                  binarizer=zx._zx.Binarizer.GlobalHistogram)]

        attempts: list[tuple[str, Attempt]] = [
            ("stretched", zx_read), ("smoothed", zx_read), ("sharpened", zx_read)]
        zbar = self._zbar
        if zbar is not None:
            symbols = zbar._symbols

            def zbar_read(img: np.ndarray) -> list[Decoded]:  # dark on light only: fast
                return [Decoded(r.data.decode("utf-8", errors="replace"), "qr",
                                tuple((int(p.x), int(p.y)) for p in r.polygon))
                        for r in zbar._decode(img, symbols=symbols)]

            attempts.append(("smoothed", zbar_read))
        attempts += [("stretched", zx_global), ("thresholded", zx_read)]
        return attempts

    def _second_pass(self, gray: np.ndarray, region: tuple[int, int, int, int],
                     deadline: float) -> list[Decoded]:
        x, y, w, h = region
        pad = round(0.2 * max(w, h))  # the quiet zone, and a corner the blob missed
        fh, fw = gray.shape[:2]
        x0, y0 = max(0, x - pad), max(0, y - pad)
        x1, y1 = min(fw, x + w + pad), min(fh, y + h + pad)
        crop = gray[y0:y1, x0:x1]
        up = max(1.0, min(4.0, CROP_SIDE / max(crop.shape)))
        big = (cv2.resize(crop, None, fx=up, fy=up, interpolation=cv2.INTER_CUBIC)
               if up > 1 else crop)
        images: dict[str, np.ndarray] = {}

        def image(name: str) -> np.ndarray:
            if name not in images:
                if name == "stretched":
                    images[name] = _stretch(big)
                elif name == "smoothed":
                    images[name] = _stretch(cv2.GaussianBlur(big, (0, 0), 0.9 * up))
                elif name == "sharpened":
                    soft = cv2.GaussianBlur(big, (0, 0), 2.0 * up)
                    images[name] = _stretch(cv2.addWeighted(big, 2.2, soft, -1.2, 0))
                else:  # thresholded
                    smooth = cv2.GaussianBlur(image("stretched"), (0, 0), 0.6 * up)
                    images[name] = cv2.adaptiveThreshold(
                        smooth, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY,
                        _odd(max(15, max(big.shape) / 12)), 2)
            return images[name]

        for name, read in self._attempts():
            if self._clock() > deadline:
                break
            found = read(image(name))
            if found:
                return [Decoded(d.text, d.format,
                                tuple((x0 + round(px / up), y0 + round(py / up))
                                      for px, py in d.outline))
                        for d in found]
        return []


def make_decoder(backend: str = "zxing", formats: Sequence[str] = DEFAULT_FORMATS) -> Decoder:
    """The decoder named in settings (``CameraSettings.backend``)."""
    if backend == "zxing":
        return ZxingDecoder(formats)
    if backend == "pyzbar":
        return PyzbarDecoder(formats)
    if backend == "auto":
        return CombinedDecoder(formats)
    raise DecoderError(f"unknown decoder backend {backend!r}; expected one of "
                       f"{', '.join(BACKENDS)}")
