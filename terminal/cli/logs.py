"""The ``logs`` command: where the log file is, and its last lines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..core import logs


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    # no --config nor --db: it reads no settings, so it works when they are broken
    log_cmd = subparsers.add_parser("logs",
                                    help="print where the log file is (and its last lines)")
    log_cmd.add_argument("--tail", type=int, metavar="N", help="print the last N lines")


def run(args: argparse.Namespace, path: Path) -> int:
    if args.tail is None:
        print(path)
    elif not path.is_file():
        print(f"member-terminal: there is no log at {path} yet", file=sys.stderr)
        return 1
    else:
        for line in logs.tail(path, args.tail):
            print(line)
    return 0
