"""The statements the counter runs on every scan and every sale, compiled once (see prepared)."""

from __future__ import annotations

import peewee as pw

from . import models as m
from .database import is_sqlite
from .prepared import Statement

QUALIFYING_KINDS = ("sale", "refund", "void")

txn_by_key = Statement(lambda key: m.Txn.select(m.Txn.id, m.Txn.kind).where(
    m.Txn.idempotency_key == key))

# the row lock this UPDATE takes (PostgreSQL; SQLite holds its write lock already) makes a
# second process with the same terminal id wait until the first one's sale is committed
take_seq = Statement(lambda terminal: m.TerminalCounter.update(
    last_seq=m.TerminalCounter.last_seq + 1).where(
    m.TerminalCounter.terminal_id == terminal).returning(m.TerminalCounter.last_seq))
# a terminal's first receipt since the counters came: continue after its last receipt;
# two processes doing this at once insert one row (ON CONFLICT DO NOTHING / INSERT OR IGNORE)
open_counter = Statement(lambda terminal: m.TerminalCounter.insert_from(
    m.Txn.select(terminal, pw.fn.COALESCE(pw.fn.MAX(m.Txn.seq), 0)).where(
        m.Txn.terminal_id == terminal),
    [m.TerminalCounter.terminal_id, m.TerminalCounter.last_seq]).on_conflict_ignore())


def _member_locked(member_id: pw.Node) -> pw.ModelSelect:
    # SQLite's IMMEDIATE transaction already holds the database's write lock; PostgreSQL
    # needs a row lock so two terminals cannot both spend the same balance
    query = m.Member.select().where(m.Member.id == member_id)
    return query if is_sqlite() else query.for_update()


member_locked = Statement(_member_locked)


def _txn_locked(txn_id: pw.Node) -> pw.ModelSelect:
    # what a refund, void or reversal reads as already returned must not change under it:
    # on PostgreSQL the original's row lock orders two managers reversing the same sale
    # (SQLite's IMMEDIATE transaction already does)
    query = m.Txn.select().where(m.Txn.id == txn_id)
    return query if is_sqlite() else query.for_update()


txn_locked = Statement(_txn_locked)
member_by_id = Statement(lambda member_id: m.Member.select().where(m.Member.id == member_id))
member_by_card = Statement(lambda card: m.Member.select().where(m.Member.card_no == card))
member_by_phone = Statement(lambda phone: m.Member.select().where(m.Member.phone == phone))

product_by_sku = Statement(lambda sku: m.Product.select().where(m.Product.sku == sku))
# by the barcode table's primary key: one index probe, then the product's
product_by_barcode = Statement(lambda code: m.Product.select().join(m.ProductBarcode).where(
    m.ProductBarcode.code == code))
# what the scan field names, in one round trip (PostgreSQL: three would cost ~0.6 ms): the
# active products whose SKU is the text as typed or in capitals, or whose barcode it is. A
# scalar subquery in the IN list (the barcode is a primary key: one row at most) keeps it
# three probes of the primary key; "OR sku IN (SELECT ...)" had PostgreSQL read the table.
active_product_by_ref = Statement(lambda sku, upper, code: m.Product.select().where(
    m.Product.sku.in_([sku, upper, m.ProductBarcode.select(m.ProductBarcode.product).where(
        m.ProductBarcode.code == code)])
    & (m.Product.active == True)))  # noqa: E712

points_batches = Statement(lambda member_id: m.PointsEntry.select(
    m.PointsEntry.id, m.PointsEntry.remaining, m.PointsEntry.expires_at).where(
    (m.PointsEntry.member == member_id) & (m.PointsEntry.remaining > 0)))

move_points_balance = Statement(lambda delta, member_id: m.Member.update(
    points_balance=m.Member.points_balance + delta).where(m.Member.id == member_id))
move_batch = Statement(lambda delta, batch_id: m.PointsEntry.update(
    remaining=m.PointsEntry.remaining + delta).where(m.PointsEntry.id == batch_id))
move_sv_balance = Statement(lambda paid, bonus, member_id: m.Member.update(
    sv_paid_balance=m.Member.sv_paid_balance + paid,
    sv_bonus_balance=m.Member.sv_bonus_balance + bonus).where(m.Member.id == member_id))
move_visits = Statement(lambda delta, card_id: m.PunchCard.update(
    visits_left=m.PunchCard.visits_left + delta).where(m.PunchCard.id == card_id))
record_visit = Statement(lambda at, tier, since, member_id: m.Member.update(
    last_visit_at=at, tier=tier, tier_since=since).where(m.Member.id == member_id))

spend_since = Statement(lambda member_id, since: m.Txn.select(
    pw.fn.COALESCE(pw.fn.SUM(m.Txn.total), 0)).where(
    (m.Txn.member == member_id) & (m.Txn.created_at >= since)
    & m.Txn.kind.in_(QUALIFYING_KINDS)))

live_punch_cards = Statement(lambda member_id, now: m.PunchCard.select(
    m.PunchCard.id, m.PunchCard.name, m.PunchCard.visits_left, m.PunchCard.visits_total,
    m.PunchCard.expires_at).where(
    (m.PunchCard.member == member_id) & (m.PunchCard.status == "active")
    & (m.PunchCard.visits_left > 0)
    & (m.PunchCard.expires_at.is_null() | (m.PunchCard.expires_at > now)))
    .order_by(m.PunchCard.created_at))

auto_templates = Statement(lambda rule_a, rule_b: m.CouponTemplate.select().where(
    ((m.CouponTemplate.auto_rule == rule_a) | (m.CouponTemplate.auto_rule == rule_b))
    & m.CouponTemplate.active)
    .order_by(m.CouponTemplate.code))

coupon_code_taken = Statement(lambda code: m.Coupon.select(m.Coupon.id).where(
    m.Coupon.code == code))

campaign_coupons_to_show = Statement(lambda member_id, now: m.Coupon.select(
    m.Coupon, m.CouponTemplate, m.CampaignMember.id).join(m.CouponTemplate)
    .switch(m.Coupon).join(m.CampaignMember, on=(m.CampaignMember.coupon == m.Coupon.id))
    .where((m.CampaignMember.member == member_id) & m.CampaignMember.shown_txn.is_null()
           & (m.Coupon.status == "issued") & (m.Coupon.valid_until > now))
    .order_by(m.Coupon.created_at, m.Coupon.id))

# by member only, the template compared by the caller: without ANALYZE, SQLite would take
# the template's index and read every coupon of it (275 ms on the 1M demo) to find one
coupons_of_member = Statement(lambda member_id: m.Coupon.select(
    m.Coupon.template, m.Coupon.status, m.Coupon.valid_until, m.Coupon.created_at).where(
    m.Coupon.member == member_id))

bought_since = Statement(lambda member_id, since, category, brand: m.TxnLine.select(
    m.TxnLine.id).join(m.Txn).where(
    (m.Txn.member == member_id) & (m.Txn.created_at >= since) & (m.Txn.kind == "sale")
    & ((m.TxnLine.category == category) | (m.TxnLine.brand == brand))))
