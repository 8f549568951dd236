"""The ``shift`` command: open a cash-drawer shift with the float, close it by the cash
counted, show a shift's report."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from .common import Invocation, with_context

if TYPE_CHECKING:
    from ..services import staff
    from ..services.context import Context


def add_staff_option(p: argparse.ArgumentParser, who: str) -> None:
    p.add_argument("--staff", metavar="NAME",
                   help=f"{who}, by name or staff id (see 'staff list'); without it the "
                        "command asks, or takes the only one there is")


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    shift = subparsers.add_parser("shift", parents=parents,
                                  help="open or close this terminal's cash-drawer shift")
    sub = shift.add_subparsers(dest="shift_command", metavar="ACTION", required=True)
    opening = sub.add_parser("open", parents=parents,
                             help="open a shift with the float counted into the drawer; "
                                  "asks the cashier's PIN")
    opening.add_argument("--float", dest="amount", required=True, metavar="AMOUNT",
                         help="the cash in the drawer at the start, e.g. 200.00")
    add_staff_option(opening, "the cashier")
    closing = sub.add_parser("close", parents=parents,
                             help="close the open shift by the cash counted in the drawer; "
                                  "prints the shift report")
    closing.add_argument("--counted", required=True, metavar="AMOUNT",
                         help="the cash counted in the drawer, e.g. 1234.50")
    closing.add_argument("--id", metavar="SHIFT", help="another terminal's shift, by its id")
    add_staff_option(closing, "who counts the drawer")
    rep = sub.add_parser("report", parents=parents,
                         help="a shift's report: the open one here, else the last one")
    rep.add_argument("--id", metavar="SHIFT", help="the shift, by its id")


def sign_in(ctx: Context, wanted: str | None) -> staff.StaffView:
    """The staff member ``wanted`` names (or the only one, or one chosen from a numbered
    list), once their PIN is right."""
    from ..services import staff
    from .approval import choose_from

    person = choose_from(staff.active(), wanted, "who is it?")
    return staff.sign_in(ctx, person.id, getpass.getpass(f"{person.name}'s PIN: "))


def run(inv: Invocation) -> int:
    return with_context(inv, lambda ctx: _shift(ctx, inv.args))


def _shift(ctx: Context, args: argparse.Namespace) -> int:
    from ..core import money
    from ..core.errors import DomainError
    from ..reports import text
    from ..reports.shift import shift_document
    from ..services import shifts

    try:
        if args.shift_command == "report":
            rep = shifts.report(ctx, args.id)
        else:
            amount = money.parse(args.amount if args.shift_command == "open" else args.counted,
                                 ctx.currency)
            person = sign_in(ctx, args.staff)
            ctx = ctx.as_staff(str(person.id))
            if args.shift_command == "open":
                rep = shifts.open_shift(ctx, amount)
            else:
                rep = shifts.close_shift(ctx, amount, args.id)
    except DomainError as exc:
        print(f"member-terminal: {exc}", file=sys.stderr)
        return 1
    if args.shift_command == "open":
        print(f"shift {rep.shift_id} opened at {rep.terminal_id} by {rep.staff_name}")
    else:
        print(f"shift {rep.shift_id}")
    print(text.render(shift_document(rep, ctx.settings.store.language)), end="")
    return 0
