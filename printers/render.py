"""Printout -> ESC/POS bytes through python-escpos (rendered into a Dummy, sent whole later)."""

from __future__ import annotations

import qrcode
from escpos.constants import QR_ECLEVEL_M
from escpos.escpos import Escpos
from escpos.printer import Dummy
from PIL import Image

from .charset import CHINESE_OFF, CHINESE_ON, Charset
from .errors import PrinterError
from .printout import QR, Cut, Drawer, Feed, Printout, Rule, Text


def qr_image(payload: str, size: int, width: int) -> Image.Image:
    """The QR code as printed dots, centred on a paper-wide white strip (1 px = 1 dot)."""
    code = qrcode.QRCode(box_size=size, border=2,
                         error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    img = code.make_image().get_image().convert("L")
    if img.width > width:
        raise PrinterError("QR code for {payload!r}… is wider than the paper", "config",
                           payload=payload[:20])
    strip = Image.new("L", (width, img.height), 255)
    strip.paste(img, ((width - img.width) // 2, 0))
    return strip


def supports_native_qr(printer: Escpos) -> bool:
    return bool(printer.profile.supports("qrCode"))


class _TextSink:
    """Writes text in the printer's charset: raw bytes for Chinese/UTF-8, MagicEncode otherwise."""

    def __init__(self, printer: Escpos, cs: Charset) -> None:
        self.printer = printer
        self.cs = cs
        if cs.mode == "codepage":
            try:
                name = printer.magic.encoder.get_encoding_name(cs.codec)
            except ValueError as exc:
                raise PrinterError("printer profile has no code page {codec}: {error}",
                                   "config", codec=cs.codec, error=str(exc)) from None
            # Fixed code page: MagicEncode then prints "?" for what the page lacks instead
            # of switching pages mid-line.
            printer.charcode(name)

    def start(self) -> None:
        if self.cs.mode == "chinese":
            self.printer._raw(CHINESE_ON)

    def write(self, text: str) -> None:
        if self.cs.mode == "codepage":
            self.printer.text(self.cs.printable(text))
        else:
            self.printer._raw(self.cs.encode(text))

    def finish(self) -> None:
        if self.cs.mode == "chinese":
            self.printer._raw(CHINESE_OFF)


def render_into(printer: Escpos, doc: Printout, *, native_qr: bool | None = None) -> None:
    """Send ``doc``'s commands to ``printer`` (normally a Dummy: see ``render_bytes``)."""
    native = supports_native_qr(printer) if native_qr is None else native_qr
    printer.hw("INIT")
    sink = _TextSink(printer, doc.charset)
    sink.start()
    for op in doc.ops:
        if isinstance(op, Text):
            # GS ! (custom_size) rather than ESC !: Chinese printers apply only GS ! to
            # double-byte characters.
            size = 2 if op.double else 1
            printer.set(align=op.align, bold=op.bold, custom_size=True, width=size,
                        height=size)
            sink.write(op.text)
            printer._raw(b"\n")
        elif isinstance(op, Rule):
            printer.set(align="left", bold=False, custom_size=True, width=1, height=1)
            sink.write(op.char * doc.columns)
            printer._raw(b"\n")
        elif isinstance(op, QR):
            printer.set(align="center", bold=False, custom_size=True, width=1, height=1)
            if native:
                printer.qr(op.payload, ec=QR_ECLEVEL_M, size=op.size, native=True)
            else:
                printer.image(qr_image(op.payload, op.size, doc.dots), impl="bitImageRaster")
            printer.set(align="left")
        elif isinstance(op, Feed):
            printer.print_and_feed(op.lines)
        elif isinstance(op, Cut):
            sink.finish()
            printer.cut()
        elif isinstance(op, Drawer):
            printer.cashdraw(2)
    if not any(isinstance(op, Cut) for op in doc.ops):
        sink.finish()


def render_bytes(doc: Printout, profile: str = "default", *,
                 native_qr: bool | None = None) -> bytes:
    """The whole job as bytes, ready to send in one write (and to retry whole)."""
    try:
        dummy = Dummy(profile=profile)
    except KeyError:
        raise PrinterError("unknown printer profile {profile!r} (see python-escpos's "
                           "capabilities database)", "config", profile=profile) from None
    render_into(dummy, doc, native_qr=native_qr)
    return dummy.output
