"""Both decoder backends on the same synthetic frames."""

from __future__ import annotations

import sys

import cv2
import numpy as np
import pytest

from terminal.scanner import decoders
from terminal.scanner.decoders import DecoderError, make_decoder
from tests.scanner import imaging as im

SECRET, INSTALLATION, (CODE,) = im.member_codes(1)
X, Y = 420, 160  # where imaging.place puts the symbol


def _inside(outline: tuple[tuple[int, int], ...], size: int, slack: int = 8) -> bool:
    return len(outline) == 4 and all(
        X - slack <= x <= X + size + slack and Y - slack <= y <= Y + size + slack
        for x, y in outline)


@pytest.mark.parametrize("variant", ["plain", "blurred", "tilted", "dark", "inverted"])
def test_member_code_variants(backend: str, variant: str) -> None:
    frame = im.place(im.qr(CODE))
    if variant != "plain":
        frame = getattr(im, variant)(frame)
    found = make_decoder(backend).decode(frame)
    assert [(d.text, d.format) for d in found] == [(CODE, "qr")]


def test_outline_is_in_frame_pixels_after_downscaling(backend: str) -> None:
    symbol = im.qr(CODE)
    found = make_decoder(backend).decode(im.place(symbol))
    assert _inside(found[0].outline, symbol.shape[0])


def test_full_resolution_when_the_small_image_finds_nothing(backend: str) -> None:
    # 2-px modules: ~1.25 px after scaling 1280 -> 800, too fine to read small
    symbol = im.qr(CODE, box=2)
    frame = im.place(symbol)
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    decoder = make_decoder(backend)
    assert decoder._read(cv2.resize(gray, (800, 450), interpolation=cv2.INTER_AREA)) == []
    found = decoder.decode(frame)
    assert [d.text for d in found] == [CODE]
    assert _inside(found[0].outline, symbol.shape[0])


def test_small_frames_and_grayscale_input(backend: str) -> None:
    symbol = im.qr(CODE)
    gray = np.full((480, 640), 220, dtype=np.uint8)
    gray[50:50 + symbol.shape[0], 60:60 + symbol.shape[1]] = symbol
    assert [d.text for d in make_decoder(backend).decode(gray)] == [CODE]


def test_product_barcode(backend: str) -> None:
    found = make_decoder(backend).decode(im.place(im.ean13("690123456789")))
    assert [(d.text, d.format) for d in found] == [("6901234567892", "ean13")]


def test_formats_restrict_what_is_read(backend: str) -> None:
    frame = im.place(im.ean13("690123456789"))
    assert make_decoder(backend, formats=("qr",)).decode(frame) == []


@pytest.mark.parametrize("frame", [im.blank(), im.noise()], ids=["blank", "noise"])
def test_nothing_in_empty_or_garbage_frames(backend: str, frame: np.ndarray) -> None:
    assert make_decoder(backend).decode(frame) == []


def test_unknown_backend_and_format() -> None:
    with pytest.raises(DecoderError, match="unknown decoder backend 'zbar'"):
        make_decoder("zbar")
    with pytest.raises(DecoderError, match="datamatrix"):
        make_decoder("zxing", formats=("qr", "datamatrix"))


def test_missing_libzbar_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry in sys.modules makes the import raise ImportError, as a missing .so does.
    monkeypatch.setitem(sys.modules, "pyzbar", None)
    monkeypatch.setitem(sys.modules, "pyzbar.pyzbar", None)
    with pytest.raises(DecoderError, match="libzbar0"):
        decoders.PyzbarDecoder()
