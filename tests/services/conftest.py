"""What the backup and restore tests share (SQLite files made, read and checked here), the
end-of-day tests' day, the staff tests' team and the race tests' pool of terminals."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from terminal.db.database import close_database, open_database, proxy
from terminal.services import staff
from terminal.services.context import Context
from tests.conftest import PG_URL
from tests.helpers import factory
from tests.helpers.eod_day import eod_day  # noqa: F401 (a fixture)
from tests.helpers.races import RacePool

sqlite_only = pytest.mark.skipif(
    bool(PG_URL), reason="backup and restore are SQLite-only (PostgreSQL: pg_dump); "
                         "this run tests PostgreSQL")


@pytest.fixture
def released() -> Iterator[None]:
    """For tests that open and close databases themselves."""
    yield
    close_database()
    proxy.initialize(None)


def make_db(path: Path, clock, names: tuple[str, ...] = ("Alice",)) -> Path:
    """A closed SQLite database with a few members (and a sale each)."""
    open_database(f"sqlite:///{path}")
    ctx = Context(staff_id="t", clock=clock)
    for name in names:
        mb = factory.member(ctx, name)
        factory.top_up(ctx, mb.id, 5_000)
    close_database()
    return path


def member_names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in conn.execute("SELECT name FROM member"))
    finally:
        conn.close()


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most desktops have (files 0644, folders 0755 unless asked otherwise)."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture(scope="module")
def pool() -> Iterator[RacePool]:
    """Two terminals in processes of their own, for a module's race tests."""
    racers = RacePool(2)
    try:
        yield racers
    finally:
        racers.stop()


@pytest.fixture
def racers(pool: RacePool, db_url: str, ctx: Any) -> Iterator[RacePool]:
    """The pool with every worker connected to this test's database (made by ``ctx``)."""
    pool.open(db_url)
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture
def team(ctx):
    """An owner, a manager and a cashier (PINs 8888, 9999, 1111); test_pin_guessing has a
    team of its own."""
    owner = staff.create(ctx, "Owner", "owner", "8888")
    manager = staff.create(ctx, "Manager 王", "manager", "9999", approved_by=owner.id)
    cashier = staff.create(ctx, "Cashier 李", "cashier", "1111", approved_by=owner.id)
    return owner, manager, cashier
