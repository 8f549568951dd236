"""terminal.loyalty.points: earning, redemption, expiry and FIFO consumption."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.core.errors import InsufficientPoints, InvalidInput, PointsRuleViolation
from terminal.core.money import MoneyError
from terminal.core.rules import PointsRules
from terminal.loyalty import points as P
from terminal.loyalty.points import Batch, EarnLine

TUESDAY = date(2026, 3, 10)
WEDNESDAY = date(2026, 3, 11)
BASE = PointsRules()


def earn(lines: list[EarnLine], *, sv: int = 0, tier: Decimal = Decimal(1),
         today: date = TUESDAY, birthday: date | None = None, rules: PointsRules = BASE,
         currency: str = "CNY") -> P.Earned:
    return P.earn(lines, stored_value_paid=sv, tier_multiplier=tier, today=today,
                  birthday=birthday, rules=rules, currency=currency)


# --- earning ---------------------------------------------------------------------------


def test_one_point_per_yuan() -> None:
    e = earn([EarnLine("drinks", 2800), EarnLine("bakery", 3250)])
    assert e.total == 60  # 28 + 32.5 = 60.5 -> 60
    assert e.per_line == (28, 32)
    assert e.multiplier == Decimal(1)


def test_fractions_dropped_once_on_the_total() -> None:
    e = earn([EarnLine("a", 150), EarnLine("b", 150)])
    # 1.5 + 1.5 = 3 (per line it would be 1 + 1); the spare point goes to the first line
    assert e.total == 3
    assert e.per_line == (2, 1)
    assert earn([EarnLine("a", 99)]).total == 0
    assert earn([EarnLine("a", 199)]).total == 1


def test_tier_and_category_multipliers() -> None:
    rules = PointsRules(category_multipliers={"drinks": Decimal(2)})
    e = earn([EarnLine("drinks", 2800), EarnLine("bakery", 3200)], tier=Decimal("1.5"),
             rules=rules)
    # drinks 28 x 2 x 1.5 = 84; bakery 32 x 1.5 = 48
    assert e.total == 132
    assert e.per_line == (84, 48)
    assert e.multiplier == Decimal("1.5")


def test_earn_per_unit() -> None:
    rules = PointsRules(earn_per_unit=Decimal("0.5"))
    assert earn([EarnLine("a", 10_000)], rules=rules).total == 50


def test_member_day() -> None:
    rules = PointsRules(member_days=(1,), member_day_multiplier=Decimal(2))  # Tuesdays
    assert earn([EarnLine("a", 5000)], today=TUESDAY, rules=rules).total == 100
    assert earn([EarnLine("a", 5000)], today=WEDNESDAY, rules=rules).total == 50
    e = earn([EarnLine("a", 5000)], today=TUESDAY, rules=rules, tier=Decimal("1.2"))
    assert e.total == 120
    assert e.multiplier == Decimal("2.4")


def test_birthday() -> None:
    rules = PointsRules(birthday_multiplier=Decimal(3))
    assert earn([EarnLine("a", 5000)], birthday=date(1990, 3, 10), rules=rules).total == 150
    assert earn([EarnLine("a", 5000)], birthday=date(1990, 3, 11), rules=rules).total == 50
    assert earn([EarnLine("a", 5000)], birthday=None, rules=rules).total == 50


def test_member_day_and_birthday_do_not_stack() -> None:
    rules = PointsRules(member_days=(1,), member_day_multiplier=Decimal(2),
                        birthday_multiplier=Decimal(3))
    bday = date(1990, 3, 10)
    assert P.day_multiplier(TUESDAY, bday, rules) == Decimal(3)  # not 6
    assert earn([EarnLine("a", 5000)], birthday=bday, rules=rules).total == 150
    rules = PointsRules(member_days=(1,), member_day_multiplier=Decimal(4),
                        birthday_multiplier=Decimal(3))
    assert P.day_multiplier(TUESDAY, bday, rules) == Decimal(4)
    assert P.day_multiplier(WEDNESDAY, None, rules) == Decimal(1)


def test_day_multiplier_below_one_never_applies() -> None:
    rules = PointsRules(member_days=(1,), member_day_multiplier=Decimal("0.5"))
    assert P.day_multiplier(TUESDAY, None, rules) == Decimal(1)


def test_stored_value_part_excluded_when_configured() -> None:
    lines = [EarnLine("a", 6000), EarnLine("b", 4000)]
    assert earn(lines, sv=5000).total == 100  # earned on by default
    rules = PointsRules(earn_on_stored_value_paid=False)
    e = earn(lines, sv=5000, rules=rules)
    # 50.00 of stored value comes off 60 : 40 -> 30.00 + 20.00 left to earn on
    assert e.total == 50
    assert e.per_line == (30, 20)
    assert earn(lines, sv=10_000, rules=rules).total == 0
    assert earn(lines, sv=20_000, rules=rules).total == 0  # more than the bill: nothing
    assert earn(lines, sv=0, rules=rules).total == 100


def test_points_paid_part() -> None:
    lines = [EarnLine("a", 3000, points_paid=1000)]
    assert earn(lines).total == 30
    assert earn(lines, rules=PointsRules(earn_on_points_paid=True)).total == 40


def test_earn_in_jpy() -> None:
    assert earn([EarnLine("a", 1500)], currency="JPY").total == 1500


def test_earn_nothing() -> None:
    e = earn([])
    assert (e.total, e.per_line) == (0, ())
    e = earn([EarnLine("a", 0), EarnLine("b", 0)])
    assert (e.total, e.per_line) == (0, (0, 0))


@pytest.mark.parametrize("sv", [-1, 10.0, True])
def test_stored_value_paid_must_be_money(sv: object) -> None:
    with pytest.raises(MoneyError, match="stored value paid"):
        earn([EarnLine("a", 100)], sv=sv)  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(amounts=st.lists(st.integers(0, 1_000_000), min_size=1, max_size=8),
       cats=st.lists(st.sampled_from(["a", "b", "c"]), min_size=8, max_size=8),
       tier=st.sampled_from([Decimal(1), Decimal("1.2"), Decimal("1.5"), Decimal(2)]),
       sv=st.integers(0, 2_000_000), exclude_sv=st.booleans())
def test_per_line_points_sum_to_total(amounts: list[int], cats: list[str], tier: Decimal,
                                      sv: int, exclude_sv: bool) -> None:
    rules = PointsRules(category_multipliers={"a": Decimal(3), "b": Decimal("0.5")},
                        earn_on_stored_value_paid=not exclude_sv)
    lines = [EarnLine(c, a) for a, c in zip(amounts, cats, strict=False)]
    e = earn(lines, sv=sv, tier=tier, rules=rules)
    assert sum(e.per_line) == e.total
    assert all(p >= 0 for p in e.per_line)
    mult = {"a": Fraction(3), "b": Fraction(1, 2), "c": Fraction(1)}
    exact = sum(Fraction(ln.amount) / 100 * mult[ln.category] for ln in lines) * Fraction(tier)
    if not exclude_sv:
        assert e.total == int(exact)
    else:
        assert e.total <= int(exact)


# --- birthdays -------------------------------------------------------------------------


def test_birthday_day_window() -> None:
    assert P.is_birthday(date(1990, 3, 10), date(2026, 3, 10), "day")
    assert not P.is_birthday(date(1990, 3, 10), date(2026, 3, 9), "day")
    assert not P.is_birthday(None, date(2026, 3, 10), "day")


def test_29_february_birthdays() -> None:
    leapling = date(2000, 2, 29)
    assert P.is_birthday(leapling, date(2027, 2, 28), "day")  # common year: 28 February
    assert not P.is_birthday(leapling, date(2027, 3, 1), "day")
    assert P.is_birthday(leapling, date(2028, 2, 29), "day")  # leap year: the day itself
    assert not P.is_birthday(leapling, date(2028, 2, 28), "day")
    assert P.is_birthday(leapling, date(2027, 2, 22), "week")  # Monday of that week
    assert not P.is_birthday(leapling, date(2027, 3, 1), "week")  # next Monday
    assert P.is_birthday(leapling, date(2027, 2, 1), "month")
    assert not P.is_birthday(leapling, date(2027, 3, 1), "month")


def test_birthday_week_window() -> None:
    bday = date(1990, 3, 12)  # Thursday in 2026
    assert P.is_birthday(bday, date(2026, 3, 9), "week")  # Monday
    assert P.is_birthday(bday, date(2026, 3, 15), "week")  # Sunday
    assert not P.is_birthday(bday, date(2026, 3, 8), "week")  # Sunday before
    assert not P.is_birthday(bday, date(2026, 3, 16), "week")  # Monday after


def test_birthday_week_across_new_year() -> None:
    # the week of Monday 28 December 2026 runs to Sunday 3 January 2027
    assert P.is_birthday(date(1990, 1, 1), date(2026, 12, 30), "week")  # used to be False
    assert P.is_birthday(date(1990, 12, 29), date(2027, 1, 2), "week")  # used to be False
    assert P.is_birthday(date(1990, 12, 28), date(2027, 1, 3), "week")
    assert not P.is_birthday(date(1990, 1, 4), date(2026, 12, 30), "week")
    assert not P.is_birthday(date(1990, 12, 27), date(2027, 1, 2), "week")


def test_birthday_month_window() -> None:
    assert P.is_birthday(date(1990, 3, 31), date(2026, 3, 1), "month")
    assert not P.is_birthday(date(1990, 4, 1), date(2026, 3, 31), "month")


# --- value of points -------------------------------------------------------------------


def test_points_value_default_rate() -> None:
    assert P.points_value(100, BASE, "CNY") == 100
    assert P.points_value(2550, BASE, "CNY") == 2550
    assert P.points_for_value(2550, BASE, "CNY") == 2550


def test_points_value_at_150_a_yuan() -> None:
    rules = PointsRules(redeem_points_per_unit=150)
    assert P.points_value(150, rules, "CNY") == 100
    assert P.points_value(300, rules, "CNY") == 200
    assert P.points_value(100, rules, "CNY") == 66  # 66.67, rounded down
    assert P.points_value(1, rules, "CNY") == 0
    assert P.points_for_value(100, rules, "CNY") == 150
    assert P.points_for_value(1, rules, "CNY") == 2  # 1.5, rounded up
    assert P.points_for_value(67, rules, "CNY") == 101  # 100.5 -> 101
    assert P.points_for_value(0, rules, "CNY") == 0
    assert P.points_value(150, rules, "JPY") == 1
    assert P.points_value(149, rules, "JPY") == 0
    assert P.points_for_value(1, rules, "JPY") == 150


@settings(max_examples=100, deadline=None)
@given(value=st.integers(0, 10**9), rate=st.integers(1, 10_000),
       currency=st.sampled_from(["CNY", "JPY"]))
def test_points_for_value_is_the_fewest(value: int, rate: int, currency: str) -> None:
    rules = PointsRules(redeem_points_per_unit=rate)
    pts = P.points_for_value(value, rules, currency)
    assert P.points_value(pts, rules, currency) >= value
    if pts:
        assert P.points_value(pts - 1, rules, currency) < value


# --- redemption ------------------------------------------------------------------------


def test_redeem_ok() -> None:
    r = P.redeem(500, bill=10_000, balance=800, rules=BASE, currency="CNY")
    assert (r.points, r.value) == (500, 500)
    assert P.redeem(0, bill=10_000, balance=0, rules=BASE, currency="CNY") == P.Redemption(0, 0)


def test_redeem_minimum() -> None:
    assert P.redeem(100, bill=10_000, balance=800, rules=BASE, currency="CNY").points == 100
    with pytest.raises(PointsRuleViolation) as info:
        P.redeem(99, bill=10_000, balance=800, rules=BASE, currency="CNY")
    assert str(info.value) == "at least 100 points must be redeemed at once"
    assert info.value.details.items() >= {"minimum": 100}.items()


def test_redeem_cap_exactly() -> None:
    # half of 100.01 = 50.005 -> 50.00
    assert P.redemption_cap(10_001, BASE) == 5000
    assert P.redeem(5000, bill=10_001, balance=9999, rules=BASE, currency="CNY").value == 5000
    with pytest.raises(PointsRuleViolation, match=r"at most 50% of this bill \(¥50.00\): "
                                                  r"at most 5000 points"):
        P.redeem(5001, bill=10_001, balance=9999, rules=BASE, currency="CNY")


def test_redeem_balance() -> None:
    with pytest.raises(InsufficientPoints) as info:
        P.redeem(801, bill=10_000, balance=800, rules=BASE, currency="CNY")
    assert str(info.value) == "the member has 800 points; 801 cannot be redeemed"
    assert info.value.details.items() >= {"balance": 800, "requested": 801}.items()


@pytest.mark.parametrize("requested", [1.0, "100", True, None])
def test_redeem_whole_points_only(requested: object) -> None:
    with pytest.raises(InvalidInput, match="points must be a whole number"):
        P.redeem(requested, bill=10_000, balance=800, rules=BASE,  # type: ignore[arg-type]
                 currency="CNY")


def test_max_redeemable() -> None:
    assert P.max_redeemable(10_000, 9999, BASE, "CNY") == 5000
    assert P.max_redeemable(10_000, 3000, BASE, "CNY") == 3000
    assert P.max_redeemable(10_000, 99, BASE, "CNY") == 0  # below the minimum
    assert P.max_redeemable(150, 9999, BASE, "CNY") == 0  # cap 75 points < 100
    assert P.max_redeemable(0, 9999, BASE, "CNY") == 0
    rules = PointsRules(redeem_points_per_unit=150, redeem_min_points=0)
    # cap 1.66 of 3.33: 249 points (250 would be worth the same 1.66, 251 = 1.67)
    assert P.max_redeemable(333, 9999, rules, "CNY") == 249
    none = PointsRules(redeem_max_share_percent=Decimal(0))
    assert P.max_redeemable(10_000, 9999, none, "CNY") == 0


# --- expiry ----------------------------------------------------------------------------


def months(n: int) -> PointsRules:
    return PointsRules(expiry_months=n)


@pytest.mark.parametrize(("earned", "n", "expires"), [
    (datetime(2026, 3, 10, 15, 30), 24, datetime(2028, 3, 11)),
    (datetime(2026, 1, 31, 9, 0), 1, datetime(2026, 3, 1)),  # 31 Jan + 1 month = 28 Feb
    (datetime(2028, 1, 31, 9, 0), 1, datetime(2028, 3, 1)),  # 29 Feb in a leap year
    (datetime(2027, 12, 31, 23, 59), 2, datetime(2028, 3, 1)),  # 29 Feb 2028, next day
    (datetime(2026, 3, 31), 1, datetime(2026, 5, 1)),  # 30 April, next day
    (datetime(2026, 11, 30), 3, datetime(2027, 3, 1)),  # 28 Feb 2027, next day
    (datetime(2026, 12, 15), 1, datetime(2027, 1, 16)),  # across the year
    (datetime(2024, 2, 29), 12, datetime(2025, 3, 1)),  # 28 Feb 2025, next day
])
def test_expiry_for(earned: datetime, n: int, expires: datetime) -> None:
    assert P.expiry_for(earned, months(n)) == expires


def test_add_months() -> None:
    assert P.add_months(datetime(2026, 1, 31, 10, 5), 1) == datetime(2026, 2, 28, 10, 5)
    assert P.add_months(datetime(2026, 1, 31), 13) == datetime(2027, 2, 28)
    assert P.add_months(datetime(2026, 3, 31), -1) == datetime(2026, 2, 28)
    assert P.add_months(datetime(2026, 1, 15), -1) == datetime(2025, 12, 15)
    assert P.add_months(datetime(2026, 5, 15), 0) == datetime(2026, 5, 15)


# --- batches ---------------------------------------------------------------------------

NOW = datetime(2026, 3, 10, 12, 0)
A = Batch("A", 300, datetime(2026, 4, 1))
B = Batch("B", 200, datetime(2026, 3, 20))
C = Batch("C", 500, datetime(2026, 3, 1))  # expired
D = Batch("D", 100, datetime(2026, 5, 1))
E = Batch("E", 0, datetime(2026, 3, 15))  # used up
F = Batch("F", 50, NOW)  # expires this very moment


def test_consume_fifo_by_expiry() -> None:
    batches = [A, B, C, D, E, F]
    assert P.consume(batches, 150, NOW) == [("B", 150)]
    assert P.consume(batches, 400, NOW) == [("B", 200), ("A", 200)]
    assert P.consume(batches, 600, NOW) == [("B", 200), ("A", 300), ("D", 100)]
    assert P.consume(batches, 0, NOW) == []


def test_consume_not_enough_live_points() -> None:
    with pytest.raises(InsufficientPoints) as info:
        P.consume([A, B, C, D, E, F], 601, NOW)
    assert str(info.value) == "only 600 live points; 601 needed"
    assert info.value.details.items() >= {"balance": 600, "requested": 601}.items()
    with pytest.raises(InsufficientPoints, match="only 0 live points; 1 needed"):
        P.consume([C, E, F], 1, NOW)


def test_consume_same_expiry_is_deterministic() -> None:
    x = Batch("x", 100, datetime(2026, 4, 1))
    y = Batch("y", 100, datetime(2026, 4, 1))
    assert P.consume([y, x], 150, NOW) == [("x", 100), ("y", 50)]
    assert P.consume([x, y], 150, NOW) == [("x", 100), ("y", 50)]


@pytest.mark.parametrize("pts", [-1, 1.5, True])
def test_consume_refuses_bad_amounts(pts: object) -> None:
    # -1 used to "take" -1 point from the first batch
    with pytest.raises(InvalidInput, match="points to take must be a whole number"):
        P.consume([A], pts, NOW)  # type: ignore[arg-type]


def test_expired() -> None:
    assert P.expired([A, B, C, D, E, F], NOW) == [C, F]
    assert P.expired([A, B, D], NOW) == []
    assert P.expired([Batch("z", 0, datetime(2020, 1, 1))], NOW) == []


def test_expiring_groups_live_batches_within_the_notice_period() -> None:
    now = datetime(2026, 3, 10, 12, 0)
    batches = [
        Batch(1, 100, datetime(2026, 3, 20)),
        Batch(2, 50, datetime(2026, 3, 20)),   # same moment: one line on the receipt
        Batch(3, 0, datetime(2026, 3, 15)),    # used up
        Batch(4, 70, datetime(2026, 3, 10)),   # already expired
        Batch(5, 30, datetime(2026, 3, 12)),
        Batch(6, 999, datetime(2026, 4, 10)),  # just past 30 days
        Batch(7, 5, datetime(2026, 4, 9, 12, 0)),  # exactly 30 days: included
    ]
    assert P.expiring(batches, now, 30) == [
        (datetime(2026, 3, 12), 30), (datetime(2026, 3, 20), 150),
        (datetime(2026, 4, 9, 12, 0), 5)]
    assert P.expiring(batches, now, 0) == []


def test_take_plan_takes_the_named_batch_first_then_the_soonest_expiring() -> None:
    from terminal.loyalty.points import Batch, take_plan

    now = datetime(2026, 3, 1)
    soon, late, gone = (Batch("soon", 50, now + timedelta(days=3)),
                        Batch("late", 80, now + timedelta(days=300)),
                        Batch("gone", 40, now - timedelta(days=1)))
    assert take_plan([late, soon, gone], 70, now) == [("soon", 50), ("late", 20)]
    assert take_plan([late, soon, gone], 70, now, first_from="late") == [("late", 70)]
    assert take_plan([late, soon, gone], 100, now, first_from="late") == [("late", 80),
                                                                          ("soon", 20)]
    # an expired batch is taken first only when asked for (a refund of an old sale)
    assert take_plan([late, soon, gone], 60, now, first_from="gone") == [("soon", 50),
                                                                         ("late", 10)]
    assert take_plan([late, soon, gone], 60, now, first_from="gone",
                     include_expired=True) == [("gone", 40), ("soon", 20)]
    with pytest.raises(InsufficientPoints):
        take_plan([late, soon, gone], 131, now)


def test_restore_plan_puts_back_latest_expiring_first_never_more_than_taken() -> None:
    from terminal.loyalty.points import Use, restore_plan

    now = datetime(2026, 3, 1)
    uses = [Use("soon", 50, now + timedelta(days=3)),
            Use("late", 20, now + timedelta(days=300), restored=5)]
    assert restore_plan(uses, 10) == [("late", 10)]
    assert restore_plan(uses, 40) == [("late", 15), ("soon", 25)]
    assert restore_plan(uses, 65) == [("late", 15), ("soon", 50)]
    with pytest.raises(InsufficientPoints, match="more points to restore"):
        restore_plan(uses, 66)
