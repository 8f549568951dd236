"""The member's own link to their page (``member-terminal serve``): signed, per member,
revocable. Never a phone number or a card number alone: the link carries the card and a
signature only this installation can make (HMAC-SHA256 with the member-code secret, 128
bits kept), so links cannot be guessed or listed; a revoked link (the member lost their
phone, a link was forwarded) stops working at once and a new one is made.

Form: ``L1.<card>.<version>.<signature>``; ``version`` is the member's ``link_version``,
raised by ``revoke``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from ..core.errors import InvalidInput, NotFound
from ..db import models as m
from ..db import statements as q
from ..db.database import write_transaction
from . import audit
from .context import Context
from .staff import require_approver

_TOKEN = re.compile(r"L1\.([0-9]{6,16})\.([0-9]{1,9})\.([A-Z2-7]{26})")


def _signature(secret: bytes, installation: str, card_no: str, version: int) -> str:
    digest = hmac.new(secret, f"L1.{installation}.{card_no}.{version}".encode(),
                      hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:26]  # 130 bits


def token(ctx: Context, member: m.Member) -> str:
    installation, secret = ctx.installation()
    card, version = member.card_no, int(member.link_version)
    return f"L1.{card}.{version}.{_signature(secret, installation, card, version)}"


class LinkRefused(NotFound):
    """A link that is not (or no longer) a member's: one message for all, so that a
    forged link learns nothing about which members exist."""

    code = "member_link"


def member_for(ctx: Context, text: str) -> m.Member:
    """The live member a link's token names; LinkRefused otherwise (forged, revoked, of
    another installation, or of a member erased or merged)."""
    found = _TOKEN.fullmatch(text or "")
    refused = LinkRefused("this link is not valid (any more): ask the shop for a new one")
    if not found:
        raise refused
    card_no, version, signature = found.group(1), int(found.group(2)), found.group(3)
    installation, secret = ctx.installation()
    if not hmac.compare_digest(signature, _signature(secret, installation, card_no, version)):
        raise refused
    member = q.member_by_card.first(card_no)
    if (member is None or int(member.link_version) != version or member.erased_at is not None
            or member.merged_into_id is not None):
        raise refused
    return member


def url(ctx: Context, member: m.Member, *, base: str | None = None) -> str:
    """The member's page at ``base`` (default ``[web] public_url``, the address links that
    leave the shop use)."""
    root = ctx.settings.web.public_url if base is None else base
    if not root:
        raise InvalidInput("no [web] public_url in the settings: the address at which the "
                           "shop publishes the member's page (behind TLS) is needed for a "
                           "link that leaves the shop")
    return f"{root.rstrip('/')}/m/{token(ctx, member)}"


def revoke(ctx: Context, card_no: str, approved_by: object) -> m.Member:
    """Make the member's old links stop working (the next one is new); audited."""
    approver = require_approver(approved_by, "revoking a member's link")
    with write_transaction():
        member = q.member_by_card.first(card_no.strip())
        if member is None:
            raise NotFound("no member has card {card}", card=card_no.strip()[:20])
        before = int(member.link_version)
        m.Member.update(link_version=m.Member.link_version + 1).where(
            m.Member.id == member.id).execute()
        audit.record(ctx, "member_link_revoke", member.card_no, before={"version": before},
                     after={"version": before + 1}, approved_by=approver.id)
    return m.Member.get_by_id(member.id)
