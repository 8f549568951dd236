"""The member list tab: search, filters and pages with the total; a member's history; the
member-care actions (edit, replace a card, merge, cash out, adjust points, give a coupon,
the QR code), in English and Chinese."""

from __future__ import annotations

from pathlib import Path

from terminal.db import models as m
from tests.ui.manager.conftest import WAIT_MS, idle

SHOTS = Path("/tmp/ui-shots")
MEMBERS = 20  # the shop's (tests/ui/manager/conftest.py)


def search(qtbot, runner, tab, text: str = "", **days: str) -> None:
    tab.search_edit.setText(text)
    for name, value in days.items():
        getattr(tab, name).setText(value)
    tab.search_button.click()
    idle(qtbot, runner)


def pick(qtbot, runner, tab, name: str):
    search(qtbot, runner, tab, name)
    assert [r.name for r in tab.model.rows] == [name]
    tab.table.selectRow(0)
    qtbot.waitUntil(lambda: tab.file is not None and tab.file.row.name == name,
                    timeout=WAIT_MS)
    idle(qtbot, runner)
    return tab.file


def test_search_filters_and_pages_with_the_total(qtbot, window, runner, shop):
    tab = window.directory_tab
    idle(qtbot, runner)
    assert tab.count_label.text() == f"{MEMBERS} members"
    tab.page_size = 8
    search(qtbot, runner, tab)
    assert tab.count_label.text() == f"The first 8 of {MEMBERS}"
    assert not tab.previous_button.isEnabled() and tab.next_button.isEnabled()
    first = [r.name for r in tab.model.rows]
    tab.next_button.click()
    idle(qtbot, runner)
    assert tab.count_label.text() == f"Members 9 to 16 of {MEMBERS}"
    tab.next_button.click()
    idle(qtbot, runner)
    assert tab.count_label.text() == f"Members 17 to {MEMBERS} of {MEMBERS}"
    assert not tab.next_button.isEnabled()
    tab.previous_button.click()
    assert not tab.previous_button.isEnabled()  # one page at a time
    idle(qtbot, runner)
    tab.previous_button.click()
    idle(qtbot, runner)
    assert [r.name for r in tab.model.rows] == first

    tab.page_size = 50
    search(qtbot, runner, tab, "僵尸")
    assert tab.count_label.text() == "12 members"
    search(qtbot, runner, tab, "")
    tab.consent_combo.setCurrentIndex(tab.consent_combo.findData(True))
    search(qtbot, runner, tab)
    assert sorted(r.name for r in tab.model.rows) == ["张伟", "李娜"]
    tab.consent_combo.setCurrentIndex(0)
    search(qtbot, runner, tab, joined_from="2026-03-01")
    assert [r.name for r in tab.model.rows] == ["王芳"]
    search(qtbot, runner, tab, joined_from="", visited_from="2026-03-01",
           visited_to="2026-03-31")
    assert sorted(r.name for r in tab.model.rows) == ["张伟", "李娜"]  # a top-up is no visit
    search(qtbot, runner, tab, visited_from="", visited_to="")
    tier = m.Member.get_by_id(shop.zhang_wei.id).tier
    expected = m.Member.select().where(m.Member.tier == tier).count()
    tab.tier_combo.setCurrentIndex(tab.tier_combo.findData(tier))
    search(qtbot, runner, tab)
    assert len(tab.model.rows) == expected and "张伟" in [r.name for r in tab.model.rows]
    tab.tier_combo.setCurrentIndex(0)
    search(qtbot, runner, tab, joined_from="1 March")  # refused, in words
    assert "2026-03-01" in tab.list_message.text()
    search(qtbot, runner, tab, joined_from="2026-03-09", joined_to="2026-03-01")
    assert "wrong way round" in tab.list_message.text()


def test_a_members_history(qtbot, window, runner, shop):
    tab = window.directory_tab
    file = pick(qtbot, runner, tab, "张伟")
    assert len(file.history.sales) == 3 == tab.sales_model.rowCount()
    assert tab.sales_model.text(0, 1) == "Sale"
    assert tab.points_model.rowCount() >= 3
    assert "张伟" in tab.member_label.text() and shop.zhang_wei.card_no in tab.member_label.text()
    file = pick(qtbot, runner, tab, "王芳")
    assert tab.stored_model.rowCount() == 1 and tab.stored_model.text(0, 1) == "Top-up"
    assert "paid ¥100.00" in tab.member_label.text()


def test_in_chinese(qtbot, zh_cn, window, runner, shop):
    tab = window.directory_tab
    idle(qtbot, runner)
    assert tab.count_label.text() == f"{MEMBERS} 位会员"
    pick(qtbot, runner, tab, "张伟")
    assert tab.sales_model.text(0, 1) == "销售"
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.tabs.setCurrentWidget(tab)
    qtbot.wait(20)
    assert window.grab().save(str(SHOTS / "manager-members-list-history-zh_CN.png"))


def test_screenshot_in_english(qtbot, window, runner, shop):
    tab = window.directory_tab
    pick(qtbot, runner, tab, "张伟")
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.tabs.setCurrentWidget(tab)
    qtbot.wait(20)
    assert window.grab().save(str(SHOTS / "manager-members-list-history-en.png"))
