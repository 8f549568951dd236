"""What someone who has the database but not the audit key can do to the audit log."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator

from terminal.db import models as m
from terminal.db.database import is_sqlite, proxy
from terminal.services import audit

GENESIS = "0" * 64


@contextlib.contextmanager
def bypassing_triggers() -> Iterator[None]:
    """SQL as the database's owner or a superuser, who can switch PostgreSQL's triggers off
    (``session_replication_role = replica``); SQLite has none to bypass."""
    if not is_sqlite():
        proxy.execute_sql("SET session_replication_role = replica")
    try:
        yield
    finally:
        if not is_sqlite():
            proxy.execute_sql("SET session_replication_role = DEFAULT")


def unkeyed_hash(prev_hash: str, row: m.AuditEntry) -> str:
    """The chain's formula before it had a key: SHA-256 of the previous hash and the row."""
    text = prev_hash + audit.canonical_json(audit.chained_fields(row))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rehash_from(seq: int) -> None:
    """Recompute every hash from entry ``seq`` on, as the code does, without the key."""
    prev = GENESIS
    with bypassing_triggers():
        for row in list(m.AuditEntry.select().order_by(m.AuditEntry.seq)):
            if row.seq >= seq:
                row.prev_hash = prev
                row.hash = unkeyed_hash(prev, row)
                row.save()
            prev = row.hash


def append_forged(ctx_now: object, action: str = "cash_out", subject: str = "nobody") -> int:
    """A new last entry that follows the chain by today's formula; its seq."""
    last = m.AuditEntry.select().order_by(m.AuditEntry.seq.desc()).first()
    row = m.AuditEntry(seq=(last.seq + 1) if last else 1, created_at=ctx_now,
                       store_id="S001", terminal_id="T01", staff_id="cashier1",
                       approved_by=None, action=action, subject=subject, before="",
                       after="", reason="forged", prev_hash=last.hash if last else GENESIS)
    row.hash = unkeyed_hash(row.prev_hash, row)
    row.save(force_insert=True)
    return int(row.seq)
