"""Backups of the SQLite database, checked, by hand and daily (SQLite only); restoring one
is ``restore``.

A chain on PostgreSQL backs up its server with pg_dump / pg_basebackup; every function here
refuses a PostgreSQL URL with a message saying so.

* ``backup`` copies with SQLite's online backup API in one step: one read transaction, so
  the copy is a consistent snapshot even while the counter keeps selling (in WAL mode
  readers never block the writer). The copy is a single self-contained file (rollback
  journal mode, no ``-wal``), checked with ``PRAGMA integrity_check`` and the program's own
  ``check`` before it gets its final name.
* ``check`` runs in a child process: it works through the global database proxy, which the
  counter in this process may be using at this very moment.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import peewee

from ..core.errors import DomainError
from ..core.i18n import Term
from ..db.database import (
    DatabaseUrlError,
    create_private_file,
    private_dir,
    proxy,
    sqlite_path,
)
from ..db.migrations import SCHEMA_VERSION
from .context import Context

SHOWN_PROBLEMS = 5


# what a message names: words of the catalogue, not fragments of English in it
THE_DATABASE = Term("the database", "file")
THE_BACKUP = Term("the backup", "file")


class BackupError(DomainError):
    """A backup or restore that was refused or failed; nothing was changed."""

    code = "backup"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    bytes: int
    schema_version: int
    seconds: float


@dataclass
class AutoBackup:
    made: BackupInfo | None  # None: today's backup already existed
    deleted: list[Path] = field(default_factory=list)


def database_file(url_or_path: str | os.PathLike[str]) -> Path:
    """The SQLite file a URL (``sqlite:///…``) or a plain path names."""
    text = os.fspath(url_or_path)
    if "://" not in text:
        return Path(text)
    try:
        path = sqlite_path(text)
    except DatabaseUrlError as exc:
        raise BackupError.like(exc) from None
    if path is None:
        raise BackupError("backup and restore are for the SQLite database only: back up a "
                          "PostgreSQL server with pg_dump or pg_basebackup")
    if path == ":memory:":
        raise BackupError("an in-memory database has no file to back up")
    return Path(path)


# SQLite's primary result codes (https://sqlite.org/rescode.html)
_CORRUPT, _NOTADB, _BUSY, _LOCKED, _CANTOPEN = 11, 26, 5, 6, 14


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _damaged(exc: BaseException) -> bool:
    """SQLite found the file's pages or schema malformed. (A damaged name in the schema
    makes even the error message undecodable: Python's sqlite3 then raises
    UnicodeDecodeError instead of the DatabaseError.)"""
    return (isinstance(exc, UnicodeDecodeError) or _code(exc) == _CORRUPT
            or "malformed" in str(exc))


def unreadable(exc: BaseException, what: str, path: Path, advice: str) -> BackupError:
    """A sentence for an error SQLite gave reading ``path``."""
    if _code(exc) == _NOTADB:
        return BackupError("{what} {path} is not a SQLite database{advice}", what=what, path=path,
                           advice=advice)
    if _damaged(exc):
        return BackupError("{what} {path} is damaged (SQLite cannot read it){advice}", what=what,
                           path=path, advice=advice)
    if _code(exc) in (_BUSY, _LOCKED):
        return BackupError("{what} {path} is locked by another program: try again in a moment",
                           what=what, path=path)
    if _code(exc) == _CANTOPEN:
        return BackupError("{what} {path} cannot be opened: check that you may read it and "
                           "its folder", what=what, path=path)
    return BackupError("{what} {path} cannot be read (SQLite says: {exc}){advice}", what=what,
                       path=path, exc=exc, advice=advice)


def open_existing(path: Path, what: str, *, read_only: bool = False,
                   advice: str = "") -> sqlite3.Connection:
    """A connection to the SQLite file ``path``, which must exist (it is not created), its
    header and schema read by SQLite itself. Never ``open()`` a database file here: closing
    any descriptor of a file drops every POSIX lock this process holds on it (SQLite: "How
    To Corrupt An SQLite Database File", 2.2), and another program closing the database
    next would then delete the -wal under the counter."""
    if path.is_dir():
        raise BackupError("{what} {path} is a folder, not a SQLite database file", what=what,
                          path=path)
    if not path.is_file():
        raise BackupError("{what} {path} does not exist", what=what, path=path)
    mode = "ro" if read_only else "rw"  # never create it
    uri = f"file:{urllib.parse.quote(os.fspath(path.absolute()))}?mode={mode}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5.0, isolation_level=None)
    except sqlite3.Error as exc:
        raise unreadable(exc, what, path, advice) from None
    try:
        if not conn.execute("PRAGMA page_count").fetchone()[0]:  # reads the header
            raise BackupError("{what} {path} is empty: it is not a SQLite database", what=what,
                              path=path)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # parses the schema
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.Error | UnicodeDecodeError):
            raise unreadable(exc, what, path, advice) from None
        raise
    return conn


