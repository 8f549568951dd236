"""What every CSV import shares (members: ``member_import``, products: ``product_import``).

The file is a CSV as another system or Excel writes it:

* encoding: UTF-8 (with or without the BOM Excel writes), UTF-16 with its BOM, GBK/GB18030
  (Excel on a Chinese Windows), Big5 or Windows-1252, found by ``encodings.decode``; a file
  two of them read differently is refused unless the encoding is given (``encoding=``);
* fields: a field longer than csv's limit, or a column's value longer than it can hold,
  is that row's error;
* delimiter: comma, semicolon or tab, whichever the header line holds most of (Excel saves
  "CSV" with Windows' list separator, a semicolon where the decimal sign is a comma, and
  "Unicode text" as UTF-16 with tabs);
* header names in English or Chinese (simplified or traditional), matched without regard
  to case, spaces, ``_``, ``-`` and brackets; unknown ones are ignored (and listed in the
  report);
* flags as yes/no, y/n, true/false, 1/0, 是/否, 同意/不同意, 启用/停用 (empty: no).

Every row is checked and every problem reported with its line number; a dry run only
checks, a real run writes everything in one transaction or nothing at all.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput
from . import encodings

TRUE_WORDS = frozenset({"1", "y", "yes", "true", "t", "x", "是", "同意", "有", "√", "✓", "✔",
                        "启用"})
FALSE_WORDS = frozenset({"", "0", "n", "no", "false", "f", "否", "不同意", "无", "×", "停用"})
LOOKUP_CHUNK = 500  # values per IN (...) when checking the file against the database
SAMPLE_ROWS = 3  # data rows shown as read, so the dry run shows the encoding is right
SAMPLE_CELL = 40  # characters of each cell shown


class ImportFileError(InvalidInput):
    """The file as a whole cannot be imported (encoding, header, empty)."""

    code = "import_file"


@dataclass(frozen=True)
class RowError:
    line: int  # the line of the file (the header is line 1)
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ImportResult:
    path: str
    dry_run: bool
    encoding: str  # the Python codec the file was read with
    delimiter: str
    columns: dict[str, str]  # field -> the header it was read from
    ignored_columns: list[str]
    rows: int = 0  # data rows read
    imported: int = 0  # rows written (0 on a dry run or when any row is wrong)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    seconds: float = 0.0
    encoding_reason: str = ""  # how the encoding was found (or that it was given)
    samples: list[list[str]] = field(default_factory=list)  # the first data rows as read

    @property
    def ok(self) -> bool:
        return not self.errors

    def sort(self) -> None:
        self.errors.sort(key=lambda e: e.line)
        self.warnings.sort(key=lambda e: e.line)


class Refused(Exception):
    """Rolls an import's transaction back: a row is wrong."""


def header_key(text: str) -> str:
    return re.sub(r"[\s_\-()（）]", "", unicodedata.normalize("NFKC", text).casefold())


