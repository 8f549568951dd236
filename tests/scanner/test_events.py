"""The shared event path: classification, verification and hold-time de-duplication."""

from __future__ import annotations

import pytest

from terminal.core.errors import MemberCodeError
from terminal.loyalty import codes
from terminal.scanner.events import ScanEvent, ScanProcessor
from tests.scanner import imaging as im

SECRET, INSTALLATION, (CODE, OTHER) = im.member_codes(2)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def verify(text: str) -> str:
    return codes.verify_member_code(text, SECRET, INSTALLATION)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def processor(clock: Clock) -> ScanProcessor:
    return ScanProcessor(verify, hold_seconds=2.0, clock=clock)


def test_genuine_member_code(processor: ScanProcessor) -> None:
    event = processor.process(f"  {CODE}\n", "qr", "camera", ((1, 2), (3, 4)))
    assert event == ScanEvent(CODE, "qr", "member", "camera", valid=True,
                              outline=((1, 2), (3, 4)), identity=CODE.split(".")[2])


@pytest.mark.parametrize(("payload", "reason"), [
    (im.forge(CODE), MemberCodeError.TAMPERED),
    (codes.member_code(SECRET, "ABCDE", codes.new_card_number()), MemberCodeError.FOREIGN),
    ("M1.GARBAGE", MemberCodeError.MALFORMED),
])
def test_bad_member_codes_carry_reason_and_message(processor: ScanProcessor, payload: str,
                                                   reason: str) -> None:
    event = processor.process(payload, "qr", "camera")
    assert event is not None
    assert (event.kind, event.valid, event.reason) == ("member", False, reason)
    assert event.message and event.identity is None


@pytest.mark.parametrize(("payload", "kind", "valid", "reason"), [
    ("C1.ABCDEFGH23", "coupon", True, None),
    (codes.new_card_number(), "card", True, None),
    ("6901234567892", "product", True, None),
    ("https://example.com/", "unknown", False, "unknown"),
])
def test_other_kinds(processor: ScanProcessor, payload: str, kind: str, valid: bool,
                     reason: str | None) -> None:
    event = processor.process(payload, "qr", "wedge")
    assert event is not None
    assert (event.kind, event.valid, event.reason, event.source) == (kind, valid, reason, "wedge")


def test_no_verifier_means_shape_only() -> None:
    event = ScanProcessor().process(im.forge(CODE), "qr", "camera")
    assert event is not None and event.valid and event.kind == "member"


def test_failing_verifier_is_reported_not_raised() -> None:
    def broken(text: str) -> object:
        raise OSError("database is locked")

    event = ScanProcessor(broken).process(CODE, "qr", "camera")
    assert event is not None
    assert (event.valid, event.reason) == (False, "error")
    assert "database is locked" in (event.message or "")


def test_same_code_within_hold_is_reported_once(processor: ScanProcessor, clock: Clock) -> None:
    assert processor.process(CODE, "qr", "camera") is not None
    clock.now += 1.5
    assert processor.process(CODE, "qr", "wedge") is None  # either source: still held
    assert processor.process(OTHER, "qr", "camera") is not None  # another code is not held
    clock.now += 1.5  # 3 s after the first sighting but 1.5 s after the last one: still held
    assert processor.process(CODE, "qr", "camera") is None
    clock.now += 2.0
    assert processor.process(CODE, "qr", "camera") is not None


def test_invalid_codes_are_held_too(processor: ScanProcessor, clock: Clock) -> None:
    forged = im.forge(CODE)
    first = processor.process(forged, "qr", "camera")
    assert first is not None and not first.valid
    clock.now += 0.5
    assert processor.process(forged, "qr", "camera") is None


def test_empty_payload_gives_nothing(processor: ScanProcessor) -> None:
    assert processor.process("  \n", "qr", "wedge") is None


def test_many_codes_do_not_grow_memory(processor: ScanProcessor, clock: Clock) -> None:
    for n in range(500):
        processor.process(f"X{n}", "code128", "wedge")
        clock.now += 1.0
    assert len(processor._seen) <= 66
