"""The audit log tab: entries filtered on the worker, CSV export, and a tampered row found."""

from __future__ import annotations

import csv

from PySide6.QtCore import QDate

from terminal.db import models as m
from terminal.db.database import proxy
from terminal.services import privacy
from tests.helpers import intruder
from tests.ui.manager.conftest import WAIT_MS, idle
from tests.ui.manager.test_look import SHOTS


def test_lists_filters_and_exports_entries(qtbot, window, runner, shop, tmp_path):
    tab = window.audit_tab
    actions = [e.action for e in tab.model.rows]
    assert actions == ["reveal_phone", "staff_added", "staff_added"]  # newest first
    assert tab.model.text(0, 2) == "Manager Wang 王"  # staff shown by name
    assert tab.message.text() == "3 entries (newest first)."
    assert [tab.action_combo.itemData(i) for i in range(tab.action_combo.count())] == [
        "", "reveal_phone", "staff_added"]

    tab.action_combo.setCurrentIndex(tab.action_combo.findData("staff_added"))
    tab.search_button.click()
    qtbot.waitUntil(lambda: len(tab.model.rows) == 2, timeout=WAIT_MS)
    tab.since_edit.setDate(QDate(2026, 3, 11))  # tomorrow: nothing yet
    tab.until_edit.setDate(QDate(2026, 3, 12))
    tab.search_button.click()
    qtbot.waitUntil(lambda: tab.model.rows == [], timeout=WAIT_MS)
    assert tab.message.text() == "No entry matches these filters."
    assert not tab.export_button.isEnabled()
    tab.until_edit.setDate(QDate(2026, 3, 1))
    tab.search_button.click()
    assert "start date is after the end date" in tab.message.text()

    tab.action_combo.setCurrentIndex(0)
    tab.since_edit.setDate(QDate(2026, 3, 10))
    tab.until_edit.setDate(QDate(2026, 3, 10))  # one day, both ends included
    tab.staff_combo.setCurrentIndex(tab.staff_combo.findData(shop.manager_id))
    tab.search_button.click()
    # the manager did or approved only the reveal; the owner approved the manager's account
    qtbot.waitUntil(lambda: [e.action for e in tab.model.rows] == ["reveal_phone"],
                    timeout=WAIT_MS)
    path = tmp_path / "audit.csv"
    assert tab.export_to(path) == path
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:6] == ["seq", "created_at", "terminal_id", "staff", "approved_by",
                           "action"]
    assert [r[5] for r in rows[1:]] == ["reveal_phone"]
    assert rows[1][3] == "Manager Wang 王"


def test_verify_reports_intact_then_a_tampered_row(qtbot, window, runner, shop):
    tab = window.audit_tab
    privacy.reveal_phone(shop.ctx, shop.zhang_wei.id, shop.manager_id)
    tab.verify_button.click()
    qtbot.waitUntil(lambda: "Chain intact" in tab.verify_result.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    table = m.AuditEntry._meta.table_name
    with intruder.bypassing_triggers():  # PostgreSQL refuses it to anyone but its owner
        proxy.execute_sql(f"UPDATE {table} SET reason = 'nothing happened' WHERE seq = 2")
    tab.verify_button.click()
    qtbot.waitUntil(lambda: "tampered" in tab.verify_result.text(), timeout=WAIT_MS)
    assert "entry 2 was changed after it was written" in tab.verify_result.text()
    assert "Problems found: 1\n" in tab.verify_result.text()
    assert "color: #b00020" in tab.verify_result.styleSheet()
    window.tabs.setCurrentWidget(tab)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SHOTS / "manager-audit-tampered-en.png"))


def test_a_tampered_row_is_reported_in_the_managers_language(qtbot, zh_cn, window, runner,
                                                            shop):
    # audit.verify's findings keep their message ids: English for `check`, Chinese here
    tab = window.audit_tab
    idle(qtbot, runner)
    table = m.AuditEntry._meta.table_name
    with intruder.bypassing_triggers():
        proxy.execute_sql(f"UPDATE {table} SET reason = 'nothing happened' WHERE seq = 1")
    tab.verify_button.click()
    qtbot.waitUntil(lambda: "第 1 条记录在写入后被修改或被伪造" in tab.verify_result.text(),
                    timeout=WAIT_MS)
    assert "audit log" not in tab.verify_result.text()
    window.tabs.setCurrentWidget(tab)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SHOTS / "manager-audit-tampered-zh_CN.png"))
