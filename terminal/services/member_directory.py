"""The manager's member list (search, filters, pages with the total) and a member's history:
read models the window shows, each query on indexed columns and one page at a time."""

from __future__ import annotations

import functools
import operator
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import peewee as pw

from ..core.errors import InvalidInput
from ..core.i18n import name_in
from ..db import models as m
from ..loyalty import codes
from .analytics import segment_members
from .context import Context
from .ledger import current_holder
from .members import (
    get_member,
    mask_email,
    mask_phone,
    name_starts,
    normalize_phone,
    readable,
)

PAGE_MAX = 200


@dataclass(frozen=True)
class MemberFilter:
    """What the list shows; every field left empty matches all. ``text`` is the start of a
    name, a full phone number, a card number or a member code."""

    text: str = ""
    tier: str | None = None
    marketing_consent: bool | None = None
    joined_from: date | None = None  # inclusive dates
    joined_to: date | None = None
    visited_from: date | None = None
    visited_to: date | None = None
    segment: str | None = None  # today's RFM segment (loyalty.segments), as the Members tab
    include_erased: bool = False  # erased and merged records too


@dataclass(frozen=True)
class MemberRow:
    id: uuid.UUID
    card_no: str
    name: str
    phone_masked: str
    tier_code: str
    tier_name: str
    points_balance: int
    stored_value_balance: int
    joined_at: datetime
    last_visit_at: datetime | None
    marketing_consent: bool
    erased: bool
    merged_into_card: str | None
    email_masked: str = ""


@dataclass(frozen=True)
class MemberPage:
    """One page of the list: ``rows`` are the members ``offset`` .. ``offset + len(rows)``
    of ``total`` that match (so the window can say "the first 20 of 144")."""

    rows: tuple[MemberRow, ...]
    total: int
    offset: int
    limit: int


def _day_range(field: pw.Field, start: date | None, end: date | None) -> list[pw.Expression]:
    for day in (start, end):
        if day is not None and (not isinstance(day, date) or isinstance(day, datetime)):
            raise InvalidInput("a date is needed, such as 2026-03-01")
    if start and end and start > end:
        raise InvalidInput("the dates are the wrong way round: {start} is after {end}",
                           start=start, end=end)
    conds = []
    if start is not None:
        conds.append(field >= datetime.combine(start, time.min))
    if end is not None:  # half-open on the next day: no rounding at midnight
        conds.append(field < datetime.combine(end + timedelta(days=1), time.min))
    return conds


def _text_condition(ctx: Context, text: str) -> pw.Expression:
    kind = codes.classify(text)
    if kind in ("member", "card"):
        card = text
        if kind == "member":  # a bad code is an error, as at the counter
            installation, secret = ctx.installation()
            card = codes.verify_member_code(text, secret, installation, ctx.now())
        # a replaced card still finds its member
        return (m.Member.card_no == card) | m.Member.id.in_(
            m.RetiredCard.select(m.RetiredCard.member).where(m.RetiredCard.card_no == card))
    if any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text):
        try:
            return m.Member.phone == normalize_phone(text, ctx.settings.store.phone_region)
        except InvalidInput:
            pass
    return name_starts(text)


def _conditions(ctx: Context, f: MemberFilter) -> list[pw.Expression]:
    conds: list[pw.Expression] = []
    text = readable((f.text or "").strip())
    if text:
        conds.append(_text_condition(ctx, text))
    if f.tier:
        conds.append(m.Member.tier == f.tier)
    if f.marketing_consent is not None:
        conds.append(m.Member.marketing_consent == bool(f.marketing_consent))
    conds += _day_range(m.Member.created_at, f.joined_from, f.joined_to)
    conds += _day_range(m.Member.last_visit_at, f.visited_from, f.visited_to)
    if not f.include_erased:
        conds += [m.Member.erased_at.is_null(), m.Member.merged_into.is_null()]
    conds.append(m.Member.shown())  # an import under way is nobody's member yet
    return conds


