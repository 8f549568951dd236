"""Checkout as one transaction: pricing, tenders, ledgers, idempotency and refusals."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from terminal.core.errors import (
    Conflict,
    CouponError,
    InsufficientPoints,
    InsufficientStoredValue,
    InvalidInput,
    NotFound,
    PaymentError,
    PermissionDenied,
    PointsRuleViolation,
    PunchCardError,
)
from terminal.core.money import MoneyError
from terminal.db import models as m
from terminal.loyalty.pricing import Tenders
from terminal.services import checkout, coupons, integrity, members
from terminal.services.checkout import CheckoutRequest, SaleItem
from tests.helpers import factory
from tests.helpers.state import snapshot


def test_anonymous_cash_sale_with_change(ctx, catalogue):
    r = factory.sale(ctx, [("LATTE", 2), ("CAKE", 1)], cash=10_000)
    assert (r.subtotal, r.total, r.change) == (8800, 8800, 1200)
    assert r.tenders == (("cash", 10_000),)
    assert r.member is None and r.receipt_no == "T01-000001"
    txn = m.Txn.get_by_id(r.txn_id)
    assert (txn.cash, txn.change, txn.business_date.isoformat()) == (8800, 1200, "2026-03-10")
    assert integrity.check() == []


def test_member_sale_earns_points_with_tier_and_category_rules(ctx, catalogue):
    mb = factory.member(ctx)
    r = factory.sale(ctx, [("LATTE", 1), ("CAKE", 1)], member_id=mb.id)
    assert r.total == 6000 and r.member.points_earned == 60
    assert r.member.points_balance == 60
    batch = m.PointsEntry.get((m.PointsEntry.member == mb.id) & (m.PointsEntry.kind == "earn"))
    assert batch.remaining == 60 and batch.expires_at.isoformat() == "2028-03-11T00:00:00"


def test_gold_member_gets_discount_and_multiplier(ctx, catalogue):
    mb = factory.member(ctx)
    m.Member.update(tier="gold").where(m.Member.id == mb.id).execute()
    r = factory.sale(ctx, [("LATTE", 3)], member_id=mb.id)  # 8400 - 5% = 7980
    assert r.discounts == (("tier", 420),) and r.total == 7980
    assert r.member.points_earned == 119  # floor(79.80 * 1.5)


def test_tier_upgrades_at_checkout(ctx, catalogue):
    mb = factory.member(ctx)
    m.Product.create(sku="TV", name="TV", category="electronics", price=210_000)
    first = factory.sale(ctx, [("TV", 1)], member_id=mb.id)
    assert first.discounts == ()  # the upgrade applies from the next sale
    assert m.Member.get_by_id(mb.id).tier == "silver"
    second = factory.sale(ctx, [("LATTE", 1)], member_id=mb.id)
    assert second.discounts == (("tier", 56),)


def test_points_redemption_within_cap_and_errors(ctx, catalogue):
    mb = factory.member(ctx)
    m.Product.create(sku="BIG", name="Big", price=100_000)
    factory.sale(ctx, [("BIG", 2)], member_id=mb.id)  # 2000 points, and now Silver (2% off)
    before = snapshot()
    with pytest.raises(PointsRuleViolation, match=r"\(¥13.72\): at most 1372 points"):
        factory.sale(ctx, [("LATTE", 1)], member_id=mb.id, points=1500)  # 50% of 27.44
    with pytest.raises(InsufficientPoints):
        factory.sale(ctx, [("BIG", 1)], member_id=mb.id, points=5000)
    with pytest.raises(PointsRuleViolation, match="at least 100"):
        factory.sale(ctx, [("LATTE", 1)], member_id=mb.id, points=50)
    assert snapshot() == before
    r = factory.sale(ctx, [("LATTE", 1)], member_id=mb.id, points=1000, cash=1744)
    assert r.discounts == (("tier", 56), ("points", 1000)) and r.total == 1744
    assert r.member.points_redeemed == 1000
    assert r.member.points_balance == 2000 - 1000 + 20  # floor(17.44 x 1.2)
    assert integrity.check() == []


def test_coupon_applies_and_cannot_be_used_twice(ctx, catalogue):
    mb = factory.member(ctx)
    welcome = members.view(ctx, mb.id).coupons[0]
    before = snapshot()
    with pytest.raises(CouponError, match="at least"):
        factory.sale(ctx, [("TEA", 1)], member_id=mb.id, coupon_code=welcome.code)
    assert snapshot() == before
    r = factory.sale(ctx, [("LATTE", 2)], member_id=mb.id, coupon_code="C1." + welcome.code)
    assert r.discounts == (("coupon", 1000),) and r.total == 4600
    with pytest.raises(CouponError, match="already been used"):
        factory.sale(ctx, [("LATTE", 2)], member_id=mb.id, coupon_code=welcome.code)


def test_another_members_coupon_and_expired_coupon_are_refused(ctx, catalogue, clock):
    owner = factory.member(ctx)
    thief = factory.member(ctx)
    code = members.view(ctx, owner.id).coupons[0].code
    before = snapshot()
    with pytest.raises(CouponError, match="another member"):
        factory.sale(ctx, [("LATTE", 2)], member_id=thief.id, coupon_code=code)
    with pytest.raises(CouponError, match="scan the member"):
        factory.sale(ctx, [("LATTE", 2)], coupon_code=code)
    clock.advance(days=90)
    with pytest.raises(CouponError, match="expired"):
        factory.sale(ctx, [("LATTE", 2)], member_id=owner.id, coupon_code=code)
    with pytest.raises(CouponError, match="no coupon"):
        factory.sale(ctx, [("LATTE", 2)], member_id=owner.id, coupon_code="NOSUCHCODE")
    assert snapshot() == before


def test_bearer_coupon_free_item(ctx, catalogue):
    m.CouponTemplate.create(code="FREECAKE", name="Free cake", kind="free_item", sku="CAKE")
    coupon = coupons.issue(ctx, "FREECAKE")
    r = factory.sale(ctx, [("CAKE", 2), ("TEA", 1)], coupon_code=coupon.code)
    assert r.discounts == (("coupon", 3200),) and r.total == 3200 + 1800


def test_stored_value_tender_and_overdraw(ctx, catalogue):
    mb = factory.member(ctx)
    factory.top_up(ctx, mb.id, 10_000)  # bonus 20.00
    assert m.Member.get_by_id(mb.id).stored_value_balance == 12_000
    before = snapshot()
    with pytest.raises(InsufficientStoredValue):
        factory.sale(ctx, [("LATTE", 5)], member_id=mb.id,
                     tenders=Tenders(stored_value=14_000))
    assert snapshot() == before
    r = factory.sale(ctx, [("LATTE", 3)], member_id=mb.id,
                     tenders=Tenders(stored_value=8_400))
    assert r.tenders == (("stored_value", 8400),)
    after = m.Member.get_by_id(mb.id)
    assert (after.sv_paid_balance, after.sv_bonus_balance) == (10_000 - 7000, 2000 - 1400)
    assert integrity.check() == []


@pytest.mark.parametrize("tenders, error, message", [
    (Tenders(cash=100), PaymentError, "still to pay"),
    (Tenders(card=10_000), PaymentError, "only cash gives change"),
])
def test_payment_errors(ctx, catalogue, tenders, error, message):
    before = snapshot()
    with pytest.raises(error, match=message):
        checkout.checkout(ctx, CheckoutRequest(factory.key(), (SaleItem("LATTE"),),
                                               tenders=tenders))
    assert snapshot() == before


@pytest.mark.parametrize("item, error", [
    (SaleItem("NOPE"), NotFound),
    (SaleItem("LATTE", qty=0), InvalidInput),
    (SaleItem("LATTE", qty=-1), InvalidInput),
    (SaleItem(None, unit_price=-100, name="refund?"), MoneyError),
    (SaleItem(None, unit_price=12.5, name="float"), MoneyError),  # type: ignore[arg-type]
    (SaleItem(None), InvalidInput),
])
def test_bad_items_refused_and_nothing_written(ctx, catalogue, item, error):
    before = snapshot()
    with pytest.raises(error):
        checkout.checkout(ctx, CheckoutRequest(factory.key(), (item,),
                                               tenders=Tenders(cash=10_000)))
    assert snapshot() == before


def test_float_tender_refused(ctx, catalogue):
    with pytest.raises(MoneyError):
        Tenders(cash=28.0)  # type: ignore[arg-type]


def test_plain_amount_and_barcode(ctx, catalogue):
    r = checkout.checkout(ctx, CheckoutRequest(factory.key(), (
        SaleItem(None, unit_price=1234, name="Misc"), SaleItem("6901234567892")),
        tenders=Tenders(card=1234 + 3200)))
    assert [ln.name for ln in r.lines] == ["Misc", "Cheesecake"] and r.total == 4434


def test_same_key_twice_records_one_sale(ctx, catalogue):
    mb = factory.member(ctx)
    req = CheckoutRequest("double-click-1", (SaleItem("LATTE"),), member_id=mb.id,
                          tenders=Tenders(cash=5000))
    a = checkout.checkout(ctx, req)
    b = checkout.checkout(ctx, req)
    assert a.txn_id == b.txn_id
    assert m.Txn.select().count() == 1
    assert m.Member.get_by_id(mb.id).points_balance == 28
    with pytest.raises(Conflict):
        from terminal.services import accounts

        accounts.top_up(ctx, "double-click-1", mb.id, 10_000, Tenders(cash=10_000))


def test_same_key_from_two_threads_records_one_sale(ctx, catalogue, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("threads share the SQLite file; PostgreSQL is covered by test_simulate")
    mb = factory.member(ctx)
    req = CheckoutRequest("retry-key-42", (SaleItem("LATTE"),), member_id=mb.id,
                          tenders=Tenders(cash=5000))
    results, errors = [], []

    def go() -> None:
        try:
            results.append(checkout.checkout(ctx, req).txn_id)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(results)) == 1
    assert m.Txn.select().count() == 1


def test_punch_card_sold_and_used(ctx, catalogue, clock):
    mb = factory.member(ctx)
    r = factory.sale(ctx, [("CARD10", 1), ("LATTE", 1)], member_id=mb.id)
    assert r.member.punch_cards[0].visits_left == 10
    assert r.member.points_earned == 278  # the card's price earns points too
    card = members.view(ctx, mb.id).punch_cards[0]
    for _ in range(10):
        factory.sale(ctx, [], member_id=mb.id, punch_card_id=card.id)
    assert members.view(ctx, mb.id).punch_cards == ()
    other = factory.member(ctx)
    before = snapshot()
    with pytest.raises(PunchCardError, match="0 visits left"):
        factory.sale(ctx, [], member_id=mb.id, punch_card_id=card.id)
    with pytest.raises(PunchCardError, match="does not belong"):
        factory.sale(ctx, [], member_id=other.id, punch_card_id=card.id)
    assert snapshot() == before
    assert integrity.check() == []


def test_punch_card_expires(ctx, catalogue, clock):
    mb = factory.member(ctx)
    factory.sale(ctx, [("CARD10", 1)], member_id=mb.id)
    card = members.view(ctx, mb.id).punch_cards[0]
    clock.advance(days=367)
    with pytest.raises(PunchCardError, match="expired"):
        factory.sale(ctx, [], member_id=mb.id, punch_card_id=card.id)


def test_member_only_features_need_a_member(ctx, catalogue):
    with pytest.raises(InvalidInput, match="scan the member"):
        factory.sale(ctx, [("LATTE", 1)], points=100)
    with pytest.raises(InvalidInput, match="scan the member"):
        factory.sale(ctx, [("CARD10", 1)])
    with pytest.raises(InvalidInput, match="empty"):
        factory.sale(ctx, [])


def test_next_visit_coupon_issued_on_big_sale(ctx, catalogue):
    mb = factory.member(ctx)
    small = factory.sale(ctx, [("LATTE", 1)], member_id=mb.id)
    assert small.coupons == ()
    big = factory.sale(ctx, [("LATTE", 4)], member_id=mb.id)
    assert [c.name for c in big.coupons] == ["Next visit 5% off"]
    assert big.coupons[0].payload == "C1." + big.coupons[0].code


def test_referrer_rewarded_once_on_first_purchase(ctx, catalogue):
    referrer = factory.member(ctx)
    friend = factory.member(ctx, referral_code=referrer.referral_code)
    factory.sale(ctx, [("LATTE", 1)], member_id=friend.id)
    factory.sale(ctx, [("LATTE", 1)], member_id=friend.id)
    assert m.Member.get_by_id(referrer.id).points_balance == 500


def test_member_day_doubles_points(ctx, catalogue, clock):
    from dataclasses import replace

    from terminal.core.rules import Programme

    ctx.settings = replace(ctx.settings, programme=replace(
        Programme(), points=replace(Programme().points, member_days=(clock.now.weekday(),),
                                    member_day_multiplier=Decimal(3))))
    mb = factory.member(ctx)
    assert factory.sale(ctx, [("LATTE", 1)], member_id=mb.id).member.points_earned == 84


def test_negative_amount_is_a_domain_error_the_counter_can_show(ctx, catalogue):
    from terminal.core.errors import DomainError

    with pytest.raises(DomainError, match="must not be negative"):
        checkout.checkout(ctx, CheckoutRequest(factory.key(), (
            SaleItem(None, unit_price=-100, name="oops"),), tenders=Tenders(cash=100)))


def test_receipt_in_hand_equals_the_receipt_read_back(ctx, catalogue, clock):
    """A checkout builds its receipt from the rows it has just written (no re-reading on the
    hot path); every kind of movement must show exactly what reading it back shows."""
    from terminal.services.receipts import receipt_for

    def sale(items, **kw):
        r = factory.sale(ctx, items, **kw)
        assert r == receipt_for(ctx, r.txn_id)
        return r

    m.CouponTemplate.create(code="XSELL", name="Shampoo B 10 off", kind="amount", amount=1000,
                            categories="care", auto_rule="cross_sell", auto_category="care",
                            valid_days=30)
    referrer = factory.member(ctx)
    mb = factory.member(ctx, referral_code=referrer.referral_code)
    welcome = members.view(ctx, mb.id).coupons[0].code
    factory.top_up(ctx, mb.id, 50_000)
    m.Product.create(sku="BIG", name="Big 大件", category="care", price=210_000)
    # first purchase: referral reward, tier upgrade, points, punch card sold, two coupons
    first = sale([("BIG", 1), ("CARD10", 1), ("SHAMPOO-A", 2)], member_id=mb.id,
                 coupon_code=welcome)
    assert len(first.coupons) == 2 and first.member.punch_cards and first.member.tier == "Silver"
    card = members.view(ctx, mb.id).punch_cards[0]
    clock.advance(days=1)
    sale([("LATTE", 2)], member_id=mb.id, points=500,
         tenders=Tenders(stored_value=1000, cash=10_000))
    sale([], member_id=mb.id, punch_card_id=card.id)
    sale([("TEA", 1)])
    clock.advance(days=715)  # the first batches now expire within the notice period
    assert sale([("TEA", 1)], member_id=mb.id).member.expiring_points > 0
    assert integrity.check() == []


def test_discounts_by_hand_above_the_limit_need_a_manager(ctx, catalogue):
    from terminal.services import audit_listing

    small = (SaleItem("LATTE", 1, line_discount=500),
             SaleItem("TEA", 1, unit_price=1000))  # 5.00 + 8.00 off: under the 20.00 limit
    r = checkout.checkout(ctx, CheckoutRequest(factory.key(), small,
                                               tenders=Tenders(cash=10_000)))
    assert r.total == 2800 - 500 + 1000
    big = (SaleItem("LATTE", 2, line_discount=1000), SaleItem("CAKE", 1, unit_price=1800))
    before = snapshot()
    for nobody in (None, "someone"):
        with pytest.raises(PermissionDenied, match="above the limit needs a manager"):
            checkout.checkout(ctx, CheckoutRequest(factory.key(), big, approved_by=nobody,
                                                   tenders=Tenders(cash=10_000)))
    assert snapshot() == before
    manager = factory.manager(ctx)
    ok = checkout.checkout(ctx, CheckoutRequest(factory.key(), big, approved_by=manager,
                                                tenders=Tenders(cash=10_000)))
    assert ok.total == 5600 - 1000 + 1800
    (entry,) = audit_listing.entries(action="manual_discount")
    assert entry.subject == ok.receipt_no and '"amount":2400' in entry.after
