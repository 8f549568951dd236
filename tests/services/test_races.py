"""Two terminals doing the same thing at the same moment: separate processes, each with its
own connection, released together by a barrier. Every trial must leave zero broken
invariants: nothing paid back or spent twice, balances equal to their ledgers (``check``),
exactly one winner where only one may win, and a clear message for the loser.

``RACE_TRIALS`` sets the trials per case (50 by default); ``RACE_REPORT=FILE`` appends one
line per case with its trial and failure counts and its time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import pytest

from terminal.db import models as m
from terminal.db.database import is_sqlite
from terminal.loyalty.pricing import Tenders
from terminal.services import accounts, coupons, integrity, shifts, staff
from tests.helpers import factory
from tests.helpers.races import Call, Outcome, RacePool, new_key

TRIALS = int(os.environ.get("RACE_TRIALS", "50"))


class Trials:
    """Runs a case's trials and collects, per trial, every invariant it broke."""

    def __init__(self, name: str, racers: RacePool, clock: Any) -> None:
        self.name, self.racers, self.clock = name, racers, clock
        self.broken: dict[int, list[str]] = {}
        self.known: set[str] = set(integrity.check())  # reported once, where they arose

    def run(self, setup: Callable[[int], Any], calls: Callable[[Any], list[Call]],
            verify: Callable[[Any, list[Outcome]], list[str]]) -> None:
        started = time.monotonic()
        for i in range(TRIALS):
            self.clock.advance(seconds=1)
            state = setup(i)
            outcomes = self.racers.race(self.clock.now, calls(state))
            problems = verify(state, outcomes)
            problems += [o.describe() + "\n" + o.detail for o in outcomes if o.kind == "error"]
            found = [p for p in integrity.check() if p not in self.known]
            self.known.update(found)
            problems += [f"check: {p}" for p in found]
            if problems:
                self.broken[i] = problems + [o.describe() for o in outcomes]
        elapsed = time.monotonic() - started
        backend = "sqlite" if is_sqlite() else "postgresql"
        line = (f"{self.name} [{backend}]: {TRIALS} trials, {len(self.broken)} broken, "
                f"{elapsed:.1f} s")
        print(line)
        if os.environ.get("RACE_REPORT"):
            with open(os.environ["RACE_REPORT"], "a", encoding="utf-8") as f:
                f.write(line + "\n")
        if self.broken:
            first = next(iter(self.broken.items()))
            pytest.fail(f"{line}; first, trial {first[0]}:\n  " + "\n  ".join(first[1]),
                        pytrace=False)


def one_winner(outcomes: list[Outcome]) -> list[str]:
    """Exactly one call succeeded and every other got a clear domain error."""
    problems = []
    wins = [o for o in outcomes if o.ok]
    if len(wins) != 1:
        problems.append(f"{len(wins)} of {len(outcomes)} succeeded where only one may")
    problems += [f"the loser got no clear message: {o.describe()}" for o in outcomes
                 if not o.ok and not o.clear_domain_error()]
    return problems


def reversals_of(txn_id: object) -> list[m.Txn]:
    return list(m.Txn.select().where(m.Txn.original == txn_id))


def balances(member_id: object) -> tuple[int, int, int]:
    mb = m.Member.get_by_id(member_id)
    return mb.sv_paid_balance, mb.sv_bonus_balance, mb.points_balance


def sale_setup(ctx: Any, member_id: object) -> Callable[[int], dict[str, Any]]:
    """Even trials: a member's sale paid with stored value and cash (points earned); odd
    trials: an anonymous cash sale (nothing to lock but the sale itself)."""

    def setup(i: int) -> dict[str, Any]:
        who = member_id if i % 2 == 0 else None
        before = balances(who) if who else None
        tenders = Tenders(stored_value=3000, cash=10_000) if who else Tenders(cash=10_000)
        sale = factory.sale(ctx, [("LATTE", 2)], member_id=who, tenders=tenders)
        line = m.TxnLine.get(m.TxnLine.txn == sale.txn_id)
        return dict(sale=sale, member=who, before=before, line=str(line.id))

    return setup


