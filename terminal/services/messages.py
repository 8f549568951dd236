"""The messages members agreed to: the producers that fill the outbox (services.outbox sends
them), the texts, and the unsubscribe link.

Producers (``queue``, ``queue_campaign``) write a message for each live member who gave
marketing consent and has an address for a channel that is set up (e-mail first, then
SMS): points about to expire, a birthday perk, a tier change, a campaign's coupon (its
coupon group only: the hold-out group gets nothing). Each message has a ``dedupe_key``
(the kind, the member and the thing), unique in the table, so running a producer twice
queues nothing twice.

Every message carries the member's page link and a link to unsubscribe (``[web]
public_url``), and e-mail the List-Unsubscribe headers of RFC 8058 (one click, in the mail
program).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
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
from .staff import require_approver

log = logging.getLogger(__name__)

CHUNK = 500  # members per statement when queueing
TIER_CHANGE_DAYS = 7  # a tier change this recent is news
OPEN_STATES = ("queued", "sending", "unknown")  # not settled yet


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


def is_live(member: m.Member, hidden: frozenset[uuid.UUID]) -> bool:
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
            if member is None or not is_live(member, hidden) or not member.marketing_consent:
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
