"""Printout -> Pillow image of the paper, dot for dot at 203 dpi, for screens and tests."""

from __future__ import annotations

import logging
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .printout import QR, Cut, Drawer, Feed, Printout, Rule, Text
from .render import qr_image

log = logging.getLogger(__name__)

FONT_FAMILY = "Noto Sans Mono CJK SC"
# Debian's fonts-noto-cjk; the index is looked up by name because the collection's order
# differs between releases.
KNOWN_FONT_FILES = {
    False: ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    True: ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
           "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
}
LINE_DOTS = 30  # ESC/POS default line spacing (about 1/6 inch at 203 dpi) for a 24-dot font
MARGIN = 12
# Blank paper above the cut: roughly what the printer feeds to bring the text past the cutter.
CUT_FEED_LINES = 3

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _fc_match(bold: bool) -> list[tuple[str, int]]:
    if shutil.which("fc-match") is None:
        return []
    pattern = f"{FONT_FAMILY}:style={'Bold' if bold else 'Regular'}"
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}", pattern],
                             capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    path, _, index = out.partition("\n")
    return [(path, int(index or 0))] if path else []


def _face_in(path: str, size: int) -> ImageFont.FreeTypeFont | None:
    for index in range(16):
        try:
            font = ImageFont.truetype(path, size, index=index)
        except OSError:
            return None
        if font.getname()[0] == FONT_FAMILY:
            return font
    return None


@lru_cache(maxsize=16)
def font(size: int, bold: bool = False) -> Font:
    """Noto Sans Mono CJK SC (half-width Latin, full-width CJK); Pillow's font if missing."""
    for path, index in _fc_match(bold):
        try:
            found = ImageFont.truetype(path, size, index=index)
        except OSError:
            continue
        if found.getname()[0] == FONT_FAMILY:
            return found
    for path in KNOWN_FONT_FILES[bold]:
        if Path(path).exists() and (face := _face_in(path, size)) is not None:
            return face
    log.warning("%s not found (Debian: apt install fonts-noto-cjk); the preview shows "
                "Chinese as boxes", FONT_FAMILY)
    return ImageFont.load_default(size)


def _text_height(op: Text) -> int:
    return LINE_DOTS * (2 if op.double else 1)


def preview(doc: Printout) -> Image.Image:
    """The receipt as the printer would print it: white paper, black text, real QR codes."""
    width = doc.dots
    cell = width // doc.columns  # 12 dots: font A
    qrs = {op: qr_image(op.payload, op.size, width) for op in doc.ops if isinstance(op, QR)}
    height = 2 * MARGIN
    for op in doc.ops:
        if isinstance(op, Text | Rule):
            height += _text_height(op) if isinstance(op, Text) else LINE_DOTS
        elif isinstance(op, QR):
            height += qrs[op].height + LINE_DOTS // 2
        elif isinstance(op, Feed):
            height += LINE_DOTS * op.lines
        elif isinstance(op, Cut):
            height += CUT_FEED_LINES * LINE_DOTS
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    y = MARGIN
    for op in doc.ops:
        if isinstance(op, Text):
            _draw_line(draw, doc, op, y, cell)
            y += _text_height(op)
        elif isinstance(op, Rule):
            _draw_line(draw, doc, Text(op.char * doc.columns), y, cell)
            y += LINE_DOTS
        elif isinstance(op, QR):
            img.paste(qrs[op], (0, y))
            y += qrs[op].height + LINE_DOTS // 2
        elif isinstance(op, Feed):
            y += LINE_DOTS * op.lines
        elif isinstance(op, Cut):
            mid = y + CUT_FEED_LINES * LINE_DOTS - LINE_DOTS // 2
            for x in range(0, width, 16):  # the cut, as a dashed line
                draw.line([(x, mid), (x + 8, mid)], fill=160)
            y += CUT_FEED_LINES * LINE_DOTS
        elif isinstance(op, Drawer):
            pass  # the drawer opens; nothing on paper
    return img


def _draw_line(draw: ImageDraw.ImageDraw, doc: Printout, op: Text, y: int, cell: int) -> None:
    scale = 2 if op.double else 1
    cw = cell * scale
    face = font(2 * cw, op.bold)
    text = doc.charset.printable(op.text)
    cells = [doc.charset.char_width(ch) for ch in text]
    used = sum(cells) * cw
    x = {"left": 0, "center": (doc.dots - used) // 2, "right": doc.dots - used}[op.align]
    baseline = y + round(2 * cw * 0.88)
    for ch, n in zip(text, cells, strict=True):
        if n and not ch.isspace():
            # Each character at its own cell, so columns line up exactly as on the printer
            # even where a font's advance differs from the printer's cell.
            draw.text((x, baseline), ch, fill=0, font=face, anchor="ls")
        x += n * cw
