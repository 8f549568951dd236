"""The shift report as a document, in English and Chinese."""

from __future__ import annotations

import uuid
from datetime import datetime

from terminal.reports import text
from terminal.reports.shift import shift_document
from terminal.services.shifts import ShiftReport


def report(counted: int | None) -> ShiftReport:
    return ShiftReport(uuid.uuid4(), "S1", "T01", "id", "Li 李", datetime(2026, 3, 10, 9),
                       "CNY", 20_000, 3, 8_800, 5_600, 10_000, 10_000, 0,
                       datetime(2026, 3, 10, 17) if counted is not None else None,
                       "boss", "Boss", counted)


def test_the_shift_report_in_both_languages() -> None:
    en = text.render(shift_document(report(23_000)))
    for line in ("Opening float", "¥200.00", "Cash refunds and voids", "-¥56.00",
                 "Expected in the drawer", "¥232.00", "Counted", "¥230.00", "-¥2.00",
                 "Closed 2026-03-10 17:00 by Boss"):
        assert line in en
    zh = text.render(shift_document(report(23_500), "zh_CN"))
    assert "开班备用金" in zh and "钱箱应有现金" in zh and "+¥3.00" in zh
    assert not any(word in zh for word in ("Opening", "Expected", "Counted", "Cash", "Shift"))
    still_open = text.render(shift_document(report(None)))
    assert "Still open" in still_open and "Counted" not in still_open
