"""The data commands: backup, restore, import members, export members / sales / ledgers."""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import sqlite3
from collections.abc import Iterator

import pytest

from terminal import datacli
from terminal.config import Settings
from terminal.db import models as m
from terminal.db.database import close_database, open_database, proxy
from terminal.services import audit, integrity
from terminal.services.context import Context
from tests.conftest import PG_URL
from tests.helpers import factory

sqlite_only = pytest.mark.skipif(
    bool(PG_URL), reason="backup and restore are SQLite-only (PostgreSQL: pg_dump); "
                         "this run tests PostgreSQL")


AS_MANAGER = ["--manager", "manager wang 王"]  # any case; or the staff id


def parse(argv: list[str]) -> argparse.Namespace:
    """A parser like main's: the data commands added to a sub-parser set named command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="member-terminal")
    sub = parser.add_subparsers(dest="command")
    datacli.add_parser(sub, [common])
    return parser.parse_args(argv)


def run(argv: list[str], url: str) -> int:
    return datacli.run(parse(argv), Settings(), url)


@pytest.fixture
def shop(db_url: str, clock) -> Iterator[str]:
    """A closed database with a manager (PIN 9999), one member and a sale; its URL."""
    open_database(db_url)
    ctx = Context(staff_id="t", clock=clock)
    factory.manager(ctx)
    member = factory.member(ctx, "Alice")
    factory.top_up(ctx, member.id, 10_000)
    close_database()
    yield db_url
    close_database()
    proxy.initialize(None)


@pytest.fixture
def pin(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The PINs getpass will be given, in order."""
    answers: list[str] = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": answers.pop(0))
    return answers


def test_parser_shapes() -> None:
    args = parse(["export", "sales", "--output", "s.csv", "--from", "2026-03-01",
                  "--to", "2026-03-31"])
    assert (args.command, args.data_what, args.output) == ("export", "sales", "s.csv")
    assert str(args.date_from) == "2026-03-01" and str(args.date_to) == "2026-03-31"
    args = parse(["import", "members", "old.csv", "--dry-run", "--db", "sqlite:///x"])
    assert (args.data_what, args.data_path, args.dry_run, args.db) == \
        ("members", "old.csv", True, "sqlite:///x")
    assert parse(["restore", "b.sqlite", "--yes"]).yes
    with pytest.raises(SystemExit):
        parse(["export", "coupons", "--output", "x.csv"])
    with pytest.raises(SystemExit):
        parse(["export", "members"])  # --output is required


def test_import_members_dry_run_then_for_real(shop, pin, tmp_path, capsys) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes("姓名,手机,积分,储值\n张三,13800138001,100,￥12.50\n".encode("gbk"))
    pin.append("9999")
    assert run(["import", "members", str(path), "--dry-run", *AS_MANAGER], shop) == 0
    out = capsys.readouterr().out
    assert "dry run: all 1 rows, 100 points, ¥12.50 stored value are fine" in out
    assert "gb18030" in out
    pin.append("9999")
    assert run(["import", "members", str(path), *AS_MANAGER], shop) == 0
    assert "imported 1 members" in capsys.readouterr().out
    open_database(shop)
    assert m.Member.get(m.Member.phone == "+8613800138001").points_balance == 100
    assert integrity.check() == []


def test_import_with_row_errors_exits_1_and_lists_them(shop, pin, tmp_path, capsys) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name;phone\nA;123\nB;13800138002;x\n", encoding="utf-8")
    pin.append("9999")
    assert run(["import", "members", str(path), *AS_MANAGER], shop) == 1
    err = capsys.readouterr().err
    assert "error line 2: '123' is not a valid phone number" in err
    assert "error line 3: the row has 3 fields, the header 2" in err
    assert "2 error(s) in 2 rows" in err and "nothing was imported" in err


def test_a_wrong_pin_is_refused(shop, pin, tmp_path, capsys) -> None:
    pin.append("8888")  # the owner's, not the manager's
    assert run(["export", "members", "--output", str(tmp_path / "m.csv"), *AS_MANAGER],
               shop) == 1
    assert "wrong PIN: exporting members was not approved" in capsys.readouterr().err
    assert not (tmp_path / "m.csv").exists()
    assert run(["export", "members", "--output", str(tmp_path / "m.csv"),
                "--manager", "Wang"], shop) == 1
    assert "nobody called 'Wang' can approve this: choose one of Manager Wang 王, Owner" \
        in capsys.readouterr().err


