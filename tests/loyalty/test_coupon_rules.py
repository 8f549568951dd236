"""terminal.loyalty.coupon_rules: whether a coupon may be used now, and what it takes off."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from terminal.core.errors import CouponError, InvalidInput
from terminal.core.money import MoneyError
from terminal.loyalty.coupon_rules import (
    CouponLine,
    CouponState,
    CouponTerms,
    check_usable,
    discount,
)

FROM = datetime(2026, 3, 1, 9, 30)
UNTIL = datetime(2026, 4, 1)  # first moment it no longer works
NOW = datetime(2026, 3, 10, 12, 0)


def state(**kw: object) -> CouponState:
    values: dict[str, object] = dict(code="ABCDEFGHJK", status="issued", valid_from=FROM,
                                     valid_until=UNTIL, member_id=None)
    values.update(kw)
    return CouponState(**values)  # type: ignore[arg-type]


def reason(st: CouponState, member: object | None, now: datetime) -> str:
    with pytest.raises(CouponError) as info:
        check_usable(st, member, now)
    return str(info.value.details["reason"])


# --- check_usable ----------------------------------------------------------------------


def test_usable_bearer_coupon() -> None:
    check_usable(state(), None, NOW)
    check_usable(state(), 42, NOW)  # a bearer coupon works with or without a member


def test_used() -> None:
    with pytest.raises(CouponError, match=r"^coupon ABCDEFGHJK has already been used$"):
        check_usable(state(status="redeemed"), None, NOW)
    assert reason(state(status="redeemed"), None, NOW) == "used"


def test_void() -> None:
    with pytest.raises(CouponError, match=r"^coupon ABCDEFGHJK has been cancelled$"):
        check_usable(state(status="void"), None, NOW)
    assert reason(state(status="void"), None, NOW) == "void"


def test_unknown_status() -> None:
    assert reason(state(status="pending"), None, NOW) == "status"


def test_not_yet_valid() -> None:
    check_usable(state(), None, FROM)  # from the first moment
    with pytest.raises(CouponError, match=r"^coupon ABCDEFGHJK is valid from 2026-03-01$"):
        check_usable(state(), None, FROM - timedelta(seconds=1))
    assert reason(state(), None, FROM - timedelta(microseconds=1)) == "not_yet"


def test_expired_exactly_at_valid_until() -> None:
    check_usable(state(), None, UNTIL - timedelta(microseconds=1))
    assert reason(state(), None, UNTIL) == "expired"
    assert reason(state(), None, UNTIL + timedelta(days=3)) == "expired"


def test_expired_message_names_the_last_valid_day() -> None:
    # valid_until is the midnight after the last valid day; the message used to say
    # "expired on 2026-04-01" for a coupon whose last day was 31 March
    with pytest.raises(CouponError) as info:
        check_usable(state(), None, UNTIL)
    assert str(info.value) == "coupon ABCDEFGHJK has expired: it was valid until 2026-03-31"
    with pytest.raises(CouponError, match=r"valid until 2026-04-01$"):
        check_usable(state(valid_until=datetime(2026, 4, 1, 18, 0)), None,
                     datetime(2026, 4, 2))


def test_status_checked_before_dates() -> None:
    assert reason(state(status="redeemed"), None, UNTIL + timedelta(days=1)) == "used"


def test_member_coupon() -> None:
    st = state(member_id=42)
    check_usable(st, 42, NOW)
    check_usable(st, "42", NOW)  # ids compared as text (the UI may hold them as strings)
    with pytest.raises(CouponError, match="belongs to another member") as info:
        check_usable(st, 43, NOW)
    assert info.value.details["reason"] == "other_member"
    with pytest.raises(CouponError, match="belongs to a member: scan the member first") as info:
        check_usable(st, None, NOW)
    assert info.value.details["reason"] == "needs_member"


# --- terms -----------------------------------------------------------------------------


@pytest.mark.parametrize(("kw", "message"), [
    (dict(kind="cash"), "unknown coupon kind 'cash'"),
    (dict(kind="amount"), "an amount coupon needs an amount above zero"),
    (dict(kind="percent"), "a percent coupon needs a percentage between 0 and 100"),
    (dict(kind="percent", percent=Decimal(101)), "between 0 and 100"),
    (dict(kind="percent", percent=Decimal(-5)), "between 0 and 100"),
    (dict(kind="percent", percent=0.5), "a coupon percentage must be a Decimal"),
    (dict(kind="percent", percent=True), "a coupon percentage must be a Decimal"),
    (dict(kind="percent", percent=Decimal("NaN")), "a coupon percentage must be a Decimal"),
    (dict(kind="free_item"), "a free-item coupon needs the product's SKU"),
    (dict(kind="free_item", sku=""), "a free-item coupon needs the product's SKU"),
])
def test_bad_terms(kw: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        CouponTerms(**kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("kw", "message"), [
    (dict(kind="amount", amount=10.0), "coupon amount"),
    (dict(kind="amount", amount=-100), "coupon amount"),
    (dict(kind="amount", amount=100, min_spend=-1), "minimum spend"),
    (dict(kind="amount", amount=100, min_spend=50.0), "minimum spend"),
])
def test_bad_money_in_terms(kw: dict[str, object], message: str) -> None:
    with pytest.raises(MoneyError, match=message):
        CouponTerms(**kw)  # type: ignore[arg-type]


def test_percent_as_int_is_fine() -> None:
    # a template built in memory (not read back from the database) holds an int
    assert CouponTerms("percent", percent=5).percent == 5  # type: ignore[arg-type]


def test_eligible() -> None:
    t = CouponTerms("amount", amount=100, categories=frozenset({"drinks"}),
                    brands=frozenset({"House"}))
    assert t.eligible("drinks", "House", None)
    assert not t.eligible("drinks", "Leaf", None)
    assert not t.eligible("bakery", "House", None)
    free = CouponTerms("free_item", sku="CAKE", categories=frozenset({"drinks"}))
    assert free.eligible("bakery", "x", "CAKE")  # the SKU alone decides a free item
    assert not free.eligible("drinks", "x", "LATTE")


# --- discount --------------------------------------------------------------------------


def cl(amount: int, category: str = "", brand: str = "", sku: str | None = None,
       qty: int = 1) -> CouponLine:
    return CouponLine(category, brand, sku, qty, amount)


def test_discount_amount() -> None:
    t = CouponTerms("amount", amount=1000)
    assert discount(t, [cl(3000), cl(1000)]) == [750, 250]
    assert discount(t, [cl(600)]) == [600]  # capped
    assert discount(t, [cl(0)]) == [0]


def test_discount_percent() -> None:
    t = CouponTerms("percent", percent=Decimal("12.5"))
    assert discount(t, [cl(1000), cl(1004)]) == [125, 126]  # 12.5 % of 2004 = 250.5 -> 251
    assert discount(CouponTerms("percent", percent=Decimal(100)), [cl(77)]) == [77]


def test_discount_free_item_first_matching_line() -> None:
    t = CouponTerms("free_item", sku="CAKE")
    assert discount(t, [cl(500, sku="TEA"), cl(6400, sku="CAKE", qty=2),
                        cl(3000, sku="CAKE")]) == [0, 3200, 0]


def test_discount_min_spend_message() -> None:
    t = CouponTerms("amount", amount=1000, min_spend=5000)
    with pytest.raises(CouponError) as info:
        discount(t, [cl(4999)], "WELCOME")
    assert str(info.value) == ("coupon WELCOME needs a spend of at least ¥50.00 on eligible "
                               "items (now ¥49.99)")
    with pytest.raises(CouponError, match=r"at least \$50.00 .*\(now \$49.99\)"):
        discount(t, [cl(4999)], "WELCOME", currency="USD")
    with pytest.raises(CouponError, match=r"at least ¥5,000 .*\(now ¥4,999\)"):
        discount(t, [cl(4999)], "WELCOME", currency="JPY")


def test_discount_not_applicable() -> None:
    t = CouponTerms("percent", percent=Decimal(10), brands=frozenset({"BrandB"}))
    with pytest.raises(CouponError, match=r"^coupon X does not apply to any item in the "
                                          r"basket$"):
        discount(t, [cl(100, brand="BrandA")], "X")
    with pytest.raises(CouponError, match="does not apply"):
        discount(t, [], "X")
