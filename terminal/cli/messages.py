"""The ``messages`` command: queue the messages members agreed to, send them (the drain
job), list the outbox, settle a message whose fate is unknown; ``nightly``: the night's
jobs in order."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from . import approval
from .common import Invocation, fail, with_context

if TYPE_CHECKING:
    from ..services.context import Context

POLL_S = 30  # ``send`` without --once: how often it looks for messages due


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    cmd = subparsers.add_parser(
        "messages", parents=parents,
        help="messages to members who agreed to them: queue, send, list, resolve")
    sub = cmd.add_subparsers(dest="messages_command", metavar="ACTION", required=True)
    queue = sub.add_parser("queue", parents=parents,
                           help="queue points-expiry warnings, birthday perks and tier "
                                "changes (the kinds [messages] turns on), or a campaign's")
    queue.add_argument("--kind", action="append", dest="kinds",
                       choices=("points_expiring", "birthday", "tier_change"),
                       help="only this kind (may be given more than once)")
    queue.add_argument("--campaign", metavar="NAME_OR_ID",
                       help="a campaign's message with its coupons (its coupon group only: "
                            "the hold-out group gets nothing); a manager approves")
    queue.add_argument("--send", action="store_true", help="then send what is due (--once)")
    approval.add_option(queue)

    send = sub.add_parser("send", parents=parents,
                          help="the drain job: send what is due, then keep looking")
    send.add_argument("--once", action="store_true",
                      help="send what is due now and stop (for cron)")

    listing = sub.add_parser("list", parents=parents, help="the latest messages")
    listing.add_argument("--state", choices=("queued", "sending", "sent", "failed", "unknown",
                                             "cancelled"))
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--attempts", metavar="ID", help="every try at one message")

    resolve = sub.add_parser("resolve", parents=parents,
                             help="say what became of a message whose fate is unknown")
    resolve.add_argument("id", help="the message's id (see 'messages list --state unknown')")
    how = resolve.add_mutually_exclusive_group(required=True)
    how.add_argument("--sent", dest="how", action="store_const", const="sent",
                     help="it did arrive")
    how.add_argument("--retry", dest="how", action="store_const", const="retry",
                     help="it did not: send it again now")
    how.add_argument("--cancel", dest="how", action="store_const", const="cancel",
                     help="drop it")
    approval.add_option(resolve)

    subparsers.add_parser(
        "nightly", parents=parents,
        help="the night's jobs in order: expire-points, review-tiers, then (when e-mail or "
             "SMS is set up) messages queue and send --once")


def run(inv: Invocation) -> int:
    def go(ctx: Context) -> int:
        from ..core.errors import DomainError

        try:
            return ACTIONS[inv.args.messages_command](ctx, inv.args)
        except DomainError as exc:
            return fail(exc)

    return with_context(inv, go)


def _print(result: object) -> None:
    print(json.dumps(asdict(result), default=str))  # type: ignore[call-overload]


def _queue(ctx: Context, args: argparse.Namespace) -> int:
    from ..services import messages, outbox

    if args.campaign:
        campaign = _campaign(args.campaign)
        approver = approval.approve(ctx, args.manager, "sending a campaign's message").id
        _print(messages.queue_campaign(ctx, campaign, approver))
    else:
        _print(messages.queue(ctx, args.kinds))
    if args.send:
        _print(outbox.send_due(ctx))
    return 0


def _campaign(text: str) -> object:
    from ..core.errors import InvalidInput, NotFound
    from ..db import models as m

    found = [c.id for c in m.Campaign.select(m.Campaign.id, m.Campaign.name)
             if str(c.id) == text.strip() or c.name == text.strip()]
    if not found:
        raise NotFound("no campaign is called {text!r}", text=text)
    if len(found) > 1:
        raise InvalidInput("{count} campaigns are called {text!r}: give its id",
                           count=len(found), text=text)
    return found[0]


def _send(ctx: Context, args: argparse.Namespace) -> int:
    from ..services import messages, outbox

    if not messages.channels(ctx):
        return fail("no message can be sent: set up [email] (an SMTP server) or [sms] (a "
                    "gateway) in the settings")
    while True:
        drained = outbox.send_due(ctx)
        if args.once:
            _print(drained)
            return 0
        if any(asdict(drained).values()):
            _print(drained)
        time.sleep(POLL_S)


def _list(ctx: Context, args: argparse.Namespace) -> int:
    from ..services import outbox

    if args.attempts:
        for a in outbox.attempts(outbox.message_id(args.attempts)):
            end = f"{a.finished_at:%Y-%m-%d %H:%M:%S}" if a.finished_at else "-"
            print(f"#{a.number}  {a.started_at:%Y-%m-%d %H:%M:%S}  {end:<19}  "
                  f"{a.outcome:<9} {a.worker}  {a.detail}")
        return 0
    box = outbox.overview(ctx)
    print("  ".join(f"{state} {n}" for state, n in box.counts.items()))
    for v in outbox.list_messages(ctx, state=args.state, limit=args.limit):
        print(f"{v.id}  {v.created_at:%Y-%m-%d %H:%M}  {v.state:<9} {v.kind:<15} "
              f"{v.channel:<5} {v.card_no}  {v.address}  {v.last_error}")
    return 0


def _resolve(ctx: Context, args: argparse.Namespace) -> int:
    from ..services import outbox

    approver = approval.approve(ctx, args.manager, "settling a message").id
    view = outbox.resolve(ctx, args.id, args.how, approver)
    print(f"message {view.id} is {view.state}")
    return 0


ACTIONS = {"queue": _queue, "send": _send, "list": _list, "resolve": _resolve}


def nightly(inv: Invocation) -> int:
    def go(ctx: Context) -> int:
        from ..core.errors import DomainError
        from ..services import nightly as jobs

        try:
            for name, result in jobs.run_all(ctx):
                print(json.dumps({"job": name, **asdict(result)},  # type: ignore[call-overload]
                                 default=str))
        except DomainError as exc:
            return fail(exc)
        return 0

    return with_context(inv, go)
