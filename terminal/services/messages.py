"""The messages members agreed to: an outbox the producers fill and a drain job empties.

Producers (``queue``, ``queue_campaign``) write a message for each live member who gave
marketing consent and has an address for a channel that is set up (e-mail first, then
SMS): points about to expire, a birthday perk, a tier change, a campaign's coupon (its
coupon group only: the hold-out group gets nothing). Each message has a ``dedupe_key``
(the kind, the member and the thing), unique in the table, so running a producer twice
queues nothing twice.

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

Every message carries the member's page link and a link to unsubscribe (``[web]
public_url``), and e-mail the List-Unsubscribe headers of RFC 8058 (one click, in the mail
program).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import socket
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import peewee as pw

from ..core import money
from ..core.errors import InvalidInput, NotFound
from ..core.i18n import Term, gettext_, ngettext
from ..db import models as m
from ..db.database import write_transaction
from ..loyalty import points as prules
from . import audit, import_batches, member_links
from .analytics import expiring_query
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
from .staff import require_approver

log = logging.getLogger(__name__)

CHUNK = 500  # members per statement when queueing
TIER_CHANGE_DAYS = 7  # a tier change this recent is news
LONGEST_WAIT = timedelta(hours=24)  # between tries of a message turned away for now
INTERRUPTED = "the sending job stopped before the server answered: check whether it arrived"
OPEN_STATES = ("queued", "sending", "unknown")  # not settled yet
COUNTED = ("sending", "sent", "unknown")  # what the daily limit counts


# -- the unsubscribe link ------------------------------------------------------------------

_UNSUBSCRIBE = re.compile(r"U1\.([0-9a-f]{32})\.([A-Z2-7]{26})")


def _signature(secret: bytes, installation: str, member_hex: str) -> str:
    digest = hmac.new(secret, f"U1.{installation}.{member_hex}".encode(),
                      hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:26]


def unsubscribe_token(ctx: Context, member_id: object) -> str:
    """``U1.<member id>.<signature>``: signed with the installation's secret, so no one can
    unsubscribe another member; by the member's id, so it outlives a replaced card."""
    installation, secret = ctx.installation()
    member_hex = uuid.UUID(str(member_id)).hex
    return f"U1.{member_hex}.{_signature(secret, installation, member_hex)}"


def unsubscribe_url(ctx: Context, member_id: object) -> str:
    root = ctx.settings.web.public_url
    if not root:
        raise InvalidInput("no [web] public_url in the settings: every message carries a "
                           "link to unsubscribe and the member's page, at that address")
    return f"{root.rstrip('/')}/u/{unsubscribe_token(ctx, member_id)}"


def _unsubscribing(ctx: Context, token: str) -> uuid.UUID:
    found = _UNSUBSCRIBE.fullmatch(token or "")
    if not found:
        raise member_links.LinkRefused("this link is not valid (any more): ask the shop for "
                                       "a new one")
    installation, secret = ctx.installation()
    if not hmac.compare_digest(found.group(2),
                               _signature(secret, installation, found.group(1))):
        raise member_links.LinkRefused("this link is not valid (any more): ask the shop for "
                                       "a new one")
    return uuid.UUID(found.group(1))


def check_unsubscribe(ctx: Context, token: str) -> None:
    """LinkRefused unless ``token`` is one of this installation's unsubscribe links."""
    _unsubscribing(ctx, token)


def unsubscribe(ctx: Context, token: str) -> bool:
    """The member of a genuine link gives no more consent, and their waiting messages are
    dropped; audited. True if they had consented until now (a second click changes
    nothing). LinkRefused for anything but a genuine link."""
    member_id = _unsubscribing(ctx, token)
    with write_transaction():
        member = m.Member.get_or_none(m.Member.id == member_id)
        if member is None:
            raise member_links.LinkRefused("this link is not valid (any more): ask the shop "
                                           "for a new one")
        was = bool(member.marketing_consent)
        if was:
            m.Member.update(marketing_consent=False).where(m.Member.id == member_id).execute()
        dropped = (m.Message.update(state="cancelled", last_error="unsubscribed")
                   .where((m.Message.member == member_id) & (m.Message.state == "queued"))
                   .execute())
        if was or dropped:
            try:
                audit.record(ctx, "member_unsubscribed", member.card_no,
                             before={"marketing_consent": was},
                             after={"marketing_consent": False, "messages_dropped": dropped})
            except audit.AuditKeyError:  # the member's wish first; the log says why not
                log.error("unsubscribed card %s without an audit entry: this machine has "
                          "no audit key", member.card_no)
    return was


