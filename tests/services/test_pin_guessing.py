"""A cashier guessing a manager's PIN: how many guesses an hour get through the lock-out."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import timedelta

import pytest

from terminal.db import models as m
from terminal.db.database import close_database, open_database
from terminal.services import staff
from terminal.services.context import Context
from terminal.services.staff import LockedOut, PermissionDenied

CHECK_SECONDS = 0.43  # one PIN check at the counter (argon2 at its real cost): 8,300/hour
CAP = 300  # far above the limit: enough to show the hole without running for minutes


@pytest.fixture
def team(ctx):
    owner = staff.create(ctx, "Owner", "owner", "8888")
    manager = staff.create(ctx, "Manager 王", "manager", "9999", approved_by=owner.id)
    other = staff.create(ctx, "Manager 陈", "manager", "9998", approved_by=owner.id)
    cashier = staff.create(ctx, "Cashier 李", "cashier", "1111", approved_by=owner.id)
    return owner, manager, other, cashier


def at(ctx: Context, terminal: str) -> Context:
    """The same clock and settings, as another terminal id (anyone may start one)."""
    store = dataclasses.replace(ctx.settings.store, terminal_id=terminal)
    return dataclasses.replace(ctx, settings=dataclasses.replace(ctx.settings, store=store))


def approve(ctx: Context, manager: staff.StaffView, pin: str) -> staff.StaffView:
    return staff.approve(ctx, manager.id, pin, "a refund")


def attack(ctx: Context, clock, manager: staff.StaffView, cashier: staff.StaffView, *,
           terminals: bool = False, hours: float = 1.0) -> tuple[int, float]:
    """Wrong guesses at ``manager``'s PIN, each followed by the cashier's own correct
    sign-in, as fast as the terminal lets them, for ``hours`` (or until CAP); with
    ``terminals`` every guess comes from a terminal id never used before. The number of
    guesses the service checked, and the simulated seconds they took."""
    start = clock.now
    end = start + timedelta(hours=hours)
    pins = (f"{n:04d}" for n in itertools.count())
    guesses = 0
    for n in itertools.count():
        if clock.now >= end or guesses >= CAP:
            break
        here = at(ctx, f"X{n}") if terminals else ctx
        try:
            approve(here, manager, next(pins))
        except LockedOut as locked:
            clock.advance(seconds=locked.seconds)
            continue
        except PermissionDenied:
            guesses += 1
        clock.advance(seconds=CHECK_SECONDS)
        try:
            staff.sign_in(here, cashier.id, "1111")
        except LockedOut as locked:
            clock.advance(seconds=locked.seconds)
        clock.advance(seconds=CHECK_SECONDS)
    return guesses, (clock.now - start).total_seconds()


def per_hour(guesses: int, seconds: float) -> str:
    return f"{guesses} guesses in {seconds:.0f} s (about {guesses * 3600 / seconds:.0f} an hour)"


@pytest.mark.parametrize("terminals", [False, True], ids=["one terminal", "many terminal ids"])
def test_signing_in_between_guesses_does_not_reset_the_count(ctx, clock, team, terminals):
    _, manager, _, cashier = team
    guesses, seconds = attack(ctx, clock, manager, cashier, terminals=terminals)
    assert guesses <= 20, per_hour(guesses, seconds)
    # and the next hours are slower still
    guesses, seconds = attack(ctx, clock, manager, cashier, terminals=terminals, hours=3)
    assert guesses <= 3 * 13, per_hour(guesses, seconds)


def test_guesses_from_many_terminals_and_accounts_each_count(ctx, clock, team):
    """Spraying every approver from fresh terminal ids: each account still takes at most
    about 20 guesses in the first hour."""
    owner, manager, other, _cashier = team
    counted = {person.id: 0 for person in (owner, manager, other)}
    end = clock.now + timedelta(hours=1)
    for n in itertools.count():
        if clock.now >= end:
            break
        waits = [CHECK_SECONDS]
        for person in (owner, manager, other):
            try:
                approve(at(ctx, f"Y{n}"), person, "0000")
            except LockedOut as locked:
                waits.append(locked.seconds)
            except PermissionDenied:
                counted[person.id] += 1
                waits = [CHECK_SECONDS] * 2
        clock.advance(seconds=min(waits[1:]))  # until the next account is free
    assert all(12 <= count <= 20 for count in counted.values()), counted


@pytest.mark.parametrize("targets", ["all", "one"])
def test_one_cashier_cannot_lock_the_managers_out_everywhere(ctx, clock, team, targets):
    """A cashier sprays wrong PINs at every approver (or at the manager alone) from counter
    T01 for two hours as fast as it lets them; meanwhile the manager at T02 approves with
    their own PIN, waiting when told to: it always works within the longest wait, and T02
    is never locked."""
    owner, manager, other, _cashier = team
    t2 = at(ctx, "T02")
    end = clock.now + timedelta(hours=2)
    next_approval = clock.now + timedelta(minutes=7)
    waits, approvals, sprayed = [], 0, 0
    asked_at = None
    while clock.now < end:
        for person in (owner, manager, other) if targets == "all" else (manager,):
            try:
                approve(ctx, person, "0000")
                sprayed += 1
            except LockedOut as locked:
                assert locked.scope == "terminal" or locked.seconds <= staff.MAX_DELAY
            except PermissionDenied:
                sprayed += 1
        if clock.now >= next_approval:
            asked_at = asked_at or clock.now
            try:
                assert approve(t2, manager, "9999") == manager
            except LockedOut as locked:
                assert locked.scope == "staff"  # never T02 itself
                assert locked.seconds <= staff.MAX_DELAY
            else:
                waits.append((clock.now - asked_at).total_seconds())
                approvals += 1
                asked_at = None
                next_approval = clock.now + timedelta(minutes=7)
        clock.advance(seconds=15)
    assert approvals >= 15 and max(waits) <= staff.MAX_DELAY + staff.TERMINAL_LEAK, waits
    assert sum(1 for w in waits if w == 0) >= approvals - 2, waits
    # the spraying itself: at most 10 + 6 an hour from one terminal
    assert sprayed <= staff.TERMINAL_BURST + 2 * 3600 // staff.TERMINAL_LEAK + 1


def test_another_accounts_success_resets_nothing(ctx, clock, team):
    _owner, manager, other, cashier = team
    for _ in range(staff.FREE_TRIES):
        with pytest.raises(PermissionDenied, match="wrong PIN"):
            approve(ctx, manager, "0000")
        assert staff.sign_in(ctx, cashier.id, "1111") == cashier
        assert approve(ctx, other, "9998") == other
    with pytest.raises(PermissionDenied) as wrong:
        approve(ctx, manager, "0000")
    assert not isinstance(wrong.value, LockedOut)
    with pytest.raises(LockedOut) as locked:  # the right PIN waits too, at any terminal
        approve(at(ctx, "T09"), manager, "9999")
    assert (locked.value.seconds, locked.value.scope) == (staff.FIRST_DELAY, "staff")
    assert "for this account" in str(locked.value)
    assert staff.sign_in(at(ctx, "T09"), cashier.id, "1111") == cashier  # others are free
    clock.advance(seconds=staff.FIRST_DELAY)
    assert approve(ctx, manager, "9999") == manager
    with pytest.raises(PermissionDenied) as wrong:
        approve(ctx, manager, "0000")  # their own success started their count again
    assert not isinstance(wrong.value, LockedOut)


def test_delays_grow_and_are_bounded(ctx, clock, team):
    _, manager, _, _ = team
    seen = []
    for n in range(30):
        here = at(ctx, f"Z{n}")  # no terminal limit in the way
        with pytest.raises(PermissionDenied) as refused:
            approve(here, manager, "0000")
        if isinstance(refused.value, LockedOut):
            seen.append(refused.value.seconds)
            clock.advance(seconds=refused.value.seconds)
    assert seen[:7] == [5, 10, 20, 40, 80, 160, 300]
    assert set(seen[7:]) == {staff.MAX_DELAY}


def test_a_terminal_spraying_many_accounts_waits_but_others_do_not(ctx, clock, team):
    owner, manager, _other, cashier = team
    people = [staff.create(ctx, f"Cashier {i}", "cashier", f"{2000 + i}",
                           approved_by=owner.id) for i in range(staff.TERMINAL_BURST)]
    for person in people:  # one wrong PIN each: no account waits, the terminal does
        with pytest.raises(PermissionDenied, match="wrong PIN"):
            staff.sign_in(ctx, person.id, "0000")
    with pytest.raises(LockedOut) as locked:
        staff.sign_in(ctx, cashier.id, "1111")
    assert (locked.value.scope, locked.value.seconds) == ("terminal", staff.TERMINAL_LEAK)
    assert "at this terminal" in str(locked.value)
    assert staff.sign_in(at(ctx, "T02"), cashier.id, "1111") == cashier
    assert approve(at(ctx, "T02"), manager, "9999") == manager
    clock.advance(seconds=staff.TERMINAL_LEAK)
    assert staff.sign_in(ctx, cashier.id, "1111") == cashier  # one has leaked out
    with pytest.raises(PermissionDenied):
        staff.sign_in(ctx, people[0].id, "0000")
    with pytest.raises(LockedOut):
        staff.sign_in(ctx, cashier.id, "1111")  # and is taken again at once


def test_counts_survive_a_restart(ctx, clock, team, db_url):
    _, manager, _, _ = team
    for _ in range(staff.FREE_TRIES + 1):
        with pytest.raises(PermissionDenied):
            approve(ctx, manager, "0000")
    close_database()
    open_database(db_url)  # a new connection, as after restarting the counter
    with pytest.raises(LockedOut) as locked:
        approve(at(ctx, "T07"), manager, "9999")
    assert locked.value.seconds == staff.FIRST_DELAY
    row = m.PinAttempt.get((m.PinAttempt.scope == "staff")
                           & (m.PinAttempt.key == str(manager.id)))
    assert row.failures == staff.FREE_TRIES + 1


def test_the_owner_clears_a_lock_out_and_it_is_audited(ctx, clock, team):
    owner, manager, other, _cashier = team
    for _ in range(staff.FREE_TRIES + 1):
        with pytest.raises(PermissionDenied):
            approve(ctx, manager, "0000")
    locks = staff.lockouts(ctx)
    assert [(r.scope, r.name, r.failures) for r in locks] == [
        ("staff", "Manager 王", 4), ("terminal", "T01", 4)]
    assert locks[0].locked_until == clock.now + timedelta(seconds=staff.FIRST_DELAY)
    with pytest.raises(PermissionDenied, match="only an owner"):
        staff.clear_lock(ctx, "staff", str(manager.id), other.id)
    staff.clear_lock(ctx, "staff", str(manager.id), owner.id)
    assert approve(ctx, manager, "9999") == manager
    assert [r.scope for r in staff.lockouts(ctx)] == ["terminal"]
    (entry,) = m.AuditEntry.select().where(m.AuditEntry.action == "pin_lock_cleared")
    assert entry.approved_by == str(owner.id) and '"failures":4' in entry.before
    with pytest.raises(staff.NotFound):
        staff.clear_lock(ctx, "staff", "nobody", owner.id)


def test_a_cashier_approves_nothing_and_is_not_counted(ctx, team):
    _, _, _, cashier = team
    with pytest.raises(PermissionDenied, match="only a manager or an owner approves"):
        approve(ctx, cashier, "1111")
    assert staff.lockouts(ctx) == []
    assert [p.role for p in staff.approvers()] == ["manager", "manager", "owner"]