def connect_file(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    return sqlite3.connect(os.fspath(path), timeout=timeout, isolation_level=None)


def new_private_file(path: Path, what: str) -> None:
    """``path`` created empty, 0600, replacing a leftover; BackupError naming it if the
    folder cannot take it."""
    try:
        path.unlink(missing_ok=True)
        create_private_file(path)
    except OSError as exc:
        raise BackupError("{what} cannot be written to {parent}: {reason}. Choose a folder "
                          "you may write to", what=what, parent=path.parent,
                          reason=exc.strerror or exc) from None


def copy_database(source: sqlite3.Connection, dest: Path) -> None:
    """The whole of ``source`` into a new single file ``dest`` (0600, replaced if it
    exists). sqlite3.Error from writing ``dest``; the source was read by open_existing."""
    dest.unlink(missing_ok=True)
    create_private_file(dest)
    target = connect_file(dest)
    try:
        source.backup(target)  # pages=-1: one step, one consistent snapshot
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
    finally:
        target.close()


def copy_readable(source: sqlite3.Connection, dest: Path, what: str, path: Path, advice: str,
                   unwritten: Callable[[BaseException], BackupError]) -> None:
    """``copy_database``, SQLite's error worded: the source ``what`` at ``path`` unreadable after
    all (damaged pages are found only while copying them), or ``unwritten`` for ``dest``."""
    try:
        copy_database(source, dest)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        if _damaged(exc) or _code(exc) == _NOTADB:
            raise unreadable(exc, what, path, advice) from None
        raise unwritten(exc) from None
    finally:
        source.close()


def private_folder(folder: Path, refused: Callable[[OSError], BackupError]) -> None:
    """``folder`` made (private) if it is missing; ``refused`` if it cannot be."""
    try:
        private_dir(folder)
    except OSError as exc:
        raise refused(exc) from None


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a directory
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def schema_version(path: Path) -> int:
    """The schema version recorded in a SQLite file (0 if it has none)."""
    conn = connect_file(path)
    try:
        has = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                           "name = 'schema_migration'").fetchone()
        if not has:
            return 0
        return int(conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migration"
                                ).fetchone()[0])
    finally:
        conn.close()


