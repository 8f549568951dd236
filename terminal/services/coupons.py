"""Coupons: templates, issuing by hand, by campaign or by rule, and looking one up."""

from __future__ import annotations

from datetime import timedelta

from ..db import models as m
from ..db import queries as q
from ..db.database import write_transaction
from ..db.prepared import insert
from ..loyalty import codes
from ..loyalty.coupons import CouponState, CouponTerms
from ..loyalty.errors import CouponError, InvalidInput, NotFound
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
        raise CouponError(f"no coupon has the code {normalized[:20]!r}", reason="unknown")
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
            raise NotFound(f"no active coupon template {template_code!r}")
        if member_id is not None:
            member = m.Member.get_or_none(m.Member.id == member_id)
            if member is None or member.erased_at is not None:
                raise NotFound("no such member")
        return _issue(ctx, template, member_id, None, campaign)


def issue_welcome(ctx: Context, member_id: object) -> list[m.Coupon]:
    """The coupons every new member gets (templates with the ``welcome`` rule)."""
    return [_issue(ctx, template, member_id, None, None)
            for template in q.auto_templates.rows("welcome", "welcome")]


def issue_at_checkout(ctx: Context, member_id: object, txn: m.Txn, *, total: int,
                      categories: frozenset[str]) -> list[m.Coupon]:
    """Coupons a sale earns: ``next_visit`` above a spend; ``cross_sell`` for buying from
    the template's ``auto_category`` (a coupon for another category or brand)."""
    issued = []
    for template in q.auto_templates.rows("next_visit", "cross_sell"):
        if total < template.auto_min_spend:
            continue
        if template.auto_rule == "cross_sell" and template.auto_category not in categories:
            continue
        issued.append(_issue(ctx, template, member_id, txn, None))
    return issued


DEFAULT_TEMPLATES = [
    dict(code="WELCOME", name="Welcome: 10 off 50", kind="amount", amount=1000, min_spend=5000,
         valid_days=60, auto_rule="welcome"),
    dict(code="NEXTVISIT", name="Next visit 5% off", kind="percent", percent=5, valid_days=30,
         auto_rule="next_visit", auto_min_spend=10000),
    dict(code="BIRTHDAY", name="Birthday: 20 off", kind="amount", amount=2000, valid_days=14),
    dict(code="WINBACK", name="We miss you: 15% off", kind="percent", percent=15,
         valid_days=30),
]


def ensure_default_templates() -> None:
    with write_transaction():
        for t in DEFAULT_TEMPLATES:
            m.CouponTemplate.insert(**t).on_conflict_ignore().execute()
