"""Faults: a crash in the middle of a checkout, and a database locked by another terminal."""

from __future__ import annotations

import sqlite3

import pytest

from terminal.core.errors import DomainError
from terminal.db.database import DatabaseBusy, proxy, sqlite_path
from terminal.services import checkout, integrity, ledger
from tests.helpers import factory
from tests.helpers.state import snapshot


def test_crash_mid_checkout_leaves_nothing_behind(ctx, catalogue, monkeypatch):
    mb = factory.member(ctx)
    factory.top_up(ctx, mb.id, 10_000)
    before = snapshot()

    def power_cut(*args, **kwargs):
        raise RuntimeError("power cut")

    # the sale row, its lines and the stored-value debit are written before points are
    monkeypatch.setattr(checkout, "add_points", power_cut)
    req = checkout.CheckoutRequest(factory.key(), (checkout.SaleItem("LATTE", 2),),
                                   member_id=mb.id,
                                   tenders=checkout.pricing.Tenders(stored_value=5600))
    with pytest.raises(RuntimeError, match="power cut"):
        checkout.checkout(ctx, req)
    assert snapshot() == before
    monkeypatch.setattr(checkout, "add_points", ledger.add_points)
    r = checkout.checkout(ctx, req)  # the retry with the same key records it once
    assert r.total == 5600
    assert integrity.check() == []


def test_locked_database_gives_a_clear_message_and_writes_nothing(ctx, catalogue, db_url):
    path = sqlite_path(db_url)
    if path is None:
        pytest.skip("SQLite's file lock; PostgreSQL uses row locks")
    mb = factory.member(ctx)
    before = snapshot()
    proxy.obj._timeout = 0.2  # do not wait the full busy timeout in a test
    proxy.obj.close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another terminal holds the write lock
    try:
        with pytest.raises(DatabaseBusy, match="another terminal is writing") as err:
            factory.sale(ctx, [("LATTE", 1)], member_id=mb.id)
        assert isinstance(err.value, DomainError)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert snapshot() == before
    factory.sale(ctx, [("LATTE", 1)], member_id=mb.id)
