"""The commands' tests use the recorded day of the report tests and the scanner's backends,
and type PINs through getpass."""

import getpass

import pytest

from tests.reports.conftest import eod_report, recorded_day  # noqa: F401
from tests.scanner.conftest import backend  # noqa: F401


@pytest.fixture
def pins(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The PINs getpass will be given, in order (a test appends them)."""
    answers: list[str] = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": answers.pop(0))
    return answers
