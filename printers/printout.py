"""The printout: simple ops that both the ESC/POS renderer and the preview draw."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .charset import Charset

Align = Literal["left", "center", "right"]

# Dots across the printable width at 203 dpi, and font A's 12-dot cell.
PAPER_DOTS = {80: 576, 58: 384}
COLUMNS = {80: 48, 58: 32}


@dataclass(frozen=True)
class Text:
    """One printed line; it already fits (the layout wrapped it), in printable characters."""

    text: str
    align: Align = "left"
    bold: bool = False
    double: bool = False  # double width and height: half as many columns


@dataclass(frozen=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True)
class QR:
    payload: str
    size: int = 6  # module size in printer dots, ESC/POS "GS ( k" function 167 (1-16)


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    pass


@dataclass(frozen=True)
class Drawer:
    """Kick the cash drawer on connector pin 2."""


Op = Text | Rule | QR | Feed | Cut | Drawer


@dataclass(frozen=True)
class Printout:
    ops: tuple[Op, ...]
    columns: int
    paper_mm: int
    charset: Charset
    kind: str = ""

    @property
    def dots(self) -> int:
        return PAPER_DOTS[self.paper_mm]

    def lines(self) -> list[str]:
        """The text lines as printed, rules drawn out: what tests and a screen preview read."""
        out: list[str] = []
        for op in self.ops:
            if isinstance(op, Text):
                out.append(op.text)
            elif isinstance(op, Rule):
                out.append(op.char * self.columns)
        return out


def columns_for(paper_mm: int, columns: int = 0) -> int:
    if paper_mm not in PAPER_DOTS:
        raise ValueError(f"paper_mm must be 80 or 58, not {paper_mm}")
    return columns or COLUMNS[paper_mm]


# A run of characters that wraps as one word: Latin letters, digits and their punctuation.
# Each CJK character is a token of its own so Chinese breaks between any two characters.
_WIDE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}]+")


class Typesetter:
    """Column arithmetic for one printer charset: CJK and other wide characters count double."""

    def __init__(self, charset: Charset, columns: int) -> None:
        self.charset = charset
        self.columns = columns

    def printable(self, text: str) -> str:
        return self.charset.printable(text)

    def width(self, text: str) -> int:
        return self.charset.width(text)

    def _hard_break(self, word: str, cols: int) -> list[str]:
        parts, cur, w = [], "", 0
        for ch in word:
            cw = self.charset.char_width(ch)
            if w + cw > cols and cur:
                parts.append(cur)
                cur, w = "", 0
            cur += ch
            w += cw
        parts.append(cur)
        return parts

    def wrap(self, text: str, cols: int | None = None) -> list[str]:
        """Lines of at most ``cols`` columns; words kept whole unless longer than a line."""
        cols = cols or self.columns
        body = text.lstrip(" ")
        indent = min(len(text) - len(body), cols // 2)
        if indent:
            # Leading spaces are an indent kept on every line, not a word to wrap.
            return [" " * indent + line for line in self.wrap(body, cols - indent)]
        text = self.printable(" ".join(text.split()))
        lines: list[str] = []
        cur, w = "", 0
        for tok in _TOKEN.findall(text):
            tw = self.width(tok)
            if tok.isspace():
                if cur and w + 1 <= cols:
                    cur, w = cur + " ", w + 1
                continue
            if w + tw > cols and cur.strip():
                lines.append(cur.rstrip())
                cur, w = "", 0
            if tw > cols:
                *full, cur = self._hard_break(tok, cols)
                lines.extend(full)
                w = self.width(cur)
                continue
            cur, w = cur + tok, w + tw
        if cur.strip() or not lines:
            lines.append(cur.rstrip())
        return lines

    def pair(self, left: str, right: str, cols: int | None = None) -> list[str]:
        """``left`` wrapped, ``right`` flush right on the last line (or a line of its own)."""
        cols = cols or self.columns
        right = self.printable(right)
        rw = self.width(right)
        if rw >= cols:
            return [*self.wrap(left, cols), *self.wrap(right, cols)]
        lines = self.wrap(left, cols)
        last = lines[-1]
        gap = cols - self.width(last) - rw
        if gap >= 1 or not last:
            lines[-1] = last + " " * max(gap, 0) + right
        else:
            lines.append(" " * (cols - rw) + right)
        return lines

    def row(self, cells: list[str], widths: list[int], aligns: str) -> str:
        """One table row: each cell cut to its width (tables keep one row per line)."""
        out = []
        for cell, width, al in zip(cells, widths, aligns, strict=True):
            text = self.printable(cell)
            if self.width(text) > width:
                # "~" marks the cut; a table cell must not push the next column out of line.
                text = self._hard_break(text, max(width - 1, 1))[0] + "~"
            pad = " " * (width - self.width(text))
            out.append(text + pad if al == "l" else pad + text)
        return " ".join(out).rstrip()
