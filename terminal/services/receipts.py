"""The receipt model: everything a printed or on-screen receipt shows, read from the ledgers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from ..core.errors import NotFound
from ..core.i18n import Named
from ..core.rules import ReceiptTexts
from ..db import models as m
from ..db import statements as q
from ..loyalty import codes, points
from .context import Context
from .ledger import batches
from .members import mask_phone
from .staff import name_of

EXPIRY_NOTICE_DAYS = 30  # the receipt warns of points expiring this soon


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    qty: int
    unit_price: int
    gross: int
    discount: int  # every discount on the line together
    net: int
    list_price: int | None = None  # the price, when unit_price is the member price

    @property
    def member_saving(self) -> int:
        return 0 if self.list_price is None else (self.list_price - self.unit_price) * self.qty


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
    page_url: str = ""  # the member's own page, printed as a QR code when asked for


@dataclass(frozen=True)
class ReceiptCoupon(Named):
    code: str
    payload: str  # what the QR code holds
    name: str  # English; printed name_in(the receipt's language)
    valid_until: datetime
    names: tuple[tuple[str, str], ...] = ()


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
    texts: ReceiptTexts = field(default_factory=ReceiptTexts)  # the rules' of its time

    @property
    def member_saving(self) -> int:
        """What member prices saved on this receipt (before the member discount)."""
        return sum(ln.member_saving for ln in self.lines)


def receipt_for(ctx: Context, txn_id: object) -> Receipt:
    """The receipt of a recorded transaction, read back from the database (reprints)."""
    txn = m.Txn.get_or_none(m.Txn.id == txn_id)
    if txn is None:
        raise NotFound("no such transaction")
    member = q.member_by_id.first(txn.member_id) if txn.member_id is not None else None
    coupons = list(m.Coupon.select(m.Coupon, m.CouponTemplate).join(m.CouponTemplate)
                   .where(m.Coupon.issued_txn == txn.id)
                   .order_by(m.Coupon.created_at, m.Coupon.id))
    coupons.extend(m.Coupon.select(m.Coupon, m.CouponTemplate).join(m.CouponTemplate)
                   .switch(m.Coupon)
                   .join(m.CampaignMember, on=(m.CampaignMember.coupon == m.Coupon.id))
                   .where(m.CampaignMember.shown_txn == txn.id)
                   .order_by(m.Coupon.created_at, m.Coupon.id))
    original = None
    if txn.original_id is not None:
        original = m.Txn.get_by_id(txn.original_id).receipt_no
    return build(ctx, txn, list(txn.lines.order_by(m.TxnLine.line_no)), member, coupons,
                 original)


def build(ctx: Context, txn: m.Txn, lines: list[m.TxnLine], member: m.Member | None,
          coupons: list[m.Coupon], original_receipt_no: str | None = None) -> Receipt:
    """The receipt from rows in hand: a checkout passes what it has just written, with the
    member's balances as they now stand."""
    receipt_lines = tuple(
        ReceiptLine(ln.name, ln.qty, ln.unit_price, ln.unit_price * ln.qty,
                    ln.line_discount + ln.tier_discount + ln.coupon_discount
                    + ln.points_discount, ln.net, ln.list_price)
        for ln in lines)
    discounts = tuple((label, amount) for label, amount in (
        ("line", txn.line_discount), ("tier", txn.tier_discount),
        ("coupon", txn.coupon_discount), ("points", txn.points_discount)) if amount)
    tenders = tuple((label, amount) for label, amount in (
        ("stored_value", txn.stored_value), ("cash", txn.cash + txn.change),
        ("card", txn.card), ("other", txn.other)) if amount)
    block = None
    if member is not None:
        now = ctx.now()
        cards = tuple(ReceiptPunch(c.name, c.visits_left, c.visits_total, c.expires_at)
                      for c in q.live_punch_cards.rows(member.id, now))
        expiring = points.expiring(batches(member.id), now, EXPIRY_NOTICE_DAYS)
        block = ReceiptMember(
            name=member.name if member.erased_at is None else "",
            card_no=member.card_no,
            phone_masked=mask_phone(member.phone, ctx.settings.store.phone_region),
            tier=ctx.programme.tiers.by_code(member.tier).name,
            points_earned=txn.points_earned, points_redeemed=txn.points_redeemed,
            points_balance=member.points_balance,
            stored_value_balance=member.sv_paid_balance + member.sv_bonus_balance,
            punch_cards=cards, expiring_points=sum(pts for _, pts in expiring),
            expiring_on=expiring[0][0] if expiring else None)
    issued = tuple(
        ReceiptCoupon(c.code, codes.coupon_payload(c.code), c.template.name, c.valid_until,
                      c.template.names)
        for c in coupons)
    return Receipt(
        txn_id=txn.id, kind=txn.kind, receipt_no=txn.receipt_no, created_at=txn.created_at,
        store_name=ctx.settings.store.name, store_address=ctx.settings.store.address,
        terminal_id=txn.terminal_id, cashier=name_of(txn.staff_id), currency=ctx.currency,
        lines=receipt_lines, subtotal=txn.subtotal, discounts=discounts, total=txn.total,
        tenders=tenders, change=txn.change, member=block, coupons=issued,
        original_receipt_no=original_receipt_no, note=txn.note, sv_bonus=txn.sv_bonus,
        texts=ctx.programme_at(txn.created_at).receipt)


def latest_txn_id(ctx: Context, terminal_id: str | None = None) -> uuid.UUID:
    """The id of this terminal's most recent transaction (``print receipt --sale last``)."""
    terminal = terminal_id or ctx.settings.store.terminal_id
    row = (m.Txn.select(m.Txn.id).where(m.Txn.terminal_id == terminal)
           .order_by(m.Txn.seq.desc()).first())
    if row is None:
        raise NotFound("terminal {terminal} has no transactions yet", terminal=terminal)
    return row.id
