"""Restoring a backup: the current database kept aside, the audit head following, and the
refusals (a database in use, a damaged or failing copy, a newer schema). SQLite only."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from terminal.db import migrations
from terminal.db import models as m
from terminal.db.database import close_database, open_database
from terminal.services import backup, integrity, restore
from terminal.services.backup import BackupError
from terminal.services.context import Context
from tests.helpers import factory
from tests.services.conftest import make_db, member_names, mode, sqlite_only


@sqlite_only
def test_restore_keeps_the_current_database_aside(tmp_path, clock, released) -> None:
    db = make_db(tmp_path / "shop.sqlite", clock, ("Alice",))
    saved = backup.backup(db, tmp_path / "saved.sqlite").path
    open_database(f"sqlite:///{db}")
    factory.member(Context(staff_id="t", clock=clock), "Bob")
    close_database()
    assert member_names(db) == ["Alice", "Bob"]

    info = restore.restore(saved, f"sqlite:///{db}", now=lambda: datetime(2026, 3, 10, 18, 30))
    assert info.restored == db and info.schema_version == migrations.SCHEMA_VERSION
    assert info.kept == tmp_path / "shop.sqlite.before-restore-20260310-183000"
    assert member_names(db) == ["Alice"]
    assert member_names(info.kept) == ["Alice", "Bob"]  # nothing is lost
    assert not list(tmp_path.glob("*.restoring"))
    open_database(f"sqlite:///{db}")
    assert integrity.check() == []
    assert [mb.name for mb in m.Member.select()] == ["Alice"]


@sqlite_only
def test_restoring_an_older_backup_moves_the_audit_head_aside(tmp_path, clock,
                                                               released) -> None:
    from terminal.db.database import write_transaction
    from terminal.services import audit, audit_files

    db = make_db(tmp_path / "shop.sqlite", clock, ("Alice",))
    open_database(f"sqlite:///{db}")
    ctx = Context(staff_id="t", clock=clock)
    with write_transaction():
        audit.record(ctx, "test", "before the backup")
    close_database()
    saved = backup.backup(db, tmp_path / "saved.sqlite").path
    open_database(f"sqlite:///{db}")
    with write_transaction():
        audit.record(ctx, "test", "after the backup")
    head = audit_files.head_file()
    assert audit_files.read_head_file() == audit.current_head() and audit.current_head().seq == 2
    close_database()

    restore.restore(saved, f"sqlite:///{db}", now=lambda: datetime(2026, 3, 10, 18, 30))
    open_database(f"sqlite:///{db}")
    # the restored log ends at entry 1 on purpose: the head follows, the old one is kept
    assert integrity.check() == []
    assert audit_files.read_head_file() == audit.current_head() and audit.current_head().seq == 1
    aside = head.with_name(f"{head.name}.before-restore-20260310-183000")
    assert audit.Head.from_json(aside.read_text()).seq == 2


@sqlite_only
def test_restore_refuses_while_the_database_is_open(tmp_path, clock, released) -> None:
    db = make_db(tmp_path / "shop.sqlite", clock)
    saved = backup.backup(db, tmp_path / "saved.sqlite").path
    open_database(f"sqlite:///{db}")
    m.Member.select().count()  # the counter is open, idle
    with pytest.raises(BackupError, match="is in use: close the counter"):
        restore.restore(saved, db)
    close_database()
    assert not list(tmp_path.glob("*.before-restore-*"))
    assert restore.restore(saved, db).kept is not None


def _root_page(path: Path, table: str) -> int:
    """The number (from 1) of ``table``'s first page in the SQLite file at ``path``."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?",
                            (table,)).fetchone()[0]
    finally:
        conn.close()


def _damage(path: Path, pages: slice) -> None:
    """Garbage over some pages (the first keeps its header: it still looks like SQLite)."""
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    count = len(data) // size
    for number in range(*pages.indices(count)):
        data[number * size:(number + 1) * size] = bytes(
            (i * 151 + number) % 256 for i in range(size))
    path.write_bytes(bytes(data))


@sqlite_only
def test_restore_refuses_a_damaged_copy_and_files_that_are_no_database(
        tmp_path, clock, released) -> None:
    db = make_db(tmp_path / "shop.sqlite", clock)
    saved = backup.backup(db, tmp_path / "saved.sqlite").path
    original = db.read_bytes()
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(saved.read_bytes())
    _damage(damaged, slice(1, None))  # every page but the first: the copy itself fails
    with pytest.raises(BackupError, match=r"damaged\.sqlite is damaged \(SQLite cannot read "
                                          r"it\): nothing was changed"):
        restore.restore(damaged, db)
    damaged.write_bytes(saved.read_bytes())
    # one page of a table's rows (not the schema's): copied as it is, then the check finds it
    page = _root_page(damaged, "member") - 1
    _damage(damaged, slice(page, page + 1))
    with pytest.raises(BackupError, match=r"damaged\.sqlite fails its check: .*malformed"):
        restore.restore(damaged, db)
    text = tmp_path / "members.csv"
    text.write_text("name,phone\n")
    with pytest.raises(BackupError, match="is not a SQLite database"):
        restore.restore(text, db)
    with pytest.raises(BackupError, match="does not exist"):
        restore.restore(tmp_path / "missing.sqlite", db)
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="not a Member Terminal database"):
        restore.restore(other, db)

    assert db.read_bytes() == original  # untouched
    assert not list(tmp_path.glob("*.before-restore-*"))
    assert not list(tmp_path.glob("*.restoring"))


@sqlite_only
def test_restore_refuses_a_failing_check_and_a_newer_schema(tmp_path, clock, released) -> None:
    db = make_db(tmp_path / "shop.sqlite", clock)
    saved = backup.backup(db, tmp_path / "saved.sqlite").path
    cooked = tmp_path / "cooked.sqlite"
    cooked.write_bytes(saved.read_bytes())
    conn = sqlite3.connect(cooked)
    conn.execute("UPDATE member SET points_balance = points_balance + 1000")
    conn.commit()
    conn.close()
    assert backup.check_file(cooked) != []  # a sound file whose ledgers do not add up
    with pytest.raises(BackupError, match="fails its check: points balance equals its ledger"):
        restore.restore(cooked, db)

    newer = tmp_path / "newer.sqlite"
    newer.write_bytes(saved.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO schema_migration (version, name, applied_at) "
                 "VALUES (?, 'from the future', '2030-01-01 00:00:00')",
                 (migrations.SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="newer than this program"):
        restore.restore(newer, db)
    assert member_names(db) == ["Alice"]


@sqlite_only
def test_restore_keeps_the_database_aside_by_copy_where_links_fail(
        tmp_path, clock, released, usual_umask, monkeypatch) -> None:
    db = make_db(tmp_path / "shop.sqlite", clock, ("Alice",))
    saved = backup.backup(db, tmp_path / "saved.sqlite").path
    open_database(f"sqlite:///{db}")
    factory.member(Context(staff_id="t", clock=clock), "Bob")
    close_database()

    def no_links(*args: object) -> None:
        raise OSError("links are not possible here")

    monkeypatch.setattr(os, "link", no_links)
    info = restore.restore(saved, db)
    assert info.kept is not None and mode(info.kept) == 0o600
    assert member_names(info.kept) == ["Alice", "Bob"] and member_names(db) == ["Alice"]
    assert backup.check_file(info.kept) == []
