"""The minimal window: opens the database off the GUI thread and finds members."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from terminal.config import Settings
from terminal.db.database import close_database, open_database
from terminal.services import members
from terminal.services.context import Context
from terminal.ui.app import CounterWindow


@pytest.fixture
def filled_url(db_url):
    open_database(db_url)
    ctx = Context(Settings())
    members.enrol(ctx, members.EnrolRequest("张伟 Zhang Wei", "13800001111"))
    close_database()
    return db_url


def test_window_searches_by_phone_and_shows_errors(qtbot, filled_url):
    window = CounterWindow(Settings(), filled_url)
    qtbot.add_widget(window)
    window.show()
    qtbot.waitUntil(lambda: window.ready, timeout=10_000)
    assert "1 members" in window.message.text()
    qtbot.keyClicks(window.search_box, "138 0000 1111")
    qtbot.keyClick(window.search_box, "\r")
    qtbot.waitUntil(lambda: window.results.count() == 1, timeout=10_000)
    assert "138****1111" in window.results.item(0).text()
    assert "张伟" in window.results.item(0).text()
    window.search_box.clear()
    qtbot.keyClicks(window.search_box, "M1.AAAAA.1234567890.AAAAAAAAAA")
    qtbot.keyClick(window.search_box, "\r")
    qtbot.waitUntil(lambda: "member code" in window.message.text(), timeout=10_000)
    window.close()
