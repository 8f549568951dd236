"""The data commands: backup, restore, import members, export members / sales / ledgers."""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from terminal.cli import data as cli
from terminal.core.config import Settings
from terminal.db import models as m
from terminal.db.database import close_database, open_database, proxy, sqlite_path
from terminal.services import audit_listing, integrity
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
    cli.add_parser(sub, [common])
    return parser.parse_args(argv)


def run(argv: list[str], url: str) -> int:
    return cli.run(parse(argv), Settings(), url)


def member_file(path: Path, text: str, encoding: str) -> Path:
    """A member file as another program saved it, in ``encoding``."""
    path.write_bytes(text.encode(encoding))
    return path


def as_manager(pin: list[str], url: str, *argv: str) -> int:
    """Run a command the manager approves, typing their PIN."""
    pin.append("9999")
    return run([*argv, *AS_MANAGER], url)


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
    path = member_file(tmp_path / "old.csv",
                       "姓名,手机,积分,储值\n张三,13800138001,100,￥12.50\n", "gbk")
    assert as_manager(pin, shop, "import", "members", str(path), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "dry run: 1 row, 100 points, ¥12.50 stored value, all fine" in out
    assert "encoding GB18030" in out
    assert as_manager(pin, shop, "import", "members", str(path)) == 0
    assert "imported 1 member (1 row" in capsys.readouterr().out
    open_database(shop)
    assert m.Member.get(m.Member.phone == "+8613800138001").points_balance == 100
    assert integrity.check() == []


def test_import_dry_run_shows_the_encoding_and_the_rows_as_read(shop, pin, tmp_path,
                                                               capsys) -> None:
    path = member_file(tmp_path / "excel-de.csv", "name,phone\nMüller,13800138001\n", "cp1252")
    assert as_manager(pin, shop, "import", "members", str(path), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "encoding Windows-1252 (" in out
    assert "the first row as read" in out and "  Müller | 13800138001" in out


def test_import_refuses_a_file_two_encodings_read_differently(shop, pin, tmp_path,
                                                              capsys) -> None:
    path = member_file(tmp_path / "tw.csv", "name,phone\n黃國權,13800138001\n", "big5")
    assert as_manager(pin, shop, "import", "members", str(path), "--dry-run") == 1
    err = capsys.readouterr().err
    assert "reads as Big5 or as GB18030 (GBK)" in err and "'黃國權,13800138001' in Big5" in err
    assert "--encoding big5" in err
    assert as_manager(pin, shop, "import", "members", str(path), "--encoding", "big5") == 0
    assert "encoding Big5 (given with --encoding)" in capsys.readouterr().out
    open_database(shop)
    assert m.Member.get(m.Member.phone == "+8613800138001").name == "黃國權"


def test_an_unknown_encoding_is_a_clear_message(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        parse(["import", "members", "x.csv", "--encoding", "klingon"])
    assert exited.value.code == 2
    assert "unknown encoding 'klingon': give one such as utf-8" in capsys.readouterr().err
    assert parse(["import", "members", "x.csv", "--encoding", "GBK"]).encoding == "gbk"


def test_import_with_row_errors_exits_1_and_lists_them(shop, pin, tmp_path, capsys) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name;phone\nA;123\nB;13800138002;x\n", encoding="utf-8")
    assert as_manager(pin, shop, "import", "members", str(path)) == 1
    err = capsys.readouterr().err
    assert "error line 2: '123' is not a valid phone number" in err
    assert "error line 3: the row has 3 fields, the header 2" in err
    assert "2 errors in 2 rows" in err and "nothing was imported" in err


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
    assert as_manager(pin, shop, "export", "members", "--output", str(out), "--reveal-phones") == 0
    assert "export: 1 rows" in capsys.readouterr().out
    with out.open(encoding="utf-8-sig", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["name"] == "Alice" and row["phone"].startswith("+86")
    assert as_manager(pin, shop, "export", "ledgers", "--output", str(tmp_path / "l.csv"),
                      "--from", "2026-03-01", "--to", "2026-03-31") == 0
    assert as_manager(pin, shop, "export", "sales", "--output", str(tmp_path / "s.csv"),
                      "--from", "2026-03-10", "--to", "2026-03-10") == 0
    open_database(shop)
    log = audit_listing.entries()
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


ROOT = Path(__file__).resolve().parents[2]


def main_py(*argv: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``python main.py ARGV`` as a user types it, on settings of its own."""
    settings = tmp_path / "settings.toml"
    settings.touch()
    env = dict(os.environ, PYTHONPATH=os.fspath(ROOT), MEMBER_TERMINAL_CONFIG=os.fspath(settings))
    return subprocess.run([sys.executable, os.fspath(ROOT / "main.py"), *argv], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def _bit_flipped(good: Path, bad: Path) -> Path:
    """``good`` with one bit flipped in the name of the member table in its schema: no
    longer UTF-8, which made Python's sqlite3 raise UnicodeDecodeError."""
    data = bytearray(good.read_bytes())
    at = data.find(b"tablemembermember")
    assert at > 0
    data[at + len("tablem")] ^= 0x80
    bad.write_bytes(bytes(data))
    return bad


def _refused(proc: subprocess.CompletedProcess[str], *names: object) -> str:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("member-terminal: "), proc.stderr
    for name in names:
        assert str(name) in proc.stderr, proc.stderr
    return proc.stderr


@sqlite_only
def test_a_bit_flipped_backup_and_a_damaged_database_say_so(shop, tmp_path) -> None:
    good = tmp_path / "good.sqlite"
    assert run(["backup", str(good)], shop) == 0
    bad = _bit_flipped(good, tmp_path / "flipped.sqlite")
    other = f"sqlite:///{tmp_path / 'new.sqlite'}"
    err = _refused(main_py("--db", other, "restore", "--yes", str(bad), tmp_path=tmp_path),
                   bad)
    assert "is damaged" in err and "nothing was changed" in err
    live = sqlite_path(shop)
    err = _refused(main_py("--db", f"sqlite:///{bad}", "backup", str(tmp_path / "b2.sqlite"),
                           tmp_path=tmp_path), f"the database {bad} is damaged")
    assert "nothing was copied" in err
    assert not list(tmp_path.glob("b2.sqlite*"))
    assert live and run(["backup", str(tmp_path / "again.sqlite")], shop) == 0


@sqlite_only
def test_a_backup_to_an_unwritable_place_names_the_place(shop, tmp_path) -> None:
    live = sqlite_path(shop)
    notes = tmp_path / "notes.txt"
    notes.write_text("a file, not a folder")
    places = [notes / "b.sqlite"]  # its folder is a file
    if Path("/proc/self").is_dir():  # Linux: nobody, not even root, creates files in /proc
        places.append(Path("/proc/member-terminal-backup.sqlite"))
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        places.append(locked / "b.sqlite")
    for dest in places:
        err = _refused(main_py("--db", shop, "backup", str(dest), tmp_path=tmp_path),
                       f"the backup cannot be written to {dest.parent}")
        assert str(live) not in err  # the database is not to blame


def test_import_and_export_products(shop, pin, tmp_path, capsys) -> None:
    path = member_file(tmp_path / "货品.csv",
                       "商品编码,条码,商品名称,英文名称,分类,售价,会员价\n"
                       "NOODLE-1,6901234567007,牛肉面,Beef noodles,面食,18.00,15.00\n", "gbk")
    assert as_manager(pin, shop, "import", "products", str(path), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "dry run: 1 rows: 1 new, 0 changed" in out and "nothing was written" in out
    assert as_manager(pin, shop, "import", "products", str(path)) == 0
    assert "imported 1 rows: 1 new" in capsys.readouterr().out
    bad = member_file(tmp_path / "bad.csv", "SKU,Name,Price\nX,,1.00\n", "utf-8")
    assert as_manager(pin, shop, "import", "products", str(bad)) == 1
    err = capsys.readouterr().err
    assert "line 2:" in err and "needs a name" in err and "nothing was imported" in err
    out_file = tmp_path / "catalogue.csv"
    assert as_manager(pin, shop, "export", "products", "--output", str(out_file)) == 0
    assert "export: 1 rows" in capsys.readouterr().out
    rows = list(csv.reader(out_file.read_text("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["sku", "barcode", "name"]
    assert rows[1][:4] == ["NOODLE-1", "6901234567007", "Beef noodles", "牛肉面"]
    # and it reads back: nothing changes
    assert as_manager(pin, shop, "import", "products", str(out_file)) == 0
    assert "0 new, 0 changed (0 prices), 1 unchanged" in capsys.readouterr().out
