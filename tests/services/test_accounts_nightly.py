"""Top-ups, cash-outs, visits, manual adjustments, expiry and tier review."""

from __future__ import annotations

from datetime import timedelta

import pytest

from terminal.core.errors import (
    InsufficientPoints,
    InvalidInput,
    PermissionDenied,
)
from terminal.db import models as m
from terminal.loyalty.pricing import Tenders
from terminal.services import accounts, integrity, members, nightly
from tests.helpers import factory
from tests.helpers.state import snapshot


def test_top_up_bonus_and_cash_out_forfeits_bonus(ctx, catalogue):
    mb = factory.member(ctx)
    r = accounts.top_up(ctx, factory.key(), mb.id, 50_000, Tenders(cash=60_000))
    assert (r.total, r.sv_bonus, r.change) == (50_000, 15_000, 10_000)
    factory.sale(ctx, [("LATTE", 1)], member_id=mb.id, tenders=Tenders(stored_value=2800))
    before = snapshot()
    with pytest.raises(PermissionDenied):
        accounts.cash_out(ctx, factory.key(), mb.id, None)
    assert snapshot() == before
    out = accounts.cash_out(ctx, factory.key(), mb.id, factory.manager(ctx), "moving away")
    paid_spent = 2800 - 2800 * 15_000 // 65_000
    assert out.total == -(50_000 - paid_spent)
    assert m.Member.get_by_id(mb.id).stored_value_balance == 0
    assert integrity.check() == []


@pytest.mark.parametrize("paid", [0, 50, -100])
def test_top_up_too_small_refused(ctx, paid):
    mb = factory.member(ctx)
    before = snapshot()
    with pytest.raises(Exception) as err:
        accounts.top_up(ctx, factory.key(), mb.id, paid, Tenders(cash=max(paid, 0)))
    assert "top-up" in str(err.value) or "negative" in str(err.value)
    assert snapshot() == before


def test_visit_without_sale(ctx, catalogue):
    mb = factory.member(ctx)
    factory.sale(ctx, [("CARD10", 1)], member_id=mb.id)
    card = members.view(ctx, mb.id).punch_cards[0]
    r = accounts.use_punch(ctx, factory.key(), mb.id, card.id)
    assert r.kind == "visit" and r.member.punch_cards[0].visits_left == 9


def test_manual_adjustment_needs_reason_and_manager(ctx):
    mb = factory.member(ctx)
    with pytest.raises(InvalidInput, match="reason"):
        accounts.adjust_points(ctx, factory.key(), mb.id, 100, "  ", factory.manager(ctx))
    with pytest.raises(PermissionDenied):
        accounts.adjust_points(ctx, factory.key(), mb.id, 100, "goodwill", None)
    accounts.adjust_points(ctx, factory.key(), mb.id, 300, "goodwill", factory.manager(ctx))
    with pytest.raises(InsufficientPoints):
        accounts.adjust_points(ctx, factory.key(), mb.id, -301, "typo", factory.manager(ctx))
    accounts.adjust_points(ctx, factory.key(), mb.id, -100, "typo", factory.manager(ctx))
    entries = list(m.PointsEntry.select().where(m.PointsEntry.member == mb.id)
                   .order_by(m.PointsEntry.delta.desc()))
    assert [(e.delta, e.reason) for e in entries] == [(300, "goodwill"), (-100, "typo")]
    assert m.Member.get_by_id(mb.id).points_balance == 200


def test_expiry_job_and_fifo_redemption(ctx, catalogue, clock):
    mb = factory.member(ctx)
    m.Product.create(sku="BIG", name="Big", price=50_000)
    factory.sale(ctx, [("BIG", 1)], member_id=mb.id)  # 500 pts, expire 2028-03-11
    clock.advance(days=200)
    factory.sale(ctx, [("BIG", 1)], member_id=mb.id)  # 500 pts, later
    factory.sale(ctx, [("LATTE", 1)], member_id=mb.id, points=300, cash=2500)  # oldest first
    batches = list(m.PointsEntry.select().where((m.PointsEntry.member == mb.id)
                                                & (m.PointsEntry.kind == "earn"))
                   .order_by(m.PointsEntry.expires_at))
    assert [b.remaining for b in batches] == [200, 500, 25]
    clock.now = batches[0].expires_at - timedelta(days=10)
    soon = members.expiring_points(ctx, mb.id, 30)
    assert [(e.points) for e in soon] == [200]
    clock.now = batches[0].expires_at
    result = nightly.expire_points(ctx)
    assert (result.batches, result.points, result.members) == (1, 200, 1)
    assert nightly.expire_points(ctx).batches == 0  # running it again changes nothing
    assert m.Member.get_by_id(mb.id).points_balance == 525
    assert integrity.check() == []


def test_tier_review_downgrades_after_hold(ctx, catalogue, clock):
    mb = factory.member(ctx)
    m.Product.create(sku="TV", name="TV", price=600_000)
    factory.sale(ctx, [("TV", 1)], member_id=mb.id)
    assert m.Member.get_by_id(mb.id).tier == "gold"
    clock.advance(days=200)
    assert nightly.review_tiers(ctx).downgraded == 0  # spend still in the window
    clock.advance(days=200)
    result = nightly.review_tiers(ctx)
    assert result.downgraded == 1 and m.Member.get_by_id(mb.id).tier == "standard"


def test_check_reports_a_tampered_balance(ctx, catalogue):
    mb = factory.member(ctx)
    factory.sale(ctx, [("LATTE", 1)], member_id=mb.id)
    m.Member.update(points_balance=99999).where(m.Member.id == mb.id).execute()
    problems = integrity.check()
    assert any("points balance equals its ledger" in p for p in problems)
    m.Member.update(points_balance=28, sv_paid_balance=-5).where(m.Member.id == mb.id).execute()
    problems = integrity.check()
    assert any("stored value" in p for p in problems)
    assert any("no negative balance" in p for p in problems)
