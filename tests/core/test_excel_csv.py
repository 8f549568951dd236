"""The one CSV writer for Excel: byte-order mark, CRLF, the formula guard, streaming."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from terminal.core import excel_csv

FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(1)", "\t=1", "\r=1", "\0=1"]


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("text", FORMULAS)
def test_text_excel_would_run_gets_a_quote(text) -> None:
    [[cell, plain]] = parse(excel_csv.to_bytes([[text, "Alice 王"]]))
    assert cell == "'" + text and plain == "Alice 王"
    assert excel_csv.unguard(cell) == text


def test_numbers_the_program_writes_stay_numbers() -> None:
    row = [-5, Decimal("-12.50"), 3, 0.5, date(2026, 3, 10), None, "12.50", "-12.50",
           excel_csv.number_text("+8613800138000"), excel_csv.number_text("-7")]
    [cells] = parse(excel_csv.to_bytes([row]))
    assert cells == ["-5", "-12.50", "3", "0.5", "2026-03-10", "", "12.50", "'-12.50",
                     "+8613800138000", "-7"]


def test_number_text_is_only_a_sign_and_digits() -> None:
    for text in ("+1 (555)", "-2+3", "=1", "+86 138", "", "+"):
        assert not isinstance(excel_csv.number_text(text), excel_csv.NumberText)
        assert excel_csv.guard(excel_csv.number_text(text)) == excel_csv.guard(text)


def test_crlf_quoting_and_a_cell_that_is_only_a_quote() -> None:
    text = excel_csv.to_text([["a,b", 'say "hi"', "two\nlines"], ["'", "'=x"]])
    assert text == '"a,b","say ""hi""","two\nlines"\r\n\',\'=x\r\n'
    assert excel_csv.unguard("'") == "'" and excel_csv.unguard("'=x") == "=x"


def test_rows_are_streamed_in_chunks(monkeypatch) -> None:
    monkeypatch.setattr(excel_csv, "CHUNK", 100)
    taken = 0

    def rows():
        nonlocal taken
        for i in range(1000):
            taken += 1
            yield [i, f"member {i}"]

    pieces = excel_csv.chunks(rows())
    assert next(pieces) == b"\xef\xbb\xbf"
    first = next(pieces)
    assert first.startswith(b"0,member 0\r\n") and taken < 20  # not all rows read first
    rest = b"".join(pieces)
    assert taken == 1000 and (first + rest).count(b"\r\n") == 1000


def test_write_to_a_path_or_an_open_file(tmp_path) -> None:
    path = tmp_path / "x.csv"
    assert excel_csv.write(path, iter([["name"], ["=1"], ["王"]])) == 3
    assert parse(path.read_bytes()) == [["name"], ["'=1"], ["王"]]
    with (tmp_path / "y.csv").open("wb") as out:
        assert excel_csv.write(out, [["a"]]) == 1
    assert (tmp_path / "y.csv").read_bytes() == b"\xef\xbb\xbfa\r\n"
    assert excel_csv.to_bytes([]) == b"\xef\xbb\xbf"
