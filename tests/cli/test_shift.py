"""The ``shift`` command and ``staff pin`` / ``staff reset-pin``."""

from __future__ import annotations

from terminal import cli
from terminal.db import models as m
from terminal.db.database import close_database, open_database
from terminal.loyalty.pricing import Tenders
from terminal.services import checkout, staff
from terminal.services.context import Context


def make_staff(db_url: str) -> str:
    open_database(db_url)
    ctx = Context()
    owner = staff.create(ctx, "Boss", "owner", "8888")
    cashier = staff.create(ctx, "Li 李", "cashier", "1111", approved_by=owner.id)
    close_database()
    return str(cashier.id)


def test_open_a_shift_sell_and_close_it(db_url, capsys, monkeypatch) -> None:
    make_staff(db_url)
    answers = iter(["1112", "1111", "1111", "1111"])  # a wrong PIN first
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert cli.main(["shift", "open", "--db", db_url, "--float", "200",
                     "--staff", "li 李"]) == 1
    assert "wrong PIN" in capsys.readouterr().err
    assert cli.main(["shift", "open", "--db", db_url, "--float", "200", "--staff", "Li 李"]) == 0
    out = capsys.readouterr().out
    assert "opened at T01 by Li 李" in out and "Opening float" in out and "¥200.00" in out
    assert "Still open" in out

    open_database(db_url)
    cashier = m.Staff.get(m.Staff.name == "Li 李")
    checkout.checkout(Context(staff_id=str(cashier.id)), checkout.CheckoutRequest(
        "cli-sale", (checkout.SaleItem(unit_price=1550, name="Coffee"),),
        tenders=Tenders(cash=2000)))
    close_database()

    assert cli.main(["shift", "report", "--db", db_url]) == 0
    assert "¥215.50" in capsys.readouterr().out  # expected: 200 + 15.50
    assert cli.main(["shift", "close", "--db", db_url, "--counted", "215",
                     "--staff", "Li 李"]) == 0
    out = capsys.readouterr().out
    assert "Counted" in out and "¥215.00" in out and "-¥0.50" in out and "Closed" in out
    assert cli.main(["shift", "close", "--db", db_url, "--counted", "215",
                     "--staff", "Li 李"]) == 1
    assert "no shift is open at this terminal" in capsys.readouterr().err
    assert cli.main(["shift", "open", "--db", db_url, "--float", "abc"]) == 1
    assert "not an amount" in capsys.readouterr().err


def test_staff_change_and_reset_their_pin(db_url, capsys, monkeypatch) -> None:
    cashier_id = make_staff(db_url)
    answers = iter(["1111", "2222", "2222",  # Li changes theirs
                    "8888", "3333", "3334",  # the owner approves; a typo: nothing changes
                    "8888", "3333", "3333"])  # the owner resets Li's
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert cli.main(["staff", "pin", "--db", db_url, "--staff", cashier_id]) == 0
    assert "Li 李's PIN is changed" in capsys.readouterr().out
    assert cli.main(["staff", "reset-pin", "Li 李", "--db", db_url]) == 1
    assert "the two PINs differ" in capsys.readouterr().err
    assert cli.main(["staff", "reset-pin", "Li 李", "--db", db_url]) == 0
    assert "Li 李's PIN is reset" in capsys.readouterr().out
    assert cli.main(["staff", "reset-pin", "Nobody", "--db", db_url]) == 1
    assert "nobody called 'Nobody' is on the staff" in capsys.readouterr().err
    open_database(db_url)
    assert staff.sign_in(Context(), cashier_id, "3333").name == "Li 李"
    close_database()
