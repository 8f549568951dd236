"""The ``programme`` command: show (as TOML or JSON), history, set (a manager approves), and
``show --json`` read back by ``set``."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from terminal import cli
from terminal.db import models as m
from terminal.db.database import close_database, open_database, proxy
from terminal.services import programme
from terminal.services.context import Context
from tests.helpers import factory

MANAGER = ["--manager", "manager wang 王"]


@pytest.fixture
def shop(db_url: str, clock, tmp_path: Path) -> Iterator[list[str]]:
    """A closed database with a manager (PIN 9999) and a settings file of [points]; the
    options naming both."""
    open_database(db_url)
    factory.manager(Context(staff_id="t", clock=clock))
    close_database()
    config = tmp_path / "config.toml"
    config.write_text('[store]\nname = "Tea"\n\n[points]\nearn_per_unit = 2\n', encoding="utf-8")
    yield ["--db", db_url, "--config", str(config)]
    close_database()
    proxy.initialize(None)


def show_json(shop: list[str], capsys, *extra: str) -> dict:
    capsys.readouterr()
    assert cli.main(["programme", "show", "--json", *extra, *shop]) == 0
    return json.loads(capsys.readouterr().out)


def test_show_moves_the_files_rules_in_and_prints_them_as_toml(shop, capsys):
    assert cli.main(["programme", "show", *shop]) == 0
    out = capsys.readouterr().out
    assert "version 1, in force from 2000-01-01 00:00 (moved from the settings file)" in out
    rules = tomllib.loads(out)
    assert rules["points"]["earn_per_unit"] == 2
    assert rules["stored_value"]["max_balance"] == "5000.00"  # a new shop: the legal cap
    assert cli.main(["programme", "show", *shop]) == 0
    assert "the file's values are ignored" in capsys.readouterr().err


def test_show_json_is_taken_back_by_set_and_a_future_version_waits(shop, pins, capsys,
                                                                  tmp_path):
    shown = show_json(shop, capsys)
    assert shown["version"] == 1 and shown["reason"] == "moved from the settings file"
    shown["rules"]["points"]["earn_per_unit"] = 3
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(shown, ensure_ascii=False), encoding="utf-8")
    pins.append("9999")
    assert cli.main(["programme", "set", str(path), "--from", "2030-01-07",
                     "--reason", "triple points", *MANAGER, *shop]) == 0
    assert "programme version 2 saved: in force from 2030-01-07 00:00" in \
        capsys.readouterr().out
    assert show_json(shop, capsys)["rules"]["points"]["earn_per_unit"] == 2  # not yet
    later = show_json(shop, capsys, "--at", "2030-01-07 00:00")
    assert later["version"] == 2 and later["rules"]["points"]["earn_per_unit"] == 3
    assert later["rules"] == {**shown["rules"]}  # the round trip changed nothing else
    capsys.readouterr()
    assert cli.main(["programme", "history", *shop]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["2", "from", "2030-01-07"] and "triple points" in lines[0]
    assert lines[1].endswith("moved from the settings file")


def test_set_from_toml_changes_only_what_the_file_names(shop, pins, capsys, tmp_path):
    path = tmp_path / "points.toml"
    path.write_text("[points]\nredeem_points_per_unit = 50\n", encoding="utf-8")
    pins.append("9999")
    assert cli.main(["programme", "set", str(path), "--reason", "points worth more",
                     *MANAGER, *shop]) == 0
    now = show_json(shop, capsys)["rules"]
    assert now["points"]["redeem_points_per_unit"] == 50
    assert now["points"]["earn_per_unit"] == 2  # kept from the version before
    entry = m.AuditEntry.select().where(m.AuditEntry.action == "programme_change").order_by(
        m.AuditEntry.seq.desc()).get()
    assert entry.reason == "points worth more" and entry.approved_by


@pytest.mark.parametrize(("text", "pin", "said"), [
    ("[points]\nearn_per_unit = 5000\n", None,
     "line 2: [points] earn_per_unit: expected a number from 0 to 1000, got 5000"),
    ("[pionts]\nearn_per_unit = 3\n", None, "[pionts]: unknown section"),
    ("[points\n", None, "is not valid TOML"),
    ("[points]\nearn_per_unit = 3\n", "1111", "wrong PIN"),
])
def test_set_refuses_bad_rules_and_a_wrong_pin_and_saves_nothing(shop, pins, capsys,
                                                                 tmp_path, text, pin, said):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    if pin:
        pins.append(pin)
    assert cli.main(["programme", "set", str(path), "--reason", "x", *MANAGER, *shop]) == 1
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
    assert programme.newest_version() == 1


def test_a_time_that_is_not_one_is_said_so(shop, capsys):
    assert cli.main(["programme", "show", "--at", "next monday", *shop]) == 1
    assert "'next monday' is not a time" in capsys.readouterr().err
