"""The audit log: every sensitive action, append-only, each row chained to the one before by
its SHA-256 hash, so that editing or deleting a row is found by ``check``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..db import models as m
from ..db.database import is_sqlite, proxy
from .context import Context

GENESIS = "0" * 64
CHAIN_LOCK = 0x4D54_0002  # PostgreSQL advisory lock: one appender at a time across terminals


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + _canonical(fields)).encode("utf-8")).hexdigest()


def _fields(row: m.AuditEntry) -> dict[str, Any]:
    return {"seq": row.seq, "created_at": row.created_at.isoformat(), "store_id": row.store_id,
            "terminal_id": row.terminal_id, "staff_id": row.staff_id,
            "approved_by": row.approved_by, "action": row.action, "subject": row.subject,
            "before": row.before, "after": row.after, "reason": row.reason}


def record(ctx: Context, action: str, subject: object = "", *, before: Any = None,
           after: Any = None, reason: str = "", approved_by: object = None) -> m.AuditEntry:
    """Append one entry. Call it inside the transaction that does the action, so the action
    and its trace commit together (or neither does)."""
    if not is_sqlite():  # SQLite's write transaction already serialises appenders
        proxy.obj.execute_sql("SELECT pg_advisory_xact_lock(%s)", (CHAIN_LOCK,))
    last = m.AuditEntry.select(m.AuditEntry.seq, m.AuditEntry.hash).order_by(
        m.AuditEntry.seq.desc()).first()
    row = m.AuditEntry(
        seq=(last.seq + 1) if last else 1, created_at=ctx.now(), store_id=ctx.store_id,
        terminal_id=ctx.terminal_id, staff_id=ctx.staff_id,
        approved_by=str(approved_by) if approved_by else None, action=action,
        subject=str(subject or "")[:100],
        before="" if before is None else _canonical(before),
        after="" if after is None else _canonical(after), reason=(reason or "")[:1000],
        prev_hash=last.hash if last else GENESIS)
    row.hash = _digest(row.prev_hash, _fields(row))
    row.save(force_insert=True)
    return row


def verify() -> list[str]:
    """Where the chain is broken: an edited, inserted or deleted row."""
    problems = []
    prev_hash, prev_seq = GENESIS, 0
    for row in m.AuditEntry.select().order_by(m.AuditEntry.seq).iterator():
        if row.seq != prev_seq + 1:
            problems.append(f"audit log: entries {prev_seq + 1}..{row.seq - 1} are missing")
        if row.prev_hash != prev_hash:
            problems.append(f"audit log: entry {row.seq} does not follow the entry before it")
        if _digest(row.prev_hash, _fields(row)) != row.hash:
            problems.append(f"audit log: entry {row.seq} was changed after it was written")
        prev_hash, prev_seq = row.hash, row.seq
    return problems


@dataclass(frozen=True)
class AuditView:
    seq: int
    created_at: datetime
    terminal_id: str
    staff: str
    approved_by: str
    action: str
    subject: str
    before: str
    after: str
    reason: str


def entries(*, action: str | None = None, staff_id: str | None = None,
            since: datetime | None = None, until: datetime | None = None,
            limit: int = 500) -> list[AuditView]:
    """Newest first, filtered as a manager asks."""
    from .staff import name_of

    query = m.AuditEntry.select()
    if action:
        query = query.where(m.AuditEntry.action == action)
    if staff_id:
        query = query.where((m.AuditEntry.staff_id == staff_id)
                            | (m.AuditEntry.approved_by == staff_id))
    if since:
        query = query.where(m.AuditEntry.created_at >= since)
    if until:
        query = query.where(m.AuditEntry.created_at < until)
    return [AuditView(r.seq, r.created_at, r.terminal_id, name_of(r.staff_id),
                      name_of(r.approved_by), r.action, r.subject, r.before, r.after, r.reason)
            for r in query.order_by(m.AuditEntry.seq.desc()).limit(limit)]
