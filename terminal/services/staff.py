"""Staff accounts: PINs hashed with argon2, sign-in, manager approval, lock-out after wrong PINs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import argon2

from ..db import models as m
from ..db.database import write_transaction
from ..loyalty.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from . import audit
from .context import Context

APPROVERS = ("manager", "owner")
FREE_TRIES = 3  # wrong PINs in a row before the terminal starts making people wait
FIRST_DELAY = 5  # seconds after the first failure past the free tries; doubles each time
MAX_DELAY = 300

_hasher = argon2.PasswordHasher()


class LockedOut(PermissionDenied):
    """Too many wrong PINs at this terminal: try again in ``seconds``."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"too many wrong PINs: try again in {seconds} s")
        self.seconds = seconds


@dataclass(frozen=True)
class StaffView:
    id: uuid.UUID
    name: str
    role: str


def _view(row: m.Staff) -> StaffView:
    return StaffView(row.id, row.name, row.role)


def check_pin(pin: object) -> str:
    if not isinstance(pin, str) or not pin.isascii() or not pin.isdigit() \
            or not 4 <= len(pin) <= 8:
        raise InvalidInput("a PIN is 4 to 8 digits")
    return pin


def hash_pin(pin: str) -> str:
    return _hasher.hash(check_pin(pin))


def _matches(row: m.Staff, pin: str) -> bool:
    try:
        return _hasher.verify(row.pin_hash, pin)
    except argon2.exceptions.VerificationError:
        return False
    except argon2.exceptions.InvalidHashError:
        return False  # a damaged hash never lets anyone in


_names: dict[str, str] = {}


def _staff_uuid(value: object) -> uuid.UUID | None:
    """A staff id, or None for anything else ("cli", "system", junk): checked here, since
    PostgreSQL fails the whole transaction on a malformed uuid."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def name_of(staff_id: str | None) -> str:
    """The name to print for whoever ``staff_id`` is (the id itself for a system job)."""
    if not staff_id:
        return ""
    name = _names.get(staff_id)
    if name is None:
        sid = _staff_uuid(staff_id)
        row = m.Staff.get_or_none(m.Staff.id == sid) if sid else None
        if row is None:
            return staff_id
        name = _names[staff_id] = row.name  # names are kept: a receipt names who served
    return name


def active() -> list[StaffView]:
    return [_view(r) for r in m.Staff.select().where(m.Staff.active).order_by(m.Staff.name)]


def require_approver(staff_id: object, action: str) -> StaffView:
    """The manager or owner ``staff_id`` names; services check every approval they are given."""
    sid = _staff_uuid(staff_id)
    row = m.Staff.get_or_none(m.Staff.id == sid) if sid else None
    if row is None or not row.active or row.role not in APPROVERS:
        raise PermissionDenied(f"{action} needs a manager's approval")
    return _view(row)


def create(ctx: Context, name: str, role: str, pin: str,
           approved_by: object | None = None) -> StaffView:
    """Add a staff member. The very first one must be the owner; after that an owner
    approves."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput("a name of 1 to 100 characters is needed")
    if role not in m.Staff.ROLES:
        raise InvalidInput(f"role must be one of {', '.join(m.Staff.ROLES)}")
    pin_hash = hash_pin(pin)
    with write_transaction():
        others = list(m.Staff.select().where(m.Staff.active))
        if others:
            approver = require_approver(approved_by, "adding staff")
            if approver.role != "owner":
                raise PermissionDenied("only an owner adds staff")
        elif role != "owner":
            raise PermissionDenied("the first staff account is the owner's")
        # a manager approves with the PIN alone, so no two people may share one
        if any(_matches(r, pin) for r in others):
            raise Conflict("someone already uses this PIN: choose another")
        row = m.Staff.create(name=name, role=role, pin_hash=pin_hash, created_at=ctx.now())
        audit.record(ctx, "staff_added", row.id, approved_by=approved_by,
                     after={"name": name, "role": role})
    return _view(row)


def deactivate(ctx: Context, staff_id: object, approved_by: object) -> StaffView:
    """Take someone off the staff (they leave, or their PIN got out): an owner does it. Their
    name stays on the sales they made; the last owner cannot be taken off."""
    with write_transaction():
        approver = require_approver(approved_by, "taking someone off the staff")
        if approver.role != "owner":
            raise PermissionDenied("only an owner takes someone off the staff")
        sid = _staff_uuid(staff_id)
        row = m.Staff.get_or_none((m.Staff.id == sid) & m.Staff.active) if sid else None
        if row is None:
            raise NotFound("no such staff member")
        owners = m.Staff.select().where(m.Staff.active & (m.Staff.role == "owner")).count()
        if row.role == "owner" and owners == 1:
            raise Conflict("the last owner cannot be taken off: add another owner first")
        m.Staff.update(active=False).where(m.Staff.id == row.id).execute()
        audit.record(ctx, "staff_removed", row.id, approved_by=approved_by,
                     before={"name": row.name, "role": row.role})
    return _view(row)


def _attempts(ctx: Context) -> m.PinAttempt:
    row = m.PinAttempt.get_or_none(m.PinAttempt.terminal_id == ctx.terminal_id)
    return row or m.PinAttempt(terminal_id=ctx.terminal_id, failures=0, locked_until=None)


def _refuse_while_locked(ctx: Context, now: datetime) -> None:
    row = _attempts(ctx)
    if row.locked_until is not None and row.locked_until > now:
        raise LockedOut(max(1, int((row.locked_until - now).total_seconds() + 0.999)))


def _record(ctx: Context, ok: bool, now: datetime) -> None:
    with write_transaction():
        row = _attempts(ctx)
        if ok:
            failures, until = 0, None
        else:
            failures = row.failures + 1
            over = failures - FREE_TRIES
            until = (now + timedelta(seconds=min(MAX_DELAY, FIRST_DELAY * 2 ** (over - 1)))
                     if over > 0 else None)
        (m.PinAttempt.insert(terminal_id=ctx.terminal_id, failures=failures,
                             locked_until=until)
         .on_conflict(conflict_target=[m.PinAttempt.terminal_id],
                      update={m.PinAttempt.failures: failures,
                              m.PinAttempt.locked_until: until})
         .execute())


def sign_in(ctx: Context, staff_id: object, pin: str) -> StaffView:
    """The staff member, if ``pin`` is theirs."""
    now = ctx.now()
    _refuse_while_locked(ctx, now)
    check_pin(pin)
    sid = _staff_uuid(staff_id)
    row = m.Staff.get_or_none((m.Staff.id == sid) & m.Staff.active) if sid else None
    if row is None:
        raise NotFound("no such staff member")
    ok = _matches(row, pin)
    _record(ctx, ok, now)
    if not ok:
        raise PermissionDenied("wrong PIN")
    return _view(row)


def approve(ctx: Context, pin: str, action: str) -> StaffView:
    """A manager's (or owner's) PIN typed at this terminal approves one ``action``."""
    now = ctx.now()
    _refuse_while_locked(ctx, now)
    check_pin(pin)
    approvers = m.Staff.select().where(m.Staff.active & m.Staff.role.in_(APPROVERS))
    found = next((r for r in approvers if _matches(r, pin)), None)
    _record(ctx, found is not None, now)
    if found is None:
        with write_transaction():
            audit.record(ctx, "approval_refused", reason=action)
        raise PermissionDenied(f"not a manager's PIN: {action} was not approved")
    return _view(found)
