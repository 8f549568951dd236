"""The audit log: every sensitive action, append-only, each row chained to the one before by
an HMAC-SHA-256 under a key that is not in the database, so that ``check`` finds a row that
was edited, inserted, forged or deleted, even by someone who knows this code.

The key is a file of its own, ``<data folder>/audit/<installation id>.key`` (mode 0600, in
a 0700 folder), made on first use; it is never in the database, so no backup holds it (the
backups copy the database alone). Next to it, ``<installation id>.head`` keeps the chain's
head (last entry, its hash, how many entries), rewritten (a temporary file, then
``os.replace``) after every commit of an entry; every closed day keeps the head of its
moment too, and the Z report prints it. A chain that ends before a head it once had was cut
short, whether or not entries were added since: ``check`` says so. The head file only moves
forward: once the log no longer holds the entry it names, it keeps naming it.

Entries written before the log had a key (an upgraded database) stay under the old formula
(SHA-256 without a key); the key file records up to which entry, and the first keyed entry
seals them, as its signature covers the hash of the one before.

PostgreSQL: a chain's terminals share one log, so they share its key. The first terminal
that writes an entry makes the key file and records the key's fingerprint in the database
(``meta.audit_key_id``); every other terminal needs a copy of that file at the same place
and refuses to write audit entries until it has it (a second key would split the chain).
The key guards against whoever has the database but not a terminal's files (a DBA, a stolen
dump edited and restored, the terminals' own role used by hand), who could otherwise append
or re-hash rows. Deleting rows needs no key, so the database refuses it: a trigger
(a migration) rejects UPDATE, DELETE and TRUNCATE on ``audit_entry``, and the terminals'
role gets only SELECT and INSERT there (``terminal.db.roles``), so neither a terminal nor
someone with its password can remove a row; only the owner of the table could, by dropping
the trigger, and the head files, the closed days and the paper Z reports then show the cut.

Refunds, voids, top-up reversals, cash-outs and points adjustments also record, in their
entry, a SHA-256 of the transaction's money (its totals and tenders, lines and ledger
rows): editing a refund's amounts afterwards breaks that hash, and the signed entry cannot
be made to match without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any

import peewee as pw

from ..core.errors import DomainError
from ..core.i18n import Phrase, Term
from ..db import models as m
from ..db.database import after_commit, is_sqlite, proxy
from .audit_files import (
    Head,
    Key,
    create_key,
    key_file,
    read_head_file,
    read_key,
    write_head_file,
)
from .context import Context

GENESIS = "0" * 64
CHAIN_LOCK = 0x4D54_0002  # PostgreSQL advisory lock: one appender at a time across terminals
KEY_ID = "audit_key_id"  # meta: the fingerprint of the key the log is signed with

log = logging.getLogger(__name__)


class AuditKeyError(DomainError):
    """This terminal cannot sign audit entries: its key file is missing or not the log's.
    Nothing was written."""

    code = "audit_key"


def _signing_key() -> Key:
    """The log's key, made now if the log has none (call under the chain's lock)."""
    path = key_file()
    marker = m.Meta.get_or_none(m.Meta.key == KEY_ID)
    try:
        key = read_key(path)
    except ValueError as exc:
        raise AuditKeyError("{exc}: put back the copy of the key file kept apart from the "
                            "backups. Nothing was saved", exc=exc) from None
    if key is None:
        if marker is not None:
            raise AuditKeyError(
                "the audit log's key file {path} is missing on this terminal: copy it from "
                "where it is kept (the first terminal of a chain, or the copy kept apart "
                "from the backups). Nothing was saved", path=path)
        last = m.AuditEntry.select(pw.fn.MAX(m.AuditEntry.seq)).scalar()
        key = create_key(path, int(last or 0))
    if marker is None:
        m.Meta.insert(key=KEY_ID, value=key.id).execute()
    elif marker.value != key.id:
        raise AuditKeyError(
            "the audit key file {path} is not the key this log is signed with: copy the "
            "chain's key file over it. Nothing was saved", path=path)
    return key


def canonical_json(value: Any) -> str:
    """``value`` as the JSON the chain hashes: sorted keys, no spaces, UTF-8 text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)


