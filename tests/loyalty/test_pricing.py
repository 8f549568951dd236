"""terminal.loyalty.pricing: the documented order, exact rounding, allocation and settling."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.core.errors import (
    CouponError,
    InsufficientPoints,
    InsufficientStoredValue,
    InvalidInput,
    PaymentError,
    PointsRuleViolation,
)
from terminal.core.money import MoneyError
from terminal.core.rules import PointsRules
from terminal.loyalty.coupon_rules import CouponTerms
from terminal.loyalty.pricing import BasketLine, Pricing, Tenders, price, settle

LATTE = BasketLine("Latte", 2800, sku="LATTE", category="drinks", brand="House")
TEA = BasketLine("Tea", 1500, sku="TEA", category="drinks", brand="Leaf")
CAKE = BasketLine("Cake", 3200, sku="CAKE", category="bakery", brand="House")
SHAMPOO_A = BasketLine("Shampoo A", 4590, sku="SHAMPOO-A", category="care", brand="BrandA")
SHAMPOO_B = BasketLine("Shampoo B", 5290, sku="SHAMPOO-B", category="care", brand="BrandB")
CARD10 = BasketLine("10-coffee card", 25000, sku="CARD10", category="cards", discountable=False)


def line(base: BasketLine, **kw: object) -> BasketLine:
    from dataclasses import replace

    return replace(base, **kw)


def column(p: Pricing, name: str) -> list[int]:
    return [getattr(pl, name) for pl in p.lines]


# --- plain baskets ---------------------------------------------------------------------


def test_no_discounts() -> None:
    p = price([line(LATTE, qty=2), CAKE])
    assert column(p, "gross") == [5600, 3200]
    assert p.subtotal == 8800
    assert p.total == 8800
    assert (p.line_discount, p.tier_discount, p.coupon_discount, p.points_discount) == (0,) * 4
    assert p.points_redeemed == 0
    assert p.max_points == 0  # no balance


def test_empty_basket() -> None:
    p = price([])
    assert p.lines == ()
    assert p.total == 0


def test_line_discount_comes_off_first() -> None:
    p = price([line(LATTE, qty=2, line_discount=600)], tier_percent=Decimal(5))
    # 5600 - 600 = 5000; 5 % of 5000 = 250
    assert column(p, "line_discount") == [600]
    assert column(p, "tier_discount") == [250]
    assert p.total == 4750


# --- tier discount ---------------------------------------------------------------------


def test_tier_discount_allocated() -> None:
    p = price([line(LATTE, qty=2), CAKE], tier_percent=Decimal(5))
    # 5 % of 8800 = 440, split 5600 : 3200 -> 280 + 160
    assert column(p, "tier_discount") == [280, 160]
    assert p.tier_discount == 440
    assert p.total == 8360


def test_tier_discount_rounded_once_per_bill() -> None:
    a = BasketLine("A", 105)
    b = BasketLine("B", 105)
    p = price([a, b], tier_percent=Decimal(5))
    # 5 % of 210 = 10.5 -> 11 for the bill (per line it would be 5.25 -> 5, twice = 10);
    # 11 over 105 : 105 is 5.5 each, the tie goes to the first line
    assert column(p, "tier_discount") == [6, 5]
    assert p.total == 199


def test_tier_discount_half_up_not_down() -> None:
    p = price([BasketLine("A", 10)], tier_percent=Decimal(15))
    assert p.tier_discount == 2  # 1.5 -> 2
    p = price([BasketLine("A", 10)], tier_percent=Decimal("14.9"))
    assert p.tier_discount == 1  # 1.49 -> 1


def test_tier_discount_skips_non_discountable_lines() -> None:
    p = price([LATTE, CARD10], tier_percent=Decimal(5))
    assert column(p, "tier_discount") == [140, 0]
    assert p.total == 2800 - 140 + 25000


def test_tier_percent_as_int_zero() -> None:
    # checkout passes the int 0 when there is no member
    assert price([LATTE], tier_percent=0).total == 2800


@pytest.mark.parametrize("pct", [0.05, 5.0, float("nan"), True, "5", Decimal(-1), Decimal(101),
                                 -1, Decimal("NaN"), Decimal("Infinity")])
def test_tier_percent_refused(pct: object) -> None:
    with pytest.raises(InvalidInput, match="tier discount must be a percentage"):
        price([LATTE], tier_percent=pct)  # type: ignore[arg-type]


def test_tier_100_percent() -> None:
    p = price([LATTE, CAKE], tier_percent=Decimal(100))
    assert p.total == 0
    assert column(p, "tier_discount") == [2800, 3200]


# --- coupons ---------------------------------------------------------------------------


def test_amount_coupon() -> None:
    c = CouponTerms("amount", amount=1000, min_spend=5000)
    p = price([line(LATTE, qty=2)], coupon=c, coupon_code="ABC")
    assert column(p, "coupon_discount") == [1000]
    assert p.total == 4600


def test_amount_coupon_capped_at_eligible_spend() -> None:
    c = CouponTerms("amount", amount=2000, categories=frozenset({"drinks"}))
    p = price([TEA, CAKE], coupon=c)
    # only the tea (15.00) is eligible: 20.00 off is capped at 15.00, the cake is untouched
    assert column(p, "coupon_discount") == [1500, 0]
    assert p.total == 3200


def test_amount_coupon_allocated_over_eligible_lines() -> None:
    c = CouponTerms("amount", amount=1000, categories=frozenset({"drinks"}))
    p = price([LATTE, CAKE, TEA], coupon=c)
    # 1000 over 2800 : 0 : 1500 -> 651.16 + 348.84 -> 651 + 349
    assert column(p, "coupon_discount") == [651, 0, 349]
    assert p.coupon_discount == 1000


def test_percent_coupon_after_tier() -> None:
    c = CouponTerms("percent", percent=Decimal(15))
    p = price([LATTE, CAKE], tier_percent=Decimal(5), coupon=c)
    # tier: 5 % of 6000 = 300 -> 140 + 160; left 2660 + 3040 = 5700
    # coupon: 15 % of 5700 = 855 -> 855*2660/5700 = 399, 855*3040/5700 = 456
    assert column(p, "tier_discount") == [140, 160]
    assert column(p, "coupon_discount") == [399, 456]
    assert p.total == 4845


def test_percent_coupon_rounded_half_up() -> None:
    c = CouponTerms("percent", percent=Decimal(5))
    p = price([BasketLine("A", 1010)], coupon=c)
    assert p.coupon_discount == 51  # 50.5 -> 51
    p = price([BasketLine("A", 1009)], coupon=c)
    assert p.coupon_discount == 50  # 50.45 -> 50


def test_free_item_coupon() -> None:
    c = CouponTerms("free_item", sku="CAKE")
    p = price([LATTE, line(CAKE, qty=2)], coupon=c)
    assert column(p, "coupon_discount") == [0, 3200]
    assert p.total == 2800 + 3200


def test_free_item_after_tier_discount() -> None:
    c = CouponTerms("free_item", sku="CAKE")
    p = price([LATTE, line(CAKE, qty=2)], tier_percent=Decimal(5), coupon=c)
    # tier: 5 % of 9200 = 460 -> 140 + 320; a cake now costs (6400 - 320) / 2 = 3040
    assert column(p, "tier_discount") == [140, 320]
    assert column(p, "coupon_discount") == [0, 3040]
    assert p.total == 2660 + 3040


def test_free_item_rounds_the_unit_half_up() -> None:
    c = CouponTerms("free_item", sku="X")
    p = price([BasketLine("X", 100, qty=3, sku="X", line_discount=1)], coupon=c)
    # 299 / 3 = 99.67 -> 100
    assert p.coupon_discount == 100
    p = price([BasketLine("X", 100, qty=2, sku="X", line_discount=1)], coupon=c)
    # 199 / 2 = 99.5 -> 100
    assert p.coupon_discount == 100


def test_free_item_not_in_basket() -> None:
    c = CouponTerms("free_item", sku="CAKE")
    with pytest.raises(CouponError, match="coupon FREE1 does not apply to the product") as info:
        price([LATTE], coupon=c, coupon_code="FREE1")
    assert info.value.details["reason"] == "not_applicable"


def test_min_spend_checked_after_tier_discount() -> None:
    c = CouponTerms("amount", amount=1000, min_spend=5000)
    basket = [BasketLine("A", 5200)]
    assert price(basket, coupon=c).coupon_discount == 1000
    # 5 % off leaves 4940, below the 50.00 minimum
    with pytest.raises(CouponError) as info:
        price(basket, tier_percent=Decimal(5), coupon=c, coupon_code="WELCOME")
    assert str(info.value) == ("coupon WELCOME needs a spend of at least ¥50.00 on eligible "
                               "items (now ¥49.40)")
    assert info.value.details.items() >= {"reason": "min_spend", "min_spend": 5000,
                                          "spend": 4940}.items()


def test_min_spend_exactly_reached() -> None:
    c = CouponTerms("amount", amount=1000, min_spend=5000)
    assert price([BasketLine("A", 5000)], coupon=c).total == 4000
    with pytest.raises(CouponError, match=r"now ¥49\.99"):
        price([BasketLine("A", 4999)], coupon=c)


def test_min_spend_counts_eligible_lines_only() -> None:
    c = CouponTerms("amount", amount=500, min_spend=3000, categories=frozenset({"drinks"}))
    with pytest.raises(CouponError, match=r"now ¥28\.00"):
        price([LATTE, CAKE], coupon=c)  # 60.00 in the basket, 28.00 of it drinks


def test_min_spend_message_in_store_currency() -> None:
    c = CouponTerms("amount", amount=100, min_spend=1000)
    with pytest.raises(CouponError) as info:
        price([BasketLine("A", 999)], coupon=c, coupon_code="J", currency="JPY")
    # used to say 10.00 and 9.99: minor units divided by 100 whatever the currency
    assert str(info.value) == ("coupon J needs a spend of at least ¥1,000 on eligible items "
                               "(now ¥999)")


def test_category_restriction() -> None:
    c = CouponTerms("percent", percent=Decimal(10), categories=frozenset({"bakery"}))
    p = price([LATTE, CAKE], coupon=c)
    assert column(p, "coupon_discount") == [0, 320]
    with pytest.raises(CouponError, match="does not apply to any item in the basket") as info:
        price([LATTE, TEA], coupon=c, coupon_code="BAKE")
    assert info.value.details["reason"] == "not_applicable"


def test_brand_restriction() -> None:
    # the Tesco example: a member who bought brand A gets a coupon for brand B
    c = CouponTerms("amount", amount=1000, brands=frozenset({"BrandB"}))
    p = price([SHAMPOO_A, SHAMPOO_B], coupon=c)
    assert column(p, "coupon_discount") == [0, 1000]
    with pytest.raises(CouponError, match="does not apply"):
        price([SHAMPOO_A], coupon=c)


def test_category_and_brand_must_both_match() -> None:
    c = CouponTerms("amount", amount=500, categories=frozenset({"drinks"}),
                    brands=frozenset({"House"}))
    p = price([LATTE, TEA, CAKE], coupon=c)  # only the latte is a House drink
    assert column(p, "coupon_discount") == [500, 0, 0]


def test_coupon_message_without_code_has_no_double_space() -> None:
    c = CouponTerms("amount", amount=500, categories=frozenset({"x"}))
    with pytest.raises(CouponError) as info:
        price([LATTE], coupon=c)
    assert str(info.value) == "coupon does not apply to any item in the basket"


# --- points ----------------------------------------------------------------------------


def test_points_redeemed_and_allocated() -> None:
    p = price([line(LATTE, qty=2), CAKE], points_requested=2000, points_balance=5000)
    # 2000 points at 100 a yuan pay 20.00: 2000 over 5600 : 3200 = 1272.73 + 727.27
    assert p.points_redeemed == 2000
    assert column(p, "points_discount") == [1273, 727]
    assert p.total == 6800
    assert p.max_points == 4400  # half of 88.00 = 44.00 = 4400 points


def test_points_cap_is_on_the_bill_after_coupon() -> None:
    c = CouponTerms("amount", amount=800)
    p = price([line(LATTE, qty=2), CAKE], coupon=c, points_requested=4000, points_balance=9999)
    # 8800 - 800 = 8000; half is 4000 points
    assert p.max_points == 4000
    assert p.points_discount == 4000
    assert p.total == 4000
    with pytest.raises(PointsRuleViolation) as info:
        price([line(LATTE, qty=2), CAKE], coupon=c, points_requested=4001, points_balance=9999)
    assert str(info.value) == ("points may pay at most 50% of this bill (¥40.00): "
                               "at most 4000 points")
    assert info.value.details.items() >= {"cap": 4000, "max_points": 4000}.items()


def test_points_below_minimum() -> None:
    with pytest.raises(PointsRuleViolation, match="at least 100 points must be redeemed"):
        price([CAKE], points_requested=99, points_balance=500)


def test_points_over_balance() -> None:
    with pytest.raises(InsufficientPoints, match="the member has 150 points; 200 cannot"):
        price([CAKE], points_requested=200, points_balance=150)


def test_max_points_zero_below_minimum_balance() -> None:
    assert price([CAKE], points_balance=99).max_points == 0
    assert price([CAKE], points_balance=100).max_points == 100
    assert price([BasketLine("A", 150)], points_balance=1000).max_points == 0  # cap 75 < 100


def test_points_at_150_a_yuan() -> None:
    rules = PointsRules(redeem_points_per_unit=150, redeem_min_points=150)
    p = price([BasketLine("A", 10000)], points_requested=300, points_balance=1000, rules=rules)
    assert p.points_redeemed == 300
    assert p.points_discount == 200  # 300 / 150 = 2.00
    assert p.max_points == 1000  # cap 50.00 = 7500 points, balance 1000
    # 301 points pay 2.0066 -> 2.00; only the 300 that pay it are taken
    p = price([BasketLine("A", 10000)], points_requested=301, points_balance=1000, rules=rules)
    assert (p.points_redeemed, p.points_discount) == (300, 200)
    # 151 points: 1.0066 -> 1.00, which 150 points pay
    p = price([BasketLine("A", 10000)], points_requested=151, points_balance=1000, rules=rules)
    assert (p.points_redeemed, p.points_discount) == (150, 100)


def test_points_cap_at_150_a_yuan_never_exceeded() -> None:
    rules = PointsRules(redeem_points_per_unit=150, redeem_min_points=1)
    p = price([BasketLine("A", 333)], points_balance=10_000, rules=rules)
    # cap: half of 3.33 = 1.665 -> 1.66 (166); 249 points pay 1.66, 250 would pay 1.6666 -> 1.66
    # as well, but points_for_value(166) = 249 is the fewest
    assert p.max_points == 249
    p = price([BasketLine("A", 333)], points_requested=249, points_balance=10_000, rules=rules)
    assert p.points_discount == 166
    assert p.total == 167


def test_points_requested_must_be_whole() -> None:
    with pytest.raises(InvalidInput, match="whole number"):
        price([CAKE], points_requested=150.0, points_balance=500)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="cannot be negative"):
        price([CAKE], points_requested=-100, points_balance=500)


# --- refused lines ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [-1, 12.5, 0.0, Decimal("12.50"), "1250", True, None])
def test_bad_price_refused(value: object) -> None:
    with pytest.raises(MoneyError, match="price of Latte"):
        BasketLine("Latte", value)  # type: ignore[arg-type]


@pytest.mark.parametrize("qty", [0, -1, 1.0, 1.5, True, "2", None])
def test_bad_quantity_refused(qty: object) -> None:
    with pytest.raises(InvalidInput, match="quantity of Latte must be a whole number of at "
                                           "least 1"):
        BasketLine("Latte", 2800, qty=qty)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [-1, 1.5, True])
def test_bad_line_discount_refused(value: object) -> None:
    with pytest.raises(MoneyError, match="discount on Latte"):
        BasketLine("Latte", 2800, line_discount=value)  # type: ignore[arg-type]


def test_line_discount_larger_than_line() -> None:
    assert BasketLine("Latte", 2800, qty=2, line_discount=5600).gross == 5600
    with pytest.raises(InvalidInput, match="discount on Latte is larger than the line"):
        BasketLine("Latte", 2800, qty=2, line_discount=5601)


def test_zero_price_line_is_fine() -> None:
    p = price([BasketLine("Water", 0), LATTE], tier_percent=Decimal(5))
    assert column(p, "tier_discount") == [0, 140]


# --- settle ----------------------------------------------------------------------------


def test_cash_gives_change() -> None:
    s = settle(4845, Tenders(cash=5000), 0)
    assert (s.stored_value, s.cash, s.card, s.other, s.change, s.cash_given) == (
        0, 4845, 0, 0, 155, 5000)


def test_exact_card() -> None:
    s = settle(4845, Tenders(card=4845), 0)
    assert (s.card, s.cash, s.change) == (4845, 0, 0)


def test_mixed_tenders() -> None:
    s = settle(4845, Tenders(stored_value=2000, card=2000, other=500, cash=1000), 3000)
    # cash due 4845 - 4500 = 345, 1000 handed over: 655 back
    assert (s.stored_value, s.card, s.other, s.cash, s.change, s.cash_given) == (
        2000, 2000, 500, 345, 655, 1000)


def test_zero_total() -> None:
    s = settle(0, Tenders(), 0)
    assert (s.cash, s.change) == (0, 0)
    assert settle(0, Tenders(cash=100), 0).change == 100


@pytest.mark.parametrize("tenders", [Tenders(card=5000), Tenders(other=4846),
                                     Tenders(stored_value=3000, card=2000)])
def test_overpay_without_cash_refused(tenders: Tenders) -> None:
    with pytest.raises(PaymentError, match=r"exceed the total ¥48\.45; only cash gives change"):
        settle(4845, tenders, 10_000)


def test_overpay_message() -> None:
    with pytest.raises(PaymentError) as info:
        settle(4845, Tenders(card=5000), 0)
    assert str(info.value) == ("stored value, card and other tenders (¥50.00) exceed the total "
                               "¥48.45; only cash gives change")


def test_stored_value_over_balance() -> None:
    with pytest.raises(InsufficientStoredValue) as info:
        settle(4845, Tenders(stored_value=3000, cash=1845), 2999)
    assert str(info.value) == "stored value balance is ¥29.99; ¥30.00 cannot be paid with it"
    assert info.value.details.items() >= {"balance": 2999}.items()
    s = settle(4845, Tenders(stored_value=3000, cash=1845), 3000)
    assert (s.stored_value, s.cash, s.change) == (3000, 1845, 0)


def test_stored_value_without_a_member() -> None:
    with pytest.raises(InsufficientStoredValue, match=r"balance is ¥0\.00"):
        settle(100, Tenders(stored_value=100), 0)


def test_short_payment() -> None:
    with pytest.raises(PaymentError) as info:
        settle(4845, Tenders(card=2000, cash=2000), 0)
    assert str(info.value) == "¥8.45 still to pay"
    assert info.value.details.items() >= {"short": 845}.items()
    with pytest.raises(PaymentError, match=r"^¥0\.01 still to pay$"):
        settle(100, Tenders(cash=99), 0)
    with pytest.raises(PaymentError, match=r"^¥1\.00 still to pay$"):
        settle(100, Tenders(), 0)


def test_settle_messages_in_store_currency() -> None:
    with pytest.raises(PaymentError, match=r"^¥845 still to pay$"):
        settle(4845, Tenders(cash=4000), 0, "JPY")
    with pytest.raises(PaymentError, match=r"^\$8\.45 still to pay$"):
        settle(4845, Tenders(cash=4000), 0, "USD")


@pytest.mark.parametrize("field", ["stored_value", "cash", "card", "other"])
@pytest.mark.parametrize("value", [-1, 10.0, True, Decimal(1)])
def test_bad_tenders_refused(field: str, value: object) -> None:
    with pytest.raises(MoneyError, match=field.replace("_", " ") + " tender"):
        Tenders(**{field: value})  # type: ignore[arg-type]


@pytest.mark.parametrize("total", [-1, 48.45, True])
def test_bad_total_refused(total: object) -> None:
    with pytest.raises(MoneyError, match="total"):
        settle(total, Tenders(cash=5000), 0)  # type: ignore[arg-type]


# --- property --------------------------------------------------------------------------

CATEGORIES = ["drinks", "bakery", "care"]
BRANDS = ["House", "Leaf", "BrandA"]


@st.composite
def basket_lines(draw: st.DrawFn) -> BasketLine:
    unit = draw(st.integers(0, 100_000))
    qty = draw(st.integers(1, 5))
    return BasketLine(
        name="x", unit_price=unit, qty=qty,
        sku=draw(st.sampled_from(["A", "B", "C"])),
        category=draw(st.sampled_from(CATEGORIES)), brand=draw(st.sampled_from(BRANDS)),
        line_discount=draw(st.integers(0, unit * qty)),
        discountable=draw(st.booleans()))


coupons = st.one_of(
    st.none(),
    st.builds(CouponTerms, kind=st.just("amount"), amount=st.integers(1, 200_000),
              categories=st.sampled_from([frozenset(), frozenset({"drinks"})])),
    st.builds(CouponTerms, kind=st.just("percent"),
              percent=st.decimals(min_value=Decimal("0.01"), max_value=100, places=2),
              brands=st.sampled_from([frozenset(), frozenset({"House"})])),
    st.builds(CouponTerms, kind=st.just("free_item"), sku=st.sampled_from(["A", "B", "C"])),
)


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(basket_lines(), min_size=1, max_size=6),
       tier=st.decimals(min_value=0, max_value=100, places=1),
       coupon=coupons,
       share=st.integers(0, 100),
       rate=st.sampled_from([1, 50, 100, 150, 1000]),
       request=st.integers(0, 2_000_000),
       currency=st.sampled_from(["CNY", "JPY"]))
def test_nets_never_negative_and_totals_add_up(
        lines: list[BasketLine], tier: Decimal, coupon: CouponTerms | None, share: int,
        rate: int, request: int, currency: str) -> None:
    rules = PointsRules(redeem_points_per_unit=rate, redeem_min_points=0,
                        redeem_max_share_percent=Decimal(share))
    try:
        p = price(lines, tier_percent=tier, coupon=coupon, points_requested=request,
                  points_balance=2_000_000, rules=rules, currency=currency)
    except (CouponError, PointsRuleViolation):
        return
    for pl in p.lines:
        assert pl.net >= 0
        assert min(pl.line_discount, pl.tier_discount, pl.coupon_discount,
                   pl.points_discount) >= 0
        if not pl.line.discountable:
            assert pl.tier_discount == 0
    assert p.subtotal == sum(ln.gross for ln in lines)
    assert p.total == (p.subtotal - p.line_discount - p.tier_discount - p.coupon_discount
                       - p.points_discount)
    assert p.total == sum(pl.net for pl in p.lines)
    assert p.points_redeemed <= request
    assert p.points_redeemed <= p.max_points or p.points_redeemed == 0
    # points pay no more than the capped share of the bill after the coupon
    after_coupon = p.total + p.points_discount
    assert p.points_discount * 100 <= after_coupon * share


# -- member price (会员价): a member's unit price before the tier discount ------------------

MEMBER_LATTE = BasketLine("Latte", 2800, qty=2, sku="LATTE", category="drinks", brand="House",
                          member_price=2500)


def test_a_member_pays_the_member_price_and_a_guest_the_price() -> None:
    guest = price([MEMBER_LATTE])
    assert guest.total == 5600 and guest.member_saving == 0
    member = price([MEMBER_LATTE], member=True)
    assert member.lines[0].unit_price == 2500 and member.subtotal == 5000
    assert member.member_saving == 600 and member.total == 5000


def test_a_member_price_above_the_price_is_ignored() -> None:
    dearer = BasketLine("Tea", 1500, sku="TEA", member_price=1800)
    p = price([dearer], member=True)
    assert p.lines[0].unit_price == 1500 and p.member_saving == 0 and p.total == 1500


def test_the_tier_discount_and_a_coupon_come_after_the_member_price() -> None:
    coupon = CouponTerms("amount", amount=1000, min_spend=4000)
    p = price([MEMBER_LATTE, CAKE], member=True, tier_percent=Decimal(10), coupon=coupon,
              coupon_code="ABC")
    # 2 x 25.00 + 32.00 = 82.00; 10% off is 8.20; the coupon 10.00 on what is left
    assert p.subtotal == 8200 and p.member_saving == 600
    assert p.tier_discount == 820 and p.coupon_discount == 1000
    assert p.total == 8200 - 820 - 1000


def test_a_line_discount_larger_than_the_member_priced_line_is_refused() -> None:
    line = BasketLine("Latte", 2800, sku="LATTE", member_price=2000, line_discount=2500)
    assert price([line]).total == 300
    with pytest.raises(InvalidInput, match="larger than the line"):
        price([line], member=True)


def test_a_member_price_is_money() -> None:
    with pytest.raises(MoneyError):
        BasketLine("Latte", 2800, member_price=25.0)  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        BasketLine("Latte", 2800, member_price=-1)
