"""Restoring a backup over the SQLite database (SQLite only; backups are ``backup``'s).

``restore`` refuses a file that is not a SQLite database, is damaged, fails ``check`` or has
a newer schema than this program, and a database that anything still has open; it keeps the
current file as ``<name>.before-restore-<timestamp>`` and swaps the restored file in with
one rename.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..core.i18n import Term
from ..db.database import PRIVATE_FILE
from ..db.migrations import SCHEMA_VERSION
from .backup import (
    THE_BACKUP,
    THE_DATABASE,
    BackupError,
    check_file,
    connect_file,
    copy_database,
    copy_readable,
    database_file,
    failed_check,
    fsync_dir,
    new_private_file,
    open_existing,
    private_folder,
    schema_version,
    unreadable,
)

LOCK_TIMEOUT_S = 0.5


@dataclass(frozen=True)
class RestoreInfo:
    restored: Path  # the database file now in use
    kept: Path | None  # the database it replaced, kept aside (None if there was none)
    schema_version: int


_DAMAGED_TARGET = Term(": nothing was changed. To restore over it, move it (with its -wal "
                       "and -shm files) out of the way first, then restore again",
                       "backup advice")


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[sqlite3.Connection | None]:
    """The database file locked against every other connection, or BackupError if anything
    has it open. (In WAL mode every open connection holds a shared lock on the file, so an
    exclusive locking mode is refused as long as one is open, even an idle one.)"""
    if not path.exists():
        yield None
        return
    conn = connect_file(path, timeout=LOCK_TIMEOUT_S)
    try:
        try:
            conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            conn.execute("COMMIT")  # the exclusive locking mode keeps the lock
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise BackupError(
                    "the database {path} is in use: close the counter (and every other "
                    "program or terminal using this file) and try again", path=path) from None
            raise unreadable(exc, THE_DATABASE, path, _DAMAGED_TARGET) from None
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise unreadable(exc, THE_DATABASE, path, _DAMAGED_TARGET) from None
        yield conn
    finally:
        conn.close()


def restore(src: str | os.PathLike[str], url_or_path: str | os.PathLike[str], *,
            now: Callable[[], datetime] = datetime.now) -> RestoreInfo:
    """Put the backup ``src`` in place of the database, which nothing may have open.

    The current file is kept as ``<name>.before-restore-<timestamp>``; the backup is copied,
    checked, and renamed over the database in one step, so the database file is at every
    moment either the old one or the restored one.
    """
    source = Path(src)
    target = database_file(url_or_path)
    if source.is_file() and target.exists() and source.resolve() == target.resolve():
        raise BackupError("the backup is the database itself")
    advice = Term(": nothing was changed. Restore another backup", "backup advice")
    conn = open_existing(source, THE_BACKUP, read_only=True, advice=advice)
    incoming = target.with_name(target.name + ".restoring")
    kept: Path | None = None
    try:
        private_folder(target.parent, lambda exc: BackupError(
            "the database cannot be restored into {parent}: {reason}: nothing was changed",
            parent=target.parent, reason=exc.strerror or exc))
        new_private_file(incoming, "the restored database")
        with _exclusive(target) as lock:
            copy_readable(conn, incoming, THE_BACKUP, source, advice, lambda exc: BackupError(
                "the restored copy {incoming} could not be written (SQLite says: {exc}): "
                "nothing was changed. Check the space and permissions of {parent}",
                incoming=incoming, exc=exc, parent=incoming.parent))
            try:
                version = schema_version(incoming)
            except (sqlite3.Error, UnicodeDecodeError) as exc:
                raise unreadable(exc, THE_BACKUP, source, advice) from None
            if version > SCHEMA_VERSION:
                raise BackupError(
                    "the backup {name} has schema version {version}, newer than this "
                    "program ({ours}): restore it with the newer program",
                    name=source.name, version=version, ours=SCHEMA_VERSION)
            if version == 0:
                raise BackupError("the backup {name} is not a Member Terminal database",
                                  name=source.name)
            problems = check_file(incoming)
            if problems:
                raise failed_check(f"the backup {source.name}", problems)
            if lock is not None:
                # fold the WAL into the file, so the file kept aside is the whole database
                lock.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                kept = target.with_name(
                    f"{target.name}.before-restore-{now():%Y%m%d-%H%M%S}")
                _keep_aside(lock, target, kept)
            # the last connection's close deletes the (empty) -wal; the rename follows
        wal = Path(os.fspath(target) + "-wal")
        if wal.exists() and wal.stat().st_size:
            raise BackupError("the database {target} was opened again during the restore: "
                              "nothing was changed", target=target)
        for suffix in ("-wal", "-shm"):  # never let a stale WAL be replayed on the new file
            Path(os.fspath(target) + suffix).unlink(missing_ok=True)
        os.replace(incoming, target)
        if kept is not None:  # no longer the database's file: private, like every copy
            os.chmod(kept, PRIVATE_FILE)
        fsync_dir(target.parent)
        _restart_audit_head(target, now())
    finally:
        conn.close()
        with contextlib.suppress(OSError):
            incoming.unlink(missing_ok=True)
    return RestoreInfo(target, kept, version)


def _restart_audit_head(path: Path, moment: datetime) -> None:
    """The restored log ends where the backup did: its head replaces the one kept outside
    the database, which is kept aside (``<id>.head.before-restore-<timestamp>``)."""
    from .audit import GENESIS
    from .audit_files import Head, head_file, write_head_file

    conn = connect_file(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master "
                                             "WHERE type = 'table'")}
        if not {"meta", "audit_entry"} <= tables:
            return
        found = conn.execute("SELECT value FROM meta WHERE key = 'installation_id'").fetchone()
        if found is None:
            return
        last = conn.execute("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"
                            ).fetchone()
        count = conn.execute("SELECT COUNT(*) FROM audit_entry").fetchone()[0]
    finally:
        conn.close()
    installation = str(found[0])
    current = head_file(installation)
    if current.exists():
        os.replace(current, current.with_name(
            f"{current.name}.before-restore-{moment:%Y%m%d-%H%M%S}"))
    write_head_file(Head(int(last[0]), str(last[1]), int(count)) if last
                    else Head(0, GENESIS, 0), installation)


def _keep_aside(lock: sqlite3.Connection, target: Path, kept: Path) -> None:
    """``kept`` names the current file too (a hard link, so the database never has no
    file); where links are not possible, a copy through
    SQLite's backup API on the connection that holds the lock (copying the file by hand
    would open and close it, dropping that lock)."""
    try:
        os.link(target, kept)
    except OSError:
        copy_database(lock, kept)
