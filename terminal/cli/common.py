"""What the commands share: the --config and --db options, one call's settings, the database."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core import config

if TYPE_CHECKING:
    from ..services.context import Context


def options(default: object = None) -> argparse.ArgumentParser:
    """--config and --db, accepted before the command and after it."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=default,
                        help=f"settings file (default: ${config.CONFIG_ENV} or the user "
                             "config dir)")
    common.add_argument("--db", metavar="URL", default=default,
                        help="database URL: sqlite:///PATH or postgresql://USER@HOST/DB")
    return common


@dataclass(frozen=True)
class Invocation:
    """One run of a command: its arguments, the settings read, the database URL to use."""

    args: argparse.Namespace
    settings: config.Settings
    url: str
    warning: str | None  # device settings that fell back to their defaults, for the window


def counted(n: int, one: str, many: str) -> str:
    """``n`` things in the command's English: "1 error", "2 errors", "1,200 rows"."""
    return f"{n:,} {one if n == 1 else many}"


def fail(message: object, code: int = 1) -> int:
    print(f"member-terminal: {message}", file=sys.stderr)
    return code


def open_context(settings: config.Settings, url: str, *, create: bool = True) -> Context:
    from ..db.database import open_database
    from ..services.context import Context

    open_database(url, create=create)
    ctx = Context(settings, staff_id="cli")
    adopt_programme(ctx)
    return ctx


def adopt_programme(ctx: Context) -> None:
    """The settings file's rules into a database that has none; a warning if the file
    still has them later (services.programme.adopt)."""
    from ..services import programme

    warning = programme.adopt(ctx)
    if warning:
        print(f"member-terminal: {warning}", file=sys.stderr)


def bad_database(exc: Exception) -> int:
    return fail(exc, int(getattr(exc, "status", 2)))


def with_context(inv: Invocation, run: Callable[[Context], int], *,
                 create: bool = False) -> int:
    """Open the database and run; only the commands that write data may make a new SQLite
    file (``create``): ``check`` on a wrong path must say so, not find an empty database
    fine."""
    from ..db.database import DatabaseUrlError

    try:
        ctx = open_context(inv.settings, inv.url, create=create)
    except DatabaseUrlError as exc:
        return bad_database(exc)
    return run(ctx)
