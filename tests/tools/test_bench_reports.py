"""bench --reports: each manager operation timed through its service next to its raw SQL
floor, on SQLite and PostgreSQL; the rows it counts are the services' own answers."""

from __future__ import annotations

import json

import pytest

from terminal.db import models as m
from terminal.db.database import is_sqlite
from terminal.services import analytics, integrity
from terminal.services.context import Context
from terminal.tools import bench_reports
from tests.helpers import factory

OPERATIONS = {"members_overview", "members_tab_show", "economics_12_months",
              "birthdays_this_week", "expiring_30_days", "eod_one_day", "check",
              "check_quick"}


@pytest.fixture
def shop(ctx: Context, catalogue: dict[str, m.Product], clock) -> None:
    for i in range(4):
        member = factory.member(ctx, f"Member {i}")
        factory.sale(ctx, [("LATTE", i + 1)], member_id=member.id)
    factory.sale(ctx, [("TEA", 1)])  # anonymous


def test_every_operation_as_one_json_object_per_line(ctx: Context, db_url: str, shop: None,
                                                     capsys: pytest.CaptureFixture[str]):
    assert bench_reports.run(ctx, db_url, runs=2, check_runs=1, as_json=True) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by = {r["operation"]: r for r in lines}
    assert set(by) == OPERATIONS and len(lines) == len(OPERATIONS)
    for r in lines:
        assert {"operation", "median_ms", "max_ms", "rows", "runs", "target_ms", "pass",
                "floor_median_ms", "ratio", "members", "transactions"} <= set(r)
        assert 0 <= r["median_ms"] <= r["max_ms"] and r["members"] == 4
    assert by["members_overview"]["rows"] == by["members_tab_show"]["rows"] == 4
    assert by["members_overview"]["floor_median_ms"] is not None  # a floor where one exists
    assert by["members_tab_show"]["floor_median_ms"] is None
    assert by["economics_12_months"]["rows"] == 12
    assert by["eod_one_day"]["rows"] == 5  # the day's sales, the anonymous one too
    assert by["check"]["rows"] == 0 and by["check"]["runs"] == 1
    assert (by["check"]["floor_median_ms"] is not None) == is_sqlite()
    assert by["check_quick"]["rows"] == 0 and by["check_quick"]["runs"] == 1
    assert integrity.read_mark() is not None  # the quick check started from check's mark
    # the overview it computed is kept, and the database is still consistent
    kept = analytics.kept_overview()
    assert kept is not None and kept.overview.members == 4
    assert integrity.check(with_head_file=False) == []


def test_the_table_names_each_operation_and_its_verdict(ctx: Context, db_url: str,
                                                        shop: None, capsys):
    assert bench_reports.run(ctx, db_url, runs=1, check_runs=0, as_json=False,
                             only=("birthdays_this_week", "eod_one_day")) == 0
    out = capsys.readouterr().out
    assert "birthdays this week" in out and "end-of-day figures of" in out
    assert "check, the whole database" not in out and "PASS" in out


def test_bad_counts_are_refused(ctx: Context, db_url: str, capsys):
    assert bench_reports.run(ctx, db_url, runs=0, check_runs=1, as_json=True) == 2
    assert "--runs must be at least 1" in capsys.readouterr().err
    assert bench_reports.run(ctx, db_url, runs=1, check_runs=1, as_json=True,
                             only=("no_such",)) == 2


def test_the_import_is_timed_with_the_reports_when_asked(ctx: Context, db_url: str, shop: None,
                                                         monkeypatch, capsys) -> None:
    from terminal.services import import_batches

    monkeypatch.setattr(import_batches, "CHUNK", 100)
    assert bench_reports.run(ctx, db_url, runs=1, check_runs=0, as_json=True,
                             only=("eod_one_day",), import_members=300) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["operation"] for r in lines] == ["eod_one_day", "import_members"]
    timed = lines[1]
    assert timed["rows"] == 300 and timed["stat"] == "max" and timed["checkouts"] > 0
    assert timed["max_ms"] <= timed["target_ms"] == 500 and timed["pass"]
    assert m.Member.select().count() == 4  # a rehearsal: nothing left behind
    assert bench_reports.run(ctx, db_url, runs=1, check_runs=0, as_json=True,
                             import_members=-1) == 2
