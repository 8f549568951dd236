"""Race harness: long-lived worker processes that each hold their own database connection
and call a service at the same moment, released together by a barrier.

The workers are spawned once (``spawn``: nothing of the test process, no open connection
or thread, is inherited) and reused for every trial: a trial costs two pipe messages, not
two process starts. Each worker opens its connection (``open_database``) when a test hands
it the database URL, before any trial, and is released with the other by a
``multiprocessing.Barrier`` so both service calls overlap.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
import traceback
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from terminal.core.config import DATA_ENV

BARRIER_TIMEOUT_S = 20.0
REPLY_TIMEOUT_S = 60.0

# what a database error's text looks like; a loser's message must never contain it
RAW_DB_TEXT = ("integrityerror", "operationalerror", "duplicate key", "unique constraint",
               "could not serialize", "deadlock", "psycopg", "violates", "sqlite3")


@dataclass(frozen=True)
class Outcome:
    """What one worker's service call did: ``ok`` (a receipt), ``domain`` (a DomainError,
    the clear message a cashier sees) or ``error`` (anything else: a bug)."""

    kind: str
    terminal_id: str
    txn_id: str = ""
    total: int = 0
    code: str = ""
    error_type: str = ""
    message: str = ""
    detail: str = field(default="", repr=False)

    @property
    def ok(self) -> bool:
        return self.kind == "ok"

    def clear_domain_error(self) -> bool:
        text = self.message.lower()
        return self.kind == "domain" and bool(text) and not any(r in text for r in RAW_DB_TEXT)

    def describe(self) -> str:
        if self.kind == "ok":
            return f"{self.terminal_id}: ok (total {self.total})"
        return f"{self.terminal_id}: {self.kind} {self.error_type}: {self.message[:200]}"


@dataclass(frozen=True)
class Call:
    """One service call: ``op`` is ``refund``, ``checkout``, ``top_up``, ``cash_out``,
    ``merge``, ``confirm_join``, ``open_shift`` or ``close_shift`` (see ``_call``)."""

    op: str
    args: dict[str, Any]


def _call(terminal_id: str, now: datetime, call: Call) -> Any:
    """Build the request in the worker and return a function that runs it."""
    from terminal.core.config import Settings
    from terminal.loyalty.pricing import Tenders
    from terminal.services import accounts, checkout, joins, member_care, refunds, shifts
    from terminal.services.context import Context

    a = call.args
    terminal_id = a.get("terminal_id", terminal_id)  # two processes of one terminal
    settings = Settings()
    settings = replace(settings, store=replace(settings.store, terminal_id=terminal_id))
    ctx = Context(settings, staff_id=a.get("staff_id", f"racer-{terminal_id}"),
                  clock=lambda: now)
    if call.op == "refund":
        req = refunds.RefundRequest(a["key"], a["txn_id"], a["approved_by"],
                                    lines=a.get("lines"), void=a.get("void", False))
        return lambda: refunds.refund(ctx, req)
    if call.op == "checkout":
        items = tuple(checkout.SaleItem(sku, qty, unit_price=price, name=name)
                      for sku, qty, price, name in a["items"])
        creq = checkout.CheckoutRequest(
            a["key"], items, member_id=a.get("member_id"), coupon_code=a.get("coupon_code"),
            points=a.get("points", 0), tenders=Tenders(**a.get("tenders", {})))
        return lambda: checkout.checkout(ctx, creq)
    if call.op == "top_up":
        return lambda: accounts.top_up(ctx, a["key"], a["member_id"], a["paid"],
                                       Tenders(cash=a["paid"]))
    if call.op == "cash_out":
        return lambda: accounts.cash_out(ctx, a["key"], a["member_id"], a["approved_by"])
    if call.op == "merge":
        return lambda: member_care.merge(ctx, a["keep_id"], a["other_id"], a["approved_by"])
    if call.op == "confirm_join":
        def confirm() -> Any:  # the new member's id where a receipt's would be
            return SimpleNamespace(txn_id=joins.confirm(ctx, a["join_id"]).id, total=0)
        return confirm
    if call.op in ("open_shift", "close_shift"):
        def shift() -> Any:  # what _run reads of a receipt: the shift's id and its cash
            if call.op == "open_shift":
                rep = shifts.open_shift(ctx, a["float"])
            else:
                rep = shifts.close_shift(ctx, a["counted"], a.get("shift_id"))
            return SimpleNamespace(txn_id=rep.shift_id, total=rep.expected)
        return shift
    raise ValueError(f"unknown race operation {call.op!r}")


def _run(terminal_id: str, barrier: Any, now: datetime, call: Call) -> Outcome:
    from terminal.core.errors import DomainError

    try:
        run = _call(terminal_id, now, call)
    except Exception as exc:  # the request itself is wrong: say so, still meet the others
        barrier.abort()
        return Outcome("error", terminal_id, error_type=type(exc).__name__, message=str(exc),
                       detail=traceback.format_exc())
    try:
        barrier.wait(BARRIER_TIMEOUT_S)
    except threading.BrokenBarrierError:
        return Outcome("error", terminal_id, error_type="BrokenBarrierError",
                       message="the other workers never reached the barrier")
    try:
        receipt = run()
    except DomainError as exc:
        return Outcome("domain", terminal_id, code=exc.code, error_type=type(exc).__name__,
                       message=str(exc))
    except Exception as exc:
        return Outcome("error", terminal_id, error_type=type(exc).__name__, message=str(exc),
                       detail=traceback.format_exc())
    # a receipt; a merge returns what it moved, no receipt
    return Outcome("ok", terminal_id, txn_id=str(getattr(receipt, "txn_id", "")),
                   total=getattr(receipt, "total", 0))


def _worker(conn: multiprocessing.connection.Connection, barrier: Any, terminal_id: str
            ) -> None:
    from terminal.core import config
    from terminal.db.database import close_database, open_database, proxy

    while True:
        msg = conn.recv()
        cmd = msg[0]
        try:
            if cmd == "stop":
                close_database()
                conn.send(("ok",))
                return
            if cmd == "open":
                close_database()
                # the test's data folder (tests/conftest.py): the audit key file is there
                os.environ[config.DATA_ENV] = msg[2]
                # the test's own process created and migrated the schema
                open_database(msg[1], migrate=False)
                conn.send(("ok",))
            elif cmd == "close":
                close_database()
                proxy.initialize(None)
                conn.send(("ok",))
            elif cmd == "run":
                conn.send(("ok", _run(terminal_id, barrier, msg[1], msg[2])))
            else:
                conn.send(("error", f"unknown command {cmd!r}"))
        except Exception:
            conn.send(("error", traceback.format_exc()))


class RacePool:
    """``size`` worker processes, each with its own terminal id and database connection."""

    def __init__(self, size: int = 2) -> None:
        mp = multiprocessing.get_context("spawn")
        self.barrier = mp.Barrier(size)
        self.terminal_ids = [f"RACE{i + 1}" for i in range(size)]
        self._conns: list[multiprocessing.connection.Connection] = []
        self._procs: list[Any] = []
        for tid in self.terminal_ids:
            parent, child = mp.Pipe()
            proc = mp.Process(target=_worker, args=(child, self.barrier, tid), daemon=True,
                              name=f"race-worker-{tid}")
            proc.start()
            child.close()
            self._conns.append(parent)
            self._procs.append(proc)

    def _ask(self, conn: multiprocessing.connection.Connection) -> Any:
        if not conn.poll(REPLY_TIMEOUT_S):
            raise TimeoutError("a race worker did not answer")
        reply = conn.recv()
        if reply[0] != "ok":
            raise RuntimeError(f"race worker failed: {reply[1]}")
        return reply[1] if len(reply) > 1 else None

    def _all(self, *msg: Any) -> None:
        for conn in self._conns:
            conn.send(msg)
        for conn in self._conns:
            self._ask(conn)

    def open(self, url: str) -> None:
        """Every worker opens its own connection to ``url`` (before any trial)."""
        self._all("open", url, os.environ[DATA_ENV])

    def close(self) -> None:
        self._all("close")

    def race(self, now: datetime, calls: list[Call]) -> list[Outcome]:
        """Run ``calls[i]`` in worker ``i``, all released at once; their outcomes."""
        if len(calls) != len(self._conns):
            raise ValueError(f"a race takes {len(self._conns)} calls")
        for conn, call in zip(self._conns, calls, strict=True):
            conn.send(("run", now, call))
        outcomes = [self._ask(conn) for conn in self._conns]
        if self.barrier.broken:
            self.barrier.reset()
        return outcomes

    def stop(self) -> None:
        for conn, proc in zip(self._conns, self._procs, strict=True):
            try:
                conn.send(("stop",))
                conn.poll(10) and conn.recv()
            except (OSError, EOFError):
                pass
            proc.join(10)
            if proc.is_alive():
                proc.kill()
                proc.join()
            conn.close()


def new_key(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"
