"""Reads the manager's tabs run on the database worker (never on the GUI thread); audit CSV."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from ...db import models as m
from ...services import analytics, audit, members, staff
from ...services.analytics import BirthdayRow, ExpiringRow, Overview, Progress
from ...services.context import Context


@dataclass(frozen=True)
class Analytics:
    overview: Overview
    expiring: list[ExpiringRow]
    birthdays: list[BirthdayRow]


def member_analytics(ctx: Context, progress: Progress) -> Analytics:
    """Everything the members tab shows, in one pass of the worker."""
    found = analytics.overview(ctx, progress=progress)
    return Analytics(found, analytics.expiring_soon(ctx), analytics.birthdays_this_week(ctx))


@dataclass(frozen=True)
class TemplateChoice:
    code: str
    name: str
    valid_days: int


def active_templates() -> list[TemplateChoice]:
    return [TemplateChoice(t.code, t.name, t.valid_days)
            for t in m.CouponTemplate.select().where(m.CouponTemplate.active)
            .order_by(m.CouponTemplate.name)]


@dataclass(frozen=True)
class AuditChoices:
    actions: list[str]
    staff: list[staff.StaffView]


def audit_choices() -> AuditChoices:
    """The actions the log holds and the staff who may appear in it, for the filters."""
    actions = [a for (a,) in m.AuditEntry.select(m.AuditEntry.action).distinct()
               .order_by(m.AuditEntry.action).tuples()]
    people = [staff.StaffView(r.id, r.name, r.role)
              for r in m.Staff.select().order_by(m.Staff.name)]
    return AuditChoices(actions, people)


def write_audit_csv(rows: Sequence[audit.AuditView], path: str | Path) -> Path:
    """The entries shown, as CSV (UTF-8 with a BOM, so Excel shows Chinese names)."""
    target = Path(path)
    with target.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow([f.name for f in fields(audit.AuditView)])
        writer.writerows(astuple(r) for r in rows)
    return target


@dataclass(frozen=True)
class MemberHit:
    id: uuid.UUID
    name: str
    card_no: str
    phone_masked: str
    tier: str
    stored_value: int
    points: int


def find_members(ctx: Context, text: str) -> list[MemberHit]:
    region = ctx.settings.store.phone_region
    return [MemberHit(r.id, r.name, r.card_no, members.mask_phone(r.phone, region), r.tier,
                      r.stored_value_balance, r.points_balance)
            for r in members.search(ctx, text)]
