"""Entry point: parse arguments, load settings, open the database, start Qt or run a command."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from terminal import config, logs

if TYPE_CHECKING:
    from terminal.services.context import Context


def _common(default: object = None) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=default,
                        help=f"settings file (default: ${config.CONFIG_ENV} or the user "
                             "config dir)")
    common.add_argument("--db", metavar="URL", default=default,
                        help="database URL: sqlite:///PATH or postgresql://USER@HOST/DB")
    return common


def parser() -> argparse.ArgumentParser:
    # the options go before or after the command; a command's parser must not reset
    # what was given before it, hence SUPPRESS there
    common = _common(argparse.SUPPRESS)
    p = argparse.ArgumentParser(
        prog="member-terminal", parents=[_common()],
        description="Membership terminal for the shop counter. Without a command: the GUI.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("gui", parents=[common], help="start the counter window (the default)")

    demo = sub.add_parser("demo", parents=[common], help="fill a database with a demo store")
    demo.add_argument("--members", type=int, default=2000)
    demo.add_argument("--days", type=int, default=365)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--if-empty", action="store_true",
                      help="do nothing when the database already has members")

    sub.add_parser("check", parents=[common],
                   help="verify integrity and ledger invariants; exit 1 on any violation")

    sim = sub.add_parser("simulate", parents=[common],
                         help="run realistic counter transactions through the services")
    sim.add_argument("--sales", type=int, required=True)
    sim.add_argument("--terminal", default=None, help="terminal id (default: from settings)")
    sim.add_argument("--seed", type=int, default=None)

    bench = sub.add_parser("bench", parents=[common],
                           help="time look-ups and checkouts against raw sqlite3")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--rounds", type=int, default=2000)

    staff = sub.add_parser("staff", parents=[common], help="list or add staff accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    staff_sub.add_parser("list", parents=[common], help="the active staff and their roles")
    add = staff_sub.add_parser("add", parents=[common],
                               help="add someone (the first account is the owner); asks "
                                    "for their new PIN and, after the first, an owner's")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=("cashier", "manager", "owner"))
    from terminal import approvalcli

    approvalcli.add_option(add, "the owner")

    from terminal.scanner import cli as scan_cli

    scan_cli.add_parser(sub, [common])
    from printers import cli as printers_cli

    printers_cli.add_parser(sub, [common])
    from terminal.reports import cli as reports_cli

    reports_cli.add_parser(sub, [common])
    from terminal import datacli

    datacli.add_parser(sub, [common])

    sub.add_parser("expire-points", parents=[common], help="write off expired points")
    sub.add_parser("review-tiers", parents=[common],
                   help="move members to the tier their rolling spend earns")
    log_cmd = sub.add_parser("logs", help="print where the log file is (and its last lines)")
    log_cmd.add_argument("--tail", type=int, metavar="N", help="print the last N lines")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    log_path, log_warning = logs.start()  # first: what follows may fail and must leave a trace
    if log_warning:
        print(f"member-terminal: {log_warning}", file=sys.stderr)
    if args.command == "logs":
        return _logs(log_path, args.tail)
    logging.getLogger("member_terminal").info("started: %s", args.command or "gui")
    try:
        settings = config.load(args.config)
    except config.SettingsError as exc:  # before any database is opened
        return _bad_settings(exc, args.command or "gui")
    for problem in settings.warnings:  # device settings that fell back to their defaults
        print(f"member-terminal: {problem}", file=sys.stderr)
    warning = "; ".join(map(str, settings.warnings)) or None
    url = args.db or settings.database_url()
    command = args.command or "gui"

    if command == "gui":
        from terminal.ui.app import run_gui

        return run_gui(settings, url, warning)
    from terminal.db.database import DatabaseUrlError

    if command == "scan":  # needs no database
        from terminal.scanner import cli as scan_cli

        return scan_cli.run(args, settings)
    if command in ("printer", "print"):  # a test page needs no database
        from printers import cli as printers_cli

        try:
            return printers_cli.run(args, settings, lambda: _open(settings, url, create=False))
        except DatabaseUrlError as exc:
            return _bad_database(exc)

    from terminal import datacli

    if command in datacli.COMMANDS:  # restore must not find the database open
        return datacli.run(args, settings, url)
    # only the commands that write data may make a new SQLite file; `check` on a wrong
    # path must say so, not create an empty database and find it fine
    creates = command in ("demo", "simulate") or (
        command == "staff" and args.staff_command == "add")
    try:
        ctx = _open(settings, url, create=creates)
    except DatabaseUrlError as exc:
        return _bad_database(exc)
    if command == "demo":
        from terminal.tools import demo

        return demo.run(ctx, url, members=args.members, days=args.days, seed=args.seed,
                        if_empty=args.if_empty)
    if command == "check":
        from terminal.services.integrity import check

        problems = check()
        for line in problems:
            print(line)
        print("check: ok" if not problems else f"check: {len(problems)} violation(s)")
        return 1 if problems else 0
    if command == "simulate":
        from terminal import simulate

        return simulate.run(ctx, sales=args.sales, terminal=args.terminal, seed=args.seed)
    if command == "bench":
        from terminal import bench

        return bench.run(ctx, url, rounds=args.rounds, as_json=args.json)
    if command == "report":
        from terminal.reports import cli as reports_cli

        return reports_cli.run(args, ctx)
    if command == "staff":
        return _staff(ctx, args)
    if command == "expire-points":
        from terminal.services.jobs import expire_points

        print(json.dumps(vars(expire_points(ctx))))
        return 0
    if command == "review-tiers":
        from terminal.services.jobs import review_tiers

        print(json.dumps(vars(review_tiers(ctx))))
        return 0
    raise AssertionError(command)  # pragma: no cover


def _logs(path: Path, tail: int | None) -> int:
    if tail is None:
        print(path)
    elif not path.is_file():
        print(f"member-terminal: there is no log at {path} yet", file=sys.stderr)
        return 1
    else:
        for line in logs.tail(path, tail):
            print(line)
    return 0


def _open(settings: config.Settings, url: str, *, create: bool = True) -> Context:
    from terminal.db.database import open_database
    from terminal.services.context import Context

    open_database(url, create=create)
    return Context(settings, staff_id="cli")


def _bad_database(exc: Exception) -> int:
    print(f"member-terminal: {exc}", file=sys.stderr)
    return int(getattr(exc, "status", 2))


def _bad_settings(exc: config.SettingsError, command: str) -> int:
    """Every unusable setting, and stop: a typo must never move the counter to another
    database, signing secret or terminal id."""
    lines = [f"  {problem}" for problem in exc.problems]
    text = "\n".join(["the settings cannot be used, so nothing was opened:", *lines,
                      "Correct the settings file and start again."])
    print(f"member-terminal: {text}", file=sys.stderr)
    if command == "gui":
        from terminal.ui.app import refuse_to_start

        refuse_to_start(text)
    return 2


def _staff(ctx: Context, args: argparse.Namespace) -> int:
    import getpass

    from terminal.loyalty.errors import DomainError
    from terminal.services import staff

    if args.staff_command == "list":
        for person in staff.active():
            print(f"{person.id}  {person.role:<8} {person.name}")
        return 0
    from terminal import approvalcli

    try:
        approver = None
        if staff.active():
            approver = approvalcli.approve(ctx, args.manager, "adding staff",
                                           owners_only=True).id
        pin = getpass.getpass(f"new PIN for {args.name} (4-8 digits): ")
        if getpass.getpass("the same PIN again: ") != pin:
            print("member-terminal: the two PINs differ; nothing was added", file=sys.stderr)
            return 1
        person = staff.create(ctx, args.name, args.role, pin,
                              approved_by=approver)
    except DomainError as exc:
        print(f"member-terminal: {exc}", file=sys.stderr)
        return 1
    print(f"added {person.role} {person.name} ({person.id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
