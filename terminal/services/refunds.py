"""Refunds and voids: reverse points, stored value, punch visits and coupons exactly.

A refund can take back some lines (or some of a line's quantity) and can be repeated until
everything is back. Every amount of a returned part is cut from the original line with the
cumulative formula ``value * returned_so_far // qty``, so several partial refunds add up to
exactly the original. Money goes back the way it came: stored value first, then card,
other, and cash, unless the manager splits it otherwise within what the sale was paid with
(``RefundRequest.tenders``; ``quote`` shows the amount and the split before anything is
written). Points the member earned on the sale are taken back; points they have
already spent are charged at the redemption rate against the money returned. A punch card
that has been used in part returns only the share of its unused visits. A void is a full
refund on the sale's own business day and marks the sale voided.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

import peewee as pw

from ..core import money
from ..core.errors import InvalidInput, NotFound, RefundError
from ..core.i18n import Term
from ..db import models as m
from ..db.database import write_transaction
from ..db.statements import txn_locked
from . import audit
from .checkout import check_key, once, replay
from .context import Context
from .ledger import (
    live_points,
    lock_member,
    move_punch,
    move_stored_value,
    new_txn,
    restore_points,
    take_points,
)
from .printing import recorded
from .receipts import Receipt, receipt_for
from .staff import require_approver

REVERSAL_KINDS = ("refund", "void", "topup_reversal")
TENDERS = ("stored_value", "card", "other", "cash")  # the default order money goes back in
TENDER_WORDS = {"stored_value": "stored value", "card": "card", "other": "other",
                "cash": "cash"}  # each tender's word (a Term of core.i18n.TERMS["tender"])


@dataclass(frozen=True)
class RefundRequest:
    idempotency_key: str
    txn_id: uuid.UUID | str
    approved_by: str | None  # the manager who approved it
    lines: Mapping[str, int] | None = None  # line id -> quantity; None: all that is left
    reason: str = ""
    void: bool = False
    # where the money goes back, tender -> amount, each at most what the sale was paid with
    # that way (less earlier refunds), adding up to the refund; None: the default order
    tenders: Mapping[str, int] | None = None


@dataclass(frozen=True)
class Quote:
    """What a refund would give back, before it is approved: the amount, where it goes (the
    request's split, or the default one) and the most each tender can take."""

    amount: int
    split: dict[str, int]
    room: dict[str, int]


class _Quoted(Exception):
    def __init__(self, quote: Quote) -> None:
        super().__init__("quoted")
        self.quote = quote


def quote(ctx: Context, req: RefundRequest) -> Quote:
    """The refund ``req`` asks for, worked out exactly as ``refund`` would and rolled back:
    nothing is written, nothing is audited (the same refusals are raised)."""
    try:
        with write_transaction():
            original = lock_original(req.txn_id)
            if original.kind != "sale":
                raise RefundError("a {kind} cannot be refunded",
                                  kind=Term(original.kind, "transaction kind"))
            room = _room(original)
            txn = _refund_sale(ctx, f"quote-{uuid.uuid4()}", original, req)
            raise _Quoted(Quote(-int(txn.total), {t: -int(getattr(txn, t)) for t in TENDERS},
                                room))
    except _Quoted as quoted:
        return quoted.quote


def _room(original: m.Txn) -> dict[str, int]:
    """Per tender, what the sale was paid with that way less what refunds gave back."""
    prior = m.Txn.select().where((m.Txn.original == original.id)
                                 & (m.Txn.kind.in_(("refund", "void"))))
    given_back = {t: -int(sum(getattr(p, t) for p in prior)) for t in TENDERS}
    return {t: int(getattr(original, t)) - given_back[t] for t in TENDERS}


def _split(to_return: int, room: Mapping[str, int], asked: Mapping[str, int] | None,
           currency: str) -> dict[str, int]:
    """Where ``to_return`` goes: as ``asked`` (checked), else in the default order."""
    if asked is None:
        split = {}
        for t in TENDERS:
            split[t] = min(room[t], to_return)
            to_return -= split[t]
        if to_return:
            raise RefundError("the refund is larger than what was paid")  # pragma: no cover
        return split
    if set(asked) - set(TENDERS):
        raise InvalidInput("money goes back as stored value, card, other or cash")
    split = {t: asked.get(t, 0) for t in TENDERS}
    if any(isinstance(a, bool) or not isinstance(a, int) or a < 0 for a in split.values()):
        raise InvalidInput("an amount to give back is a whole number of cents, not negative")
    for t, amount in split.items():
        if amount > room[t]:
            raise RefundError("at most {most} can go back as {tender}: the sale was paid so "
                              "much that way", most=money.format_amount(room[t], currency),
                              tender=Term(TENDER_WORDS[t], "tender"))
    if sum(split.values()) != to_return:
        raise RefundError("the amounts given back add up to {given}, not the refund's {due}",
                          given=money.format_amount(sum(split.values()), currency),
                          due=money.format_amount(to_return, currency))
    return split


def _cut(value: int, qty: int, before: int, after: int) -> int:
    """The part of ``value`` (spread over ``qty`` units) for units ``before`` .. ``after``."""
    return value * after // qty - value * before // qty


def returned_qty(line_id: object) -> int:
    value = (m.TxnLine.select(pw.fn.COALESCE(pw.fn.SUM(m.TxnLine.qty), 0))
             .where(m.TxnLine.original_line == line_id).scalar())
    return -int(value or 0)


def refundable(txn_id: object) -> dict[str, int]:
    """Line id -> quantity that can still be returned."""
    return {str(ln.id): ln.qty - returned_qty(ln.id)
            for ln in m.TxnLine.select().where(m.TxnLine.txn == txn_id)}


def refund(ctx: Context, req: RefundRequest) -> Receipt:
    key = check_key(req.idempotency_key)
    done = replay(key, REVERSAL_KINDS)
    if done is not None:
        return receipt_for(ctx, done.id)
    # a retry of this very refund is found under the sale's lock; ``once`` covers the same
    # key used for another sale at the same moment
    return once(ctx, key, REVERSAL_KINDS, lambda: _record(ctx, key, req))


def lock_original(txn_id: object) -> m.Txn:
    """The transaction to reverse, locked until ours ends: two managers refunding, voiding or
    reversing it at once are served one after the other, the second seeing what the first
    returned (the member's lock is no help: an anonymous sale has none)."""
    original = txn_locked.first(txn_id)
    if original is None:
        raise NotFound("no such sale")
    return original


def _record(ctx: Context, key: str, req: RefundRequest) -> Receipt:
    with write_transaction():
        done = replay(key, REVERSAL_KINDS)
        if done is not None:
            return receipt_for(ctx, done.id)
        require_approver(req.approved_by, Term("a refund or void", "approval"))
        original = lock_original(req.txn_id)
        # everything below reads after the lock: a retry of this very refund from another
        # terminal, committed while we waited, is replayed rather than refused
        done = replay(key, REVERSAL_KINDS)
        if done is not None:
            return receipt_for(ctx, done.id)
        if original.kind == "topup":
            txn = _reverse_top_up(ctx, key, original, req)
        elif original.kind == "sale":
            txn = _refund_sale(ctx, key, original, req)
        else:
            raise RefundError("a {kind} cannot be refunded",
                              kind=Term(original.kind, "transaction kind"))
        receipt = recorded(ctx, receipt_for(ctx, txn.id))
        audit.record(ctx, txn.kind, original.receipt_no, approved_by=req.approved_by,
                     after={"receipt_no": receipt.receipt_no, "total": receipt.total,
                            "lines": req.lines}, reason=req.reason, txn=txn.id)
    return receipt


def _reverse_top_up(ctx: Context, key: str, original: m.Txn, req: RefundRequest) -> m.Txn:
    if (original.status == "voided"
            or m.Txn.select().where(m.Txn.original == original.id).exists()):
        raise RefundError("top-up {receipt_no} has been reversed already",
                          receipt_no=original.receipt_no)
    lock_member(original.member_id)
    member = m.Member.get_by_id(original.member_id)
    paid, bonus = original.total, original.sv_bonus
    if member.sv_paid_balance < paid or member.sv_bonus_balance < bonus:
        raise RefundError(
            "part of this top-up has been spent; refund the remaining balance instead")
    txn = new_txn(ctx, key, "topup_reversal", member=member.id, original=original.id,
                  approved_by=req.approved_by, total=-paid, cash=-original.cash,
                  card=-original.card, other=-original.other, sv_bonus=-bonus,
                  note=req.reason[:500])
    move_stored_value(ctx, member.id, -paid, -bonus, "topup_reversal", txn=txn,
                      reason=req.reason)
    original.status = "voided"
    original.save()
    return txn


def _refund_sale(ctx: Context, key: str, original: m.Txn, req: RefundRequest) -> m.Txn:
    if original.status == "voided":
        raise RefundError("sale {receipt_no} has been voided already",
                          receipt_no=original.receipt_no)
    now = ctx.now()
    lines = list(original.lines.order_by(m.TxnLine.line_no))
    by_id = {str(ln.id): ln for ln in lines}
    before = {str(ln.id): returned_qty(ln.id) for ln in lines}
    prior = list(m.Txn.select().where((m.Txn.original == original.id)
                                      & (m.Txn.kind.in_(("refund", "void")))))
    if req.void:
        if prior:
            raise RefundError("a partly refunded sale cannot be voided; refund the rest")
        if original.business_date != now.date():
            raise RefundError("a void is for today's sales; refund older sales instead")
    if req.lines is None or req.void:
        wanted = {lid: ln.qty - before[lid] for lid, ln in by_id.items()}
    else:
        wanted = {}
        for lid, qty in req.lines.items():
            if str(lid) not in by_id:
                raise InvalidInput("that line is not on this sale")
            if isinstance(qty, bool) or not isinstance(qty, int) or qty < 0:
                raise InvalidInput("a quantity to return is a whole number")
            left = by_id[str(lid)].qty - before[str(lid)]
            if qty > left:
                raise RefundError("only {left} of {name} can be returned", left=left,
                                  name=by_id[str(lid)].name)
            wanted[str(lid)] = qty
    wanted = {lid: q for lid, q in wanted.items() if q > 0}
    all_returned_after = all(before[lid] + wanted.get(lid, 0) == by_id[lid].qty
                             for lid in by_id)
    if not wanted and not (all_returned_after and not prior and original.status == "completed"):
        raise RefundError("sale {receipt_no} has been fully refunded already",
                          receipt_no=original.receipt_no)

    member = lock_member(original.member_id) if original.member_id else None
    # per-line share of the points redeemed on the sale
    pts_alloc = (money.allocate(original.points_redeemed, [ln.points_discount for ln in lines])
                 if original.points_redeemed and any(ln.points_discount for ln in lines)
                 else [0] * len(lines))
    pts_by_line = {str(ln.id): p for ln, p in zip(lines, pts_alloc, strict=True)}

    txn = new_txn(ctx, key, "void" if req.void else "refund",
                  member=member.id if member else None, original=original.id,
                  approved_by=req.approved_by, tier=original.tier,
                  coupon_code=original.coupon_code, note=req.reason[:500])
    sums = dict(subtotal=0, line_discount=0, tier_discount=0, coupon_discount=0,
                points_discount=0, net=0, restore=0, clawback=0)
    cancelled_cards = []
    for no, (lid, q) in enumerate(wanted.items(), start=1):
        ln = by_id[lid]
        a, b = before[lid], before[lid] + q
        part = {f: _cut(getattr(ln, f), ln.qty, a, b) for f in (
            "line_discount", "tier_discount", "coupon_discount", "points_discount", "net",
            "points_earned")}
        net = part["net"]
        cards = list(m.PunchCard.select().where((m.PunchCard.txn_line == ln.id)
                                                & (m.PunchCard.status == "active"))
                     .order_by(m.PunchCard.visits_left.desc(), m.PunchCard.created_at))
        if cards:
            if len(cards) < q:
                raise RefundError("only {n} {name} card is still active",
                                  plural="only {n} {name} cards are still active",
                                  n=len(cards), name=ln.name)
            net = 0
            for j, card in enumerate(cards[:q], start=a + 1):
                share = _cut(ln.net, ln.qty, j - 1, j)
                net += share * card.visits_left // card.visits_total
                cancelled_cards.append(card)
        m.TxnLine.create(
            txn=txn, line_no=no, sku=ln.sku, name=ln.name, category=ln.category,
            brand=ln.brand, qty=-q, unit_price=ln.unit_price,
            line_discount=-part["line_discount"], tier_discount=-part["tier_discount"],
            coupon_discount=-part["coupon_discount"], points_discount=-part["points_discount"],
            net=-net, points_earned=-part["points_earned"], original_line=ln.id,
            list_price=ln.list_price)
        sums["subtotal"] += ln.unit_price * q
        for f in ("line_discount", "tier_discount", "coupon_discount", "points_discount"):
            sums[f] += part[f]
        sums["net"] += net
        sums["restore"] += _cut(pts_by_line[lid], ln.qty, a, b)
        sums["clawback"] += part["points_earned"]

    shortfall_value = 0
    if member is not None:
        if sums["restore"]:
            debit = m.PointsEntry.get((m.PointsEntry.txn == original.id)
                                      & (m.PointsEntry.kind == "redeem"))
            restore_points(ctx, member.id, debit, sums["restore"], "refund_redeem", txn=txn)
        if sums["clawback"]:
            live = live_points(ctx, member.id)
            take = min(live, sums["clawback"])
            shortfall = sums["clawback"] - take
            if take:
                batch = m.PointsEntry.get_or_none((m.PointsEntry.txn == original.id)
                                                  & (m.PointsEntry.kind == "earn"))
                take_points(ctx, member.id, take, "refund_earn", txn=txn,
                            first_from=batch.id if batch else None)
            if shortfall:
                # valued at the sale's own rules, whatever they are today
                rate = ctx.programme_at(original.created_at).points.redeem_points_per_unit
                shortfall_value = min(sums["net"], -(-shortfall * 10 ** money.minor_digits(
                    ctx.currency) // rate))
                sums["clawback"] = take
                txn.note = (txn.note + f" [{shortfall} points already spent: "
                            f"{money.format_amount(shortfall_value, ctx.currency)} kept]"
                            ).strip()

    to_return = sums["net"] - shortfall_value
    given_back = {t: -int(sum(getattr(p, t) for p in prior)) for t in TENDERS}
    tenders = _split(to_return, _room(original), req.tenders, ctx.currency)

    if tenders["stored_value"] and member is not None:
        spend = m.StoredValueEntry.get((m.StoredValueEntry.txn == original.id)
                                       & (m.StoredValueEntry.kind == "spend"))
        spent, bonus_spent = original.stored_value, -spend.delta_bonus
        cum_before = given_back["stored_value"]
        bonus_back = _cut(bonus_spent, spent, cum_before, cum_before + tenders["stored_value"])
        move_stored_value(ctx, member.id, tenders["stored_value"] - bonus_back, bonus_back,
                          "refund", txn=txn)

    for card in cancelled_cards:
        if card.visits_left:
            move_punch(ctx, card, -card.visits_left, "cancel", txn=txn)
        m.PunchCard.update(status="cancelled").where(m.PunchCard.id == card.id).execute()

    if all_returned_after:
        _reverse_whole_sale_effects(ctx, original, txn)
        original.status = "voided" if req.void else "refunded"
        original.save()

    txn.subtotal = -sums["subtotal"]
    txn.line_discount = -sums["line_discount"]
    txn.tier_discount = -sums["tier_discount"]
    txn.coupon_discount = -sums["coupon_discount"]
    txn.points_discount = -sums["points_discount"]
    txn.total = -(sums["net"] - shortfall_value)
    txn.points_redeemed = -sums["restore"]
    txn.points_earned = -sums["clawback"]
    txn.stored_value = -tenders["stored_value"]
    txn.card = -tenders["card"]
    txn.other = -tenders["other"]
    txn.cash = -tenders["cash"]
    txn.save()
    return txn


def _reverse_whole_sale_effects(ctx: Context, original: m.Txn, txn: m.Txn) -> None:
    """What only a complete refund undoes: punch visits used, the coupon, coupons issued."""
    for use in m.PunchEntry.select().where((m.PunchEntry.txn == original.id)
                                           & (m.PunchEntry.kind == "use")):
        card = m.PunchCard.get_by_id(use.card_id)
        if card.status == "active":
            move_punch(ctx, card, -use.delta, "refund_use", txn=txn)
    m.Coupon.update(status="issued", redeemed_txn=None, redeemed_at=None).where(
        (m.Coupon.redeemed_txn == original.id) & (m.Coupon.status == "redeemed")).execute()
    m.Coupon.update(status="void").where((m.Coupon.issued_txn == original.id)
                                         & (m.Coupon.status == "issued")).execute()

