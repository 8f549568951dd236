"""Member behaviour: one member's life at the counter (visits, sales, top-ups, punch cards,
coupons, refunds) and the nightly jobs' effects on it, played through terminal.loyalty."""

from __future__ import annotations

import bisect
import calendar
import random
from collections import deque
from datetime import date, timedelta
from typing import Any

from ...core.errors import CouponError, InvalidInput
from ...loyalty import coupon_rules, pricing
from ...loyalty import points as prules
from ...loyalty import punch as punch_rules
from ...loyalty import stored_value as sv_rules
from ...loyalty import tiers as tier_rules
from ...services.members import name_key
from .calendar import spring_festival
from .names import member_name
from .sales import PROFILE_CUM, basket, refund_line, settle
from .shop import CAMPAIGNS, MANAGERS, PROFILES, PUNCH, SYSTEM, Template
from .world import (
    CLOSE_S,
    DAY,
    F_COMEBACK,
    F_CONSENT,
    F_CONTROL,
    F_STORED_VALUE,
    F_WINBACK,
    LAPSED,
    LAPSED_QUIET_DAYS,
    LOYAL,
    M62,
    NEVER,
    REGULAR,
    TOP_UPS,
    V7,
    VISIT_RATE,
    ZOMBIE,
    World,
    pick,
    poisson,
)
from .writer import (
    COUPON,
    MEMBER,
    POINTS_ENTRY,
    POINTS_USE,
    PUNCH_CARD,
    PUNCH_ENTRY,
    STORED_VALUE_ENTRY,
    TXN,
    TXN_LINE,
    Out,
)

# the mutable records kept while a member is simulated: the row as its model orders the
# columns, then a few values of our own (times as ints, the template, what a card covers)
_PE, _CP, _PC = POINTS_ENTRY.pos, COUPON.pos, PUNCH_CARD.pos
B_ID, B_REM = _PE["id"], _PE["remaining"]  # a points batch
B_EXP = len(POINTS_ENTRY.columns)
C_CODE, C_STATUS, C_RTXN, C_RAT = (_CP["code"], _CP["status"], _CP["redeemed_txn_id"],
                                   _CP["redeemed_at"])  # a coupon
C_FROM, C_UNTIL, C_TPL = range(len(COUPON.columns), len(COUPON.columns) + 3)
P_ID, P_LEFT, P_STATUS = _PC["id"], _PC["visits_left"], _PC["status"]  # a punch card
P_EXP, P_COVERS = range(len(PUNCH_CARD.columns), len(PUNCH_CARD.columns) + 2)
_SV_PAID, _SV_BONUS = STORED_VALUE_ENTRY.pos["delta_paid"], STORED_VALUE_ENTRY.pos["delta_bonus"]


