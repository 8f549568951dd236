"""Backups, the daily automatic backup and the copy made before a schema migration (the
restores are test_restore.py).

SQLite only: these tests skip on a PostgreSQL run (a chain backs up its server with
pg_dump), except the ones proving a PostgreSQL URL is refused with a clear message.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from terminal.db import migrations
from terminal.db import models as m
from terminal.db.database import close_database, make_database, open_database, proxy
from terminal.services import backup, integrity, restore
from terminal.services.backup import BackupError
from terminal.services.context import Context
from tests.conftest import PG_URL
from tests.helpers import factory
from tests.services.conftest import make_db, member_names, mode, sqlite_only


def test_postgresql_is_refused_clearly(tmp_path) -> None:
    url = "postgresql://shop@db.example/terminal"
    for call in (lambda: backup.backup(url, tmp_path / "b.sqlite"),
                 lambda: restore.restore(tmp_path / "b.sqlite", url)):
        with pytest.raises(BackupError, match="SQLite database only: back up a PostgreSQL"):
            call()


@pytest.mark.skipif(not PG_URL, reason="needs a PostgreSQL database (TEST_DATABASE_URL)")
def test_auto_backup_refuses_postgresql(ctx, tmp_path) -> None:
    with pytest.raises(BackupError, match="SQLite database only"):
        backup.auto_backup(ctx, tmp_path / "backups", 14)


@sqlite_only
def test_backup_while_the_counter_sells(ctx, catalogue, db_url, tmp_path) -> None:
    mb = factory.member(ctx)
    factory.top_up(ctx, mb.id, 400_000)
    stop = threading.Event()
    sold: list[int] = []
    failed: list[BaseException] = []

    def counter() -> None:
        try:
            while not stop.is_set() or len(sold) < 40:
                factory.sale(ctx, [("LATTE", 1), ("CAKE", 1)], member_id=mb.id)
                sold.append(1)
        except BaseException as exc:  # pragma: no cover - reported below
            failed.append(exc)
        finally:
            proxy.obj.close()  # this thread's connection

    writer = threading.Thread(target=counter)
    writer.start()
    try:
        while len(sold) < 20 and writer.is_alive():
            threading.Event().wait(0.01)
        before = len(sold)
        info = backup.backup(db_url, tmp_path / "copy.sqlite")
        during = len(sold)
    finally:
        stop.set()
        writer.join()
    assert not failed, failed
    assert during > before  # the counter kept selling while the copy was made
    assert info.path == tmp_path / "copy.sqlite" and info.bytes > 0
    assert info.schema_version == migrations.SCHEMA_VERSION
    assert backup.check_file(info.path) == []
    assert not Path(str(info.path) + "-wal").exists()  # one self-contained file
    conn = sqlite3.connect(info.path)
    copied = conn.execute("SELECT COUNT(*) FROM txn WHERE kind = 'sale'").fetchone()[0]
    conn.close()
    assert before <= copied <= len(sold)
    assert integrity.check() == []


@sqlite_only
def test_backup_into_a_folder_and_refusals(tmp_path, clock, released) -> None:
    db = make_db(tmp_path / "shop.sqlite", clock)
    folder = tmp_path / "backups"
    folder.mkdir()
    info = backup.backup(db, folder)
    assert info.path.parent == folder and info.path.name.startswith("shop-")
    assert member_names(info.path) == ["Alice"]
    with pytest.raises(BackupError, match="cannot overwrite the database"):
        backup.backup(db, db)
    with pytest.raises(BackupError, match="does not exist"):
        backup.backup(tmp_path / "none.sqlite", folder)
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(BackupError, match="not a SQLite database"):
        backup.backup(tmp_path / "notes.txt", folder)
    assert sorted(p.name for p in folder.iterdir()) == [info.path.name]


@sqlite_only
def test_auto_backup_once_a_day_with_retention(ctx, clock, tmp_path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "keep-me.txt").write_text("not a backup")
    (folder / "other-2020-01-01.sqlite").write_text("another database's backup")
    made = []
    for _ in range(6):
        result = backup.auto_backup(ctx, folder, keep_days=3)
        again = backup.auto_backup(ctx, folder, keep_days=3)
        assert result.made is not None and again.made is None  # once a day
        made.append(result.made.path.name)
        clock.advance(days=1)
    assert made[0] == "test-2026-03-10.sqlite"
    # on the 15th: the 11th is 4 days old, kept for 3 days: gone
    assert sorted(p.name for p in folder.iterdir()) == [
        "keep-me.txt", "other-2020-01-01.sqlite", "test-2026-03-12.sqlite",
        "test-2026-03-13.sqlite", "test-2026-03-14.sqlite", "test-2026-03-15.sqlite"]
    assert backup.check_file(folder / "test-2026-03-15.sqlite") == []
    with pytest.raises(BackupError, match="at least 1"):
        backup.auto_backup(ctx, folder, keep_days=0)


@sqlite_only
def test_a_copy_is_made_before_a_schema_migration(tmp_path, clock, released) -> None:
    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    # a database made by an older program: only the first two migrations
    database = make_database(url)
    proxy.initialize(database)
    database.connect()
    assert migrations.migrate(database, migrations=migrations.MIGRATIONS[:2]) == 2
    assert not list(tmp_path.glob("*.pre-migration-*"))  # a new database: nothing to keep
    m.Product.create(sku="OLD", name="from the old version", price=100)
    close_database()

    open_database(url)  # this program: migrates the rest
    copy = tmp_path / "old.sqlite.pre-migration-v2.sqlite"
    assert copy == migrations.pre_migration_path(path, 2)
    assert backup.schema_version(copy) == 2
    assert backup.schema_version(path) == migrations.SCHEMA_VERSION
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT name FROM product").fetchall() == [("from the old version",)]
    conn.close()
    assert backup.check_file(copy) == []  # checked on a migrated scratch copy
    assert backup.schema_version(copy) == 2  # which left the copy as it was
    close_database()

    open_database(url)  # up to date: no second copy
    close_database()
    assert [p.name for p in tmp_path.glob("*.pre-migration-*")] == [copy.name]
    # and the old copy can be restored (the program migrates it again when it opens it)
    assert restore.restore(copy, path).schema_version == 2


@sqlite_only
def test_the_migration_hook_can_be_turned_off(tmp_path, released) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    database = make_database(url)
    proxy.initialize(database)
    database.connect()
    migrations.migrate(database, migrations=migrations.MIGRATIONS[:1])
    calls = []
    migrations.migrate(database, before_migrating=lambda db, v, t: calls.append((v, t)))
    assert calls == [(1, migrations.SCHEMA_VERSION)]
    assert not list(tmp_path.glob("*.pre-migration-*"))



def _open_and_close_elsewhere(path: Path) -> None:
    """What a ``report`` command or the ``sqlite3`` tool does beside the counter."""
    script = ("import sqlite3, sys\n"
              "conn = sqlite3.connect(sys.argv[1])\n"
              "conn.execute('SELECT COUNT(*) FROM member').fetchone()\n"
              "conn.close()\n")
    subprocess.run([sys.executable, "-c", script, os.fspath(path)], check=True, timeout=60)


def _names_elsewhere(path: Path) -> list[str]:
    script = ("import json, sqlite3, sys\n"
              "conn = sqlite3.connect(sys.argv[1])\n"
              "print(json.dumps(sorted(r[0] for r in conn.execute('SELECT name FROM member'))))\n"
              "conn.close()\n")
    out = subprocess.run([sys.executable, "-c", script, os.fspath(path)], check=True,
                         capture_output=True, text=True, timeout=60).stdout
    return list(json.loads(out))


@sqlite_only
def test_the_counter_keeps_its_locks_after_a_backup(ctx, db_url, tmp_path) -> None:
    """Issue 11, item 2: closing any descriptor of the live file drops every POSIX lock this
    process holds on it; another process's close then deletes the -wal under the counter."""
    live = Path(backup.database_file(db_url))
    wal = Path(os.fspath(live) + "-wal")
    factory.member(ctx, "Alice")
    assert m.Member.select().count() == 1  # the counter's connection is open (WAL mode)
    assert wal.exists()
    backup.backup(db_url, tmp_path / "copy.sqlite")
    _open_and_close_elsewhere(live)
    assert wal.exists(), "another process's close deleted the -wal under the counter"
    factory.member(ctx, "Bob")  # the next sale after the backup
    assert sorted(mb.name for mb in m.Member.select()) == ["Alice", "Bob"]
    close_database()
    assert _names_elsewhere(live) == ["Alice", "Bob"]  # it survived


