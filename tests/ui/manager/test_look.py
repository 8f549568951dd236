"""The manager's window in English and Chinese, each tab rendered to PNG for review."""

from __future__ import annotations

import threading
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QPushButton

from terminal.ui.manager import window as manager_window
from tests.ui.manager.conftest import WAIT_MS, idle

SHOTS = Path("/tmp/ui-shots")
MANAGER_DIR = Path(manager_window.__file__).resolve().parent
TABS = ("members", "campaigns", "audit", "privacy", "reports", "offers", "catalogue",
        "members-list", "staff", "programme", "devices")


def clipped_buttons(widget) -> list[str]:
    """Visible buttons whose text is wider than the button."""
    out = []
    for btn in widget.findChildren(QPushButton):
        if btn.isVisible() and btn.text():
            need = QFontMetrics(btn.font()).horizontalAdvance(btn.text()) + 12
            if need > btn.width():
                out.append(f"{btn.text()!r}: {need} > {btn.width()}")
    return out


@pytest.fixture
def gui_thread_sql(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL run on the GUI thread from here on (there must be none)."""
    seen: list[str] = []
    original = peewee.Database.execute_sql

    def spy(self, sql, *args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            seen.append(sql)
        return original(self, sql, *args, **kwargs)

    monkeypatch.setattr(peewee.Database, "execute_sql", spy)
    return seen


def test_each_tab_renders(qtbot, qapp, shop, runner, language, gui_thread_sql):
    from terminal.ui.manager import ManagerWindow

    zh = language == "zh_CN"
    window = ManagerWindow(shop.ctx, runner)
    qtbot.addWidget(window)
    window.show()
    idle(qtbot, runner)
    assert window.screen().availableGeometry().contains(window.frameGeometry())
    assert QFontMetrics(window.font()).inFontUcs4(ord("张"))
    assert window.tabs.tabText(0) == ("会员" if zh else "Members")

    analytics = window.members_tab
    analytics.on_refresh_clicked()
    qtbot.waitUntil(lambda: analytics.overview is not None, timeout=WAIT_MS)
    analytics.tables.setCurrentIndex(1)  # the lapsed members, with their Chinese names
    assert ("流失风险（3）" if zh else "At risk (3)") in analytics.segment_categories

    campaigns = window.campaigns_tab
    campaigns.name_edit.setText("唤醒僵尸会员")
    campaigns.segment_combo.setCurrentIndex(campaigns.segment_combo.findData("zombie"))
    campaigns.message_edit.setPlainText("好久不见：下次到店立减10元")
    campaigns.create_button.click()
    qtbot.waitUntil(lambda: campaigns.confirm_box is not None, timeout=WAIT_MS)
    plan = campaigns.confirm_box
    assert ("获得优惠券" if zh else "get the coupon") in plan.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert plan.grab().save(str(SHOTS / f"manager-campaign-plan-{language}.png"))
    campaigns.confirm_yes.click()
    qtbot.waitUntil(lambda: campaigns.results is not None, timeout=WAIT_MS)
    assert ("留作对照组" if zh else "held out") in campaigns.form_message.text()

    audit = window.audit_tab
    audit.on_search_clicked()
    audit.on_verify_clicked()
    qtbot.waitUntil(lambda: ("哈希链完整" if zh else "Chain intact") in
                    audit.verify_result.text(), timeout=WAIT_MS)

    privacy = window.privacy_tab
    privacy.search_edit.setText("张")
    privacy.on_find_clicked()
    qtbot.waitUntil(lambda: privacy.member is not None, timeout=WAIT_MS)
    privacy.on_reveal_clicked()
    qtbot.waitUntil(lambda: privacy.phone_label.text() != "", timeout=WAIT_MS)
    idle(qtbot, runner)

    reports = window.day_tab
    reports.day_edit.setDate(QDate(2026, 3, 8))
    qtbot.waitUntil(lambda: reports.shown is not None
                    and reports.shown.report.period.day.day == 8, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: reports.economics is not None, timeout=WAIT_MS)
    text = reports.report_text.toPlainText()
    assert ("日结报表" if zh else "End-of-day report") in text
    assert reports.model.text(0, 0) == "2026-03"

    offers = window.offers_tab
    qtbot.waitUntil(lambda: offers.model.rowCount() == 4, timeout=WAIT_MS)
    offers.table.selectRow([t.code for t in offers.model.rows].index("NEXTVISIT"))
    assert offers.code_edit.isReadOnly()
    offers.percent_edit.setText("150")
    offers.on_save_clicked()
    qtbot.waitUntil(lambda: "100" in offers.form_message.text(), timeout=WAIT_MS)

    people = window.staff_tab
    people.name_edit.setText("小李")
    people.pin_edit.setText("1357")
    people.pin_again_edit.setText("1357")
    people.on_add_clicked()
    qtbot.waitUntil(lambda: ("店主" if zh else "owner") in people.form_message.text(),
                    timeout=WAIT_MS)
    idle(qtbot, runner)

    SHOTS.mkdir(parents=True, exist_ok=True)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768  # fits the counter's screen
    for index, name in enumerate(TABS):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(20)
        assert clipped_buttons(window.tabs.currentWidget()) == []
        assert window.screen().availableGeometry().contains(window.frameGeometry())
        assert window.grab().save(str(SHOTS / f"manager-{name}-{language}.png"))
    assert gui_thread_sql == []  # every query of the whole tour ran on the worker
