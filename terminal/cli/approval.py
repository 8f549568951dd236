"""Approvals on the command line: pick the approver (``--manager NAME`` or a prompt), their PIN."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..services import staff
    from ..services.context import Context

# the services (and the database models) are imported when a command runs, not when
# the parser is built


def add_option(p: argparse.ArgumentParser, who: str = "the manager or owner") -> None:
    p.add_argument("--manager", metavar="NAME",
                   help=f"{who} who approves, by name or staff id (see 'staff list'); "
                        "without it the command asks, or takes the only one there is")


def _match(people: list[staff.StaffView], wanted: str) -> staff.StaffView:
    from ..core.errors import NotFound

    text = wanted.strip()
    found = _by_id_or_name(people, text)
    if found is None:
        names = ", ".join(p.name for p in people)
        raise NotFound("nobody called {text!r} can approve this: choose one of {names}", text=text,
                       names=names)
    return found


def _by_id_or_name(people: list[staff.StaffView], text: str) -> staff.StaffView | None:
    """The one whose staff id is ``text``, else the one called ``text`` (any case); None if
    nobody is; refused if several people have that name."""
    from ..core.errors import InvalidInput

    found = [p for p in people if str(p.id) == text] or \
        [p for p in people if p.name.casefold() == text.casefold()]
    if len(found) > 1:
        raise InvalidInput("{count} people are called {text!r}: give the staff id (see "
                           "'member-terminal staff list')", count=len(found), text=text)
    return found[0] if found else None


def choose(wanted: str | None, *, owners_only: bool = False,
           ask: Callable[[str], str] | None = None) -> staff.StaffView:
    """The approver ``wanted`` names; without a name the only one there is, or the one
    chosen from a numbered list."""
    from ..core.errors import InvalidInput, NotFound
    from ..services import staff

    people = [p for p in staff.approvers() if p.role == "owner" or not owners_only]
    if not people:
        raise NotFound("nobody can approve this: add an owner or a manager with "
                       "'member-terminal staff add'")
    if wanted:
        return _match(people, wanted)
    if len(people) == 1:
        return people[0]
    for number, person in enumerate(people, start=1):
        print(f"  {number}. {person.name} ({person.role})", file=sys.stderr)
    try:
        answer = (ask or input)("who approves? number or name: ").strip()
    except EOFError:
        raise InvalidInput("several people can approve this: name one with --manager NAME"
                           ) from None
    if answer.isdigit() and 1 <= int(answer) <= len(people):
        return people[int(answer) - 1]
    return _match(people, answer)


def approve(ctx: Context, wanted: str | None, action: str, *,
            owners_only: bool = False) -> staff.StaffView:
    """The approver, once their PIN (asked without echo) is right; PermissionDenied says
    what was not approved."""
    from ..core.errors import PermissionDenied
    from ..services import staff

    person = choose(wanted, owners_only=owners_only)
    pin = getpass.getpass(f"{person.name}'s PIN for {action}: ")
    try:
        return staff.approve(ctx, person.id, pin, action)
    except staff.LockedOut:
        raise
    except PermissionDenied as exc:
        raise PermissionDenied("{refusal}: {action} was not approved",
                               refusal=exc.message, action=action) from None


def choose_from(people: list[staff.StaffView], wanted: str | None, question: str, *,
                ask: Callable[[str], str] | None = None) -> staff.StaffView:
    """Whoever of ``people`` ``wanted`` names (staff id or name); without a name the only
    one there is, or the one chosen from a numbered list."""
    from ..core.errors import InvalidInput, NotFound

    if not people:
        raise NotFound("there is no staff yet: add the owner with 'member-terminal staff add'")
    answer = wanted
    if not answer:
        if len(people) == 1:
            return people[0]
        for number, person in enumerate(people, start=1):
            print(f"  {number}. {person.name} ({person.role})", file=sys.stderr)
        try:
            answer = (ask or input)(f"{question} number or name: ").strip()
        except EOFError:
            raise InvalidInput("several people could be meant: name one with --staff NAME"
                               ) from None
        if answer.isdigit() and 1 <= int(answer) <= len(people):
            return people[int(answer) - 1]
    text = answer.strip()
    found = _by_id_or_name(people, text)
    if found is None:
        raise NotFound("nobody called {text!r} is on the staff: choose one of {names}",
                       text=text, names=", ".join(p.name for p in people))
    return found
