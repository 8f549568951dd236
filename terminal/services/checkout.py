"""Checkout: price, pay, earn and record a sale as one transaction, exactly once per key."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

import peewee as pw

from ..core import money
from ..core.errors import Conflict, InvalidInput, NotFound, PunchCardError
from ..core.i18n import Names, Term, name_in
from ..core.rules import Programme
from ..db import models as m
from ..db import statements as q
from ..db.database import write_transaction
from ..db.prepared import insert
from ..loyalty import coupon_rules, pricing, tiers
from ..loyalty import points as prules
from ..loyalty import punch as punch_rules
from ..loyalty.stored_value import split_spend
from . import audit, member_links
from . import coupons as coupon_service
from .context import Context
from .ledger import (
    add_points,
    live_points,
    lock_member,
    move_punch,
    move_stored_value,
    new_txn,
    refuse_merged,
    take_points,
)
from .members import qualifying_spend
from .printing import recorded
from .receipts import Receipt, receipt_for
from .receipts import build as build_receipt
from .staff import require_approver


@dataclass(frozen=True)
class SaleItem:
    """A catalogue product by SKU or barcode, or a plain amount with a name."""

    sku: str | None = None
    qty: int = 1
    unit_price: int | None = None  # plain amount; or a price override for a SKU
    name: str | None = None
    category: str = ""
    line_discount: int = 0


@dataclass(frozen=True)
class CheckoutRequest:
    idempotency_key: str
    items: tuple[SaleItem, ...] = ()
    member_id: uuid.UUID | str | None = None
    coupon_code: str | None = None
    points: int = 0
    tenders: pricing.Tenders = field(default_factory=pricing.Tenders)
    punch_card_id: uuid.UUID | str | None = None  # use one visit of this card
    note: str = ""
    approved_by: str | None = None  # the manager who allowed discounts above the limit
    page_link: bool = False  # the member's page link on the receipt (needs [web] public_url)


def check_key(key: str) -> str:
    if not isinstance(key, str) or not 8 <= len(key.strip()) <= 100:
        raise InvalidInput("an idempotency key of 8 to 100 characters is needed")
    return key.strip()


def replay(key: str, kind: str | tuple[str, ...]) -> m.Txn | None:
    """The transaction (its id and kind) already recorded under ``key``, if any: a retry or
    a double click."""
    txn = q.txn_by_key.first(key)
    kinds = (kind,) if isinstance(kind, str) else kind
    if txn is not None and txn.kind not in kinds:
        raise Conflict("key {key!r} was already used for a {kind}", key=key,
                       kind=Term(txn.kind, "transaction kind"))
    return txn


def _product(ref: str) -> m.Product:
    product = q.product_by_sku.first(ref) or q.product_by_barcode.first(ref)
    if product is None or not product.active:
        raise NotFound("no product with SKU or barcode {ref!r}", ref=ref[:40])
    return product


def basket(items: tuple[SaleItem, ...]) -> tuple[list[pricing.BasketLine], list[m.Product | None]]:
    lines: list[pricing.BasketLine] = []
    products: list[m.Product | None] = []
    for item in items:
        if item.sku:
            p = _product(item.sku)
            price = p.price if item.unit_price is None else item.unit_price
            lines.append(pricing.BasketLine(
                name=item.name or p.name, unit_price=price, qty=item.qty, sku=p.sku,
                category=p.category, brand=p.brand, line_discount=item.line_discount,
                discountable=p.discountable and not p.punch_visits,
                # a price the cashier typed is the price, for a member too
                member_price=p.member_price if item.unit_price is None else None))
            products.append(p)
        else:
            if item.unit_price is None:
                raise InvalidInput("an item needs a SKU or an amount")
            lines.append(pricing.BasketLine(
                name=(item.name or "Amount").strip()[:200] or "Amount",
                unit_price=item.unit_price, qty=item.qty, category=item.category,
                line_discount=item.line_discount))
            products.append(None)
    return lines, products


def manual_discount(lines: list[pricing.BasketLine], products: list[m.Product | None]) -> int:
    """What the cashier took off by hand: line discounts and prices typed below the
    catalogue's."""
    total = 0
    for line, product in zip(lines, products, strict=True):
        total += line.line_discount
        if product is not None and line.unit_price < product.price:
            total += (product.price - line.unit_price) * line.qty
    return total


