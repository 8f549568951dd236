"""The database as a window opens it: once at start, one connection per worker thread."""

from __future__ import annotations

from ..db import models as m
from ..db.database import close_database, is_sqlite, open_database, proxy

__all__ = ["close_thread", "connect_thread", "is_sqlite", "open_counter"]


def open_counter(url: str) -> int:
    """Open (and migrate) the database at ``url``; how many members it has."""
    open_database(url)
    return int(m.Member.select().where(m.Member.live()).count())


def connect_thread() -> None:
    """This thread's own connection (a second worker, e.g. the manager's reports)."""
    proxy.connect(reuse_if_open=True)


def close_thread() -> None:
    """Close this thread's connection, if it has one open."""
    close_database()
