"""Fixtures for the scanner tests: the decoder backends, skipping pyzbar only without libzbar."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from terminal.scanner.decoders import DecoderError, make_decoder


def _pyzbar_problem() -> str | None:
    try:
        make_decoder("pyzbar")
    except DecoderError as exc:
        return str(exc)
    return None


PYZBAR_PROBLEM = _pyzbar_problem()
BACKENDS = [
    "zxing",
    pytest.param("pyzbar", marks=pytest.mark.skipif(
        PYZBAR_PROBLEM is not None, reason=f"libzbar cannot be loaded: {PYZBAR_PROBLEM}")),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(autouse=True)
def no_scanner_thread_left() -> Iterator[None]:
    """Every test stops the scanners it starts: a worker left running fails the test."""
    yield
    left = [t.name for t in threading.enumerate() if t.name == "scanner" and t.is_alive()]
    assert not left, f"scanner thread(s) still running: {left}"
