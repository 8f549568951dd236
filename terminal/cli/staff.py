"""The ``staff`` command: list the staff, add someone (an owner approves), change one's own
PIN, or reset someone's (an owner)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from . import approval
from .common import Invocation, with_context

if TYPE_CHECKING:
    from ..services.context import Context


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    staff = subparsers.add_parser("staff", parents=parents, help="list or add staff accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    staff_sub.add_parser("list", parents=parents, help="the active staff and their roles")
    add = staff_sub.add_parser("add", parents=parents,
                               help="add someone (the first account is the owner); asks "
                                    "for their new PIN and, after the first, an owner's")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=("cashier", "manager", "owner"))
    approval.add_option(add, "the owner")
    pin = staff_sub.add_parser("pin", parents=parents,
                               help="change your own PIN: asks the old one, the new one twice")
    pin.add_argument("--staff", metavar="NAME",
                     help="whose PIN, by name or staff id; without it the command asks")
    reset = staff_sub.add_parser("reset-pin", parents=parents,
                                 help="give someone a new PIN (an owner approves) and clear "
                                      "their wrong PINs")
    reset.add_argument("name", metavar="NAME", help="whose PIN, by name or staff id")
    approval.add_option(reset, "the owner")


def run(inv: Invocation) -> int:
    # only adding may make a new SQLite file: the first account is made on a new database
    return with_context(inv, lambda ctx: _staff(ctx, inv.args),
                        create=inv.args.staff_command == "add")


def _staff(ctx: Context, args: argparse.Namespace) -> int:
    from ..core.errors import DomainError
    from ..services import staff

    if args.staff_command == "list":
        for person in staff.active():
            print(f"{person.id}  {person.role:<8} {person.name}")
        return 0
    if args.staff_command in ("pin", "reset-pin"):
        try:
            return _pin(ctx, args)
        except DomainError as exc:
            print(f"member-terminal: {exc}", file=sys.stderr)
            return 1
    try:
        approver = None
        if staff.active():
            approver = approval.approve(ctx, args.manager, "adding staff",
                                        owners_only=True).id
        pin = getpass.getpass(f"new PIN for {args.name} (4-8 digits): ")
        if getpass.getpass("the same PIN again: ") != pin:
            print("member-terminal: the two PINs differ; nothing was added", file=sys.stderr)
            return 1
        person = staff.create(ctx, args.name, args.role, pin,
                              approved_by=approver)
    except DomainError as exc:
        print(f"member-terminal: {exc}", file=sys.stderr)
        return 1
    print(f"added {person.role} {person.name} ({person.id})")
    return 0


def _pin(ctx: Context, args: argparse.Namespace) -> int:
    from ..services import staff

    if args.staff_command == "pin":
        person = approval.choose_from(staff.active(), args.staff, "whose PIN?")
        old = getpass.getpass(f"{person.name}'s PIN now: ")
        new = getpass.getpass("new PIN (4-8 digits): ")
        staff.change_pin(ctx.as_staff(str(person.id)), person.id, old, new,
                         getpass.getpass("the same new PIN again: "))
        print(f"{person.name}'s PIN is changed")
        return 0
    person = approval.choose_from(staff.active(), args.name, "whose PIN?")
    owner = approval.approve(ctx, args.manager, "resetting a PIN", owners_only=True)
    new = getpass.getpass(f"new PIN for {person.name} (4-8 digits): ")
    if getpass.getpass("the same PIN again: ") != new:
        print("member-terminal: the two PINs differ; the PIN is not changed", file=sys.stderr)
        return 1
    staff.reset_pin(ctx, person.id, new, approved_by=owner.id)
    print(f"{person.name}'s PIN is reset")
    return 0