def discount_limit(ctx: Context) -> int:
    return money.parse(ctx.settings.store.discount_limit, ctx.currency)


def _price(ctx: Context, lines: list[pricing.BasketLine], member: m.Member | None,
           coupon_code: str | None, points: int, rules: Programme | None = None
           ) -> tuple[m.Coupon | None, pricing.Pricing, int]:
    """The basket priced for the member, as checkout records it: (coupon, pricing, the
    member's live points), with ``rules`` (default: those in force now)."""
    rules = ctx.programme if rules is None else rules
    tier = rules.tiers.by_code(member.tier) if member else None
    coupon = terms = None
    if coupon_code:
        coupon = coupon_service.find(coupon_code)
        coupon_rules.check_usable(coupon_service.state(coupon), member.id if member else None,
                            ctx.now())
        terms = coupon_service.terms(coupon.template)
    balance = live_points(ctx, member.id) if member else 0
    priced = pricing.price(
        lines, tier_percent=tier.discount_percent if tier else Decimal(0), coupon=terms,
        coupon_code=coupon.code if coupon else "", points_requested=points,
        points_balance=balance, rules=rules.points, currency=ctx.currency,
        member=member is not None)
    return coupon, priced, balance


def _earned(ctx: Context, priced: pricing.Pricing, member: m.Member | None,
            stored_value_paid: int, rules: Programme, now: datetime) -> prules.Earned:
    """The points ``member`` earns on ``priced`` (none without a member)."""
    if member is None:
        return prules.Earned(0, tuple(0 for _ in priced.lines), Decimal(1))
    tier = rules.tiers.by_code(member.tier)
    return prules.earn(
        [prules.EarnLine(pl.line.category, pl.net, pl.points_discount) for pl in priced.lines],
        stored_value_paid=stored_value_paid,
        tier_multiplier=tier.points_multiplier if tier else Decimal(1),
        today=now.date(), birthday=member.birthday, rules=rules.points,
        currency=ctx.currency)


@dataclass(frozen=True)
class Preview:
    """A basket priced for a member without recording anything (the counter's totals)."""

    pricing: pricing.Pricing
    points_balance: int
    stored_value_balance: int
    coupon_name: str  # English; coupon_name_in(language) for the reader's
    coupon_names: Names = ()
    points_earned: int = 0  # paid in cash or by card (stored value may earn less)

    def coupon_name_in(self, language: str | None) -> str:
        return name_in(self.coupon_name, self.coupon_names, language)


def preview(ctx: Context, items: tuple[SaleItem, ...], member_id: object = None,
            coupon_code: str = "", points: int = 0) -> Preview:
    """What ``checkout`` would charge for ``items`` now; reads only."""
    lines, _ = basket(items)
    member = None
    if member_id is not None:
        member = m.Member.get_or_none(m.Member.id == member_id)
        if member is None or member.erased_at is not None:
            raise NotFound("no such member")
    coupon, priced, balance = _price(ctx, lines, member, coupon_code.strip() or None, points)
    earned = _earned(ctx, priced, member, 0, ctx.programme, ctx.now())
    return Preview(priced, balance, member.stored_value_balance if member else 0,
                   str(coupon.template.name) if coupon else "",
                   coupon.template.names if coupon else (), earned.total)


