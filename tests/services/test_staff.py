"""Staff accounts: hashed PINs, who may add whom, sign-in, manager approval and lock-out."""

from __future__ import annotations

import dataclasses

import pytest

from terminal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from terminal.db import models as m
from terminal.services import staff
from terminal.services.context import Context
from terminal.services.staff import LockedOut


def test_first_account_is_the_owner_and_only_an_owner_adds_staff(ctx) -> None:
    with pytest.raises(PermissionDenied, match="first staff account"):
        staff.create(ctx, "Li", "cashier", "1111")
    owner = staff.create(ctx, "Owner", "owner", "8888")
    with pytest.raises(PermissionDenied, match="adding staff needs a manager"):
        staff.create(ctx, "Li", "cashier", "1111")
    manager = staff.create(ctx, "Wang", "manager", "9999", approved_by=owner.id)
    with pytest.raises(PermissionDenied, match="only an owner"):
        staff.create(ctx, "Li", "cashier", "1111", approved_by=manager.id)
    with pytest.raises(Conflict, match="already uses this PIN"):
        staff.create(ctx, "Li", "cashier", "9999", approved_by=owner.id)
    assert [s.name for s in staff.active()] == ["Owner", "Wang"]


@pytest.mark.parametrize("pin", ["12a4", "123", "123456789", "١٢٣٤", "", None, 1234])
def test_bad_pins_are_refused(ctx, pin) -> None:
    with pytest.raises(InvalidInput, match="4 to 8 digits"):
        staff.create(ctx, "Owner", "owner", pin)
    assert not m.Staff.select().exists()


def test_pins_are_stored_only_as_argon2_hashes(ctx, team) -> None:
    for row in m.Staff.select():
        assert row.pin_hash.startswith("$argon2id$")
        assert "8888" not in row.pin_hash and "9999" not in row.pin_hash


def test_sign_in_and_manager_approval(ctx, team) -> None:
    owner, manager, cashier = team
    assert staff.sign_in(ctx, cashier.id, "1111") == cashier
    with pytest.raises(PermissionDenied, match="wrong PIN"):
        staff.sign_in(ctx, cashier.id, "9999")
    with pytest.raises(NotFound):
        staff.sign_in(ctx, "00000000-0000-0000-0000-000000000000", "1111")
    assert staff.approve(ctx, manager.id, "9999", "a refund") == manager
    assert staff.approve(ctx, str(owner.id), "8888", "a refund") == owner
    with pytest.raises(PermissionDenied, match="wrong PIN"):
        staff.approve(ctx, manager.id, "8888", "a refund")  # the owner's PIN is not theirs
    with pytest.raises(PermissionDenied, match="only a manager or an owner approves"):
        staff.approve(ctx, cashier.id, "1111", "a refund")  # a cashier approves nothing
    assert staff.require_approver(str(manager.id), "x") == manager
    with pytest.raises(PermissionDenied):
        staff.require_approver(str(cashier.id), "x")
    assert staff.name_of(str(cashier.id)) == "Cashier 李"
    assert staff.name_of("cli") == "cli" and staff.name_of(None) == ""


def test_wrong_pins_make_the_account_wait_with_growing_delays(ctx, clock, team) -> None:
    _, manager, _cashier = team
    for _ in range(staff.FREE_TRIES - 1):
        with pytest.raises(PermissionDenied, match="wrong PIN"):
            staff.approve(ctx, manager.id, "0000", "a refund")
    with pytest.raises(PermissionDenied, match="wrong PIN"):
        staff.sign_in(ctx, manager.id, "0000")  # sign-in and approval count together
    for expected in (5, 10, 20):
        with pytest.raises(PermissionDenied) as wrong:
            staff.approve(ctx, manager.id, "0000", "a refund")  # one more: now it waits
        assert not isinstance(wrong.value, LockedOut)
        with pytest.raises(LockedOut) as locked:
            staff.approve(ctx, manager.id, "9999", "a refund")  # even the right PIN
        assert locked.value.seconds == expected
        assert f"try again in {expected} s" in str(locked.value)
        clock.advance(seconds=expected)
    assert staff.approve(ctx, manager.id, "9999", "a refund") == manager
    with pytest.raises(PermissionDenied) as wrong:
        staff.approve(ctx, manager.id, "0000", "a refund")  # a success starts the count again
    assert not isinstance(wrong.value, LockedOut)
    assert staff.approve(ctx, manager.id, "9999", "a refund") == manager


def test_lock_out_follows_the_account_and_survives_a_restart(ctx, clock, team) -> None:
    _, manager, cashier = team
    for _ in range(staff.FREE_TRIES + 1):
        with pytest.raises(PermissionDenied):
            staff.approve(ctx, manager.id, "0000", "a refund")
    restarted = Context(ctx.settings, staff_id="x", clock=clock)
    with pytest.raises(LockedOut):
        staff.approve(restarted, manager.id, "9999", "a refund")
    settings = dataclasses.replace(
        ctx.settings, store=dataclasses.replace(ctx.settings.store, terminal_id="T02"))
    other = Context(settings, staff_id="x", clock=clock)
    with pytest.raises(LockedOut):  # another terminal id does not escape it
        staff.approve(other, manager.id, "9999", "a refund")
    assert staff.sign_in(other, cashier.id, "1111") == cashier  # nor does it lock others


@pytest.mark.parametrize("nobody", ["cashier1", "cli", "", None, "not-a-uuid", 42])
def test_ids_that_are_not_staff_are_refused_cleanly(ctx, nobody) -> None:
    """PostgreSQL fails a whole transaction on a malformed uuid: check before asking it."""
    with pytest.raises(PermissionDenied):
        staff.require_approver(nobody, "x")
    with pytest.raises(NotFound):
        staff.sign_in(ctx, nobody, "1234")
    assert staff.name_of(str(nobody) if nobody else None) == (str(nobody) if nobody else "")


def test_an_owner_takes_someone_off_the_staff(ctx, team) -> None:
    owner, manager, cashier = team
    with pytest.raises(PermissionDenied, match="only an owner"):
        staff.deactivate(ctx, cashier.id, manager.id)
    assert staff.deactivate(ctx, cashier.id, owner.id) == cashier
    assert cashier not in staff.active()
    with pytest.raises(NotFound):
        staff.sign_in(ctx, cashier.id, "1111")  # their PIN opens nothing now
    with pytest.raises(NotFound):
        staff.deactivate(ctx, cashier.id, owner.id)
    with pytest.raises(Conflict, match="last owner"):
        staff.deactivate(ctx, owner.id, owner.id)
    staff.create(ctx, "Li", "cashier", "1111", approved_by=owner.id)  # the PIN is free again
    from terminal.services import audit_listing

    (entry,) = audit_listing.entries(action="staff_removed")
    assert entry.approved_by == "Owner" and '"role":"cashier"' in entry.before
