"""One member at the counter in the demo: sales (priced, settled and earned through
terminal.loyalty), top-ups, punch-card visits and refunds, recorded as the services record them."""

from __future__ import annotations

from datetime import date
from typing import Any

from ...core.errors import CouponError, InvalidInput
from ...loyalty import coupon_rules, pricing
from ...loyalty import points as prules
from ...loyalty import punch as punch_rules
from ...loyalty import stored_value as sv_rules
from ...loyalty import tiers as tier_rules
from .account import (
    B_EXP,
    B_ID,
    B_REM,
    C_CODE,
    C_FROM,
    C_RAT,
    C_RTXN,
    C_STATUS,
    C_TPL,
    C_UNTIL,
    P_STATUS,
    MemberAccount,
)
from .sales import refund_line, settle
from .shop import MANAGERS, PUNCH, Template
from .world import CLOSE_S, DAY, TOP_UPS, World
from .writer import POINTS_ENTRY, POINTS_USE, PUNCH_CARD, STORED_VALUE_ENTRY, TXN, TXN_LINE

_SV_PAID, _SV_BONUS = STORED_VALUE_ENTRY.pos["delta_paid"], STORED_VALUE_ENTRY.pos["delta_bonus"]


class MemberAtCounter(MemberAccount):
    """The counter's transactions of one member, in the member's habits (set by MemberSim)."""

    birthday: date | None
    redeemer: bool  # spends points when the counter offers them
    pay: float  # how the member tends to pay (see sales.settle)
    sv_user: bool  # keeps stored value

    def punch_visit(self, t: int, card: list[Any]) -> None:
        """accounts.use_punch: a visit paid by the card alone."""
        w = self.w
        term, staff = w.origin(t)
        tid = self.uid(t)
        ts = self.ts(t)
        self.out.txn.append(TXN.row(
            id=tid, created_at=ts, store_id=w.store, terminal_id=term, staff_id=staff,
            idempotency_key="demo-" + tid, kind="visit", seq=self.out.next_seq(),
            business_date=w.day_str[t // DAY], member_id=self.id))
        self.punch(t, card, -1, "use", tid, term, staff)
        self.out.punch_visits += 1

    def sale(self, t: int, picked: list[list[Any]], card: list[Any] | None, first: bool,
             nxt: int) -> None:
        """checkout.checkout: the basket priced, settled and earned through terminal.loyalty
        with the same calls checkout makes, then recorded as checkout records it."""
        w, rng, out = self.w, self.rng, self.out
        term, staff = w.origin(t)
        tier = self.tier
        rules = w.programme.points
        lines = tuple(w.line(prod, qty, ld) for prod, qty, ld in picked)
        # a coupon the member holds and wants to use, if checkout takes it for this basket
        coupon, priced = self.choose_coupon(t, lines)
        terms = coupon[C_TPL].terms if coupon is not None else None
        code = coupon[C_CODE] if coupon is not None else ""
        # points: a round sum within what the counter offers, when the member cares to
        if self.redeemer and self.points >= rules.redeem_min_points and rng.random() < 0.45:
            usable = prules.max_redeemable(priced.total, self.points, rules, w.currency)
            if usable:
                want = usable // 100 * 100
                priced = w.price(lines, tier, terms, code,
                                 want if want >= rules.redeem_min_points else usable,
                                 self.points)
        total = priced.total
        # stored value first (topped up on the spot when short), then the rest
        sv = sv_paid = sv_bonus = 0
        if self.sv_user and total:
            balance = self.sv_paid + self.sv_bonus
            if balance < total and rng.random() < 0.8:
                self.top_up(t - rng.randint(20, 120), total - balance, term, staff)
                balance = self.sv_paid + self.sv_bonus
            sv = min(balance, total)
            if sv:
                sv_paid, sv_bonus = sv_rules.split_spend(sv, self.sv_paid, self.sv_bonus,
                                                         currency=w.currency)
        paid = settle(rng, total, self.pay, sv, self.sv_paid + self.sv_bonus)
        earned = w.earn(priced, paid.stored_value, tier, t, self.birthday)

        fs = w.first_sale.get(self.i) if first else None
        tid = fs[1] if fs is not None else self.uid(t)
        ts = self.ts(t)
        has_card_line = any(prod.punch_visits for prod, _, _ in picked)
        refund_at = 0
        if not has_card_line and rng.random() < 0.004:
            later = t + rng.randint(600, 5400)
            if later < nxt and later % DAY < CLOSE_S and later < w.t_end:
                refund_at = later
        store = w.store
        out.txn.append(TXN.row(
            id=tid, created_at=ts, store_id=store, terminal_id=term, staff_id=staff,
            idempotency_key="demo-" + tid, kind="sale",
            status="refunded" if refund_at else "completed", seq=out.next_seq(),
            business_date=w.day_str[t // DAY], member_id=self.id, tier=tier,
            subtotal=priced.subtotal, line_discount=priced.line_discount,
            tier_discount=priced.tier_discount, coupon_discount=priced.coupon_discount,
            points_discount=priced.points_discount, total=total,
            points_redeemed=priced.points_redeemed, points_earned=earned.total,
            stored_value=paid.stored_value, cash=paid.cash, card=paid.card, other=paid.other,
            change=paid.change, coupon_code=code or None))
        my_lines = []
        for k, (pl, pts) in enumerate(zip(priced.lines, earned.per_line, strict=True)):
            ln, prod = pl.line, picked[k][0]
            lid = self.uid(t)
            my_lines.append(TXN_LINE.row(
                id=lid, txn_id=tid, line_no=k + 1, sku=ln.sku, name=ln.name,
                category=ln.category, brand=ln.brand, qty=ln.qty, unit_price=ln.unit_price,
                line_discount=pl.line_discount, tier_discount=pl.tier_discount,
                coupon_discount=pl.coupon_discount, points_discount=pl.points_discount,
                net=pl.net, points_earned=pts))
            if prod.punch_visits:
                for _ in range(ln.qty):
                    exp = _punch_expiry(w, t, prod.punch_valid_days)
                    new_card = [*PUNCH_CARD.row(
                        id=self.uid(t), created_at=ts, store_id=store, terminal_id=term,
                        staff_id=staff, member_id=self.id, sku=prod.sku, name=prod.name,
                        visits_total=prod.punch_visits, visits_left=0,
                        expires_at=w.midnight[exp // DAY] if exp is not None else None,
                        txn_line_id=lid), exp, PUNCH.get(prod.sku, (0, 0, "coffee"))[2]]
                    self.cards.append(new_card)
                    self.punch(t, new_card, prod.punch_visits, "sell", tid, term, staff)
        out.lines.extend(my_lines)

        taken = priced.points_redeemed
        redeem = None
        if taken:
            redeem = self.take_points(t, taken, "redeem", tid, term, staff)
            out.points_redeemed += taken
        spend_row = None
        if sv:
            spend_row = STORED_VALUE_ENTRY.row(
                id=self.uid(t), created_at=ts, store_id=store, terminal_id=term,
                staff_id=staff, member_id=self.id, kind="spend", delta_paid=-sv_paid,
                delta_bonus=-sv_bonus, txn_id=tid)
            out.sv.append(spend_row)
            self.sv_paid -= sv_paid
            self.sv_bonus -= sv_bonus
        earn_batch = (self.add_points(t, earned.total, "earn", tid, "", term, staff)
                      if earned.total else None)
        if card is not None:
            self.punch(t, card, -1, "use", tid, term, staff)
        self.window.append((t, total))
        self.window_sum += total
        tiers = w.programme.tiers
        if not tier_rules.is_top(tier, tiers):
            up = tier_rules.upgrade(tier, self.spend_at(t), tiers)
            if up is not None:
                self.tier, self.tier_since = up.code, t
        issued_from = len(self.coupons)
        for tpl in w.auto["next_visit"]:
            if total >= tpl.auto_min_spend:
                self.issue_coupon(t, tpl, tid, None, term, staff)
        if total >= w.cross_sell_from:
            cats = {ln[0].category for ln in picked}
            for tpl in w.auto["cross_sell"]:
                if total >= tpl.auto_min_spend and tpl.auto_category in cats:
                    self.issue_coupon(t, tpl, tid, None, term, staff)
        if coupon is not None:
            coupon[C_STATUS], coupon[C_RTXN], coupon[C_RAT] = "redeemed", tid, ts
            self.open.remove(coupon)
            out.coupons_redeemed += 1
        self.spend += total
        out.member_sales += 1
        out.revenue += total
        if refund_at:
            self.refund(refund_at, tid, tier, my_lines, taken, redeem, earned.total,
                        earn_batch, sv, spend_row, paid, card, coupon, issued_from)

    def choose_coupon(self, t: int, lines: tuple[pricing.BasketLine, ...]
                      ) -> tuple[list[Any] | None, pricing.Pricing]:
        """The first held coupon the member decides to use and checkout accepts for the
        basket (coupons.check_usable, then pricing.price), with the basket priced with it;
        else no coupon and the basket priced without one."""
        w = self.w
        self.open = [c for c in self.open if c[C_UNTIL] > t]
        held = [c for c in self.open if c[C_FROM] <= t]
        if len(held) > 1:
            held.sort(key=_coupon_order)
        rnd = self.rng.random
        for c in held:
            tpl: Template = c[C_TPL]
            if rnd() < tpl.use:
                state = coupon_rules.CouponState(c[C_CODE], c[C_STATUS], w.date_time(c[C_FROM]),
                                           w.date_time(c[C_UNTIL]), self.id)
                try:
                    coupon_rules.check_usable(state, self.id, w.date_time(t))
                    return c, w.price(lines, self.tier, tpl.terms, c[C_CODE])
                except CouponError:
                    continue  # not for this basket (or minimum spend not met)
        return None, w.price(lines, self.tier)

    def top_up(self, t: int, short: int, term: str, staff: str) -> None:
        """accounts.top_up: paid at the till, the bonus rule adds its bonus."""
        w, rng = self.w, self.rng
        paid = next((p for p in TOP_UPS if p >= short * rng.uniform(1.5, 4)), TOP_UPS[-1])
        rules = w.programme.stored_value
        bonus = sv_rules.bonus_for(paid, rules)
        try:
            sv_rules.check_top_up(paid, self.sv_paid + self.sv_bonus, bonus, rules,
                                  currency=w.currency)
        except InvalidInput:
            return  # over the balance limit: the member pays the rest another way
        tid = self.uid(t)
        ts = self.ts(t)
        got = settle(rng, paid, self.pay)
        self.out.txn.append(TXN.row(
            id=tid, created_at=ts, store_id=w.store, terminal_id=term, staff_id=staff,
            idempotency_key="demo-" + tid, kind="topup", seq=self.out.next_seq(),
            business_date=w.day_str[t // DAY], member_id=self.id, subtotal=paid, total=paid,
            cash=got.cash, card=got.card, other=got.other, change=got.change, sv_bonus=bonus))
        self.out.sv.append(STORED_VALUE_ENTRY.row(
            id=self.uid(t), created_at=ts, store_id=w.store, terminal_id=term, staff_id=staff,
            member_id=self.id, kind="topup", delta_paid=paid, delta_bonus=bonus, txn_id=tid))
        self.sv_paid += paid
        self.sv_bonus += bonus
        self.out.top_ups += 1

    def refund(self, t: int, orig: str, tier: str, lines: list[tuple[Any, ...]], taken: int,
               redeem: tuple[str, list[tuple[list[Any], int]]] | None, earned: int,
               earn_batch: list[Any] | None, sv: int, spend_row: tuple[Any, ...] | None,
               paid: pricing.Settlement, card: list[Any] | None,
               coupon: list[Any] | None, issued_from: int) -> None:
        """refunds.refund of the whole sale later the same day, approved by a manager."""
        w, out = self.w, self.out
        self.catch_up(t)
        term, staff = w.origin(t)
        ts = self.ts(t)
        tid = self.uid(t)
        sums = dict.fromkeys(_SUMS, 0)
        for no, ln in enumerate(lines, start=1):
            out.lines.append(refund_line(ln, self.uid(t), tid, no))
            sums["subtotal"] += ln[_L["unit_price"]] * ln[_L["qty"]]
            for col in _SUMS[1:]:
                sums[col] += ln[_L[col]]
        if taken and redeem is not None:
            # ledger.restore_points: back into the batches it came from, latest-expiring first
            rid = self.uid(t)
            out.points.append(POINTS_ENTRY.row(
                id=rid, created_at=ts, store_id=w.store, terminal_id=term, staff_id=staff,
                member_id=self.id, kind="refund_redeem", delta=taken, txn_id=tid,
                reverses_id=redeem[0]))
            by_id = {b[B_ID]: b for b, _ in redeem[1]}
            for bid, part in prules.restore_plan(
                    [prules.Use(b[B_ID], part, w.date_time(b[B_EXP])) for b, part in redeem[1]],
                    taken):
                b = by_id[bid]
                out.uses.append(POINTS_USE.row(entry_id=rid, batch_id=bid, points=-part))
                b[B_REM] += part
                self.next_exp = min(self.next_exp, b[B_EXP])
            self.points += taken
            out.points_redeemed -= taken
        if earned:
            self.take_points(t, earned, "refund_earn", tid, term, staff, first_from=earn_batch)
            out.points_issued -= earned
        if sv and spend_row is not None:
            paid_back, bonus_back = -spend_row[_SV_PAID], -spend_row[_SV_BONUS]
            out.sv.append(STORED_VALUE_ENTRY.row(
                id=self.uid(t), created_at=ts, store_id=w.store, terminal_id=term,
                staff_id=staff, member_id=self.id, kind="refund", delta_paid=paid_back,
                delta_bonus=bonus_back, txn_id=tid))
            self.sv_paid += paid_back
            self.sv_bonus += bonus_back
        if card is not None and card[P_STATUS] == "active":
            self.punch(t, card, 1, "refund_use", tid, term, staff)
        if coupon is not None:
            coupon[C_STATUS], coupon[C_RTXN], coupon[C_RAT] = "issued", None, None
            self.open.append(coupon)
            out.coupons_redeemed -= 1
        for c in self.coupons[issued_from:]:
            if c[C_STATUS] == "issued":
                c[C_STATUS] = "void"
                self.open.remove(c)
        total = sums["net"]
        out.txn.append(TXN.row(
            id=tid, created_at=ts, store_id=w.store, terminal_id=term, staff_id=staff,
            idempotency_key="demo-" + tid, kind="refund", seq=out.next_seq(),
            business_date=w.day_str[t // DAY], member_id=self.id, original_id=orig,
            approved_by=MANAGERS[t % 2], tier=tier, subtotal=-sums["subtotal"],
            line_discount=-sums["line_discount"], tier_discount=-sums["tier_discount"],
            coupon_discount=-sums["coupon_discount"], points_discount=-sums["points_discount"],
            total=-total, points_redeemed=-taken, points_earned=-earned, stored_value=-sv,
            cash=-paid.cash, card=-paid.card, other=-paid.other,
            coupon_code=coupon[C_CODE] if coupon else None,
            note="customer changed their mind"))
        self.window.append((t, -total))
        self.window_sum -= total
        self.spend -= total
        out.refunds += 1
        out.revenue -= total


_L = TXN_LINE.pos
_SUMS = ("subtotal", "line_discount", "tier_discount", "coupon_discount", "points_discount",
         "net")


def _coupon_order(c: list[Any]) -> tuple[int, str]:
    return c[C_UNTIL], c[C_CODE]


def _punch_expiry(w: World, t: int, valid_days: int | None) -> int | None:
    """punch.expiry, as a time of the demo's clock."""
    exp = punch_rules.expiry(w.date_time(t), valid_days)
    return None if exp is None else int((exp - w.base).total_seconds())
