"""Coupon templates, the offers the rules give out: listed, checked, saved, switched on and off.

Refusals are message ids with their figures as arguments and the field's name as a Term,
worded in the window's language by the catalogue (core.i18n) like every other error.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from ..core import money
from ..core.errors import Conflict, InvalidInput, NotFound
from ..core.i18n import ChineseNamed, Named, Term
from ..db import models as m
from ..db.database import write_transaction
from . import audit, staff
from .context import Context

KINDS = ("amount", "percent", "free_item")
RULES = ("welcome", "next_visit", "cross_sell", "birthday", "win_back")  # or None: by hand
# which of auto_min_spend, auto_category, auto_days each rule reads
RULE_FIELDS: dict[str | None, tuple[str, ...]] = {
    None: (), "welcome": (), "birthday": (),
    "next_visit": ("auto_min_spend",),
    "cross_sell": ("auto_min_spend", "auto_category", "auto_days"),
    "win_back": ("auto_days",),
}
MAX_VALID_DAYS = 3650
_CODE = re.compile(r"[A-Z0-9_-]{1,32}")


class TemplateRefused(InvalidInput):
    """A template's fields break a rule."""


class TemplateExists(Conflict):
    """A new template's code is taken."""


class TemplateMissing(NotFound):
    """No template has the code."""


@dataclass(frozen=True)
class TemplateFields(ChineseNamed):
    """A coupon template as the offers form edits it: money in minor units."""

    code: str
    name: str
    kind: str
    amount: int = 0
    percent: Decimal = Decimal(0)
    sku: str | None = None
    min_spend: int = 0
    categories: str = ""
    brands: str = ""
    valid_days: int = 30
    auto_rule: str | None = None
    auto_min_spend: int = 0
    auto_category: str | None = None
    auto_days: int = 0
    active: bool = True
    name_zh_cn: str = ""  # empty: the English name shows on the Chinese screens too

    def plain(self) -> dict[str, Any]:
        """For the audit log: the percent as text, so it reads back exactly."""
        out = asdict(self)
        out["percent"] = str(self.percent)
        return out


@dataclass(frozen=True)
class TemplateChoice(Named):
    code: str
    name: str
    valid_days: int
    names: tuple[tuple[str, str], ...] = ()


def active_templates() -> list[TemplateChoice]:
    """The offers a campaign can send, by name."""
    return [TemplateChoice(t.code, t.name, t.valid_days, t.names)
            for t in m.CouponTemplate.select().where(m.CouponTemplate.active)
            .order_by(m.CouponTemplate.name)]


def _fields_of(row: m.CouponTemplate) -> TemplateFields:
    return TemplateFields(
        row.code, row.name, row.kind, int(row.amount), Decimal(row.percent or 0), row.sku,
        int(row.min_spend), row.categories or "", row.brands or "", int(row.valid_days),
        row.auto_rule or None, int(row.auto_min_spend), row.auto_category or None,
        int(row.auto_days), bool(row.active), row.name_zh_cn or "")


def all_templates() -> list[TemplateFields]:
    """Every template, the active ones first."""
    return [_fields_of(r) for r in m.CouponTemplate.select().order_by(
        m.CouponTemplate.active.desc(), m.CouponTemplate.code)]


def _money(value: object, what: Term) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TemplateRefused("{field} must be an amount of money", field=what)
    if value < 0:
        raise TemplateRefused("{field} cannot be negative", field=what)
    if value > money.MAX_AMOUNT:
        raise TemplateRefused("{field} is too large", field=what)
    return value


