"""The demo's world: the calendar, the segments and every member planned up front
(enrolment, segment, referrals), with the codes derived from them, for the work units to
read (the shop it is set in is ``shop``)."""

from __future__ import annotations

import bisect
import calendar
import math
import random
from array import array
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import phonenumbers

from ...core.rules import Programme, Tier
from ...loyalty import codes, pricing
from ...loyalty import points as prules
from ...loyalty.coupon_rules import CouponTerms
from ...services.context import Context
from .calendar import HOURS, SEASONAL, category_boost, day_weight, seasonal_skus
from .shop import CASHIERS, PROFILES, Product, Template

DAY = 86_400
OPEN_S, CLOSE_S = 7 * 3600, 22 * 3600  # the shop's hours; nightly jobs run while it is shut
PRE_YEARS = 3  # members enrolled before the period joined up to this many years earlier
NEW_DAYS = 45  # enrolled this recently: the "new" segment
LAPSED_QUIET_DAYS = 100  # a lapsed member's last visit is at least this long ago
CHUNK_MEMBERS = 4096  # members simulated per work unit (a multiple of RNG_BLOCK)
CHUNK_DAYS = 30  # days of anonymous sales per work unit
POOL_MIN_MEMBERS = 50_000  # below this, worker processes cost more than they save

SEGMENTS = ("loyal", "regular", "occasional", "lapsed", "zombie", "new")
LOYAL, REGULAR, OCCASIONAL, LAPSED, ZOMBIE, NEW = range(6)
# share of members enrolled before the last NEW_DAYS days, by segment
SEGMENT_MIX = ((LOYAL, 0.015), (REGULAR, 0.065), (OCCASIONAL, 0.27), (LAPSED, 0.20),
               (ZOMBIE, 0.45))
# visits per ordinary day while active: loyal about weekly, regular about monthly
VISIT_RATE = {LOYAL: (0.065, 0.13), REGULAR: (0.014, 0.028), OCCASIONAL: (0.0015, 0.0045),
              LAPSED: (0.008, 0.02), NEW: (0.03, 0.08)}
F_CONSENT, F_WINBACK, F_CONTROL, F_COMEBACK, F_ADVOCATE, F_STORED_VALUE = (
    1, 2, 4, 8, 16, 32)
SV_SHARE = {LOYAL: 0.45, REGULAR: 0.2, NEW: 0.08, LAPSED: 0.1}  # who keeps stored value
ADVOCATE_SHARE = {LOYAL: 0.35, REGULAR: 0.15, OCCASIONAL: 0.04}  # who brings friends
ANONYMOUS_RATE = 0.0015  # sales to non-members per enrolled member on an ordinary day
TOP_UPS = (10_000, 20_000, 30_000, 50_000, 100_000)
CASH_NOTES = (1000, 2000, 5000, 10_000, 10_000)
RNG_BLOCK = 64  # members sharing one random stream (seeding one costs as much as a sale)

BUSY_HOURS = frozenset((8, 12, 13, 18))  # the second till opens at the rush


# mobile prefixes whose every 8-digit continuation is a valid CN mobile number
# (phonenumbers' CN mobile pattern; checked again at start-up)
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
                   "151", "152", "153", "155", "156", "157", "158", "159", "166", "176",
                   "177", "178", "180", "181", "182", "183", "185", "186", "187", "188",
                   "189", "191", "198", "199")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as codes.new_coupon_code: 5 bits each
M62 = (1 << 62) - 1
NEVER = 1 << 62  # a time after everything
M50 = (1 << 50) - 1
V7 = (0x7 << 76) | (1 << 63)  # UUID version 7, RFC 4122 variant
B32_PAIRS = tuple(a + b for a in CODE_ALPHABET for b in CODE_ALPHABET)

Rows = dict[str, list[tuple[Any, ...]]]


# --- deterministic codes ----------------------------------------------------------------


def _feistel(x: int, half: int, keys: tuple[int, ...]) -> int:
    """A keyed permutation of [0, 2**(2*half)): unique codes from indexes, no lookups."""
    mask = (1 << half) - 1
    left, right = x >> half, x & mask
    for k in keys:
        left, right = right, left ^ ((((right * 0x9E3779B1) ^ k) + (right >> 3)) & mask)
    return (left << half) | right


