"""Print jobs: (kind, data) -> Printout -> bytes -> printer, the API the print queue calls."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from terminal.core.config import PrinterSettings, Settings
from terminal.services.printing import KINDS, JobKind
from terminal.services.receipts import Receipt, ReceiptCoupon

from . import layouts
from .connection import can_answer, parse_connection
from .delivery import Delivery, send_bytes
from .errors import PrinterError
from .preview import preview
from .printout import Printout
from .render import render_bytes
from .status import check_ready

JobData = (Receipt | ReceiptCoupon | layouts.MemberCardSlip | layouts.Report
           | layouts.TestPage)
# The dataclass each kind of job carries, for a queue that stores the data and reads it back.
DATA_TYPES: dict[str, type] = {
    "receipt": Receipt, "coupon": ReceiptCoupon, "member_card": layouts.MemberCardSlip,
    "report": layouts.Report, "test": layouts.TestPage}
assert set(DATA_TYPES) == set(KINDS), "every kind of job the queue holds needs its data type"


@dataclass(frozen=True)
class PrintJob:
    """What the queue stores: the document kind, its data and whether it is a reprint."""

    kind: JobKind
    data: JobData
    copy: bool = False


def document_for(job: PrintJob, settings: Settings,
                 printer: PrinterSettings | None = None) -> Printout:
    """Lay out a job for the configured paper, charset and language."""
    opts = layouts.LayoutOptions.from_settings(settings, printer)
    data = job.data
    if job.kind == "receipt" and isinstance(data, Receipt):
        return layouts.receipt(data, opts, copy=job.copy)
    if job.kind == "coupon" and isinstance(data, ReceiptCoupon):
        return layouts.coupon_slip(data, settings.store.name, opts)
    if job.kind == "member_card" and isinstance(data, layouts.MemberCardSlip):
        return layouts.member_card(data, opts)
    if job.kind == "report" and isinstance(data, layouts.Report):
        return layouts.report(data, opts)
    if job.kind == "test" and isinstance(data, layouts.TestPage):
        return layouts.printer_test_page(data.store_name, opts, data.details)
    raise TypeError(f"a {job.kind} job cannot print {type(data).__name__}")


def job_bytes(doc: Printout, printer: PrinterSettings) -> bytes:
    """The ESC/POS bytes of a whole document for this printer's profile."""
    return render_bytes(doc, printer.profile)


@dataclass(frozen=True)
class Printed:
    """A job the printer took whole: its document and what the printer said (print_job)."""

    document: Printout
    delivery: Delivery


def deliver(data: bytes, printer: PrinterSettings, *, connection: str | None = None,
            check_status: bool = True, timeout: float = 10.0, status_timeout: float = 2.0
            ) -> Delivery:
    """Send a rendered job in one connection; PrinterError (see ``.retryable``) when the
    printer did not take all of it, else the Delivery (confirmed, unconfirmed or sent).

    With ``check_status`` a printer that reports "out of paper" or "offline" fails before
    anything is sent, so no half receipt comes out.
    """
    conn = parse_connection(connection or printer.connection)
    if check_status and can_answer(conn, printer.reports_status):
        check_ready(conn, profile=printer.profile, timeout=min(timeout, status_timeout))
    return send_bytes(data, conn, profile=printer.profile, timeout=timeout,
                      ask_status=printer.reports_status, status_timeout=status_timeout)


def print_job(job: PrintJob, settings: Settings, *, connection: str | None = None,
              preview_path: str | Path | None = None, timeout: float = 10.0,
              status_timeout: float = 2.0) -> Printed:
    """Lay out, render and send one job (and write its preview PNG when asked)."""
    printer = settings.printer
    if connection:
        printer = replace(printer, connection=connection)
    doc = document_for(job, settings, printer)
    data = job_bytes(doc, printer)
    if preview_path is not None:
        save_preview(doc, preview_path)
    return Printed(doc, deliver(data, printer, timeout=timeout,
                                status_timeout=status_timeout))


def save_preview(doc: Printout, path: str | Path) -> None:
    try:
        preview(doc).save(path, format="PNG")
    except OSError as exc:
        raise PrinterError("cannot write the preview {path}: {error}", "config",
                           path=str(path), error=exc.strerror or str(exc)) from exc
