"""A member import written as one batch in short transactions: hidden from the counter
until it is complete, removed whole when it fails or is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from terminal.core.config import Settings
from terminal.core.errors import MemberCodeError
from terminal.db import models as m
from terminal.services import (
    audit_listing,
    import_batches,
    integrity,
    member_directory,
    member_import,
    members,
)
from terminal.services.context import Context
from tests.helpers import factory

ROOT = Path(__file__).resolve().parents[2]


def member_file(path: Path, count: int, first_phone: int = 13_800_000_000) -> Path:
    lines = ["name,phone,points,stored value"]
    lines += [f"Member {i},{first_phone + i},{10 + i % 7},{i % 3}.00" for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def imported() -> int:
    return m.Member.select().where(m.Member.note.startswith("imported from")).count()


def shown() -> int:
    """The members the counter and the manager's screens see."""
    return m.Member.select().where(m.Member.live()).count()


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Chunks of 20 members, and a record of how many members were visible between them."""
    monkeypatch.setattr(import_batches, "CHUNK", 20)
    seen: list[int] = []
    monkeypatch.setattr(import_batches.time, "sleep",
                        lambda s: seen.append(shown()))
    return seen


def test_the_file_is_written_in_chunks_and_shows_all_at_once(ctx, tmp_path, small_chunks):
    manager = factory.manager(ctx)
    result = member_import.import_members(ctx, member_file(tmp_path / "m.csv", 95),
                                          dry_run=False, approved_by=manager)
    assert result.ok and result.imported == 95, result.errors
    # five chunks written: no member showed between them; then the column is emptied
    assert small_chunks[:5] == [0] * 5 and small_chunks[-1] == 95
    assert shown() == 95
    [batch] = m.ImportBatch.select()
    assert (batch.state, batch.rows, batch.source) == ("done", 95, "m.csv")
    assert m.Member.select().where(m.Member.import_batch.is_null(False)).count() == 0
    assert len(audit_listing.entries(action="import_members")) == 1
    assert integrity.check() == []


def test_members_of_an_import_under_way_are_nobodys_members_yet(ctx, tmp_path, monkeypatch):
    manager = factory.manager(ctx)
    monkeypatch.setattr(import_batches, "CHUNK", 10)
    looked: list[str] = []

    def between_chunks(_seconds: float) -> None:
        if looked:
            return
        first = m.Member.select().where(m.Member.import_batch.is_null(False)).first()
        with pytest.raises(MemberCodeError) as found:
            members.identify(ctx, first.card_no)
        looked.append(str(found.value))
        with pytest.raises(MemberCodeError):
            members.identify(ctx, first.phone)
        assert members.search(ctx, "Member") == []
        page = member_directory.list_members(
            ctx, member_directory.MemberFilter(include_erased=True))
        assert page.total == 0
        assert integrity.check(now=ctx.now()) == []  # a batch being written is no problem

    monkeypatch.setattr(import_batches.time, "sleep", between_chunks)
    result = member_import.import_members(ctx, member_file(tmp_path / "m.csv", 30),
                                          dry_run=False, approved_by=manager)
    assert result.imported == 30 and looked and "under way" in looked[0]
    assert len(members.search(ctx, "Member", limit=50)) == 30


def test_a_phone_enrolled_at_the_counter_mid_import_removes_the_whole_batch(
        ctx, tmp_path, monkeypatch):
    manager = factory.manager(ctx)
    monkeypatch.setattr(import_batches, "CHUNK", 10)
    calls = [0]

    def counter_enrols(_seconds: float) -> None:
        calls[0] += 1
        if calls[0] == 2:  # after two chunks: the 25th member of the file walks in
            members.enrol(ctx, members.EnrolRequest("Walk In", "13800000024"))

    monkeypatch.setattr(import_batches.time, "sleep", counter_enrols)
    before_points = m.PointsEntry.select().count()
    result = member_import.import_members(ctx, member_file(tmp_path / "m.csv", 40),
                                          dry_run=False, approved_by=manager)
    assert result.imported == 0
    assert [e.line for e in result.errors] == [26] and "already enrolled" in \
        result.errors[0].message
    assert imported() == 0 and shown() == 1  # the walk-in only
    assert m.PointsEntry.select().count() == before_points
    assert m.StoredValueEntry.select().where(m.StoredValueEntry.kind == "import").count() == 0
    [batch] = m.ImportBatch.select()
    assert batch.state == "failed"
    assert audit_listing.entries(action="import_members") == []
    assert integrity.check() == []


def test_ctrl_c_mid_import_removes_the_batch(ctx, tmp_path, monkeypatch):
    manager = factory.manager(ctx)
    monkeypatch.setattr(import_batches, "CHUNK", 10)
    calls = [0]

    def interrupted(_seconds: float) -> None:
        calls[0] += 1
        if calls[0] == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(import_batches.time, "sleep", interrupted)
    with pytest.raises(KeyboardInterrupt):
        member_import.import_members(ctx, member_file(tmp_path / "m.csv", 50),
                                     dry_run=False, approved_by=manager)
    assert imported() == 0 and m.PointsEntry.select().count() == 0
    assert integrity.check() == []


KILLED_IMPORT = """
import sys
from terminal.core.config import Settings
from terminal.db.database import open_database
from terminal.services import import_batches, member_import
from terminal.services.context import Context

open_database(sys.argv[1])
import_batches.CHUNK = 25
import_batches.PAUSE_S = 0.2
member_import.import_members(Context(Settings(), staff_id="manager"), sys.argv[2],
                             dry_run=False, approved_by=sys.argv[3])
print("finished", flush=True)
"""


def test_an_import_killed_mid_way_leaves_no_member_behind(ctx, db_url, tmp_path):
    """kill -9 while the batch is written: its members stay hidden, check names them, and
    once the batch has stopped beating settle (the next import, or the command) removes
    them and their opening balances."""
    manager = factory.manager(ctx)
    members.enrol(ctx, members.EnrolRequest("Already Here", "13900000001"))
    path = member_file(tmp_path / "m.csv", 400)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    log = tmp_path / "import.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, db_url, str(path),
                                 manager], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while m.Member.select().where(m.Member.import_batch.is_null(False)).count() < 100:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the import wrote nothing"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    hidden = m.Member.select().where(m.Member.import_batch.is_null(False)).count()
    assert 100 <= hidden < 400
    assert shown() == 1  # the counter sees none of them
    # the batch's heartbeat is real time; two minutes on, it is taken for dead
    later = Context(Settings(), staff_id="manager",
                    clock=lambda: datetime.now() + timedelta(minutes=3))
    [line] = import_batches.problems(later.now())
    assert f"left {hidden} hidden members" in line and "settle-imports" in line
    assert import_batches.problems(datetime.now()) == []  # it beat a moment ago
    settled = import_batches.settle(later)
    assert (settled.removed_batches, settled.removed_members) == (1, hidden)
    assert imported() == 0 and m.PointsEntry.select().count() == 0
    assert m.StoredValueEntry.select().count() == 0
    assert integrity.check() == []
    # and the file imports whole afterwards
    result = member_import.import_members(later, path, dry_run=False, approved_by=manager)
    assert result.imported == 400 and shown() == 401
