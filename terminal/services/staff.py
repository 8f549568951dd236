"""Staff accounts: PINs hashed with argon2, sign-in, manager approval, lock-out after wrong PINs.

Whoever types a PIN first says whose it is: sign-in picks the cashier, an approval picks
the manager or owner, so every wrong PIN counts against one account. The lock-out policy:

* Per account, for the whole store (rows in ``pin_attempt``, whichever terminal the PIN was
  typed at, so a new ``terminal_id`` does not escape it): after FREE_TRIES wrong PINs in a
  row the account waits FIRST_DELAY seconds after the next wrong one, then twice as long
  after each further one, up to MAX_DELAY. Only that account's own correct PIN starts its
  count again; another account's success changes nothing. So one account takes at most
  about 20 guesses in the first hour and 12 an hour after (3600 / MAX_DELAY).
* Per terminal, across accounts (so spraying every manager from one counter is slow too):
  a bucket of TERMINAL_BURST wrong PINs that empties by one every TERMINAL_LEAK seconds
  (10 in a burst, then 6 an hour). A right PIN takes back only its own attempt.
* While either waits, no PIN is checked at all (not even the right one), and the attempt is
  counted before its PIN is checked, so parallel attempts cannot all slip through.
* Nothing locks for good: an account waits at most MAX_DELAY after its last wrong PIN, a
  terminal at most TERMINAL_LEAK. A cashier spraying from one counter locks that counter
  only, and after its burst can make an account wait for at most MAX_DELAY of every
  TERMINAL_LEAK seconds: at another terminal the manager's right PIN gets through at once
  or, at worst, within MAX_DELAY + TERMINAL_LEAK. An owner can clear a wait from the Staff
  tab (``clear_lock``). Times are the terminal's clock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import argon2

from ..core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ..core.i18n import Term
from ..db import models as m
from ..db.database import is_sqlite, write_transaction
from . import audit
from .context import Context

ROLES = m.Staff.ROLES  # cashier, manager, owner
APPROVERS = ("manager", "owner")
FREE_TRIES = 3  # wrong PINs in a row for one account before it starts waiting
FIRST_DELAY = 5  # seconds after the first wrong PIN past the free tries; doubles each time
MAX_DELAY = 300  # the longest an account waits after one wrong PIN
TERMINAL_BURST = 10  # wrong PINs at one terminal (any accounts) before it waits
TERMINAL_LEAK = 600  # then one more every this many seconds


class LockedOut(PermissionDenied):
    """Too many wrong PINs for this account (``scope`` "staff") or at this terminal
    ("terminal"): try again in ``seconds``."""

    def __init__(self, seconds: int, scope: str = "staff") -> None:
        if scope == "terminal":
            super().__init__("too many wrong PINs at this terminal: try again in {seconds} s",
                             seconds=seconds)
        else:
            super().__init__("too many wrong PINs for this account: try again in {seconds} s",
                             seconds=seconds)
        self.seconds = seconds
        self.scope = scope


_hasher = argon2.PasswordHasher()


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


def approvers() -> list[StaffView]:
    """The active managers and owners, to pick who approves."""
    return [s for s in active() if s.role in APPROVERS]


def require_staff(staff_id: object) -> StaffView:
    """The active staff member ``staff_id`` names: whoever is signed in at the counter."""
    sid = _staff_uuid(staff_id)
    row = m.Staff.get_or_none((m.Staff.id == sid) & m.Staff.active) if sid else None
    if row is None:
        raise PermissionDenied("sign in as a member of staff first")
    return _view(row)


def require_approver(staff_id: object, action: str) -> StaffView:
    """The manager or owner ``staff_id`` names; services check every approval they are given."""
    sid = _staff_uuid(staff_id)
    row = m.Staff.get_or_none(m.Staff.id == sid) if sid else None
    if row is None or not row.active or row.role not in APPROVERS:
        raise PermissionDenied("{action} needs a manager's approval", action=action)
    return _view(row)


def create(ctx: Context, name: str, role: str, pin: str,
           approved_by: object | None = None) -> StaffView:
    """Add a staff member. While the database has no active staff at all, the one added
    is the owner and needs no approver (a shop's first start: nobody could approve); after
    that an owner approves every account."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput("a name of 1 to 100 characters is needed")
    if role not in m.Staff.ROLES:
        raise InvalidInput("role must be one of {roles}", roles=', '.join(m.Staff.ROLES))
    pin_hash = hash_pin(pin)
    with write_transaction():
        others = list(m.Staff.select().where(m.Staff.active))
        if others:
            approver = require_approver(approved_by, Term("adding staff", "approval"))
            if approver.role != "owner":
                raise PermissionDenied("only an owner adds staff: ask the owner to sign in")
        elif role != "owner":
            raise PermissionDenied("the first staff account is the owner's")
        # a cashier whose PIN were a manager's could approve as them: nobody shares one
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
        approver = require_approver(approved_by, Term("taking someone off the staff", "approval"))
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



# -- wrong PINs ---------------------------------------------------------------------------
def _terminal_key(ctx: Context) -> str:
    return f"{ctx.store_id}/{ctx.terminal_id}"[:80]


def _row(scope: str, key: str) -> m.PinAttempt:
    """The counter row, made if missing and locked for this transaction (SQLite's write
    transaction holds the whole database; PostgreSQL needs the row lock)."""
    m.PinAttempt.insert(scope=scope, key=key, failures=0).on_conflict_ignore().execute()
    query = m.PinAttempt.select().where((m.PinAttempt.scope == scope)
                                        & (m.PinAttempt.key == key))
    return (query if is_sqlite() else query.for_update()).get()


def _save(row: m.PinAttempt) -> None:
    (m.PinAttempt.update(failures=row.failures, locked_until=row.locked_until,
                         changed_at=row.changed_at)
     .where((m.PinAttempt.scope == row.scope) & (m.PinAttempt.key == row.key)).execute())


def _leak(row: m.PinAttempt, now: datetime) -> None:
    """A terminal's bucket as it stands at ``now``: one wrong PIN gone every TERMINAL_LEAK."""
    if row.failures and row.changed_at is not None and now > row.changed_at:
        drained = int((now - row.changed_at).total_seconds() // TERMINAL_LEAK)
        if drained:
            row.failures = max(0, row.failures - drained)
            row.changed_at = row.changed_at + timedelta(seconds=drained * TERMINAL_LEAK)
    if not row.failures:
        row.changed_at = None
    row.locked_until = (row.changed_at + timedelta(seconds=TERMINAL_LEAK)
                        if row.failures >= TERMINAL_BURST and row.changed_at else None)


def _account_delay(failures: int) -> int:
    over = failures - FREE_TRIES
    return min(MAX_DELAY, FIRST_DELAY * 2 ** (over - 1)) if over > 0 else 0


def _wait(row: m.PinAttempt, now: datetime, longest: int) -> int:
    """Seconds still to wait, at most ``longest`` (a terminal whose clock went back must
    not wait for hours)."""
    if row.locked_until is None or row.locked_until <= now:
        return 0
    return min(longest, max(1, int((row.locked_until - now).total_seconds() + 0.999)))


def _count_attempt(ctx: Context, staff_id: uuid.UUID, now: datetime) -> None:
    """Refuse while the account or this terminal waits; else count this attempt as wrong
    until its PIN proves right (``_right_pin``)."""
    with write_transaction():
        account = _row("staff", str(staff_id))
        terminal = _row("terminal", _terminal_key(ctx))
        _leak(terminal, now)
        for row, scope, longest in ((terminal, "terminal", TERMINAL_LEAK),
                                    (account, "staff", MAX_DELAY)):
            seconds = _wait(row, now, longest)
            if seconds:
                raise LockedOut(seconds, scope)
        account.failures += 1
        account.changed_at = now
        delay = _account_delay(account.failures)
        account.locked_until = now + timedelta(seconds=delay) if delay else None
        if not terminal.failures:
            terminal.changed_at = now
        terminal.failures += 1
        _leak(terminal, now)
        _save(account)
        _save(terminal)


def _right_pin(ctx: Context, staff_id: uuid.UUID, now: datetime) -> None:
    """The account's own count starts again; the terminal takes back this one attempt."""
    with write_transaction():
        account = _row("staff", str(staff_id))
        account.failures, account.locked_until, account.changed_at = 0, None, None
        _save(account)
        terminal = _row("terminal", _terminal_key(ctx))
        _leak(terminal, now)
        terminal.failures = max(0, terminal.failures - 1)
        _leak(terminal, now)
        _save(terminal)


def _check(ctx: Context, row: m.Staff, pin: str) -> bool:
    now = ctx.now()
    _count_attempt(ctx, row.id, now)
    ok = _matches(row, pin)
    if ok:
        _right_pin(ctx, row.id, now)
    return ok


def _active_row(staff_id: object) -> m.Staff:
    sid = _staff_uuid(staff_id)
    row = m.Staff.get_or_none((m.Staff.id == sid) & m.Staff.active) if sid else None
    if row is None:
        raise NotFound("no such staff member")
    return row


def sign_in(ctx: Context, staff_id: object, pin: str) -> StaffView:
    """The staff member, if ``pin`` is theirs."""
    check_pin(pin)
    row = _active_row(staff_id)
    if not _check(ctx, row, pin):
        raise PermissionDenied("wrong PIN")
    return _view(row)


def approve(ctx: Context, staff_id: object, pin: str, action: str) -> StaffView:
    """The manager or owner ``staff_id`` approves one ``action`` with their PIN, typed at
    this terminal."""
    check_pin(pin)
    row = _active_row(staff_id)
    if row.role not in APPROVERS:
        raise PermissionDenied("only a manager or an owner approves")
    if not _check(ctx, row, pin):
        with write_transaction():
            audit.record(ctx, "approval_refused", row.id, reason=action)
        raise PermissionDenied("wrong PIN")
    return _view(row)


@dataclass(frozen=True)
class Lockout:
    """A run of wrong PINs: an account's (``scope`` "staff", ``key`` its id) or a
    terminal's (``key`` store/terminal); ``name`` is the person's name or the terminal."""

    scope: str
    key: str
    name: str
    failures: int
    locked_until: datetime | None


def lockouts(ctx: Context) -> list[Lockout]:
    """Every account and terminal with wrong PINs still counted, as they stand now."""
    now = ctx.now()
    found = []
    for row in m.PinAttempt.select().order_by(m.PinAttempt.scope, m.PinAttempt.key):
        if row.scope == "terminal":
            _leak(row, now)
            name = row.key.split("/", 1)[-1]
        else:
            name = name_of(row.key)
        if row.failures:
            found.append(Lockout(row.scope, row.key, name, row.failures, row.locked_until))
    return sorted(found, key=lambda r: (r.scope != "staff", r.name))


def clear_lock(ctx: Context, scope: str, key: str, approved_by: object) -> None:
    """An owner forgets a run of wrong PINs (they know who typed them); audited."""
    with write_transaction():
        approver = require_approver(approved_by, Term("clearing a PIN lock-out", "approval"))
        if approver.role != "owner":
            raise PermissionDenied("only an owner clears a PIN lock-out")
        row = m.PinAttempt.get_or_none((m.PinAttempt.scope == scope)
                                       & (m.PinAttempt.key == key))
        if row is None:
            raise NotFound("no such PIN lock-out")
        m.PinAttempt.update(failures=0, locked_until=None, changed_at=None).where(
            (m.PinAttempt.scope == scope) & (m.PinAttempt.key == key)).execute()
        audit.record(ctx, "pin_lock_cleared", key, approved_by=approver.id,
                     before={"scope": scope, "failures": row.failures})


# -- changing PINs ------------------------------------------------------------------------
def _set_pin(row: m.Staff, pin: str) -> None:
    """``pin`` becomes ``row``'s, unless someone else already has it (nobody shares one:
    a cashier whose PIN were a manager's could approve as them)."""
    others = m.Staff.select().where(m.Staff.active & (m.Staff.id != row.id))
    if any(_matches(r, pin) for r in others):
        raise Conflict("someone already uses this PIN: choose another")
    m.Staff.update(pin_hash=hash_pin(pin)).where(m.Staff.id == row.id).execute()


def change_pin(ctx: Context, staff_id: object, old_pin: str, new_pin: str,
               repeated: str) -> StaffView:
    """Staff change their own PIN: the old one (counted against wrong PINs like a
    sign-in), the new one twice; audited."""
    check_pin(old_pin)
    row = _active_row(staff_id)
    check_pin(new_pin)
    if repeated != new_pin:
        raise InvalidInput("the two new PINs differ: type the same new PIN twice")
    if not _check(ctx, row, old_pin):
        raise PermissionDenied("wrong PIN")
    if new_pin == old_pin:
        raise InvalidInput("the new PIN is the old one: choose another")
    with write_transaction():
        _set_pin(row, new_pin)
        audit.record(ctx, "pin_changed", row.id)
    return _view(row)


def reset_pin(ctx: Context, staff_id: object, new_pin: str, approved_by: object) -> StaffView:
    """An owner gives someone a new PIN (they forgot theirs, or it got out) and clears
    that account's wrong PINs; audited."""
    check_pin(new_pin)
    with write_transaction():
        approver = require_approver(approved_by, Term("resetting a PIN", "approval"))
        if approver.role != "owner":
            raise PermissionDenied("only an owner resets a PIN")
        row = _active_row(staff_id)
        _set_pin(row, new_pin)
        m.PinAttempt.update(failures=0, locked_until=None, changed_at=None).where(
            (m.PinAttempt.scope == "staff") & (m.PinAttempt.key == str(row.id))).execute()
        audit.record(ctx, "pin_reset", row.id, approved_by=approver.id)
    return _view(row)