def checkout(ctx: Context, req: CheckoutRequest) -> Receipt:
    key = check_key(req.idempotency_key)
    done = replay(key, "sale")
    if done is not None:
        return receipt_for(ctx, done.id)
    if not req.items and req.punch_card_id is None:
        raise InvalidInput("the basket is empty")
    if req.page_link and (req.member_id is None or not ctx.settings.web.public_url):
        raise InvalidInput("the member's page link is printed for a member, with the "
                           "service's public address ([web] public_url) set")
    lines, products = basket(req.items)
    if req.member_id is None:
        if req.points:
            raise InvalidInput("points need a member: scan the member first")
        if req.tenders.stored_value:
            raise InvalidInput("stored value needs a member: scan the member first")
        if req.punch_card_id:
            raise InvalidInput("a punch card needs a member: scan the member first")
        if any(p is not None and p.punch_visits for p in products):
            raise InvalidInput("a punch card is sold to a member: scan the member first")
    return once(ctx, key, "sale", lambda: _record(ctx, req, key, lines, products))


def once(ctx: Context, key: str, kind: str | tuple[str, ...],
         record: Callable[[], Receipt]) -> Receipt:
    """``record()``; or, when the key's unique index refuses our insert because another
    terminal committed the same key between our check and our insert, its receipt."""
    try:
        return record()
    except pw.IntegrityError:
        done = replay(key, kind)
        if done is None:
            raise
        return receipt_for(ctx, done.id)


