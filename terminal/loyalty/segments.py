"""RFM scores, member segments and the 80/20 curve: pure rules over per-member figures.

The rule, written down (days = since the member's last purchase, as of the report day):

* **new**: joined in the last 30 days, whatever they bought;
* **zombie** (僵尸会员): joined more than 30 days ago and never bought anything;
* **lost**: last purchase more than 365 days ago;
* **hibernating**: last purchase 181-365 days ago, or 61-180 days ago with a low FM score;
* **at risk**: last purchase 61-180 days ago with an FM score of 3 or more (good members
  slipping away: the first to win back);
* **champions**: bought in the last 30 days with an FM score of 4 or 5;
* **loyal**: bought in the last 60 days with an FM score of 3 or more (not champions);
* **potential**: bought in the last 60 days with a lower FM score.

F (purchases in the last 365 days) and M (net spend in the last 365 days) are scored 1-5
by quintile among the members who bought in that year; FM is their average, rounded half
up. R is scored by days: up to 30 → 5, 60 → 4, 180 → 3, 365 → 2, older or never → 1.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

SEGMENTS = ("champions", "loyal", "potential", "new", "at_risk", "hibernating", "zombie",
            "lost")
NEW_DAYS = 30
R_BANDS = (30, 60, 180, 365)  # upper bounds of R scores 5, 4, 3, 2


class MemberFigures(NamedTuple):  # a million are made for one overview: tuples, not objects
    member_id: object
    joined: date
    last_purchase: date | None
    purchases: int  # in the last 365 days
    spend: int  # net, in the last 365 days, minor units


class Scored(NamedTuple):
    member_id: object
    r: int
    f: int
    m: int
    segment: str
    days: int | None  # since the last purchase


def r_score(days: int | None) -> int:
    if days is None:
        return 1
    return 5 - bisect.bisect_left(R_BANDS, days) if days <= R_BANDS[-1] else 1


def quintile_edges(values: Sequence[int]) -> list[int]:
    """The four cut points that split ``values`` into five groups as equal as possible."""
    ordered = sorted(values)
    if not ordered:
        return []
    return [ordered[min(len(ordered) - 1, (len(ordered) * k) // 5)] for k in range(1, 5)]


def quintile_score(value: int, edges: Sequence[int]) -> int:
    """1-5: how many cut points ``value`` reaches, plus one."""
    return 1 + bisect.bisect_right(edges, value) if edges else 1


def segment(days: int | None, joined_days: int, fm: int) -> str:
    if joined_days <= NEW_DAYS:
        return "new"
    if days is None:
        return "zombie"
    if days > 365:
        return "lost"
    if days > 180:
        return "hibernating"
    if days > 60:
        return "at_risk" if fm >= 3 else "hibernating"
    if days <= 30 and fm >= 4:
        return "champions"
    return "loyal" if fm >= 3 else "potential"


def score(members: Sequence[MemberFigures], today: date) -> list[Scored]:
    active = [x for x in members if x.purchases > 0]
    f_edges = quintile_edges([x.purchases for x in active])
    m_edges = quintile_edges([x.spend for x in active])
    out: list[Scored] = []
    append = out.append
    for x in members:
        days = (today - x.last_purchase).days if x.last_purchase else None
        if x.purchases:
            f = 1 + bisect.bisect_right(f_edges, x.purchases)  # quintile_score, inlined
            mo = 1 + bisect.bisect_right(m_edges, x.spend)
        else:
            f = mo = 1
        fm = (f + mo + 1) // 2  # the average, rounded half up
        append(Scored(x.member_id, r_score(days), f, mo,
                      segment(days, (today - x.joined).days, fm), days))
    return out


def pareto(spend: Sequence[int], points: int = 20) -> list[tuple[float, float]]:
    """The cumulative share of revenue against the share of members, biggest spenders
    first: ``points`` + 1 pairs from (0, 0) to (1, 1)."""
    ordered = sorted((max(0, s) for s in spend), reverse=True)
    total = sum(ordered)
    n = len(ordered)
    if not n or not total:
        return [(k / points, 0.0) for k in range(points + 1)]
    prefix = [0]
    for s in ordered:
        prefix.append(prefix[-1] + s)
    return [(k / points, prefix[round(n * k / points)] / total) for k in range(points + 1)]


def top_share(spend: Sequence[int], share: float = 0.2) -> float:
    """What part of revenue the top ``share`` of members bring (0.8 in the 80/20 rule)."""
    ordered = sorted((max(0, s) for s in spend), reverse=True)
    total = sum(ordered)
    if not total:
        return 0.0
    return sum(ordered[:max(1, round(len(ordered) * share))]) / total
