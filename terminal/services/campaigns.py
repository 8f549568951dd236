"""Campaigns: a coupon for a segment of members, a random hold-out group that gets nothing,
the contact list for SMS or e-mail tools, and the uplift measured against the hold-out."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import peewee as pw
import phonenumbers

from ..core import excel_csv
from ..core.errors import InvalidInput, NotFound
from ..core.i18n import Term
from ..db import models as m
from ..db.database import write_transaction
from ..loyalty import codes
from . import audit
from .analytics import Progress, segment_members
from .context import Context
from .staff import require_approver

BATCH = 500  # rows per INSERT


@dataclass(frozen=True)
class CampaignView:
    id: uuid.UUID
    name: str
    segment: str
    template: str
    message: str
    created_at: datetime
    targeted: int
    control: int


@dataclass(frozen=True)
class Plan:
    """What a campaign would do, for the manager to confirm before any coupon is issued."""

    segment_members: int
    targeted: int  # get the coupon
    held_out: int  # the hold-out group: nothing
    kind: str  # the template's: amount | percent | free_item
    value_each: int | None  # the most one coupon takes off (minor units); None for percent
    most_cost: int | None  # every coupon used
    redemption_rate: float | None  # of this template's earlier campaigns, if any
    expected_cost: int | None  # most_cost at that rate


def _template(template_code: str) -> m.CouponTemplate:
    template = m.CouponTemplate.get_or_none(m.CouponTemplate.code == template_code)
    if template is None or not template.active:
        raise NotFound("no active coupon template {template_code!r}", template_code=template_code)
    return template


def _split(ctx: Context, segment: str, control_percent: int,
           seed: int | None) -> tuple[list[object], list[object]]:
    """The segment's members today, shuffled: (the hold-out group, the coupon group)."""
    if isinstance(control_percent, bool) or not isinstance(control_percent, int) \
            or not 0 <= control_percent <= 50:
        raise InvalidInput("the hold-out group is 0 to 50 percent of the segment")
    picked = sorted(segment_members(ctx, segment), key=str)
    if not picked:
        raise InvalidInput("no member is in the segment {segment} today", segment=segment)
    random.Random(seed).shuffle(picked)
    n_control = round(len(picked) * control_percent / 100)
    return picked[:n_control], picked[n_control:]


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput("a campaign needs a name of 1 to 100 characters")
    return name


def plan(ctx: Context, segment: str, template_code: str, *, name: str = "-",
         control_percent: int = 10) -> Plan:
    """How many members ``create`` would give the coupon to and hold out, and what it may
    cost: every coupon used, and at the redemption rate of this template's earlier
    campaigns. Writes nothing."""
    _name(name)
    template = _template(template_code)
    control, target = _split(ctx, segment, control_percent, None)
    each: int | None = None
    if template.kind == "amount":
        each = int(template.amount)
    elif template.kind == "free_item" and template.sku:
        product = m.Product.get_or_none(m.Product.sku == template.sku)
        each = int(product.price) if product is not None else None
    earlier = [str(c.id) for c in m.Campaign.select(m.Campaign.id)
               .where(m.Campaign.template == template.code)]
    issued = m.Coupon.select().where(m.Coupon.campaign.in_(earlier))
    n_issued = issued.count()
    rate = (issued.where(m.Coupon.status == "redeemed").count() / n_issued
            if n_issued else None)
    most = None if each is None else each * len(target)
    return Plan(len(control) + len(target), len(target), len(control), template.kind, each,
                most, rate, None if most is None or rate is None else round(most * rate))


def create(ctx: Context, name: str, segment: str, template_code: str, message: str = "", *,
           control_percent: int = 10, approved_by: object = None, seed: int | None = None,
           progress: Progress | None = None) -> CampaignView:
    """Issue the template's coupon to every live member of ``segment`` except a random
    ``control_percent`` held out (recorded, given nothing); needs a manager."""
    say = progress or (lambda _pct, _what: None)
    name = _name(name)
    require_approver(approved_by, Term("a campaign", "approval"))
    template = _template(template_code)
    say(5, "finding the segment's members")
    control, target = _split(ctx, segment, control_percent, seed)
    now = ctx.now()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    until = start + timedelta(days=template.valid_days + 1)
    say(40, f"issuing {len(target)} coupons")
    with write_transaction():
        campaign = m.Campaign.create(**ctx.origin(), name=name, segment=segment,
                                     template=template, message=message[:1000],
                                     control_percent=control_percent,
                                     approved_by=str(approved_by))
        rows = []
        for mid in target:
            coupon_id = m.new_id()
            m_row = dict(id=coupon_id, **ctx.origin(), code=codes.new_coupon_code(),
                         template=template.code, member=mid, status="issued",
                         valid_from=now, valid_until=until, campaign=str(campaign.id))
            rows.append((m_row, dict(campaign=campaign.id, member=mid, control=False,
                                     coupon=coupon_id)))
        for i in range(0, len(rows), BATCH):
            chunk = rows[i:i + BATCH]
            m.Coupon.insert_many([c for c, _ in chunk]).execute()
            m.CampaignMember.insert_many([cm for _, cm in chunk]).execute()
        for i in range(0, len(control), BATCH):
            m.CampaignMember.insert_many([dict(campaign=campaign.id, member=mid, control=True)
                                          for mid in control[i:i + BATCH]]).execute()
        audit.record(ctx, "campaign_created", name, approved_by=approved_by,
                     after={"segment": segment, "template": template.code,
                            "targeted": len(target), "control": len(control)})
    say(100, "done")
    return CampaignView(campaign.id, name, segment, template.code, campaign.message,
                        campaign.created_at, len(target), len(control))