# -- what a message says -------------------------------------------------------------------

def _language(ctx: Context) -> str:
    return ctx.settings.store.language


def _hello(lang: str, name: str) -> str:
    return gettext_(lang, "Hello {0},").format(name)


def _expiring_text(ctx: Context, name: str, pts: int, first: datetime) -> tuple[str, str]:
    lang = _language(ctx)
    rules = ctx.programme.points
    worth = money.format_amount(prules.points_value(pts, rules, ctx.currency), ctx.currency)
    body = ngettext(lang, "{n} point expires on {0}. It is worth {1}: use it at your next "
                          "visit.",
                    "{n} points expire on {0}. They are worth {1}: use them at your next "
                    "visit.", pts).format(f"{first:%Y-%m-%d}", worth, n=f"{pts:,}")
    return gettext_(lang, "Your points expire soon"), f"{_hello(lang, name)}\n\n{body}"


def _birthday_text(ctx: Context, name: str) -> tuple[str, str]:
    lang = _language(ctx)
    rules = ctx.programme.points
    lines = [gettext_(lang, "Happy birthday, and thank you for being our member!")]
    if rules.birthday_multiplier > 1:
        lines.append(gettext_(lang, "Around your birthday every purchase earns {0} times the "
                                    "points.").format(f"{rules.birthday_multiplier:g}"))
    perk = (m.CouponTemplate.select().where((m.CouponTemplate.auto_rule == "birthday")
                                           & m.CouponTemplate.active).first())
    if perk is not None:
        lines.append(gettext_(lang, "Show your member code in your birthday week and a "
                                    "birthday coupon is yours: {0}.").format(
            perk.name_zh_cn if lang == "zh_CN" and perk.name_zh_cn else perk.name))
    subject = gettext_(lang, "Happy birthday from {0}").format(ctx.settings.store.name)
    return subject, f"{_hello(lang, name)}\n\n" + "\n".join(lines)


def _tier_text(ctx: Context, name: str, tier_code: str, since: datetime) -> tuple[str, str]:
    lang = _language(ctx)
    tier = ctx.programme.tiers.by_code(tier_code).name_in(lang)
    body = gettext_(lang, "Since {0} your membership tier is {1}.").format(
        f"{since:%Y-%m-%d}", tier)
    return (gettext_(lang, "Your membership tier is now {0}").format(tier),
            f"{_hello(lang, name)}\n\n{body}")


def _campaign_text(ctx: Context, name: str, campaign: m.Campaign, code: str,
                   until: datetime) -> tuple[str, str]:
    lang = _language(ctx)
    lines = [campaign.message.strip()] if campaign.message.strip() else []
    lines.append(gettext_(lang, "Your coupon {0} is valid until {1}: show your member code "
                                "at the counter.").format(code, f"{until:%Y-%m-%d}"))
    subject = gettext_(lang, "An offer for you from {0}").format(ctx.settings.store.name)
    return subject, f"{_hello(lang, name)}\n\n" + "\n\n".join(lines)


def full_text(ctx: Context, message: m.Message, member: m.Member) -> str:
    """What the member reads: the message, their page and how to unsubscribe."""
    lang = _language(ctx)
    page = member_links.url(ctx, member)
    stop = unsubscribe_url(ctx, member.id)
    if message.channel == "sms":
        return (gettext_(lang, "[{0}] ").format(ctx.settings.store.name)
                + " ".join(message.body.split()) + " "
                + gettext_(lang, "Your card: {0}").format(page) + " "
                + gettext_(lang, "Unsubscribe: {0}").format(stop))
    shop = ctx.settings.store.name
    return "\n".join([
        message.body, "", "-- ", gettext_(lang, "Your membership card: {0}").format(page), "",
        gettext_(lang, "You receive this because you agreed to hear from {0}. To receive no "
                       "more messages: {1}").format(shop, stop)])


# -- queueing ------------------------------------------------------------------------------