def _permute(x: int, n: int, half: int, keys: tuple[int, ...]) -> int:
    """A keyed permutation of [0, n) by cycle walking (n <= 2**(2*half))."""
    x = _feistel(x, half, keys)
    while x >= n:
        x = _feistel(x, half, keys)
    return x


def _keys(seed: int, salt: int) -> tuple[int, ...]:
    r = random.Random(seed * 1_000_003 + salt)
    return tuple(r.getrandbits(32) for _ in range(4))


def _base32(value: int, chars: int) -> str:
    out = []
    for _ in range(chars):
        out.append(CODE_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(out))


# --- the world every work unit reads --------------------------------------------------


class World:
    """Everything decided up front: the rules, the catalogue, the calendar and, per member,
    enrolment, segment, flags and referrals. Read-only once built (worker processes share
    it); each member's visits are drawn in the work units."""

    def __init__(self, ctx: Context, members: int, days: int, seed: int,
                 products: list[Product], templates: list[Template]) -> None:
        self.seed = seed
        self.n = members
        self.days = days
        self.programme: Programme = ctx.programme
        self.currency = ctx.currency
        self.store = ctx.store_id
        first = ctx.terminal_id
        self.terminals = (first, "T02" if first != "T02" else "T01")
        self.now = ctx.now().replace(microsecond=0)
        # the history ends at the close of yesterday: a rerun on the same day gives the same
        # database, and today's till starts fresh
        self.as_of = datetime.combine(self.now.date(), datetime.min.time())
        start = self.as_of - timedelta(days=days)
        self.base = start - timedelta(days=PRE_YEARS * 366 + 7)
        self.base_ms = calendar.timegm(self.base.timetuple()) * 1000
        self.t_start = (start - self.base).days * DAY
        self.t_end = self.t_start + days * DAY
        self.t_now = self.t_end + int((self.now - self.as_of).total_seconds())
        horizon = (self.t_end // DAY + 31 * max(self.programme.points.expiry_months, 12)
                   + 800)
        all_days = [(self.base + timedelta(days=d)).date() for d in range(horizon)]
        self.day_str = [d.isoformat() for d in all_days]
        self.midnight = [s + " 00:00:00" for s in self.day_str]
        self.month_day = [d.month * 100 + d.day for d in all_days]
        self.leap = bytes(calendar.isleap(d.year) for d in all_days)
        self.hms = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]

        self.products = products
        self.by_sku = {p.sku: p for p in products}
        self.templates = templates
        self.by_template = {t.code: t for t in templates}
        self.auto = {rule: [t for t in templates if t.auto_rule == rule]
                     for rule in ("welcome", "next_visit", "cross_sell")}
        self.cross_sell_from = min((t.auto_min_spend for t in self.auto["cross_sell"]),
                                   default=NEVER)

        # per period day: weight, seasonal catalogue and category boosts
        dates = [start.date() + timedelta(days=d) for d in range(days)]
        self.weights = [day_weight(d) for d in dates]
        self.cum_weights = [0.0]
        for w in self.weights:
            self.cum_weights.append(self.cum_weights[-1] + w)
        self.mean_weight = self.cum_weights[-1] / max(1, days)
        season_keys: dict[tuple[frozenset[str], tuple[tuple[str, float], ...]], int] = {}
        self.day_season = array("i")
        for d in dates:
            key = (seasonal_skus(d), category_boost(d))
            self.day_season.append(season_keys.setdefault(key, len(season_keys)))
        self.seasons = list(season_keys)
        self._pickers: dict[tuple[int, int], tuple[list[Product], list[float]]] = {}
        self._brands: dict[tuple[int, str, str], list[Product]] = {}
        self.hour_cum = list(cumulate(HOURS))
        # monthly tier reviews (the 1st, just after midnight) and the last one tonight
        self.reviews: list[int] = []
        d0 = start.date().replace(day=1)
        while True:
            d0 = (d0 + timedelta(days=32)).replace(day=1)
            t = (d0 - self.base.date()).days * DAY + 600
            if t >= self.t_end:
                break
            self.reviews.append(t)
        self.reviews.append(self.t_end)

        rules = self.programme
        self.tier_by_code: dict[str, Tier] = {t.code: t for t in rules.tiers.tiers}
        self.base_tier = rules.tiers.base.code
        self.window = rules.tiers.window_days * DAY
        self.dates = all_days
        self._expiry_cache: dict[int, int] = {}
        # the checkout's pricing of a basket without coupon or points, per basket and tier:
        # the same few baskets come back at every till (a bounded memo of pricing.price)
        self._prices: dict[tuple[tuple[pricing.BasketLine, ...], str | None],
                           pricing.Pricing] = {}
        self._lines: dict[tuple[str, int, int], pricing.BasketLine] = {}
        self._earned: dict[tuple[Any, ...], prules.Earned] = {}
        self.card_keys = _keys(seed, 1)
        self.phone_keys = _keys(seed, 2)
        self.ref_keys = _keys(seed, 3)
        ck = _keys(seed, 4)
        self.coupon_mix = (ck[0] | ck[1] << 32 | 1, ck[2] << 18 | ck[3], ck[3] << 20 | ck[0] | 1)

        # planned per member (filled by plan())
        self.enrol = array("q")
        self.segment = bytearray()
        self.flags = bytearray()
        self.referrer = array("q")
        self.member_ids: list[str] = []
        self.first_sale: dict[int, tuple[int, str]] = {}  # referred: first sale time and id
        self.rewards: dict[int, list[int]] = {}  # referrer -> the members they brought
        self.enrolled_by_day = array("q")  # members enrolled by the end of each period day
        self.t_winback = (self.t_end - 45 * DAY) // DAY * DAY + 10 * 3600 if days >= 150 else -1

    # times ------------------------------------------------------------------------
    def ts(self, t: int) -> str:
        return self.day_str[t // DAY] + self.hms[t % DAY]

    def day(self, t: int) -> str:
        return self.day_str[t // DAY]

    def date_of(self, t: int) -> date:
        return (self.base + timedelta(days=t // DAY)).date()

    def date_time(self, t: int) -> datetime:
        return self.base + timedelta(seconds=t)

    def tod(self, rng: random.Random) -> int:
        """A time of day when customers come, in seconds after midnight."""
        h = bisect.bisect(self.hour_cum, rng.random() * self.hour_cum[-1])
        return OPEN_S + h * 3600 + rng.randrange(3600)

    def period_day(self, rng: random.Random, lo: int, hi: int) -> int:
        """A period day in [lo, hi), busy days more likely."""
        cw = self.cum_weights
        d = bisect.bisect(cw, cw[lo] + rng.random() * (cw[hi] - cw[lo])) - 1
        return min(max(d, lo), hi - 1)

    def expires(self, t: int) -> int:
        """prules.expiry_for, on the day index."""
        d = t // DAY
        hit = self._expiry_cache.get(d)
        if hit is None:
            start = self.base + timedelta(days=d)
            hit = (prules.expiry_for(start, self.programme.points) - self.base).days * DAY
            self._expiry_cache[d] = hit
        return hit

    def origin(self, t: int) -> tuple[str, str]:
        """The terminal and cashier at time ``t``: two tills at the rush, shifts by day."""
        d, s = divmod(t, DAY)
        h = s // 3600
        second = h in BUSY_HOURS and t % 7 < 3
        shift = 0 if h < 15 else 1
        return (self.terminals[second],
                CASHIERS[(d * 2 + shift * 3 + second) % len(CASHIERS)])

    # codes ------------------------------------------------------------------------
    def card_no(self, i: int) -> str:
        body = str(100_000_000 + _permute(i, 900_000_000, 15, self.card_keys))
        return body + codes.luhn_digit(body)

    def phone(self, i: int) -> str:
        x = _permute(i, len(MOBILE_PREFIXES) * 100_000_000, 16, self.phone_keys)
        return f"+86{MOBILE_PREFIXES[x // 100_000_000]}{x % 100_000_000:08d}"

    def referral_code(self, i: int) -> str:
        return "R" + _base32(_permute(i, 1 << 35, 18, self.ref_keys), 7)

    def coupon_code(self, index: int) -> str:
        """Ten characters from a 50-bit bijection of ``index``: unique without a lookup."""
        a, b, c = self.coupon_mix
        x = (index * a + b) & M50
        x ^= x >> 23
        x = (x * c) & M50
        x ^= x >> 21
        pairs = B32_PAIRS
        return (pairs[x >> 40] + pairs[x >> 30 & 1023] + pairs[x >> 20 & 1023]
                + pairs[x >> 10 & 1023] + pairs[x & 1023])

    # catalogue ---------------------------------------------------------------------
    def picker(self, profile: int, season: int) -> tuple[list[Product], list[float]]:
        """Products on sale in ``season`` and how likely a customer of ``profile`` picks
        each: the category by taste and season, then the product by popularity."""
        key = (profile, season)
        hit = self._pickers.get(key)
        if hit is None:
            on_sale, boosts = self.seasons[season]
            boost = dict(boosts)
            items: list[Product] = []
            weights: list[float] = []
            for cat, taste in sorted(PROFILES[profile][1].items()):
                ours = [p for p in self.products if p.category == cat and p.popularity > 0
                        and (p.sku not in SEASONAL or p.sku in on_sale)]
                total = sum(p.popularity for p in ours)
                for p in ours:
                    items.append(p)
                    weights.append(taste * boost.get(cat, 1.0) * p.popularity / total)
            hit = (items, list(cumulate(weights)))
            self._pickers[key] = hit
        return hit

    def same_brand(self, season: int, category: str, brand: str) -> list[Product]:
        key = (season, category, brand)
        hit = self._brands.get(key)
        if hit is None:
            on_sale = self.seasons[season][0]
            hit = [p for p in self.products if p.category == category and p.brand == brand
                   and p.popularity > 0 and (p.sku not in SEASONAL or p.sku in on_sale)]
            self._brands[key] = hit
        return hit

    # pricing and earning, through terminal.loyalty as checkout calls it ----------------
    def line(self, prod: Product, qty: int, line_discount: int) -> pricing.BasketLine:
        """checkout.basket's line for a catalogue product (one object per kind of line)."""
        key = (prod.sku, qty, line_discount)
        hit = self._lines.get(key)
        if hit is None:
            hit = pricing.BasketLine(
                name=prod.name, unit_price=prod.price, qty=qty, sku=prod.sku,
                category=prod.category, brand=prod.brand, line_discount=line_discount,
                discountable=prod.discountable)
            self._lines[key] = hit
        return hit

    def tier_percent(self, tier: str | None) -> Decimal:
        return self.tier_by_code[tier].discount_percent if tier else Decimal(0)

    def price(self, lines: tuple[pricing.BasketLine, ...], tier: str | None,
              coupon: CouponTerms | None = None, coupon_code: str = "", points: int = 0,
              balance: int = 0) -> pricing.Pricing:
        """pricing.price with the programme's rules, as checkout._price calls it."""
        if coupon is None and not points:
            key = (lines, tier)
            hit = self._prices.get(key)
            if hit is None:
                if len(self._prices) > 200_000:
                    self._prices.clear()
                hit = self._prices[key] = pricing.price(
                    lines, tier_percent=self.tier_percent(tier), rules=self.programme.points,
                    currency=self.currency)
            return hit
        return pricing.price(
            lines, tier_percent=self.tier_percent(tier), coupon=coupon, coupon_code=coupon_code,
            points_requested=points, points_balance=balance, rules=self.programme.points,
            currency=self.currency)

    def earn(self, priced: pricing.Pricing, stored_value_paid: int, tier: str, t: int,
             birthday: date | None) -> prules.Earned:
        """points.earn for a member's sale, as checkout calls it. A bounded memo: the result
        depends on the day and the birthday only through points.day_multiplier."""
        rules = self.programme.points
        today = self.dates[t // DAY]
        lines = [prules.EarnLine(pl.line.category, pl.net, pl.points_discount)
                 for pl in priced.lines]
        key = (*lines, stored_value_paid, tier, prules.day_multiplier(today, birthday, rules))
        hit = self._earned.get(key)
        if hit is None:
            if len(self._earned) > 200_000:
                self._earned.clear()
            hit = self._earned[key] = prules.earn(
                lines, stored_value_paid=stored_value_paid,
                tier_multiplier=self.tier_by_code[tier].points_multiplier, today=today,
                birthday=birthday, rules=rules, currency=self.currency)
        return hit


def cumulate(weights: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for w in weights:
        total += w
        yield total


def pick(rng: random.Random, cum: list[float]) -> int:
    return bisect.bisect(cum, rng.random() * cum[-1])


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


# --- planning: who joins when, and who brought whom ------------------------------------


def plan(world: World) -> None:
    """Enrolment times, segments, flags and referrals for every member."""
    w = world
    rng = random.Random(f"member-terminal-demo/{w.seed}/plan")
    rnd = rng.random
    n, days, t_start = w.n, w.days, w.t_start
    in_share = min(0.75, 0.45 * days / 365)
    # more members join on busy days and, as the shop grows, later in the period
    enrol_cum = list(cumulate(wt * (0.8 + 0.4 * d / max(1, days))
                               for d, wt in enumerate(w.weights)))
    total = enrol_cum[-1]
    pre_span = PRE_YEARS * 365
    times = []
    for _ in range(n):
        if rnd() < in_share:
            d = min(bisect.bisect(enrol_cum, rnd() * total), days - 1)
        else:
            d = -rng.randrange(1, pre_span)
        times.append(t_start + d * DAY + w.tod(rng))
    times.sort()
    for d in range(days):
        w.enrolled_by_day.append(bisect.bisect_left(times, t_start + (d + 1) * DAY))
    seg_cum = list(cumulate(s for _, s in SEGMENT_MIX))
    new_from = w.t_end - min(NEW_DAYS, max(7, days // 3)) * DAY
    lapse_by = w.t_end - (LAPSED_QUIET_DAYS + 30) * DAY
    advocates: list[int] = []
    referrers: list[int] = []
    ids = w.member_ids
    base_ms = w.base_ms
    for i, t0 in enumerate(times):
        w.enrol.append(t0)
        ids.append(uuid7(rng, base_ms, t0))
        if t0 >= new_from:
            seg = NEW
        else:
            seg = SEGMENT_MIX[bisect.bisect(seg_cum, rnd() * seg_cum[-1])][0]
            if seg == LAPSED and max(t0, t_start) > lapse_by:
                seg = OCCASIONAL  # joined too late to have lapsed already
        flags = 0
        if rnd() < (0.55 if seg in (LOYAL, REGULAR) else 0.35):
            flags |= F_CONSENT
        if rnd() < SV_SHARE.get(seg, 0.03):
            flags |= F_STORED_VALUE
        # referrals: advocates bring friends (a few bring many), who buy when they join;
        # the ones who joined before the period came before our records
        ref = -1
        if t0 >= t_start and advocates and rnd() < 0.12:
            if referrers and rnd() < 0.5:
                ref = referrers[rng.randrange(len(referrers))]
            else:
                ref = advocates[rng.randrange(len(advocates))]
            referrers.append(ref)
            first = t0 + rng.randint(30, 300)
            w.first_sale[i] = (first, uuid7(rng, base_ms, first))
            w.rewards.setdefault(ref, []).append(i)
        w.referrer.append(ref)
        if rnd() < ADVOCATE_SHARE.get(seg, 0.01):
            flags |= F_ADVOCATE
            advocates.append(i)
        w.segment.append(seg)
        w.flags.append(flags)


def uuid7(rng: random.Random, base_ms: int, t: int) -> str:
    """A UUIDv7 (as the 32 hex digits peewee stores) for a row made at ``t``."""
    r = rng.getrandbits(74)
    return f"{((base_ms + t * 1000) << 80) | V7 | (r >> 62) << 64 | (r & M62):032x}"


def check_phones() -> None:
    """Every prefix used must give valid numbers whatever follows (phonenumbers decides)."""
    for prefix in MOBILE_PREFIXES:
        for tail in ("00000000", "49999999", "99999999", "12345678"):
            number = phonenumbers.parse(f"+86{prefix}{tail}")
            if not phonenumbers.is_valid_number(number):
                raise RuntimeError(f"demo: +86 {prefix} numbers are not valid mobile numbers")
