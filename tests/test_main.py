"""The command line: check's exit status and messages, a bad database URL."""

from __future__ import annotations

import main
from terminal.db import models as m
from terminal.db.database import close_database, open_database
from terminal.services.context import Context
from terminal.services.members import EnrolRequest, enrol


def test_check_ok_then_violation(db_url, capsys):
    assert main.main(["check", "--db", db_url]) == 0
    assert "check: ok" in capsys.readouterr().out
    open_database(db_url)
    mb = enrol(Context(), EnrolRequest("Wu", "13900001111"))
    m.Member.update(points_balance=5).where(m.Member.id == mb.id).execute()
    close_database()
    assert main.main(["check", "--db", db_url]) == 1
    out = capsys.readouterr().out
    assert "points balance equals its ledger" in out and "violation" in out


def test_bad_database_url(capsys):
    assert main.main(["check", "--db", "mysql://nope"]) == 2
    assert "unsupported database URL" in capsys.readouterr().err


def test_broken_settings_file_warns_and_uses_defaults(tmp_path, db_url, capsys):
    bad = tmp_path / "config.toml"
    bad.write_text("[store\nname = 'x'", encoding="utf-8")
    assert main.main(["check", "--config", str(bad), "--db", db_url]) == 0
    assert "not valid TOML" in capsys.readouterr().err