@dataclass
class Queued:
    """What a producer did, member by member."""

    queued: int = 0
    already: int = 0  # queued before (the same thing, to the same member)
    no_consent: int = 0  # gave no marketing consent (or left: erased, merged)
    no_address: int = 0  # no address for a channel that is set up
    held_out: int = 0  # a campaign's hold-out group: nothing, on purpose
    by_kind: dict[str, int] = field(default_factory=dict)

    def add(self, other: Queued) -> None:
        for name in ("queued", "already", "no_consent", "no_address", "held_out"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, n in other.by_kind.items():
            self.by_kind[kind] = self.by_kind.get(kind, 0) + n


def channels(ctx: Context) -> tuple[str, ...]:
    """The channels the settings set up, in the order a member's address is chosen."""
    s = ctx.settings
    return tuple(c for c, on in (("email", s.email.configured), ("sms", s.sms.configured))
                 if on)


def _channel(ctx: Context, member: m.Member) -> tuple[str, str] | None:
    """(channel, address) for the member: e-mail if they gave one, else SMS."""
    for channel in channels(ctx):
        address = member.email if channel == "email" else member.phone
        if address:
            return channel, address
    return None


def require_setup(ctx: Context) -> None:
    if not channels(ctx):
        raise InvalidInput("no message can be sent: set up [email] (an SMTP server) or [sms] "
                           "(a gateway) in the settings")
    unsubscribe_url(ctx, uuid.UUID(int=0))  # says so if there is no public address


def _live(member: m.Member, hidden: frozenset[uuid.UUID]) -> bool:
    return (member.erased_at is None and member.merged_into_id is None
            and import_batches.shown(member.import_batch_id, hidden))


Draft = tuple[str, object, str, str]  # (dedupe key, campaign, subject, body)


def _enqueue(ctx: Context, kind: str, wanted: Iterable[tuple[object, Callable[[m.Member],
                                                                          Draft]]]) -> Queued:
    """Queue, for each (member id, draft), the draft's message if the member may have it."""
    done = Queued(by_kind={kind: 0})
    hidden = import_batches.hidden()
    items = list(wanted)
    now = ctx.now()
    for i in range(0, len(items), CHUNK):
        chunk = items[i:i + CHUNK]
        people = {mb.id: mb for mb in m.Member.select().where(
            m.Member.id.in_([mid for mid, _ in chunk]))}
        rows = []
        for mid, draft in chunk:
            member = people.get(mid)
            if member is None or not _live(member, hidden) or not member.marketing_consent:
                done.no_consent += 1
                continue
            route = _channel(ctx, member)
            if route is None:
                done.no_address += 1
                continue
            key, campaign, subject, body = draft(member)
            rows.append(dict(id=m.new_id(), **ctx.origin(), member=member.id, channel=route[0],
                             kind=kind, campaign=campaign, dedupe_key=key,
                             subject=subject[:200], body=body, state="queued",
                             next_attempt_at=now))
        with write_transaction():
            taken = {k for (k,) in m.Message.select(m.Message.dedupe_key).where(
                m.Message.dedupe_key.in_([r["dedupe_key"] for r in rows])).tuples()} \
                if rows else set()
            new = [r for r in rows if r["dedupe_key"] not in taken]
            if new:  # another producer's at the same moment: kept, this one ignored
                m.Message.insert_many(new).on_conflict_ignore().execute()
            made = m.Message.select().where(
                m.Message.id.in_([r["id"] for r in new])).count() if new else 0
        done.queued += made
        done.already += len(rows) - made
    done.by_kind[kind] = done.queued
    return done


def queue_points_expiring(ctx: Context) -> Queued:
    """A warning to each member whose points expire within ``expiry_warning_days``: once
    per first expiry date."""
    days = ctx.settings.messages.expiry_warning_days
    found = list(expiring_query(ctx.now(), days, 1_000_000))

    def draft(pts: int, first: datetime) -> Callable[[m.Member], Draft]:
        def make(member: m.Member) -> Draft:
            subject, body = _expiring_text(ctx, member.name, pts, first)
            return f"points_expiring:{member.id}:{first:%Y-%m-%d}", None, subject, body
        return make

    return _enqueue(ctx, "points_expiring", [
        (mid, draft(int(pts), datetime.fromisoformat(first) if isinstance(first, str)
                    else first)) for mid, pts, first in found])


def _week(today: date) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


def queue_birthdays(ctx: Context) -> Queued:
    """A birthday message to each member whose birthday falls this week (Monday to
    Sunday, as the counter's birthday week); once a year. 29 February counts on the 28th in
    a common year."""
    today = ctx.today()
    days = _week(today)
    keys = [m.Member.birthday_key_of(d) for d in days]
    if any(d.month == 2 and d.day == 28 for d in days) and not _leap(today.year):
        keys.append(m.Member.birthday_key_of(date(2000, 2, 29)))
    ids = [mid for (mid,) in m.Member.select(m.Member.id).where(
        m.Member.birthday.is_null(False) & m.Member.birthday_key().in_(keys)
        & m.Member.marketing_consent).tuples()]

    def make(member: m.Member) -> Draft:
        born = member.birthday
        # the day of this week it falls on names it: once a year, whatever the week's number
        day = next((d for d in days if (d.month, d.day) == (born.month, born.day)),
                   next((d for d in days if (d.month, d.day) == (2, 28)), today))
        subject, body = _birthday_text(ctx, member.name)
        return f"birthday:{member.id}:{day:%Y-%m-%d}", None, subject, body

    return _enqueue(ctx, "birthday", [(mid, make) for mid in ids])


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def queue_tier_changes(ctx: Context) -> Queued:
    """News of a tier change (an upgrade at the counter, the tier review's up or down) in
    the last week: once per tier and moment. A member's first tier, given at enrolment or
    an import, is no change."""
    now = ctx.now()
    changed = list(m.Member.select(m.Member.id, m.Member.tier, m.Member.tier_since,
                                   m.Member.created_at).where(
        (m.Member.tier_since > now - timedelta(days=TIER_CHANGE_DAYS))
        & m.Member.marketing_consent).tuples())

    def draft(tier: str, since: datetime) -> Callable[[m.Member], Draft]:
        def make(member: m.Member) -> Draft:
            subject, body = _tier_text(ctx, member.name, tier, since)
            return (f"tier_change:{member.id}:{tier}:{since:%Y%m%d%H%M%S}", None, subject,
                    body)
        return make

    return _enqueue(ctx, "tier_change", [
        (mid, draft(tier, since)) for mid, tier, since, created in changed
        if since - created > timedelta(minutes=1)])


def queue(ctx: Context, kinds: Iterable[str] | None = None) -> Queued:
    """The messages of every kind the settings turn on (``kinds``: these only)."""
    require_setup(ctx)
    s = ctx.settings.messages
    producers = {"points_expiring": (s.points_expiring, queue_points_expiring),
                 "birthday": (s.birthday, queue_birthdays),
                 "tier_change": (s.tier_change, queue_tier_changes)}
    asked = set(kinds) if kinds is not None else {k for k, (on, _) in producers.items() if on}
    unknown = asked - set(producers)
    if unknown:
        raise InvalidInput("no such kind of message: {kind}", kind=sorted(unknown)[0])
    total = Queued()
    for kind, (_, produce) in producers.items():
        if kind in asked:
            total.add(produce(ctx))
    return total


def queue_campaign(ctx: Context, campaign_id: object, approved_by: object) -> Queued:
    """The campaign's message with each coupon of its coupon group, to those of them who
    consent; the hold-out group gets nothing. Needs a manager; audited."""
    require_setup(ctx)
    campaign = m.Campaign.get_or_none(m.Campaign.id == campaign_id)
    if campaign is None:
        raise NotFound("no such campaign")
    require_approver(approved_by, Term("sending a campaign's message", "approval"))
    rows = list(m.CampaignMember.select(m.CampaignMember.member, m.CampaignMember.control,
                                        m.Coupon.code, m.Coupon.valid_until)
                .join(m.Coupon, pw.JOIN.LEFT_OUTER)
                .where(m.CampaignMember.campaign == campaign.id).tuples())

    def draft(code: str, until: datetime) -> Callable[[m.Member], Draft]:
        def make(member: m.Member) -> Draft:
            subject, body = _campaign_text(ctx, member.name, campaign, code, until)
            return f"campaign:{campaign.id}:{member.id}", campaign.id, subject, body
        return make

    done = _enqueue(ctx, "campaign", [(mid, draft(code, until))
                                      for mid, control, code, until in rows
                                      if not control and code is not None])
    done.held_out = sum(1 for _, control, _, _ in rows if control)
    with write_transaction():
        audit.record(ctx, "campaign_messages", campaign.name, approved_by=approved_by,
                     after={"queued": done.queued, "already": done.already,
                            "no_consent": done.no_consent, "no_address": done.no_address,
                            "held_out": done.held_out})
    return done


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
        if not _live(member, import_batches.hidden()) or not member.marketing_consent:
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


def outbox(ctx: Context, *, unknown_limit: int = 100) -> Outbox:
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
