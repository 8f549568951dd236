"""The audit log as the Audit log tab lists it: entries filtered, the filters' choices, CSV."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import excel_csv
from ..db import models as m

if TYPE_CHECKING:
    from .staff import StaffView


@dataclass(frozen=True)
class AuditView:
    seq: int
    created_at: datetime
    terminal_id: str
    staff: str
    approved_by: str
    action: str
    subject: str
    before: str
    after: str
    reason: str


def entries(*, action: str | None = None, staff_id: str | None = None,
            since: datetime | None = None, until: datetime | None = None,
            limit: int = 500) -> list[AuditView]:
    """Newest first, filtered as a manager asks."""
    from .staff import name_of

    query = m.AuditEntry.select()
    if action:
        query = query.where(m.AuditEntry.action == action)
    if staff_id:
        query = query.where((m.AuditEntry.staff_id == staff_id)
                            | (m.AuditEntry.approved_by == staff_id))
    if since:
        query = query.where(m.AuditEntry.created_at >= since)
    if until:
        query = query.where(m.AuditEntry.created_at < until)
    return [AuditView(r.seq, r.created_at, r.terminal_id, name_of(r.staff_id),
                      name_of(r.approved_by), r.action, r.subject, r.before, r.after, r.reason)
            for r in query.order_by(m.AuditEntry.seq.desc()).limit(limit)]


@dataclass(frozen=True)
class AuditChoices:
    actions: list[str]
    staff: list[StaffView]


def audit_choices() -> AuditChoices:
    """The actions the log holds and the staff who may appear in it, for the filters."""
    from .staff import StaffView  # staff imports the audit log

    actions = [a for (a,) in m.AuditEntry.select(m.AuditEntry.action).distinct()
               .order_by(m.AuditEntry.action).tuples()]
    people = [StaffView(r.id, r.name, r.role) for r in m.Staff.select().order_by(m.Staff.name)]
    return AuditChoices(actions, people)


def write_audit_csv(rows: Sequence[AuditView], path: str | Path) -> Path:
    """The entries shown, as CSV (UTF-8 with a BOM, so Excel shows Chinese names)."""
    target = Path(path)
    excel_csv.write(target, [[f.name for f in fields(AuditView)], *(astuple(r) for r in rows)])
    return target
