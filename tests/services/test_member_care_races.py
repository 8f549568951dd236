"""Merging two records while another terminal works on them: separate processes, each with
its own connection, released together by a barrier (tests/helpers/races.py). Every trial
must leave zero broken invariants: no money or points made or lost, every balance equal to
its ledger (``check``), one merge where only one may be, a clear message for the loser."""

from __future__ import annotations

from typing import Any

from terminal.db import models as m
from tests.helpers import factory
from tests.helpers.races import Call, Outcome, new_key
from tests.services.test_races import Trials, one_winner


def holdings(*member_ids: object) -> tuple[int, int, int]:
    """(paid, bonus, points) the members hold together."""
    rows = [m.Member.get_by_id(i) for i in member_ids]
    return (sum(r.sv_paid_balance for r in rows), sum(r.sv_bonus_balance for r in rows),
            sum(r.points_balance for r in rows))


def pair(ctx: Any) -> tuple[Any, Any]:
    """One person enrolled twice, with stored value (and so a bonus) on both records."""
    a, b = factory.member(ctx, "Twice"), factory.member(ctx, "Twice")
    factory.top_up(ctx, a.id, 20_000)
    factory.top_up(ctx, b.id, 50_000)
    return a, b


def merged_once(state: dict[str, Any], outcomes: list[Outcome]) -> list[str]:
    """One merge won; the records' holdings are the kept one's; the other is empty and
    names it."""
    problems = one_winner(outcomes)
    a, b = m.Member.get_by_id(state["a"]), m.Member.get_by_id(state["b"])
    merged = [r for r in (a, b) if r.merged_into_id is not None]
    if len(merged) != 1:
        return [*problems, f"{len(merged)} of the two records are merged"]
    gone = merged[0]
    kept = a if gone is b else b
    if gone.merged_into_id != kept.id:
        problems.append("the merged record names neither")
    if holdings(kept.id) != state["before"] or holdings(gone.id) != (0, 0, 0):
        problems.append(f"kept {holdings(kept.id)} and merged {holdings(gone.id)}, "
                        f"expected {state['before']} and nothing")
    for model in (m.StoredValueEntry, m.PointsEntry, m.Txn, m.Coupon):
        if model.select().where(model.member == gone.id).exists():
            problems.append(f"the merged record still has {model.__name__} rows")
    return problems


def test_two_terminals_merging_the_same_pair_merge_it_once(racers, ctx, clock) -> None:
    manager = factory.manager(ctx)

    def setup(i: int) -> dict[str, Any]:
        a, b = pair(ctx)
        return dict(a=a.id, b=b.id, before=holdings(a.id, b.id),
                    # even trials: both the same way; odd: each keeps a different record
                    ways=[(a.id, b.id), (a.id, b.id) if i % 2 == 0 else (b.id, a.id)])

    def calls(state: dict[str, Any]) -> list[Call]:
        return [Call("merge", dict(keep_id=str(keep), other_id=str(other),
                                   approved_by=manager)) for keep, other in state["ways"]]

    Trials("merge the same pair twice", racers, clock).run(setup, calls, merged_once)


def test_a_checkout_spending_the_second_records_balance_during_the_merge(
        racers, ctx, clock, catalogue) -> None:
    manager = factory.manager(ctx)
    spend = 3_000

    def setup(i: int) -> dict[str, Any]:
        keep, other = pair(ctx)
        return dict(keep=keep.id, other=other.id, before=holdings(keep.id, other.id))

    def calls(state: dict[str, Any]) -> list[Call]:
        return [Call("merge", dict(keep_id=str(state["keep"]), other_id=str(state["other"]),
                                   approved_by=manager)),
                Call("checkout", dict(key=new_key("spend"), items=[(None, 1, spend, "Amount")],
                                      member_id=str(state["other"]),
                                      tenders=dict(stored_value=spend)))]

    def verify(state: dict[str, Any], outcomes: list[Outcome]) -> list[str]:
        merged, sale = outcomes
        problems = []
        if not merged.ok:
            problems.append(f"the merge failed: {merged.describe()}")
        if not sale.ok and not sale.clear_domain_error():
            problems.append(f"the refused sale got no clear message: {sale.describe()}")
        paid, bonus, pts = holdings(state["keep"])
        want_paid, want_bonus, want_pts = state["before"]
        spent = 0
        if sale.ok:
            txn = m.Txn.get_by_id(sale.txn_id)
            spent = txn.stored_value
            want_pts += txn.points_earned - txn.points_redeemed
            if txn.member_id != state["keep"]:
                problems.append("the sale stayed on the merged record")
        if pts != want_pts:
            problems.append(f"the kept record has {pts} points, expected {want_pts}")
        if paid + bonus != want_paid + want_bonus - spent:
            problems.append(f"the kept record holds {paid + bonus}, expected "
                            f"{want_paid + want_bonus} - {spent} spent")
        if holdings(state["other"]) != (0, 0, 0):
            problems.append(f"the merged record still holds {holdings(state['other'])}")
        return problems

    Trials("checkout on the second record while merging", racers, clock).run(
        setup, calls, verify)