def chained_fields(row: m.AuditEntry) -> dict[str, Any]:
    """The columns of an entry that every hash of the chain covers."""
    return {"seq": row.seq, "created_at": row.created_at.isoformat(), "store_id": row.store_id,
            "terminal_id": row.terminal_id, "staff_id": row.staff_id,
            "approved_by": row.approved_by, "action": row.action, "subject": row.subject,
            "before": row.before, "after": row.after, "reason": row.reason}


def _digest(key: Key | None, prev_hash: str, row: m.AuditEntry) -> str:
    if key is None or row.seq <= key.legacy_through:  # written before the log had a key
        return hashlib.sha256((prev_hash + canonical_json(chained_fields(row))).encode("utf-8")
                              ).hexdigest()
    fields = {**chained_fields(row), "txn_id": str(row.txn_id) if row.txn_id else None,
              "money_hash": row.money_hash}
    return hmac.new(key.secret, (prev_hash + canonical_json(fields)).encode("utf-8"),
                    hashlib.sha256).hexdigest()


def money_hash(txn_id: object) -> str | None:
    """SHA-256 of a transaction's money: its amounts and tenders, its lines and its ledger
    rows (what stays fixed once written); None if there is no such transaction."""
    t = m.Txn.get_or_none(m.Txn.id == txn_id)
    if t is None:
        return None
    amounts = ("subtotal", "line_discount", "tier_discount", "coupon_discount",
               "points_discount", "total", "points_redeemed", "points_earned", "stored_value",
               "cash", "card", "other", "change", "sv_bonus")
    data: dict[str, Any] = {
        "txn": [str(t.id), t.kind, t.terminal_id, t.seq, t.business_date,
                t.member_id, t.original_id, t.coupon_code, *(int(getattr(t, a)) for a in amounts)],
        "lines": [[str(ln.id), ln.line_no, ln.sku, int(ln.qty), int(ln.unit_price),
                   int(ln.line_discount), int(ln.tier_discount), int(ln.coupon_discount),
                   int(ln.points_discount), int(ln.net), int(ln.points_earned),
                   ln.original_line_id]
                  for ln in m.TxnLine.select().where(m.TxnLine.txn == t.id)
                  .order_by(m.TxnLine.line_no, m.TxnLine.id)],
        "stored_value": [[str(e.id), e.member_id, e.kind, int(e.delta_paid), int(e.delta_bonus)]
                         for e in m.StoredValueEntry.select().where(
                             m.StoredValueEntry.txn == t.id).order_by(m.StoredValueEntry.id)],
        "points": [[str(e.id), e.member_id, e.kind, int(e.delta)]
                   for e in m.PointsEntry.select().where(m.PointsEntry.txn == t.id)
                   .order_by(m.PointsEntry.id)],
        "punch": [[str(e.id), e.card_id, e.kind, int(e.delta)]
                  for e in m.PunchEntry.select().where(m.PunchEntry.txn == t.id)
                  .order_by(m.PunchEntry.id)],
    }
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def record(ctx: Context, action: str, subject: object = "", *, before: Any = None,
           after: Any = None, reason: str = "", approved_by: object = None,
           txn: object = None) -> m.AuditEntry:
    """Append one entry. Call it inside the ``write_transaction`` that does the action, so
    the action and its trace commit together (or neither does); ``txn``, the id of the
    transaction the action wrote, puts the hash of its money in the entry."""
    if not is_sqlite():  # SQLite's write transaction already serialises appenders
        proxy.obj.execute_sql("SELECT pg_advisory_xact_lock(%s)", (CHAIN_LOCK,))
    key = _signing_key()
    last = m.AuditEntry.select(m.AuditEntry.seq, m.AuditEntry.hash).order_by(
        m.AuditEntry.seq.desc()).first()
    row = m.AuditEntry(
        seq=(last.seq + 1) if last else 1, created_at=ctx.now(), store_id=ctx.store_id,
        terminal_id=ctx.terminal_id, staff_id=ctx.staff_id,
        approved_by=str(approved_by) if approved_by else None, action=action,
        subject=str(subject or "")[:100],
        before="" if before is None else canonical_json(before),
        after="" if after is None else canonical_json(after), reason=(reason or "")[:1000],
        prev_hash=last.hash if last else GENESIS)
    if txn is not None:
        row.txn_id = uuid.UUID(str(txn))
        row.money_hash = money_hash(row.txn_id)
    row.hash = _digest(key, row.prev_hash, row)
    row.save(force_insert=True)
    after_commit(update_head_file)
    return row


