"""simulate: realistic counter traffic leaves the ledgers consistent, alone or side by side."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import peewee
import pytest

from terminal.db import models as m
from terminal.services import checkout, members
from terminal.services.context import Context
from terminal.services.integrity import check
from terminal.tools import simulate
from tests.helpers import factory

ROOT = Path(__file__).resolve().parents[2]


def _reported(out: str, label: str) -> int:
    found = re.search(rf"^{label}: (\d+)", out, re.M)
    assert found, out
    return int(found.group(1))


def _sales(terminal: str) -> int:
    return m.Txn.select().where((m.Txn.terminal_id == terminal) & (m.Txn.kind == "sale")).count()


def test_simulate_keeps_the_ledgers_consistent(ctx: Context, catalogue: dict[str, m.Product],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    factory.counter_members(ctx, 12)

    assert simulate.run(ctx, sales=100, terminal="SIM1", seed=7) == 0

    out = capsys.readouterr().out
    assert check() == []
    assert _reported(out, "unexpected failures") == 0
    assert _reported(out, "sales recorded") == _sales("SIM1") > 0
    assert _reported(out, "refused as expected") > 0


def test_simulate_starts_on_an_empty_database(ctx: Context,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # no members and no catalogue: it enrols first and sells plain amounts
    assert simulate.run(ctx, sales=40, terminal="SIM2", seed=1) == 0

    out = capsys.readouterr().out
    assert check() == []
    assert m.Member.select().where(m.Member.terminal_id == "SIM2").count() > 0
    assert _reported(out, "sales recorded") == _sales("SIM2")


def _locked_every(real: Callable[..., object], every: int, committed: bool
                  ) -> Callable[..., object]:
    """``real``, but every ``every``-th call (the first among them) says 'database is
    locked': after ``real`` ran (``committed``) or instead of it."""
    calls = 0

    def call(*args: object) -> object:
        nonlocal calls
        result = real(*args) if committed else None
        calls += 1
        if calls % every == 1:
            raise peewee.OperationalError("database is locked")
        return result if committed else real(*args)

    return call


@pytest.mark.parametrize("name,every,committed,terminal,seed", [
    # the worst case: the sale commits, then the caller sees 'database is locked'; the
    # retry must replay the recorded sale, not record it again
    pytest.param("_record", 4, True, "SIM3", 3, id="the answer of a committed sale lost"),
    pytest.param("lock_member", 3, False, "SIM4", 4, id="locked before writing"),
])
def test_a_locked_database_is_retried_with_the_same_key(
        ctx: Context, catalogue: dict[str, m.Product], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], name: str, every: int, committed: bool,
        terminal: str, seed: int) -> None:
    factory.counter_members(ctx, 6)
    monkeypatch.setattr(checkout, name, _locked_every(getattr(checkout, name), every,
                                                      committed))

    assert simulate.run(ctx, sales=60, terminal=terminal, seed=seed) == 0

    out = capsys.readouterr().out
    assert _reported(out, "retries") > 0
    assert _reported(out, "sales recorded") == _sales(terminal)
    assert check() == []


def test_failures_give_exit_code_1(ctx: Context, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(members, "enrol", broken)

    assert simulate.run(ctx, sales=3, terminal="SIM5", seed=1) == 1
    assert "RuntimeError: boom" in capsys.readouterr().out


def test_a_terminal_id_too_long_is_refused(ctx: Context) -> None:
    assert simulate.run(ctx, sales=1, terminal="T" * 33, seed=1) == 2


@pytest.mark.slow
def test_two_terminals_at_once(db_url: str, ctx: Context, catalogue: dict[str, m.Product],
                               tmp_path: Path) -> None:
    factory.counter_members(ctx, 12)
    config = tmp_path / "config.toml"
    config.write_text("")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = {
        terminal: subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "simulate", "--db", db_url,
             "--config", str(config), "--sales", "60", "--terminal", terminal, "--seed", "5"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for terminal in ("PA", "PB")}
    outputs = {t: p.communicate(timeout=120)[0] for t, p in procs.items()}

    for terminal, proc in procs.items():
        assert proc.returncode == 0, outputs[terminal]
        assert _reported(outputs[terminal], "sales recorded") == _sales(terminal)
    assert check() == []
    duplicated = (m.Txn.select(m.Txn.idempotency_key).group_by(m.Txn.idempotency_key)
                  .having(peewee.fn.COUNT(m.Txn.id) > 1))
    assert list(duplicated) == []
