"""One simulated terminal's bookkeeping for ``simulate`` and ``bench``: idempotency keys, retries
of a busy database, failures and lost races told apart, and what the terminal wrote."""

from __future__ import annotations

import dataclasses
import math
import random
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import peewee as pw

from ..core.errors import DomainError, PermissionDenied
from ..db import models as m
from ..services import staff
from ..services.context import Context

T = TypeVar("T")

MAX_ATTEMPTS = 8
BACKOFF_S = 0.05
POOL_SIZE = 500
RACE_WINDOW = timedelta(seconds=30)
REPORTED_FAILURES = 10  # tracebacks printed in full; the rest are counted


def transient(exc: BaseException) -> bool:
    """A busy or locked database, or a PostgreSQL serialization failure or deadlock: the same
    request is safe to send again with the same idempotency key."""
    seen: list[BaseException] = [exc, *[a for a in exc.args if isinstance(a, BaseException)]]
    if exc.__cause__ is not None:
        seen.append(exc.__cause__)
    for err in seen:
        if getattr(err, "pgcode", None) in ("40001", "40P01", "55P03"):
            return True
        text = str(err).lower()
        if any(s in text for s in ("database is locked", "database is busy",
                                   "deadlock detected", "could not serialize",
                                   "could not obtain lock")):
            return True
    return False


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: p99 of 50 samples is the largest)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


@dataclasses.dataclass
class Stats:
    ok: Counter[str] = dataclasses.field(default_factory=Counter)
    refused: Counter[str] = dataclasses.field(default_factory=Counter)  # bad input, as expected
    races: Counter[str] = dataclasses.field(default_factory=Counter)
    features: Counter[str] = dataclasses.field(default_factory=Counter)  # of recorded sales
    failures: list[str] = dataclasses.field(default_factory=list)
    retries: int = 0
    sales: int = 0  # sales recorded by this run
    checkout_s: list[float] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Sale:
    txn_id: Any
    member_id: Any
    day: date


