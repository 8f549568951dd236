"""The command line: check's exit status and messages, a bad database URL."""

from __future__ import annotations

from terminal import cli
from terminal.db import models as m
from terminal.db.database import close_database, open_database
from terminal.services.context import Context
from terminal.services.members import EnrolRequest, enrol


def test_check_ok_then_violation(db_url, capsys):
    open_database(db_url)  # `check` never creates a database (tests/test_main_database.py)
    close_database()
    assert cli.main(["check", "--db", db_url]) == 0
    assert "check: ok" in capsys.readouterr().out
    open_database(db_url)
    mb = enrol(Context(), EnrolRequest("Wu", "13900001111"))
    m.Member.update(points_balance=5).where(m.Member.id == mb.id).execute()
    close_database()
    assert cli.main(["check", "--db", db_url]) == 1
    out = capsys.readouterr().out
    assert "points balance equals its ledger" in out and "violation" in out


def test_bad_database_url(capsys):
    assert cli.main(["check", "--db", "mysql://nope"]) == 2
    assert "unsupported database URL" in capsys.readouterr().err


def test_broken_settings_file_stops(tmp_path, db_url, capsys):
    bad = tmp_path / "config.toml"
    bad.write_text("[store\nname = 'x'", encoding="utf-8")
    assert cli.main(["check", "--config", str(bad), "--db", db_url]) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_staff_add_and_list(db_url, capsys, monkeypatch):
    answers = iter(["8888", "8888",  # the owner's new PIN, twice
                    "8888", "1111", "1111",  # the owner approves; the cashier's PIN twice
                    "8888", "2222", "2223",  # typo in the repeat: nothing added
                    "1111",  # a cashier's PIN is not the owner's
                    "8888", "3333", "3333"])  # the owner named, for a script
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    add = ["staff", "add", "--db", db_url, "--name"]
    assert cli.main([*add, "Boss", "--role", "owner"]) == 0
    assert cli.main([*add, "Li 李", "--role", "cashier"]) == 0  # the only owner approves
    assert "added cashier Li 李" in capsys.readouterr().out
    assert cli.main([*add, "Chen", "--role", "cashier"]) == 1
    assert "the two PINs differ" in capsys.readouterr().err
    assert cli.main([*add, "Chen", "--role", "cashier"]) == 1
    assert "wrong PIN: adding staff was not approved" in capsys.readouterr().err
    assert cli.main([*add, "Chen", "--role", "cashier", "--manager", "Li 李"]) == 1
    assert "nobody called 'Li 李' can approve this" in capsys.readouterr().err
    assert cli.main([*add, "Wu", "--role", "manager", "--manager", "boss"]) == 0
    assert cli.main(["staff", "list", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "owner    Boss" in out and "cashier  Li 李" in out and "Chen" not in out
    assert "manager  Wu" in out


def test_scan_command_is_wired(tmp_path, capsys):
    import json

    import qrcode

    path = tmp_path / "code.png"
    qrcode.make("C1.ABCDEFGHJK").save(path)
    assert cli.main(["scan", "--json", "--image", str(path)]) == 0
    line = json.loads(capsys.readouterr().out.strip().splitlines()[0])
    assert line["codes"] == [{"text": "C1.ABCDEFGHJK", "format": "qr", "kind": "coupon"}]


def test_options_before_the_command_count(db_url, capsys):
    assert cli.main(["--db", "mysql://nope", "check"]) == 2  # not the default database
    assert "unsupported database URL" in capsys.readouterr().err
    open_database(db_url)
    close_database()
    assert cli.main(["--db", db_url, "check"]) == 0


def test_printer_commands_are_wired(db_url, tmp_path, capsys):
    out = tmp_path / "printer.bin"
    assert cli.main(["printer", "test", "--printer", f"file:{out}"]) == 0  # no database
    assert b"\x1d\x56" in out.read_bytes()  # the test page ends with a cut
    open_database(db_url)
    ctx = Context()
    from tests.helpers import factory

    m.Product.create(sku="TEA", name="Green tea 绿茶", price=1800)
    factory.sale(ctx, [("TEA", 1)])
    close_database()
    receipt = tmp_path / "receipt.bin"
    assert cli.main(["print", "receipt", "--sale", "last", "--db", db_url,
                      "--printer", f"file:{receipt}"]) == 0
    assert "绿茶".encode("gb18030") in receipt.read_bytes()


def test_check_quick_says_what_it_covered(db_url, capsys):
    open_database(db_url)
    enrol(Context(), EnrolRequest("Wu", "13900002222"))
    close_database()
    assert cli.main(["check", "--quick", "--db", db_url]) == 0  # no clean check yet
    out = capsys.readouterr().out
    assert "check --quick: no clean check recorded yet: checking the whole database" in out
    assert "check: ok" in out
    open_database(db_url)
    mb = enrol(Context(), EnrolRequest("Li", "13900003333"))
    m.Member.update(points_balance=5).where(m.Member.id == mb.id).execute()
    close_database()
    assert cli.main(["check", "--quick", "--db", db_url]) == 1
    out = capsys.readouterr().out
    assert "check --quick: since the clean check of " in out
    # Wu too: made less than integrity.SLACK before the mark
    assert "members 2, " in out and "points balance equals its ledger" in out
    assert out.rstrip().endswith(": 2 violations")
    assert cli.main(["check", "--db", db_url]) == 1  # the full check does not mark
    capsys.readouterr()
    assert cli.main(["check", "--quick", "--db", db_url]) == 1
    assert "since the clean check of " in capsys.readouterr().out
