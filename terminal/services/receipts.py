"""The receipt model: everything a printed or on-screen receipt shows, read from the ledgers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from ..db import models as m
from ..loyalty import codes
from ..loyalty.errors import NotFound
from .context import Context


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    qty: int
    unit_price: int
    gross: int
    discount: int  # every discount on the line together
    net: int


@dataclass(frozen=True)
class ReceiptPunch:
    name: str
    visits_left: int
    visits_total: int
    expires_at: datetime | None


@dataclass(frozen=True)
class ReceiptMember:
    name: str
    card_no: str
    phone_masked: str
    tier: str
    points_earned: int
    points_redeemed: int
    points_balance: int
    stored_value_balance: int
    punch_cards: tuple[ReceiptPunch, ...]
    expiring_points: int  # within 30 days
    expiring_on: datetime | None


@dataclass(frozen=True)
class ReceiptCoupon:
    code: str
    payload: str  # what the QR code holds
    name: str
    valid_until: datetime


@dataclass(frozen=True)
class Receipt:
    txn_id: uuid.UUID
    kind: str
    receipt_no: str
    created_at: datetime
    store_name: str
    store_address: str
    terminal_id: str
    cashier: str
    currency: str
    lines: tuple[ReceiptLine, ...]
    subtotal: int
    discounts: tuple[tuple[str, int], ...]  # (label, amount) in pricing order
    total: int
    tenders: tuple[tuple[str, int], ...]
    change: int
    member: ReceiptMember | None
    coupons: tuple[ReceiptCoupon, ...]
    original_receipt_no: str | None
    note: str
    sv_bonus: int = 0


def receipt_for(ctx: Context, txn_id: object) -> Receipt:
    from .members import expiring_points, mask_phone

    txn = m.Txn.get_or_none(m.Txn.id == txn_id)
    if txn is None:
        raise NotFound("no such transaction")
    lines = tuple(
        ReceiptLine(ln.name, ln.qty, ln.unit_price, ln.unit_price * ln.qty,
                    ln.line_discount + ln.tier_discount + ln.coupon_discount
                    + ln.points_discount, ln.net)
        for ln in txn.lines.order_by(m.TxnLine.line_no))
    discounts = tuple((label, amount) for label, amount in (
        ("line", txn.line_discount), ("tier", txn.tier_discount),
        ("coupon", txn.coupon_discount), ("points", txn.points_discount)) if amount)
    tenders = tuple((label, amount) for label, amount in (
        ("stored_value", txn.stored_value), ("cash", txn.cash + txn.change),
        ("card", txn.card), ("other", txn.other)) if amount)
    member = None
    if txn.member_id is not None:
        mem = m.Member.get_by_id(txn.member_id)
        tier = ctx.programme.tiers.by_code(mem.tier)
        now = ctx.now()
        cards = tuple(
            ReceiptPunch(c.name, c.visits_left, c.visits_total, c.expires_at)
            for c in mem.punch_cards.where(
                (m.PunchCard.status == "active") & (m.PunchCard.visits_left > 0)
                & (m.PunchCard.expires_at.is_null() | (m.PunchCard.expires_at > now))))
        expiring = expiring_points(ctx, mem.id, 30)
        member = ReceiptMember(
            name=mem.name if mem.erased_at is None else "",
            card_no=mem.card_no,
            phone_masked=mask_phone(mem.phone, ctx.settings.store.phone_region),
            tier=tier.name, points_earned=txn.points_earned,
            points_redeemed=txn.points_redeemed, points_balance=mem.points_balance,
            stored_value_balance=mem.stored_value_balance, punch_cards=cards,
            expiring_points=sum(e.points for e in expiring),
            expiring_on=expiring[0].expires_at if expiring else None)
    coupons = tuple(
        ReceiptCoupon(c.code, codes.coupon_payload(c.code), c.template.name, c.valid_until)
        for c in m.Coupon.select(m.Coupon, m.CouponTemplate).join(m.CouponTemplate)
        .where(m.Coupon.issued_txn == txn.id).order_by(m.Coupon.created_at))
    original = None
    if txn.original_id is not None:
        original = m.Txn.get_by_id(txn.original_id).receipt_no
    return Receipt(
        txn_id=txn.id, kind=txn.kind, receipt_no=txn.receipt_no, created_at=txn.created_at,
        store_name=ctx.settings.store.name, store_address=ctx.settings.store.address,
        terminal_id=txn.terminal_id, cashier=txn.staff_id or "", currency=ctx.currency,
        lines=lines, subtotal=txn.subtotal, discounts=discounts, total=txn.total,
        tenders=tenders, change=txn.change, member=member, coupons=coupons,
        original_receipt_no=original, note=txn.note, sv_bonus=txn.sv_bonus)


def latest_txn_id(ctx: Context, terminal_id: str | None = None) -> uuid.UUID:
    """The id of this terminal's most recent transaction (``print receipt --sale last``)."""
    terminal = terminal_id or ctx.settings.store.terminal_id
    row = (m.Txn.select(m.Txn.id).where(m.Txn.terminal_id == terminal)
           .order_by(m.Txn.seq.desc()).first())
    if row is None:
        raise NotFound(f"terminal {terminal} has no transactions yet")
    return row.id
