"""The member privacy tab: find, reveal a phone (audited), export the data, erase."""

from __future__ import annotations

import json

import pytest

from terminal.core.errors import MemberCodeError
from terminal.db import models as m
from terminal.services import backup, members
from tests.conftest import PG_URL
from tests.ui.manager.conftest import WAIT_MS, idle


def find(qtbot, tab, text: str) -> None:
    tab.search_edit.setText(text)  # QTest types ASCII only; an input method gives this
    tab.find_button.click()
    qtbot.waitUntil(lambda: "found" in tab.search_message.text().lower(), timeout=WAIT_MS)


def audited(action: str) -> int:
    return int(m.AuditEntry.select().where(m.AuditEntry.action == action).count())


def test_reveal_export_and_erase(qtbot, window, runner, shop, tmp_path):
    tab = window.privacy_tab
    assert not tab.reveal_button.isEnabled()  # nobody picked yet
    find(qtbot, tab, "张")
    assert [r.name for r in tab.model.rows] == ["张伟"]
    assert tab.member is not None and tab.member.card_no == shop.zhang_wei.card_no
    assert tab.model.text(0, 2) == members.mask_phone(shop.zhang_wei.phone)
    assert "张伟" in tab.selected_label.text()

    before = audited("reveal_phone")
    tab.reveal_button.click()
    qtbot.waitUntil(lambda: tab.phone_label.text() != "", timeout=WAIT_MS)
    digits = shop.zhang_wei.phone.removeprefix("+86")
    assert tab.phone_label.text().startswith("+86 ")
    assert tab.phone_label.text().replace(" ", "").endswith(digits)
    assert "audit log" in tab.reveal_message.text()
    assert audited("reveal_phone") == before + 1

    path = tmp_path / "zhang.json"
    tab.export_data_to(path)
    qtbot.waitUntil(lambda: "Written to" in tab.export_message.text(), timeout=WAIT_MS)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["member"]["name"] == "张伟" and len(data["transactions"]) == 3
    assert audited("export_member_data") == 1

    tab.erase_button.click()  # no reason given: refused before asking
    assert tab.confirm_box is None and "Say why" in tab.erase_message.text()
    tab.reason_edit.setText("本人书面申请 2026-03-09")
    tab.erase_button.click()
    box = tab.confirm_box
    assert box is not None and box.isVisible() and "张伟" in box.text()
    box.reject()  # "Keep the member"
    assert "Not erased" in tab.erase_message.text()
    tab.erase_button.click()
    tab.confirm_yes.click()
    qtbot.waitUntil(lambda: "was erased" in tab.erase_message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    assert tab.model.rows == [] and tab.member is None
    with pytest.raises(MemberCodeError) as err:
        members.identify(shop.ctx, shop.zhang_wei.card_no)
    assert err.value.reason == MemberCodeError.ERASED
    assert audited("erase_member") == 1
    tab.search_edit.setText(shop.zhang_wei.card_no)
    tab.find_button.click()
    qtbot.waitUntil(lambda: "erased at their request" in tab.search_message.text(),
                    timeout=WAIT_MS)


def test_refusals_are_shown_beside_the_action(qtbot, window, runner, shop):
    tab = window.privacy_tab
    find(qtbot, tab, "王")
    assert [r.name for r in tab.model.rows] == ["王芳"]  # has stored value
    tab.reason_edit.setText("request")
    tab.erase_button.click()
    tab.confirm_yes.click()
    qtbot.waitUntil(lambda: "cash it out first" in tab.erase_message.text(), timeout=WAIT_MS)
    assert "color: #b00020" in tab.erase_message.styleSheet()
    assert tab.erase_button.isEnabled() and tab.reason_edit.text() == "request"
    assert m.Member.get_by_id(shop.stored_value_member.id).erased_at is None

    tab.search_edit.setText("M1.ABCDEF")  # a forged member code
    tab.find_button.click()
    qtbot.waitUntil(lambda: "not a member code" in tab.search_message.text(),
                    timeout=WAIT_MS)
    assert tab.model.rows == []
    assert "color: #b00020" in tab.search_message.styleSheet()


def test_the_erasure_says_which_backups_still_hold_the_data(qtbot, window, runner, shop):
    tab = window.privacy_tab
    options = shop.ctx.settings.backup
    made = None if PG_URL else backup.auto_backup(shop.ctx, options.path(), options.keep_days)
    find(qtbot, tab, "张")
    tab.reason_edit.setText("本人书面申请 2026-03-09")
    tab.erase_button.click()
    tab.confirm_yes.click()
    qtbot.waitUntil(lambda: "was erased" in tab.erase_message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    if PG_URL:
        assert "Backups of the database server" in tab.erase_message.text()
        assert tab.copies_box is None
        return
    assert made is not None and made.made is not None
    assert "Backups made before now that still hold their data: 1." in \
        tab.erase_message.text()
    box = tab.copies_box
    assert box is not None and box.isVisible()
    assert "张伟" in box.text() and "kept 14 days" in box.text()
    assert "deleted on 2026-03-25" in box.text()  # dated 10 March, kept 14 days
    assert f"{made.made.path} — deleted on 2026-03-25" in box.informativeText()
    box.accept()
    assert tab.copies_box is None
