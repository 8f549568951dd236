"""Member prices (会员价) at checkout: what a member and a guest pay, what the receipt shows
and what a refund gives back."""

from __future__ import annotations

from printers.layouts import LayoutOptions, receipt
from terminal.db import models as m
from terminal.loyalty.pricing import Tenders
from terminal.services import checkout, coupons, integrity, refunds
from terminal.services.checkout import CheckoutRequest, SaleItem
from tests.helpers import factory


def _member_prices(**prices: int) -> None:
    for sku, member_price in prices.items():
        m.Product.update(member_price=member_price).where(m.Product.sku == sku).execute()


def test_a_member_pays_the_member_price_and_a_guest_the_price(ctx, catalogue) -> None:
    _member_prices(LATTE=2500)
    guest = factory.sale(ctx, [("LATTE", 2)])
    assert guest.total == 5600 and guest.member_saving == 0
    mb = factory.member(ctx)
    sold = factory.sale(ctx, [("LATTE", 2)], member_id=mb.id)
    assert sold.total == 5000 and sold.subtotal == 5000
    assert sold.member_saving == 600
    line = m.TxnLine.get(m.TxnLine.txn == sold.txn_id)
    assert (line.unit_price, line.list_price, line.net) == (2500, 2800, 5000)
    text = "\n".join(receipt(sold, LayoutOptions(paper_mm=80)).lines())
    assert "Member price (price 28.00)" in text and "Member prices saved you" in text
    assert "6.00" in text.split("Member prices saved you")[1].splitlines()[0]
    assert integrity.check() == []


def test_a_member_price_above_the_price_is_not_used(ctx, catalogue) -> None:
    _member_prices(TEA=1900)
    mb = factory.member(ctx)
    sold = factory.sale(ctx, [("TEA", 1)], member_id=mb.id)
    assert sold.total == 1800 and sold.member_saving == 0
    assert m.TxnLine.get(m.TxnLine.txn == sold.txn_id).list_price is None


def test_a_price_the_cashier_types_is_not_lowered_again(ctx, catalogue) -> None:
    _member_prices(LATTE=2500)
    mb = factory.member(ctx)
    sold = checkout.checkout(ctx, CheckoutRequest(
        factory.key(), (SaleItem("LATTE", unit_price=2700),), member_id=mb.id,
        tenders=Tenders(cash=2700)))
    assert sold.total == 2700 and sold.member_saving == 0


def test_the_tier_discount_and_a_coupon_apply_to_the_member_price(ctx, catalogue) -> None:
    _member_prices(LATTE=2500)
    mb = factory.member(ctx)
    m.Member.update(tier="gold").where(m.Member.id == mb.id).execute()  # 5% off
    welcome = m.Coupon.get((m.Coupon.member == mb.id) & (m.Coupon.template == "WELCOME"))
    sold = factory.sale(ctx, [("LATTE", 3)], member_id=mb.id, coupon_code=welcome.code)
    # 3 x 25.00 = 75.00 (the price would be 84.00); gold 5% is 3.75; the welcome coupon
    # (10 off a spend of 50, counted after the tier discount) 10.00
    assert sold.subtotal == 7500 and sold.member_saving == 900
    assert dict(sold.discounts) == {"tier": 375, "coupon": 1000}
    assert sold.total == 7500 - 375 - 1000
    assert coupons.find(welcome.code).status == "redeemed"


def test_a_refund_of_a_member_priced_line_gives_back_what_was_paid(ctx, catalogue) -> None:
    _member_prices(LATTE=2500)
    mb = factory.member(ctx)
    m.Member.update(tier="gold").where(m.Member.id == mb.id).execute()
    sold = factory.sale(ctx, [("LATTE", 3), ("TEA", 1)], member_id=mb.id)
    paid = {ln.name: ln.net for ln in sold.lines}
    latte = m.TxnLine.get((m.TxnLine.txn == sold.txn_id) & (m.TxnLine.sku == "LATTE"))
    back = refunds.refund(ctx, refunds.RefundRequest(
        factory.key(), sold.txn_id, factory.manager(ctx), {str(latte.id): 3}))
    assert back.total == -paid["Latte 拿铁"]
    assert back.total != -3 * 2800 * 95 // 100  # never the list price
    assert integrity.check() == []