@sqlite_only
def test_the_counter_keeps_its_locks_after_a_backup_during_a_read(ctx, db_url,
                                                                  tmp_path) -> None:
    live = Path(backup.database_file(db_url))
    factory.member(ctx, "Alice")
    with proxy.obj.atomic(lock_type="DEFERRED"):  # a read transaction open during the backup
        assert m.Member.select().count() == 1
        backup.backup(db_url, tmp_path / "copy.sqlite")
    _open_and_close_elsewhere(live)
    assert Path(os.fspath(live) + "-wal").exists()
    factory.member(ctx, "Bob")
    close_database()
    assert _names_elsewhere(live) == ["Alice", "Bob"]


@sqlite_only
def test_the_database_its_copies_and_folders_are_private(tmp_path, clock, released,
                                                         usual_umask) -> None:
    """Issue 11, item 9: the member-code secret is in the database and every copy of it."""
    data = tmp_path / "data" / "shop"
    live = data / "shop.sqlite"
    open_database(f"sqlite:///{live}")
    ctx = Context(staff_id="t", clock=clock)
    factory.member(ctx, "Alice")
    assert mode(tmp_path / "data") == mode(data) == 0o700
    assert [mode(Path(f"{live}{s}")) for s in ("", "-wal", "-shm")] == [0o600] * 3

    made = backup.backup(live, tmp_path / "usb" / "2026" / "copy.sqlite")
    assert mode(tmp_path / "usb") == mode(tmp_path / "usb" / "2026") == 0o700
    assert mode(made.path) == 0o600
    auto = backup.auto_backup(ctx, tmp_path / "backups", 14).made
    assert auto is not None and mode(auto.path) == 0o600 and mode(tmp_path / "backups") == 0o700
    close_database()

    old = tmp_path / "old.sqlite"  # made by an older program, then migrated by this one
    database = make_database(f"sqlite:///{old}")
    proxy.initialize(database)
    database.connect()
    migrations.migrate(database, migrations=migrations.MIGRATIONS[:2])
    close_database()
    open_database(f"sqlite:///{old}")
    close_database()
    assert mode(migrations.pre_migration_path(old, 2)) == 0o600

    info = restore.restore(made.path, live)
    assert info.kept is not None and mode(info.kept) == mode(live) == 0o600