def test_without_a_name_the_approver_is_chosen_from_a_list(shop, pin, tmp_path, capsys,
                                                           monkeypatch) -> None:
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt="": asked.append(prompt) or "2")
    prompts = []
    monkeypatch.setattr(getpass, "getpass",
                        lambda prompt="": prompts.append(prompt) or "8888")
    assert run(["export", "members", "--output", str(tmp_path / "m.csv")], shop) == 0
    err = capsys.readouterr().err
    assert "  1. Manager Wang 王 (manager)\n  2. Owner (owner)" in err
    assert asked == ["who approves? number or name: "]
    assert prompts == ["Owner's PIN for exporting members: "]
    monkeypatch.setattr("builtins.input", lambda prompt="": (_ for _ in ()).throw(EOFError))
    assert run(["export", "members", "--output", str(tmp_path / "n.csv")], shop) == 1
    assert "name one with --manager NAME" in capsys.readouterr().err


def test_exports(shop, pin, tmp_path, capsys) -> None:
    out = tmp_path / "m.csv"
    pin.append("9999")
    assert run(["export", "members", "--output", str(out), "--reveal-phones", *AS_MANAGER],
               shop) == 0
    assert "export: 1 rows" in capsys.readouterr().out
    with out.open(encoding="utf-8-sig", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["name"] == "Alice" and row["phone"].startswith("+86")
    pin.append("9999")
    assert run(["export", "ledgers", "--output", str(tmp_path / "l.csv"),
                "--from", "2026-03-01", "--to", "2026-03-31", *AS_MANAGER], shop) == 0
    pin.append("9999")
    assert run(["export", "sales", "--output", str(tmp_path / "s.csv"),
                "--from", "2026-03-10", "--to", "2026-03-10", *AS_MANAGER], shop) == 0
    open_database(shop)
    log = audit.entries()
    assert [e.action for e in log[:3]] == ["export_sales", "export_ledgers", "export_members"]
    assert json.loads(log[2].after)["reveal_phones"] is True


@sqlite_only
def test_backup_and_restore(shop, tmp_path, capsys, monkeypatch) -> None:
    dest = tmp_path / "b.sqlite"
    assert run(["backup", str(dest)], shop) == 0
    assert "checked" in capsys.readouterr().out
    monkeypatch.setattr("builtins.input", lambda prompt="": "no")
    assert run(["restore", str(dest)], shop) == 1
    assert "nothing was changed" in capsys.readouterr().out
    monkeypatch.setattr("builtins.input", lambda prompt="": "yes")
    assert run(["restore", str(dest)], shop) == 0
    assert "the previous database is kept as" in capsys.readouterr().out
    assert len(list(tmp_path.glob("*.before-restore-*"))) == 1

    open_database(shop)  # the counter is open: restore refuses, backup works
    m.Member.select().count()
    assert run(["restore", str(dest), "--yes"], shop) == 1
    assert "is in use: close the counter" in capsys.readouterr().err
    assert run(["backup", str(tmp_path / "c.sqlite")], shop) == 0
    close_database()
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"\x00" * 5000)
    assert run(["restore", str(garbage), "--yes"], shop) == 1
    assert "is not a SQLite database" in capsys.readouterr().err
    conn = sqlite3.connect(shop.removeprefix("sqlite:///"))
    assert conn.execute("SELECT COUNT(*) FROM member").fetchone() == (1,)
    conn.close()


@pytest.mark.skipif(not PG_URL, reason="needs a PostgreSQL database (TEST_DATABASE_URL)")
def test_backup_of_postgresql_says_it_is_sqlite_only(shop, tmp_path, capsys) -> None:
    assert run(["backup", str(tmp_path / "b.sqlite")], shop) == 1
    assert "SQLite database only" in capsys.readouterr().err


def test_a_bad_database_url(tmp_path, pin, capsys) -> None:
    assert run(["export", "members", "--output", str(tmp_path / "x.csv")],
               "mysql://nowhere/db") == 1
    assert "unsupported database URL" in capsys.readouterr().err
