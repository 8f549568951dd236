"""Command line for data: backup, restore, import members / products, export members /
products / sales / ledgers."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..core.config import Settings
from . import approval
from .common import Invocation, adopt_programme, counted

COMMANDS = ("backup", "restore", "import", "export")
SHOWN_ROWS = 50  # row errors printed; the rest are counted


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the backup, restore, import and export commands to the command line's sub-parsers."""
    b = subparsers.add_parser(
        "backup", parents=parents,
        help="copy the SQLite database (while the counter works) and check the copy")
    b.add_argument("data_path", metavar="PATH",
                   help="backup file, or a folder for <name>-<date>-<time>.sqlite")

    r = subparsers.add_parser(
        "restore", parents=parents,
        help="replace the SQLite database by a checked backup (the counter must be closed; "
             "the current file is kept as <name>.before-restore-<time>)")
    r.add_argument("data_path", metavar="PATH", help="the backup file")
    r.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    i = subparsers.add_parser(
        "import", parents=parents,
        help="import members or products from another system's CSV (asks for a manager's "
             "PIN)")
    i.add_argument("data_what", choices=("members", "products"), metavar="members|products")
    i.add_argument("data_path", metavar="FILE",
                   help="CSV in UTF-8, UTF-16, GBK/GB18030, Big5 or Windows-1252 (found by "
                        "itself), comma, semicolon or tab separated")
    i.add_argument("--dry-run", action="store_true",
                   help="check every row and write nothing; shows the encoding found and "
                        "the first rows as read")
    i.add_argument("--encoding", type=_encoding, metavar="NAME",
                   help="read the file in this encoding (gb18030, big5, cp1252, utf-8, "
                        "utf-16…) instead of finding it")
    approval.add_option(i)

    e = subparsers.add_parser(
        "export", parents=parents,
        help="export members, products, sales or ledgers as CSV for Excel (asks for a "
             "manager's PIN)")
    e.add_argument("data_what", choices=("members", "products", "sales", "ledgers"))
    e.add_argument("--output", "-o", required=True, metavar="FILE")
    e.add_argument("--from", dest="date_from", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help="sales and ledgers: first day (default: 30 days before --to)")
    e.add_argument("--to", dest="date_to", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help="sales and ledgers: last day, included (default: today)")
    e.add_argument("--consenting-only", action="store_true",
                   help="members: only those who agreed to marketing")
    e.add_argument("--reveal-phones", action="store_true",
                   help="members: full phone numbers instead of masked ones (audited)")
    approval.add_option(e)


