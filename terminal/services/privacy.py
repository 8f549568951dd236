"""A member's rights over their data (PIPL, GDPR): see a phone in full only with a manager,
take a copy of everything held, and be erased while the books stay whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee
import phonenumbers

from ..core import excel_csv
from ..core.errors import Conflict, InvalidInput, NotFound
from ..core.i18n import Term
from ..db import models as m
from ..db.database import proxy, write_transaction
from . import audit
from .backup import HeldCopy, copies_of
from .context import Context
from .ledger import live_points, lock_member, take_points
from .staff import require_approver

ERASED_NAME = "Erased member"


def _member(member_id: object) -> m.Member:
    member = m.Member.get_or_none(m.Member.id == member_id)
    if member is None:
        raise NotFound("no such member")
    return member


def reveal_phone(ctx: Context, member_id: object, approved_by: object) -> str:
    """The full phone number, for a manager (the screen and paper show it masked)."""
    with write_transaction():
        require_approver(approved_by, Term("showing a full phone number", "approval"))
        member = _member(member_id)
        if member.erased_at is not None or not member.phone:
            raise InvalidInput("this member has no phone number on file")
        audit.record(ctx, "reveal_phone", member.card_no, approved_by=approved_by)
    number = phonenumbers.parse(member.phone)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _rows(query: Any, *fields: str) -> list[dict[str, Any]]:
    return [{f: getattr(r, f) for f in fields} for r in query]


def member_data(ctx: Context, member_id: object, approved_by: object) -> dict[str, Any]:
    """Everything held about one member, as plain data (a data-access request)."""
    with write_transaction():
        require_approver(approved_by, Term("exporting a member's data", "approval"))
        member = _member(member_id)
        audit.record(ctx, "export_member_data", member.card_no, approved_by=approved_by)
    referrer = (m.Member.get_by_id(member.referred_by_id).card_no
                if member.referred_by_id else None)
    profile = {
        "card_no": member.card_no, "name": member.name, "phone": member.phone,
        "email": member.email, "birthday": member.birthday,
        "marketing_consent": member.marketing_consent,
        "tier": member.tier, "member_since": member.created_at,
        "points_balance": member.points_balance,
        "stored_value_balance": member.stored_value_balance,
        "referral_code": member.referral_code, "referred_by": referrer,
        "last_visit_at": member.last_visit_at, "erased_at": member.erased_at,
    }
    txns = m.Txn.select().where(m.Txn.member == member.id).order_by(m.Txn.created_at)
    return {
        "member": profile,
        "transactions": [
            {"receipt_no": t.receipt_no, "at": t.created_at, "kind": t.kind, "total": t.total,
             "points_earned": t.points_earned, "points_redeemed": t.points_redeemed,
             "lines": [{"name": ln.name, "qty": ln.qty, "net": ln.net}
                       for ln in t.lines.order_by(m.TxnLine.line_no)]}
            for t in txns],
        "points": _rows(m.PointsEntry.select().where(m.PointsEntry.member == member.id)
                        .order_by(m.PointsEntry.created_at),
                        "created_at", "kind", "delta", "remaining", "expires_at", "reason"),
        "stored_value": _rows(m.StoredValueEntry.select().where(
            m.StoredValueEntry.member == member.id).order_by(m.StoredValueEntry.created_at),
            "created_at", "kind", "delta_paid", "delta_bonus", "reason"),
        "punch_cards": _rows(m.PunchCard.select().where(m.PunchCard.member == member.id),
                             "name", "visits_total", "visits_left", "expires_at", "status"),
        "coupons": _rows(m.Coupon.select().where(m.Coupon.member == member.id)
                         .order_by(m.Coupon.created_at),
                         "code", "template_id", "status", "valid_from", "valid_until"),
    }


def write_member_data(data: dict[str, Any], path: str | Path) -> Path:
    """JSON (``.json``) or CSV (any other suffix: one row per item, a section column)."""
    target = Path(path)
    if target.suffix.lower() == ".json":
        target.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                          encoding="utf-8")
        return target

    def rows() -> Iterator[list[object]]:
        yield ["section", "field", "value"]
        for field, value in data["member"].items():
            if field == "phone" and isinstance(value, str):
                value = excel_csv.number_text(value)  # E.164, as it is
            yield ["member", field, value]
        for section in ("transactions", "points", "stored_value", "punch_cards", "coupons"):
            for i, item in enumerate(data[section], start=1):
                yield [section, i, json.dumps(item, ensure_ascii=False, default=str)]

    excel_csv.write(target, rows())
    return target


@dataclass(frozen=True)
class Erasure:
    """What an erasure did, and where the member's data still is."""

    card_no: str
    points_lapsed: int
    journal_cleared: bool  # SQLite: the -wal was emptied into the file (False: still busy)
    copies: tuple[HeldCopy, ...]  # SQLite: the copies made before, which still hold the data
    keep_days: int  # how long the automatic backups are kept ([backup] keep_days)
    server_backups: bool  # PostgreSQL: the server's own backups hold it; not known here


