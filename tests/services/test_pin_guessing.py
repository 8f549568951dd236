"""A cashier guessing a manager's PIN: how many guesses an hour get through the lock-out."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import timedelta

import pytest

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
    return staff.approve(ctx, pin, "a refund")


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
            approve(here, manager, next(pins), )
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