def current_head() -> Head:
    """The chain's head as this connection sees it (inside a transaction: with its rows)."""
    last = m.AuditEntry.select(m.AuditEntry.seq, m.AuditEntry.hash).order_by(
        m.AuditEntry.seq.desc()).first()
    count = m.AuditEntry.select().count()
    return Head(last.seq, last.hash, count) if last else Head(0, GENESIS, 0)


def update_head_file() -> None:
    """After a commit: the head file moves to the chain's head, unless the chain no longer
    holds the entry the file names (then the file keeps it, the proof of a cut)."""
    try:
        head = current_head()
        try:
            kept = read_head_file()
        except ValueError:
            kept = None
        if kept is not None and kept != head:
            same = m.AuditEntry.get_or_none(m.AuditEntry.seq == kept.seq)
            if head.seq < kept.seq or (kept.seq and (same is None or same.hash != kept.hash)):
                return
        if kept != head:
            write_head_file(head)
    except (OSError, pw.DatabaseError) as exc:  # the action itself has been committed
        log.warning("the audit log's head file could not be updated: %s", exc)


def _said(exc: ValueError) -> Phrase:
    """The Phrase a ValueError of this module was raised with (reading the key or the head
    file raises no other)."""
    said = exc.args[0] if exc.args else ""
    return said if isinstance(said, Phrase) else Phrase(
        "the audit log's files cannot be read ({reason})", reason=str(exc))


def verify(*, with_head_file: bool = True) -> list[Phrase]:
    """Where the chain is broken: an edited, forged, inserted or deleted row, a
    transaction's money changed after its entry, a chain shorter than a head it had (the
    head file's, unless ``with_head_file`` is false, and every closed day's)."""
    return verify_chain(with_head_file=with_head_file).problems


@dataclass(frozen=True)
class Verified:
    problems: list[Phrase]
    head: Head  # the last entry read, and how many entries the log holds
    entries: int  # how many entries were read (and their signatures checked)


