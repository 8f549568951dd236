"""Staff change their own PIN; an owner resets someone's. Both audited, same PIN rules."""

from __future__ import annotations

import pytest

from terminal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from terminal.db import models as m
from terminal.services import staff
from terminal.services.staff import LockedOut


def actions() -> list[tuple[str, str, str | None]]:
    return [(e.action, e.subject, e.approved_by) for e in m.AuditEntry.select()
            .where(m.AuditEntry.action.in_(("pin_changed", "pin_reset")))
            .order_by(m.AuditEntry.seq)]


def test_staff_change_their_own_pin(ctx, team) -> None:
    _, _, cashier = team
    staff.change_pin(ctx, cashier.id, "1111", "2468", "2468")
    with pytest.raises(PermissionDenied, match="wrong PIN"):
        staff.sign_in(ctx, cashier.id, "1111")
    assert staff.sign_in(ctx, cashier.id, "2468").name == "Cashier 李"
    assert actions() == [("pin_changed", str(cashier.id), None)]


@pytest.mark.parametrize(("old", "new", "again", "error", "text"), [
    ("1111", "2468", "2469", InvalidInput, "differ"),
    ("1111", "12", "12", InvalidInput, "4 to 8 digits"),
    ("1111", "abcd", "abcd", InvalidInput, "4 to 8 digits"),
    ("1111", "1111", "1111", InvalidInput, "the old one"),
    ("1112", "2468", "2468", PermissionDenied, "wrong PIN"),
    ("1111", "9999", "9999", Conflict, "already uses"),  # the manager's
])
def test_a_pin_change_is_refused(ctx, team, old, new, again, error, text) -> None:
    _, _, cashier = team
    with pytest.raises(error, match=text):
        staff.change_pin(ctx, cashier.id, old, new, again)
    assert staff.sign_in(ctx, cashier.id, "1111").id == cashier.id  # unchanged
    assert actions() == []


def test_guessing_the_old_pin_counts_as_wrong_pins(ctx, team) -> None:
    _, _, cashier = team
    for guess in ("0000", "0001", "0002", "0003"):
        with pytest.raises(PermissionDenied):
            staff.change_pin(ctx, cashier.id, guess, "2468", "2468")
    with pytest.raises(LockedOut):
        staff.change_pin(ctx, cashier.id, "1111", "2468", "2468")


def test_an_owner_resets_a_pin_and_clears_its_lock_out(ctx, team) -> None:
    owner, manager, cashier = team
    for guess in ("0000", "0001", "0002", "0003"):
        with pytest.raises(PermissionDenied):
            staff.sign_in(ctx, cashier.id, guess)
    with pytest.raises(LockedOut):
        staff.sign_in(ctx, cashier.id, "1111")
    with pytest.raises(PermissionDenied, match="only an owner"):
        staff.reset_pin(ctx, cashier.id, "3579", approved_by=manager.id)
    with pytest.raises(PermissionDenied, match="approval"):
        staff.reset_pin(ctx, cashier.id, "3579", approved_by=cashier.id)
    with pytest.raises(Conflict, match="already uses"):
        staff.reset_pin(ctx, cashier.id, "8888", approved_by=owner.id)
    with pytest.raises(NotFound):
        staff.reset_pin(ctx, "nobody", "3579", approved_by=owner.id)
    staff.reset_pin(ctx, cashier.id, "3579", approved_by=owner.id)
    assert staff.sign_in(ctx, cashier.id, "3579").id == cashier.id  # no wait left
    assert actions() == [("pin_reset", str(cashier.id), str(owner.id))]
