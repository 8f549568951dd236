"""The demo's calendar: busy days, festivals that move with the moon, seasonal products."""

from __future__ import annotations

from datetime import date

CARE = ("haircare", "skincare", "bodycare", "oralcare")

# the Spring Festival (Chinese New Year) and the Mid-Autumn Festival move with the moon
SPRING_FESTIVAL = {
    2015: (2, 19), 2016: (2, 8), 2017: (1, 28), 2018: (2, 16), 2019: (2, 5), 2020: (1, 25),
    2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10), 2025: (1, 29), 2026: (2, 17),
    2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3), 2031: (1, 23), 2032: (2, 11),
    2033: (1, 31), 2034: (2, 19), 2035: (2, 8)}
MID_AUTUMN = {
    2015: (9, 27), 2016: (9, 15), 2017: (10, 4), 2018: (9, 24), 2019: (9, 13),
    2020: (10, 1), 2021: (9, 21), 2022: (9, 10), 2023: (9, 29), 2024: (9, 17),
    2025: (10, 6), 2026: (9, 25), 2027: (9, 15), 2028: (10, 3), 2029: (9, 22),
    2030: (9, 12), 2031: (10, 1), 2032: (9, 19), 2033: (9, 8), 2034: (9, 27),
    2035: (9, 16)}
WEEKDAY = (0.85, 0.85, 0.9, 0.95, 1.1, 1.45, 1.35)  # Monday .. Sunday
HOURS = (0.5, 1.7, 1.2, 0.9, 1.0, 1.5, 1.2, 0.9, 1.1, 1.0, 1.1, 1.3, 1.0, 0.7, 0.4)  # 7h..21h


def spring_festival(year: int) -> date:
    month, day = SPRING_FESTIVAL.get(year, (2, 1))
    return date(year, month, day)


def mid_autumn(year: int) -> date:
    month, day = MID_AUTUMN.get(year, (9, 20))
    return date(year, month, day)


def day_weight(d: date) -> float:
    """How busy the shop is on ``d`` relative to an ordinary day."""
    w = WEEKDAY[d.weekday()]
    if d.month in (7, 8):
        w *= 1.15  # summer: cold drinks
    if d.month == 12:
        w *= 1.5 if d.day in (24, 25) else 1.3 if d.day == 31 else 1.15
    if d.month == 11 and 9 <= d.day <= 12:
        w *= 2.2 if d.day == 11 else 1.4
    if d.month == 2 and d.day == 14:
        w *= 1.3
    sf = spring_festival(d.year if d.month < 6 else d.year + 1)
    gap = (d - sf).days
    if -14 <= gap < 0:
        w *= 1.3 + 0.3 * (14 + gap) / 14  # new-year shopping builds up to the eve
    elif 0 <= gap <= 4:
        w *= 0.5  # the holiday: many have gone home
    elif 5 <= gap <= 14:
        w *= 0.9
    return w


def seasonal_skus(d: date) -> frozenset[str]:
    """Seasonal products on sale on ``d``."""
    out: set[str] = set()
    sf = spring_festival(d.year if d.month < 6 else d.year + 1)
    if -30 <= (d - sf).days <= 7:
        out.update(("GF-SPR", "GF-HMP", "GF-NGO"))
    ma = mid_autumn(d.year)
    if -35 <= (d - ma).days <= 0:
        out.add("GF-MOO")
    if (d.month, d.day) >= (5, 10) and (d.month, d.day) <= (6, 20):
        out.add("GF-ZZI")
    if d.month == 12 and d.day <= 25:
        out.update(("GF-XMS", "CK-YUL"))
    if d.month == 2 and d.day <= 14:
        out.add("GF-VAL")
    if d.month in (9, 10, 11):
        out.add("CF-OSM")
    if d.month in (6, 7, 8, 9):
        out.update(("DR-WMJ", "DR-MGS"))
    return frozenset(out)


SEASONAL = frozenset(("GF-SPR", "GF-HMP", "GF-NGO", "GF-MOO", "GF-ZZI", "GF-XMS", "CK-YUL",
                      "GF-VAL", "CF-OSM", "DR-WMJ", "DR-MGS"))


def category_boost(d: date) -> tuple[tuple[str, float], ...]:
    boost: dict[str, float] = {}
    sf = spring_festival(d.year if d.month < 6 else d.year + 1)
    if -21 <= (d - sf).days < 0:
        boost["gifts"] = 12.0
    if -20 <= (d - mid_autumn(d.year)).days <= 0:
        boost["gifts"] = 10.0
    if d.month in (7, 8):
        boost["drinks"] = boost["tea"] = 1.6
    if d.month == 11 and d.day <= 11:
        for c in CARE:
            boost[c] = 2.5
    if d.month == 12:
        boost["cakes"] = 1.8 if d.day in range(20, 26) else 1.2
        boost["gifts"] = max(boost.get("gifts", 1.0), 3.0)
    if d.month == 2 and 10 <= d.day <= 14:
        boost["cakes"] = 2.0
        boost["gifts"] = max(boost.get("gifts", 1.0), 4.0)
    return tuple(sorted(boost.items()))