def refund_scene(ctx: Any) -> tuple[Any, Any, Callable[[int], dict[str, Any]]]:
    """A manager to approve refunds and a member with stored value: (the approver, the
    member's id, the trials' sales as ``sale_setup`` makes them for that member)."""
    approver = factory.manager(ctx)
    mb = factory.member(ctx)
    factory.top_up(ctx, mb.id, 400_000)  # with its bonus, under the ¥5,000 cap
    return approver, mb.id, sale_setup(ctx, mb.id)


def fully_refunded_once(state: dict[str, Any], outcomes: list[Outcome]) -> list[str]:
    problems = one_winner(outcomes)
    sale = state["sale"]
    back = reversals_of(sale.txn_id)
    returned = -sum(t.total for t in back)
    if len(back) != 1 or returned != sale.total:
        problems.append(f"{len(back)} reversals returned {returned} of a {sale.total} sale")
    if state["member"] and balances(state["member"]) != state["before"]:
        problems.append(f"member's (paid, bonus, points) {balances(state['member'])}, "
                        f"expected {state['before']} as before the sale")
    return problems


def refund_call(state: dict[str, Any], approver: str, **kw: Any) -> Call:
    return Call("refund", dict(key=kw.pop("key", None) or new_key("race-refund"),
                               txn_id=str(state["sale"].txn_id), approved_by=approver, **kw))


def test_refund_twice(racers, ctx, catalogue, clock):
    approver, _, sales = refund_scene(ctx)
    Trials("refund twice", racers, clock).run(
        sales,
        lambda s: [refund_call(s, approver), refund_call(s, approver)],
        fully_refunded_once)


def test_void_twice(racers, ctx, catalogue, clock):
    approver, _, sales = refund_scene(ctx)

    def verify(state: dict[str, Any], outcomes: list[Outcome]) -> list[str]:
        problems = fully_refunded_once(state, outcomes)
        if m.Txn.get_by_id(state["sale"].txn_id).status != "voided":
            problems.append("the sale is not marked voided")
        return problems

    Trials("void twice", racers, clock).run(
        sales,
        lambda s: [refund_call(s, approver, void=True), refund_call(s, approver, void=True)],
        verify)


def test_refund_and_void_at_once(racers, ctx, catalogue, clock):
    approver, _, sales = refund_scene(ctx)

    def verify(state: dict[str, Any], outcomes: list[Outcome]) -> list[str]:
        problems = one_winner(outcomes)
        back = reversals_of(state["sale"].txn_id)
        qty = -sum(ln.qty for t in back for ln in t.lines)
        if len(back) != 1 or qty > 2:
            problems.append(f"{len(back)} reversals returned {qty} of 2 lattes")
        return problems

    Trials("refund and void at once", racers, clock).run(
        sales,
        lambda s: [refund_call(s, approver, lines={s["line"]: 1}),
                   refund_call(s, approver, void=True)],
        verify)


def test_top_up_reversal_twice(racers, ctx, catalogue, clock):
    approver = factory.manager(ctx)
    mb = factory.member(ctx)
    factory.top_up(ctx, mb.id, 100_000)  # more than the top-ups reversed: no balance check helps

    def setup(i: int) -> dict[str, Any]:
        before = balances(mb.id)
        return dict(sale=factory.top_up(ctx, mb.id, 10_000), member=mb.id, before=before)

    Trials("top-up reversal twice", racers, clock).run(
        setup, lambda s: [refund_call(s, approver), refund_call(s, approver)],
        fully_refunded_once)


