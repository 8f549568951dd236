"""The offers tab: the coupon templates, a new cross-sell offer, bad input refused, switching."""

from __future__ import annotations

import json

import pytest

from terminal.db import models as m
from tests.ui.manager.conftest import WAIT_MS, idle


def audited(code: str) -> list[m.AuditEntry]:
    return list(m.AuditEntry.select().where((m.AuditEntry.action == "template_saved")
                                            & (m.AuditEntry.subject == code))
                .order_by(m.AuditEntry.seq))


def save(qtbot, runner, tab) -> None:
    tab.form_message.clear()
    tab.save_button.click()
    qtbot.waitUntil(lambda: tab.form_message.text() not in ("", "Saving…"), timeout=WAIT_MS)
    idle(qtbot, runner)


def fill_cross_sell(tab) -> None:
    tab.new_button.click()
    tab.code_edit.setText("care10")
    tab.name_edit.setText("买洗发水：护发素立减10元")
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData("amount"))
    tab.amount_edit.setText("10.00")
    tab.min_spend_edit.setText("50.00")
    tab.brands_edit.setText(" BrandB , ")
    tab.valid_days_spin.setValue(45)
    tab.rule_combo.setCurrentIndex(tab.rule_combo.findData("cross_sell"))
    tab.auto_min_spend_edit.setText("30")
    tab.auto_category_edit.setText("BrandA")
    tab.auto_days_spin.setValue(60)


def test_lists_the_templates(qtbot, window, runner):
    tab = window.offers_tab
    codes = [t.code for t in tab.model.rows]
    assert set(codes) == {"WELCOME", "NEXTVISIT", "BIRTHDAY", "WINBACK"}
    row = codes.index("NEXTVISIT")
    assert tab.model.text(row, 3) == "5%"
    assert tab.model.text(row, 7) == "next visit"
    assert tab.model.text(row, 8) == "¥100.00"
    tab.table.selectRow(row)
    assert tab.code_edit.text() == "NEXTVISIT" and tab.code_edit.isReadOnly()
    assert tab.percent_edit.isEnabled() and not tab.amount_edit.isEnabled()
    assert tab.auto_min_spend_edit.isEnabled() and not tab.auto_category_edit.isEnabled()
    assert tab.auto_min_spend_edit.text() == "100.00"


def test_adds_a_cross_sell_offer_and_changes_it(qtbot, window, runner, shop):
    tab = window.offers_tab
    fill_cross_sell(tab)
    assert not tab.code_edit.isReadOnly()
    assert tab.auto_category_edit.isEnabled() and tab.auto_days_spin.isEnabled()
    assert not tab.percent_edit.isEnabled() and not tab.sku_edit.isEnabled()
    save(qtbot, runner, tab)
    assert tab.form_message.text() == "Offer CARE10 saved."
    row = m.CouponTemplate.get_by_id("CARE10")
    assert (row.name, row.kind, row.amount, row.min_spend) == (
        "买洗发水：护发素立减10元", "amount", 1000, 5000)
    assert (row.auto_rule, row.auto_category, row.auto_days, row.auto_min_spend) == (
        "cross_sell", "BrandA", 60, 3000)
    assert row.brands == "BrandB" and row.valid_days == 45 and row.active
    [entry] = audited("CARE10")
    assert entry.before == "" and entry.approved_by == shop.manager_id
    assert json.loads(entry.after)["auto_rule"] == "cross_sell"
    assert "CARE10" in [t.code for t in tab.model.rows]
    assert tab.editing == "CARE10" and tab.code_edit.isReadOnly()

    tab.name_edit.setText("护发素立减12元")
    tab.amount_edit.setText("12.00")
    tab.rule_combo.setCurrentIndex(tab.rule_combo.findData("win_back"))
    save(qtbot, runner, tab)
    assert tab.form_message.text() == "Offer CARE10 saved."
    row = m.CouponTemplate.get_by_id("CARE10")
    assert (row.amount, row.auto_rule, row.auto_category, row.auto_min_spend,
            row.auto_days) == (1200, "win_back", None, 0, 60)  # unused fields reset
    _first, second = audited("CARE10")
    assert json.loads(second.before)["amount"] == 1000
    assert json.loads(second.after)["amount"] == 1200

    tab.active_button.click()  # switch it off
    qtbot.waitUntil(lambda: "is off" in tab.form_message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    assert not m.CouponTemplate.get_by_id("CARE10").active
    assert tab.active_button.text() == "Switch on"
    assert len(audited("CARE10")) == 3


@pytest.mark.parametrize(("change", "message"), [
    (lambda t: t.amount_edit.setText("-5.00"), "The amount off cannot be negative"),
    (lambda t: t.amount_edit.setText("ten"), "Amount off: not an amount: ten"),
    (lambda t: (t.kind_combo.setCurrentIndex(t.kind_combo.findData("percent")),
                t.percent_edit.setText("150")), "percent must be a number from 0 to 100"),
    (lambda t: t.kind_combo.setCurrentIndex(t.kind_combo.findData("free_item")),
     "needs the SKU"),
    (lambda t: (t.kind_combo.setCurrentIndex(t.kind_combo.findData("free_item")),
                t.sku_edit.setText("NOPE")), "No product has the SKU NOPE"),
    (lambda t: t.auto_category_edit.setText(""), "needs the category or brand bought"),
    (lambda t: t.code_edit.setText("WELCOME"), "exists already"),
])
def test_refuses_bad_input(qtbot, window, runner, change, message):
    tab = window.offers_tab
    fill_cross_sell(tab)
    change(tab)
    save(qtbot, runner, tab)
    assert message in tab.form_message.text()
    assert "color: #b00020" in tab.form_message.styleSheet()
    assert m.CouponTemplate.get_or_none(m.CouponTemplate.code == "CARE10") is None
    assert audited("CARE10") == []
    assert tab.save_button.isEnabled()


def test_an_offer_gets_a_chinese_name_beside_its_english_one(qtbot, window, runner, shop):
    tab = window.offers_tab
    fill_cross_sell(tab)
    tab.name_edit.setText("Bought shampoo: 10 off conditioner")
    tab.name_zh_edit.setText(" 买洗发水：护发素立减10元 ")
    save(qtbot, runner, tab)
    assert tab.form_message.text() == "Offer CARE10 saved."
    row = m.CouponTemplate.get_by_id("CARE10")
    assert (row.name, row.name_zh_cn) == ("Bought shampoo: 10 off conditioner",
                                          "买洗发水：护发素立减10元")
    assert json.loads(audited("CARE10")[0].after)["name_zh_cn"] == "买洗发水：护发素立减10元"
    tab.new_button.click()
    assert tab.name_zh_edit.text() == ""
    tab.table.selectRow([t.code for t in tab.model.rows].index("CARE10"))
    assert tab.name_zh_edit.text() == "买洗发水：护发素立减10元"
    assert tab.name_edit.text() == "Bought shampoo: 10 off conditioner"