class MemberSim:
    """Plays one member's life through the rules of checkout, refunds and the nightly jobs,
    writing the rows the services would have written."""

    def __init__(self, w: World, i: int, out: Out, rng: random.Random) -> None:
        self.w = w
        self.i = i
        self.out = out
        self.rng = rng
        self.bits = rng.getrandbits
        self.id = w.member_ids[i]
        self.seg = w.segment[i]
        self.flags = w.flags[i]
        self.batches: list[list[Any]] = []
        self.next_exp = NEVER
        self.points = 0
        self.sv_paid = 0
        self.sv_bonus = 0
        self.coupons: list[list[Any]] = []
        self.open: list[list[Any]] = []  # coupons still issued
        self.n_coupons = 0
        self.cards: list[list[Any]] = []
        self.tier = w.base_tier
        self.tier_since = w.enrol[i]
        self.window: deque[tuple[int, int]] = deque()
        self.window_sum = 0
        self.review_at = 0
        self.next_review = w.reviews[0]
        self.last_visit: int | None = None
        self.spend = 0
        self.brands: dict[str, str] = {}
        self._ut = self._tt = -1
        self._uhi = 0
        self._ts = ""
        self.name = member_name(rng)
        self.birthday: date | None = None
        self.bday = (0, 0)  # month*100+day in common and in leap years
        if rng.random() < 0.85:
            age_days = int(365.25 * rng.triangular(16, 75, 30))
            bd = w.date_of(w.enrol[i]) - timedelta(days=age_days)
            self.birthday = bd
            md = bd.month * 100 + bd.day
            self.bday = (228 if md == 229 else md, md)  # as points.is_birthday
        self.profile = pick(rng, PROFILE_CUM)
        self.appetite = rng.lognormvariate(0, 0.5) * (1.4 if self.seg == LOYAL else 1.0)
        self.redeemer = rng.random() < 0.6
        self.pay = rng.random()
        self.punch_user = (PROFILES[self.profile][2] is not None
                           and self.seg in (LOYAL, REGULAR) and rng.random() < 0.35)
        self.sv_user = bool(self.flags & F_STORED_VALUE)

    # rows and times -----------------------------------------------------------------
    def uid(self, t: int) -> str:
        if t != self._ut:
            self._ut = t
            self._uhi = ((self.w.base_ms + t * 1000) << 80) | V7
        r = self.bits(74)
        return f"{self._uhi | (r >> 62) << 64 | (r & M62):032x}"

    def ts(self, t: int) -> str:
        if t != self._tt:
            self._tt = t
            self._ts = self.w.day_str[t // DAY] + self.w.hms[t % DAY]
        return self._ts

    # ledger primitives --------------------------------------------------------------
    def add_points(self, t: int, pts: int, kind: str, txn: str | None, reason: str,
                   term: str, staff: str, expires: int = 0) -> list[Any]:
        """ledger.add_points: a new batch."""
        w = self.w
        exp = expires or w.expires(t)
        batch = [*POINTS_ENTRY.row(
            id=self.uid(t), created_at=self.ts(t), store_id=w.store, terminal_id=term,
            staff_id=staff, member_id=self.id, kind=kind, delta=pts, remaining=pts,
            expires_at=w.midnight[exp // DAY], txn_id=txn, reason=reason), exp]
        self.batches.append(batch)
        self.points += pts
        if exp < self.next_exp:
            self.next_exp = exp
        self.out.points_issued += pts
        return batch

    def take_points(self, t: int, pts: int, kind: str, txn: str, term: str, staff: str,
                    first_from: list[Any] | None = None
                    ) -> tuple[str, list[tuple[list[Any], int]]]:
        """ledger.take_points: ``first_from`` first, then points.consume's soonest-expiring
        live batches."""
        plan: list[tuple[list[Any], int]] = []
        left = pts
        if first_from is not None and first_from[B_EXP] > t and first_from[B_REM]:
            part = min(left, first_from[B_REM])
            plan.append((first_from, part))
            left -= part
        w = self.w
        if left:
            by_id = {b[B_ID]: b for b in self.batches if b[B_REM] > 0 and b is not first_from}
            taken = prules.consume(
                [prules.Batch(b[B_ID], b[B_REM], w.date_time(b[B_EXP])) for b in by_id.values()],
                left, w.date_time(t))
            plan += [(by_id[str(bid)], part) for bid, part in taken]
        eid = self.uid(t)
        self.out.points.append(POINTS_ENTRY.row(
            id=eid, created_at=self.ts(t), store_id=w.store, terminal_id=term, staff_id=staff,
            member_id=self.id, kind=kind, delta=-pts, txn_id=txn))
        uses = self.out.uses
        for b, part in plan:
            uses.append(POINTS_USE.row(entry_id=eid, batch_id=b[B_ID], points=part))
            b[B_REM] -= part
        self.points -= pts
        return eid, plan

    def catch_up(self, t: int) -> None:
        """The nightly jobs up to ``t``: expire points, review tiers once a month."""
        if t >= self.next_exp:
            self.expire_until(t)
        if t >= self.next_review:
            self.review_until(t)

    def expire_until(self, t: int) -> None:
        """jobs.expire_points, run each night: one 'expire' row per batch past its date."""
        w = self.w
        due = [b for b in self.batches if b[B_REM] > 0 and b[B_EXP] <= t]
        due.sort(key=_batch_order)
        out = self.out
        for b in due:
            at = min(b[B_EXP] + 300, w.t_now)
            eid = self.uid(at)
            out.points.append(POINTS_ENTRY.row(
                id=eid, created_at=self.ts(at), store_id=w.store, terminal_id=w.terminals[0],
                staff_id=SYSTEM, member_id=self.id, kind="expire", delta=-b[B_REM],
                reason=f"expired {w.day_str[b[B_EXP] // DAY]}"))
            out.uses.append(POINTS_USE.row(entry_id=eid, batch_id=b[B_ID], points=b[B_REM]))
            self.points -= b[B_REM]
            out.points_expired += b[B_REM]
            b[B_REM] = 0
        self.next_exp = min((b[B_EXP] for b in self.batches if b[B_REM] > 0), default=NEVER)

    def spend_at(self, t: int) -> int:
        """members.qualifying_spend at ``t``: sales and refunds in the rolling window."""
        since = t - self.w.window
        win = self.window
        while win and win[0][0] < since:
            self.window_sum -= win.popleft()[1]
        return self.window_sum

    def review_until(self, t: int) -> None:
        """jobs.review_tiers on the 1st of each month (and tonight)."""
        w = self.w
        reviews = w.reviews
        if self.tier == w.base_tier:
            # nothing to review: checkout already moved up whoever qualified
            self.review_at = bisect.bisect_right(reviews, t, self.review_at)
        while self.review_at < len(reviews) and reviews[self.review_at] <= t:
            r = reviews[self.review_at]
            self.review_at += 1
            target = tier_rules.review(self.tier, w.date_time(self.tier_since),
                                       self.spend_at(r), w.date_time(r), w.programme.tiers)
            if target is not None:
                self.tier, self.tier_since = target.code, r
        self.next_review = reviews[self.review_at] if self.review_at < len(reviews) else NEVER

    def issue_coupon(self, t: int, tpl: Template, txn: str | None, campaign: str | None,
                     term: str, staff: str) -> None:
        """coupons._issue: a single-use code, valid to the end of the template's days."""
        if self.n_coupons >= 4096:
            return
        w = self.w
        until = (t // DAY + tpl.valid_days + 1) * DAY
        ts = self.ts(t)
        coupon = [*COUPON.row(
            id=self.uid(t), created_at=ts, store_id=w.store, terminal_id=term, staff_id=staff,
            code=w.coupon_code(self.i << 12 | self.n_coupons), template_id=tpl.code,
            member_id=self.id, status="issued", valid_from=ts,
            valid_until=w.midnight[until // DAY], issued_txn_id=txn, campaign=campaign),
            t, until, tpl]
        self.n_coupons += 1
        self.coupons.append(coupon)
        self.open.append(coupon)
        self.out.coupons_issued += 1

    # the life ------------------------------------------------------------------------
    def run(self) -> None:
        w, i = self.w, self.i
        t0 = w.enrol[i]
        visits = self.draw_visits(t0)
        self.out.visits += len(visits)
        events: list[tuple[int, int, int]] = [(t0, 0, 0)]
        if t0 < w.t_start:
            # the evening before the period the shop moved over from its old system
            events.append((max(w.t_start - DAY + 21 * 3600, t0 + 60), 1, 0))
        events.extend((t, 5, k) for k, t in enumerate(visits))
        for referee in w.rewards.get(i, ()):
            events.append((w.first_sale[referee][0], 4, referee))
        if self.flags & F_CONSENT:
            self.campaign_events(events, visits, t0)
        events.sort()
        last = len(events) - 1
        for e, (t, kind, arg) in enumerate(events):
            if t >= self.next_exp or t >= self.next_review:
                self.catch_up(t)
            if kind == 5:
                self.visit(t, arg == 0, events[e + 1][0] if e < last else w.t_end)
            elif kind == 4:
                self.referral_reward(t, arg)
            elif kind == 0:
                self.enrol(t)
            elif kind == 1:
                self.opening_balances(t)
            else:
                self.campaign(t, kind)
        self.catch_up(w.t_end)
        self.finish(t0)

    def draw_visits(self, t0: int) -> list[int]:
        """This member's visit times, ascending and at least ten minutes apart."""
        w, rng, seg = self.w, self.rng, self.seg
        rnd = rng.random
        days = w.days
        d_enrol = (t0 - w.t_start) // DAY  # negative: joined before the period
        out: list[int] = []
        referred = w.first_sale.get(self.i)
        if referred is not None:
            out.append(referred[0])
        elif d_enrol >= 0 and rnd() < (0.4 if seg == ZOMBIE else 0.7):
            out.append(t0 + rng.randint(30, 300))  # joined while buying
        if seg == ZOMBIE:
            if not out and d_enrol < 0 and rnd() < 0.12:
                out.append(w.t_start + w.period_day(rng, 0, days) * DAY + w.tod(rng))
            return out
        lo, hi = max(0, d_enrol + 1), days
        if seg == LAPSED:
            # active for a while, then gone for months
            last = (w.t_end - LAPSED_QUIET_DAYS * DAY - w.t_start) // DAY
            hi = max(lo + 1, min(hi, last - rng.randrange(0, max(1, days // 3))))
        if lo < hi:
            r_lo, r_hi = VISIT_RATE[seg]
            lam = rng.uniform(r_lo, r_hi) * (w.cum_weights[hi] - w.cum_weights[lo])
            for _ in range(poisson(rng, lam / w.mean_weight)):
                out.append(w.t_start + w.period_day(rng, lo, hi) * DAY + w.tod(rng))
            out.sort()
        spaced: list[int] = []
        for t in out:
            if spaced and t < spaced[-1] + 600:
                t = spaced[-1] + 600 + rng.randrange(600)
            if t >= w.t_end:
                break
            spaced.append(t)
        if (seg == LAPSED and w.t_winback > 0 and self.flags & F_CONSENT
                and (not spaced or spaced[-1] < w.t_winback - 90 * DAY)):
            if rnd() < 0.1:
                self.flags |= F_CONTROL  # the hold-out group: not mailed, measured all the same
            else:
                self.flags |= F_WINBACK
                if rnd() < 0.15:
                    self.flags |= F_COMEBACK
                    d = w.t_winback // DAY + rng.randint(1, 25)
                    spaced.append(d * DAY + w.tod(rng))
        return spaced

    def campaign_events(self, events: list[tuple[int, int, int]], visits: list[int],
                        t0: int) -> None:
        """Campaign coupons this member (who agreed to marketing) receives."""
        w = self.w
        lo_t = max(t0, w.t_start)
        first_year, last_year = w.date_of(w.t_start).year, w.date_of(w.t_end).year
        base = w.base.date()
        bd = self.birthday
        for year in range(first_year, last_year + 1):
            if bd is not None:
                md = self.bday[1 if calendar.isleap(year) else 0]
                t = ((date(year, md // 100, md % 100) - base).days - 7) * DAY + 9 * 3600
                # birthday perks go to members seen in the past year
                if lo_t <= t < w.t_end and _visits_between(visits, t - 365 * DAY, t) >= 1:
                    events.append((t, 6, 0))
            t = (date(year, 11, 1) - base).days * DAY + 9 * 3600 + 1800
            if lo_t <= t < w.t_end and _visits_between(visits, t - 90 * DAY, t) >= 2:
                events.append((t, 8, 0))
            t = ((spring_festival(year) - base).days - 21) * DAY + 9 * 3600 + 1800
            if lo_t <= t < w.t_end and _visits_between(visits, t - 180 * DAY, t) >= 2:
                events.append((t, 9, 0))
        if self.flags & F_WINBACK and lo_t <= w.t_winback < w.t_end:
            events.append((w.t_winback, 7, 0))

    def campaign(self, t: int, kind: int) -> None:
        code, name = CAMPAIGNS[kind]
        tpl = self.w.by_template.get(code)
        if tpl is not None:
            self.issue_coupon(t, tpl, None, f"{name}-{self.w.day_str[t // DAY]}",
                              self.w.terminals[0], MANAGERS[0])

    def enrol(self, t: int) -> None:
        """members.enrol: welcome points for the referred, welcome coupons for all."""
        w = self.w
        term, staff = w.origin(t)
        ref = w.referrer[self.i]
        if ref >= 0 and w.programme.referral.referee_points:
            self.add_points(t, w.programme.referral.referee_points, "welcome", None,
                            f"referred by {w.card_no(ref)}", term, staff)
        if t >= w.t_start:  # members moved over from the old system came without theirs
            for tpl in w.auto["welcome"]:
                self.issue_coupon(t, tpl, None, None, term, staff)

    def opening_balances(self, t: int) -> None:
        """Balances brought over from the shop's previous system when it moved to this one."""
        w, rng = self.w, self.rng
        if self.seg != ZOMBIE or rng.random() < 0.3:
            pts = int(rng.lognormvariate(6.2, 0.9))
            if pts > 0:
                # earned before the move: they expire on their own schedule, some soon
                lo = max(w.enrol[self.i], w.t_start - w.programme.points.expiry_months * 30 * DAY)
                earned = lo + rng.randrange(max(1, t - lo))
                exp = max(w.expires(earned), (t // DAY + 2) * DAY)
                self.add_points(t, pts, "import", None, "imported from the previous system",
                                w.terminals[0], SYSTEM, exp)
        # the tier they had earned comes along; the monthly review takes it from there
        tiers = w.programme.tiers.tiers
        r = rng.random()
        rank = 0
        if self.seg == LOYAL:
            rank = 2 if r < 0.25 else 1 if r < 0.85 else 0
        elif self.seg == REGULAR:
            rank = 1 if r < 0.35 else 0
        rank = min(rank, len(tiers) - 1)
        if rank:
            self.tier, self.tier_since = tiers[rank].code, t
        if self.sv_user and rng.random() < 0.4:
            paid = rng.choice((3000, 5000, 8000, 12_000, 20_000, 35_000))
            bonus = paid // 5
            self.sv_paid += paid
            self.sv_bonus += bonus
            self.out.sv.append(STORED_VALUE_ENTRY.row(
                id=self.uid(t), created_at=self.ts(t), store_id=w.store,
                terminal_id=w.terminals[0], staff_id=SYSTEM, member_id=self.id, kind="import",
                delta_paid=paid, delta_bonus=bonus, reason="imported from the previous system"))

    def referral_reward(self, t: int, referee: int) -> None:
        """checkout._referral_reward: the friend's first sale rewards whoever brought them."""
        w = self.w
        pts = w.programme.referral.referrer_points
        if pts:
            term, staff = w.origin(t)
            self.add_points(t, pts, "referral", w.first_sale[referee][1],
                            f"brought member {w.card_no(referee)}", term, staff)

    def visit(self, t: int, first: bool, nxt: int) -> None:
        """A visit to the counter: a sale (or a punch-card visit), maybe a top-up first, and
        rarely a refund later that day."""
        w, rng = self.w, self.rng
        season = w.day_season[(t - w.t_start) // DAY]
        lines = basket(w, rng, self.profile, season, self.appetite, self.brands, t)
        card = None
        if self.punch_user:
            usable = self.usable_card(t)
            if usable is not None:
                if rng.random() < 0.85:
                    # the card pays for one drink (or bun, or slice): it leaves the basket
                    card = usable
                    for k, ln in enumerate(lines):
                        if ln[0].category == usable[P_COVERS]:
                            if ln[1] > 1:
                                ln[1] -= 1
                            else:
                                del lines[k]
                            break
            elif rng.random() < (0.18 if first else 0.3):
                sku = PROFILES[self.profile][2]
                if sku == "PC-COF10" and self.seg == LOYAL and rng.random() < 0.4:
                    sku = "PC-COF20"
                if sku is not None and sku in w.by_sku:
                    lines.append([w.by_sku[sku], 1, 0])
        self.last_visit = t
        if not lines and card is not None:
            self.punch_visit(t, card)
        else:
            self.sale(t, lines or basket(w, rng, self.profile, season, 1.0, self.brands, t),
                      card, first, nxt)

    def usable_card(self, t: int) -> list[Any] | None:
        for c in self.cards:
            if c[P_LEFT] > 0 and (c[P_EXP] is None or t < c[P_EXP]):
                return c
        return None

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

    def punch(self, t: int, card: list[Any], delta: int, kind: str, txn: str, term: str,
              staff: str) -> None:
        """ledger.move_punch."""
        self.out.punches.append(PUNCH_ENTRY.row(
            id=self.uid(t), created_at=self.ts(t), store_id=self.w.store, terminal_id=term,
            staff_id=staff, card_id=card[P_ID], member_id=self.id, kind=kind, delta=delta,
            txn_id=txn))
        card[P_LEFT] += delta

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
            for b, part in sorted(redeem[1], key=lambda bp: bp[0][B_EXP], reverse=True):
                out.uses.append(POINTS_USE.row(entry_id=rid, batch_id=b[B_ID], points=-part))
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

    def finish(self, t0: int) -> None:
        w, i, rows = self.w, self.i, self.out.rows
        rows["points_entry"].extend([tuple(b[:B_EXP]) for b in self.batches])
        rows["coupon"].extend([tuple(c[:C_FROM]) for c in self.coupons])
        rows["punch_card"].extend([tuple(c[:P_EXP]) for c in self.cards])
        ref = w.referrer[i]
        term, staff = w.origin(t0)
        name = self.name
        rows["member"].append(MEMBER.row(
            id=self.id, created_at=w.day_str[t0 // DAY] + w.hms[t0 % DAY], store_id=w.store,
            terminal_id=term, staff_id=staff, card_no=w.card_no(i), name=name,
            name_key=name_key(name), phone=w.phone(i),
            birthday=self.birthday.isoformat() if self.birthday else None,
            marketing_consent=bool(self.flags & F_CONSENT), referral_code=w.referral_code(i),
            referred_by_id=w.member_ids[ref] if ref >= 0 else None, tier=self.tier,
            tier_since=self.ts(self.tier_since), points_balance=self.points,
            sv_paid_balance=self.sv_paid, sv_bonus_balance=self.sv_bonus,
            last_visit_at=self.ts(self.last_visit) if self.last_visit is not None else None))
        self.out.spend.append(self.spend)
        self.out.segments[self.seg] += 1


_L = TXN_LINE.pos
_SUMS = ("subtotal", "line_discount", "tier_discount", "coupon_discount", "points_discount",
         "net")


def _batch_order(b: list[Any]) -> tuple[int, str]:
    return b[B_EXP], b[B_ID]


def _coupon_order(c: list[Any]) -> tuple[int, str]:
    return c[C_UNTIL], c[C_CODE]


def _visits_between(visits: list[int], lo: int, hi: int) -> int:
    return bisect.bisect_left(visits, hi) - bisect.bisect_left(visits, lo)


def _punch_expiry(w: World, t: int, valid_days: int | None) -> int | None:
    """punch.expiry, as a time of the demo's clock."""
    exp = punch_rules.expiry(w.date_time(t), valid_days)
    return None if exp is None else int((exp - w.base).total_seconds())
