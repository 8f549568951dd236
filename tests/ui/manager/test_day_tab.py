"""The day tab: a day's report, closing it once, printing and exporting it; the economics."""

from __future__ import annotations

import csv
import re
from datetime import date

from PySide6.QtCore import QDate

from terminal.db import models as m
from terminal.services import eod
from tests.ui.manager.conftest import WAIT_MS, idle

BUSY_DAY = date(2026, 3, 8)  # the two champions each bought that day


def pick(qtbot, runner, tab, day: date) -> None:
    tab.day_edit.setDate(QDate(day.year, day.month, day.day))
    qtbot.waitUntil(lambda: tab.shown is not None and tab.shown.report.period.day == day,
                    timeout=WAIT_MS)
    idle(qtbot, runner)


def print_jobs() -> int:
    return int(m.PrintJob.select().where(m.PrintJob.kind == "report").count())


def test_shows_the_days_report(qtbot, window, runner, shop):
    tab = window.day_tab
    assert tab.day_edit.date() == QDate(2026, 3, 10)  # today, by the shop's clock
    assert tab.shown is not None and tab.shown.report.period.day == date(2026, 3, 10)
    pick(qtbot, runner, tab, BUSY_DAY)
    expected = eod.report(shop.ctx, BUSY_DAY)
    assert expected.sales.count == 2
    assert tab.shown.report.sales.count == expected.sales.count
    assert tab.shown.report.sales.revenue == expected.sales.revenue
    text = tab.report_text.toPlainText()
    assert "End-of-day report" in text and "2026-03-08" in text
    sales_line = re.search(r"^  Sales +(\S+)$", text, re.MULTILINE)  # not the section title
    assert sales_line is not None and sales_line.group(1) == str(expected.sales.count)
    assert "2 sales" in tab.message.text() and "open" in tab.message.text()
    assert tab.report_text.isReadOnly()
    assert "Mono" in tab.report_text.font().family()  # the window's font did not replace it
    assert tab.close_button.isEnabled()


def test_close_the_day_once(qtbot, window, runner, shop):
    tab = window.day_tab
    pick(qtbot, runner, tab, BUSY_DAY)
    tab.close_button.click()
    box = tab.confirm_box
    assert box is not None and box.isVisible() and "2026-03-08" in box.text()
    box.reject()  # "Keep it open"
    assert "not closed" in tab.message.text()
    assert eod.closing(shop.ctx, BUSY_DAY) is None

    tab.close_button.click()
    tab.confirm_yes.click()
    qtbot.waitUntil(lambda: "is closed" in tab.message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    assert tab.shown.report.closed
    closing = eod.closing(shop.ctx, BUSY_DAY)
    assert closing is not None and closing.closed_by == shop.manager_id
    assert "Closed 2026-03-10" in tab.report_text.toPlainText()
    assert not tab.close_button.isEnabled()  # a closed day is not offered again
    assert m.AuditEntry.select().where(m.AuditEntry.action == "close_day").count() == 1

    # another terminal closes the day shown here as open: this one is refused
    other_day = date(2026, 3, 1)
    pick(qtbot, runner, tab, other_day)
    assert tab.close_button.isEnabled()
    eod.close_day(shop.ctx, other_day, approved_by=shop.manager_id)
    tab.close_button.click()
    tab.confirm_yes.click()
    qtbot.waitUntil(lambda: "was closed already" in tab.message.text(), timeout=WAIT_MS)
    assert "color: #b00020" in tab.message.styleSheet()
    idle(qtbot, runner)
    assert m.AuditEntry.select().where(m.AuditEntry.action == "close_day").count() == 2

    tab.on_show_clicked()  # looked at again, both days read back closed
    qtbot.waitUntil(lambda: tab.shown.report.closed, timeout=WAIT_MS)
    idle(qtbot, runner)


def test_print_and_export(qtbot, window, runner, shop, tmp_path):
    tab = window.day_tab
    pick(qtbot, runner, tab, BUSY_DAY)
    before = print_jobs()
    tab.print_button.click()
    qtbot.waitUntil(lambda: "queued" in tab.message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    assert print_jobs() == before + 1

    written = tab.export_csv_to(tmp_path / "eod.csv")
    assert written is not None and "Written to" in tab.message.text()
    raw = written.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["End-of-day report"]
    assert ["Sales", "2"] in rows  # plain numbers

    pdf = tab.export_pdf_to(tmp_path / "eod.pdf")
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 1000

    assert tab.export_csv_to(tmp_path / "missing" / "eod.csv") is None
    assert "Could not write" in tab.message.text()


def test_economics_by_month(qtbot, window, runner, shop):
    tab = window.day_tab
    qtbot.waitUntil(lambda: tab.economics is not None, timeout=WAIT_MS)
    rep = tab.economics
    assert tab.model.rowCount() == 12
    assert tab.model.text(0, 0) == "2026-03"  # the current month first
    march = rep.months[-1]
    assert march.points_issued > 0
    assert tab.model.text(0, 1) == f"{march.points_issued:,}"
    assert tab.model.text(0, 2) == f"{march.points_redeemed:,}"
    assert tab.model.text(0, 3) == f"{march.points_expired:,}"
    assert tab.issued_set.count() == 12 and tab.issued_set.at(11) == march.points_issued
    assert tab.redeemed_set.count() == 12
    assert len(tab.chart_categories) == 12 and tab.chart_categories[0] == "25-04"
    assert "1%" in tab.headline["cost"].text()
    assert tab.headline["liability"].text().startswith("¥")
    assert "2025-04-01" in tab.headline["period"].text()
    assert tab.verdict.text()
