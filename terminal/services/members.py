"""Enrol members and find them by signed code, card number, phone or name prefix."""

from __future__ import annotations

import functools
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import email_validator
import peewee as pw
import phonenumbers

from ..core.errors import DuplicatePhone, InvalidInput, MemberCodeError, NotFound
from ..core.i18n import Named
from ..db import models as m
from ..db import statements as q
from ..db.database import is_sqlite, write_transaction
from ..loyalty import codes, points, tiers
from ..loyalty.suggest import Suggestion, suggest
from . import member_links
from .context import Context
from .coupons import issue_welcome
from .ledger import add_points, batches, current_holder, live_points

NAME_MAX = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def normalize_phone(text: str, region: str = "CN") -> str:
    """E.164 form of a phone number a person typed; InvalidInput saying what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("a phone number is needed")
    raw = text.strip()
    if re.search(r"[^\d\s+\-().]", raw):
        raise InvalidInput("a phone number has only digits, spaces, +, - and brackets: "
                           "{raw!r}", raw=raw)
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise InvalidInput("{raw!r} is not a phone number", raw=raw) from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidInput("{raw!r} is not a valid phone number", raw=raw)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


EMAIL_MAX = 254  # the longest address SMTP carries (RFC 5321's path, less its brackets)


def normalize_email(text: str) -> str:
    """An e-mail address a person typed, as it is kept (its domain in lower case, an
    internationalised one as the mail servers write it); InvalidInput saying what is wrong.
    Only its form is checked: no look-up of the domain at the counter."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("an e-mail address is needed")
    raw = readable(text.strip())
    try:
        found = email_validator.validate_email(raw, check_deliverability=False)
    except email_validator.EmailNotValidError:
        raise InvalidInput("{raw!r} is not an e-mail address", raw=raw[:60]) from None
    if len(found.normalized) > EMAIL_MAX:
        raise InvalidInput("an e-mail address has at most {most} characters", most=EMAIL_MAX)
    return found.normalized


def mask_email(address: str | None) -> str:
    """z***@example.com: the mailbox hidden but its first letter, as a phone is masked."""
    if not address:
        return ""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"


