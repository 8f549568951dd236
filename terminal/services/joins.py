"""Joining from the member's phone (``GET /join`` of ``member-terminal serve``).

Someone fills in the form on their phone; they wait as a *pending* join until a cashier
confirms them at the counter with one key (being at the counter proves the person is
real), and their phone then opens their own member's page. A pending join is nobody's
member yet:

* it never takes a phone number from a member: the form answers the same whether the
  number is a member's or not (nothing tells who is enrolled), and the counter refuses to
  confirm a number a member already has, naming that member's card to the cashier;
* one phone waits once (a second form for the same number replaces the first);
* not confirmed within a day (``KEPT``), it is dropped; so is a confirmed one, whose
  phone has had a day to open the member's page;
* a flood is held off: at most ``PER_CLIENT`` joins wait from one address, ``MOST`` in all.

With an SMS gateway (``[sms]``), the phone is also sent a six-digit code: typed on the
waiting page, it confirms the join without the counter (the phone number is proven to be
the joiner's). A phone gets a new code at most every ``CODE_AGAIN`` (a form sent again
within it keeps the code already sent, so nobody can flood a number with messages), and
``CODE_TRIES`` wrong codes leave only the counter.

The phone holds a random token (``J1.`` + 120 bits in base32, shown to the cashier as a QR
code the counter's scanner reads); the database keeps only its SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..core.errors import Conflict, DuplicatePhone, InvalidInput, NotFound
from ..core.i18n import gettext_
from ..db import models as m
from ..db.database import write_transaction
from ..loyalty.codes import JOIN_PREFIX
from . import delivery, member_links, members
from .context import Context

log = logging.getLogger(__name__)

KEPT = timedelta(days=1)  # a join not confirmed by then is dropped
PER_CLIENT = 3  # joins waiting from one address
MOST = 500  # joins waiting in all: more is a flood, not a queue at the counter
SHOWN = 5  # joins the counter lists
CODE_TRIES = 5  # wrong codes typed before only the counter can confirm
CODE_AGAIN = timedelta(minutes=10)  # a phone gets a new code at most this often


class JoinsFull(Conflict):
    """Too many joins are waiting (from this address, or in all)."""

    code = "joins_full"


class JoinRefused(NotFound):
    """A join token that is not (or no longer) waiting: one message for all."""

    code = "join_refused"


@dataclass(frozen=True)
class JoinForm:
    """What the phone's form sent, as text (checked here, not in the web layer)."""

    name: str
    phone: str
    birthday: str = ""  # YYYY-MM-DD, or empty
    consent: bool = False
    referral_code: str = ""


@dataclass(frozen=True)
class Waiting:
    """A pending join as the counter shows it."""

    id: uuid.UUID
    name: str
    phone_masked: str
    birthday: date | None
    created_at: datetime


@dataclass(frozen=True)
class JoinState:
    """What the phone's waiting page shows: its code, or the member's page once
    confirmed."""

    name: str
    code: str  # the J1 code the counter scans
    member_link: str | None  # the member's page token, once confirmed
    by_sms: bool = False  # a code was sent to the phone: typing it confirms the join


def _hash(token: str) -> str:
    return hashlib.sha256(token.strip().upper().encode()).hexdigest()


def _birthday(text: str, today: date) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("{text!r} is not a date (year-month-day)", text=text[:20]) from None
    if day > today or day.year < 1900:
        raise InvalidInput("birthday {birthday} is not possible", birthday=day)
    return day


def _referral(text: str) -> str | None:
    code = (text or "").strip().upper()
    if not code:
        return None
    referrer = m.Member.get_or_none(m.Member.referral_code == code)
    if referrer is None or referrer.erased_at is not None:
        raise InvalidInput("no member has the referral code {code!r}", code=code[:16])
    return code


def drop_stale(ctx: Context) -> int:
    """Drop the joins older than a day (confirmed or not); how many went."""
    with write_transaction():
        return int(m.PendingJoin.delete().where(
            m.PendingJoin.created_at < ctx.now() - KEPT).execute())


def _code_hash(ctx: Context, phone: str, code: str) -> str:
    return hmac.new(ctx.installation()[1], f"join.{phone}.{code}".encode(),
                    hashlib.sha256).hexdigest()