def check_file(path: str | os.PathLike[str]) -> list[str]:
    """The program's ``check`` (which starts with ``PRAGMA integrity_check``) on a SQLite
    file that nothing else uses; the violations found (empty: all is well). A file of an
    older schema is checked on a migrated scratch copy."""
    target = Path(path)
    # the child imports this package from where this process has it, whatever its cwd
    root = os.fspath(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    # a function called in the child, not a command: the program's commands are terminal.cli's
    proc = subprocess.run(
        [sys.executable, "-c", f"import {__package__}.backup as b; b.child_check()",
         os.fspath(target)],
        capture_output=True, text=True, check=False, env=env)
    try:
        return [str(p) for p in json.loads(proc.stdout)]
    except ValueError:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return [f"the check could not run: {last}"]


def _check_here(path: Path) -> list[str]:
    """What ``check_file`` runs in its child process."""
    try:
        return _check_database_file(path)
    except UnicodeDecodeError:  # a damaged name in the schema: see _damaged
        return ["not a readable SQLite database: its schema is damaged"]
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        return [f"not a readable SQLite database: {exc}"]


def _check_database_file(path: Path) -> list[str]:
    from ..db.migrations import migrate
    from .integrity import check  # PRAGMA integrity_check and foreign_key_check first

    version = schema_version(path)
    if version > SCHEMA_VERSION:
        return [f"schema version {version} is newer than this program ({SCHEMA_VERSION})"]
    with tempfile.TemporaryDirectory() as scratch:
        if version < SCHEMA_VERSION:  # the checks expect the current schema
            source = connect_file(path)
            try:
                copy = Path(scratch) / "scratch.sqlite"
                copy_database(source, copy)
            finally:
                source.close()
            path = copy
        database = peewee.SqliteDatabase(os.fspath(path))
        proxy.initialize(database)
        database.connect()
        try:
            if version < SCHEMA_VERSION:
                migrate(database, before_migrating=None)
            # a copy may be older than the audit head kept outside the database: restoring
            # one is a deliberate cut, which restore.restore() records by moving the head file aside
            return check(with_head_file=False)
        finally:
            database.close()


def failed_check(what: str, problems: list[str]) -> BackupError:
    shown = "; ".join(problems[:SHOWN_PROBLEMS])
    more = f" (and {len(problems) - SHOWN_PROBLEMS} more)" if len(problems) > SHOWN_PROBLEMS \
        else ""
    return BackupError("{what} fails its check: {shown}{more}", problems=problems, what=what,
                       shown=shown, more=more)


def backup(url_or_path: str | os.PathLike[str], dest: str | os.PathLike[str]) -> BackupInfo:
    """A checked copy of the SQLite database at ``dest`` (a file, or a folder to put
    ``<name>-<date>-<time>.sqlite`` in), made while the counter may keep working."""
    started = time.perf_counter()
    source_path = database_file(url_or_path)
    target = Path(dest)
    if target.is_dir():
        target = target / f"{source_path.stem}-{datetime.now():%Y%m%d-%H%M%S}.sqlite"
    if source_path.is_file() and target.resolve() == source_path.resolve():
        raise BackupError("a backup cannot overwrite the database it copies")
    damaged = Term(": nothing was copied. Run check on it, and restore the last good backup "
                   "if it fails", "backup advice")
    source = open_existing(source_path, THE_DATABASE, advice=damaged)
    partial = target.with_name(target.name + ".partial")
    try:
        private_folder(target.parent, lambda exc: BackupError(
            "the backup cannot be written to {parent}: {reason}. Choose a folder you may "
            "write to", parent=target.parent, reason=exc.strerror or exc))
        new_private_file(partial, THE_BACKUP)
        copy_readable(source, partial, THE_DATABASE, source_path, damaged, lambda exc: BackupError(
            "the backup {target} could not be written (SQLite says: {exc}). Check the space "
            "and permissions of {parent}", target=target, exc=exc, parent=target.parent))
        problems = check_file(partial)
        if problems:
            raise failed_check(f"the copy of {source_path.name}", problems)
        version = schema_version(partial)
        try:
            os.replace(partial, target)
        except OSError as exc:
            raise BackupError("the backup cannot be written as {target}: {reason}", target=target,
                              reason=exc.strerror or exc) from None
        fsync_dir(target.parent)
    finally:
        source.close()
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return BackupInfo(target, target.stat().st_size, version, time.perf_counter() - started)


def _backup_name(stem: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(stem)}-(\d{{4}}-\d{{2}}-\d{{2}})\.sqlite")


@dataclass(frozen=True)
class HeldCopy:
    """A copy of the database on disk (its data as it was when it was made)."""

    path: Path
    deleted_on: date | None  # the automatic backups' retention deletes it from this day;
    #                         None: kept until someone deletes it


def copies_of(database: str | os.PathLike[str], folder: str | os.PathLike[str],
              keep_days: int) -> list[HeldCopy]:
    """Every copy of ``database`` this program made that exists now, oldest first: the
    automatic backups in ``folder`` (deleted ``keep_days`` days after their date), backups
    made into that folder by hand, and the copies kept beside the database before a
    migration or a restore. Found by name, without opening any of them."""
    source = Path(database)
    dated = _backup_name(source.stem)
    by_hand = re.compile(rf"{re.escape(source.stem)}-\d{{8}}-\d{{6}}\.sqlite")
    beside = re.compile(rf"{re.escape(source.name)}\.(pre-migration-v\d+\.sqlite"
                        r"|before-restore-\d{8}-\d{6})")
    found: list[HeldCopy] = []
    candidates = [(entry, False) for entry in _entries(Path(folder))]
    candidates += [(entry, True) for entry in _entries(source.parent)]
    seen: set[Path] = set()
    for entry, next_to_database in candidates:
        if entry in seen or not entry.is_file():
            continue
        seen.add(entry)
        match = dated.fullmatch(entry.name)
        if match and not next_to_database:
            try:
                day = date.fromisoformat(match.group(1))
            except ValueError:
                continue
            found.append(HeldCopy(entry, day + timedelta(days=keep_days + 1)))
        elif (by_hand.fullmatch(entry.name) and not next_to_database) or (
                next_to_database and beside.fullmatch(entry.name)):
            found.append(HeldCopy(entry, None))
    return sorted(found, key=lambda c: (c.path.stat().st_mtime, c.path.name))


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:  # no such folder (yet), or not ours to read
        return []


def auto_backup(ctx: Context, folder: str | os.PathLike[str], keep_days: int) -> AutoBackup:
    """Today's backup of the open SQLite database into ``folder`` as
    ``<name>-YYYY-MM-DD.sqlite`` unless it exists already; then deletes this database's
    dated backups older than ``keep_days`` days (other files in the folder are left alone).
    Safe to call at every start and every hour."""
    if isinstance(keep_days, bool) or not isinstance(keep_days, int) or keep_days < 1:
        raise BackupError("keep_days must be a whole number of days, at least 1")
    database = proxy.obj
    if database is None:
        raise BackupError("no database is open")
    filename = getattr(database, "database", None)
    if not isinstance(database, peewee.SqliteDatabase) or not filename:
        raise BackupError("automatic backups are for the SQLite database only: back up a "
                          "PostgreSQL server with pg_dump or pg_basebackup")
    source = database_file(filename)
    target_dir = private_dir(folder)
    today = ctx.today()
    todays = target_dir / f"{source.stem}-{today.isoformat()}.sqlite"
    made = None if todays.exists() else backup(source, todays)
    result = AutoBackup(made)
    pattern = _backup_name(source.stem)
    oldest = today - timedelta(days=keep_days)
    for entry in sorted(target_dir.iterdir()):
        match = pattern.fullmatch(entry.name)
        if not match or not entry.is_file():
            continue
        try:
            day = date.fromisoformat(match.group(1))
        except ValueError:
            continue
        if day < oldest:
            entry.unlink()
            result.deleted.append(entry)
    return result


def child_check() -> None:
    """What ``check_file``'s child runs: the problems of the file named by its one argument,
    as JSON on stdout (ASCII: whatever the locale of the child)."""
    print(json.dumps(_check_here(Path(sys.argv[1]))))
