"""Money as integer minor units; Decimal only to parse and format; floats rejected."""

from __future__ import annotations

import re
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, InvalidOperation
from fractions import Fraction

from .errors import InvalidInput

# ISO 4217 minor-unit exponents for the currencies a shop is likely to use.
MINOR_DIGITS: dict[str, int] = {
    "CNY": 2, "HKD": 2, "TWD": 2, "MOP": 2, "SGD": 2, "USD": 2, "EUR": 2, "GBP": 2,
    "AUD": 2, "CAD": 2, "CHF": 2, "MYR": 2, "THB": 2, "JPY": 0, "KRW": 0, "VND": 0,
}
SYMBOLS: dict[str, str] = {
    "CNY": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "KRW": "₩",
}
# Far above any sale, yet sums of many such amounts still fit a signed 64-bit column.
MAX_AMOUNT = 10**15
# One amount a person types or a rule gives (a price, a line discount, a top-up, a number of
# points): ten million yuan or dollars, a billion yen; a typo beyond it is refused.
MAX_ENTRY = 10**9
# One bill (and one tender paying it). A million such bills still sum inside SQLite's and
# PostgreSQL's 64-bit integers, so a day's or a year's report cannot overflow.
MAX_BILL = 10**12
# Scaling by a power of ten must never round: the default context keeps only 28 digits.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
# A comma only between groups of three digits: "12,50" is not read as 1250.
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?")


class MoneyError(InvalidInput, ValueError):
    """An amount that is not valid money (float, non-integer, unparseable, negative, huge)."""


def minor_digits(currency: str) -> int:
    try:
        return MINOR_DIGITS[currency.upper()]
    except KeyError:
        raise MoneyError("unknown currency {currency!r}", currency=currency) from None


def check(amount: object, name: str = "amount", *, allow_negative: bool = False,
          limit: int = MAX_AMOUNT) -> int:
    """Return ``amount`` if it is an int of minor units of at most ``limit`` (MAX_ENTRY for
    one typed amount, MAX_BILL for a bill or a tender); raise on floats and anything else."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise MoneyError(
            "{name} must be an integer number of minor units, not {type} ({amount!r})",
            name=name, type=type(amount).__name__, amount=amount)
    if amount < 0 and not allow_negative:
        raise MoneyError("{name} must not be negative ({amount})", name=name, amount=amount)
    if abs(amount) > limit:
        if limit == MAX_AMOUNT:
            raise MoneyError("{name} is too large ({amount})", name=name, amount=amount)
        raise MoneyError("{name} is too large ({amount:,} minor units; at most {limit:,})",
                         limit=limit, name=name, amount=amount)
    return amount


def parse(text: str | Decimal | int, currency: str = "CNY") -> int:
    """Parse a human amount ("12.50", "¥1,200", Decimal) into minor units; refuse floats."""
    if isinstance(text, float):
        raise MoneyError("floats are not accepted as money; pass a string or Decimal")
    if isinstance(text, bool):
        raise MoneyError("not an amount")
    digits = minor_digits(currency)
    if isinstance(text, int):
        value = Decimal(text)
    elif isinstance(text, Decimal):
        value = text
    elif isinstance(text, str):
        cleaned = text.strip().upper()
        for sym in (currency.upper(), SYMBOLS.get(currency.upper(), ""), "¥", "$", "€", "£", "元"):
            if sym:
                cleaned = cleaned.replace(sym, "")
        # "-SGD 1.00" (format_amount's negative) leaves "- 1.00"
        cleaned = re.sub(r"^([+-])\s+", r"\1", cleaned.strip())
        if "," in cleaned and not _GROUPED.fullmatch(cleaned):
            raise MoneyError("not an amount: {text!r} (',' may only separate thousands; use "
                             "'.' for decimals)", text=text)
        cleaned = cleaned.replace(",", "").replace("_", "")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise MoneyError("not an amount: {text!r}", text=text) from None
    else:
        raise MoneyError("not an amount: {text!r}", text=text)
    if not value.is_finite():
        raise MoneyError("not an amount: {text!r}", text=text)
    scaled = value.scaleb(digits, _EXACT)
    if scaled != scaled.to_integral_value(context=_EXACT):
        raise MoneyError("{text!r} has more than {digits} decimal places for {currency}",
                         text=text, digits=digits, currency=currency)
    if scaled.copy_abs() > MAX_AMOUNT:  # copy_abs: abs() would overflow the context
        raise MoneyError("{text!r} is too large an amount", text=text)
    return int(scaled)


def to_decimal(amount: int, currency: str = "CNY") -> Decimal:
    check(amount, allow_negative=True)
    return Decimal(amount).scaleb(-minor_digits(currency), _EXACT)


def format_amount(amount: int, currency: str = "CNY", *, symbol: bool = True) -> str:
    """12345 -> '¥123.45' (or '123.45' without the symbol); negative as '-¥1.00'."""
    dec = to_decimal(amount, currency)
    digits = minor_digits(currency)
    body = f"{abs(dec):,.{digits}f}"
    sign = "-" if amount < 0 else ""
    prefix = SYMBOLS.get(currency.upper(), currency.upper() + " ") if symbol else ""
    return f"{sign}{prefix}{body}"


def _exact(value: object, name: str) -> Fraction:
    """An exact rational from an int, Fraction or Decimal; floats and bools are refused."""
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
        raise MoneyError("{name} must be an int, Fraction or Decimal, not {type} "
                         "({value!r})", name=name, type=type(value).__name__, value=value)
    if isinstance(value, Decimal) and not value.is_finite():
        raise MoneyError("{name} must be a finite number ({value!r})", name=name, value=value)
    return Fraction(value)


def round_half_up(value: Fraction) -> int:
    """Round an exact fraction of minor units to the nearest unit, halves away from zero."""
    value = _exact(value, "value to round")
    sign = -1 if value < 0 else 1
    v = abs(value)
    whole, rest = divmod(v.numerator, v.denominator)
    if 2 * rest >= v.denominator:
        whole += 1
    return sign * whole


def percent_of(amount: int, percent: Fraction | int) -> int:
    """``percent`` % of ``amount`` minor units, rounded half up."""
    check(amount, allow_negative=True)
    return round_half_up(Fraction(amount) * _exact(percent, "percent") / 100)


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` over ``weights`` proportionally; parts are ints that sum to ``total``.

    Largest-remainder method; ties go to the earlier weight, so the result is deterministic.
    Zero weights get nothing unless every weight is zero (then nothing can be allocated).
    """
    check(total, "total", allow_negative=True)
    for w in weights:
        if isinstance(w, bool) or not isinstance(w, int) or w < 0:
            raise MoneyError("weights must be whole numbers of at least 0, not {w!r}", w=w)
    if total == 0 or not weights:
        if total and not weights:
            raise MoneyError("cannot allocate an amount over no lines")
        return [0] * len(weights)
    wsum = sum(weights)
    if wsum <= 0:
        raise MoneyError("cannot allocate an amount over lines worth nothing")
    sign = -1 if total < 0 else 1
    t = abs(total)
    shares = [t * w // wsum for w in weights]
    remainders = [(t * w % wsum, -i) for i, w in enumerate(weights)]
    left = t - sum(shares)
    for _, neg_i in sorted(remainders, reverse=True)[:left]:
        shares[-neg_i] += 1
    return [sign * s for s in shares]