def _record(ctx: Context, req: CheckoutRequest, key: str, lines: list[pricing.BasketLine],
            products: list[m.Product | None]) -> Receipt:
    with write_transaction():
        done = replay(key, "sale")  # another terminal or thread may have just recorded it
        if done is not None:
            return receipt_for(ctx, done.id)
        now = ctx.now()
        rules = ctx.programme_at(now)  # the sale's time: one set of rules for all of it
        member = lock_member(req.member_id) if req.member_id is not None else None
        if member is not None:
            # a retry of this sale from another terminal may have committed while we waited
            # for the member's lock: replay it, never refuse it for the balance it just spent
            done = replay(key, "sale")
            if done is not None:
                return receipt_for(ctx, done.id)
        if member is not None and member.erased_at is not None:
            raise InvalidInput("this member has been erased")
        if member is not None:
            refuse_merged(member)
        tier = rules.tiers.by_code(member.tier) if member else None
        by_hand = manual_discount(lines, products)
        if by_hand > discount_limit(ctx):
            require_approver(req.approved_by,
                             Term("a discount or price change above the limit", "approval"))
        coupon, priced, _ = _price(ctx, lines, member, req.coupon_code, req.points, rules)
        settlement = pricing.settle(priced.total, req.tenders,
                                    member.stored_value_balance if member else 0,
                                    ctx.currency)
        card = None
        if req.punch_card_id is not None:
            card = m.PunchCard.get_or_none(m.PunchCard.id == req.punch_card_id)
            if card is None or member is None or card.member_id != member.id:
                raise PunchCardError("this punch card does not belong to the member",
                                     reason="other_member")
            punch_rules.check_usable(
                punch_rules.PunchState(card.name, card.visits_left, card.expires_at,
                                       card.status), now)

        earned = _earned(ctx, priced, member, settlement.stored_value, rules, now)

        txn = new_txn(
            ctx, key, "sale", member=member.id if member else None,
            tier=tier.code if tier else None, subtotal=priced.subtotal,
            line_discount=priced.line_discount, tier_discount=priced.tier_discount,
            coupon_discount=priced.coupon_discount, points_discount=priced.points_discount,
            total=priced.total, points_redeemed=priced.points_redeemed,
            points_earned=earned.total, stored_value=settlement.stored_value,
            cash=settlement.cash, card=settlement.card, other=settlement.other,
            change=settlement.change, coupon_code=coupon.code if coupon else None,
            note=req.note[:500])
        written: list[m.TxnLine] = []
        for i, (pl, product, pts) in enumerate(
                zip(priced.lines, products, earned.per_line, strict=True), start=1):
            line = insert(
                m.TxnLine, txn=txn, line_no=i, sku=pl.line.sku, name=pl.line.name,
                category=pl.line.category, brand=pl.line.brand, qty=pl.line.qty,
                unit_price=pl.unit_price, line_discount=pl.line_discount,
                tier_discount=pl.tier_discount, coupon_discount=pl.coupon_discount,
                points_discount=pl.points_discount, net=pl.net, points_earned=pts,
                list_price=pl.line.unit_price if pl.member_saving else None)
            written.append(line)
            if product is not None and product.punch_visits and member is not None:
                for _ in range(pl.line.qty):
                    new_card = insert(
                        m.PunchCard, **ctx.origin(), member=member.id, sku=product.sku,
                        name=product.name,
                        visits_total=product.punch_visits, visits_left=0,
                        expires_at=punch_rules.expiry(now, product.punch_valid_days),
                        txn_line=line)
                    move_punch(ctx, new_card, product.punch_visits, "sell", txn=txn)

        issued: list[m.Coupon] = []
        if member is not None:
            # the member row is locked: its balances move here exactly as the ledger's
            # statements move them in the database, for the receipt
            if priced.points_redeemed:
                take_points(ctx, member.id, priced.points_redeemed, "redeem", txn=txn)
            if settlement.stored_value:
                paid, bonus = split_spend(settlement.stored_value, member.sv_paid_balance,
                                          member.sv_bonus_balance, currency=ctx.currency)
                move_stored_value(ctx, member.id, -paid, -bonus, "spend", txn=txn)
                member.sv_paid_balance -= paid
                member.sv_bonus_balance -= bonus
            if earned.total:
                add_points(ctx, member.id, earned.total, "earn", txn=txn)
            member.points_balance += earned.total - priced.points_redeemed
            if card is not None:
                move_punch(ctx, card, -1, "use", txn=txn)
            _referral_reward(ctx, member, txn)
            if not tiers.is_top(member.tier, rules.tiers):
                up = tiers.upgrade(member.tier, qualifying_spend(ctx, member.id, now),
                                   rules.tiers)
                if up is not None:
                    member.tier, member.tier_since = up.code, now
            member.last_visit_at = now
            q.record_visit.execute(now, member.tier, member.tier_since, member.id)
            issued = coupon_service.issue_at_checkout(
                ctx, member.id, txn, total=priced.total,
                categories=frozenset(pl.line.category for pl in priced.lines),
                brands=frozenset(pl.line.brand for pl in priced.lines if pl.line.brand))
            issued += coupon_service.campaign_coupons_for_receipt(member.id, txn, now)
        if coupon is not None:
            updated = (m.Coupon.update(status="redeemed", redeemed_txn=txn, redeemed_at=now)
                       .where((m.Coupon.id == coupon.id) & (m.Coupon.status == "issued"))
                       .execute())
            if updated != 1:
                raise Conflict("coupon {code} was just used elsewhere", code=coupon.code)
        if by_hand > discount_limit(ctx):
            audit.record(ctx, "manual_discount", txn.receipt_no, approved_by=req.approved_by,
                         after={"amount": by_hand})
        # from the rows just written: the member's balances moved above as the ledger
        # moved them; queued with the sale, so neither is lost without the other
        receipt = build_receipt(ctx, txn, written, member, issued)
        if req.page_link and member is not None and receipt.member is not None:
            receipt = replace(receipt, member=replace(receipt.member,
                                                      page_url=member_links.url(ctx, member)))
        return recorded(ctx, receipt)


def _referral_reward(ctx: Context, member: m.Member, txn: m.Txn) -> None:
    """The referrer is rewarded once, when the member they brought makes a first purchase."""
    pts = ctx.programme.referral.referrer_points
    if member.referred_by_id is None or not pts:
        return
    first = not (m.Txn.select().where((m.Txn.member == member.id) & (m.Txn.kind == "sale")
                                      & (m.Txn.id != txn.id)).exists())
    if not first:
        return
    referrer = m.Member.get_or_none(m.Member.id == member.referred_by_id)
    if referrer is None or referrer.erased_at is not None:
        return
    add_points(ctx, referrer.id, pts, "referral", txn=txn,
               reason=f"brought member {member.card_no}")