class Till:
    """One terminal's till: the requests it sends (each with its idempotency key, retried
    while the database is busy) and the checks of their answers."""

    def __init__(self, ctx: Context, rng: random.Random) -> None:
        self.ctx = ctx
        self.rng = rng
        self.jitter = random.Random()  # retries happen at random moments: keep them off rng
        self.stats = Stats()
        self.run_id = uuid.uuid4().hex[:10]
        self.n = 0
        self.pool: list[m.Member] = sample_members(rng, POOL_SIZE)
        self.manager = _approver(ctx)
        self.keys: list[str] = []
        self.seq0 = self._last_seq()
        self.subject: tuple[Any, Any] = (None, None)  # (member id, sale id) being worked on

    def key(self, what: str) -> str:
        self.n += 1
        key = f"sim:{self.ctx.terminal_id}:{self.run_id}:{self.n}:{what}"
        self.keys.append(key)
        return key

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call a service; on a busy/locked database or a PostgreSQL serialization failure
        wait and send the very same request again (same idempotency key), so a retry of a
        sale that was in fact committed replays it instead of recording it twice."""
        delay = BACKOFF_S
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return fn(*args, **kwargs)
            except (pw.OperationalError, pw.InterfaceError) as exc:
                if attempt == MAX_ATTEMPTS or not transient(exc):
                    raise
                self.stats.retries += 1
                time.sleep(delay * (0.5 + self.jitter.random()))
                delay = min(delay * 2, 1.0)
        raise AssertionError("unreachable")  # pragma: no cover

    def _last_seq(self) -> int:
        return int(m.Txn.select(pw.fn.MAX(m.Txn.seq))
                   .where(m.Txn.terminal_id == self.ctx.terminal_id).scalar() or 0)

    def fail(self, op: str, message: str, exc: BaseException | None = None) -> None:
        text = f"{op}: {message}"
        if exc is not None and len(self.stats.failures) < REPORTED_FAILURES:
            text += "\n" + "".join(traceback.format_exception(exc)).rstrip()
        self.stats.failures.append(text)

    def raced(self, since: datetime, member_id: Any = None, txn_id: Any = None) -> bool:
        """Did another terminal change this member or sale since ``since``? Then a refusal
        of a request built from what we read before is the rules working, not a bug."""
        here = self.ctx.terminal_id
        # another terminal stamps its rows when its transaction starts, which can be well
        # before it commits (it may have waited for the write lock)
        since -= RACE_WINDOW
        if member_id is not None and m.Txn.select().where(
                (m.Txn.member == member_id) & (m.Txn.created_at >= since)
                & (m.Txn.terminal_id != here)).exists():
            return True
        return txn_id is not None and m.Txn.select().where(
            (m.Txn.original == txn_id) & (m.Txn.terminal_id != here)).exists()

    def written_here(self, since: datetime) -> tuple[int, ...]:
        """Rows this terminal wrote since ``since`` (every origin table carries both columns,
        and ``created_at`` is indexed, so this stays cheap on a large database)."""
        here = self.ctx.terminal_id
        return tuple(
            model.select().where((model.created_at >= since) & (model.terminal_id == here))
            .count()
            for model in (m.Member, m.Txn, m.Coupon, m.PointsEntry, m.StoredValueEntry,
                          m.PunchCard, m.PunchEntry))

    def member(self) -> m.Member:
        return self.rng.choice(self.pool)

    def about(self, member_id: Any, txn_id: Any = None) -> None:
        self.subject = (member_id, txn_id)

    def attempt(self, op: str, handler: Callable[[], None]) -> None:
        """Run one operation: a refusal is a lost race only when another terminal changed its
        member or sale meanwhile; any other refusal or error is a failure."""
        since = self.ctx.now()
        self.subject = (None, None)
        try:
            handler()
        except DomainError as exc:
            # a valid request refused: fine only when another terminal got there first
            if self.raced(since, *self.subject):
                self.stats.races[op] += 1
            else:
                self.fail(op, f"refused unexpectedly: {type(exc).__name__}: {exc}", exc)
        except Exception as exc:
            self.fail(op, f"{type(exc).__name__}: {exc}", exc)

    def finish(self) -> None:
        recorded = (m.Txn.select().where((m.Txn.terminal_id == self.ctx.terminal_id)
                                         & (m.Txn.seq > self.seq0) & (m.Txn.kind == "sale"))
                    .count())
        if recorded != self.stats.sales:
            self.fail("ledger", f"{recorded} sales in the database, {self.stats.sales} made")


def sample_members(rng: random.Random, n: int, chunk: int = 50) -> list[m.Member]:
    """Up to ``n`` random live members, drawn through the card-number index (a random start
    and the next ``chunk`` cards), so it costs the same on ten members or a million."""
    fields = (m.Member.id, m.Member.card_no, m.Member.phone, m.Member.name, m.Member.name_key,
              m.Member.referral_code)
    lo, hi = m.Member.select(pw.fn.MIN(m.Member.card_no), pw.fn.MAX(m.Member.card_no)).scalar(
        as_tuple=True)
    if lo is None:
        return []
    numeric = lo.isdigit() and hi.isdigit() and len(lo) == len(hi)
    found: dict[Any, m.Member] = {}
    for _ in range(n // chunk * 3 + 10):
        if len(found) >= n:
            break
        start = str(rng.randint(int(lo), int(hi))).zfill(len(lo)) if numeric else lo
        rows = list(m.Member.select(*fields)
                    .where((m.Member.card_no >= start) & m.Member.erased_at.is_null())
                    .order_by(m.Member.card_no).limit(chunk))
        for row in rows:
            found.setdefault(row.id, row)
        if not numeric:
            break
    return [found[k] for k in sorted(found, key=str)][:n]


def _approver(ctx: Context) -> str:
    """A manager to approve refunds: the database's own, or (on a database without staff,
    such as a test one) an owner account with a random PIN nobody knows."""
    def find() -> m.Staff | None:
        return m.Staff.select().where(m.Staff.active & m.Staff.role.in_(staff.APPROVERS)
                                      ).order_by(m.Staff.created_at).first()

    row = find()
    if row is None:
        pin = f"{random.SystemRandom().randrange(10**8):08d}"
        try:
            return str(staff.create(ctx, "Simulation owner", "owner", pin).id)
        except PermissionDenied:  # another simulator made the first account meanwhile
            row = find()
    assert row is not None
    return str(row.id)
