"""A report as CSV: a heading block, then one block per section (its title, its rows or
its table), blocks parted by an empty row. Written by ``core.excel_csv``: UTF-8 with a
byte-order mark, without which Excel reads the file in the system's code page and garbles
Chinese, and the formula guard, since a report holds names people typed."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from ..core import excel_csv
from .document import Document

# a negative plain figure of the document (``-12.50``): written as the number it is, not
# taken for a formula and guarded into text (other text is written as it is)
_NEGATIVE = re.compile(r"-(0|[1-9][0-9]*)(\.[0-9]+)?")


def _cell(text: str) -> str | Decimal:
    return Decimal(text) if _NEGATIVE.fullmatch(text) else text


def rows(doc: Document) -> list[list[str]]:
    out: list[list[str]] = [[doc.title]]
    if doc.store_name:
        out.append([doc.store_name])
    if doc.subtitle:
        out.append([doc.subtitle])
    if doc.generated_at is not None:
        out.append([f"{doc.generated_at:%Y-%m-%d %H:%M:%S}"])
    out.extend([note] for note in doc.notes)
    for section in doc.sections:
        out.append([])
        out.append([section.title])
        out.extend([key, value] for key, value in section.rows)
        if section.table is not None:
            out.append(list(section.table.headers))
            out.extend(list(row) for row in section.table.rows)
    return out


def _written(doc: Document) -> list[list[str | Decimal]]:
    return [[_cell(text) for text in row] for row in rows(doc)]


def render(doc: Document) -> str:
    """The CSV text (no byte-order mark: ``write`` and ``to_bytes`` add it)."""
    return excel_csv.to_text(_written(doc))


def to_bytes(doc: Document) -> bytes:
    return excel_csv.to_bytes(_written(doc))


def write(doc: Document, path: str | Path) -> None:
    excel_csv.write(path, _written(doc))
