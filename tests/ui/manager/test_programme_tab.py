"""The programme tab: the rules in force and their versions, a new version saved from the form
(a sale afterwards priced with it), a time in the past and a bad value refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from terminal.db import models as m
from terminal.services import programme
from terminal.ui.manager.programme_tab import ProgrammeTab
from tests.helpers import factory
from tests.ui.manager.conftest import WAIT_MS, idle

SHOTS = Path("/tmp/ui-shots")


@pytest.fixture
def adopted(shop):
    """A shop that has started once on this version: its rules are version 1."""
    programme.adopt(shop.ctx)
    return shop


@pytest.fixture
def tab(qtbot, adopted, window, runner) -> ProgrammeTab:
    found = window.findChild(ProgrammeTab)
    window.tabs.setCurrentWidget(found)
    qtbot.waitUntil(lambda: found.shown is not None, timeout=WAIT_MS)
    idle(qtbot, runner)
    return found


def tier_row(tab: ProgrammeTab, code: str) -> int:
    table = tab.sections.tiers_table
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == code)


def save(qtbot, runner, tab: ProgrammeTab) -> str:
    tab.form_message.clear()
    tab.save_button.click()
    qtbot.waitUntil(lambda: tab.form_message.text() not in ("", "Saving…", "正在保存…"),
                    timeout=WAIT_MS)
    idle(qtbot, runner)
    return tab.form_message.text()


def test_shows_the_version_in_force(tab):
    assert tab.in_force_label.text() == ("In force now: version 1, since 2000-01-01 00:00 "
                                         "(moved from the settings file).")
    assert [v.version for v in tab.history_model.rows] == [1]
    assert tab.history_model.text(0, 5) == "moved from the settings file"
    assert tab.sections.tiers_table.rowCount() == 4
    silver = tier_row(tab, "silver")
    assert [tab.sections.tiers_table.item(silver, c).text() for c in range(6)] == [
        "silver", "Silver", "银卡", "2000.00", "2", "1.2"]
    assert tab.sections.earn_edit.text() == "1"
    assert tab.sections.max_balance_edit.text() == "100000.00"  # an existing shop keeps its cap
    assert "单用途商业预付卡管理办法" in tab.sections.widget(2).widget().findChildren(
        type(tab.in_force_label))[-1].text()


def test_a_changed_tier_and_earn_rate_are_a_new_version_a_sale_then_uses(
        qtbot, tab, runner, adopted, clock):
    ctx = adopted.ctx
    member = factory.member(ctx, "新会员")
    before = factory.sale(ctx, [("CAKE", 1)], member.id)
    tab.sections.tiers_table.item(tier_row(tab, "silver"), 4).setText("3.5")
    tab.sections.earn_edit.setText("2")
    tab.sections.receipt_edits["footer_zh_CN"].setText("春季双倍积分")
    tab.reason_edit.setText("spring: double points")
    assert save(qtbot, runner, tab) == "Version 2 saved: in force from 2026-03-10 10:00."
    history = programme.history(ctx)
    assert [v.version for v in history] == [2, 1]
    assert (history[0].reason, history[0].approved_by) == ("spring: double points",
                                                           adopted.manager_id)
    rules = programme.in_force(ctx)
    assert str(rules.tiers.by_code("silver").discount_percent) == "3.5"
    assert rules.points.earn_per_unit == 2
    assert rules.receipt.footer_in("zh_CN") == "春季双倍积分"
    assert rules.stored_value == programme.in_force(ctx, programme.BEGINNING).stored_value
    # the window shows the new version, in force, first in the list
    assert [v.version for v in tab.history_model.rows] == [2, 1]
    assert tab.in_force_label.text().startswith("In force now: version 2, since 2026-03-10")
    assert tab.reason_edit.text() == ""
    entry = m.AuditEntry.select().where(m.AuditEntry.action == "programme_change").order_by(
        m.AuditEntry.seq.desc()).first()
    assert json.loads(entry.after)["rules"]["points"]["earn_per_unit"] == 2
    # a sale priced afterwards earns at the new rate
    clock.advance(minutes=1)
    after = factory.sale(ctx, [("CAKE", 1)], member.id)
    assert m.Txn.get_by_id(before.txn_id).points_earned == 32
    assert m.Txn.get_by_id(after.txn_id).points_earned == 64


def test_a_time_in_the_past_is_refused_and_said(qtbot, tab, runner, adopted):
    tab.sections.earn_edit.setText("3")
    tab.reason_edit.setText("backdated")
    tab.from_edit.setDateTime(tab.shown_from.addSecs(-3600))
    said = save(qtbot, runner, tab)
    assert said.startswith("the rules cannot change in the past (2026-03-10 09:00:00)")
    tab.from_edit.setDateTime(tab.shown_from)
    tab.reason_edit.clear()
    assert save(qtbot, runner, tab) == "a change of the programme's rules needs a reason"
    assert programme.newest_version() == 1


def test_a_later_time_waits_and_is_announced(qtbot, tab, runner, adopted):
    tab.sections.referrer_spin.setValue(800)
    tab.reason_edit.setText("referral week")
    tab.from_edit.setDateTime(tab.shown_from.addDays(6))
    assert save(qtbot, runner, tab) == "Version 2 saved: in force from 2026-03-16 10:00."
    assert programme.in_force(adopted.ctx).referral.referrer_points == 500
    assert "Version 2 takes effect on 2026-03-16 10:00." in tab.in_force_label.text()
    assert tab.sections.referrer_spin.value() == 500  # the form shows the rules in force now


def test_a_negative_discount_is_refused_in_chinese(qtbot, zh_cn, adopted, runner):
    from terminal.ui.manager import ManagerWindow

    window = ManagerWindow(adopted.ctx, runner)
    qtbot.addWidget(window)
    window.show()
    tab = window.findChild(ProgrammeTab)
    qtbot.waitUntil(lambda: tab.shown is not None, timeout=WAIT_MS)
    idle(qtbot, runner)
    tab.sections.tiers_table.item(tier_row(tab, "gold"), 4).setText("-5")
    tab.reason_edit.setText("错误的折扣")
    # the rules' own refusal (core.rules, through the service), in the reader's language
    assert save(qtbot, runner, tab) == "等级 gold 的折扣百分比不能为负数（-5）"
    assert programme.newest_version() == 1
    # every problem, each in Chinese: a spend typed wrong, an earn rate too high
    tab.sections.tiers_table.item(tier_row(tab, "gold"), 4).setText("5")
    tab.sections.tiers_table.item(tier_row(tab, "silver"), 3).setText("x")
    tab.sections.earn_edit.setText("5000")
    said = save(qtbot, runner, tab)
    assert said == ("这些规则无法使用：\n  等级 silver 的消费门槛：不是金额：'x'\n"
                    "  每单位消费获得积分最多为 1000（5000）"), said
    assert not re.search(r"[A-Za-z]{2,}", said.replace("silver", "")), said
    window.tabs.setCurrentWidget(tab)
    qtbot.wait(20)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SHOTS / "manager-programme-refused-zh_CN.png"))
    assert programme.newest_version() == 1


def test_the_rules_refusal_is_said_under_the_form(qtbot, tab, runner):
    """The tab does not check the rules itself: the service's refusal is shown as it is."""
    tab.sections.tiers_table.item(tier_row(tab, "silver"), 3).setText("0")
    tab.reason_edit.setText("two starting tiers")
    assert save(qtbot, runner, tab) == ("tiers standard and silver have the same threshold: "
                                        "one of them could never be reached")
    tab.on_reset_clicked()
    tab.sections.min_top_up_edit.setText("200000")
    tab.reason_edit.setText("too high")
    assert save(qtbot, runner, tab) == ("min_top_up is more than max_balance: no top-up could "
                                        "ever be taken")
    assert programme.newest_version() == 1


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_screenshots(qtbot, qapp, adopted, runner, language):
    from terminal.ui.fonts import pick_font
    from terminal.ui.manager import ManagerWindow
    from tests.ui.conftest import translated
    from tests.ui.manager.test_look import clipped_buttons

    before = qapp.font()
    qapp.setFont(pick_font())
    try:
        with translated(qapp, language):
            window = ManagerWindow(adopted.ctx, runner)
            qtbot.addWidget(window)
            window.show()
            tab = window.findChild(ProgrammeTab)
            window.tabs.setCurrentWidget(tab)
            qtbot.waitUntil(lambda: tab.shown is not None, timeout=WAIT_MS)
            idle(qtbot, runner)
            assert window.width() <= 1366 and window.height() <= 768
            names = ("tiers", "points", "stored-value", "referral", "receipt", "versions")
            window.showNormal()
            window.resize(1024, 728)  # a 1024x768 screen: every section fits, no scrolling
            qtbot.waitUntil(lambda: window.width() == 1024)
            for index, name in enumerate(names):
                tab.sections.setCurrentIndex(index)
                qtbot.wait(20)
                area = tab.sections.currentWidget()
                if hasattr(area, "horizontalScrollBar"):
                    assert not area.horizontalScrollBar().isVisible(), name
                assert clipped_buttons(tab) == [], name
            window.showMaximized()
            qtbot.waitUntil(lambda: window.width() > 1024)
            SHOTS.mkdir(parents=True, exist_ok=True)
            for index, name in enumerate(names):
                tab.sections.setCurrentIndex(index)
                qtbot.wait(20)
                assert clipped_buttons(tab) == [], name
                assert window.grab().save(
                    str(SHOTS / f"manager-programme-{name}-{language}.png"))
            window.close()
    finally:
        qapp.setFont(before)
