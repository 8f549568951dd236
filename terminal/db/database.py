"""Open the database named by a URL, set it up for safe writes and apply migrations."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
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
PRIVATE_FILE = 0o600  # the database holds personal data and the member-code secret
PRIVATE_DIR = 0o700


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


def private_dir(path: str | os.PathLike[str]) -> Path:
    """``path`` and its missing parents, each folder this creates readable by the user only
    (0700); folders that exist already are left as they are."""
    folder = Path(path)
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            created.mkdir(mode=PRIVATE_DIR)
            os.chmod(created, PRIVATE_DIR)  # whatever the umask
    return Path(path)


def create_private_file(path: str | os.PathLike[str]) -> bool:
    """Create ``path`` empty and 0600 if it does not exist (True if this call made it).

    Made before SQLite first opens it, so no byte of data is ever in a file others may
    read; SQLite gives the ``-wal``, ``-shm`` and ``-journal`` files the mode of the
    database file. Only a file that did not exist is opened here (O_EXCL): the live
    database is never opened outside SQLite (closing a descriptor of it would drop this
    process's POSIX locks).
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, PRIVATE_FILE)  # whatever the umask
    finally:
        os.close(fd)
    return True


class _PrivateSqliteDatabase(peewee.SqliteDatabase):
    """A SQLite file created 0600 (its folder 0700) when the first connection opens it."""

    def _connect(self) -> object:
        if self.database != ":memory:" and not self.database.startswith("file:"):
            # a path SQLite cannot open either: let SQLite say so, as it always did
            with contextlib.suppress(OSError, ValueError):
                private_dir(Path(self.database).parent)
                create_private_file(self.database)
        return super()._connect()


def make_database(url: str, *, timeout: float = BUSY_TIMEOUT_S) -> peewee.Database:
    """A peewee database for ``url`` (not yet connected): sqlite:///PATH or postgresql://..."""
    parsed = urlparse(url)
    path = sqlite_path(url)
    if path is not None:
        if path != ":memory:":
            private_dir(Path(path).parent)
        return _PrivateSqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=timeout,
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


class DuplicateRecord(DomainError, peewee.IntegrityError):
    """A row another process saved at the same moment holds a value that must be unique (a
    receipt number, card number, code or key). Nothing was written; retrying reads afresh.
    Still an IntegrityError, so a caller that replays an idempotency key catches it."""

    code = "duplicate_record"


def _is_busy(exc: Exception) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


def _is_unique_violation(exc: peewee.IntegrityError) -> bool:
    driver = getattr(exc, "orig", None) or exc.__context__  # the driver's own exception
    if getattr(driver, "pgcode", None) == "23505":  # PostgreSQL unique_violation
        return True
    return getattr(driver, "sqlite_errorname", "") in (
        "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")


@contextlib.contextmanager
def write_transaction() -> Iterator[None]:
    """One all-or-nothing write. SQLite takes its write lock at BEGIN (IMMEDIATE), so two
    terminals wait for each other (up to the busy timeout) instead of failing mid-way."""
    try:
        with proxy.atomic():
            yield
    except peewee.OperationalError as exc:
        if isinstance(exc, DatabaseBusy) or not _is_busy(exc):
            raise
        raise DatabaseBusy(
            "the database is busy: another terminal is writing. Nothing was saved; "
            "try again") from exc
    except peewee.IntegrityError as exc:
        if isinstance(exc, DomainError) or not _is_unique_violation(exc):
            raise
        # the database's own text ("UNIQUE constraint failed: ...", "duplicate key value
        # violates ...") names tables and columns, not what the cashier can do
        raise DuplicateRecord(
            "this could not be saved: another terminal or window saved the same record at "
            "the same moment. Nothing was saved; try again") from exc