def test_one_single_use_coupon_two_checkouts(racers, ctx, catalogue, clock):
    """A bearer coupon at two counters: even trials by two anonymous customers, odd trials
    by two different members (so no member lock orders them)."""
    members = [factory.member(ctx).id, factory.member(ctx).id]

    def setup(i: int) -> dict[str, Any]:
        coupon = coupons.issue(ctx, "BIRTHDAY")
        who = members if i % 2 else [None, None]
        return dict(code=coupon.code, who=who)

    def calls(state: dict[str, Any]) -> list[Call]:
        return [Call("checkout", dict(key=new_key("race-coupon"), items=[("LATTE", 1, None, None)],
                                      member_id=str(w) if w else None,
                                      coupon_code=state["code"], tenders=dict(cash=10_000)))
                for w in state["who"]]

    def verify(state: dict[str, Any], outcomes: list[Outcome]) -> list[str]:
        problems = one_winner(outcomes)
        uses = m.Txn.select().where((m.Txn.coupon_code == state["code"])
                                    & (m.Txn.kind == "sale")).count()
        coupon = m.Coupon.get(m.Coupon.code == state["code"])
        if uses != 1 or coupon.status != "redeemed":
            problems.append(f"coupon used by {uses} sales, status {coupon.status}")
        return problems

    Trials("one single-use coupon, two checkouts", racers, clock).run(setup, calls, verify)


def test_one_members_balance_spent_by_two_checkouts(racers, ctx, catalogue, clock):
    """Even trials: 70.00 of a 120.00 stored value twice; odd trials: 600 of 1,000 points
    twice. Together more than the member has: one checkout must be refused."""
    approver = factory.manager(ctx)

    def setup(i: int) -> dict[str, Any]:
        mb = factory.member(ctx)
        factory.top_up(ctx, mb.id, 10_000)  # 100.00 paid + 20.00 bonus
        accounts.adjust_points(ctx, factory.key("adj"), mb.id, 1000, "race test", approver)
        return dict(member=mb.id, points=i % 2 == 1)

    def calls(state: dict[str, Any]) -> list[Call]:
        if state["points"]:
            args = dict(items=[(None, 1, 5000, "Amount")], points=600,
                        tenders=dict(cash=10_000))
        else:
            args = dict(items=[(None, 1, 7000, "Amount")], tenders=dict(stored_value=7000))
        return [Call("checkout", dict(key=new_key("race-spend"), member_id=str(state["member"]),
                                      **args)) for _ in range(2)]

    def verify(state: dict[str, Any], outcomes: list[Outcome]) -> list[str]:
        problems = one_winner(outcomes)
        mb = m.Member.get_by_id(state["member"])
        spends = m.Txn.select().where((m.Txn.member == mb.id) & (m.Txn.kind == "sale"))
        if state["points"]:
            redeemed = sum(t.points_redeemed for t in spends)
            if redeemed != 600:
                problems.append(f"{redeemed} points redeemed of 1000, expected 600 once")
        elif mb.stored_value_balance != 5000:
            problems.append(f"stored value left {mb.stored_value_balance}, expected 5000")
        return problems

    Trials("one member's balance spent by two checkouts", racers, clock).run(
        setup, calls, verify)


def test_the_same_idempotency_key_at_two_checkouts(racers, ctx, catalogue, clock):
    """A retried checkout arriving twice at once: one sale, and both callers get its
    receipt. Even trials anonymous; odd trials a member paying 70.00 of 120.00 stored value
    (so the second must not be refused for the balance the first just spent)."""

    def setup(i: int) -> dict[str, Any]:
        who = None
        if i % 2:
            who = factory.member(ctx).id
            factory.top_up(ctx, who, 10_000)
        return dict(key=new_key("race-same"), member=who)

    def calls(state: dict[str, Any]) -> list[Call]:
        args: dict[str, Any] = dict(key=state["key"], items=[(None, 1, 7000, "Amount")])
        if state["member"]:
            args.update(member_id=str(state["member"]), tenders=dict(stored_value=7000))
        else:
            args.update(tenders=dict(cash=10_000))
        return [Call("checkout", args) for _ in range(2)]

    def verify(state: dict[str, Any], outcomes: list[Outcome]) -> list[str]:
        return same_receipt(state, outcomes, 7000)

    Trials("the same idempotency key at two checkouts", racers, clock).run(
        setup, calls, verify)


