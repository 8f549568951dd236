"""The ``check`` command: every integrity and ledger invariant; exit 1 on any violation.
``check --quick``: what changed since the last clean check (services.integrity)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..core.i18n import Phrase
from .common import Invocation, with_context

if TYPE_CHECKING:
    from ..services.context import Context


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check", parents=parents,
        help="verify integrity and ledger invariants; exit 1 on any violation")
    parser.add_argument("--quick", action="store_true",
                        help="only what changed since the last clean check (seconds on a "
                             "large database); the whole check when there is none")


def run(inv: Invocation) -> int:
    quick = bool(getattr(inv.args, "quick", False))
    return with_context(inv, lambda ctx: _check(ctx, quick))


def _check(ctx: Context, quick: bool) -> int:
    from ..services.integrity import check_and_mark, quick_check

    if not quick:
        problems = check_and_mark(ctx)
        _print(problems)
        return 1 if problems else 0
    result = quick_check(ctx)
    if result.scope is None:
        print(result.note)
        _print(result.problems)
        return 1 if result.problems else 0
    for line in result.problems:
        print(line)
    note = result.scope.pages_note()
    if note is not None:
        print(note)
    print(result.scope.phrase(len(result.problems)))
    return 1 if result.problems else 0


def _print(problems: list[str]) -> None:
    for line in problems:
        print(line)
    print("check: ok" if not problems else Phrase(
        "check: {n} violation", plural="check: {n} violations", n=len(problems)))