def erase(ctx: Context, member_id: object, approved_by: object, reason: str) -> Erasure:
    """Remove the personal fields; keep the member's sales and ledgers under a pseudonym.

    Stored value is the member's money: it must be cashed out first. Live points, usable
    coupons and punch cards lapse (a ledger row says so for the points); a scanned code of
    the member then says the member was erased. On SQLite the -wal is then checkpointed
    (the old versions of the member's row leave it and the file at once: ``secure_delete``
    zeroes what the file frees); the result lists the backups that still hold the data.
    """
    if not reason or not reason.strip():
        raise InvalidInput("say why the member is erased (e.g. 'their request of 1 May')")
    with write_transaction():
        require_approver(approved_by, Term("erasing a member", "approval"))
        member = lock_member(member_id)
        if member.erased_at is not None:
            raise Conflict("this member was erased already")
        if member.stored_value_balance:
            raise InvalidInput("the member still has stored value: cash it out first")
        points = live_points(ctx, member.id)
        if points:
            take_points(ctx, member.id, points, "erase", reason="member erased")
        m.Coupon.update(status="void").where(
            (m.Coupon.member == member.id) & (m.Coupon.status == "issued")).execute()
        m.PunchCard.update(status="cancelled").where(
            (m.PunchCard.member == member.id) & (m.PunchCard.status == "active")).execute()
        # queued and printed receipts keep the name: the paper is out, the copy goes
        m.PrintJob.delete().where(
            m.PrintJob.txn.in_(m.Txn.select(m.Txn.id).where(m.Txn.member == member.id))
            & (m.PrintJob.status != "printing")).execute()
        # the outbox keeps what became of each message, not where it went nor what it said
        m.Message.update(state="cancelled", last_error="member erased").where(
            (m.Message.member == member.id) & (m.Message.state == "queued")).execute()
        m.Message.update(address="", subject="", body="").where(
            m.Message.member == member.id).execute()
        m.Member.update(name=ERASED_NAME, name_key="", phone=None, email=None, birthday=None,
                        marketing_consent=False, note="", erased_at=ctx.now()).where(
            m.Member.id == member.id).execute()
        audit.record(ctx, "erase_member", member.card_no, approved_by=approved_by,
                     reason=reason.strip(), after={"points_lapsed": points})
    database = proxy.obj
    keep_days = ctx.settings.backup.keep_days
    if not isinstance(database, peewee.SqliteDatabase):
        return Erasure(member.card_no, points, True, (), keep_days, server_backups=True)
    cleared = _checkpoint(database)
    copies: tuple[HeldCopy, ...] = ()
    if database.database != ":memory:":
        copies = tuple(copies_of(database.database, ctx.settings.backup.path(), keep_days))
    return Erasure(member.card_no, points, cleared, copies, keep_days, server_backups=False)


def _checkpoint(database: peewee.SqliteDatabase) -> bool:
    """Everything in the -wal into the database file, and the -wal truncated to nothing;
    False if a reader or a writer elsewhere kept it busy (it is then emptied later)."""
    if database.in_transaction():  # the caller's transaction commits later
        return False
    row = database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return bool(row) and row[0] == 0
