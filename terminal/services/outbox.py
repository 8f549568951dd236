"""The outbox's drain and the people's side of it (the messages the producers of
services.messages queued).

The drain (``send_due``) takes one message at a time:

1. the claim, in its own committed transaction: the member's row locked (the daily limit
   is counted exactly, whatever another job does), consent and address checked again (a
   member who unsubscribed since gets nothing: ``cancelled``), the daily limit (over it,
   the message waits for tomorrow), then ``queued`` -> ``sending`` by a conditional UPDATE
   whose row count says whether this job won it: two jobs never both send one message;
2. the send, outside any transaction (services.delivery);
3. the outcome, in another transaction: ``sent``; ``queued`` again after a growing wait
   when the server turned it away for now (``failed`` after ``max_attempts``);
   ``failed`` when it never will take it; ``unknown`` when it was handed over and no
   answer came.

A job killed between 1 and 3 leaves the message ``sending``. Its claim carries a lease (the
longest a send can take); a drain that finds a lease run out marks the message ``unknown``:
it may have gone, so it is never sent again on its own. A person says what happened
(``resolve``: sent, send again, or drop it). Every try is a ``message_attempt`` row.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import peewee as pw

from ..core.errors import InvalidInput, NotFound
from ..core.i18n import Term
from ..db import models as m
from ..db.database import write_transaction
from . import audit, import_batches
from .context import Context
from .delivery import (
    Failed,
    Outgoing,
    Permanent,
    SmsTransport,
    SmtpTransport,
    Transient,
    Transport,
    Unknown,
)
from .ledger import lock_member
from .members import mask_email, mask_phone
from .messages import channels, full_text, is_live, unsubscribe_url
from .staff import require_approver

log = logging.getLogger(__name__)
LONGEST_WAIT = timedelta(hours=24)  # between tries of a message turned away for now
INTERRUPTED = "the sending job stopped before the server answered: check whether it arrived"
COUNTED = ("sending", "sent", "unknown")  # what the daily limit counts


# -- sending -------------------------------------------------------------------------------

@dataclass
class Drained:
    """What one pass of the drain did."""

    sent: int = 0
    retry: int = 0  # turned away for now: tried again later
    failed: int = 0
    unknown: int = 0  # no answer after the whole message went: a person decides
    cancelled: int = 0  # no consent or no address any more
    deferred: int = 0  # over the member's daily limit: tomorrow
    interrupted: int = 0  # found sending, their job gone: now unknown


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def lease(ctx: Context) -> timedelta:
    """How long a send may take at most: a claim older than this was cut short."""
    s = ctx.settings
    longest = max(s.email.timeout_seconds, s.sms.timeout_seconds)
    return timedelta(seconds=max(120, 10 * longest))


def recover(ctx: Context) -> int:
    """Messages left ``sending`` by a job that stopped (their lease ran out) become
    ``unknown``: they may have gone, so nothing sends them again without a person."""
    now = ctx.now()
    with write_transaction():
        stale = [mid for (mid,) in m.Message.select(m.Message.id).where(
            (m.Message.state == "sending") & (m.Message.lease_until < now)).tuples()]
        if not stale:
            return 0
        n = (m.Message.update(state="unknown", last_error=INTERRUPTED)
             .where(m.Message.id.in_(stale) & (m.Message.state == "sending")).execute())
        m.MessageAttempt.update(outcome="unknown", finished_at=now, detail=INTERRUPTED).where(
            m.MessageAttempt.message.in_(stale) & (m.MessageAttempt.outcome == "sending")
        ).execute()
    return n


@dataclass(frozen=True)
class _Claimed:
    message: m.Message
    member: m.Member
    address: str
    claim: str


def _day_start(at: datetime) -> datetime:
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


def _claim(ctx: Context, worker: str, drained: Drained) -> _Claimed | bool | None:
    """The next message due, now ``sending`` under this job's claim; True when one was
    dealt with otherwise (cancelled, deferred, taken by another job); None when none is
    due."""
    now = ctx.now()
    with write_transaction():
        message = (m.Message.select().where((m.Message.state == "queued")
                                            & (m.Message.next_attempt_at <= now))
                   .order_by(m.Message.next_attempt_at, m.Message.created_at).first())
        if message is None:
            return None
        # the member's row locked: two jobs count the member's day one after the other
        member = lock_member(message.member_id)
        route = member.email if message.channel == "email" else member.phone
        why = None
        if not is_live(member, import_batches.hidden()) or not member.marketing_consent:
            why = "no consent any more"
        elif not route:
            why = "no e-mail address any more" if message.channel == "email" \
                else "no phone number any more"
        if why is not None or not route:
            n = (m.Message.update(state="cancelled", last_error=why)
                 .where((m.Message.id == message.id) & (m.Message.state == "queued"))
                 .execute())
            drained.cancelled += n
            return True
        used = m.Message.select().where(
            (m.Message.member == member.id) & m.Message.state.in_(COUNTED)
            & (m.Message.claimed_at >= _day_start(now))).count()
        if used >= ctx.settings.messages.daily_limit:
            n = (m.Message.update(next_attempt_at=_day_start(now) + timedelta(days=1))
                 .where((m.Message.id == message.id) & (m.Message.state == "queued"))
                 .execute())
            drained.deferred += n
            return True
        claim = uuid.uuid4().hex
        won = (m.Message.update(state="sending", claim=claim, claimed_at=now,
                                lease_until=now + lease(ctx), address=route,
                                attempts=m.Message.attempts + 1)
               .where((m.Message.id == message.id) & (m.Message.state == "queued"))
               .execute())
        if won != 1:  # another job claimed it between our read and this update
            return True
        number = m.MessageAttempt.select().where(
            m.MessageAttempt.message == message.id).count() + 1
        m.MessageAttempt.create(message=message.id, number=number, started_at=now,
                                outcome="sending", worker=worker)
        message.attempts += 1
    return _Claimed(message, member, route, claim)


def _finish(ctx: Context, claimed: _Claimed, outcome: str, detail: str) -> None:
    now = ctx.now()
    msg = claimed.message
    changes: dict[pw.Field, object] = {m.Message.lease_until: None}
    if outcome == "sent":
        changes |= {m.Message.state: "sent", m.Message.sent_at: now,
                    m.Message.last_error: ""}
    elif outcome == "retry":
        if msg.attempts >= ctx.settings.messages.max_attempts:
            outcome = "failed"
            changes |= {m.Message.state: "failed", m.Message.last_error: detail}
        else:
            wait = timedelta(minutes=ctx.settings.messages.retry_minutes) \
                * 2 ** (msg.attempts - 1)
            changes |= {m.Message.state: "queued", m.Message.last_error: detail,
                        m.Message.next_attempt_at: now + min(wait, LONGEST_WAIT)}
    else:  # failed or unknown
        changes |= {m.Message.state: outcome, m.Message.last_error: detail}
    with write_transaction():
        # only this job's claim; "unknown" too: a slow job whose lease ran out still knows
        # what the server said, and no person has settled it yet (that changes the claim)
        n = (m.Message.update(changes)
             .where((m.Message.id == msg.id) & (m.Message.claim == claimed.claim)
                    & m.Message.state.in_(("sending", "unknown"))).execute())
        m.MessageAttempt.update(outcome=outcome, finished_at=now, detail=detail[:1000]).where(
            (m.MessageAttempt.message == msg.id)
            & m.MessageAttempt.outcome.in_(("sending", "unknown"))).execute()
    if not n:
        log.warning("message %s: %s, but it was settled meanwhile", msg.id, outcome)


def transports(ctx: Context) -> dict[str, Transport]:
    return {"email": SmtpTransport(ctx.settings.email), "sms": SmsTransport(ctx.settings.sms)}


def send_due(ctx: Context, *, limit: int | None = None,
             using: dict[str, Transport] | None = None,
             worker: str | None = None) -> Drained:
    """Send every message due now, one at a time (``limit``: at most so many claims)."""
    drained = Drained(interrupted=recover(ctx))
    if not channels(ctx):
        return drained
    ways = using or transports(ctx)
    worker = worker or worker_name()
    done = 0
    while limit is None or done < limit:
        claimed = _claim(ctx, worker, drained)
        if claimed is None:
            break
        done += 1
        if claimed is True or claimed is False:
            continue
        _deliver(ctx, claimed, ways, drained)
    return drained


def _deliver(ctx: Context, claimed: _Claimed, ways: dict[str, Transport],
             drained: Drained) -> None:
    msg = claimed.message
    try:
        outgoing = Outgoing(str(msg.id), claimed.address, msg.subject,
                            full_text(ctx, msg, claimed.member),
                            unsubscribe_url(ctx, claimed.member.id), ctx.settings.store.name)
        transport = ways.get(msg.channel)
        if transport is None or msg.channel not in channels(ctx):
            raise Transient(f"{msg.channel} is not set up in the settings")
        reply = transport.send(outgoing)
    except Unknown as exc:
        _finish(ctx, claimed, "unknown", str(exc))
        drained.unknown += 1
    except Permanent as exc:
        _finish(ctx, claimed, "failed", str(exc))
        drained.failed += 1
    except (Transient, InvalidInput) as exc:  # InvalidInput: no public address any more
        _finish(ctx, claimed, "retry", str(exc))
        drained.retry += 1
    except Failed as exc:  # pragma: no cover - every Failed is one of the three
        _finish(ctx, claimed, "unknown", str(exc))
        drained.unknown += 1
    except Exception as exc:
        # a bug of ours: it may have happened after the server took the message
        _finish(ctx, claimed, "unknown", f"{type(exc).__name__}: {exc}"[:500])
        drained.unknown += 1
        log.exception("message %s", msg.id)
    else:
        _finish(ctx, claimed, "sent", reply)
        drained.sent += 1


# -- the people's side: what is there, and settling the unknown ones -------------------------

@dataclass(frozen=True)
class MessageView:
    id: uuid.UUID
    created_at: datetime
    card_no: str
    kind: str
    channel: str
    state: str
    attempts: int
    address: str  # masked
    subject: str
    last_error: str
    next_attempt_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True)
class AttemptView:
    number: int
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    detail: str
    worker: str


@dataclass(frozen=True)
class Outbox:
    counts: dict[str, int]  # by state
    unknown: tuple[MessageView, ...]  # for a person to settle, oldest first
    channels: tuple[str, ...]  # set up in the settings


def _view(ctx: Context, msg: m.Message, card_no: str) -> MessageView:
    region = ctx.settings.store.phone_region
    address = msg.address
    shown = mask_email(address) if msg.channel == "email" else mask_phone(address, region)
    return MessageView(msg.id, msg.created_at, card_no, msg.kind, msg.channel, msg.state,
                       int(msg.attempts), shown, msg.subject, msg.last_error,
                       msg.next_attempt_at, msg.sent_at)


def list_messages(ctx: Context, *, state: str | None = None, limit: int = 50,
                  campaign_id: object = None) -> list[MessageView]:
    """The latest messages (``state``: in that state only), newest first."""
    if state is not None and state not in m.Message.STATES:
        raise InvalidInput("no such state: {state} (known: {known})", state=state,
                           known=", ".join(m.Message.STATES))
    query = (m.Message.select(m.Message, m.Member.card_no).join(m.Member)
             .order_by(m.Message.created_at.desc(), m.Message.id.desc()).limit(limit))
    if state is not None:
        query = query.where(m.Message.state == state)
    if campaign_id is not None:
        query = query.where(m.Message.campaign == campaign_id)
    return [_view(ctx, msg, msg.member.card_no) for msg in query]


def overview(ctx: Context, *, unknown_limit: int = 100) -> Outbox:
    """How many messages are in each state, and the unknown ones (a person decides)."""
    counts = dict.fromkeys(m.Message.STATES, 0)
    for state, n in (m.Message.select(m.Message.state, pw.fn.COUNT(m.Message.id))
                     .group_by(m.Message.state).tuples()):
        counts[state] = int(n)
    unknown = (m.Message.select(m.Message, m.Member.card_no).join(m.Member)
               .where(m.Message.state == "unknown")
               .order_by(m.Message.claimed_at, m.Message.id).limit(unknown_limit))
    return Outbox(counts, tuple(_view(ctx, msg, msg.member.card_no) for msg in unknown),
                  channels(ctx))


def attempts(message_id: object) -> list[AttemptView]:
    return [AttemptView(a.number, a.started_at, a.finished_at, a.outcome, a.detail, a.worker)
            for a in m.MessageAttempt.select().where(m.MessageAttempt.message == message_id)
            .order_by(m.MessageAttempt.number)]


def message_id(text: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(text).strip())
    except ValueError:
        raise NotFound("no such message") from None


def _message(message_id_: object) -> m.Message:
    msg = m.Message.get_or_none(m.Message.id == message_id(message_id_))
    if msg is None:
        raise NotFound("no such message")
    return msg


RESOLUTIONS = ("sent", "retry", "cancel")


def resolve(ctx: Context, message_id: object, how: str, approved_by: object) -> MessageView:
    """A person settles a message: ``sent`` (an unknown one did arrive), ``retry`` (an
    unknown or failed one did not: send it again now) or ``cancel`` (drop one that is
    queued, unknown or failed). Needs a manager; audited."""
    if how not in RESOLUTIONS:
        raise InvalidInput("settle a message as sent, retry or cancel")
    allowed = {"sent": ("unknown",), "retry": ("unknown", "failed"),
               "cancel": ("queued", "unknown", "failed")}[how]
    now = ctx.now()
    with write_transaction():
        require_approver(approved_by, Term("settling a message", "approval"))
        msg = _message(message_id)
        if msg.state not in allowed:
            raise InvalidInput("this message is {state}: only one that is {allowed} can be "
                               "settled so", state=Term(msg.state, "message state"),
                               allowed=" / ".join(allowed))
        changes: dict[pw.Field, object] = {m.Message.claim: None, m.Message.lease_until: None}
        if how == "sent":
            changes |= {m.Message.state: "sent", m.Message.sent_at: now,
                        m.Message.last_error: "confirmed by a person"}
        elif how == "retry":
            changes |= {m.Message.state: "queued", m.Message.next_attempt_at: now,
                        m.Message.attempts: 0, m.Message.last_error: "sent again by a person"}
        else:
            changes |= {m.Message.state: "cancelled", m.Message.last_error: "dropped by a person"}
        n = (m.Message.update(changes)
             .where((m.Message.id == msg.id) & (m.Message.state == msg.state)).execute())
        if not n:
            raise InvalidInput("this message changed meanwhile: look again")
        audit.record(ctx, "message_resolved", str(msg.id), approved_by=approved_by,
                     before={"state": msg.state}, after={"state": changes[m.Message.state]})
        card_no = m.Member.get_by_id(msg.member_id).card_no
    return _view(ctx, m.Message.get_by_id(msg.id), card_no)