def list_members(ctx: Context, f: MemberFilter = MemberFilter(), *, offset: int = 0,
                 limit: int = 20) -> MemberPage:
    """The members ``f`` matches, by name, one page; with how many match in all."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= PAGE_MAX:
        raise InvalidInput("a page has 1 to {most} members", most=PAGE_MAX)
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise InvalidInput("a page starts at member 0 or later")
    conds = _conditions(ctx, f)
    where = functools.reduce(operator.and_, conds) if conds else None
    query = m.Member.select()
    counted = m.Member.select(m.Member.id)
    if where is not None:
        query, counted = query.where(where), counted.where(where)
    order = (m.Member.name_key, m.Member.id)
    if f.segment:  # scored in Python over every member, as the Members tab: no column to index
        wanted = segment_members(ctx, f.segment)
        ids = [i for (i,) in counted.order_by(*order).tuples().iterator() if i in wanted]
        total, ids = len(ids), ids[offset:offset + limit]
        by_id = {r.id: r for r in m.Member.select().where(m.Member.id.in_(ids))} if ids else {}
        rows = [by_id[i] for i in ids]
    else:
        total = counted.count()
        rows = list(query.order_by(*order).offset(offset).limit(limit))
    return MemberPage(tuple(_row(ctx, r) for r in rows), total, offset, limit)


# --- a member's history -------------------------------------------------------------------

@dataclass(frozen=True)
class SaleRow:
    id: uuid.UUID
    receipt_no: str
    kind: str  # the transaction kind (sale, refund, void, topup, ...)
    status: str
    at: datetime
    total: int
    stored_value: int
    points_earned: int
    points_redeemed: int
    refunded: int  # a sale: what its refunds and void paid back so far
    original_receipt_no: str | None  # a refund or reversal: the sale it returns


@dataclass(frozen=True)
class PointsRow:
    at: datetime
    kind: str
    delta: int
    remaining: int
    expires_at: datetime | None
    reason: str
    receipt_no: str | None


@dataclass(frozen=True)
class StoredValueRow:
    at: datetime
    kind: str
    delta_paid: int
    delta_bonus: int
    reason: str
    receipt_no: str | None


@dataclass(frozen=True)
class CouponRow:
    code: str
    template_code: str
    name: str
    status: str
    valid_from: datetime
    valid_until: datetime
    redeemed_at: datetime | None
    campaign: str | None


@dataclass(frozen=True)
class PunchRow:
    id: uuid.UUID
    name: str
    visits_left: int
    visits_total: int
    status: str
    expires_at: datetime | None


@dataclass(frozen=True)
class MemberHistory:
    member: MemberRow
    sales: tuple[SaleRow, ...]  # newest first, each list at most ``limit`` long
    points: tuple[PointsRow, ...]
    stored_value: tuple[StoredValueRow, ...]
    coupons: tuple[CouponRow, ...]
    punch_cards: tuple[PunchRow, ...]


def _receipt(terminal_id: str | None, seq: int | None) -> str | None:
    return f"{terminal_id}-{seq:06d}" if terminal_id and seq is not None else None


def history(ctx: Context, member_id: uuid.UUID | str, limit: int = 100) -> MemberHistory:
    """What the member did, newest first: sales with their refunds, both ledgers, coupons,
    punch cards. A merged record's history is on the record it was merged into."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1000:
        raise InvalidInput("a history shows 1 to {most} rows a list", most=1000)
    member = get_member(member_id)
    page_row = _row(ctx, member)
    original = m.Txn.alias()
    txns = list(m.Txn.select(m.Txn, original.terminal_id.alias("o_terminal"),
                             original.seq.alias("o_seq"))
                .join(original, pw.JOIN.LEFT_OUTER, on=(m.Txn.original == original.id))
                .where(m.Txn.member == member.id)
                .order_by(m.Txn.created_at.desc(), m.Txn.seq.desc()).limit(limit).objects())
    ids = [t.id for t in txns if t.kind == "sale"]
    back: dict[object, int] = {}
    if ids:
        for orig, total in (m.Txn.select(m.Txn.original, pw.fn.SUM(m.Txn.total))
                            .where(m.Txn.original.in_(ids)
                                   & m.Txn.kind.in_(("refund", "void")))
                            .group_by(m.Txn.original).tuples()):
            back[orig] = -int(total or 0)
    sales = tuple(SaleRow(
        t.id, t.receipt_no, t.kind, t.status, t.created_at, t.total, t.stored_value,
        t.points_earned, t.points_redeemed, back.get(t.id, 0),
        _receipt(t.o_terminal, t.o_seq)) for t in txns)
    points = tuple(PointsRow(e.created_at, e.kind, e.delta, e.remaining, e.expires_at,
                             e.reason, _receipt(e.t_terminal, e.t_seq))
                   for e in _with_receipt(m.PointsEntry, member.id, limit))
    stored = tuple(StoredValueRow(e.created_at, e.kind, e.delta_paid, e.delta_bonus,
                                  e.reason, _receipt(e.t_terminal, e.t_seq))
                   for e in _with_receipt(m.StoredValueEntry, member.id, limit))
    language = ctx.settings.store.language
    coupon_rows = tuple(CouponRow(
        c.code, c.template.code, name_in(c.template.name, c.template.names, language),
        c.status, c.valid_from,
        c.valid_until, c.redeemed_at, c.campaign)
        for c in m.Coupon.select(m.Coupon, m.CouponTemplate).join(m.CouponTemplate)
        .where(m.Coupon.member == member.id)
        .order_by(m.Coupon.created_at.desc(), m.Coupon.id.desc()).limit(limit))
    cards = tuple(PunchRow(c.id, c.name, c.visits_left, c.visits_total, c.status,
                           c.expires_at)
                  for c in m.PunchCard.select().where(m.PunchCard.member == member.id)
                  .order_by(m.PunchCard.created_at.desc()).limit(limit))
    return MemberHistory(page_row, sales, points, stored, coupon_rows, cards)


def _with_receipt(model: type[m.PointsEntry] | type[m.StoredValueEntry], member_id: object,
                  limit: int) -> list:
    return list(model.select(model, m.Txn.terminal_id.alias("t_terminal"),
                             m.Txn.seq.alias("t_seq"))
                .join(m.Txn, pw.JOIN.LEFT_OUTER, on=(model.txn == m.Txn.id))
                .where(model.member == member_id)
                .order_by(model.created_at.desc(), model.id.desc()).limit(limit).objects())


def _row(ctx: Context, r: m.Member) -> MemberRow:
    tier = ctx.programme.tiers.by_code(r.tier)
    into = current_holder(r).card_no if r.merged_into_id else None
    return MemberRow(
        r.id, r.card_no, r.name, mask_phone(r.phone, ctx.settings.store.phone_region),
        tier.code, tier.name_in(ctx.settings.store.language), r.points_balance,
        r.stored_value_balance, r.created_at, r.last_visit_at, bool(r.marketing_consent),
        r.erased_at is not None, into, mask_email(r.email))
