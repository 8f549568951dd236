"""The counter window: a database that cannot be opened is a sentence, and a device
setting that fell back to its default is shown."""

from __future__ import annotations

import os

from terminal.core import settings_file
from terminal.core.config import Settings
from terminal.ui.app import CounterWindow

WAIT_MS = 10_000


def test_a_file_that_is_not_a_database_is_a_sentence(qtbot, tmp_path):
    target = tmp_path / "pos.sqlite"
    target.write_bytes(os.urandom(4096))
    window = CounterWindow(Settings(), f"sqlite:///{target}")
    qtbot.add_widget(window)
    qtbot.waitUntil(lambda: window.open_error is not None, timeout=WAIT_MS)
    text = window.message.text()
    assert f"{target} is not a Member Terminal database, or it is damaged" in text
    assert "Something went wrong" not in text and "DatabaseError" not in text
    window.close()


def test_a_device_setting_that_fell_back_is_shown(qtbot, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[printer]\npaper_mm = 76\n", encoding="utf-8")
    settings = settings_file.load(path)
    warning = "; ".join(map(str, settings.warnings))
    window = CounterWindow(settings, f"sqlite:///{tmp_path / 'pos.sqlite'}", warning,
                           staff_id="counter")
    qtbot.add_widget(window)
    qtbot.waitUntil(lambda: window.ready or window.open_error is not None, timeout=WAIT_MS)
    assert (f"{path}, line 2: [printer] paper_mm: expected one of 80, 58, got 76; "
            "the default 80 is used until it is corrected") in window.message.text()
    window.close()
