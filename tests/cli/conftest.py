"""The commands' tests use the recorded day of the report tests and the scanner's backends."""

from tests.reports.conftest import eod_report, recorded_day  # noqa: F401
from tests.scanner.conftest import backend  # noqa: F401
