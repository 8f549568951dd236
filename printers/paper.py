"""Reports on the receipt printer: the document as the printers' generic ``Report`` layout,
queued like a receipt so the print worker sends it when the printer is ready."""

from __future__ import annotations

from terminal.db import models as m
from terminal.db.database import write_transaction
from terminal.reports.document import Document, eod_document
from terminal.services import printing
from terminal.services.context import Context
from terminal.services.eod_figures import EodReport

from .layouts import Report, ReportSection, ReportTable


def to_layout(doc: Document) -> Report:
    """The printer's report model: notes come first, as sections of their own."""
    notes = tuple(ReportSection(title=note) for note in doc.notes)
    sections = tuple(
        ReportSection(section.title, section.rows,
                      None if section.table is None else ReportTable(
                          section.table.headers, section.table.rows, section.table.aligns))
        for section in doc.sections)
    return Report(title=doc.title, subtitle=doc.subtitle, store_name=doc.store_name,
                  printed_at=doc.generated_at, sections=notes + sections)


def eod_layout(rep: EodReport, language: str = "en") -> Report:
    return to_layout(eod_document(rep, language))


def enqueue(ctx: Context, doc: Document) -> m.PrintJob:
    """Queue ``doc`` for this terminal's printer."""
    with write_transaction():
        return printing.enqueue(ctx, "report", to_layout(doc))


def print_eod(ctx: Context, rep: EodReport, language: str | None = None) -> m.PrintJob:
    """Queue the end-of-day report, in the store's language unless told otherwise."""
    return enqueue(ctx, eod_document(rep, language or ctx.settings.store.language))
