"""Receipt numbers: two processes with the same terminal id never take the same number, and a
database from before the counters keeps its numbering."""

from __future__ import annotations

import multiprocessing as mp
import traceback
from typing import Any

import peewee
import pytest

from terminal.db import models as m
from terminal.db.database import (
    DuplicateRecord,
    close_database,
    is_sqlite,
    open_database,
    proxy,
    write_transaction,
)
from terminal.db.migrations import MIGRATIONS, SCHEMA_VERSION, current_version, migrate
from terminal.loyalty.pricing import Tenders
from terminal.services import checkout
from terminal.services.context import Context
from terminal.services.integrity import check

TRIALS = 50


def _worker(url: str, name: str, barrier: Any, results: Any) -> None:
    """One shell command beside the counter: its own connection, the same terminal id."""
    try:
        open_database(url)
        ctx = Context(staff_id=name)  # default settings: terminal T01, like the counter
        sale = checkout.SaleItem(unit_price=500, name="Coffee")
    except BaseException:
        barrier.abort()
        results.put((name, -1, "setup", traceback.format_exc()))
        return
    for trial in range(TRIALS):
        try:
            barrier.wait(timeout=60)
        except BaseException:
            results.put((name, trial, "barrier", traceback.format_exc()))
            return
        try:
            receipt = checkout.checkout(ctx, checkout.CheckoutRequest(
                f"race-{name}-{trial:04d}", (sale,), tenders=Tenders(cash=500)))
            results.put((name, trial, "ok", receipt.receipt_no))
        except BaseException as exc:
            results.put((name, trial, "error", f"{type(exc).__name__}: {exc}"))
    close_database()


def test_two_processes_with_one_terminal_id_never_collide(db, db_url: str) -> None:
    close_database()  # the children open their own connections
    spawn = mp.get_context("spawn")
    barrier = spawn.Barrier(2)
    results = spawn.Queue()
    procs = [spawn.Process(target=_worker, args=(db_url, name, barrier, results))
             for name in ("counter", "shell")]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=300) for _ in range(2 * TRIALS)]
    for p in procs:
        p.join(timeout=60)
    db.connect(reuse_if_open=True)

    setup = [o for o in outcomes if o[2] in ("setup", "barrier")]
    assert setup == []
    failed = [o for o in outcomes if o[2] != "ok"]
    trials_failed = len({o[1] for o in failed})
    assert failed == [], f"{trials_failed} of {TRIALS} trials failed: {failed[:3]}"
    numbers = sorted(o[3] for o in outcomes)
    assert numbers == [f"T01-{n:06d}" for n in range(1, 2 * TRIALS + 1)]
    assert m.Txn.select().count() == 2 * TRIALS
    assert check() == []


def _sale(ctx: Context, key: str) -> str:
    return checkout.checkout(ctx, checkout.CheckoutRequest(
        key, (checkout.SaleItem(unit_price=500, name="Tea"),),
        tenders=Tenders(cash=500))).receipt_no


def test_a_database_from_before_the_counters_keeps_its_numbering(db_url: str) -> None:
    db = open_database(db_url, migrate=False)
    migrate(db, migrations=MIGRATIONS[:5], before_migrating=None)
    db.execute_sql("DROP TABLE terminal_counter")  # as version 5 left it
    ctx = Context()
    for terminal, seq in (("T01", 1), ("T01", 41), ("T02", 7)):
        m.Txn.create(**{**ctx.origin(), "terminal_id": terminal}, idempotency_key=f"old-{seq}",
                     kind="visit", seq=seq, business_date=ctx.today())
    assert current_version(db) == 5
    close_database()

    db = open_database(db_url)
    assert current_version(db) == SCHEMA_VERSION
    assert {(c.terminal_id, c.last_seq) for c in m.TerminalCounter.select()} == {
        ("T01", 41), ("T02", 7)}
    assert check() == []
    assert _sale(ctx, "after-upgrade-1") == "T01-000042"
    assert _sale(ctx, "after-upgrade-2") == "T01-000043"
    close_database()
    proxy.initialize(None)


def test_a_terminal_without_a_counter_row_starts_after_its_last_receipt(ctx: Context) -> None:
    # e.g. a demo database, written row by row without the counters
    m.Txn.create(**ctx.origin(), idempotency_key="demo-1", kind="visit", seq=9,
                 business_date=ctx.today())
    assert _sale(ctx, "first-sale-1") == "T01-000010"
    assert m.TerminalCounter.get_by_id("T01").last_seq == 10
    assert _sale(ctx, "first-sale-2") == "T01-000011"


def test_check_finds_a_counter_behind_its_receipts(ctx: Context) -> None:
    _sale(ctx, "sale-00000001")
    _sale(ctx, "sale-00000002")
    m.TerminalCounter.update(last_seq=1).where(m.TerminalCounter.terminal_id == "T01").execute()
    problems = check()
    assert len(problems) == 1 and "T01" in problems[0] and "receipt" in problems[0]


def test_a_unique_violation_is_a_sentence_not_a_raw_error(ctx: Context) -> None:
    ctx_other = Context()
    taken = m.Member.create(**ctx_other.origin(), card_no="1234567897", name="A", name_key="a",
                            referral_code="R1", tier="standard", tier_since=ctx.now())
    with pytest.raises(DuplicateRecord) as caught, write_transaction():
        m.Member.create(**ctx_other.origin(), card_no=taken.card_no, name="B",
                        name_key="b", referral_code="R2", tier="standard",
                        tier_since=ctx.now())
    assert isinstance(caught.value, peewee.IntegrityError)  # callers that replay still can
    message = str(caught.value)
    assert "IntegrityError" not in message and "UNIQUE" not in message.upper()
    assert "try again" in message
    if not is_sqlite():
        assert "duplicate key" not in message
