"""The ``check`` command: every integrity and ledger invariant; exit 1 on any violation."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .common import Invocation, with_context

if TYPE_CHECKING:
    from ..services.context import Context


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    subparsers.add_parser("check", parents=parents,
                          help="verify integrity and ledger invariants; exit 1 on any violation")


def run(inv: Invocation) -> int:
    return with_context(inv, _check)


def _check(ctx: Context) -> int:
    from ..services.integrity import check

    problems = check()
    for line in problems:
        print(line)
    print("check: ok" if not problems else f"check: {len(problems)} violation(s)")
    return 1 if problems else 0
