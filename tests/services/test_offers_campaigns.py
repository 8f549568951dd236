"""Automatic offers (cross-sell, birthday, win-back) and campaigns with a hold-out group."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from terminal.core.errors import InvalidInput, NotFound, PermissionDenied
from terminal.db import models as m
from terminal.services import audit_listing, campaigns, coupons, integrity, members
from tests.helpers import factory


def _held(member_id) -> list[str]:
    return sorted(c.template_id for c in m.Coupon.select().where(
        (m.Coupon.member == member_id) & (m.Coupon.status == "issued")))


def test_cross_sell_from_brand_a_to_brand_b_within_the_look_back(ctx, catalogue, clock):
    m.CouponTemplate.create(code="TRY-B", name="Try brand B: 10 off", kind="amount",
                            amount=1000, brands="BrandB", auto_rule="cross_sell",
                            auto_category="BrandA", auto_days=30, valid_days=30)
    mb = factory.member(ctx)
    first = factory.sale(ctx, [("SHAMPOO-A", 1)], member_id=mb.id)
    assert [c.name for c in first.coupons] == ["Try brand B: 10 off"]
    factory.sale(ctx, [("TEA", 1)], member_id=mb.id)  # still holds it: not a second one
    assert _held(mb.id).count("TRY-B") == 1
    code = next(c.code for c in m.Coupon.select().where(m.Coupon.template == "TRY-B"))
    used = factory.sale(ctx, [("SHAMPOO-B", 1)], member_id=mb.id, coupon_code=code)
    assert used.discounts == (("coupon", 1000),)
    clock.advance(days=10)
    again = factory.sale(ctx, [("TEA", 1)], member_id=mb.id)  # bought A 10 days ago
    assert [c.name for c in again.coupons] == ["Try brand B: 10 off"]
    other = factory.member(ctx)
    assert factory.sale(ctx, [("TEA", 1)], member_id=other.id).coupons == ()


def test_birthday_and_win_back_coupons_when_scanned(ctx, catalogue, clock):
    mb = factory.member(ctx, birthday=date(1990, 3, 12))  # the clock starts 10 March
    assert "BIRTHDAY" in [c.template_id for c in coupons.offers_on_scan(ctx, mb.id)]
    assert coupons.offers_on_scan(ctx, mb.id) == []  # once a season, not once a scan
    factory.sale(ctx, [("LATTE", 1)], member_id=mb.id)
    clock.advance(days=60)
    assert coupons.offers_on_scan(ctx, mb.id) == []  # 60 days away: not yet lapsed
    clock.advance(days=40)
    (back,) = coupons.offers_on_scan(ctx, mb.id)
    assert back.template_id == "WINBACK"
    assert coupons.offers_on_scan(ctx, mb.id) == []  # one per absence
    assert "We miss you: 15% off" in [c.name for c in members.view(ctx, mb.id).coupons]


def test_campaign_with_hold_out_contacts_and_uplift(ctx, catalogue, clock, tmp_path):
    manager = factory.manager(ctx)
    people = [factory.member(ctx, f"M{i:02d}", marketing_consent=i % 2 == 0)
              for i in range(20)]
    for p in people:
        factory.sale(ctx, [("LATTE", 1)], member_id=p.id)
    clock.advance(days=100)  # all alike, so all score 5: "at risk" after 100 days away
    with pytest.raises(PermissionDenied):
        campaigns.create(ctx, "Come back", "at_risk", "WINBACK", approved_by=None)
    with pytest.raises(InvalidInput, match="no member"):
        campaigns.create(ctx, "Nobody", "champions", "WINBACK", approved_by=manager)
    view = campaigns.create(ctx, "Come back 回来吧", "at_risk", "WINBACK",
                            "15% off this week", control_percent=20, approved_by=manager,
                            seed=7)
    assert (view.targeted, view.control) == (16, 4)
    rows = list(m.CampaignMember.select())
    control = {r.member_id for r in rows if r.control}
    assert all(r.coupon_id is None for r in rows if r.control)
    assert all(_held(mid).count("WINBACK") == 0 for mid in control)
    target = [p for p in people if p.id not in control]
    assert all(_held(p.id).count("WINBACK") == 1 for p in target)

    # the coupon shows on the member panel and prints on the next receipt, once
    shopper = target[0]
    assert any(c.name == "We miss you: 15% off" for c in members.view(ctx, shopper.id).coupons)
    receipt = factory.sale(ctx, [("TEA", 1)], member_id=shopper.id)
    assert [c.name for c in receipt.coupons] == ["We miss you: 15% off"]
    assert factory.sale(ctx, [("TEA", 1)], member_id=shopper.id).coupons == ()
    code = receipt.coupons[0].code
    factory.sale(ctx, [("CAKE", 3)], member_id=shopper.id, coupon_code=code)

    out = tmp_path / "contacts.csv"
    n = campaigns.export_contacts(ctx, view.id, out, manager)
    with out.open(encoding="utf-8-sig") as f:
        got = list(csv.DictReader(f))
    consenting = [p for p in target if p.marketing_consent]
    assert n == len(got) == len(consenting)
    assert {r["phone"] for r in got} == {p.phone for p in consenting}  # full, for SMS
    assert got[0]["message"] == "15% off this week"

    res = campaigns.results(ctx, view.id)
    assert res.redeemed == 1 and res.redemption_rate == 1 / 16
    spent = 1800 * 2 + 3200 * 3 - round(3200 * 3 * 0.15)
    assert res.target_revenue_per_member == spent / 16
    assert res.control_revenue_per_member == 0 and res.uplift is None
    assert [e.action for e in audit_listing.entries()][:2] == [
        "export_contacts", "campaign_created"]
    assert integrity.check() == []


def test_a_campaign_is_planned_before_it_is_made(ctx, catalogue, clock):
    manager = factory.manager(ctx)
    people = [factory.member(ctx, f"P{i:02d}") for i in range(10)]
    for p in people:
        factory.sale(ctx, [("LATTE", 1)], member_id=p.id)
    clock.advance(days=100)
    before = m.Coupon.select().count()
    first = campaigns.plan(ctx, "at_risk", "WINBACK", control_percent=20)
    assert (first.segment_members, first.targeted, first.held_out) == (10, 8, 2)
    assert first.kind == "percent" and first.most_cost is None  # depends on what they buy
    assert first.redemption_rate is None  # no earlier campaign with this offer
    assert m.Coupon.select().count() == before  # planning issues nothing
    view = campaigns.create(ctx, "Back", "at_risk", "WINBACK", control_percent=20,
                            approved_by=manager, seed=1)
    assert (view.targeted, view.control) == (first.targeted, first.held_out)
    shopper = next(c for c in m.Coupon.select().where(m.Coupon.campaign == str(view.id)))
    factory.sale(ctx, [("CAKE", 1)], member_id=shopper.member_id, coupon_code=shopper.code)
    again = campaigns.plan(ctx, "at_risk", "WINBACK", control_percent=0)
    assert again.redemption_rate == 1 / 8 and again.held_out == 0
    amount = m.CouponTemplate.create(code="TEN", name="10 off", kind="amount", amount=1000)
    ten = campaigns.plan(ctx, "at_risk", amount.code, control_percent=0)
    assert ten.targeted == again.targeted == 9  # the one who came back is not at risk
    assert (ten.value_each, ten.most_cost, ten.expected_cost) == (1000, 1000 * 9, None)
    with pytest.raises(NotFound):
        campaigns.plan(ctx, "at_risk", "NOSUCH")