def submit(ctx: Context, form: JoinForm, client: str) -> str:
    """Keep a join waiting for the counter (and, with an SMS gateway, send the phone its
    code); the token the phone keeps (``J1.…``)."""
    name = members.clean_name(form.name)
    phone = members.normalize_phone(form.phone, ctx.settings.store.phone_region)
    birthday = _birthday(form.birthday, ctx.today())
    now = ctx.now()
    token = JOIN_PREFIX + base64.b32encode(secrets.token_bytes(15)).decode()
    client = (client or "?")[:64]
    with write_transaction():
        referral = _referral(form.referral_code)
        m.PendingJoin.delete().where(m.PendingJoin.created_at < now - KEPT).execute()
        # the same phone again: the new form replaces the one before (and keeps a code
        # sent to it lately, so that sending forms does not send messages)
        before = m.PendingJoin.get_or_none((m.PendingJoin.phone == phone)
                                           & (m.PendingJoin.state == "pending"))
        code = None
        kept_code: dict[str, object] = {}
        if before is not None and before.code_sent_at is not None \
                and before.code_sent_at > now - CODE_AGAIN:
            kept_code = {"code_hash": before.code_hash, "code_sent_at": before.code_sent_at,
                         "code_tries": before.code_tries}
        elif ctx.settings.sms.configured:  # sent once the join is saved (code_sent_at then)
            code = f"{secrets.randbelow(10 ** 6):06d}"
            kept_code = {"code_hash": _code_hash(ctx, phone, code)}
        m.PendingJoin.delete().where((m.PendingJoin.phone == phone)
                                     & (m.PendingJoin.state == "pending")).execute()
        waiting = m.PendingJoin.select().where(m.PendingJoin.state == "pending")
        if waiting.where(m.PendingJoin.client == client).count() >= PER_CLIENT:
            raise JoinsFull("too many joins are waiting from this network: ask at the "
                            "counter")
        if waiting.count() >= MOST:
            raise JoinsFull("too many joins are waiting: ask at the counter")
        row = m.PendingJoin.create(
            created_at=now, token_hash=_hash(token), name=name, phone=phone,
            birthday=birthday, marketing_consent=bool(form.consent), referral_code=referral,
            client=client, state="pending", **kept_code)
    if code is not None:
        _send_code(ctx, row, code)
    return token


def _send_code(ctx: Context, row: m.PendingJoin, code: str) -> None:
    """The code by SMS, after the join is saved, and the time it went (or may have gone:
    the page then offers the box to type it in). One that certainly did not go, or whose
    sending was cut off (the service killed), leaves the counter as the way to confirm,
    and a form sent again sends a new code."""
    lang, shop = ctx.settings.store.language, ctx.settings.store.name
    text = gettext_(lang, "{0}: {1} is your code to join. Type it on the page you joined "
                          "on; it is good for a day.").format(shop, code)
    try:
        delivery.SmsTransport(ctx.settings.sms).send(delivery.Outgoing(
            str(row.id), row.phone, "", text, "", shop))
    except delivery.Unknown as exc:  # it may have arrived: the box is shown
        log.warning("join code for %s: %s", members.mask_phone(row.phone), exc)
    except delivery.Failed as exc:
        log.warning("join code for %s not sent: %s", members.mask_phone(row.phone), exc)
        with write_transaction():
            m.PendingJoin.update(code_hash=None).where(m.PendingJoin.id == row.id).execute()
        return
    with write_transaction():
        m.PendingJoin.update(code_sent_at=ctx.now()).where(
            m.PendingJoin.id == row.id).execute()


def _kept(ctx: Context) -> object:
    return m.PendingJoin.created_at >= ctx.now() - KEPT


def state(ctx: Context, token: str) -> JoinState:
    """The phone's join, by its token; JoinRefused when it is unknown or dropped."""
    row = m.PendingJoin.get_or_none((m.PendingJoin.token_hash == _hash(token or ""))
                                    & _kept(ctx))
    if row is None:
        raise JoinRefused("this join is not waiting (any more): fill in the form again, or "
                          "ask at the counter")
    link = None
    if row.state == "confirmed" and row.member_id is not None:
        member = m.Member.get_by_id(row.member_id)
        link = member_links.token(ctx, member)
    return JoinState(row.name, token.strip().upper(), link,
                     by_sms=row.code_sent_at is not None and row.code_hash is not None
                     and row.code_tries < CODE_TRIES)


