"""Scheduled work: expire points, review tiers. Safe to run at any time, and more than once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import peewee as pw

from ..db import models as m
from ..db.database import write_transaction
from ..loyalty import tiers
from .context import Context

CHUNK = 500


@dataclass(frozen=True)
class ExpiryResult:
    batches: int
    points: int
    members: int


def expire_points(ctx: Context) -> ExpiryResult:
    """Write off every batch past its expiry, one ledger row per batch."""
    now = ctx.now()
    n_batches = n_points = 0
    members: set[object] = set()
    while True:
        with write_transaction():
            due = list(m.PointsEntry.select().where(
                (m.PointsEntry.remaining > 0) & (m.PointsEntry.expires_at <= now))
                .order_by(m.PointsEntry.expires_at).limit(CHUNK))
            if not due:
                break
            for batch in due:
                entry = m.PointsEntry.create(
                    **ctx.origin(), member=batch.member_id, kind="expire",
                    delta=-batch.remaining, reason=f"expired {batch.expires_at:%Y-%m-%d}")
                m.PointsUse.create(entry=entry, batch=batch.id, points=batch.remaining)
                m.PointsEntry.update(remaining=0).where(m.PointsEntry.id == batch.id).execute()
                m.Member.update(points_balance=m.Member.points_balance - batch.remaining).where(
                    m.Member.id == batch.member_id).execute()
                n_batches += 1
                n_points += batch.remaining
                members.add(batch.member_id)
    return ExpiryResult(n_batches, n_points, len(members))


@dataclass(frozen=True)
class ReviewResult:
    upgraded: int
    downgraded: int


def review_tiers(ctx: Context) -> ReviewResult:
    """Move every member to the tier their rolling spend earns (downgrades after the hold)."""
    now = ctx.now()
    rules = ctx.programme.tiers
    since = tiers.qualifying_since(now, rules)
    spend = dict(
        m.Txn.select(m.Txn.member, pw.fn.SUM(m.Txn.total))
        .where((m.Txn.member.is_null(False)) & (m.Txn.created_at >= since)
               & (m.Txn.kind.in_(("sale", "refund", "void"))))
        .group_by(m.Txn.member).tuples())
    up = down = 0
    query = (m.Member.select(m.Member.id, m.Member.tier, m.Member.tier_since)
             .where(m.Member.live()).order_by(m.Member.id))
    changes = []
    for member in query.iterator():
        target = tiers.review(member.tier, member.tier_since, int(spend.get(member.id, 0)),
                              now, rules)
        if target is not None:
            changes.append((member.id, target.code,
                            tiers.rank(target.code, rules) > tiers.rank(member.tier, rules)))
    for i in range(0, len(changes), CHUNK):
        with write_transaction():
            for member_id, code, is_up in changes[i:i + CHUNK]:
                m.Member.update(tier=code, tier_since=now).where(
                    m.Member.id == member_id).execute()
                up += is_up
                down += not is_up
    return ReviewResult(up, down)


def run_all(ctx: Context) -> Iterator[tuple[str, object]]:
    """The night's jobs in order, each result as it is done: expire points, review tiers,
    and, when e-mail or SMS is set up, queue the messages (the tier changes just made
    among them) and send what is due."""
    from . import messages, outbox

    yield "expire-points", expire_points(ctx)
    yield "review-tiers", review_tiers(ctx)
    if messages.channels(ctx):
        yield "messages-queue", messages.queue(ctx)
        yield "messages-send", outbox.send_due(ctx)
