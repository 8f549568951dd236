"""CSV for Excel: UTF-8 with a byte-order mark, CRLF, and no text cell Excel runs as a formula.

Every export writes through here. Rows are streamed: ``chunks`` and ``write`` hold one
chunk of text at a time, so a million rows never sit in memory.

The byte-order mark: without it Excel reads a CSV in the system's ANSI code page and
garbles Chinese names (Excel 2007 and later, Windows and Mac, honour the mark; Excel 2003
and earlier ignore it).

The formula guard (OWASP, "CSV Injection",
https://owasp.org/www-community/attacks/CSV_Injection; ASVS 5.0 requirement 1.2.10): a text
cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP; ASVS
adds NUL) is a formula to
Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` sends the sheet's data away;
DDE runs programs), so it is written with a leading ``'``, which Excel shows as text and
does not display. Only ``str`` cells are guarded: numbers the program writes (``int``,
``Decimal``, ``float``) stay numbers, a negative amount included, as does ``number_text``
(a sign and digits, such as an E.164 phone number, where no formula can hide). Text a
person typed must stay ``str``.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
CHUNK = 1 << 16  # characters of CSV text gathered before they are handed on
_NUMBER_TEXT = re.compile(r"[+-]?[0-9]+")

Row = Sequence[object]


class NumberText(str):
    """A sign and digits the program wrote (an E.164 phone number), written as it is."""

    __slots__ = ()


def number_text(text: str) -> str:
    """``text`` written exactly as it is if it is only a sign and digits (``+8613800138000``);
    anything else stays text, and is guarded."""
    return NumberText(text) if _NUMBER_TEXT.fullmatch(text) else text


def guard(value: object) -> object:
    """The cell as written: text Excel would take for a formula gets a leading ``'``."""
    if isinstance(value, str) and not isinstance(value, NumberText) \
            and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unguard(text: str) -> str:
    """Undo ``guard`` on a cell read back from an export."""
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_STARTS else text


def text_chunks(rows: Iterable[Row]) -> Iterator[str]:
    """The CSV text of ``rows`` (CRLF, cells guarded, no byte-order mark), in pieces."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([guard(cell) for cell in row])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def chunks(rows: Iterable[Row]) -> Iterator[bytes]:
    """The file's bytes in pieces: the byte-order mark, then the CSV in UTF-8."""
    yield BOM.encode("utf-8")
    for text in text_chunks(rows):
        yield text.encode("utf-8")


def to_text(rows: Iterable[Row]) -> str:
    """The CSV text without the byte-order mark (to show, or to test)."""
    return "".join(text_chunks(rows))


def to_bytes(rows: Iterable[Row]) -> bytes:
    return b"".join(chunks(rows))


def write(target: str | os.PathLike[str] | BinaryIO, rows: Iterable[Row]) -> int:
    """``rows`` to a file named ``target`` or to a binary file opened for writing; the
    number of rows written (a header counts)."""
    count = 0

    def counted() -> Iterator[Row]:
        nonlocal count
        for row in rows:
            count += 1
            yield row

    if isinstance(target, (str, os.PathLike)):
        with open(target, "wb") as out:
            for piece in chunks(counted()):
                out.write(piece)
    else:
        for piece in chunks(counted()):
            target.write(piece)
    return count
