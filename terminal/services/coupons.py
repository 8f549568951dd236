"""Coupons: templates, issuing by hand, by campaign or by rule, and looking one up."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..core.errors import CouponError, InvalidInput, NotFound
from ..db import models as m
from ..db import statements as q
from ..db.database import write_transaction
from ..db.prepared import insert
from ..loyalty import codes, points
from ..loyalty.coupon_rules import CouponState, CouponTerms
from .context import Context


def terms(template: m.CouponTemplate) -> CouponTerms:
    split = lambda s: frozenset(x.strip() for x in s.split(",") if x.strip())  # noqa: E731
    return CouponTerms(kind=template.kind, amount=int(template.amount),
                       percent=template.percent, sku=template.sku,
                       min_spend=int(template.min_spend), categories=split(template.categories),
                       brands=split(template.brands))


def state(coupon: m.Coupon) -> CouponState:
    return CouponState(coupon.code, coupon.status, coupon.valid_from, coupon.valid_until,
                       coupon.member_id)


def normalize_code(text: str) -> str:
    code = (text or "").strip().upper()
    if code.startswith("C1."):
        code = code[3:]
    return code.replace("-", "").replace(" ", "")


def find(code: str) -> m.Coupon:
    normalized = normalize_code(code)
    if not normalized:
        raise InvalidInput("no coupon code given")
    coupon = m.Coupon.get_or_none(m.Coupon.code == normalized)
    if coupon is None:
        raise CouponError("no coupon has the code {normalized!r}", reason="unknown",
                          normalized=normalized[:20])
    return coupon


def _issue(ctx: Context, template: m.CouponTemplate, member_id: object | None,
           txn: m.Txn | None, campaign: str | None) -> m.Coupon:
    now = ctx.now()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for _ in range(20):
        code = codes.new_coupon_code()
        if q.coupon_code_taken.first(code) is None:
            break
    return insert(
        m.Coupon, **ctx.origin(), code=code, template=template, member=member_id,
        valid_from=now, valid_until=start + timedelta(days=template.valid_days + 1),
        issued_txn=txn, campaign=campaign)


def issue(ctx: Context, template_code: str, member_id: object | None = None,
          campaign: str | None = None) -> m.Coupon:
    """Issue one coupon from a template, bound to a member or to the bearer."""
    with write_transaction():
        template = m.CouponTemplate.get_or_none(m.CouponTemplate.code == template_code)
        if template is None or not template.active:
            raise NotFound("no active coupon template {template_code!r}",
                           template_code=template_code)
        if member_id is not None:
            member = m.Member.get_or_none(m.Member.id == member_id)
            if member is None or member.erased_at is not None:
                raise NotFound("no such member")
        return _issue(ctx, template, member_id, None, campaign)


def issue_welcome(ctx: Context, member_id: object) -> list[m.Coupon]:
    """The coupons every new member gets (templates with the ``welcome`` rule)."""
    return [_issue(ctx, template, member_id, None, None)
            for template in q.auto_templates.rows("welcome", "welcome")]


def _holds_unused(member_id: object, template: m.CouponTemplate, now: datetime) -> bool:
    return any(c.template_id == template.code and c.status == "issued" and c.valid_until > now
               for c in q.coupons_of_member.rows(member_id))


def _given_since(member_id: object, template: m.CouponTemplate, since: datetime) -> bool:
    return any(c.template_id == template.code and c.created_at >= since
               for c in q.coupons_of_member.rows(member_id))


def _bought_lately(member_id: object, what: str, since: datetime) -> bool:
    """Bought from the category or brand ``what`` since ``since`` (this sale included)."""
    return q.bought_since.first(member_id, since, what, what) is not None


def issue_at_checkout(ctx: Context, member_id: object, txn: m.Txn, *, total: int,
                      categories: frozenset[str],
                      brands: frozenset[str] = frozenset()) -> list[m.Coupon]:
    """Coupons a sale earns: ``next_visit`` for a spend of ``auto_min_spend`` or more;
    ``cross_sell`` for buying the category or brand ``auto_category`` in this sale or in
    the last ``auto_days`` days (the seed's shampoo: bought brand A, a coupon for brand B).
    A member already holding an unused coupon of a template does not get a second."""
    issued = []
    now = ctx.now()
    for template in q.auto_templates.rows("next_visit", "cross_sell"):
        if total < template.auto_min_spend:
            continue
        if template.auto_rule == "cross_sell":
            here = template.auto_category in categories | brands
            if not here and not (template.auto_days and _bought_lately(
                    member_id, template.auto_category or "",
                    now - timedelta(days=template.auto_days))):
                continue
            if _holds_unused(member_id, template, now):
                continue
        issued.append(_issue(ctx, template, member_id, txn, None))
    return issued


def offers_on_scan(ctx: Context, member_id: object) -> list[m.Coupon]:
    """The counter scanned a member: give the birthday and win-back coupons due."""
    with write_transaction():
        member = m.Member.get_or_none(m.Member.id == member_id)
        if member is None:
            raise NotFound("no such member")
        return issue_on_scan(ctx, member)


WIN_BACK_DAYS = 90  # a win_back template with auto_days 0 means this


def issue_on_scan(ctx: Context, member: m.Member) -> list[m.Coupon]:
    """Offers the member gets when scanned: ``birthday`` in their birthday week (once a
    year), ``win_back`` after ``auto_days`` away (once per absence). Call it inside a
    write transaction."""
    if member.erased_at is not None:
        return []
    now = ctx.now()
    issued = []
    for template in q.auto_templates.rows("birthday", "win_back"):
        if template.auto_rule == "birthday":
            if not points.is_birthday(member.birthday, now.date(), "week"):
                continue
            since = now - timedelta(days=300)  # not twice in one birthday season
        else:
            away = template.auto_days or WIN_BACK_DAYS
            last = member.last_visit_at
            if last is None or now - last < timedelta(days=away):
                continue
            since = last  # one per absence
        if _given_since(member.id, template, since):
            continue
        issued.append(_issue(ctx, template, member.id, None, None))
    return issued


DEFAULT_TEMPLATES = [
    dict(code="WELCOME", name="Welcome: 10 off 50", name_zh_cn="新会员礼：满50减10",
         kind="amount", amount=1000, min_spend=5000, valid_days=60, auto_rule="welcome"),
    dict(code="NEXTVISIT", name="Next visit 5% off", name_zh_cn="下次光临95折",
         kind="percent", percent=5, valid_days=30, auto_rule="next_visit",
         auto_min_spend=10000),
    dict(code="BIRTHDAY", name="Birthday: 20 off", name_zh_cn="生日礼：立减20", kind="amount",
         amount=2000, valid_days=14, auto_rule="birthday"),
    dict(code="WINBACK", name="We miss you: 15% off", name_zh_cn="好久不见：85折",
         kind="percent", percent=15, valid_days=30, auto_rule="win_back", auto_days=90),
]


def ensure_default_templates() -> None:
    with write_transaction():
        for t in DEFAULT_TEMPLATES:
            m.CouponTemplate.insert(**t).on_conflict_ignore().execute()


def campaign_coupons_for_receipt(member_id: object, txn: m.Txn, now: datetime) -> list[m.Coupon]:
    """Campaign coupons the member has not had on paper yet: they print on this receipt."""
    found = list(q.campaign_coupons_to_show.rows(member_id, now))
    if found:
        m.CampaignMember.update(shown_txn=txn).where(
            m.CampaignMember.coupon.in_([c.id for c in found])).execute()
    return found
