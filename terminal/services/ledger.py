"""Ledger writes: every balance change is a ledger row and the cached balance moves with it.

Call these inside ``write_transaction()``. Points are kept in batches (positive rows with
``remaining`` and ``expires_at``); debits record in ``PointsUse`` which batches they took
from, so a reversal can put the very same points back.
"""

from __future__ import annotations

from datetime import datetime

from ..core.errors import InsufficientStoredValue, InvalidInput, NotFound
from ..db import models as m
from ..db import statements as q
from ..db.prepared import insert
from ..loyalty import points as prules
from .context import Context
from .shifts import open_shift_id


def lock_member(member_id: object) -> m.Member:
    """The member row, locked against other terminals until the transaction ends.

    SQLite's IMMEDIATE transactions already hold the database's write lock; PostgreSQL
    needs a row lock so two terminals cannot both spend the same balance.
    """
    member = q.member_locked.first(member_id)
    if member is None:
        raise NotFound("no such member")
    return member


def current_holder(member: m.Member) -> m.Member:
    """The record a merged member's card names now (a merge into a merged one followed)."""
    seen = {member.id}
    while member.merged_into_id is not None:
        member = m.Member.get_by_id(member.merged_into_id)
        if member.id in seen:  # pragma: no cover - merge refuses merged members
            break
        seen.add(member.id)
    return member


def refuse_merged(member: m.Member) -> m.Member:
    """``member``, unless it was merged into another record (its balances are there now)."""
    if member.merged_into_id is not None:
        raise InvalidInput("This member was merged into card {card}.",
                           card=current_holder(member).card_no)
    return member


def add_points(ctx: Context, member_id: object, pts: int, kind: str, *,
               txn: m.Txn | None = None, reason: str = "",
               expires_at: datetime | None = None) -> m.PointsEntry:
    """Credit a new batch of points."""
    if pts <= 0:
        raise ValueError("add_points takes a positive number of points")
    entry = insert(
        m.PointsEntry, **ctx.origin(), member=member_id, kind=kind, delta=pts, remaining=pts,
        expires_at=expires_at or prules.expiry_for(ctx.now(), ctx.programme.points),
        txn=txn, reason=reason)
    q.move_points_balance.execute(pts, member_id)
    return entry


def batches(member_id: object) -> list[prules.Batch]:
    """The member's batches with points left, live or expired."""
    return [prules.Batch(r.id, r.remaining, r.expires_at)
            for r in q.points_batches.rows(member_id)]


def take_points(ctx: Context, member_id: object, pts: int, kind: str, *,
                txn: m.Txn | None = None, reason: str = "", first_from: object = None,
                include_expired: bool = False) -> m.PointsEntry:
    """Debit ``pts`` from live batches, soonest-expiring first (``first_from`` before all)."""
    if pts <= 0:
        raise ValueError("take_points takes a positive number of points")
    plan = prules.take_plan(batches(member_id), pts, ctx.now(), first_from=first_from,
                            include_expired=include_expired)
    entry = insert(m.PointsEntry, **ctx.origin(), member=member_id, kind=kind, delta=-pts,
                   txn=txn, reason=reason)
    for batch_id, part in plan:
        insert(m.PointsUse, entry=entry, batch=batch_id, points=part)
        q.move_batch.execute(-part, batch_id)
    q.move_points_balance.execute(-pts, member_id)
    return entry


def live_points(ctx: Context, member_id: object) -> int:
    now = ctx.now()
    return sum(b.remaining for b in batches(member_id) if b.expires_at > now)


def restore_points(ctx: Context, member_id: object, debit: m.PointsEntry, pts: int,
                   kind: str, *, txn: m.Txn | None = None, reason: str = "") -> None:
    """Put back ``pts`` of what ``debit`` took, into the batches it took them from
    (latest-expiring first, so a partial reversal returns the longest-lived points)."""
    if pts <= 0:
        return
    already: dict[object, int] = {}
    for prev_use in (m.PointsUse.select().join(m.PointsEntry, on=m.PointsUse.entry)
                     .where(m.PointsEntry.reverses == debit)):
        # a reversal records the batches it refilled as negative uses
        already[prev_use.batch_id] = already.get(prev_use.batch_id, 0) - prev_use.points
    uses = [prules.Use(u.batch_id, u.points, u.batch.expires_at, already.get(u.batch_id, 0))
            for u in m.PointsUse.select(m.PointsUse, m.PointsEntry).join(
                m.PointsEntry, on=m.PointsUse.batch).where(m.PointsUse.entry == debit)]
    plan = prules.restore_plan(uses, pts)  # InsufficientPoints: more than was taken
    entry = m.PointsEntry.create(**ctx.origin(), member=member_id, kind=kind, delta=pts,
                                 txn=txn, reverses=debit, reason=reason)
    for batch_id, part in plan:
        m.PointsUse.create(entry=entry, batch=batch_id, points=-part)
        m.PointsEntry.update(remaining=m.PointsEntry.remaining + part).where(
            m.PointsEntry.id == batch_id).execute()
    m.Member.update(points_balance=m.Member.points_balance + pts).where(
        m.Member.id == member_id).execute()


def move_stored_value(ctx: Context, member_id: object, delta_paid: int, delta_bonus: int,
                      kind: str, *, txn: m.Txn | None = None, reason: str = "") -> None:
    member = q.member_by_id.first(member_id)
    if member.sv_paid_balance + delta_paid < 0 or member.sv_bonus_balance + delta_bonus < 0:
        raise InsufficientStoredValue(
            "stored value balance is {shown:.2f}",
            balance=member.stored_value_balance, shown=member.stored_value_balance / 100)
    insert(m.StoredValueEntry, **ctx.origin(), member=member_id, kind=kind,
           delta_paid=delta_paid, delta_bonus=delta_bonus, txn=txn, reason=reason)
    q.move_sv_balance.execute(delta_paid, delta_bonus, member_id)


def move_punch(ctx: Context, card: m.PunchCard, delta: int, kind: str, *,
               txn: m.Txn | None = None, reason: str = "") -> None:
    insert(m.PunchEntry, **ctx.origin(), card=card.id, member=card.member_id, kind=kind,
           delta=delta, txn=txn, reason=reason)
    q.move_visits.execute(delta, card.id)


def next_seq(ctx: Context) -> int:
    """The terminal's next receipt number, from its counter row (locked until the
    transaction ends): two processes sharing a terminal id take turns, never a number twice."""
    seq = q.take_seq.returned(ctx.terminal_id)
    if seq is None:
        q.open_counter.execute(ctx.terminal_id)
        seq = q.take_seq.returned(ctx.terminal_id)
    return int(seq)


def new_txn(ctx: Context, key: str, kind: str, **fields: object) -> m.Txn:
    now = ctx.now()
    seq = next_seq(ctx)  # holds the terminal's counter row: a shift cannot close meanwhile
    return insert(m.Txn, **ctx.origin(), idempotency_key=key, kind=kind, seq=seq,
                  business_date=now.date(), shift_id=open_shift_id(ctx), **fields)