def verify_chain(*, with_head_file: bool = True, since: Head | None = None) -> Verified:
    """``verify``, and the head it reached. ``since`` (the head a clean check reached,
    ``integrity.quick_check``): only the entries after it are read and their signatures
    checked, from its hash on; the entry it names is read again (still there, same hash,
    same signature), and every head is compared as the full check does. An entry before
    it edited since is left to the full check; the money of a transaction is checked
    again only through an entry after ``since``."""
    problems: list[Phrase] = []
    marker = m.Meta.get_or_none(m.Meta.key == KEY_ID)
    path = key_file()
    key: Key | None = None
    signed = True  # signatures can be checked
    try:
        key = read_key(path)
    except ValueError as exc:
        problems.append(Phrase("audit log: {reason}, so the entries' signatures cannot be "
                               "checked", reason=_said(exc)))
        signed = False
    if key is None and signed and marker is not None:
        problems.append(Phrase("audit log: the key file {path} is missing, so the entries' "
                               "signatures cannot be checked: put back the copy kept apart "
                               "from the backups", path=str(path)))
        signed = False
    if key is not None and marker is not None and marker.value != key.id:
        problems.append(Phrase("audit log: the key file {path} is not the key this log is "
                               "signed with", path=str(path)))
        signed = False

    # the heads are read before the rows: a head file is written only after its entry was
    # committed, so rows read afterwards always reach it (no false alarm while a counter
    # keeps appending)
    heads: list[tuple[Phrase, Head]] = []
    if with_head_file:
        try:
            kept = read_head_file()
        except ValueError as exc:
            problems.append(_said(exc))
            kept = None
        if kept is not None:
            heads.append((Phrase("the head file"), kept))
    for day in m.DayClose.select().where(m.DayClose.audit_head != "").order_by(
            m.DayClose.business_date):
        try:
            heads.append((Phrase("the closing of {day}", day=day.business_date.isoformat()),
                          Head.from_json(day.audit_head)))
        except (ValueError, KeyError, TypeError):
            problems.append(Phrase("audit log: the head kept by the closing of {day} cannot "
                                   "be read", day=day.business_date.isoformat()))
    wanted = {h.seq for _, h in heads}
    seen: dict[int, tuple[str, bool]] = {}  # seq -> (hash, signature good)

    # per transaction, the problem its latest entry finds: a later signed entry re-records
    # a transaction's money (services.member_care moves a merged member's transactions,
    # after checking that their money still matched)
    money: dict[object, list[Phrase]] = {}
    prev_hash, prev_seq, count, read = GENESIS, 0, 0, 0
    rows = m.AuditEntry.select()
    if since is not None and since.seq:
        prev_hash, prev_seq = since.hash, since.seq
        count = m.AuditEntry.select().where(m.AuditEntry.seq <= since.seq).count()
        rows = rows.where(m.AuditEntry.seq > since.seq)
        marked = m.AuditEntry.get_or_none(m.AuditEntry.seq == since.seq)
        if marked is None or marked.hash != since.hash:
            problems.append(Phrase("audit log: entry {seq}, the last one the clean check "
                                   "verified, was changed or deleted since", seq=since.seq))
        elif signed and _digest(key, marked.prev_hash, marked) != marked.hash:
            problems.append(Phrase("audit log: entry {seq} was changed after it was written, "
                                   "or forged (its signature does not match the log's key)",
                                   seq=since.seq))
        for old in m.AuditEntry.select().where(m.AuditEntry.seq.in_(
                [s for s in wanted if s <= since.seq])):  # heads the clean check passed
            seen[old.seq] = (old.hash, not signed or _digest(key, old.prev_hash, old) == old.hash)
    for row in rows.order_by(m.AuditEntry.seq).iterator():
        count += 1
        read += 1
        if row.seq != prev_seq + 1:
            problems.append(Phrase("audit log: entries {first}..{last} are missing",
                                   first=prev_seq + 1, last=row.seq - 1))
        if row.prev_hash != prev_hash:
            problems.append(Phrase("audit log: entry {seq} does not follow the entry before it",
                                   seq=row.seq))
        good = not signed or _digest(key, row.prev_hash, row) == row.hash
        if not good:
            problems.append(Phrase("audit log: entry {seq} was changed after it was written, "
                                   "or forged (its signature does not match the log's key)",
                                   seq=row.seq))
        if row.seq in wanted:
            seen[row.seq] = (row.hash, good)
        if row.txn_id is not None:
            money[row.txn_id] = _money_problem(row)
        prev_hash, prev_seq = row.hash, row.seq
    problems += [p for found in money.values() for p in found]
    for where, head in heads:
        if prev_seq < head.seq or count < head.count:
            figures: dict[str, Any] = dict(seq=prev_seq, count=count, where=where,
                                           head=head.seq, head_count=head.count)
            problems.append(Phrase(
                "audit log: it ends at entry {seq} ({count} entries), but {where} recorded "
                "entry {head} ({head_count} entries): entries were deleted from its end",
                **figures) if prev_seq < head.seq else Phrase(
                "audit log: it ends at entry {seq} ({count} entries), but {where} recorded "
                "entry {head} ({head_count} entries): entries were deleted", **figures))
        elif head.seq and head.seq in seen and seen[head.seq][1] \
                and seen[head.seq][0] != head.hash:
            problems.append(Phrase("audit log: entry {seq} is not the one {where} recorded: "
                                   "the log was cut short at entry {seq} and written again "
                                   "from there", seq=head.seq, where=where))
    return Verified(problems, Head(prev_seq, prev_hash, count), read)


def _money_problem(row: m.AuditEntry) -> list[Phrase]:
    txn = m.Txn.get_or_none(m.Txn.id == row.txn_id)
    if txn is None:
        return [Phrase("audit log: the transaction {txn} of entry {seq} ({action}) no longer "
                       "exists", txn=str(row.txn_id), seq=row.seq, action=row.action)]
    if money_hash(txn.id) != row.money_hash:
        return [Phrase("audit log: the amounts of {kind} {receipt} were changed after entry "
                       "{seq} recorded them", kind=Term(txn.kind, "transaction kind"),
                       receipt=txn.receipt_no, seq=row.seq)]
    return []


