"""Open the database named by a URL, set it up for safe writes and apply migrations."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import peewee
from playhouse.db_url import connect as connect_url

from ..core.errors import DomainError

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


class DatabaseUrlError(DomainError, ValueError):
    """The database URL is malformed, or names a database that cannot be opened. The
    message is a sentence for the user (the window shows it as it is); ``status`` the
    command's exit status."""

    code = "database_url"
    status = 2


class DatabaseOpenError(DatabaseUrlError):
    """The URL is well formed but the database cannot be opened (no server, not a
    database file, unknown database or role...). The driver's error is the ``__cause__``."""


class DatabaseMissing(DatabaseOpenError):
    """The SQLite file does not exist and the command must not create it."""

    status = 1


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    parsed = urlparse(url)
    if parsed.password:
        return parsed._replace(netloc=parsed.netloc.replace(f":{parsed.password}@", ":***@")
                               ).geturl()
    return url


def sqlite_path(url: str) -> str | None:
    """The file behind a SQLite URL, or None for other databases.

    As in SQLAlchemy and peewee: sqlite:///relative/file, sqlite:////absolute/file.
    """
    parsed = urlparse(url)
    if parsed.scheme != "sqlite":
        return None
    path = unquote(parsed.path)[1:]
    if not path:
        raise DatabaseUrlError("no file in the database URL {url!r}: use sqlite:///PATH", url=url)
    if "\0" in path:
        raise DatabaseUrlError("the database URL {url!r} has a NUL character (%00) in its "
                               "file name: no file can have that name", url=url)
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
        return _PrivateSqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=timeout,
                                      lock_type="IMMEDIATE")
    if parsed.scheme in ("postgres", "postgresql"):
        try:
            parsed.port  # noqa: B018 - urllib checks the port only when asked
        except ValueError:
            port = parsed.netloc.rpartition(":")[2]
            raise DatabaseUrlError(
                "the port {port!r} in the database URL {url!r} is not a port number from 1 to "
                "65535", port=port, url=shown_url(url)) from None
        normalized = "postgresql" + url[len(parsed.scheme):]
        return connect_url(normalized, autorollback=False,
                           connect_timeout=int(os.environ.get("MT_PG_CONNECT_TIMEOUT", "10")))
    raise DatabaseUrlError(
        "unsupported database URL {url!r}: use sqlite:///PATH or postgresql://USER@HOST/DB",
        url=url)


def is_sqlite(database: peewee.Database | None = None) -> bool:
    target = database or proxy.obj
    return isinstance(target, peewee.SqliteDatabase)


def open_database(url: str, *, migrate: bool = True, create: bool = True) -> peewee.Database:
    """Connect the proxy to ``url`` and bring the schema up to date.

    ``create``: a SQLite file that does not exist is made (with its folder), as a shop's
    first start does; otherwise DatabaseMissing. Any database that cannot be opened raises
    DatabaseOpenError with a sentence saying why.
    """
    path = sqlite_path(url)
    if path is not None and path != ":memory:":
        _prepare_sqlite_file(url, Path(path), create)
    database = make_database(url)
    proxy.initialize(database)
    try:
        database.connect(reuse_if_open=True)
        if migrate:
            from .migrations import migrate as apply_migrations

            apply_migrations(database)
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        if not database.is_closed():
            database.close()
        raise _why_not_open(url, path, exc) from exc
    return database


def _prepare_sqlite_file(url: str, path: Path, create: bool) -> None:
    # os.stat only: the live file is never opened outside SQLite (closing any descriptor of
    # it would drop this process's POSIX locks)
    try:
        info: os.stat_result | None = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise DatabaseOpenError("the database file {path} cannot be reached ({reason})", path=path,
                                reason=exc.strerror or exc) from exc
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise DatabaseOpenError("the database {path} is a folder, not a database file: name "
                                "a file in --db or [database] url", path=path)
    if info is not None and info.st_size > 0:
        return
    if not create:
        if info is not None:
            raise DatabaseMissing(
                "the database file {path} is empty: check --db or [database] url (the counter "
                "or `member-terminal demo` creates a new database)", path=path)
        raise DatabaseMissing(
            "the database file {path} does not exist: check --db or [database] url (the "
            "counter or `member-terminal demo` creates a new database)", path=path)
    try:
        private_dir(path.parent)
    except OSError as exc:
        raise DatabaseOpenError("the folder for the database {path} cannot be created "
                                "({reason})", path=path, reason=exc.strerror or exc) from exc


