"""Snapshots of the database for 'nothing was written' assertions."""

from __future__ import annotations

from terminal.db import models as m


def snapshot() -> dict[str, object]:
    """Row counts of every table plus every balance: equal snapshots mean nothing changed."""
    state: dict[str, object] = {t.__name__: t.select().count() for t in m.ALL_MODELS}
    state["balances"] = sorted(
        (str(r.id), r.points_balance, r.sv_paid_balance, r.sv_bonus_balance, r.tier)
        for r in m.Member.select())
    state["cards"] = sorted((str(c.id), c.visits_left, c.status) for c in m.PunchCard.select())
    state["coupons"] = sorted((c.code, c.status) for c in m.Coupon.select())
    return state
