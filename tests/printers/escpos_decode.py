"""A small ESC/POS decoder written from the Epson command reference, independent of printers/."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
# ESC t n -> Python codec, for the code pages the tests use.
CODE_PAGES = {0: "cp437", 2: "cp850", 16: "cp1252", 19: "cp858"}


class DecodeError(ValueError):
    pass


@dataclass
class Line:
    text: str
    align: str
    bold: bool
    width: int  # character size multiplier
    height: int


@dataclass
class Decoded:
    lines: list[Line] = field(default_factory=list)
    qr_codes: list[tuple[str, int]] = field(default_factory=list)  # (payload, module size)
    images: list[Image.Image] = field(default_factory=list)
    events: list[str] = field(default_factory=list)  # order of lines, QR, images, cut, drawer

    @property
    def texts(self) -> list[str]:
        return [ln.text for ln in self.lines]

    @property
    def cuts(self) -> int:
        return self.events.count("cut")

    @property
    def drawer_kicks(self) -> int:
        return self.events.count("drawer")


def decode(data: bytes, chinese_codec: str = "gb18030", plain_codec: str | None = None
           ) -> Decoded:
    """Walk the byte stream; unknown commands raise so a test sees anything unexpected.

    ``plain_codec`` decodes text outside Chinese mode (e.g. "utf-8" printers) instead of
    the ESC t code page.
    """
    out = Decoded()
    i = 0
    align, bold, width, height = "left", False, 1, 1
    chinese = False
    code_page = "cp437"
    buf = bytearray()
    text_parts: list[str] = []
    qr_data = b""
    qr_size = 3

    def flush_bytes() -> None:
        nonlocal buf
        if buf:
            text_parts.append(_decode_text(bytes(buf), chinese, chinese_codec,
                                           plain_codec or code_page))
            buf = bytearray()

    def need(n: int) -> bytes:
        if i + n > len(data):
            raise DecodeError(f"truncated command at byte {i}")
        return data[i:i + n]

    while i < len(data):
        b = data[i]
        if b == 0x0A:
            flush_bytes()
            out.lines.append(Line("".join(text_parts), align, bold, width, height))
            out.events.append("line")
            text_parts.clear()
            i += 1
        elif b == ESC:
            cmd = need(2)[1]
            if cmd == 0x40:  # ESC @ initialise
                align, bold, width, height, chinese = "left", False, 1, 1, False
                i += 2
            elif cmd == 0x61:  # ESC a n justification
                n = need(3)[2]
                align = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center",
                         50: "right"}[n]
                i += 3
            elif cmd == 0x45:  # ESC E n emphasis
                bold = bool(need(3)[2] & 1)
                i += 3
            elif cmd == 0x21:  # ESC ! n print mode
                n = need(3)[2]
                bold = bool(n & 0x08)
                height = 2 if n & 0x10 else 1
                width = 2 if n & 0x20 else 1
                i += 3
            elif cmd == 0x74:  # ESC t n code page
                flush_bytes()
                n = need(3)[2]
                if n not in CODE_PAGES:
                    raise DecodeError(f"code page {n} not known to the test decoder")
                code_page = CODE_PAGES[n]
                i += 3
            elif cmd == 0x64:  # ESC d n print and feed n lines
                out.events.append(f"feed{need(3)[2]}")
                i += 3
            elif cmd == 0x70:  # ESC p m t1 t2 drawer kick
                need(5)
                out.events.append("drawer")
                i += 5
            else:
                raise DecodeError(f"unknown ESC 0x{cmd:02x} at byte {i}")
        elif b == GS:
            cmd = need(2)[1]
            if cmd == 0x21:  # GS ! n character size
                n = need(3)[2]
                width, height = (n >> 4) + 1, (n & 0x0F) + 1
                i += 3
            elif cmd == 0x56:  # GS V m [n] cut
                m = need(3)[2]
                i += 4 if m in (65, 66) else 3
                out.events.append("cut")
            elif cmd == 0x28 and need(3)[2] == 0x6B:  # GS ( k pL pH cn fn ...
                p_l, p_h, cn, fn = need(7)[3:7]
                length = p_l + 256 * p_h
                body = need(5 + length)[7:5 + length]
                if cn != 49:
                    raise DecodeError(f"2D code type {cn} is not QR")
                if fn == 67:
                    qr_size = body[0]
                elif fn == 80:  # store: m=48 then the data
                    qr_data = body[1:]
                elif fn == 81:  # print the stored symbol
                    out.qr_codes.append((qr_data.decode("utf-8"), qr_size))
                    out.events.append("qr")
                i += 5 + length
            elif cmd == 0x76 and need(3)[2] == 0x30:  # GS v 0 m xL xH yL yH raster image
                x_l, x_h, y_l, y_h = need(8)[4:8]
                row_bytes, rows = x_l + 256 * x_h, y_l + 256 * y_h
                raster = need(8 + row_bytes * rows)[8:]
                # Raster bits: 1 = black; Pillow "1" mode: 1 = white.
                img = Image.frombytes("1", (row_bytes * 8, rows), bytes(255 - v for v in raster))
                out.images.append(img)
                out.events.append("image")
                i += 8 + row_bytes * rows
            else:
                raise DecodeError(f"unknown GS 0x{cmd:02x} at byte {i}")
        elif b == FS:
            cmd = need(2)[1]
            if cmd == 0x26:  # FS & Kanji/Chinese mode on
                flush_bytes()
                chinese = True
            elif cmd == 0x2E:  # FS . off
                flush_bytes()
                chinese = False
            else:
                raise DecodeError(f"unknown FS 0x{cmd:02x} at byte {i}")
            i += 2
        elif b == DLE:
            need(3)  # DLE EOT n real-time status request
            out.events.append("status")
            i += 3
        elif b < 0x20:
            raise DecodeError(f"unexpected control byte 0x{b:02x} at byte {i}")
        else:
            if chinese and b >= 0x81:
                # GB18030 four-byte form: second byte is a digit 0x30-0x39.
                step = 4 if chinese_codec == "gb18030" and 0x30 <= need(2)[1] <= 0x39 else 2
                buf += need(step)
                i += step
            else:
                buf.append(b)
                i += 1
    flush_bytes()
    if text_parts and "".join(text_parts):
        out.lines.append(Line("".join(text_parts), align, bold, width, height))
    return out


def _decode_text(raw: bytes, chinese: bool, codec: str, code_page: str) -> str:
    if chinese:
        return raw.decode(codec)  # strict: a malformed sequence fails the test
    return raw.decode(code_page)
