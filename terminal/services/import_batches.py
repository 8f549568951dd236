"""Imports written as one batch in short transactions (``member_import`` writes through it).

One transaction for a whole file held SQLite's write lock for about 12 s per 100,000
members, and every checkout in the shop waited that long. A batch instead writes a few
hundred members per transaction and lets the counter in between, and its members stay
hidden (``Member.shown``) while the batch is ``writing``:

* ``begin`` records the batch (``writing``, with a heartbeat);
* ``write`` runs one chunk's inserts in a transaction of its own and beats the heart;
* ``publish`` turns the batch ``done`` in one small transaction: every member shows at once;
* ``remove`` deletes a failed batch's rows, chunk by chunk, and marks it ``failed``.

A killed import stops beating: ``settle`` (at the start of every import, and by
``member-terminal settle-imports``) removes a batch whose heartbeat is older than
``STALE``, and empties the column of the members of a done batch (nothing depends on that
but the size of an index). ``check`` names a batch that waits for it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..db import models as m
from ..db.database import is_sqlite, proxy, write_transaction
from .context import Context

CHUNK = 500  # members per transaction: ~60 ms of SQLite's write lock on this machine
PAUSE_S = 0.03  # between chunks, so a terminal waiting for the lock gets it
STALE = timedelta(minutes=2)  # a batch that wrote nothing for this long was killed


def hidden() -> frozenset[uuid.UUID]:
    """The batches whose members are hidden (not ``done``): nearly always none."""
    return frozenset(r[0] for r in m.ImportBatch.select(m.ImportBatch.id)
                     .where(m.ImportBatch.state != "done").tuples())


def shown(raw: object, hidden_batches: frozenset[uuid.UUID]) -> bool:
    """Whether a member whose ``import_batch_id`` read off a raw cursor is ``raw`` shows
    (the database's own form: text on SQLite, a UUID's text on PostgreSQL)."""
    return raw is None or not hidden_batches or uuid.UUID(str(raw)) not in hidden_batches


def begin(ctx: Context, source: str, rows: int) -> uuid.UUID:
    now = ctx.now()
    with write_transaction():
        batch = m.ImportBatch.create(**ctx.origin(), source=source[:200], state="writing",
                                     rows=rows, heartbeat_at=now)
    return batch.id


def _breathe() -> None:
    """Between two chunks: SQLite's write-ahead log copied back into the file by the
    import itself (a passive checkpoint waits for no one), or the next checkout to commit
    would do it, for the whole chunk, while the customer waits; then a pause, so a
    terminal waiting for the lock gets it."""
    if is_sqlite():
        proxy.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")
    time.sleep(PAUSE_S)


def write(ctx: Context, batch_id: uuid.UUID, chunk: Callable[[], object]) -> None:
    """``chunk()`` in one transaction of its own, then a pause for the other terminals.
    Raises ``BatchGone`` when the batch is no longer being written (``settle`` in another
    process took it for dead)."""
    with write_transaction():
        beat = (m.ImportBatch.update(heartbeat_at=ctx.now())
                .where((m.ImportBatch.id == batch_id) & (m.ImportBatch.state == "writing"))
                .execute())
        if not beat:
            raise BatchGone(batch_id)
        chunk()
    _breathe()


class BatchGone(Exception):
    """The batch is no longer ``writing``: another process removed it."""


def publish(ctx: Context, batch_id: uuid.UUID, then: Callable[[], object]) -> None:
    """Show the batch's members (``then()``, e.g. the audit entry, in the same
    transaction), and empty their column afterwards."""
    with write_transaction():
        done = (m.ImportBatch.update(state="done", finished_at=ctx.now())
                .where((m.ImportBatch.id == batch_id) & (m.ImportBatch.state == "writing"))
                .execute())
        if not done:
            raise BatchGone(batch_id)
        then()
    _release(batch_id)


def _chunk_ids(batch_id: uuid.UUID) -> list[uuid.UUID]:
    return [r[0] for r in m.Member.select(m.Member.id)
            .where(m.Member.import_batch == batch_id).limit(CHUNK).tuples()]


def _release(batch_id: uuid.UUID) -> None:
    while True:
        with write_transaction():
            ids = _chunk_ids(batch_id)
            if ids:
                m.Member.update(import_batch=None).where(m.Member.id.in_(ids)).execute()
        if len(ids) < CHUNK:
            return
        _breathe()


def remove(ctx: Context, batch_id: uuid.UUID) -> int:
    """Delete what the batch wrote, chunk by chunk; the batch stays, ``failed``. Returns
    the number of members removed."""
    with write_transaction():  # first, so a process still writing it stops at its next chunk
        m.ImportBatch.update(state="failed", finished_at=ctx.now()).where(
            (m.ImportBatch.id == batch_id) & (m.ImportBatch.state != "done")).execute()
    removed = 0
    while True:
        with write_transaction():
            ids = _chunk_ids(batch_id)
            if ids:  # an imported member has only its opening balances
                m.PointsEntry.delete().where(m.PointsEntry.member.in_(ids)).execute()
                m.StoredValueEntry.delete().where(m.StoredValueEntry.member.in_(ids)).execute()
                m.Member.delete().where(m.Member.id.in_(ids)).execute()
        removed += len(ids)
        if len(ids) < CHUNK:
            return removed
        _breathe()


@dataclass(frozen=True)
class Settled:
    removed_batches: int  # killed or failed imports removed
    removed_members: int
    released_batches: int  # done imports whose members' column was emptied


def waiting(now: datetime) -> list[m.ImportBatch]:
    """Batches that ``settle`` would act on at ``now``: failed or killed ones with members
    left, and done ones whose members still name them."""
    stale = now - STALE
    with_members = m.Member.select(m.Member.import_batch).where(
        m.Member.import_batch.is_null(False))
    return list(m.ImportBatch.select().where(
        (m.ImportBatch.id.in_(with_members))
        & ((m.ImportBatch.state != "writing") | (m.ImportBatch.heartbeat_at < stale)))
        .order_by(m.ImportBatch.created_at))


def problems(now: datetime) -> list[str]:
    """``check``'s lines for imports that failed or were killed and left members hidden."""
    lines = []
    for batch in waiting(now):
        if batch.state == "done":
            continue
        left = m.Member.select().where(m.Member.import_batch == batch.id).count()
        lines.append(f"import batch: the import of {batch.source} started "
                     f"{batch.created_at:%Y-%m-%d %H:%M} stopped ({batch.state}) and left "
                     f"{left} hidden members; 'member-terminal settle-imports' removes them")
    return lines


def settle(ctx: Context) -> Settled:
    """Remove killed and failed batches, release done ones (the module's docstring)."""
    removed = members = released = 0
    stale = ctx.now() - STALE
    for batch in m.ImportBatch.select().where(
            (m.ImportBatch.state == "writing") & (m.ImportBatch.heartbeat_at < stale)):
        members += remove(ctx, batch.id)
        removed += 1
    for batch in waiting(ctx.now()):
        if batch.state == "done":
            _release(batch.id)
            released += 1
        else:
            members += remove(ctx, batch.id)
            removed += 1
    return Settled(removed, members, released)
