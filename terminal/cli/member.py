"""The ``member`` command: list members, edit one, replace a lost card, merge two records of
one person, give a coupon by hand (a manager approves the last three); ``member-link``: a
member's own page link."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from . import approval
from .common import Invocation, fail, with_context

if TYPE_CHECKING:
    import uuid

    from ..services.context import Context
    from ..services.members import MemberView


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-03-01") from None


def _yes_no(text: str) -> bool:
    answer = text.strip().lower()
    if answer not in ("yes", "no"):
        raise argparse.ArgumentTypeError("yes or no")
    return answer == "yes"


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    member = subparsers.add_parser("member", parents=parents,
                                   help="list, edit, replace a card, merge, give a coupon")
    sub = member.add_subparsers(dest="member_command", metavar="ACTION", required=True)
    who = "the member's card number, member code or phone number"

    listing = sub.add_parser("list", parents=parents, help="members that match, by name")
    listing.add_argument("text", nargs="?", default="",
                         help="the start of a name, a phone, a card or a member code")
    listing.add_argument("--tier")
    listing.add_argument("--consent", type=_yes_no, metavar="yes|no")
    listing.add_argument("--joined-from", type=_day, metavar="DATE")
    listing.add_argument("--joined-to", type=_day, metavar="DATE")
    listing.add_argument("--visited-from", type=_day, metavar="DATE")
    listing.add_argument("--visited-to", type=_day, metavar="DATE")
    listing.add_argument("--limit", type=int, default=20)
    listing.add_argument("--offset", type=int, default=0)

    edit = sub.add_parser("edit", parents=parents,
                          help="change name, phone, e-mail, birthday, consent")
    edit.add_argument("card", help=who)
    edit.add_argument("--name")
    edit.add_argument("--phone")
    edit.add_argument("--email", help="an e-mail address for the messages they agree to; "
                                      "\"\" removes it")
    birthday = edit.add_mutually_exclusive_group()
    birthday.add_argument("--birthday", type=_day, metavar="DATE")
    birthday.add_argument("--no-birthday", action="store_true", help="remove the birthday")
    edit.add_argument("--consent", type=_yes_no, metavar="yes|no",
                      help="may the shop send them offers")

    replace = sub.add_parser("replace-card", parents=parents,
                             help="a new card number and code for a lost card")
    replace.add_argument("card", help=who)
    replace.add_argument("--reason", default="")
    approval.add_option(replace)

    merge = sub.add_parser("merge", parents=parents,
                           help="move OTHER's balances, sales and coupons onto KEEP")
    merge.add_argument("keep", help="the record that stays: " + who)
    merge.add_argument("other", help="the record merged into it: " + who)
    merge.add_argument("--reason", default="")
    approval.add_option(merge)

    erase = sub.add_parser("erase", parents=parents,
                           help="remove a member's personal data at their request (their "
                                "sales stay, under a pseudonym); says which backups still "
                                "hold it")
    erase.add_argument("card", help=who)
    erase.add_argument("--reason", required=True,
                       help="why, e.g. 'their request of 1 May'")
    approval.add_option(erase)

    give = sub.add_parser("give-coupon", parents=parents,
                          help="give one coupon from a template to a member")
    give.add_argument("card", help=who)
    give.add_argument("template", help="the coupon template's code")
    give.add_argument("--reason", required=True)
    approval.add_option(give)


    link = subparsers.add_parser(
        "member-link", parents=parents,
        help="print a member's own page link (signed; for the card, a receipt or a message)")
    link.add_argument("card", help=who)
    link.add_argument("--local", action="store_true",
                      help="the shop network's address ([web] local_url) instead of the "
                           "public one ([web] public_url)")
    link.add_argument("--revoke", action="store_true",
                      help="make the member's earlier links stop working first (a "
                           "manager's PIN)")
    approval.add_option(link)


def run(inv: Invocation) -> int:
    return with_context(inv, lambda ctx: _member(ctx, inv.args))


def member_link(inv: Invocation) -> int:
    def run(ctx: Context) -> int:
        from ..core.errors import DomainError
        from ..services import member_links, members

        args = inv.args
        try:
            member = members.identify(ctx, args.card)
            if args.revoke:
                approver = approval.approve(ctx, args.manager, "revoking a member's link").id
                member = member_links.revoke(ctx, member.card_no, approver)
                print(f"the earlier links of card {member.card_no} no longer work")
            base = ctx.settings.web.local_url if args.local else None
            if args.local and not base:
                return fail("no [web] local_url in the settings: the address of "
                            "'member-terminal serve' on the shop's network")
            print(member_links.url(ctx, member, base=base))
        except DomainError as exc:
            return fail(exc)
        return 0

    return with_context(inv, run)


def _member(ctx: Context, args: argparse.Namespace) -> int:
    from ..core.errors import DomainError

    try:
        return ACTIONS[args.member_command](ctx, args)
    except DomainError as exc:
        return fail(exc)


def _list(ctx: Context, args: argparse.Namespace) -> int:
    from ..services.member_directory import MemberFilter, list_members

    page = list_members(ctx, MemberFilter(
        text=args.text, tier=args.tier, marketing_consent=args.consent,
        joined_from=args.joined_from, joined_to=args.joined_to,
        visited_from=args.visited_from, visited_to=args.visited_to),
        offset=args.offset, limit=args.limit)
    for r in page.rows:
        visit = r.last_visit_at.date().isoformat() if r.last_visit_at else "-"
        print(f"{r.card_no}  {r.phone_masked:<12} {r.tier_code:<10} {r.points_balance:>8} pts "
              f"{r.stored_value_balance / 100:>10.2f}  {visit:<10}  {r.name}")
    shown = len(page.rows)
    if shown < page.total:
        print(f"members {page.offset + 1} to {page.offset + shown} of {page.total}")
    else:
        print(f"{page.total} members")
    return 0


def _edit(ctx: Context, args: argparse.Namespace) -> int:
    from ..services import members
    from ..services.member_care import MemberChanges, edit

    member = members.identify(ctx, args.card)
    changed = edit(ctx, member.id, MemberChanges(
        name=args.name, phone=args.phone, birthday=args.birthday,
        clear_birthday=args.no_birthday, marketing_consent=args.consent, email=args.email))
    print(f"member {changed.card_no} changed: {changed.name}, "
          f"{members.mask_phone(changed.phone)}")
    return 0


def _approved(ctx: Context, args: argparse.Namespace, action: str
              ) -> tuple[MemberView, uuid.UUID]:
    """The member ``--card`` names and the manager who approves ``action`` (their PIN)."""
    from ..services import members

    member = members.identify(ctx, args.card)
    return member, approval.approve(ctx, args.manager, action).id


def _replace(ctx: Context, args: argparse.Namespace) -> int:
    from ..services.member_care import replace_card

    member, approver = _approved(ctx, args, "replacing a member card")
    done = replace_card(ctx, member.id, approver, args.reason)
    print(f"card {done.old_card_no} replaced by card {done.card_no}; "
          f"its member code: {done.member_code}")
    return 0


def _merge(ctx: Context, args: argparse.Namespace) -> int:
    from ..services import members
    from ..services.member_care import merge

    keep, other = members.identify(ctx, args.keep), members.identify(ctx, args.other)
    approver = approval.approve(ctx, args.manager, "merging two members").id
    done = merge(ctx, keep.id, other.id, approver, args.reason)
    print(f"card {done.merged_card_no} merged into card {done.card_no}: {done.points} points, "
          f"{(done.stored_value_paid + done.stored_value_bonus) / 100:.2f} stored value, "
          f"{done.sales} transactions, {done.coupons} coupons, "
          f"{done.punch_cards} punch cards moved")
    return 0


def _give(ctx: Context, args: argparse.Namespace) -> int:
    from ..services.member_care import give_coupon

    member, approver = _approved(ctx, args, "giving a coupon by hand")
    given = give_coupon(ctx, member.id, args.template, approver, args.reason)
    print(f"coupon {given.code} ({given.template_code}) given to card {member.card_no}, "
          f"valid until {given.valid_until:%Y-%m-%d}")
    return 0


def _erase(ctx: Context, args: argparse.Namespace) -> int:
    from ..services import privacy

    member, approver = _approved(ctx, args, "erasing a member")
    done = privacy.erase(ctx, member.id, approver, args.reason)
    print(f"card {done.card_no}: the member's personal data is erased"
          + (f"; {done.points_lapsed:,} points lapsed" if done.points_lapsed else ""))
    if done.server_backups:
        print("backups of the database server made before now still hold it until they "
              "are deleted")
    elif not done.copies:
        print("no backup of this database holds it")
    for copy in done.copies:
        until = (f"deleted on {copy.deleted_on.isoformat()} (automatic backups are kept "
                 f"{done.keep_days} days)" if copy.deleted_on else "kept until deleted by hand")
        print(f"still held by {copy.path}: {until}")
    if not done.journal_cleared:
        print("another terminal is using the database: its -wal still holds the data until "
              "every terminal has closed it")
    return 0


ACTIONS = {"list": _list, "edit": _edit, "replace-card": _replace, "merge": _merge,
           "erase": _erase, "give-coupon": _give}
