"""The printer's test page, laid out for one printer's settings and sent to it (``printer
test`` on the command line and the set-up assistant's "Print a test page")."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from terminal.core.config import PrinterSettings, Settings

from .connection import parse_connection
from .delivery import Delivery
from .labels import label
from .layouts import LayoutOptions, printer_test_page
from .print_jobs import deliver, job_bytes, save_preview
from .status import read_status


def print_test_page(settings: Settings, printer: PrinterSettings, *, timeout: float = 10.0,
                    preview: str | Path | None = None) -> Delivery:
    """Print the test page on ``printer``; PrinterError when it did not take the page."""
    conn = parse_connection(printer.connection)
    lang = settings.store.language
    wait = min(timeout, 2.0)
    status = read_status(conn, profile=printer.profile, timeout=wait)
    details = ((label("connection", lang), printer.connection),
               (label("status", lang), status.describe()),
               (label("printed_at", lang), datetime.now().strftime("%Y-%m-%d %H:%M")))
    doc = printer_test_page(settings.store.name, LayoutOptions.from_settings(settings, printer),
                            details)
    if preview:
        save_preview(doc, preview)
    # No check before sending: the status was just read for the page, and a printer that
    # says it is out of paper still gets the page (then "not confirmed"): that is the test.
    return deliver(job_bytes(doc, printer), printer, check_status=False, timeout=timeout,
                   status_timeout=wait)
