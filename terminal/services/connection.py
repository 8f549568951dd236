"""The database as a window opens it: once at start, one connection per worker thread."""

from __future__ import annotations

import logging

from ..db import models as m
from ..db.database import (
    DatabaseBusy,
    close_database,
    is_sqlite,
    open_database,
    proxy,
)
from . import programme
from .context import Context

__all__ = ["close_thread", "connect_thread", "is_sqlite", "open_counter"]


def open_counter(url: str, ctx: Context | None = None) -> int:
    """Open (and migrate) the database at ``url``, move the settings file's rules into it
    if it has none (``programme.adopt``); how many members it has."""
    open_database(url)
    if ctx is not None:
        warning: str | None
        try:
            warning = programme.adopt(ctx)
        except DatabaseBusy:  # another terminal writes: the counter opens all the same
            warning = ("the programme's rules stay in the settings file until the next "
                       "start: the database was busy")
        if warning:
            logging.getLogger(__name__).warning("%s", warning)
    return int(m.Member.select().where(m.Member.live()).count())


def connect_thread() -> None:
    """This thread's own connection (a second worker, e.g. the manager's reports)."""
    proxy.connect(reuse_if_open=True)


def close_thread() -> None:
    """Close this thread's connection, if it has one open."""
    close_database()
