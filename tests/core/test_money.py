"""terminal.core.money: parsing, formatting, checking, rounding and allocating minor units."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.core import money
from terminal.core.money import MoneyError

# --- parse -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "currency", "expected"), [
    ("12.50", "CNY", 1250),
    ("12.5", "CNY", 1250),
    ("12", "CNY", 1200),
    ("0.01", "CNY", 1),
    ("0", "CNY", 0),
    (" 7.00 ", "CNY", 700),
    ("¥1,200", "CNY", 120000),
    ("¥1,234,567.89", "CNY", 123456789),
    ("12.50元", "CNY", 1250),
    ("CNY 3.30", "CNY", 330),
    ("cny 3.30", "cny", 330),
    ("HK$1,234.50", "HKD", 123450),
    ("$9.99", "USD", 999),
    ("1_000", "CNY", 100000),
    ("-1.00", "CNY", -100),  # parse keeps the sign; callers that need >= 0 check it
    ("-¥1.00", "CNY", -100),  # format_amount's own output for a negative amount
    ("1000", "JPY", 1000),
    ("¥1,000", "JPY", 1000),
    ("12.0", "JPY", 12),  # a zero fraction is not a decimal place too many
    ("500", "KRW", 500),
    (Decimal("12.34"), "CNY", 1234),
    (Decimal("12.340000"), "CNY", 1234),
    (12, "CNY", 1200),  # an int is a number of major units
    (12, "JPY", 12),
])
def test_parse_accepts(text: str | Decimal | int, currency: str, expected: int) -> None:
    assert money.parse(text, currency) == expected


@pytest.mark.parametrize("value", [12.5, 0.0, 1e3, float("nan")])
def test_parse_refuses_floats(value: float) -> None:
    with pytest.raises(MoneyError, match="floats are not accepted"):
        money.parse(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [True, False])
def test_parse_refuses_bools(value: bool) -> None:
    with pytest.raises(MoneyError, match="not an amount"):
        money.parse(value)


@pytest.mark.parametrize("value", [None, [1], b"12", object()])
def test_parse_refuses_other_types(value: object) -> None:
    with pytest.raises(MoneyError, match="not an amount"):
        money.parse(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   ", "abc", "12.50.1", "1-2", "¥", "--1", "1 2",
                                  "NaN", "nan", "Infinity", "-inf", "sNaN"])
def test_parse_refuses_garbage(text: str) -> None:
    with pytest.raises(MoneyError, match="not an amount"):
        money.parse(text)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"),
                                   Decimal("sNaN")])
def test_parse_refuses_non_finite_decimals(value: Decimal) -> None:
    with pytest.raises(MoneyError, match="not an amount"):
        money.parse(value)


@pytest.mark.parametrize(("text", "currency"), [
    ("12.505", "CNY"), ("0.001", "CNY"), (Decimal("0.125"), "USD"),
    ("12.5", "JPY"), ("1.01", "KRW"), ("0.5", "JPY"),
])
def test_parse_refuses_too_many_decimals(text: str, currency: str) -> None:
    with pytest.raises(MoneyError, match=f"more than {money.MINOR_DIGITS[currency]} decimal"):
        money.parse(text, currency)


def test_parse_refuses_too_many_decimals_beyond_decimal_precision() -> None:
    # 33 significant digits: the default Decimal context (28 digits) used to round this to
    # exactly 1.00 and accept it
    with pytest.raises(MoneyError, match="more than 2 decimal places"):
        money.parse("1.0000000000000000000000000000001")


@pytest.mark.parametrize("text", ["12,50", "1,2,3", "1,23", "12,5000", ",100", "1,000,00"])
def test_parse_refuses_comma_as_decimal_point(text: str) -> None:
    # "12,50" used to become 1250.00: a comma is accepted only between thousands
    with pytest.raises(MoneyError, match="separate thousands"):
        money.parse(text)


@pytest.mark.parametrize("currency", ["XXX", "", "RMB", "yuan"])
def test_unknown_currency(currency: str) -> None:
    with pytest.raises(MoneyError, match="unknown currency"):
        money.parse("1.00", currency)
    with pytest.raises(MoneyError, match="unknown currency"):
        money.minor_digits(currency)
    with pytest.raises(MoneyError, match="unknown currency"):
        money.format_amount(100, currency)


def test_minor_digits() -> None:
    assert money.minor_digits("CNY") == 2
    assert money.minor_digits("cny") == 2
    assert money.minor_digits("JPY") == 0
    assert money.minor_digits("KRW") == 0


def test_parse_huge_values_exact_or_refused() -> None:
    # the largest accepted amount comes back exactly, digit for digit
    assert money.parse("10000000000000.00") == money.MAX_AMOUNT
    assert money.parse("9999999999999.99") == 999_999_999_999_999
    with pytest.raises(MoneyError, match="too large"):
        money.parse("10000000000000.01")
    # 31 digits: used to be rounded silently to 10**31 by the 28-digit Decimal context
    with pytest.raises(MoneyError, match="too large"):
        money.parse("99999999999999999999999999999.99")
    # used to escape as decimal.Overflow rather than MoneyError
    with pytest.raises(MoneyError, match="too large"):
        money.parse("1e999999")
    with pytest.raises(MoneyError, match="too large"):
        money.parse("-1" + "0" * 5000)
    with pytest.raises(MoneyError, match="too large"):
        money.parse(10**20)


def test_parse_tiny_exponent_refused() -> None:
    with pytest.raises(MoneyError, match="decimal places"):
        money.parse("1e-999999999")


# --- check -----------------------------------------------------------------------------


def test_check_accepts_ints() -> None:
    assert money.check(0) == 0
    assert money.check(1250) == 1250
    assert money.check(-5, allow_negative=True) == -5
    assert money.check(money.MAX_AMOUNT) == money.MAX_AMOUNT


@pytest.mark.parametrize("value", [1.0, 12.5, float("inf"), Decimal("12"), Fraction(1, 2), "12",
                                   None, True, False, [1]])
def test_check_refuses_non_ints(value: object) -> None:
    with pytest.raises(MoneyError, match="price must be an integer number of minor units"):
        money.check(value, "price")


def test_check_names_the_type() -> None:
    with pytest.raises(MoneyError, match=r"not float \(12\.5\)"):
        money.check(12.5)
    with pytest.raises(MoneyError, match=r"not bool \(True\)"):
        money.check(True)


def test_check_negative() -> None:
    with pytest.raises(MoneyError, match=r"total must not be negative \(-1\)"):
        money.check(-1, "total")


def test_check_too_large() -> None:
    with pytest.raises(MoneyError, match="amount is too large"):
        money.check(money.MAX_AMOUNT + 1)
    with pytest.raises(MoneyError, match="amount is too large"):
        money.check(-money.MAX_AMOUNT - 1, allow_negative=True)


# --- format ----------------------------------------------------------------------------


@pytest.mark.parametrize(("amount", "currency", "symbol", "expected"), [
    (12345, "CNY", True, "¥123.45"),
    (12345, "CNY", False, "123.45"),
    (0, "CNY", True, "¥0.00"),
    (1, "CNY", True, "¥0.01"),
    (-100, "CNY", True, "-¥1.00"),
    (123456789, "CNY", True, "¥1,234,567.89"),
    (1000, "JPY", True, "¥1,000"),
    (5, "JPY", False, "5"),
    (999, "USD", True, "$9.99"),
    (123450, "HKD", True, "HK$1,234.50"),
    (330, "SGD", True, "SGD 3.30"),
    (330, "sgd", True, "SGD 3.30"),
    (money.MAX_AMOUNT, "CNY", True, "¥10,000,000,000,000.00"),
    (999_999_999_999_999, "CNY", False, "9,999,999,999,999.99"),
])
def test_format_amount(amount: int, currency: str, symbol: bool, expected: str) -> None:
    assert money.format_amount(amount, currency, symbol=symbol) == expected


@pytest.mark.parametrize("value", [1.5, Decimal("1.5"), True])
def test_format_refuses_non_ints(value: object) -> None:
    with pytest.raises(MoneyError):
        money.format_amount(value)  # type: ignore[arg-type]


def test_to_decimal() -> None:
    assert money.to_decimal(1250) == Decimal("12.50")
    assert money.to_decimal(-1, "CNY") == Decimal("-0.01")
    assert money.to_decimal(1250, "JPY") == Decimal(1250)
    assert str(money.to_decimal(999_999_999_999_999)) == "9999999999999.99"


@settings(max_examples=150, deadline=None)
@given(st.integers(-money.MAX_AMOUNT, money.MAX_AMOUNT),
       st.sampled_from(sorted(money.MINOR_DIGITS)))
def test_format_then_parse_round_trips(amount: int, currency: str) -> None:
    assert money.parse(money.format_amount(amount, currency), currency) == amount
    assert money.parse(money.format_amount(amount, currency, symbol=False), currency) == amount
    assert money.parse(money.to_decimal(amount, currency), currency) == amount


# --- round_half_up / percent_of --------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (Fraction(0), 0),
    (Fraction(1, 2), 1),
    (Fraction(3, 2), 2),
    (Fraction(5, 2), 3),  # not banker's rounding
    (Fraction(-1, 2), -1),  # halves away from zero
    (Fraction(-5, 2), -3),
    (Fraction(49, 100), 0),
    (Fraction(51, 100), 1),
    (Fraction(-49, 100), 0),
    (Fraction(1, 3), 0),
    (Fraction(2, 3), 1),
    (7, 7),
    (-7, -7),
    (Decimal("2.5"), 3),  # exact decimal values are accepted too
    (Decimal("-0.5"), -1),
])
def test_round_half_up(value: Fraction, expected: int) -> None:
    assert money.round_half_up(value) == expected


@pytest.mark.parametrize("value", [0.5, 2.5, True, "1", None, Decimal("NaN")])
def test_round_half_up_refuses_floats_and_others(value: object) -> None:
    # a float used to fail with AttributeError (no .numerator)
    with pytest.raises(MoneyError):
        money.round_half_up(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("amount", "percent", "expected"), [
    (10000, 5, 500),
    (999, 5, 50),  # 49.95 -> 50
    (990, 5, 50),  # 49.5 -> 50 (half up)
    (989, 5, 49),  # 49.45 -> 49
    (1000, Fraction(25, 2), 125),  # 12.5 %
    (333, Decimal("1.5"), 5),  # 4.995 -> 5
    (10, 15, 2),  # 1.5 -> 2
    (-990, 5, -50),
    (12345, 0, 0),
    (12345, 100, 12345),
])
def test_percent_of(amount: int, percent: Fraction | int, expected: int) -> None:
    assert money.percent_of(amount, percent) == expected


@pytest.mark.parametrize("percent", [1.1, 0.5, True])
def test_percent_of_refuses_float_and_bool_percent(percent: object) -> None:
    with pytest.raises(MoneyError, match="percent"):
        money.percent_of(10000, percent)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", [100.0, Decimal(100), True])
def test_percent_of_refuses_non_int_amount(amount: object) -> None:
    with pytest.raises(MoneyError):
        money.percent_of(amount, 5)  # type: ignore[arg-type]


# --- allocate --------------------------------------------------------------------------


@pytest.mark.parametrize(("total", "weights", "expected"), [
    (100, [1, 1], [50, 50]),
    (100, [1, 1, 1], [34, 33, 33]),  # 33.33 each: the spare unit goes to the first
    (2, [1, 1, 1], [1, 1, 0]),  # ties go to the earlier weights
    (1, [5, 5], [1, 0]),
    (10, [1, 2, 3, 4], [1, 2, 3, 4]),
    (7, [3, 3, 4], [2, 2, 3]),  # 2.1, 2.1, 2.8: the biggest remainder (.8) gets it
    (5, [0, 3], [0, 5]),  # a zero weight gets nothing
    (5, [0, 3, 0, 1], [0, 4, 0, 1]),  # 3.75, 1.25
    (0, [0, 0], [0, 0]),
    (0, [], []),
    (0, [3, 4], [0, 0]),
    (-100, [1, 1, 1], [-34, -33, -33]),  # negative totals mirror positive ones
    (-1, [1, 1], [-1, 0]),
    (-7, [3, 3, 4], [-2, -2, -3]),
    (1, [1, 1_000_000], [0, 1]),
    (999, [1], [999]),
])
def test_allocate(total: int, weights: list[int], expected: list[int]) -> None:
    assert money.allocate(total, weights) == expected


def test_allocate_is_deterministic() -> None:
    assert all(money.allocate(5, [1, 1, 1, 1, 1, 1, 1]) == [1, 1, 1, 1, 1, 0, 0]
               for _ in range(5))


def test_allocate_nothing_to_allocate_over() -> None:
    with pytest.raises(MoneyError, match="over no lines"):
        money.allocate(5, [])
    with pytest.raises(MoneyError, match="lines worth nothing"):
        money.allocate(5, [0, 0])
    with pytest.raises(MoneyError, match="lines worth nothing"):
        money.allocate(-5, [0])


@pytest.mark.parametrize("weights", [[0.5, 0.5], [1, -1, 2], [5, -3], [True, 1], [Decimal(1)]])
def test_allocate_refuses_bad_weights(weights: list[int]) -> None:
    # floats used to give a TypeError deep inside, negative weights negative parts
    with pytest.raises(MoneyError, match="weights must be whole numbers"):
        money.allocate(10, weights)


@pytest.mark.parametrize("total", [1.0, Decimal(1), True])
def test_allocate_refuses_non_int_total(total: object) -> None:
    with pytest.raises(MoneyError):
        money.allocate(total, [1, 1])  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(st.integers(-10**12, 10**12),
       st.lists(st.integers(0, 10**9), min_size=1, max_size=20).filter(lambda w: sum(w) > 0))
def test_allocate_properties(total: int, weights: list[int]) -> None:
    parts = money.allocate(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    wsum = sum(weights)
    for part, w in zip(parts, weights, strict=True):
        exact = Fraction(total * w, wsum)
        assert abs(part - exact) < 1
        if w == 0:
            assert part == 0
        # every part has the sign of the total
        assert part * total >= 0