def alias_index(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Header name (as ``header_key`` makes it) -> field."""
    return {header_key(a): f for f, names in aliases.items() for a in names}


def decode(data: bytes, name: str, encoding: str | None) -> encodings.Decoded:
    try:
        return encodings.decode(data, name, encoding)
    except encodings.EncodingError as exc:
        raise ImportFileError.like(exc) from None


def delimiter_of(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_flag(text: str) -> bool | None:
    """Yes (True), no (False) or neither (None: the caller says which column)."""
    word = text.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def chunks(values: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


Cell = Callable[[str], str]  # field -> its text in the row ("" for a column not in the file)


@dataclass(frozen=True)
class Layout:
    """What one kind of import reads: its columns, which are required, how long each
    may be, which are kept as typed (names: not NFKC-folded), and what a row holds."""

    aliases: Mapping[str, Sequence[str]]
    required: tuple[str, ...]
    cell_max: Mapping[str, int]
    as_typed: frozenset[str]
    row_is: str  # "a member's data"


def read_rows(path: Path, result: ImportResult, layout: Layout,
              encoding: str | None = None) -> Iterator[tuple[int, Cell]]:
    """Each data row that has the header's width and no overlong cell, as (line, cell);
    the header and broken rows go to ``result``. Whole-file problems raise
    ImportFileError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError("{name}: cannot be read: {reason}", name=path.name,
                              reason=exc.strerror or exc) from None
    decoded = decode(data, path.name, encoding)
    text, result.encoding, result.encoding_reason = (decoded.text, decoded.encoding,
                                                     decoded.reason)
    first = text.split("\n", 1)[0]
    result.delimiter = delimiter_of(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=result.delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("{name}: the file is empty", name=path.name) from None
    except csv.Error as exc:
        raise ImportFileError("{name}: the header line cannot be read: {exc}", name=path.name,
                              exc=exc) from None
    index = alias_index(layout.aliases)
    columns: dict[str, int] = {}
    for i, raw in enumerate(header):
        title = raw.strip()
        target = index.get(header_key(title))
        if target is None:
            if title:
                result.ignored_columns.append(title)
            continue
        if target in columns:
            raise ImportFileError(
                "{name}: the columns {first!r} and {title!r} both hold the {field}",
                name=path.name, first=header[columns[target]].strip(), title=title,
                field=target.replace('_', ' '))
        columns[target] = i
        result.columns[target] = title
    missing = [f for f in layout.required if f not in columns]
    if missing:
        known = "; ".join(f"{f}: {', '.join(layout.aliases[f][:3])}…" for f in missing)
        raise ImportFileError(
            "{name}: no column for the {fields} (header names accepted: {known}); the header "
            "read was {header!r}", name=path.name, fields=' and the '.join(missing), known=known,
            header=[h.strip() for h in header])
    width = len(header)
    errors = result.errors
    while True:
        line = reader.line_num + 1  # where the record starts (a quoted field may span lines)
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.rows += 1
            # csv's own bound (https://docs.python.org/3/library/csv.html#csv.field_size_limit,
            # 131,072 characters by default): an export gone wrong, or no CSV. csv raises
            # the one csv.Error for every problem, so only its text, "field larger than
            # field limit (N)", tells this one apart; it is the same in CPython's
            # Modules/_csv.c since the limit came in with Python 2.5
            # (https://www.python.org/pipermail/python-checkins/2005-January/044615.html)
            # to 3.11 at least. test_csv_import_encoding's long field fails if it changes.
            if "field limit" in str(exc):
                errors.append(RowError(line, f"a field is more than "
                                             f"{csv.field_size_limit():,} characters long: "
                                             f"not {layout.row_is}"))
            else:
                errors.append(RowError(line, f"the row cannot be read: {exc}"))
            continue
        if not any(v.strip() for v in values):
            continue  # blank line
        result.rows += 1
        if len(result.samples) < SAMPLE_ROWS:
            result.samples.append([v[:SAMPLE_CELL] for v in values])
        if len(values) != width:
            through = f" (it runs to line {reader.line_num})" if reader.line_num > line else ""
            errors.append(RowError(line, f"the row has {len(values)} fields, the header "
                                         f"{width}: a broken row (a stray delimiter or quote?)"
                                         f"{through}"))
            continue
        long = [(f, len(values[i].strip())) for f, i in columns.items()
                if len(values[i].strip()) > layout.cell_max[f]]
        if long:
            errors.append(RowError(line, "; ".join(
                f"the {f.replace('_', ' ')} is {n:,} characters long "
                f"(at most {layout.cell_max[f]})" for f, n in long)))
            continue

        def cell(name: str, values: Sequence[str] = values) -> str:
            at = columns.get(name)
            if at is None:
                return ""
            # NFKC: Chinese input methods type full-width digits and "￥"
            raw = values[at]
            return (raw if name in layout.as_typed else unicodedata.normalize("NFKC", raw)
                    ).strip()

        yield line, cell