def _encoding(name: str) -> str:
    from ..services.encodings import EncodingError, codec_name

    try:
        return codec_name(name)
    except EncodingError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _err(message: object) -> int:
    print(f"member-terminal: {message}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace, settings: Settings, url: str) -> int:
    """Run one of COMMANDS; the exit status (0 ok, 1 refused or failed)."""
    from ..core.errors import DomainError
    from ..db.database import DatabaseUrlError

    try:
        if args.command == "backup":
            return _backup(url, Path(args.data_path))
        if args.command == "restore":
            return _restore(url, Path(args.data_path), args.yes)
        return _with_database(args, settings, url)
    except (DomainError, DatabaseUrlError) as exc:
        return _err(exc)


def _backup(url: str, dest: Path) -> int:
    from ..services import backup

    info = backup.backup(url, dest)
    print(f"backup: {info.path} ({info.bytes:,} bytes, schema v{info.schema_version}, "
          f"checked, {info.seconds:.1f} s)")
    return 0


def _restore(url: str, src: Path, yes: bool) -> int:
    from ..services import backup, restore

    target = backup.database_file(url)
    if not yes:
        answer = input(f"replace {target} by {src}? The current file is kept aside. "
                       "Type yes: ")
        if answer.strip().lower() != "yes":
            print("restore: nothing was changed")
            return 1
    info = restore.restore(src, url)
    kept = f"; the previous database is kept as {info.kept}" if info.kept else ""
    print(f"restore: {info.restored} is now the backup {src} (schema v{info.schema_version})"
          f"{kept}")
    return 0


def _with_database(args: argparse.Namespace, settings: Settings, url: str) -> int:
    from ..db.database import close_database, open_database
    from ..services.context import Context

    # a dry run or an export must not make a new database where a path was mistyped
    open_database(url, create=args.command == "import" and not args.dry_run)
    try:
        ctx = Context(settings, staff_id="cli")
        adopt_programme(ctx)
        action = (f"importing {args.data_what}" if args.command == "import"
                  else f"exporting {args.data_what}")
        approver = approval.approve(ctx, args.manager, action).id
        if args.command == "import" and args.data_what == "products":
            return _import_products(ctx, Path(args.data_path), args.dry_run, approver,
                                    getattr(args, "encoding", None))
        if args.command == "import":
            return _import(ctx, Path(args.data_path), args.dry_run, approver,
                           getattr(args, "encoding", None))
        return _export(ctx, args, approver)
    finally:
        close_database()


def _import(ctx: Any, path: Path, dry_run: bool, approver: object,
            encoding: str | None = None) -> int:
    from ..core import money
    from ..services import member_import

    result = member_import.import_members(ctx, path, dry_run=dry_run, approved_by=approver,
                                     encoding=encoding)
    _file_report(result, dry_run)
    totals = (f"{counted(result.rows, 'row', 'rows')}, {result.points:,} points, "
              f"{money.format_amount(result.stored_value, ctx.currency)} stored value")
    if result.errors:
        print(f"import: {counted(len(result.errors), 'error', 'errors')} in {totals}: "
              "nothing was imported", file=sys.stderr)
        return 1
    if dry_run:
        print(f"import: dry run: {totals}, all fine; nothing was written")
    else:
        print(f"import: imported {counted(result.imported, 'member', 'members')} ({totals}) in "
              f"{result.seconds:.1f} s")
    return 0


def _file_report(result: Any, dry_run: bool) -> None:
    """What every import prints: how the file was read, its notes and its errors."""
    from ..services import encodings

    print(f"import: {Path(result.path).name}: encoding {encodings.label(result.encoding)} "
          f"({result.encoding_reason}), delimiter {result.delimiter!r}, "
          f"columns {', '.join(f'{k}={v!r}' for k, v in result.columns.items())}")
    if dry_run and result.samples:
        first = (f"the first {counted(len(result.samples), 'row', 'rows')}"
                 if len(result.samples) > 1 else "the first row")
        print(f"import: {first} as read (if the names look wrong, give the file's encoding "
              "with --encoding):")
        for row in result.samples:
            print("  " + " | ".join(row))
    if result.ignored_columns:
        print(f"import: ignored columns: {', '.join(result.ignored_columns)}")
    for warning in result.warnings[:SHOWN_ROWS]:
        print(f"  note {warning}")
    for error in result.errors[:SHOWN_ROWS]:
        print(f"  error {error}", file=sys.stderr)
    if len(result.errors) > SHOWN_ROWS:
        print(f"  … and {len(result.errors) - SHOWN_ROWS} more errors", file=sys.stderr)


def _import_products(ctx: Any, path: Path, dry_run: bool, approver: object,
                     encoding: str | None = None) -> int:
    from ..core import money
    from ..services import product_import

    result = product_import.import_products(ctx, path, dry_run=dry_run, approved_by=approver,
                                            encoding=encoding)
    _file_report(result, dry_run)
    fmt = lambda v: "-" if v is None else money.format_amount(v, ctx.currency)  # noqa: E731
    for sku, old, new, old_member, new_member in result.price_changes[:SHOWN_ROWS]:
        print(f"  price {sku}: {fmt(old)} -> {fmt(new)}, member price {fmt(old_member)} -> "
              f"{fmt(new_member)}")
    if len(result.price_changes) > SHOWN_ROWS:
        print(f"  … and {len(result.price_changes) - SHOWN_ROWS} more price changes")
    totals = (f"{result.rows} rows: {len(result.created)} new, {len(result.updated)} changed "
              f"({len(result.price_changes)} prices), {result.unchanged} unchanged")
    if result.errors:
        print(f"import: {counted(len(result.errors), 'error', 'errors')} in "
              f"{counted(result.rows, 'row', 'rows')}: nothing was imported", file=sys.stderr)
        return 1
    if dry_run:
        print(f"import: dry run: {totals}; nothing was written")
    else:
        print(f"import: imported {totals} in {result.seconds:.1f} s")
    return 0


def _export(ctx: Any, args: argparse.Namespace, approver: object) -> int:
    from ..services import csv_export

    if args.data_what == "products":
        result = csv_export.export_products(ctx, args.output, approved_by=approver)
    elif args.data_what == "members":
        result = csv_export.export_members(ctx, args.output, consenting_only=args.consenting_only,
                                         reveal_phones=args.reveal_phones,
                                         approved_by=approver)
    else:
        until = args.date_to or ctx.today()
        since = args.date_from or until - timedelta(days=30)
        export = csv_export.export_sales if args.data_what == "sales" else \
            csv_export.export_ledgers
        result = export(ctx, args.output, since, until, approved_by=approver)
    print(f"export: {result.rows} rows to {result.path}")
    return 0


def command(inv: Invocation) -> int:
    """The data commands open the database themselves: restore must not find it open."""
    return run(inv.args, inv.settings, inv.url)
