"""Programme economics: what points, discounts and stored-value bonuses cost the shop, month
by month, next to revenue, with the points liability still outstanding.

Each figure is one set-based query: the running totals per day (db/summaries.py, kept by
the database in the sale's own transaction) of the period are put into month buckets by a
CASE over the month boundaries (the same SQL on SQLite and PostgreSQL) and summed with
GROUP BY: a year is a few thousand rows, not millions. The whole programme is covered (every
store of a chain), as points and stored value are shared by all of them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any

import peewee as pw

from ..core.errors import InvalidInput
from ..core.rules import PointsRules
from ..db import models as m
from ..loyalty import economics as rules
from ..loyalty.points import add_months
from .context import Context
from .eod_figures import SALE_KINDS

MAX_MONTHS = 120


@dataclass(frozen=True)
class Month:
    month: date  # its first day
    revenue: int  # sales less refunds and voids
    points_issued: int  # earned, welcome, referral, imported and added by hand, less taken back
    points_redeemed: int  # less those given back by refunds
    points_expired: int
    tier_discounts: int
    coupon_discounts: int
    points_discounts: int  # the money value of the points redeemed
    stored_value_bonus: int  # credited on top-ups, less top-ups reversed

    @property
    def costs(self) -> rules.Costs:
        return rules.Costs(self.tier_discounts, self.coupon_discounts, self.points_discounts,
                           self.stored_value_bonus)


@dataclass(frozen=True)
class EconomicsReport:
    store_name: str
    currency: str
    generated_at: datetime
    start: date  # the first day of the first month
    end: date  # the report's day (the last month is the current one, so far)
    months: tuple[Month, ...]
    total: Month  # the whole period (``month`` is ``start``)
    live_points: int  # points members hold that have not expired
    liability: int  # their value at the redemption rate, if every one were redeemed
    closed_redeemed: int  # points of closed-out batches that were redeemed ...
    closed_expired: int  # ... and that expired
    points_per_unit: int  # the redemption rate: points that pay one currency unit

    @property
    def redemption(self) -> rules.RedemptionRate:
        return rules.expected_redemption_rate(self.closed_redeemed, self.closed_expired)

    @property
    def expected_liability(self) -> int:
        """The liability at the share of points members are expected to redeem."""
        return rules.expected_liability(
            self.live_points, self.redemption.rate,
            PointsRules(redeem_points_per_unit=self.points_per_unit), self.currency)

    @property
    def breakage(self) -> Fraction | None:
        """Points expired in the period as a share of points issued in it."""
        return rules.breakage(self.total.points_expired, self.total.points_issued)

    @property
    def cost(self) -> int:
        return self.total.costs.total

    @property
    def cost_share(self) -> Fraction | None:
        return rules.cost_share(self.total.costs, self.total.revenue)

    @property
    def verdict(self) -> str:
        return rules.compare_to_benchmark(self.cost_share)


def _n(value: object) -> int:
    return int(value or 0)  # type: ignore[call-overload]


def month_starts(today: date, months: int) -> list[date]:
    """The first days of the last ``months`` months, the current one last."""
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        raise InvalidInput("months must be a whole number from 1 to {most}",
                           most=MAX_MONTHS)
    first = datetime(today.year, today.month, 1)
    return [add_months(first, -k).date() for k in range(months - 1, -1, -1)]


def _bucket(field: pw.Field, bounds: list[Any]) -> pw.Node:
    """Which month a row falls in: 0 for the first ... n-1 for the last (rows before the
    first bound are filtered out by the caller)."""
    cases = [(field < bound, i) for i, bound in enumerate(bounds[1:])]
    # one month: still an expression of the column (PostgreSQL reads a bare constant in
    # GROUP BY as a column position)
    return pw.Case(None, cases or [(field >= bounds[0], 0)], len(bounds) - 1)


def _txn_months(starts: list[date]) -> dict[int, dict[str, int]]:
    t = m.TxnDay  # the running totals per day (db/summaries.py): days, not transactions
    bucket = _bucket(t.business_date, starts)
    sums = ("total", "tier_discount", "coupon_discount", "points_discount", "sv_bonus")
    query = (t.select(bucket.alias("bucket"), t.kind,
                      *(pw.fn.SUM(getattr(t, c)).alias(c) for c in sums))
             .where((t.business_date >= starts[0])
                    & t.kind.in_((*SALE_KINDS, "topup", "topup_reversal")))
             .group_by(bucket, t.kind))
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in query.dicts():
        acc = out[_n(row["bucket"])]
        if row["kind"] in SALE_KINDS:
            for c in sums[:4]:
                acc[c] += _n(row[c])
        else:
            acc["sv_bonus"] += _n(row["sv_bonus"])
    return out


ISSUED = ("earn", "welcome", "referral", "import", "adjust", "refund_earn")
REDEEMED = ("redeem", "refund_redeem")


def _points_months(starts: list[date]) -> dict[int, dict[str, int]]:
    p = m.PointsDay
    bucket = _bucket(p.day, starts)
    query = (p.select(bucket.alias("bucket"), p.kind, pw.fn.SUM(p.delta).alias("points"))
             .where(p.day >= starts[0]).group_by(bucket, p.kind))
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in query.dicts():
        acc = out[_n(row["bucket"])]
        pts = _n(row["points"])
        if row["kind"] in REDEEMED:
            acc["redeemed"] -= pts
        elif row["kind"] == "expire":
            acc["expired"] -= pts
        else:  # what members were given, less what refunds and corrections took back
            acc["issued"] += pts
    return out


def _live_points(now: datetime) -> int:
    p = m.PointsEntry
    return _n(p.select(pw.fn.SUM(p.remaining))
              .where((p.remaining > 0) & (p.expires_at > now)).scalar())


def _closed_out(today: date) -> tuple[int, int]:
    """(redeemed, expired) points of the batches whose life is over.

    A batch is closed out once the day it expires is over: each of its points was then
    either redeemed (a ``redeem`` use, less what refunds put back) or expired (an
    ``expire`` use, or still ``remaining`` if the expiry job has not run yet). Points taken
    back by refunds of the sale that earned them, or by hand, count as neither: the member
    never had the choice. Batches used up before their expiry are left out until it passes,
    or a young programme (whose batches cannot have expired yet, but can have been spent)
    would look as if members redeemed every point. The uses are read from their running
    totals per expiry day (``points_use_day``), the points still held from the live-points
    index.
    """
    u = m.PointsUseDay
    rows = (u.select(u.kind, pw.fn.SUM(u.points))
            .where((u.expiry_day < today) & u.kind.in_((*REDEEMED, "expire")))
            .group_by(u.kind).tuples())
    redeemed = expired = 0
    for kind, pts in rows:
        if kind == "expire":
            expired += _n(pts)
        else:
            redeemed += _n(pts)
    p = m.PointsEntry
    overdue = _n(p.select(pw.fn.SUM(p.remaining)).where(
        (p.remaining > 0) & (p.expires_at < datetime.combine(today, datetime.min.time())))
        .scalar())
    return redeemed, expired + overdue


def report(ctx: Context, months: int = 12) -> EconomicsReport:
    """The last ``months`` months (the current one so far included)."""
    now = ctx.now()
    starts = month_starts(now.date(), months)
    txns, points = _txn_months(starts), _points_months(starts)
    rows = []
    for i, start in enumerate(starts):
        t, p = txns.get(i, {}), points.get(i, {})
        rows.append(Month(start, t.get("total", 0), p.get("issued", 0), p.get("redeemed", 0),
                          p.get("expired", 0), t.get("tier_discount", 0),
                          t.get("coupon_discount", 0), t.get("points_discount", 0),
                          t.get("sv_bonus", 0)))
    total = Month(starts[0], *(sum(getattr(r, f) for r in rows) for f in (
        "revenue", "points_issued", "points_redeemed", "points_expired", "tier_discounts",
        "coupon_discounts", "points_discounts", "stored_value_bonus")))
    live = _live_points(now)
    redeemed, expired = _closed_out(now.date())
    pts_rules = ctx.programme.points
    return EconomicsReport(
        store_name=ctx.settings.store.name, currency=ctx.currency, generated_at=now,
        start=starts[0], end=now.date(), months=tuple(rows), total=total, live_points=live,
        liability=rules.liability(live, pts_rules, ctx.currency),
        closed_redeemed=redeemed, closed_expired=expired,
        points_per_unit=pts_rules.redeem_points_per_unit)
