"""A report as an A4 PDF, laid out by Qt (QTextDocument printed on a QPdfWriter) in a CJK
font, so Chinese names and labels come out right. Needs only QtGui, no widgets: without a
running Qt application one is started, on the "offscreen" platform when there is no
display (a scheduled job, a server)."""

from __future__ import annotations

import html
import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from .document import Document, Section

# The first installed of these is used; Noto Sans CJK comes with Debian's fonts-noto-cjk.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Noto Sans CJK JP",
                "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Serif CJK SC",
                "AR PL UMing CN")
POINT_SIZE = 10
MARGIN_MM = 15

_app: QGuiApplication | None = None  # kept, or Qt would tear it down under our feet


def ensure_app() -> QGuiApplication:
    """The running Qt application, or a new QGuiApplication (offscreen when headless)."""
    global _app
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    if existing is not None:  # a QCoreApplication: cannot lay out text
        raise RuntimeError("a non-GUI Qt application is running; PDF needs QtGui")
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _app = QGuiApplication(["member-terminal"])
    return _app


def font_family() -> str:
    """The CJK font the report uses, or the default family when none is installed."""
    ensure_app()
    installed = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    return QFont().family()


def _cell(text: str, align: str = "l", bold: bool = False) -> str:
    body = html.escape(text)
    if bold:
        body = f"<b>{body}</b>"
    return f'<td align="{"right" if align == "r" else "left"}">{body}</td>'


def _section(section: Section) -> str:
    parts = []
    if section.title:
        parts.append(f"<h3>{html.escape(section.title)}</h3>")
    if section.rows:
        parts.append('<table width="70%" cellspacing="0" cellpadding="2">')
        parts.extend(f"<tr>{_cell(k)}{_cell(v, 'r')}</tr>" for k, v in section.rows)
        parts.append("</table>")
    table = section.table
    if table is not None:
        aligns = table.alignments()
        parts.append('<table width="100%" cellspacing="0" cellpadding="2" border="0">')
        parts.append('<tr style="background-color:#e8e8e8">' + "".join(
            _cell(h, a, bold=True) for h, a in zip(table.headers, aligns, strict=True))
            + "</tr>")
        for row in table.rows:
            parts.append("<tr>" + "".join(
                _cell(str(c), a) for c, a in zip(row, aligns, strict=True)) + "</tr>")
        if not table.rows:
            parts.append(f'<tr><td colspan="{len(table.headers)}">—</td></tr>')
        parts.append("</table>")
    return "\n".join(parts)


def to_html(doc: Document) -> str:
    head = []
    if doc.store_name:
        head.append(f'<p align="center"><b>{html.escape(doc.store_name)}</b></p>')
    head.append(f'<h1 align="center">{html.escape(doc.title)}</h1>')
    if doc.subtitle:
        head.append(f'<p align="center">{html.escape(doc.subtitle)}</p>')
    if doc.generated_at is not None:
        head.append(f'<p align="center" style="color:#555555">'
                    f'{doc.generated_at:%Y-%m-%d %H:%M}</p>')
    notes = "".join(f'<p style="color:#7a1f1f"><i>{html.escape(n)}</i></p>'
                    for n in doc.notes)
    body = "\n<hr/>\n".join(_section(s) for s in doc.sections)
    style = ("h1 { font-size: 18pt; } h3 { font-size: 12pt; margin-top: 6px; "
             "margin-bottom: 2px; } td { padding-right: 8px; }")
    return (f"<html><head><meta charset='utf-8'><style>{style}</style></head><body>"
            + "\n".join(head) + notes + "<hr/>" + body + "</body></html>")


def _text_document(doc: Document) -> QTextDocument:
    ensure_app()
    text = QTextDocument()
    text.setDefaultFont(QFont(font_family(), POINT_SIZE))
    text.setHtml(to_html(doc))
    return text


def _writer(target: str | QIODevice, doc: Document) -> QPdfWriter:
    writer = QPdfWriter(target)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                          QPageLayout.Unit.Millimeter)
    writer.setTitle(doc.title)
    writer.setCreator("Member Terminal")
    return writer


def to_bytes(doc: Document) -> bytes:
    """The PDF file's bytes."""
    text = _text_document(doc)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = _writer(buffer, doc)
    text.print_(writer)
    del writer  # the writer finishes the file when it goes
    buffer.close()
    return bytes(data.data())


def write(doc: Document, path: str | Path) -> None:
    Path(path).write_bytes(to_bytes(doc))


def preview(doc: Document, path: str | Path, width_px: int = 900) -> None:
    """An image of the report as the PDF lays it out (one long page), to look at."""
    text = _text_document(doc)
    text.setPageSize(QSizeF(width_px, 1_000_000))
    text.setTextWidth(width_px)
    height = int(text.size().height()) + 1
    image = QImage(width_px, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    text.drawContents(painter)
    painter.end()
    if not image.save(str(path)):
        raise OSError(f"cannot write {path}")
