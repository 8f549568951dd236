"""bench: runs on a small database, prints its figures, and leaves the database consistent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from terminal.db import models as m
from terminal.db.database import sqlite_path
from terminal.services import members
from terminal.services.context import Context
from terminal.services.integrity import check
from terminal.tools import bench


@pytest.fixture
def people(ctx: Context, catalogue: dict[str, m.Product]) -> None:
    for i, name in enumerate(["王小明", "王芳", "李娜", "Alice Wong", "Ben Li", "张伟"] * 2):
        members.enrol(ctx, members.EnrolRequest(f"{name}{i}", f"1381234{i:04d}"))


def _files(db_url: str) -> set[str]:
    path = sqlite_path(db_url)
    return {p.name for p in Path(path).parent.iterdir()} if path else set()


def test_bench_json(db_url: str, ctx: Context, people: None,
                    capsys: pytest.CaptureFixture[str]) -> None:
    before = _files(db_url)

    assert bench.run(ctx, db_url, rounds=5, as_json=True, products=300) == 0

    report = json.loads(capsys.readouterr().out)
    assert {"database", "members", "transactions", "rounds", "raw_checkout", "operations",
            "pass"} <= set(report)
    assert set(report["operations"]) == set(bench.OPERATIONS)
    for op in report["operations"].values():
        assert {"orm", "raw", "ratio_median", "ratio_p99", "target", "pass"} <= set(op)
        assert {"median_ms", "p99_ms", "n"} <= set(op["orm"])
        assert op["orm"]["n"] == 5
    if sqlite_path(db_url):
        assert report["raw_checkout"] == "scratch_copy"
        assert all(op["raw"]["n"] == 5 for op in report["operations"].values())
    else:
        assert report["raw_checkout"] is None
        assert all(op["raw"] is None for op in report["operations"].values())
    assert report["members"] == 12
    # barcodes among 300 products, the ones made for it rolled back
    assert report["products"] == 300 and report["products_generated"] == 300 - 6
    assert m.Product.select().count() == 6 and m.ProductBarcode.select().count() == 1
    # the service checkouts are real sales; the raw ones went to a copy that is gone
    assert m.Txn.select().where(m.Txn.terminal_id == bench.TERMINAL).count() == \
        report["service_sales"] > 0
    assert m.Txn.select().where(m.Txn.terminal_id == bench.RAW_TERMINAL).count() == 0
    assert _files(db_url) <= before | {"test.sqlite-wal", "test.sqlite-shm"}
    assert check() == []


def test_bench_rolls_back_without_room_for_a_copy(
        db_url: str, ctx: Context, people: None, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    if not sqlite_path(db_url):
        pytest.skip("the raw sqlite3 column is for SQLite only")
    monkeypatch.setattr(bench, "_free_bytes", lambda folder: 0)

    assert bench.run(ctx, db_url, rounds=3, as_json=False, products=300) == 0

    out = capsys.readouterr().out
    assert "rolled back" in out
    assert "PASS" in out or "FAIL" in out
    assert m.Txn.select().where(m.Txn.terminal_id == bench.RAW_TERMINAL).count() == 0
    assert check() == []


def test_bench_on_an_empty_database(db_url: str, ctx: Context) -> None:
    assert bench.run(ctx, db_url, rounds=3, as_json=True) == 2
