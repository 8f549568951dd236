"""The report as a document, as aligned text, as CSV and as JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import datetime

import pytest

from terminal.reports import csv_export, text
from terminal.reports.document import (
    Document,
    Section,
    Table,
    economics_document,
    eod_document,
)
from terminal.reports.json_export import economics_json, eod_from_json, eod_json
from terminal.services import economics, eod_figures

from .conftest import DAY


def rows_of(doc: Document) -> dict[str, dict[str, str]]:
    return {s.title: dict(s.rows) for s in doc.sections}


def test_the_document_holds_the_figures(eod_report):
    doc = eod_document(eod_report)
    assert doc.title == "End-of-day report"
    assert doc.subtitle == "2026-03-10 · all terminals"
    assert doc.notes == ("Not closed yet: the figures may still change",)
    got = rows_of(doc)
    assert got["Sales"] == {
        "Sales": "2", "Gross sales": "¥60.00", "Refunds": "1", "Refunded": "¥32.00",
        "Voids": "0", "Voided": "¥0.00", "Net revenue": "¥28.00", "Sales less voids": "2"}
    assert got["Tenders (sales, refunds, voids)"]["Card"] == "¥28.00"
    assert got["Tenders (sales, refunds, voids)"]["Cash kept"] == "¥0.00"
    assert got["Money taken (stored-value top-ups included)"]["Cash kept"] == "¥100.00"
    assert got["Members"]["Share of sales"] == "50.0%"
    assert got["Members"]["Share of revenue"] == "100.0%"
    assert got["Points"]["Issued"] == "28"
    assert got["Stored value"]["Bonus given"] == "¥20.00"
    assert got["Stored value"]["Outstanding at 2026-03-10 20:00"] == "¥120.00"
    cashiers = next(s.table for s in doc.sections if s.title == "By cashier")
    assert cashiers is not None
    assert cashiers.rows == (("Cashier Li 李", "2", "¥28.00", "1", "¥32.00"),)


def test_plain_numbers_for_spreadsheets(eod_report):
    got = rows_of(eod_document(eod_report, plain=True))
    assert got["Sales"]["Gross sales"] == "60.00"
    assert got["Sales"]["Refunded"] == "32.00"


def test_chinese_labels(eod_report):
    doc = eod_document(eod_report, "zh_CN")
    assert doc.title == "日结报表"
    assert rows_of(doc)["销售"]["净营业额"] == "¥28.00"


def test_a_closed_day_and_a_shift_say_so(eod_report):
    closed = replace(eod_report, recorded_after_close=2, closing=eod_figures.Closing(
        datetime(2026, 3, 10, 22, 5), "id", "Manager Wang 王", "T01"))
    assert eod_document(closed).notes == (
        "Closed 2026-03-10 22:05 by Manager Wang 王 at T01",
        "2 transactions recorded on this date after closing are not included")
    one = eod_document(replace(closed, recorded_after_close=1))
    assert one.notes[1] == "1 transaction recorded on this date after closing is not included"
    assert eod_document(closed, "zh_CN").notes[1] == "日结后本日又记录了 2 笔交易，未计入本报表"
    shift = replace(eod_report, period=eod_figures.Period(
        DAY, datetime(2026, 3, 10, 8), datetime(2026, 3, 11), "T02", "x", "Cashier Li 李",
        True))
    doc = eod_document(shift)
    assert doc.title == "Shift report"
    assert doc.subtitle == "2026-03-10 08:00–24:00 · terminal T02 · cashier Cashier Li 李"


def test_display_width_counts_chinese_as_two_columns():
    assert text.width("abc") == 3
    assert text.width("李") == 2
    assert text.width("王小明 A") == 8
    assert text.width("（）") == 4  # full-width brackets
    assert text.width("e\u0301") == 1  # a combining accent takes no column
    assert text.pad("李", 4, "r") == "  李"
    assert text.pad("李", 5, "c") == " 李  "


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_text_lines_line_up_in_chinese_too(eod_report, language):
    doc = eod_document(eod_report, language)
    lines = text.render(doc).splitlines()
    columns = len(next(ln for ln in lines if ln.startswith("=")))
    # every label/value row ends exactly at the right edge, whatever its script
    for section in doc.sections:
        start = lines.index(section.title)
        for key, value in section.rows:
            line = next(ln for ln in lines[start:] if ln.startswith(f"  {key} "))
            assert line.endswith(value) and text.width(line) == columns, line
    # the cashier row's columns end where the header's do, despite the double-width name
    header = next(i for i, ln in enumerate(lines) if ln.startswith(("  Cashier", "  收银员")))
    assert text.width(lines[header]) == text.width(lines[header + 2])
    assert lines[header + 2].startswith("  Cashier Li 李 ")
    assert lines[header + 2].endswith("¥32.00")


def test_an_empty_table_still_renders():
    doc = Document("T", sections=(Section("S", table=Table(("a", "b"), ())),))
    assert "  —" in text.render(doc)


def test_csv_has_a_bom_and_parses_back(eod_report):
    data = csv_export.to_bytes(eod_document(eod_report, "zh_CN", plain=True))
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed[0] == ["日结报表"]
    blocks: list[list[list[str]]] = [[]]
    for row in parsed:
        if row:
            blocks[-1].append(row)
        else:
            blocks.append([])
    sections = {b[0][0]: b[1:] for b in blocks[1:]}
    assert ["净营业额", "28.00"] in sections["销售"]
    assert ["销售额", "60.00"] in sections["销售"]
    assert sections["按收银员"] == [["收银员", "笔数", "营业额", "退款笔数", "退款额"],
                                ["Cashier Li 李", "2", "28.00", "1", "32.00"]]
    assert len(blocks) == 1 + len(eod_document(eod_report).sections)


def test_csv_quotes_what_needs_quoting():
    doc = Document("A, B", sections=(Section('say "hi"', (("x,y", "1"),)),))
    parsed = list(csv.reader(io.StringIO(csv_export.render(doc))))
    assert parsed == [["A, B"], [], ['say "hi"'], ["x,y", "1"]]


def test_json_round_trip(eod_report):
    out = eod_json(eod_report)
    assert eod_from_json(out) == eod_report
    data = json.loads(out)
    assert data["sales"] == {"count": 2, "gross": 6000, "revenue": 2800}
    assert data["period"]["day"] == "2026-03-10"
    assert "王" not in out or "\\u" not in out  # kept readable


def test_economics_document_and_json(ctx, recorded_day):
    rep = economics.report(ctx, months=2)
    doc = economics_document(rep)
    # cost: bonus 2,000 (no discounts) on revenue 2,800
    assert doc.notes[0] == ("Your programme costs 71.4% of revenue; a typical programme costs "
                            "about 1% (1–2% abroad).")
    assert doc.notes[1].startswith("That is above")
    months = next(s.table for s in doc.sections if s.table is not None)
    assert months is not None
    assert months.rows[-1][:2] == ("2026-03", "¥28.00")
    data = json.loads(economics_json(rep))
    assert data["derived"]["cost_share_percent"] == "71.43"
    assert data["derived"]["benchmark_percent"] == "1.00"
    assert data["derived"]["verdict"] == "above"
    assert data["derived"]["redemption_rate_learned"] is False
    assert data["total"]["stored_value_bonus"] == 2000
    zh = economics_document(rep, "zh_CN")
    assert zh.notes[0].startswith("您的会员计划成本占营业额的 71.4%")


def test_economics_without_revenue_says_so(ctx):
    doc = economics_document(economics.report(ctx, months=1))
    assert doc.notes == ("No revenue in the period: the cost share cannot be worked out.",)
    assert "—" in text.render(doc)
