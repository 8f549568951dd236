"""The command line: one parser, one table from command to the function that runs it.

Without a command it starts the counter window. Each group of commands is a module here;
a module builds its part of the parser and imports what it runs only when it runs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ..core import config, settings_file
from ..core.logs import start as start_logging
from . import (
    check,
    data,
    gui,
    logs,
    member,
    messages,
    nightly,
    printer,
    programme,
    report,
    scan,
    setup,
    shift,
    staff,
    tools,
    web,
)
from .common import Invocation, options

AddParser = Callable[[Any, list[argparse.ArgumentParser]], None]
Run = Callable[[Invocation], int]

# in the order `--help` lists them; `logs` comes last and runs before the settings are read
GROUPS: tuple[tuple[AddParser, dict[str, Run]], ...] = (
    (gui.add_parser, {"gui": gui.run}),
    (tools.add_demo, {"demo": tools.demo}),
    (check.add_parser, {"check": check.run}),
    (tools.add_simulate, {"simulate": tools.simulate}),
    (tools.add_bench, {"bench": tools.bench}),
    (setup.add_parser, {"setup": setup.run}),
    (staff.add_parser, {"staff": staff.run}),
    (member.add_parser, {"member": member.run, "member-link": member.member_link}),
    (shift.add_parser, {"shift": shift.run}),
    (scan.add_parser, {"scan": scan.command}),
    (printer.add_parser, dict.fromkeys(printer.COMMANDS, printer.command)),
    (report.add_parser, {"report": report.command}),
    (data.add_parser, dict.fromkeys(data.COMMANDS, data.command)),
    (nightly.add_parser, {"expire-points": nightly.expire_points,
                          "review-tiers": nightly.review_tiers,
                          "settle-imports": nightly.settle_imports,
                          "analyse-members": nightly.analyse_members}),
    (messages.add_parser, {"messages": messages.run, "nightly": messages.nightly}),
    (programme.add_parser, {"programme": programme.command}),
    (web.add_parser, {"serve": web.run}),
)
COMMANDS: dict[str, Run] = {name: run for _, table in GROUPS for name, run in table.items()}


def parser() -> argparse.ArgumentParser:
    # the options go before or after the command; a command's parser must not reset
    # what was given before it, hence SUPPRESS there
    common = options(argparse.SUPPRESS)
    p = argparse.ArgumentParser(
        prog="member-terminal", parents=[options()],
        description="Membership terminal for the shop counter. Without a command: the GUI.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for add_parser, _ in GROUPS:
        add_parser(sub, [common])
    logs.add_parser(sub, [])
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    log_path, log_warning = start_logging()  # first: what follows may fail and must leave a trace
    if log_warning:
        print(f"member-terminal: {log_warning}", file=sys.stderr)
    if args.command == "logs":
        return logs.run(args, log_path)
    command = args.command or "gui"
    logging.getLogger("member_terminal").info("started: %s", command)
    try:
        settings = settings_file.load(args.config)
    except config.SettingsError as exc:  # before any database is opened
        return _bad_settings(exc, command)
    for problem in settings.warnings:  # device settings that fell back to their defaults
        print(f"member-terminal: {problem}", file=sys.stderr)
    warning = "; ".join(map(str, settings.warnings)) or None
    url = args.db or settings.database_url()
    return COMMANDS[command](Invocation(args, settings, url, warning))


def _bad_settings(exc: config.SettingsError, command: str) -> int:
    """Every unusable setting, and stop: a typo must never move the counter to another
    database, signing secret or terminal id."""
    lines = [f"  {problem}" for problem in exc.problems]
    text = "\n".join(["the settings cannot be used, so nothing was opened:", *lines,
                      "Correct the settings file and start again."])
    print(f"member-terminal: {text}", file=sys.stderr)
    if command == "gui":
        gui.refuse_to_start(text)
    return 2
