"""The report as a PDF (Qt, CJK font) and on the receipt printer (through the print queue)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import unicodedata

import pytest

from printers import layouts, paper
from printers.print_jobs import DATA_TYPES, PrintJob, document_for, job_bytes
from terminal.db import models as m
from terminal.reports import pdf
from terminal.reports.document import eod_document
from terminal.services import printing


def test_pdf_is_a_pdf_in_a_cjk_font(qapp, eod_report, tmp_path):
    family = pdf.font_family()
    assert family in pdf.CJK_FAMILIES  # fonts-noto-cjk is a requirement of the project
    path = tmp_path / "eod.pdf"
    pdf.write(eod_document(eod_report, "zh_CN"), path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(data) > 10_000
    # the font is embedded (as a subset): its PostScript name is in the file
    assert family.replace(" ", "").replace("CJKSC", "CJKsc").encode() in data.replace(b" ", b"")
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True,
                             text=True).stdout
        # Noto CJK shares glyphs between 日 and the radical ⽇; NFKC folds them back
        out = unicodedata.normalize("NFKC", out)
        assert "日结报表" in out and "28.00" in out and "全部终端" in out


def test_pdf_in_english_without_display(qapp, eod_report):
    data = pdf.to_bytes(eod_document(eod_report))
    assert data.startswith(b"%PDF-") and b"/Title" in data


@pytest.mark.skipif(importlib.util.find_spec("PySide6.QtPdf") is None,
                    reason="QtPdf is not in PySide6-Essentials here")
def test_pdf_renders_a_page(qapp, eod_report, tmp_path):  # pragma: no cover - needs QtPdf
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    path = tmp_path / "eod.pdf"
    pdf.write(eod_document(eod_report, "zh_CN"), path)
    document = QPdfDocument()
    document.load(str(path))
    assert document.pageCount() >= 1
    image = document.render(0, QSize(595, 842))
    assert not image.isNull()


def test_preview_image(qapp, eod_report, tmp_path):
    from PySide6.QtGui import QImage

    path = tmp_path / "eod.png"
    pdf.preview(eod_document(eod_report, "zh_CN"), path, width_px=700)
    image = QImage(str(path))
    assert image.width() == 700 and image.height() > 1000


def test_the_html_escapes_what_it_shows(eod_report):
    from dataclasses import replace

    html = pdf.to_html(eod_document(replace(eod_report, store_name="<b>Tom & Jerry</b>")))
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;" in html


def test_the_printer_layout(eod_report):
    report = paper.eod_layout(eod_report, "zh_CN")
    assert isinstance(report, layouts.Report)
    assert report.title == "日结报表" and report.printed_at == eod_report.generated_at
    assert report.sections[0].title == "尚未日结：数据仍可能变化"
    sales = next(s for s in report.sections if s.title == "销售")
    assert ("净营业额", "¥28.00") in sales.rows
    cashiers = next(s for s in report.sections if s.title == "按收银员")
    assert cashiers.table is not None and cashiers.table.rows[0][0] == "Cashier Li 李"


def test_printing_goes_through_the_queue(ctx, eod_report):
    job = paper.print_eod(ctx, eod_report)
    row = m.PrintJob.get_by_id(job.id)
    assert (row.kind, row.status, row.terminal_id) == ("report", "pending", "T01")
    # what the print worker does with it: read back, lay out on paper, render ESC/POS
    data = printing.decode(DATA_TYPES["report"], row.payload)
    assert data == paper.eod_layout(eod_report, "en")
    doc = document_for(PrintJob("report", data), ctx.settings)
    lines = [op.text for op in doc.ops if isinstance(op, layouts.Text)]
    # (the GB18030 printer prints the yen sign full width: ￥)
    assert any(line.startswith("Net revenue") and line.endswith("28.00") for line in lines)
    assert any("Cashier Li" in line for line in lines)
    assert job_bytes(doc, ctx.settings.printer).startswith(b"\x1b@")