def _view(ctx: Context, row: m.PendingJoin) -> Waiting:
    return Waiting(row.id, row.name,
                   members.mask_phone(row.phone, ctx.settings.store.phone_region),
                   row.birthday, row.created_at)


def waiting(ctx: Context, limit: int = SHOWN) -> tuple[list[Waiting], int]:
    """The newest joins waiting for the counter (``limit`` of them), and how many wait."""
    rows = m.PendingJoin.select().where((m.PendingJoin.state == "pending") & _kept(ctx))
    shown = [_view(ctx, r) for r in rows.order_by(m.PendingJoin.created_at.desc(),
                                                         m.PendingJoin.id.desc())
             .limit(limit)]
    return shown, (len(shown) if len(shown) < limit else rows.count())


def find(ctx: Context, code: str) -> Waiting:
    """The waiting join the phone's code names (scanned at the counter)."""
    row = m.PendingJoin.get_or_none((m.PendingJoin.token_hash == _hash(code or ""))
                                    & _kept(ctx))
    if row is None or row.state != "pending":
        raise JoinRefused("this join is not waiting (any more): it was confirmed already, "
                          "or dropped after a day; the customer can fill in the form "
                          "again")
    return _view(ctx, row)


def for_phone(ctx: Context, phone: str) -> Waiting | None:
    """The join waiting with this (normalized) phone number, if any."""
    row = m.PendingJoin.get_or_none((m.PendingJoin.phone == phone)
                                    & (m.PendingJoin.state == "pending") & _kept(ctx))
    return None if row is None else _view(ctx, row)


def confirm_by_code(ctx: Context, token: str, code: str) -> m.Member:
    """The phone types the code it was sent: the join is confirmed as at the counter."""
    row = m.PendingJoin.get_or_none((m.PendingJoin.token_hash == _hash(token or ""))
                                    & (m.PendingJoin.state == "pending") & _kept(ctx))
    if row is None or row.code_hash is None or row.code_sent_at is None:
        raise JoinRefused("this join is not waiting (any more): fill in the form again, or "
                          "ask at the counter")
    with write_transaction():  # every try counted first, in one step: guesses sent at
        counted = m.PendingJoin.update(  # once cannot pass the limit together
            code_tries=m.PendingJoin.code_tries + 1).where(
            (m.PendingJoin.id == row.id) & (m.PendingJoin.code_tries < CODE_TRIES)).execute()
    if counted != 1:
        raise JoinsFull("too many wrong codes: the cashier can confirm your join at the "
                        "counter")
    typed = "".join(ch for ch in (code or "") if not ch.isspace())[:12]
    if not hmac.compare_digest(_code_hash(ctx, row.phone, typed), row.code_hash):
        raise InvalidInput("this is not the code sent to your phone: check it and type it "
                           "again")
    return confirm(ctx, row.id)


def confirm(ctx: Context, join_id: object) -> m.Member:
    """The cashier confirms a waiting join: the person is enrolled, as at the counter
    (welcome coupon, referral points). Once only, whichever terminal is first; a phone a
    member already has is refused (DuplicatePhone, naming the card) and the join dropped."""
    try:
        with write_transaction():
            # the claim: of two terminals confirming at once, one changes the row
            claimed = m.PendingJoin.update(state="confirmed", confirmed_at=ctx.now()).where(
                (m.PendingJoin.id == join_id) & (m.PendingJoin.state == "pending")
                & _kept(ctx)).execute()
            if claimed != 1:
                raise JoinRefused("this join is not waiting any more: it was confirmed "
                                  "(perhaps at another terminal) or dropped after a day")
            row = m.PendingJoin.get_by_id(join_id)
            member = members.enrol(ctx, members.EnrolRequest(
                row.name, row.phone, row.birthday, bool(row.marketing_consent),
                row.referral_code))
            m.PendingJoin.update(member=member.id).where(
                m.PendingJoin.id == join_id).execute()
    except DuplicatePhone:
        with write_transaction():  # the join can never be confirmed: it goes
            m.PendingJoin.delete().where(m.PendingJoin.id == join_id).execute()
        raise
    return member