def _days(value: object, what: Term, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise TemplateRefused("{field} must be a whole number from {low} to {high}",
                             field=what, low=low, high=high)
    return value


def _list(text: object) -> str:
    """"a, b,,c " as "a,b,c"."""
    return ",".join(x.strip() for x in str(text or "").split(",") if x.strip())


def check_template(fields_: TemplateFields) -> TemplateFields:
    """The template cleaned up, or TemplateRefused saying what is wrong. The fields the rule
    does not read are reset, so the table never shows a setting that does nothing."""
    code = (fields_.code or "").strip().upper()
    if not _CODE.fullmatch(code):
        raise TemplateRefused("A code is 1 to 32 letters, digits, '-' or '_'.")
    name = (fields_.name or "").strip()
    if not name or len(name) > 100:
        raise TemplateRefused("A name of 1 to 100 characters is needed.")
    name_zh_cn = (fields_.name_zh_cn or "").strip()
    if len(name_zh_cn) > 100:
        raise TemplateRefused("A Chinese name has at most 100 characters.")
    if fields_.kind not in KINDS:
        raise TemplateRefused("Unknown kind of offer: {kind}", kind=fields_.kind)
    rule = fields_.auto_rule or None
    if rule not in RULE_FIELDS:
        raise TemplateRefused("Unknown rule: {rule}", rule=rule)
    amount = _money(fields_.amount, Term("The amount off", "offer field"))
    min_spend = _money(fields_.min_spend, Term("The minimum spend", "offer field"))
    auto_min_spend = _money(fields_.auto_min_spend,
                            Term("The spend that earns it", "offer field"))
    try:
        pct = Decimal(fields_.percent)
    except (ArithmeticError, TypeError, ValueError):
        raise TemplateRefused("The percent must be a number from 0 to 100.") from None
    if not pct.is_finite() or not 0 <= pct <= 100 or pct != round(pct, 2):
        raise TemplateRefused("The percent must be a number from 0 to 100.")
    sku = (fields_.sku or "").strip() or None
    if fields_.kind == "amount":
        if amount == 0:
            raise TemplateRefused("An amount-off offer needs an amount above zero.")
        pct, sku = Decimal(0), None
    elif fields_.kind == "percent":
        if pct == 0:
            raise TemplateRefused("A percent-off offer needs a percent above zero.")
        amount, sku = 0, None
    else:
        if sku is None:
            raise TemplateRefused("A free-item offer needs the SKU of the item.")
        amount, pct = 0, Decimal(0)
    valid_days = _days(fields_.valid_days, Term("Days valid", "offer field"), 1,
                       MAX_VALID_DAYS)
    auto_days = _days(fields_.auto_days, Term("Days", "offer field"), 0, MAX_VALID_DAYS)
    category = (fields_.auto_category or "").strip() or None
    used = RULE_FIELDS[rule]
    if rule == "cross_sell" and category is None:
        raise TemplateRefused("A cross-sell offer needs the category or brand bought.")
    return TemplateFields(
        code, name, fields_.kind, amount, pct.quantize(Decimal("0.01")), sku, min_spend,
        _list(fields_.categories), _list(fields_.brands), valid_days, rule,
        auto_min_spend if "auto_min_spend" in used else 0,
        category if "auto_category" in used else None,
        auto_days if "auto_days" in used else 0, bool(fields_.active), name_zh_cn)


def save_template(ctx: Context, fields_: TemplateFields, approved_by: object, *,
                  creating: bool = False) -> TemplateFields:
    """Add (``creating``) or change a coupon template, with a manager's approval, in the
    audit log with the fields before and after."""
    clean = check_template(fields_)
    approver = staff.require_approver(approved_by, Term("changing offers", "approval"))
    with write_transaction():
        if clean.sku is not None and m.Product.get_or_none(m.Product.sku == clean.sku) is None:
            raise TemplateRefused("No product has the SKU {sku}.", sku=clean.sku)
        row = m.CouponTemplate.get_or_none(m.CouponTemplate.code == clean.code)
        if row is not None and creating:
            raise TemplateExists("An offer with the code {code} exists already.", code=clean.code)
        if row is None and not creating:
            raise TemplateMissing("No offer has the code {code}.", code=clean.code)
        before = None if row is None else _fields_of(row).plain()
        values = asdict(clean)
        if row is None:
            m.CouponTemplate.create(**values)
        else:
            del values["code"]
            m.CouponTemplate.update(**values).where(
                m.CouponTemplate.code == clean.code).execute()
        audit.record(ctx, "template_saved", clean.code, approved_by=approver.id,
                     before=before, after=clean.plain())
    return clean


def set_active(ctx: Context, code: str, active: bool, approved_by: object) -> TemplateFields:
    """Switch an offer on or off (its coupons already out stay valid)."""
    approver = staff.require_approver(approved_by, Term("changing offers", "approval"))
    with write_transaction():
        row = m.CouponTemplate.get_or_none(m.CouponTemplate.code == code)
        if row is None:
            raise TemplateMissing("No offer has the code {code}.", code=code)
        old = _fields_of(row)
        if old.active != active:
            m.CouponTemplate.update(active=active).where(
                m.CouponTemplate.code == code).execute()
            audit.record(ctx, "template_saved", code, approved_by=approver.id,
                         before={"active": old.active}, after={"active": active})
    return TemplateFields(**{**asdict(old), "active": active})
