"""Open the database named by a URL, set it up for safe writes and apply migrations."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import peewee
from playhouse.db_url import connect as connect_url

from ..loyalty.errors import DomainError

proxy = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",  # readers never block the writer
    "foreign_keys": 1,
    "synchronous": 2,  # FULL: a committed sale survives a power cut, even in WAL mode
    "secure_delete": 1,  # erased personal data does not linger in free pages
    "cache_size": -32_000,  # 32 MB
    "temp_store": 2,
}
BUSY_TIMEOUT_S = 5.0


class DatabaseUrlError(ValueError):
    pass


def sqlite_path(url: str) -> str | None:
    """The file behind a SQLite URL, or None for other databases.

    As in SQLAlchemy and peewee: sqlite:///relative/file, sqlite:////absolute/file.
    """
    parsed = urlparse(url)
    if parsed.scheme != "sqlite":
        return None
    path = unquote(parsed.path)[1:]
    if not path:
        raise DatabaseUrlError(f"no file in the database URL {url!r}")
    return path


def make_database(url: str, *, timeout: float = BUSY_TIMEOUT_S) -> peewee.Database:
    """A peewee database for ``url`` (not yet connected): sqlite:///PATH or postgresql://..."""
    parsed = urlparse(url)
    path = sqlite_path(url)
    if path is not None:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return peewee.SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=timeout,
                                     lock_type="IMMEDIATE")
    if parsed.scheme in ("postgres", "postgresql"):
        normalized = "postgresql" + url[len(parsed.scheme):]
        return connect_url(normalized, autorollback=False,
                           connect_timeout=int(os.environ.get("MT_PG_CONNECT_TIMEOUT", "10")))
    raise DatabaseUrlError(
        f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://USER@HOST/DB")


def is_sqlite(database: peewee.Database | None = None) -> bool:
    target = database or proxy.obj
    return isinstance(target, peewee.SqliteDatabase)


def open_database(url: str, *, migrate: bool = True) -> peewee.Database:
    """Connect the proxy to ``url`` and bring the schema up to date."""
    database = make_database(url)
    proxy.initialize(database)
    database.connect(reuse_if_open=True)
    if migrate:
        from .migrations import migrate as apply_migrations

        apply_migrations(database)
    return database


def close_database() -> None:
    if proxy.obj is not None and not proxy.obj.is_closed():
        proxy.obj.close()


class DatabaseBusy(DomainError, peewee.OperationalError):
    """Another terminal held the database's write lock for longer than the busy timeout.
    Nothing was written; the same request (same idempotency key) can simply be retried."""

    code = "database_busy"


def _is_busy(exc: Exception) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


class _Commits(threading.local):
    depth = 0  # write_transaction blocks open in this thread
    pending: list[Callable[[], None]]

    def __init__(self) -> None:
        self.pending = []


_commits = _Commits()


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the write_transaction around this call has committed (not at
    all if it rolls back). Outside any transaction it runs at once."""
    if _commits.depth == 0 and not proxy.obj.in_transaction():
        callback()
    elif callback not in _commits.pending:
        _commits.pending.append(callback)


@contextlib.contextmanager
def write_transaction() -> Iterator[None]:
    """One all-or-nothing write. SQLite takes its write lock at BEGIN (IMMEDIATE), so two
    terminals wait for each other (up to the busy timeout) instead of failing mid-way."""
    _commits.depth += 1
    committed = False
    try:
        with proxy.atomic():
            yield
        committed = True
    except peewee.OperationalError as exc:
        if isinstance(exc, DatabaseBusy) or not _is_busy(exc):
            raise
        raise DatabaseBusy(
            "the database is busy: another terminal is writing. Nothing was saved; "
            "try again") from exc
    finally:
        _commits.depth -= 1
        if _commits.depth == 0 and not proxy.obj.in_transaction():
            callbacks, _commits.pending = _commits.pending, []
            for callback in callbacks if committed else ():
                callback()
