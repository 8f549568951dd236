"""Command line: ``report eod`` (show, export, print or close a day) and ``report economics``.

Exit status: 0 done; 1 refused (the day is closed already, a wrong PIN, a printer queue
problem); 2 bad arguments (a date that is not YYYY-MM-DD, PDF without --output, ...).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING

from .common import Invocation, with_context

if TYPE_CHECKING:
    from terminal.services.context import Context

    from ..reports.document import Document

# The services, Qt and the printers are imported when a command runs, not when the
# parser is built.

COMMANDS = ("report",)
EOD_FORMATS = ("text", "csv", "json", "pdf")
ECONOMICS_FORMATS = ("text", "csv", "json", "pdf")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
               parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``report`` command to the command line's sub-parsers."""
    report = subparsers.add_parser("report", parents=parents,
                                   help="end-of-day report, closing a day, programme economics")
    sub = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)

    eod = sub.add_parser("eod", parents=parents,
                         help="the end-of-day (Z) report of a business date, or a shift")
    eod.add_argument("--date", metavar="YYYY-MM-DD", default=None,
                     help="the business date (default: today)")
    eod.add_argument("--terminal", metavar="ID", default=None, help="only this terminal")
    eod.add_argument("--from", dest="shift_from", metavar="HH:MM", default=None,
                     help="a shift: from this time of day")
    eod.add_argument("--to", dest="shift_to", metavar="HH:MM", default=None,
                     help="a shift: up to this time of day")
    eod.add_argument("--cashier", metavar="STAFF_ID", default=None,
                     help="a shift: only what this cashier recorded")
    _output_options(eod, EOD_FORMATS)
    eod.add_argument("--print", dest="print_", action="store_true",
                     help="also queue it for this terminal's receipt printer")
    eod.add_argument("--close", action="store_true",
                     help="close the day for good (asks a manager's PIN)")
    eod.add_argument("--approver-pin", action="store_true",
                     help="ask the approving manager's PIN (implied by --close)")
    from . import approval

    approval.add_option(eod)

    econ = sub.add_parser("economics", parents=parents,
                          help="programme cost, points liability, breakage by month")
    econ.add_argument("--months", type=int, default=12, help="how many months (default 12)")
    _output_options(econ, ECONOMICS_FORMATS)


def _output_options(p: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    p.add_argument("--format", choices=formats, default="text")
    p.add_argument("--output", metavar="PATH", default=None,
                   help="write to this file (needed for pdf) instead of the screen")
    p.add_argument("--language", choices=("en", "zh_CN"), default=None,
                   help="default: the store's language")


def _fail(message: str, code: int = 1) -> int:
    print(f"member-terminal: {message}", file=sys.stderr)
    return code


def parse_day(text: str | None, today: date) -> date:
    if text is None:
        return today
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"--date: {text!r} is not a date (YYYY-MM-DD)") from None


def parse_time(text: str, option: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{option}: {text!r} is not a time of day (HH:MM)") from None


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Run ``report eod`` or ``report economics`` against the opened database."""
    if args.report_command == "eod":
        return _eod(args, ctx)
    if args.report_command == "economics":
        return _economics(args, ctx)
    raise ValueError(f"not a report command: {args.report_command}")


def _check_output(args: argparse.Namespace) -> str | None:
    if args.format == "pdf" and not args.output:
        return "--format pdf needs --output PATH"
    if args.output:
        parent = Path(args.output).expanduser().resolve().parent
        if not parent.is_dir():
            return f"--output: the folder {parent} does not exist"
    return None


def _emit(args: argparse.Namespace, doc: Document, json_text: str) -> int:
    """Write the document in the asked format to --output or standard output."""
    from ..reports import csv_export, text

    path = Path(args.output).expanduser() if args.output else None
    try:
        if args.format == "pdf":
            from ..reports import pdf

            assert path is not None
            pdf.write(doc, path)
        elif args.format == "csv":
            data = csv_export.to_bytes(doc)
            if path is None:
                sys.stdout.flush()
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
            else:
                path.write_bytes(data)
        else:
            out = json_text if args.format == "json" else text.render(doc)
            if path is None:
                sys.stdout.write(out)
            else:
                path.write_text(out, encoding="utf-8")
    except OSError as exc:
        return _fail(f"cannot write {path}: {exc.strerror or exc}")
    if path is not None:
        print(f"wrote {path}")
    return 0


def _eod(args: argparse.Namespace, ctx: Context) -> int:
    from terminal.core.errors import DomainError
    from terminal.services import eod, eod_figures

    from ..reports.document import eod_document
    from ..reports.json_export import eod_json
    from . import approval

    try:
        day = parse_day(args.date, ctx.today())
        shift = None
        if args.shift_from or args.shift_to or args.cashier:
            start = parse_time(args.shift_from, "--from") if args.shift_from else time.min
            end = parse_time(args.shift_to, "--to") if args.shift_to else time.max
            shift = eod_figures.Shift(start, end, args.cashier)
    except (ValueError, DomainError) as exc:
        return _fail(str(exc), 2)
    problem = _check_output(args)
    if problem:
        return _fail(problem, 2)
    if args.close and (args.terminal or shift is not None):
        return _fail("--close closes the whole store's day: leave out --terminal, --from, "
                     "--to and --cashier", 2)
    language = args.language or ctx.settings.store.language
    try:
        if args.close:
            if day > ctx.today():
                return _fail(f"{day.isoformat()} has not begun: it cannot be closed", 2)
            if eod.closing(ctx, day) is not None:
                return _fail(f"{day.isoformat()} is closed already")
            approver = approval.approve(ctx, args.manager, "closing the day")
            rep = eod.close_day(ctx, day, approver.id)
        else:
            rep = eod.report(ctx, day, args.terminal, shift)
        doc = eod_document(rep, language)
        code = _emit(args, doc if args.format != "csv"
                     else eod_document(rep, language, plain=True), eod_json(rep))
        if code == 0 and args.print_:
            from printers.paper import enqueue

            enqueue(ctx, doc)
            print(f"queued for the printer of terminal {ctx.terminal_id}")
        if code == 0 and args.close:
            print(f"closed {day.isoformat()}", file=sys.stderr)
        return code
    except DomainError as exc:
        return _fail(str(exc))


def _economics(args: argparse.Namespace, ctx: Context) -> int:
    from terminal.core.errors import DomainError
    from terminal.services import economics

    from ..reports.document import economics_document
    from ..reports.json_export import economics_json

    problem = _check_output(args)
    if problem:
        return _fail(problem, 2)
    language = args.language or ctx.settings.store.language
    try:
        rep = economics.report(ctx, args.months)
    except DomainError as exc:
        return _fail(str(exc), 2)
    doc = economics_document(rep, language, plain=args.format == "csv")
    return _emit(args, doc, economics_json(rep))


def command(inv: Invocation) -> int:
    return with_context(inv, lambda ctx: run(inv.args, ctx))
