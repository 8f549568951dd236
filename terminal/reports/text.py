"""A report as aligned plain text for a terminal window, counting a Chinese character as two
columns (``unicodedata.east_asian_width``), as a terminal or a monospaced font shows it."""

from __future__ import annotations

import unicodedata

from .document import Document, Section, Table

MIN_WIDTH = 48
GAP = 2  # spaces between columns, and at least between a label and its value


def char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal."""
    return sum(char_width(ch) for ch in text)


def pad(text: str, columns: int, align: str = "l") -> str:
    """``text`` padded with spaces to ``columns`` (never cut)."""
    fill = " " * max(0, columns - width(text))
    if align == "r":
        return fill + text
    if align == "c":
        half = len(fill) // 2
        return fill[:half] + text + fill[half:]
    return text + fill


def _table_widths(table: Table) -> list[int]:
    return [max(width(str(row[i])) for row in (table.headers, *table.rows))
            for i in range(len(table.headers))]


def _needed(doc: Document) -> int:
    need = max([MIN_WIDTH, width(doc.title), width(doc.subtitle), width(doc.store_name)])
    for section in doc.sections:
        for key, value in section.rows:
            need = max(need, 2 + width(key) + GAP + width(value))
        if section.table is not None:
            widths = _table_widths(section.table)
            need = max(need, 2 + sum(widths) + GAP * (len(widths) - 1))
    return need


def _section(section: Section, columns: int) -> list[str]:
    out = [section.title] if section.title else []
    for key, value in section.rows:
        out.append("  " + key + pad(value, columns - 2 - width(key), "r"))
    table = section.table
    if table is not None:
        widths = _table_widths(table)
        aligns = table.alignments()
        for i, row in enumerate((table.headers, *table.rows)):
            cells = [pad(str(c), w, a) for c, w, a in zip(row, widths, aligns, strict=True)]
            out.append(("  " + (" " * GAP).join(cells)).rstrip())
            if i == 0:
                out.append("  " + "-" * (sum(widths) + GAP * (len(widths) - 1)))
        if not table.rows:
            out.append("  —")
    return out


def render(doc: Document) -> str:
    """The whole report, every line the same width (trailing spaces aside)."""
    columns = _needed(doc)
    lines = []
    if doc.store_name:
        lines.append(pad(doc.store_name, columns, "c").rstrip())
    lines.append(pad(doc.title, columns, "c").rstrip())
    if doc.subtitle:
        lines.append(pad(doc.subtitle, columns, "c").rstrip())
    if doc.generated_at is not None:
        lines.append(pad(f"{doc.generated_at:%Y-%m-%d %H:%M}", columns, "c").rstrip())
    lines.append("=" * columns)
    for note in doc.notes:
        lines.append(note)
    for section in doc.sections:
        lines.append("")
        lines.extend(_section(section, columns))
    lines.append("=" * columns)
    return "\n".join(lines) + "\n"
