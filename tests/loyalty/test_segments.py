"""RFM scoring, the segment rule and the 80/20 curve."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from terminal.loyalty import segments as S
from terminal.loyalty.segments import MemberFigures

TODAY = date(2026, 6, 30)


def fig(i: int, joined_days: int, last_days: int | None, n: int, spend: int) -> MemberFigures:
    return MemberFigures(i, TODAY - timedelta(days=joined_days),
                         None if last_days is None else TODAY - timedelta(days=last_days),
                         n, spend)


@pytest.mark.parametrize("days, score", [(0, 5), (30, 5), (31, 4), (60, 4), (61, 3),
                                         (180, 3), (181, 2), (365, 2), (366, 1), (None, 1)])
def test_r_score_by_days(days, score) -> None:
    assert S.r_score(days) == score


def test_quintiles_split_evenly_and_ties_share_a_score() -> None:
    edges = S.quintile_edges(list(range(1, 101)))
    assert [S.quintile_score(v, edges) for v in (1, 20, 21, 40, 41, 60, 61, 80, 81, 100)] == [
        1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    same = S.quintile_edges([3] * 10)
    assert {S.quintile_score(3, same)} == {5}  # everyone alike: all at the top, none below
    assert S.quintile_edges([]) == [] and S.quintile_score(7, []) == 1


@pytest.mark.parametrize("days, joined, fm, expected", [
    (None, 10, 1, "new"), (5, 30, 5, "new"),          # joined in the last 30 days
    (None, 31, 1, "zombie"),                          # never bought
    (366, 400, 5, "lost"),
    (181, 400, 5, "hibernating"), (365, 400, 1, "hibernating"),
    (61, 400, 3, "at_risk"), (180, 400, 5, "at_risk"), (61, 400, 2, "hibernating"),
    (30, 400, 4, "champions"), (31, 400, 5, "loyal"), (60, 400, 3, "loyal"),
    (10, 400, 3, "loyal"), (10, 400, 2, "potential"), (60, 400, 1, "potential"),
])
def test_segment_rule(days, joined, fm, expected) -> None:
    assert S.segment(days, joined, fm) == expected


def test_score_uses_quintiles_of_the_years_buyers() -> None:
    members = [fig(i, 400, 5, n=i, spend=i * 1000) for i in range(1, 11)]
    members += [fig(99, 400, None, 0, 0), fig(98, 3, None, 0, 0)]
    scored = {s.member_id: s for s in S.score(members, TODAY)}
    assert scored[10].segment == "champions" and (scored[10].f, scored[10].m) == (5, 5)
    assert scored[1].segment == "potential" and (scored[1].f, scored[1].m) == (1, 1)
    assert scored[99].segment == "zombie" and scored[99].r == 1
    assert scored[98].segment == "new"
    assert scored[5].days == 5 and scored[5].r == 5


def test_pareto_curve_and_top_share() -> None:
    spend = [800] + [50] * 4  # one member in five brings 80%
    assert S.top_share(spend) == pytest.approx(0.8)
    curve = S.pareto(spend, points=5)
    assert curve[0] == (0.0, 0.0) and curve[-1] == (1.0, 1.0)
    assert curve[1] == pytest.approx((0.2, 0.8))
    assert all(b[1] >= a[1] for a, b in itertools.pairwise(curve))
    assert S.top_share([]) == 0.0 and S.pareto([], points=2) == [(0.0, 0.0), (0.5, 0.0),
                                                                 (1.0, 0.0)]
    assert S.top_share([-100, 100]) == 1.0  # a net refund counts as nothing, not less
