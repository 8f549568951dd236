"""``member-terminal setup``: a scripted install (store, owner, file printer's test page
decoded, camera, empty shop), the prompts, and the refusals."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from printers.layouts import TEST_QR_PAYLOAD
from terminal import cli
from terminal.core import settings_file
from terminal.db import models as m
from terminal.db.database import close_database, open_database
from terminal.services import staff
from terminal.services.context import Context
from tests.helpers import factory
from tests.printers.escpos_decode import decode
from tests.scanner import imaging as im


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text("# kept\n[backup]\nkeep_days = 30\n", encoding="utf-8")
    return path


def scripted(config: Path, db_url: str, tmp_path: Path, *extra: str) -> list[str]:
    pin = tmp_path / "pin"
    pin.write_text("2468\n", encoding="utf-8")
    return ["setup", "--config", str(config), "--db", db_url, "--store-name", "小王便利店",
            "--address", "上海市南京路 1 号", "--phone", "021-5555", "--currency", "CNY",
            "--language", "zh_CN", "--owner", "王老板", "--owner-pin-file", str(pin),
            "--yes", *extra]


def audit_actions() -> list[str]:
    return [e.action for e in m.AuditEntry.select().order_by(m.AuditEntry.seq)]


def test_scripted_install(config, db_url, tmp_path, capsys) -> None:
    out = tmp_path / "lp0"
    video = im.write_video(tmp_path / "qr.avi", [im.place(im.qr("M-1"))] * 3)
    code = cli.main(scripted(config, db_url, tmp_path, "--printer", f"file:{out}",
                             "--paper-mm", "58", "--encoding", "GB18030",
                             "--camera", str(video), "--empty"))
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "setup: done" in said.out
    page = decode(out.read_bytes())
    assert "中文测试：会员积分" in page.texts and TEST_QR_PAYLOAD in page.texts
    assert "1234567890" * 3 + "12" in page.texts  # 58 mm paper: 32 columns
    settings = settings_file.load(config)
    assert config.read_text(encoding="utf-8").startswith("# kept\n[backup]\nkeep_days = 30\n")
    assert (settings.store.name, settings.store.language, settings.printer.paper_mm,
            settings.camera.source) == ("小王便利店", "zh_CN", 58, str(video))
    open_database(db_url)
    try:
        (owner,) = staff.active()
        assert (owner.name, owner.role) == ("王老板", "owner")
        assert staff.approve(Context(settings), owner.id, "2468", "a test").id == owner.id
        # the first start put the programme's rules in the database (services.programme)
        assert audit_actions()[:7] == [
            "programme_change", "store_details_set", "staff_added", "printer_set",
            "printer_checked", "camera_set", "setup_finished",
        ]
        checked = m.AuditEntry.get(m.AuditEntry.action == "printer_checked")
        assert json.loads(checked.after)["printed"] is None  # --yes: nobody was asked
        assert checked.staff_id == str(owner.id)
    finally:
        close_database()


def test_a_second_owner_is_refused(config, db_url, tmp_path, capsys) -> None:
    assert cli.main(scripted(config, db_url, tmp_path, "--empty")) == 0
    capsys.readouterr()
    before = config.read_text(encoding="utf-8")
    assert cli.main(scripted(config, db_url, tmp_path, "--store-name", "Other")) == 1
    err = capsys.readouterr().err
    assert "1 staff accounts already" in err and "staff add" in err
    assert config.read_text(encoding="utf-8") == before  # refused before anything changed
    # without --owner the store and devices can still be changed
    assert cli.main(["setup", "--config", str(config), "--db", db_url, "--yes",
                     "--store-name", "Other"]) == 0
    assert "owner: already set up (王老板)" in capsys.readouterr().out
    assert settings_file.load(config).store.name == "Other"


def test_demo_refused_on_a_shop_with_members(config, db_url, tmp_path, capsys) -> None:
    open_database(db_url)
    factory.member(Context())
    close_database()
    before = config.read_text(encoding="utf-8")
    assert cli.main(scripted(config, db_url, tmp_path, "--demo")) == 1
    assert "already has 1 members" in capsys.readouterr().err
    assert config.read_text(encoding="utf-8") == before


def test_the_demo_fills_an_empty_shop(config, db_url, tmp_path, capsys) -> None:
    assert cli.main(scripted(config, db_url, tmp_path, "--demo")) == 0
    assert "demo: done" in capsys.readouterr().out
    open_database(db_url)
    try:
        assert m.Member.select().count() == 300
        assert [s.name for s in staff.active() if s.role == "owner"] == ["王老板"]
        assert "demo_loaded" in audit_actions()
    finally:
        close_database()


def test_prompts_and_the_pin_from_standard_input(config, db_url, tmp_path, capsys,
                                                 monkeypatch) -> None:
    out = tmp_path / "lp0"
    answers = iter(["Corner Shop", "", "", "", "en", "Ann",  # store, then the owner's name
                    f"file:{out}", "80", "", "y",  # printer, paper, encoding, test page?
                    "n",  # did it print? no
                    "none",  # camera
                    ""])  # demo data? no
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin", io.StringIO("1357\n"))
    code = cli.main(["setup", "--config", str(config), "--db", db_url])
    said = capsys.readouterr().out
    assert code == 1  # the test page did not come out: the printer needs another look
    assert "check the paper" in said and "cameras found:" in said
    assert decode(out.read_bytes()).texts  # it was sent all the same
    settings = settings_file.load(config)
    assert (settings.store.name, settings.camera.source) == ("Corner Shop", "none")
    open_database(db_url)
    try:
        assert [s.name for s in staff.active()] == ["Ann"]
        checked = m.AuditEntry.get(m.AuditEntry.action == "printer_checked")
        assert json.loads(checked.after)["printed"] is False
    finally:
        close_database()


def test_bad_options(config, db_url, tmp_path, capsys) -> None:
    before = config.read_text(encoding="utf-8")
    assert cli.main(scripted(config, db_url, tmp_path, "--printer", "laser:1")) == 2
    assert "printer connection" in capsys.readouterr().err
    assert config.read_text(encoding="utf-8") == before  # nothing written, nobody added
    pin = tmp_path / "missing"
    assert cli.main(["setup", "--config", str(config), "--db", db_url, "--yes", "--owner",
                     "X", "--owner-pin-file", str(pin)]) == 2
    assert "cannot read" in capsys.readouterr().err
