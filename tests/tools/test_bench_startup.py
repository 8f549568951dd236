"""bench --startup: the real counter started as ``main.py gui`` in its own process times its
own start and the manager's window after the PIN, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from terminal.services.context import Context
from terminal.tools import bench_startup
from terminal.ui import startup_probe
from tests.helpers import factory


@pytest.fixture
def shop(ctx: Context, catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    factory.manager(ctx)  # "Manager Wang 王", PIN 9999
    for i in range(3):
        factory.sale(ctx, [("LATTE", 1)], member_id=factory.member(ctx, f"M{i}").id)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")


def test_the_counter_and_the_managers_window_are_timed(shop, db_url: str, capsys) -> None:
    assert bench_startup.run(db_url, None, runs=2, as_json=True) == 0
    rows = {r["operation"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert set(rows) == {"counter_ready", "manager_window"}
    for r in rows.values():
        assert 0 < r["median_ms"] <= r["max_ms"] and r["runs"] == 2
        assert {"target_ms", "pass", "first_ms", "rows"} <= set(r)
    assert rows["counter_ready"]["target_ms"] == 2000
    assert rows["manager_window"]["target_ms"] == 1000


def test_a_manager_who_is_not_there_is_said_not_timed(shop, db_url: str, capsys,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(startup_probe.WHO_ENV, "Nobody")
    assert bench_startup.run(db_url, None, runs=1, as_json=False) == 0
    out, err = capsys.readouterr()
    assert "no manager named 'Nobody' here" in err
    assert "launch to the counter ready for a scan" in out
    assert "manager's window" not in out.split("target", 1)[1]
