"""How the printer takes text: which characters it can print, their column widths, their bytes."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from escpos.codepages import CodePages
from escpos.magicencode import Encoder

from .errors import PrinterError

# FS & selects the double-byte (Chinese) character mode, FS . leaves it.
CHINESE_ON = b"\x1c\x26"
CHINESE_OFF = b"\x1c\x2e"
REPLACEMENT = "?"

# Setting name -> Python codec for printers that take double-byte Chinese text.
CHINESE_CODECS = {"GB18030": "gb18030", "GBK": "gbk", "GB2312": "gb2312", "BIG5": "big5",
                  "BIG-5": "big5"}
UTF8_NAMES = {"UTF-8", "UTF8"}

# Tried, in order, when a character is not printable as it is: the yuan sign is four bytes
# in GB18030 (which printers seldom have a glyph for) and missing from GBK, but every Chinese
# font has the full-width one.
SUBSTITUTES = {"¥": "￥", "\u00a0": " ", "–": "-", "—": "-", "−": "-"}

Mode = Literal["chinese", "utf8", "codepage"]


def _is_cjk_ideograph(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith(("CJK UNIFIED IDEOGRAPH",
                                                "CJK COMPATIBILITY IDEOGRAPH"))


@dataclass(frozen=True)
class Charset:
    """One printer text encoding: the configured name, how it is sent, and its codec."""

    name: str
    mode: Mode
    codec: str  # Python codec (chinese, utf8) or python-escpos code page name (codepage)
    _cache: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def _takes(self, ch: str) -> bool:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            # Control bytes inside a product name would be ESC/POS commands.
            return False
        if self.mode == "codepage":
            return _codepage_encoder(self.codec).can_encode(self.codec, ch)
        try:
            data = ch.encode(self.codec)
        except UnicodeEncodeError:
            return False
        if self.mode == "utf8":
            return True
        if len(data) == 1:
            # In Chinese mode a byte >= 0x80 starts a two-byte character and would eat the next.
            return data[0] < 0x80
        if len(data) == 2:
            return True
        # Four-byte GB18030: printers with a GB18030 font have the CJK extension ideographs,
        # but not emoji or the rest of Unicode.
        return _is_cjk_ideograph(ch)

    def printable_char(self, ch: str) -> str:
        """``ch`` itself, a look-alike the printer has, or "?"."""
        hit = self._cache.get(ch)
        if hit is None:
            if self._takes(ch):
                hit = ch
            else:
                sub = SUBSTITUTES.get(ch)
                hit = sub if sub is not None and all(self._takes(c) for c in sub) else REPLACEMENT
            self._cache[ch] = hit
        return hit

    def printable(self, text: str) -> str:
        """The text exactly as this printer will print it (unprintable characters become "?")."""
        return "".join(self.printable_char(ch) for ch in text)

    def char_width(self, ch: str) -> int:
        """Columns one printable character takes in font A."""
        if unicodedata.combining(ch):
            return 0
        if self.mode == "chinese":
            # The printer draws every double-byte character full width, including the
            # "ambiguous" ones such as × and ·.
            return 1 if len(ch.encode(self.codec)) == 1 else 2
        if self.mode == "codepage":
            return 1  # one byte, one cell
        return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1

    def width(self, text: str) -> int:
        return sum(self.char_width(ch) for ch in self.printable(text))

    def encode(self, text: str) -> bytes:
        """Bytes for the Chinese and UTF-8 modes (code pages go through python-escpos)."""
        if self.mode == "codepage":
            raise ValueError("code page text is encoded by python-escpos's MagicEncode")
        return self.printable(text).encode(self.codec)


@cache
def _codepage_encoder(name: str) -> Encoder:
    return Encoder({name: 0})


@cache
def charset(name: str) -> Charset:
    """The charset for the ``encoding`` setting; PrinterError for a name no printer takes."""
    key = name.strip().upper()
    if key in CHINESE_CODECS:
        return Charset(name, "chinese", CHINESE_CODECS[key])
    if key in UTF8_NAMES:
        return Charset(name, "utf8", "utf-8")
    try:
        canonical = CodePages.get_encoding_name(name.strip())
        CodePages.get_encoding(canonical)
        _codepage_encoder(canonical)._get_codepage_char_list(canonical)
    except (KeyError, LookupError, ValueError):
        raise PrinterError(
            "printer encoding {name!r} is not known: use GB18030, GBK, Big5, UTF-8 or a "
            "code page such as CP437 or CP858", "config", name=name) from None
    return Charset(name, "codepage", canonical)
