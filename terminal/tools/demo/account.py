"""One member's accounts in the demo: the row ids and times, the points batches, coupons and
punch cards, and the nightly jobs (points expiry, tier reviews), kept as the ledger keeps them."""

from __future__ import annotations

import bisect
import random
from collections import deque
from typing import Any

from ...loyalty import points as prules
from ...loyalty import tiers as tier_rules
from .shop import SYSTEM, Template
from .world import DAY, M62, NEVER, V7, World
from .writer import COUPON, POINTS_ENTRY, POINTS_USE, PUNCH_CARD, PUNCH_ENTRY, Out

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


class MemberAccount:
    """A member's balances and ledger rows as the services would have written them."""

    def __init__(self, w: World, i: int, out: Out, rng: random.Random) -> None:
        self.w = w
        self.i = i
        self.out = out
        self.rng = rng
        self.bits = rng.getrandbits
        self.id = w.member_ids[i]
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
        self.spend = 0
        self._ut = self._tt = -1
        self._uhi = 0
        self._ts = ""

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
        """ledger.take_points, by the same plan (points.take_plan): ``first_from`` first,
        then the soonest-expiring live batches."""
        w = self.w
        by_id = {b[B_ID]: b for b in self.batches if b[B_REM] > 0}
        if first_from is not None:
            by_id[first_from[B_ID]] = first_from
        taken = prules.take_plan(
            [prules.Batch(b[B_ID], b[B_REM], w.date_time(b[B_EXP])) for b in by_id.values()],
            pts, w.date_time(t), first_from=first_from[B_ID] if first_from else None)
        plan = [(by_id[str(bid)], part) for bid, part in taken]
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


    def punch(self, t: int, card: list[Any], delta: int, kind: str, txn: str, term: str,
              staff: str) -> None:
        """ledger.move_punch."""
        self.out.punches.append(PUNCH_ENTRY.row(
            id=self.uid(t), created_at=self.ts(t), store_id=self.w.store, terminal_id=term,
            staff_id=staff, card_id=card[P_ID], member_id=self.id, kind=kind, delta=delta,
            txn_id=txn))
        card[P_LEFT] += delta


def _batch_order(b: list[Any]) -> tuple[int, str]:
    return b[B_EXP], b[B_ID]
