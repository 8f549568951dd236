"""The combined decoder (backend "auto"): zxing, then a second pass where a frame seems to
hold a code. On generated hard frames it reads more than either backend alone; on empty
and noise frames it reports nothing."""

from __future__ import annotations

import itertools
import math

import cv2
import numpy as np
import pytest

from terminal.scanner import decoders
from terminal.scanner.decoders import CombinedDecoder, make_decoder
from terminal.tools import scan_frames as sf
from tests.scanner import imaging as im
from tests.scanner.conftest import PYZBAR_PROBLEM

needs_zbar = pytest.mark.skipif(PYZBAR_PROBLEM is not None,
                                reason=f"libzbar cannot be loaded: {PYZBAR_PROBLEM}")

PER_KIND = 8
TEXTS = sf.sample_codes(PER_KIND * len(sf.HARD_KINDS), seed=11)
HARD = sf.hard_frames(TEXTS, PER_KIND, seed=7)


def _unlimited() -> CombinedDecoder:
    # every attempt of the second pass, however long the machine takes: repeatable counts
    # (the default budget is timed by bench --scan, not here)
    return CombinedDecoder(budget=math.inf)


def _reads(decoder: decoders.Decoder, frames: list[sf.Frame]) -> tuple[set[int], list[str]]:
    """Indices of the frames whose code was read; texts reported that were not there."""
    read, wrong = set(), []
    for i, frame in enumerate(frames):
        found = decoder.decode(frame.image)
        wrong += [d.text for d in found if d.text != frame.text]
        if any(d.text == frame.text for d in found):
            read.add(i)
    return read, wrong


def test_the_hard_set_is_generated_the_same_each_time() -> None:
    again = sf.hard_frames(TEXTS, PER_KIND, seed=7)
    assert [f.kind for f in HARD] == [f.kind for f in again]
    assert all(np.array_equal(a.image, b.image) for a, b in zip(HARD, again, strict=True))
    assert {f.kind for f in HARD} == set(sf.HARD_KINDS) and all(f.text for f in HARD)
    assert all(f.image.shape == (sf.HEIGHT, sf.WIDTH, 3) for f in HARD)


@needs_zbar
def test_reads_more_hard_frames_than_either_backend_alone() -> None:
    zxing, zxing_wrong = _reads(make_decoder("zxing"), HARD)
    zbar, zbar_wrong = _reads(make_decoder("pyzbar"), HARD)
    combined_decoder = _unlimited()
    both, wrong = _reads(combined_decoder, HARD)
    # the set is hard: each backend alone misses some frames ...
    assert len(zxing) < len(HARD) and len(zbar) < len(HARD)
    # ... and the combined decoder reads strictly more than either, never a wrong code
    assert len(both) > len(zxing) and len(both) > len(zbar)
    assert zxing <= both  # its first pass is zxing itself
    assert wrong == [] and zxing_wrong == [] and zbar_wrong == []
    assert combined_decoder.second_reads >= len(both - zxing) > 0


def test_the_second_pass_helps_on_several_kinds() -> None:
    zxing, _ = _reads(make_decoder("zxing"), HARD)
    both, _ = _reads(_unlimited(), HARD)
    gained = {HARD[i].kind for i in both - zxing}
    assert len(gained) >= 3, gained


def _empty_frames() -> list[sf.Frame]:
    scenes = sf.frames([], ["empty", "noise"], 60, seed=23)
    return [*scenes, sf.Frame("blank", "", im.blank()), sf.Frame("dark", "", im.blank(8))]


def test_nothing_reported_on_empty_and_noise_frames() -> None:
    frames = _empty_frames()
    assert len(frames) >= 50
    decoder = _unlimited()
    assert [(f.kind, decoder.decode(f.image)) for f in frames
            if decoder.decode(f.image)] == []


def test_no_second_pass_on_frames_without_a_code_like_patch() -> None:
    decoder = _unlimited()
    for frame in _empty_frames():
        decoder.decode(frame.image)
    assert decoder.second_passes == 0
    # while the hard frames the first pass misses do look like codes
    for frame in HARD:
        decoder.decode(frame.image)
    assert decoder.second_passes > 0


def test_code_regions_find_the_code_and_nothing_in_a_plain_scene() -> None:
    rng = np.random.default_rng(3)
    symbol = im.qr(TEXTS[0], box=3)
    frame = cv2.cvtColor(sf.counter_scene(rng), cv2.COLOR_BGR2GRAY)
    frame[300:300 + symbol.shape[0], 500:500 + symbol.shape[1]] = symbol
    (x, y, w, h), *_ = decoders.code_regions(frame)
    assert x <= 500 + 12 and y <= 300 + 12  # the code's modules, within the quiet zone
    assert x + w >= 500 + symbol.shape[1] - 12 and y + h >= 300 + symbol.shape[0] - 12
    assert decoders.code_regions(cv2.cvtColor(sf.counter_scene(rng), cv2.COLOR_BGR2GRAY)) == []
    assert decoders.code_regions(cv2.cvtColor(im.noise(), cv2.COLOR_BGR2GRAY)) == []


def _faint(text: str, x: int = 500, y: int = 250) -> tuple[np.ndarray, int]:
    """A code at a known place, so faint and soft that zxing's first pass misses it."""
    symbol = im.qr(text, box=3).astype(np.float32)
    squeezed = (120 + 18 * symbol / 255).astype(np.uint8)
    frame = im.place(squeezed, x, y, background=130)
    rng = np.random.default_rng(5)
    frame = cv2.GaussianBlur(frame, (0, 0), 1.2).astype(np.float32)
    frame += rng.normal(0, 4, frame.shape).astype(np.float32)
    return np.clip(frame, 0, 255).astype(np.uint8), symbol.shape[0]


def test_a_second_pass_read_is_outlined_in_frame_pixels() -> None:
    frame, size = _faint(TEXTS[1])
    assert make_decoder("zxing").decode(frame) == []
    decoder = _unlimited()
    (found,) = decoder.decode(frame)
    assert (found.text, found.format) == (TEXTS[1], "qr") and decoder.second_reads == 1
    assert len(found.outline) == 4
    assert all(500 - 8 <= px <= 500 + size + 8 and 250 - 8 <= py <= 250 + size + 8
               for px, py in found.outline)


def test_no_attempt_starts_once_the_budget_is_spent() -> None:
    frame, _ = _faint(TEXTS[1])
    ticks = itertools.chain([0.0], itertools.repeat(1.0))  # the deadline, then past it
    decoder = CombinedDecoder(budget=0.5, clock=lambda: next(ticks))
    assert decoder.decode(frame) == []
    assert decoder.second_passes == 1 and decoder.second_reads == 0


def test_product_barcodes_first_pass_only() -> None:
    decoder = make_decoder("auto")
    assert isinstance(decoder, CombinedDecoder)
    found = decoder.decode(im.place(im.ean13("690123456789")))
    assert [(d.text, d.format) for d in found] == [("6901234567892", "ean13")]
    frame, _ = _faint(TEXTS[1])
    # without QR among the formats there is no second pass to read the faint code with
    assert make_decoder("auto", formats=("ean13",)).decode(frame) == []


@pytest.mark.parametrize("variant", ["plain", "blurred", "tilted", "dark", "inverted"])
def test_the_ordinary_frames_as_the_backends_read_them(variant: str) -> None:
    frame = im.place(im.qr(TEXTS[2]))
    if variant != "plain":
        frame = getattr(im, variant)(frame)
    assert [(d.text, d.format) for d in make_decoder("auto").decode(frame)] == [(TEXTS[2], "qr")]
