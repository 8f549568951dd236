"""The command line with a bad settings file: every bad key is named, a device setting
falls back alone, anything else stops the program before a database is opened."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal import cli
from terminal.core import config
from terminal.db.database import close_database, open_database, proxy


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"  # $MEMBER_TERMINAL_DATA (tests/conftest.py)


@pytest.fixture
def shop_db(tmp_path: Path) -> str:
    """The shop's own database, elsewhere than the data folder."""
    url = f"sqlite:///{tmp_path / 'shop' / 'pos.sqlite'}"
    open_database(url)
    close_database()
    proxy.initialize(None)
    return url


def nothing_created(data: Path) -> bool:
    """Nothing in the data folder but the log (every command writes one) and the audit
    key (the shop's database, opened the first time, records its rules moving in)."""
    return not data.exists() or all(p.name in ("logs", "audit") for p in data.iterdir())


def test_a_typo_never_moves_the_sales_to_another_database(tmp_path, data, shop_db, capsys):
    """The issue's case: a good [database] url and one wrong printer value used to start
    on default settings, in a new database in the data folder with terminal id T01."""
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{shop_db}"\n[printer]\npaper_mm = "80"\n'
                    '[store]\nterminal_id = "T01-FRONT-DOOR-BY-THE-WINDOW-COUNTER"\n'
                    'discount_limit = "-20"\n[points]\nexpiry_months = 0\n', encoding="utf-8")
    for command in (["check"], ["staff", "list"], ["expire-points"], ["demo"]):
        assert cli.main([*command, "--config", str(path)]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert "the settings cannot be used, so nothing was opened" in err
        assert f"{path}, line 4: [printer] paper_mm: expected a whole number" in err
        assert f"{path}, line 6: [store] terminal_id: expected 1 to 32 letters" in err
        assert f"{path}, line 7: [store] discount_limit: must not be negative" in err
        assert (f"{path}, line 9: [points] expiry_months: must be a whole number from 1 to 1200, "
                "not 0") in err
        assert "default settings" not in err
    assert nothing_created(data)


def test_a_bad_device_setting_alone_falls_back_and_says_so(tmp_path, data, shop_db, capsys):
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{shop_db}"\n[store]\nterminal_id = "T07"\n'
                    '[printer]\npaper_mm = "80"\n[camera]\nfps = 0\n', encoding="utf-8")
    assert cli.main(["staff", "list", "--config", str(path)]) == 0
    err = capsys.readouterr().err
    assert (f"{path}, line 6: [printer] paper_mm: expected a whole number, got \"80\"; "
            "the default 80 is used until it is corrected") in err
    assert f"{path}, line 8: [camera] fps: expected a whole number from 1 to 240" in err
    assert nothing_created(data)  # the shop's database was used, not a new one


def test_the_counter_window_is_told_of_a_device_fallback(tmp_path, shop_db, monkeypatch):
    seen = {}

    def fake_gui(settings, url, warning=None, demo=None):
        seen.update(settings=settings, url=url, warning=warning)
        return 0

    monkeypatch.setattr("terminal.ui.app.run_gui", fake_gui)
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{shop_db}"\n[store]\nterminal_id = "T07"\n'
                    '[printer]\npaper_mm = 76\n', encoding="utf-8")
    assert cli.main(["--config", str(path)]) == 0
    assert seen["url"] == shop_db
    assert seen["settings"].store.terminal_id == "T07"
    assert seen["settings"].printer.paper_mm == 80
    assert "[printer] paper_mm: expected one of 80, 58, got 76" in seen["warning"]


def test_the_counter_does_not_start_on_bad_settings(tmp_path, data, monkeypatch, capsys):
    shown = []
    monkeypatch.setattr("terminal.ui.app.refuse_to_start", shown.append)
    monkeypatch.setattr("terminal.ui.app.run_gui",
                        lambda *a, **k: pytest.fail("the counter must not start"))
    path = tmp_path / "config.toml"
    path.write_text('[store]\nterminal_id = "T 1"\n', encoding="utf-8")
    assert cli.main(["gui", "--config", str(path)]) == 2
    [text] = shown
    assert f"{path}, line 2: [store] terminal_id" in text
    assert "[store] terminal_id" in capsys.readouterr().err
    assert nothing_created(data)


@pytest.mark.parametrize("how", ["--config", "env"])
def test_a_named_settings_file_that_does_not_exist_stops(tmp_path, data, monkeypatch, capsys,
                                                         how):
    missing = tmp_path / "typo" / "config.toml"
    argv = ["check"]
    if how == "env":
        monkeypatch.setenv(config.CONFIG_ENV, str(missing))
    else:
        argv += ["--config", str(missing)]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert f"settings file {missing} does not exist" in err
    assert "Traceback" not in err
    assert nothing_created(data)


@pytest.mark.parametrize(("content", "where"), [
    (b"[store\nname = 'x'", "line 1, column 7: not valid TOML"),
    (b"[store]\nname = \n", "line 2, column 8: not valid TOML"),
    (b"\xff\xfe[store]", "not valid TOML: a settings file is UTF-8 text"),
])
def test_a_settings_file_that_is_not_toml_stops(tmp_path, data, capsys, content, where):
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    assert cli.main(["check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}, {where}" in err or f"{path}: {where}" in err
    assert nothing_created(data)
