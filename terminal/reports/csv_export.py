"""A report as CSV: a heading block, then one block per section (its title, its rows or
its table), blocks parted by an empty row. Written as UTF-8 with a byte-order mark, without
which Excel reads the file in the system's code page and garbles Chinese."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .document import Document

BOM = "\ufeff"


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


def render(doc: Document) -> str:
    """The CSV text (no byte-order mark: ``write`` and ``to_bytes`` add it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows(doc))
    return buffer.getvalue()


def to_bytes(doc: Document) -> bytes:
    return (BOM + render(doc)).encode("utf-8")


def write(doc: Document, path: str | Path) -> None:
    Path(path).write_bytes(to_bytes(doc))
