"""Member behaviour: one member's life (enrolment, balances brought from the old system, when
they visit and what they put in the basket, referrals, campaign coupons); what happens at the
till is counter.py's, the balances and the nightly jobs account.py's."""

from __future__ import annotations

import bisect
import calendar
import random
from datetime import date, timedelta
from typing import Any

from ...services.members import name_key
from .account import B_EXP, C_FROM, P_COVERS, P_EXP, P_LEFT
from .calendar import spring_festival
from .counter import MemberAtCounter
from .names import member_name
from .sales import PROFILE_CUM, basket
from .shop import CAMPAIGNS, MANAGERS, PROFILES, SYSTEM
from .world import (
    DAY,
    F_COMEBACK,
    F_CONSENT,
    F_CONTROL,
    F_STORED_VALUE,
    F_WINBACK,
    LAPSED,
    LAPSED_QUIET_DAYS,
    LOYAL,
    REGULAR,
    VISIT_RATE,
    ZOMBIE,
    World,
    pick,
    poisson,
)
from .writer import MEMBER, STORED_VALUE_ENTRY, Out


class MemberSim(MemberAtCounter):
    """Plays one member's life through the rules of checkout, refunds and the nightly jobs,
    writing the rows the services would have written."""

    def __init__(self, w: World, i: int, out: Out, rng: random.Random) -> None:
        super().__init__(w, i, out, rng)
        self.seg = w.segment[i]
        self.flags = w.flags[i]
        self.last_visit: int | None = None
        self.brands: dict[str, str] = {}
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


def _visits_between(visits: list[int], lo: int, hi: int) -> int:
    return bisect.bisect_left(visits, hi) - bisect.bisect_left(visits, lo)