def same_receipt(state: dict[str, Any], outcomes: list[Outcome], amount: int) -> list[str]:
    problems = []
    if not all(o.ok for o in outcomes):
        problems.append("a retry with the same key was refused: "
                        + "; ".join(o.describe() for o in outcomes if not o.ok))
    if len({o.txn_id for o in outcomes if o.ok}) > 1:
        problems.append("the same key recorded two transactions")
    rows = m.Txn.select().where(m.Txn.idempotency_key == state["key"]).count()
    if rows != 1:
        problems.append(f"{rows} transactions under one key")
    if state["member"]:
        left = m.Member.get_by_id(state["member"]).stored_value_balance
        expected = state.get("left", 12_000 - amount)
        if left != expected:
            problems.append(f"stored value left {left}, expected {expected}")
    return problems


def test_the_same_refund_key_at_two_terminals(racers, ctx, catalogue, clock):
    """A retried refund arriving twice at once: one refund, both callers get its receipt."""
    approver, member_id, setup_sale = refund_scene(ctx)

    def setup(i: int) -> dict[str, Any]:
        state = setup_sale(i)
        state.update(key=new_key("race-refund-same"))
        if state["member"]:
            state["left"] = m.Member.get_by_id(member_id).stored_value_balance + 3000
        return state

    def verify(state: dict[str, Any], outcomes: list[Outcome]) -> list[str]:
        problems = same_receipt(state, outcomes, 0)
        if len(reversals_of(state["sale"].txn_id)) != 1:
            problems.append(f"{len(reversals_of(state['sale'].txn_id))} refunds, expected 1")
        return problems

    Trials("the same refund key at two terminals", racers, clock).run(
        setup, lambda s: [refund_call(s, approver, key=s["key"]) for _ in range(2)], verify)


def test_the_same_top_up_or_cash_out_key_at_two_terminals(racers, ctx, catalogue, clock):
    """Even trials a top-up of 100.00 retried at once, odd trials a cash-out: one
    transaction, both callers get its receipt."""
    approver = factory.manager(ctx)

    def setup(i: int) -> dict[str, Any]:
        who = factory.member(ctx).id
        if i % 2:
            factory.top_up(ctx, who, 10_000)
        return dict(key=new_key("race-account"), member=who, cash_out=i % 2 == 1,
                    left=0 if i % 2 else 12_000)

    def calls(state: dict[str, Any]) -> list[Call]:
        if state["cash_out"]:
            call = Call("cash_out", dict(key=state["key"], member_id=str(state["member"]),
                                         approved_by=approver))
        else:
            call = Call("top_up", dict(key=state["key"], member_id=str(state["member"]),
                                       paid=10_000))
        return [call, call]

    Trials("the same top-up or cash-out key at two terminals", racers, clock).run(
        setup, calls, lambda state, outcomes: same_receipt(state, outcomes, 0))


def shift_cashier(ctx: Any) -> str:
    factory.manager(ctx)
    owner = m.Staff.get(m.Staff.role == "owner")
    return str(staff.create(ctx, "Cashier Race", "cashier", "2468", approved_by=owner.id).id)


def test_one_shift_closed_from_two_terminals_at_once(racers, ctx, catalogue, clock):
    """Both terminals close the same shift (its own counter and a manager's): one closes it,
    the other is told it was closed already; a sale racing the close is in the shift's
    figures or in no shift, never lost between them."""
    cashier = ctx.as_staff(shift_cashier(ctx))

    def setup(i: int) -> dict[str, Any]:
        opened = shifts.open_shift(cashier, 10_000)
        factory.sale(cashier, [("LATTE", 1)], cash=2800)
        return dict(shift=opened.shift_id)

    def calls(state: dict[str, Any]) -> list[Call]:
        return [Call("close_shift", dict(terminal_id="T01", staff_id=cashier.staff_id,
                                         counted=12_800, shift_id=str(state["shift"])))
                for _ in range(2)]

    def verify(state: dict[str, Any], outcomes: list[Outcome]) -> list[str]:
        problems = one_winner(outcomes)
        row = m.Shift.get_by_id(state["shift"])
        if (row.expected, row.counted, row.sales) != (12_800, 12_800, 1):
            problems.append(f"kept {row.expected} expected, {row.counted} counted, "
                            f"{row.sales} sales")
        closes = m.AuditEntry.select().where((m.AuditEntry.action == "shift_closed")
                                             & (m.AuditEntry.subject == str(row.id))).count()
        if closes != 1:
            problems.append(f"{closes} audit entries for one close")
        return problems

    Trials("close a shift twice", racers, clock).run(setup, calls, verify)


