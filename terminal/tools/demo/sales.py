"""The till: what customers pick up and how they pay, priced by terminal.loyalty exactly as
checkout prices it; and the sales to customers who are not members."""

from __future__ import annotations

import bisect
import random
from typing import Any

from ...loyalty import pricing
from .shop import MANAGERS, PROFILES
from .world import ANONYMOUS_RATE, CASH_NOTES, DAY, World, cumulate, pick, poisson, uuid7
from .writer import TXN, TXN_LINE, Out

PROFILE_CUM = list(cumulate(p[0] for p in PROFILES))


def basket(w: World, rng: random.Random, profile: int, season: int, appetite: float,
            brands: dict[str, str], t: int) -> list[list[Any]]:
    """What a customer of this taste picks up: [product, quantity, line discount]."""
    rnd = rng.random
    x = rnd()
    k = 1 if x < 0.55 else 2 if x < 0.85 else 3 if x < 0.96 else 4 if x < 0.99 else 5
    if appetite > 1.2 and rnd() < min(0.7, (appetite - 1.2) * 0.6):
        k += 1
    items, cum = w.picker(profile, season)
    top = cum[-1]
    lines: list[list[Any]] = []
    for _ in range(k):
        prod = items[bisect.bisect(cum, rnd() * top)]
        cat = prod.category
        if prod.brand != "House":
            # brand loyalty: most buy their usual brand again
            usual = brands.get(cat)
            if usual is None:
                brands[cat] = prod.brand
            elif usual != prod.brand and rnd() < 0.8:
                same = w.same_brand(season, cat, usual)
                if same:
                    prod = same[rng.randrange(len(same))]
        for ln in lines:
            if ln[0] is prod:
                ln[1] += 1
                break
        else:
            qty = 1
            if cat == "bakery" and rnd() < 0.3:
                qty = rng.randint(2, 4)
            elif cat in ("drinks", "snacks") and rnd() < 0.15:
                qty = 2
            lines.append([prod, qty, 0])
    if t % DAY >= 20 * 3600:
        for ln in lines:
            if ln[0].category == "bakery":
                ln[2] = ln[0].price * ln[1] * 3 // 10  # the evening markdown on the day's bread
    return lines


def tender(rng: random.Random, due: int, habit: float, stored_value: int = 0
           ) -> pricing.Tenders:
    """What the customer hands over for ``due`` after ``stored_value``: mostly WeChat Pay /
    Alipay, some card, some cash (often a note or two)."""
    rest = due - stored_value
    if rest <= 0:
        return pricing.Tenders(stored_value=stored_value)
    if habit < 0.72:
        return pricing.Tenders(stored_value=stored_value, other=rest)
    if habit < 0.85:
        return pricing.Tenders(stored_value=stored_value, card=rest)
    note = CASH_NOTES[rng.randrange(len(CASH_NOTES))]
    given = -(-rest // note) * note if rng.random() < 0.8 else rest
    return pricing.Tenders(stored_value=stored_value, cash=given)


def settle(rng: random.Random, due: int, habit: float, stored_value: int = 0,
           balance: int = 0) -> pricing.Settlement:
    """pricing.settle of what the customer hands over, as checkout settles a sale."""
    return pricing.settle(due, tender(rng, due, habit, stored_value), balance)


# --- anonymous trade ----------------------------------------------------------------


def anonymous(w: World, d_lo: int, d_hi: int, out: Out) -> None:
    """Sales to customers who are not members, for period days [d_lo, d_hi)."""
    for d in range(d_lo, d_hi):
        rng = random.Random(f"member-terminal-demo/{w.seed}/anonymous/{d}")
        season = w.day_season[d]
        lam = ANONYMOUS_RATE * max(w.enrolled_by_day[d], 50) * w.weights[d]
        times = sorted(w.t_start + d * DAY + w.tod(rng) for _ in range(poisson(rng, lam)))
        for t in times:
            _anonymous_sale(w, rng, out, t, season)


def _anonymous_sale(w: World, rng: random.Random, out: Out, t: int, season: int) -> None:
    picked = [ln for ln in basket(w, rng, pick(rng, PROFILE_CUM), season, 0.8, {}, t)
              if not ln[0].punch_visits]
    if not picked:
        return
    term, staff = w.origin(t)
    tid = uuid7(rng, w.base_ms, t)
    ts, day_s = w.ts(t), w.day_str[t // DAY]
    priced = w.price(tuple(w.line(p, qty, ld) for p, qty, ld in picked), None)
    total = priced.total
    paid = settle(rng, total, rng.random())
    refunded = rng.random() < 0.002
    out.txn.append(TXN.row(
        id=tid, created_at=ts, store_id=w.store, terminal_id=term, staff_id=staff,
        idempotency_key="demo-" + tid, kind="sale",
        status="refunded" if refunded else "completed", seq=out.next_seq(),
        business_date=day_s, subtotal=priced.subtotal, line_discount=priced.line_discount,
        tier_discount=priced.tier_discount, coupon_discount=priced.coupon_discount,
        points_discount=priced.points_discount, total=total, cash=paid.cash, card=paid.card,
        other=paid.other, change=paid.change))
    lines = []
    for k, pl in enumerate(priced.lines, start=1):
        ln = pl.line
        lines.append(TXN_LINE.row(
            id=uuid7(rng, w.base_ms, t), txn_id=tid, line_no=k, sku=ln.sku, name=ln.name,
            category=ln.category, brand=ln.brand, qty=ln.qty, unit_price=ln.unit_price,
            line_discount=pl.line_discount, tier_discount=pl.tier_discount,
            coupon_discount=pl.coupon_discount, points_discount=pl.points_discount,
            net=pl.net))
    out.lines.extend(lines)
    out.anonymous_sales += 1
    out.revenue += total
    if refunded:
        rt = t + rng.randint(300, 3600)
        rid = uuid7(rng, w.base_ms, rt)
        rterm, rstaff = w.origin(rt)
        out.txn.append(TXN.row(
            id=rid, created_at=w.ts(rt), store_id=w.store, terminal_id=rterm,
            staff_id=rstaff, idempotency_key="demo-" + rid, kind="refund", seq=out.next_seq(),
            business_date=w.day_str[rt // DAY], original_id=tid, approved_by=MANAGERS[rt % 2],
            subtotal=-priced.subtotal, line_discount=-priced.line_discount, total=-total,
            cash=-paid.cash, card=-paid.card, other=-paid.other, note="returned"))
        for k, row in enumerate(lines, start=1):
            out.lines.append(refund_line(row, uuid7(rng, w.base_ms, rt), rid, k))
        out.refunds += 1
        out.revenue -= total


_L = TXN_LINE.pos
_NEGATED = tuple(_L[c] for c in ("qty", "line_discount", "tier_discount", "coupon_discount",
                                  "points_discount", "net", "points_earned"))


def refund_line(sold: tuple[Any, ...], lid: str, tid: str, line_no: int) -> tuple[Any, ...]:
    """refunds.refund's line for the whole of a sold line: the same line, negated."""
    row = list(sold)
    for k in _NEGATED:
        row[k] = -row[k]
    row[_L["id"]], row[_L["txn_id"]], row[_L["line_no"]] = lid, tid, line_no
    row[_L["original_line_id"]] = sold[_L["id"]]
    return tuple(row)