def all_campaigns() -> list[CampaignView]:
    counts = {(cid, ctl): n for cid, ctl, n in m.CampaignMember.select(
        m.CampaignMember.campaign, m.CampaignMember.control, pw.fn.COUNT(m.CampaignMember.member))
        .group_by(m.CampaignMember.campaign, m.CampaignMember.control).tuples()}
    return [CampaignView(c.id, c.name, c.segment, c.template_id, c.message, c.created_at,
                         counts.get((c.id, False), 0), counts.get((c.id, True), 0))
            for c in m.Campaign.select().order_by(m.Campaign.created_at.desc())]


def _campaign(campaign_id: object) -> m.Campaign:
    campaign = m.Campaign.get_or_none(m.Campaign.id == campaign_id)
    if campaign is None:
        raise NotFound("no such campaign")
    return campaign


def export_contacts(ctx: Context, campaign_id: object, path: str | Path,
                    approved_by: object) -> int:
    """The consenting members who got the coupon, with full phone numbers, for an SMS or
    e-mail tool; needs a manager and is audited. The number of members written."""
    campaign = _campaign(campaign_id)
    with write_transaction():
        require_approver(approved_by, Term("exporting a contact list", "approval"))
        audit.record(ctx, "export_contacts", campaign.name, approved_by=approved_by)
    rows = (m.CampaignMember.select(m.Member.name, m.Member.phone, m.Member.card_no,
                                    m.Coupon.code, m.Coupon.valid_until)
            .join(m.Member).switch(m.CampaignMember).join(m.Coupon)
            .where((m.CampaignMember.campaign == campaign.id) & ~m.CampaignMember.control
                   & m.Member.marketing_consent & m.Member.live()
                   & m.Member.phone.is_null(False))
            .order_by(m.Member.card_no).tuples())

    def lines() -> Iterator[list[object]]:
        yield ["name", "phone", "card_no", "coupon", "valid_until", "message"]
        for name, phone, card_no, code, valid_until in rows.iterator():
            e164 = phonenumbers.format_number(phonenumbers.parse(phone),
                                              phonenumbers.PhoneNumberFormat.E164)
            yield [name, excel_csv.number_text(e164), card_no, code,
                   valid_until.date().isoformat(), campaign.message]

    return excel_csv.write(path, lines()) - 1  # the header is not a member


@dataclass(frozen=True)
class Results:
    campaign: CampaignView
    days: int  # since the campaign started
    redeemed: int
    redemption_rate: float
    target_revenue_per_member: float  # minor units
    control_revenue_per_member: float
    uplift: float | None  # relative: (target - control) / control; None without control spend
    extra_revenue: int  # (target - control per member) x targeted members


def results(ctx: Context, campaign_id: object) -> Results:
    """What the campaign changed: revenue per member since it started, the coupon group
    against the hold-out group."""
    campaign = _campaign(campaign_id)
    view = next(c for c in all_campaigns() if c.id == campaign.id)
    redeemed = (m.Coupon.select().where((m.Coupon.campaign == str(campaign.id))
                                        & (m.Coupon.status == "redeemed")).count())

    def revenue(control: bool) -> int:
        value = (m.Txn.select(pw.fn.COALESCE(pw.fn.SUM(m.Txn.total), 0))
                 .join(m.CampaignMember, on=(m.CampaignMember.member == m.Txn.member))
                 .where((m.CampaignMember.campaign == campaign.id)
                        & (m.CampaignMember.control == control)
                        & (m.Txn.created_at >= campaign.created_at)
                        & m.Txn.kind.in_(("sale", "refund", "void"))).scalar())
        return int(value or 0)

    target = revenue(False) / view.targeted if view.targeted else 0.0
    held = revenue(True) / view.control if view.control else 0.0
    return Results(view, (ctx.now() - campaign.created_at).days, redeemed,
                   redeemed / view.targeted if view.targeted else 0.0, target, held,
                   (target - held) / held if held else None,
                   round((target - held) * view.targeted))