def test_a_sale_racing_the_close_of_its_shift(racers, ctx, catalogue, clock):
    """The same terminal closes its shift while a sale is written there: the sale is in the
    kept figures exactly when it names the shift."""
    cashier = ctx.as_staff(shift_cashier(ctx))

    def setup(i: int) -> dict[str, Any]:
        return dict(shift=shifts.open_shift(cashier, 0).shift_id)

    def calls(state: dict[str, Any]) -> list[Call]:
        return [Call("close_shift", dict(terminal_id="T01", staff_id=cashier.staff_id,
                                         counted=0)),
                Call("checkout", dict(key=new_key("race-shift-sale"), terminal_id="T01",
                                      items=[("LATTE", 1, None, None)],
                                      tenders=dict(cash=2800)))]

    def verify(state: dict[str, Any], outcomes: list[Outcome]) -> list[str]:
        problems = [o.describe() for o in outcomes if not o.ok]
        row = m.Shift.get_by_id(state["shift"])
        named = m.Txn.select().where(m.Txn.shift_id == row.id).count()
        if row.closed_at is None or row.sales != named or row.cash_sales != 2800 * named:
            problems.append(f"the shift kept {row.sales} sales ({row.cash_sales} cash) but "
                            f"{named} name it")
        return problems

    Trials("a sale racing its shift's close", racers, clock).run(setup, calls, verify)


def test_two_processes_of_one_terminal_open_a_shift_at_once(racers, ctx, clock):
    cashier = ctx.as_staff(shift_cashier(ctx))

    def setup(i: int) -> dict[str, Any]:
        current = shifts.current(cashier)
        if current is not None:
            shifts.close_shift(cashier, current.expected)
        return {}

    def calls(state: dict[str, Any]) -> list[Call]:
        return [Call("open_shift", dict(terminal_id="T01", staff_id=cashier.staff_id,
                                        float=500)) for _ in range(2)]

    def verify(state: dict[str, Any], outcomes: list[Outcome]) -> list[str]:
        problems = one_winner(outcomes)
        open_now = m.Shift.select().where((m.Shift.terminal_id == "T01")
                                          & m.Shift.closed_at.is_null()).count()
        if open_now != 1:
            problems.append(f"{open_now} open shifts at one terminal")
        return problems

    Trials("open a shift twice at one terminal", racers, clock).run(setup, calls, verify)


def test_one_join_from_a_phone_confirmed_at_two_terminals_at_once(racers, ctx, clock):
    """Two cashiers press F2 on the same join from a phone: one member, never two."""
    from terminal.services import joins

    def setup(i: int) -> dict[str, Any]:
        joins.submit(ctx, joins.JoinForm(f"Racer {i}", f"1390000{i:04d}", consent=True),
                     client=f"phone-{i}")
        [waiting], _ = joins.waiting(ctx, limit=1)
        return dict(join=waiting)

    def verify(state: dict[str, Any], outcomes: list[Outcome]) -> list[str]:
        problems = one_winner(outcomes)
        join = state["join"]
        made = m.Member.select().where(m.Member.name == join.name).count()
        if made != 1:
            problems.append(f"{made} members were made from one join")
        row = m.PendingJoin.get_or_none(m.PendingJoin.id == join.id)
        if row is None or row.state != "confirmed" or row.member_id is None:
            problems.append("the confirmed join is gone" if row is None else
                            f"the join is {row.state}, member {row.member_id}")
        return problems

    Trials("one join confirmed twice", racers, clock).run(
        setup, lambda s: [Call("confirm_join", dict(join_id=str(s["join"].id)))] * 2, verify)