def _why_not_open(url: str, path: str | None, exc: Exception) -> DatabaseOpenError:
    """A sentence for the driver's error (kept as the cause, for the log)."""
    text = str(exc)
    low = text.lower()
    if path is not None:
        if "not a database" in low or "malformed" in low:
            return DatabaseOpenError("{path} is not a Member Terminal database, or it is "
                                     "damaged: check --db or [database] url, or restore a "
                                     "backup (member-terminal restore)", path=path)
        if _is_busy(exc):
            return DatabaseOpenError("the database {path} is busy: another program holds "
                                     "its write lock; try again in a moment", path=path)
        if "unable to open" in low or "readonly" in low or "read-only" in low:
            return DatabaseOpenError("the database file {path} cannot be opened for "
                                     "writing: check that its folder exists and that this "
                                     "user may read and write both", path=path)
        return DatabaseOpenError("the database {path} cannot be used ({kind}): check "
                                 "--db or [database] url, or restore a backup "
                                 "(member-terminal restore)", path=path,
                                 kind=type(exc).__name__)
    parsed = urlparse(url)
    where = f"{parsed.hostname or 'this computer'}"
    where += f" port {parsed.port}" if parsed.port else ""
    if missing := re.search(r'database "([^"]*)" does not exist', text):
        return DatabaseOpenError("the PostgreSQL server at {where} has no database "
                                 "{missing!r}: create it (createdb {missing}) or correct "
                                 "the database URL", where=where, missing=missing[1])
    if missing := re.search(r'role "([^"]*)" does not exist', text):
        return DatabaseOpenError("the PostgreSQL server at {where} has no user (role) "
                                 "{missing!r}: create it or correct the user in the "
                                 "database URL", where=where, missing=missing[1])
    if "password authentication failed" in low or "no password supplied" in low:
        return DatabaseOpenError("the PostgreSQL server at {where} refused the user name or "
                                 "password", where=where)
    if "could not translate host name" in low:
        return DatabaseOpenError("the database host {hostname!r} is not known: check the "
                                 "host name in the database URL and the network",
                                 hostname=parsed.hostname)
    if "connection refused" in low:
        return DatabaseOpenError("nothing answers at {where}: is the PostgreSQL server "
                                 "running, and are the host and port in the database URL "
                                 "right?", where=where)
    if "timeout expired" in low or "timed out" in low:
        return DatabaseOpenError("the database server at {where} did not answer in time",
                                 where=where)
    if "no such file or directory" in low and "socket" in low:
        return DatabaseOpenError("no PostgreSQL server listens on this computer's local "
                                 "socket: is it running, or should the database URL name a "
                                 "host?")
    return DatabaseOpenError("the database {url} cannot be opened ({kind}): check the "
                             "database URL and that the server is running", url=shown_url(url),
                             kind=type(exc).__name__)


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
    except peewee.IntegrityError as exc:
        if isinstance(exc, DomainError) or not _is_unique_violation(exc):
            raise
        # the database's own text ("UNIQUE constraint failed: ...", "duplicate key value
        # violates ...") names tables and columns, not what the cashier can do
        raise DuplicateRecord(
            "this could not be saved: another terminal or window saved the same record at "
            "the same moment. Nothing was saved; try again") from exc
    finally:
        _commits.depth -= 1
        if _commits.depth == 0 and not proxy.obj.in_transaction():
            callbacks, _commits.pending = _commits.pending, []
            for callback in callbacks if committed else ():
                callback()
