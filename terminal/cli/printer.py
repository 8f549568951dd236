"""Command line: ``printer test`` and ``print receipt --sale ID|last``."""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from printers.errors import PrinterError

from .common import Invocation, bad_database, open_context

if TYPE_CHECKING:
    from printers.delivery import Delivery
    from terminal.core.config import Settings
    from terminal.services.context import Context

# python-escpos, Pillow and the layouts are imported when a command runs, not when the
# parser is built: they take about half a second to load.

COMMANDS = ("printer", "print")


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--printer", metavar="CONNECTION",
                   help="use this printer instead of the configured one: dummy, file:PATH, "
                        "network:HOST[:PORT], usb:VID:PID, serial:DEVICE[:BAUD], cups:QUEUE")
    p.add_argument("--preview", metavar="PNG", help="also write an image of the paper")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
               parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``printer`` and ``print`` commands to the command line's sub-parsers."""
    printer = subparsers.add_parser("printer", parents=parents, help="printer set-up and tests")
    printer_sub = printer.add_subparsers(dest="printer_command", metavar="ACTION",
                                         required=True)
    test = printer_sub.add_parser("test", parents=parents,
                                  help="print a test page: Chinese sample, ruler, QR, status")
    _output_options(test)
    test.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                      help="how long the printer may take no data before the test fails "
                           "(default 10; it has at most 2 s to answer a status request)")

    print_ = subparsers.add_parser("print", parents=parents, help="print or reprint documents")
    print_sub = print_.add_subparsers(dest="print_command", metavar="DOCUMENT", required=True)
    rec = print_sub.add_parser("receipt", parents=parents, help="print a transaction's receipt")
    rec.add_argument("--sale", required=True, metavar="ID|last",
                     help="transaction id, or 'last' for this terminal's latest")
    rec.add_argument("--copy", action="store_true", help='mark it as a reprint ("COPY")')
    _output_options(rec)


def _fail(message: str, code: int = 1) -> int:
    print(f"member-terminal: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace, settings: Settings,
        ctx_factory: Callable[[], Context] | None = None) -> int:
    """Run ``printer …`` or ``print …``; ``ctx_factory`` opens the database when needed.

    Exit status: 0 printed and confirmed, or sent to a printer that gives no confirmation;
    1 printer or lookup failure; 2 bad settings or arguments; 3 the printer took the job but
    did not confirm it (check the paper).
    """
    try:
        if args.command == "printer" and args.printer_command == "test":
            return _printer_test(args, settings)
        if args.command == "print" and args.print_command == "receipt":
            if ctx_factory is None:
                return _fail("print receipt needs the database", 2)
            return _print_receipt(args, settings, ctx_factory())
    except PrinterError as exc:
        return _fail(exc.message, 1 if exc.retryable else 2)
    raise ValueError(f"not a printers command: {args.command}")


def _said(what: str, where: str, delivery: Delivery) -> int:
    """What really happened to a job the printer took whole, on stdout; the exit status."""
    if delivery.outcome == "confirmed":
        print(f"{what} printed on {where}: the printer confirmed it "
              f"({delivery.status.describe()})")
        return 0
    if delivery.outcome == "sent":
        print(f"{what} {delivery.message}: check that it came out")
        return 0
    print(f"{what} NOT CONFIRMED: {delivery.message}")
    return 3


def _printer_test(args: argparse.Namespace, settings: Settings) -> int:
    from printers.connection import parse_connection
    from printers.test_page import print_test_page

    printer = settings.printer
    if args.printer:
        printer = replace(printer, connection=args.printer)
    conn = parse_connection(printer.connection)
    delivery = print_test_page(settings, printer, timeout=args.timeout, preview=args.preview)
    return _said("test page", conn.describe(), delivery)


def _print_receipt(args: argparse.Namespace, settings: Settings, ctx: Context) -> int:
    from printers.connection import parse_connection
    from printers.print_jobs import PrintJob, print_job
    from terminal.core.errors import NotFound
    from terminal.services.receipts import latest_txn_id, receipt_for

    try:
        if args.sale == "last":
            txn_id = latest_txn_id(ctx)
        else:
            try:
                txn_id = uuid.UUID(args.sale)
            except ValueError:
                return _fail(f"--sale: {args.sale!r} is not a transaction id or 'last'", 2)
        rc = receipt_for(ctx, txn_id)
    except NotFound as exc:
        return _fail(str(exc))
    connection = args.printer or settings.printer.connection
    printed = print_job(PrintJob("receipt", rc, copy=args.copy), settings,
                        connection=args.printer, preview_path=args.preview)
    return _said(f"receipt {rc.receipt_no}", parse_connection(connection).describe(),
                 printed.delivery)


def command(inv: Invocation) -> int:
    """``printer`` and ``print`` from the command line: a test page needs no database, so
    it is opened only when a receipt is asked for."""
    from terminal.db.database import DatabaseUrlError

    try:
        return run(inv.args, inv.settings,
                   lambda: open_context(inv.settings, inv.url, create=False))
    except DatabaseUrlError as exc:
        return bad_database(exc)
