"""Which encoding an imported text file is in, among those shops' files come in."""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from ..core.errors import InvalidInput

# the legacy (non-Unicode) encodings a shop's file comes in: Excel on a Chinese Windows
# (GBK, whose superset is GB18030), on a Taiwanese or Hong Kong one (Big5), on a Western one
# (Windows-1252)
LEGACY = ("gb18030", "big5", "cp1252")
NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "gb18030": "GB18030 (GBK)",
         "big5": "Big5", "cp1252": "Windows-1252"}
# what a Western file holds besides letters (a CJK file read as Windows-1252 shows ¤ ¦ ³ » ÷ …)
_WESTERN_SIGNS = frozenset("€£°’‘“”–—")
# what a Chinese file holds besides ideographs
_CJK_SIGNS = frozenset("·—…‘’“”、。《》「」『』【】〈〉〔〕")


class EncodingError(InvalidInput):
    """The file's encoding is unknown, wrong or cannot be told (the message says which)."""

    code = "import_encoding"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name: utf-8-sig, utf-16, gb18030, big5, cp1252, or given
    reason: str  # how it was chosen, for the dry run


def label(encoding: str) -> str:
    return NAMES.get(encoding, encoding)


def codec_name(name: str) -> str:
    """The Python codec for ``name`` (``GBK``, ``utf8``, ``windows-1252``…), or EncodingError."""
    try:
        return codecs.lookup(name.strip()).name
    except (LookupError, ValueError):
        raise EncodingError(
            "unknown encoding {name!r}: give one such as utf-8, gb18030, big5, cp1252 or "
            "utf-16", name=name) from None


def _where(text: bytes, exc: UnicodeDecodeError) -> int:
    """The line (1 is the first) of the byte a decoding stopped at."""
    return text.count(b"\n", 0, exc.start) + 1


def decode(data: bytes, name: str, encoding: str | None = None) -> Decoded:
    """``data`` as text: in ``encoding`` when given, else in the encoding it is found in.

    A file two encodings read differently, with nothing to tell which is right, is refused
    (EncodingError naming both and the first line they read differently) rather than
    guessed: a wrong guess imports every name garbled.
    """
    if encoding is not None:
        codec = codec_name(encoding)
        if codec in ("utf-8", "utf-16", "utf-32"):  # the BOM, if any, is not text
            codec = {"utf-8": "utf-8-sig"}.get(codec, codec)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise EncodingError(
                "{name}: the file is not {encoding} text (line {line} cannot be read so): try "
                "without --encoding, or another one",
                name=name, encoding=label(codec).replace(' (GBK)', ''),
                line=_where(data, exc)) from None
        return Decoded(_no_nul(text.removeprefix("\ufeff"), name), codec,
                       "given with --encoding")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(_no_nul(data.decode("utf-16"), name), "utf-16",
                           "the file starts with a UTF-16 byte order mark")
        except UnicodeDecodeError as exc:
            raise EncodingError("{name}: the file starts as UTF-16 but line {line} is not "
                                "UTF-16 text", name=name, line=_where(data, exc)) from None
    if b"\x00" in data:
        raise EncodingError(
            '{name}: the file holds NUL bytes (UTF-16 "Unicode text" without its byte order '
            'mark, or not a text file): save it as "CSV UTF-8" and try again', name=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        # text in another encoding is almost never valid UTF-8 by accident: its bytes above
        # 0x7F would have to fall exactly into UTF-8's lead-and-continuation patterns
        reason = ("the file starts with a UTF-8 byte order mark"
                  if data.startswith(codecs.BOM_UTF8) else "the file is valid UTF-8")
        return Decoded(_no_nul(text, name), "utf-8-sig", reason)
    return _legacy(data, name)


def _no_nul(text: str, name: str) -> str:
    if "\x00" in text:
        raise EncodingError(
            '{name}: the file holds NUL characters (not a text file?): save it as "CSV '
            'UTF-8" and try again', name=name)
    return text


def _legacy(data: bytes, name: str) -> Decoded:
    readings: dict[str, str] = {}
    for codec in LEGACY:
        try:
            readings[codec] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    if not readings:
        raise EncodingError(
            "{name}: the file is not text in any encoding shops' files come in (UTF-8, "
            'UTF-16, GBK/GB18030, Big5, Windows-1252): save it as "CSV UTF-8" and try '
            "again, or give --encoding", name=name)
    ranked = _ranked(data, list(readings))
    likely = [c for c in ranked if _plausible(c, readings[c])]
    why = "detected (charset-normalizer), checked against the characters it gives"
    if "gb18030" in likely and "big5" in likely and _in_gb2312(readings["gb18030"]):
        # Big5's double-byte range lies inside GBK's, so text in GBK's common characters
        # (GB2312's rows) nearly always reads as Big5 too; on a short file charset-
        # normalizer often prefers the Big5 reading (a one-row GBK file's 王小明 became
        # 卼苤隴). A Big5 file seldom reads as GB2312 characters only (half of Big5's
        # second bytes fall outside GB2312), and a mainland shop's file is far more often
        # GBK. A reading with characters outside GB2312 keeps both: refused below.
        likely.remove("big5")
        why = "GB18030 preferred to Big5 (both read the file; its characters are GB2312's)"
    if not likely:
        likely = ranked[:2] or list(readings)[:2]
    first = likely[0]
    if len(likely) > 1 and readings[likely[1]] != readings[first]:
        raise _ambiguous(name, first, likely[1], readings)
    if len(readings) == 1:
        why = "the only one of GB18030, Big5 and Windows-1252 that reads the file"
    return Decoded(readings[first], first, why)


def _ranked(data: bytes, codecs_: list[str]) -> list[str]:
    """``codecs_`` best first as charset-normalizer ranks them; those it finds too messy
    (symbols between letters, unprintable characters) come last."""
    from charset_normalizer import from_bytes

    found = [match.encoding for match in from_bytes(data, cp_isolation=codecs_)]
    return [c for c in found if c in codecs_] + [c for c in codecs_ if c not in found]


def _plausible(codec: str, text: str) -> bool:
    """Whether every non-ASCII character is one the encoding's users write."""
    chars = [(i, ch) for i, ch in enumerate(text) if ord(ch) > 0x7F]
    if codec == "cp1252":
        return all(ch in _WESTERN_SIGNS or (unicodedata.category(ch).startswith("L")
                                            and unicodedata.name(ch, "").startswith("LATIN"))
                   for _, ch in chars)
    for i, ch in chars:
        if ch in _CJK_SIGNS or 0x3000 <= ord(ch) <= 0x303F or 0xFF01 <= ord(ch) <= 0xFFEF:
            continue
        if not unicodedata.name(ch, "").startswith("CJK "):
            return False  # kana, box drawing, private use: a CJK file in the wrong encoding
        if text[i - 1:i].isascii() and text[i - 1:i].isalpha() and \
                text[i + 1:i + 2].isascii() and text[i + 1:i + 2].isalpha():
            return False  # M黮ler: Windows-1252's ü read as half of a Chinese character
    return True


def _in_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _ambiguous(name: str, first: str, second: str, readings: dict[str, str]
               ) -> EncodingError:
    a, b = readings[first].splitlines(), readings[second].splitlines()
    line = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), 0)
    return EncodingError("{name}: the file reads as {first} or as {second}, and the two "
                         "differ; line {line} reads {a!r} in {first} and {b!r} in {second}. "
                         "Give the right one with --encoding {first_code} or --encoding "
                         "{second_code}", name=name, first=label(first), second=label(second),
                         line=line + 1, a=a[line][:60], b=b[line][:60], first_code=first,
                         second_code=second)
