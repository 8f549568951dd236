"""What the member's pages show, in the reader's language: built from the services the
counter uses, as plain values for the templates (which escape everything they print)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg

from ..core import money
from ..core.config import LANGUAGES
from ..core.i18n import gettext_, name_in, ngettext
from ..db import models as m
from ..services import member_directory, members
from ..services.context import Context

VISITS = 5  # the last visits shown
LANGUAGE_NAMES = {"en": "English", "zh_CN": "中文"}  # each in its own language


def language_of(asked: str | None, accept: str, default: str) -> str:
    """``?lang=`` if it is one of ours, else the browser's first language we have, else
    the shop's."""
    if asked in LANGUAGES:
        return asked
    for part in accept.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh_CN"
        if tag.startswith("en"):
            return "en"
    return default


def query(**values: str) -> str:
    """``?a=1&b=2`` of the values that are not empty ("" when none is)."""
    kept = {k: v for k, v in values.items() if v}
    return "?" + urlencode(kept) if kept else ""


def join_words(lang: str) -> dict[str, str]:
    """The join form's and the waiting page's words."""
    return {
        "title": gettext_(lang, "Join"),
        "intro": gettext_(lang, "Become a member: no purchase needed. A cashier confirms "
                                "your membership at the counter."),
        "name": gettext_(lang, "Name"), "phone": gettext_(lang, "Mobile phone"),
        "birthday": gettext_(lang, "Birthday (optional, for a birthday treat)"),
        "referral": gettext_(lang, "A friend's referral code (optional)"),
        "consent": gettext_(lang, "I agree to receive offers and news from the shop (you "
                                  "can stop them at any time)"),
        "send": gettext_(lang, "Join"),
        "waiting_title": gettext_(lang, "Almost there"),
        "waiting_name": gettext_(lang, "Almost there, {0}"),
        "waiting": gettext_(lang, "Show this code at the counter: the cashier confirms your "
                                  "membership, and this page then opens your card."),
        "kept": gettext_(lang, "Keep this page open. Not confirmed within a day, the join "
                               "is dropped."),
        "sms": gettext_(lang, "Or type the code we sent to your phone"),
        "confirm": gettext_(lang, "Confirm"),
    }


def qr_svg(payload: str) -> str:
    """``payload`` as an inline SVG QR code (black on white, a quiet zone of 4)."""
    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(payload)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out)
    text = out.getvalue().decode()
    return text[text.index("<svg"):]  # no XML declaration inside the page


@dataclass(frozen=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True)
class MemberPage:
    lang: str
    title: str
    shop: str
    name: str
    card: str  # "Card 4370573315" (a bare "Card" is the bank card one pays with: 银行卡)
    tier: str
    code_svg: str  # the rotating member code
    code_hint: str
    facts: tuple[Line, ...]  # points and their value, stored value
    expiring: tuple[str, ...]
    punch_cards: tuple[str, ...]
    coupons: tuple[str, ...]
    visits: tuple[Line, ...]
    friend_title: str
    friend_text: str
    friend_url: str  # the join form with the member's referral code in it
    friend_svg: str  # the same as a QR code, for the friend's phone
    words: dict[str, str]  # headings


def _when(at: datetime) -> str:
    # non-breaking hyphens (U+2011): a phone's narrow line never splits a date "2027-/02-03"
    return f"{at:%Y-%m-%d}".replace("-", "\u2011")


def member_page(ctx: Context, member: m.Member, lang: str, root: str) -> MemberPage:
    """``root``: the address the service is reached at, for the friend's join link."""
    view = members.view(ctx, member.id)
    rules = ctx.programme
    cur = ctx.currency

    def amount(value: int) -> str:
        return money.format_amount(value, cur)

    worth = ngettext(lang, "{n} point, worth {0}", "{n} points, worth {0}",
                     view.points_balance)
    facts = [Line(gettext_(lang, "Points"),
                  worth.format(amount(view.points_value), n=f"{view.points_balance:,}"))]
    if view.stored_value_balance:
        facts.append(Line(gettext_(lang, "Stored value"), amount(view.stored_value_balance)))
    expiring = tuple(ngettext(lang, "{n} point expires on {0}", "{n} points expire on {0}",
                              e.points).format(_when(e.expires_at), n=f"{e.points:,}")
                     for e in view.expiring)
    left = gettext_(lang, "{0}: {1} of {2} visits left")
    cards = tuple(left.format(c.name, c.visits_left, c.visits_total) for c in view.punch_cards)
    until = gettext_(lang, "{0}, valid until {1}")
    coupons = tuple(until.format(name_in(c.name, c.names, lang), _when(c.valid_until))
                    for c in view.coupons)
    history = member_directory.history(ctx, member.id, limit=VISITS)
    visits = tuple(Line(_when(s.at), amount(s.total))
                   for s in history.sales if s.kind == "sale")[:VISITS]
    referral = rules.referral
    friend = gettext_(lang, "Give a friend your code {0} when they join: they get {1} "
                            "points, and you get {2} points at their first purchase. Or let "
                            "them scan this, or send them the link.").format(
        view.referral_code, referral.referee_points, referral.referrer_points)
    friend_url = f"{root.rstrip('/')}/join{query(ref=view.referral_code, lang=lang)}"
    return MemberPage(
        lang=lang, title=gettext_(lang, "My membership card"), shop=ctx.settings.store.name,
        name=member.name, card=gettext_(lang, "Card {0}").format(member.card_no),
        tier=rules.tiers.by_code(view.tier_code).name_in(lang),
        code_svg=qr_svg(members.rotating_code(ctx, member)),
        code_hint=gettext_(lang, "Show this code at the counter. It changes every minute, "
                                 "so a screenshot of it stops working."),
        facts=tuple(facts), expiring=expiring, punch_cards=cards, coupons=coupons,
        visits=visits, friend_title=gettext_(lang, "Bring a friend"), friend_text=friend,
        friend_url=friend_url, friend_svg=qr_svg(friend_url),
        words={"expiring": gettext_(lang, "Expiring soon"),
               "punch": gettext_(lang, "Punch cards"), "coupons": gettext_(lang, "Coupons"),
               "visits": gettext_(lang, "Last visits"), "none": gettext_(lang, "None")})