@functools.lru_cache(maxsize=1024)
def _country_code_size(head: str) -> int:
    """How many of ``head``'s digits (the first three of an E.164 number's) are its
    country code; 0 if none is."""
    for size in (1, 2, 3):
        if int(head[:size]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return size
    return 0


def _national_digits(e164: str, region: str) -> str:
    """The number without its country code. A stored number is E.164, whose country codes
    no one of which begins another: read it off without a full parse (a list of thousands of
    members is masked in milliseconds); anything else goes through phonenumbers."""
    digits = e164[1:]
    if e164[:1] == "+" and digits.isascii() and digits.isdigit() and digits[:1] != "0":
        size = _country_code_size(digits[:3])
        if size:
            rest = digits[size:]
            return str(int(rest)) if rest else ""  # int: an Italian leading zero goes
    try:
        return str(phonenumbers.parse(e164, region).national_number)
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", e164)


def mask_phone(e164: str | None, region: str = "CN") -> str:
    """138****1234: the middle digits hidden, on screen and on paper."""
    if not e164:
        return ""
    national = _national_digits(e164, region)
    if len(national) <= 4:
        return "*" * len(national)
    keep_head = 3 if len(national) >= 10 else max(0, len(national) - 8)
    hidden = len(national) - keep_head - 4
    return national[:keep_head] + "*" * hidden + national[-4:]


def readable(text: str) -> str:
    """``text``, if both database drivers can store and compare it: a lone surrogate (half
    of an emoji from a broken paste, or a scanner's stray bytes) is no UTF-8 at all."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput("this text has a broken character: type it again") from None
    return text


def clean_name(name: str) -> str:
    if not isinstance(name, str):
        raise InvalidInput("a name is needed")
    readable(name)
    cleaned = " ".join(_CONTROL.sub("", unicodedata.normalize("NFC", name)).split())
    if not cleaned:
        raise InvalidInput("a name is needed")
    if len(cleaned) > NAME_MAX:
        raise InvalidInput("a name has at most {most} characters", most=NAME_MAX)
    return cleaned


def name_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


@dataclass(frozen=True)
class EnrolRequest:
    name: str
    phone: str
    birthday: date | None = None
    marketing_consent: bool = False
    referral_code: str | None = None
    email: str | None = None  # optional: where the messages they agree to may go


def _unique_code(field: pw.Field, make: object) -> str:
    for _ in range(20):
        value = make()  # type: ignore[operator]
        if not m.Member.select().where(field == value).exists():
            return str(value)
    raise RuntimeError("could not find a free code")  # pragma: no cover - 1 in 10^100


def enrol(ctx: Context, req: EnrolRequest) -> m.Member:
    """A new member, no purchase needed. A phone already enrolled is refused."""
    name = clean_name(req.name)
    phone = normalize_phone(req.phone, ctx.settings.store.phone_region)
    email = normalize_email(req.email) if req.email and req.email.strip() else None
    today = ctx.today()
    if req.birthday is not None:
        if not isinstance(req.birthday, date) or isinstance(req.birthday, datetime):
            raise InvalidInput("birthday must be a date")
        if req.birthday > today or req.birthday.year < 1900:
            raise InvalidInput("birthday {birthday} is not possible", birthday=req.birthday)
    with write_transaction():
        existing = m.Member.get_or_none(m.Member.phone == phone)
        if existing is not None:
            raise DuplicatePhone(
                "{phone} is already enrolled (card {card_no})",
                member_id=existing.id, phone=mask_phone(phone), card_no=existing.card_no)
        referrer = None
        if req.referral_code and req.referral_code.strip():
            code = req.referral_code.strip().upper()
            referrer = m.Member.get_or_none(m.Member.referral_code == code)
            if referrer is None or referrer.erased_at is not None:
                raise InvalidInput("no member has the referral code {code!r}", code=code)
        now = ctx.now()
        member = m.Member.create(
            **ctx.origin(),
            card_no=_unique_code(m.Member.card_no, codes.new_card_number),
            name=name, name_key=name_key(name), phone=phone, birthday=req.birthday,
            marketing_consent=bool(req.marketing_consent), email=email,
            referral_code=_unique_code(m.Member.referral_code,
                                       lambda: "R" + codes.new_coupon_code()[:7]),
            referred_by=referrer, tier=ctx.programme.tiers.base.code, tier_since=now)
        if referrer is not None and ctx.programme.referral.referee_points:
            add_points(ctx, member.id, ctx.programme.referral.referee_points, "welcome",
                       reason=f"referred by {referrer.card_no}")
        issue_welcome(ctx, member.id)
    return m.Member.get_by_id(member.id)


def member_code(ctx: Context, member: m.Member) -> str:
    installation, secret = ctx.installation()
    return codes.member_code(secret, installation, member.card_no)


def page_url(ctx: Context, member: m.Member) -> str:
    """The member's own page (a signed link, services.member_links) at the shop's public
    address; "" when the shop publishes none."""
    return member_links.url(ctx, member) if ctx.settings.web.public_url else ""


def rotating_code(ctx: Context, member: m.Member) -> str:
    installation, secret = ctx.installation()
    return codes.rotating_member_code(secret, installation, member.card_no, ctx.now())


def _live(member: m.Member | None, *, card: str = "", phone: str = "") -> m.Member:
    if member is None and card:
        retired = m.RetiredCard.get_or_none(m.RetiredCard.card_no == card)
        if retired is not None:
            raise MemberCodeError(MemberCodeError.REPLACED,
                                  "This card was replaced by card {card}.",
                                  card=current_holder(retired.member).card_no)
    if member is not None and member.import_batch_id is not None and not (
            m.ImportBatch.select().where((m.ImportBatch.id == member.import_batch_id)
                                         & (m.ImportBatch.state == "done")).exists()):
        raise MemberCodeError(MemberCodeError.UNKNOWN_MEMBER,
                              "this member is in an import still under way; they can be "
                              "served when it is complete")
    if member is not None and member.merged_into_id is not None:
        raise MemberCodeError(MemberCodeError.MERGED, "This card was merged into card {card}.",
                              card=current_holder(member).card_no)
    if member is None and phone:
        raise MemberCodeError(MemberCodeError.UNKNOWN_MEMBER, "no member has phone {phone}",
                              phone=phone)
    if member is None:
        raise MemberCodeError(MemberCodeError.UNKNOWN_MEMBER, "no member has card {card}",
                              card=card)
    if member.erased_at is not None and phone:
        raise MemberCodeError(MemberCodeError.ERASED,
                              "the member with phone {phone} has been erased at their request",
                              phone=phone)
    if member.erased_at is not None:
        raise MemberCodeError(MemberCodeError.ERASED,
                              "the member with card {card} has been erased at their request",
                              card=card)
    return member


def identify(ctx: Context, payload: str) -> m.Member:
    """The one member a scanned code, a card number or a full phone number names."""
    if not isinstance(payload, str) or not payload.strip():
        raise InvalidInput("nothing to look up")
    text = payload.strip()
    kind = codes.classify(text)
    if kind == "member":
        installation, secret = ctx.installation()
        card = codes.verify_member_code(text, secret, installation, ctx.now())
        return _live(q.member_by_card.first(card), card=card)
    if kind == "card":
        return _live(q.member_by_card.first(text), card=text)
    if kind == "coupon":
        raise InvalidInput("this is a coupon, not a member code")
    try:
        phone = normalize_phone(text, ctx.settings.store.phone_region)
    except InvalidInput:
        raise MemberCodeError(MemberCodeError.MALFORMED,
                              "{text!r} is not a member code, card or phone number",
                              text=text[:40]) from None
    return _live(q.member_by_phone.first(phone), phone=mask_phone(phone))


def search(ctx: Context, query: str, limit: int = 20) -> list[m.Member]:
    """Members matching a code, card, phone or the start of a name (live members only)."""
    text = readable((query or "").strip())
    if not text:
        return []
    if codes.classify(text) != "unknown":
        return [identify(ctx, text)]  # a code or card number: a bad one is an error
    try:
        return [identify(ctx, text)]
    except MemberCodeError as exc:
        if exc.reason != MemberCodeError.MALFORMED:
            raise
    return list(m.Member.select().where(_named(text)).order_by(m.Member.name_key)
                .limit(limit))


def count_named(query: str) -> int:
    """How many live members' names start with ``query`` (search shows the first few)."""
    return m.Member.select().where(_named(readable(query.strip()))).count()


def _named(text: str) -> pw.Expression:
    """Live (not erased, not merged) members whose name starts with ``text``."""
    return name_starts(text) & m.Member.live()


def name_starts(text: str) -> pw.Expression:
    """Members whose name starts with ``text`` (any case), as the name index can find them."""
    key = name_key(text)
    if is_sqlite():
        return (m.Member.name_key >= key) & (m.Member.name_key < key + "\U0010ffff")
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return pw.Expression(m.Member.name_key, "LIKE", escaped + "%")


def get_member(member_id: uuid.UUID | str) -> m.Member:
    member = m.Member.get_or_none(m.Member.id == member_id)
    if member is None:
        raise NotFound("no such member")
    return member


def qualifying_spend(ctx: Context, member_id: object, now: datetime | None = None) -> int:
    since = tiers.qualifying_since(now or ctx.now(), ctx.programme.tiers)
    return int(q.spend_since.scalar(member_id, since) or 0)


@dataclass(frozen=True)
class Expiring:
    points: int
    expires_at: datetime


def expiring_points(ctx: Context, member_id: object, days: int = 30) -> list[Expiring]:
    """Live batches that expire within ``days``, soonest first, grouped by date."""
    due = points.expiring(batches(member_id), ctx.now(), days)
    return [Expiring(pts, at) for at, pts in due]


@dataclass(frozen=True)
class PunchView:
    id: uuid.UUID
    name: str
    visits_left: int
    visits_total: int
    expires_at: datetime | None


@dataclass(frozen=True)
class CouponView(Named):
    code: str
    name: str  # English; name_in(language) for the reader's
    valid_until: datetime
    names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class MemberView:
    """What the counter shows about a member (phone masked)."""

    id: uuid.UUID
    card_no: str
    name: str
    phone_masked: str
    tier_code: str
    tier_name: str
    tier_discount_percent: str
    next_tier_name: str | None
    spend_to_next_tier: int
    points_balance: int
    points_value: int
    stored_value_balance: int
    punch_cards: tuple[PunchView, ...]
    coupons: tuple[CouponView, ...]
    expiring: tuple[Expiring, ...]
    birthday_this_week: bool
    new_member: bool
    lapsed: bool
    referral_code: str
    member_code: str
    suggestion: Suggestion | None = None
    page_url: str = ""  # the member's own page, when the shop publishes it ([web] public_url)
    next_tier_threshold: int = 0


LAPSED_DAYS = 90
NEW_DAYS = 30


def view(ctx: Context, member_id: object) -> MemberView:
    member = get_member(member_id)  # type: ignore[arg-type]
    now = ctx.now()
    rules = ctx.programme
    tier = rules.tiers.by_code(member.tier)
    language = ctx.settings.store.language  # the counter's: tiers named as it reads them
    spend = qualifying_spend(ctx, member.id, now)
    nxt, missing = tiers.progress(member.tier, spend, rules.tiers)
    cards = tuple(
        PunchView(c.id, c.name, c.visits_left, c.visits_total, c.expires_at)
        for c in q.live_punch_cards.rows(member.id, now))
    coupons = tuple(
        CouponView(c.code, c.template.name, c.valid_until, c.template.names)
        for c in m.Coupon.select(m.Coupon, m.CouponTemplate).join(m.CouponTemplate)
        .where((m.Coupon.member == member.id) & (m.Coupon.status == "issued")
               & (m.Coupon.valid_from <= now) & (m.Coupon.valid_until > now))
        .order_by(m.Coupon.valid_until))
    birthday_week = points.is_birthday(member.birthday, now.date(), "week")
    live = live_points(ctx, member.id)  # the cached balance may still hold expired points
    value = points.points_value(live, rules.points, ctx.currency)
    expiring = tuple(expiring_points(ctx, member.id, 30))
    last = member.last_visit_at
    hint = suggest(
        expiring_points=sum(e.points for e in expiring),
        expiring_on=expiring[0].expires_at if expiring else None, coupons=len(coupons),
        spend_to_next_tier=missing, next_tier_threshold=nxt.threshold if nxt else 0,
        next_tier_name=nxt.name_in(language) if nxt else None, points=live,
        points_value=value,
        min_redeem=rules.points.redeem_min_points)
    return MemberView(
        id=member.id, card_no=member.card_no, name=member.name,
        phone_masked=mask_phone(member.phone, ctx.settings.store.phone_region),
        tier_code=tier.code, tier_name=tier.name_in(language),
        tier_discount_percent=str(tier.discount_percent),
        next_tier_name=nxt.name_in(language) if nxt else None, spend_to_next_tier=missing,
        next_tier_threshold=nxt.threshold if nxt else 0,
        points_balance=live, points_value=value,
        stored_value_balance=member.stored_value_balance,
        punch_cards=cards, coupons=coupons, expiring=expiring,
        birthday_this_week=birthday_week,
        new_member=now - member.created_at < timedelta(days=NEW_DAYS),
        lapsed=last is not None and now - last > timedelta(days=LAPSED_DAYS),
        referral_code=member.referral_code,
        member_code=member_code(ctx, member), suggestion=hint,
        page_url=page_url(ctx, member),
    )
