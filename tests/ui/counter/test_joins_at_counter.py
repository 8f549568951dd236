"""Joins from phones at the counter: the panel lists who waits, F2 confirms the one it
marks (the newest, or the one whose phone code was scanned), the new member is served at
once and their card printed; a phone a member already has is refused with that card."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from terminal.db import models as m
from terminal.db.database import proxy
from terminal.services import joins
from terminal.services.context import Context
from tests.ui.conftest import QUIET, WAIT_MS, idle, scan

SHOTS = Path("/tmp/ui-shots")


def join(name: str, phone: str, client: str = "10.0.0.5") -> str:
    with proxy.connection_context():
        return joins.submit(Context(QUIET, staff_id="web"), joins.JoinForm(name, phone),
                            client)


def marked(panel) -> str:
    """The waiting join F2 confirms, as the panel lists it."""
    return next((line for line in panel.joins.text().splitlines() if line.startswith("▶")), "")


def members_named(name: str) -> int:
    with proxy.connection_context():
        return int(m.Member.select().where(m.Member.name == name).count())


def test_f2_confirms_the_join_the_panel_marks(qtbot, make_window, store, language) -> None:
    window = make_window()
    idle(qtbot, window)  # the first look, at start-up, is done: both are seen at once
    first = join("陈静 <b>Chen</b>", "13900000001", "10.0.0.6")
    join("Wang Lei", "13900000002")
    window.joins.read()  # what the timer does every ten seconds
    panel = window.member_panel
    qtbot.waitUntil(lambda: panel.joins.isVisible() and "Chen" in panel.joins.text(),
                    timeout=WAIT_MS)
    assert "Wang Lei" in marked(panel) and "陈静 <b>Chen</b>" in panel.joins.text()
    assert panel.joins.textFormat() == Qt.TextFormat.PlainText  # a name is never markup
    assert window.enrol_button.text() == "F2  " + ("确认入会" if language == "zh_CN"
                                                    else "Confirm join")
    SHOTS.mkdir(exist_ok=True)
    window.resize(1366, 768)
    assert window.grab().save(str(SHOTS / f"counter_joins_{language}.png"))

    qtbot.keyClick(window, Qt.Key.Key_F2)  # the newest: Wang Lei
    qtbot.waitUntil(lambda: window.member is not None, timeout=WAIT_MS)
    assert window.member.name == "Wang Lei" and members_named("Wang Lei") == 1
    assert window.member_panel.name.text() == "Wang Lei"
    idle(qtbot, window)
    # the other one is scanned from her phone, then one key
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    scan(qtbot, window, first)
    qtbot.waitUntil(lambda: window.joins.picked is not None, timeout=WAIT_MS)
    assert window.member is None and "陈静" in marked(panel)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.member is not None, timeout=WAIT_MS)
    assert window.member.name == "陈静 <b>Chen</b>" and members_named("陈静 <b>Chen</b>") == 1
    idle(qtbot, window)
    qtbot.waitUntil(lambda: not panel.joins.isVisible() or window.member is not None,
                    timeout=WAIT_MS)
    # scanned again (a screenshot of the old page): no longer waiting, nobody enrolled twice
    scan(qtbot, window, first)
    qtbot.waitUntil(lambda: "不在等待" in window.message.text()
                    or "not waiting" in window.message.text(), timeout=WAIT_MS)


def test_a_join_with_a_members_phone_is_refused_naming_the_card(qtbot, make_window,
                                                                store) -> None:
    window = make_window()
    token = join("Impostor", store.member_phone)
    scan(qtbot, window, token)
    qtbot.waitUntil(lambda: window.joins.picked is not None, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: store.card_no in window.message.text(), timeout=WAIT_MS)
    assert window.member is None and members_named("Impostor") == 0
    idle(qtbot, window)
    assert not window.member_panel.joins.isVisible()
    assert window.enrol_button.text() == "F2  Enrol"


def test_a_new_join_does_not_change_whom_f2_confirms(qtbot, make_window, store) -> None:
    window = make_window()
    idle(qtbot, window)
    join("First in line", "13900000011")
    window.joins.read()
    panel = window.member_panel
    qtbot.waitUntil(lambda: "First in line" in marked(panel), timeout=WAIT_MS)
    join("Arrived later", "13900000012")
    window.joins.read()
    qtbot.waitUntil(lambda: "Arrived later" in panel.joins.text(), timeout=WAIT_MS)
    assert "First in line" in marked(panel)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.member is not None, timeout=WAIT_MS)
    assert window.member.name == "First in line" and members_named("Arrived later") == 0
