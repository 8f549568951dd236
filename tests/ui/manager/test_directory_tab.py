"""The member list tab: search, filters and pages with the total; a member's history; the
member-care actions (edit, replace a card, merge, cash out, adjust points, give a coupon,
the QR code), in English and Chinese."""

from __future__ import annotations

from pathlib import Path

from terminal.db import models as m
from terminal.services import refunds
from tests.helpers import factory
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
    tab.segment_combo.setCurrentIndex(tab.segment_combo.findData("zombie"))
    search(qtbot, runner, tab)  # the shop's twelve members who never bought
    assert tab.count_label.text() == "12 members"
    assert all(r.name.startswith("僵尸") for r in tab.model.rows)
    tab.consent_combo.setCurrentIndex(tab.consent_combo.findData(True))
    search(qtbot, runner, tab)
    assert tab.count_label.text() == "No member matches."
    tab.consent_combo.setCurrentIndex(0)
    tab.segment_combo.setCurrentIndex(0)
    search(qtbot, runner, tab, joined_from="1 March")  # refused, in words
    assert "2026-03-01" in tab.list_message.text()
    search(qtbot, runner, tab, joined_from="2026-03-09", joined_to="2026-03-01")
    assert "wrong way round" in tab.list_message.text()


def test_a_members_history(qtbot, window, runner, shop):
    tab = window.directory_tab
    sale = factory.sale(shop.ctx, [("TEA", 2)], shop.zhang_wei.id)
    back = refunds.refund(shop.ctx, refunds.RefundRequest(factory.key(), sale.txn_id,
                                                          shop.manager_id))
    file = pick(qtbot, runner, tab, "张伟")
    assert len(file.history.sales) == 5 == tab.sales_model.rowCount()
    kinds = [tab.sales_model.text(i, 1) for i in range(5)]
    assert sorted(kinds[:2]) == ["Refund", "Sale"] and kinds[2:] == ["Sale"] * 3
    refunded = kinds.index("Sale")
    assert tab.sales_model.text(refunded, 4) == f"¥{-back.total / 100:.2f}"  # paid back
    assert tab.sales_model.text(kinds.index("Refund"), 8) == sale.receipt_no
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
    shots(qtbot, runner, tab, "zh_CN", "已登记", "无法撤销")


def shots(qtbot, runner, tab, lang: str, duplicate: str, undone: str) -> None:
    """A refusal, the merge's question and the QR code on screen, saved for review."""
    pick(qtbot, runner, tab, "李娜")
    tab.member_actions.edit_button.click()
    dialog = tab.member_actions.dialog
    dialog.phone_edit.setText(m.Member.get(m.Member.name == "张伟").phone.removeprefix("+86"))
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: duplicate in dialog.error.text(), timeout=WAIT_MS)
    assert dialog.grab().save(str(SHOTS / f"manager-members-list-edit-{lang}.png"))
    dialog.reject()
    tab.member_actions.merge_button.click()
    picker = tab.member_actions.dialog
    picker.search_edit.setText("王芳")
    picker.find_button.click()
    idle(qtbot, runner)
    assert picker.grab().save(str(SHOTS / f"manager-members-list-merge-{lang}.png"))
    picker.merge_button.click()
    assert undone in tab.confirm_box.text()
    assert tab.confirm_box.grab().save(str(SHOTS / f"manager-members-list-confirm-{lang}.png"))
    tab.confirm_box.reject()
    tab.member_actions.qr_button.click()
    assert tab.member_actions.dialog.grab().save(str(SHOTS / f"manager-members-list-qr-{lang}.png"))
    tab.member_actions.dialog.accept()
    assert not tab.member_actions.cash_out_button.isEnabled()  # 李娜 has no stored value
    pick(qtbot, runner, tab, "王芳")
    tab.member_actions.cash_out_button.click()
    shot = SHOTS / f"manager-members-list-cash-out-{lang}.png"
    assert tab.member_actions.dialog.grab().save(str(shot))
    tab.member_actions.dialog.reject()


def test_screenshot_in_english(qtbot, window, runner, shop):
    tab = window.directory_tab
    pick(qtbot, runner, tab, "张伟")
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.tabs.setCurrentWidget(tab)
    qtbot.wait(20)
    assert window.grab().save(str(SHOTS / "manager-members-list-history-en.png"))
    shots(qtbot, runner, tab, "en", "already enrolled", "cannot be undone")


def test_edit_refuses_a_phone_already_used_and_saves_the_rest(qtbot, window, runner, shop):
    tab = window.directory_tab
    pick(qtbot, runner, tab, "李娜")
    tab.member_actions.edit_button.click()
    dialog = tab.member_actions.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.phone_edit.setText(shop.zhang_wei.phone.removeprefix("+86"))
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: "already enrolled" in dialog.error.text(), timeout=WAIT_MS)
    assert dialog.isVisible() and shop.zhang_wei.card_no in dialog.error.text()
    dialog.phone_edit.clear()
    dialog.name_edit.setText("李娜娜")
    dialog.birthday_edit.setText("1 May")
    dialog.confirm_button.click()  # refused before the worker
    assert "2026-03-01" in dialog.error.text() and dialog.isVisible()
    dialog.birthday_edit.setText("1992-05-01")
    dialog.consent_box.setChecked(False)
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: tab.member_actions.dialog is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "Saved" in tab.action_message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    assert tab.file.row.name == "李娜娜" and tab.file.birthday.isoformat() == "1992-05-01"
    assert not tab.file.row.marketing_consent
    assert "李娜娜" in [r.name for r in tab.model.rows]
    assert m.AuditEntry.select().where(m.AuditEntry.action == "member_edited").count() == 1


def test_replace_a_lost_card_prints_the_new_one(qtbot, window, runner, shop):
    tab = window.directory_tab
    old = pick(qtbot, runner, tab, "张伟").row.card_no
    tab.member_actions.replace_button.click()
    dialog = tab.member_actions.dialog
    dialog.reason_edit.setText("丢失")
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: "queued for the printer" in tab.action_message.text(),
                    timeout=WAIT_MS)
    new = m.Member.get_by_id(shop.zhang_wei.id).card_no
    assert new != old and tab.file.row.card_no == new and new in tab.member_label.text()
    job = m.PrintJob.select().where(m.PrintJob.kind == "member_card").get()
    assert new in job.payload and tab.file.member_code in job.payload
    tab.member_actions.reprint_button.click()
    idle(qtbot, runner)
    assert m.PrintJob.select().where(m.PrintJob.kind == "member_card").count() == 2


def test_merge_two_records_adds_their_balances(qtbot, window, runner, shop):
    tab = window.directory_tab
    keep = pick(qtbot, runner, tab, "张伟").row
    tab.member_actions.merge_button.click()
    picker = tab.member_actions.dialog
    picker.search_edit.setText("王芳")
    picker.find_button.click()
    idle(qtbot, runner)
    assert [r.name for r in picker.model.rows] == ["王芳"]
    other = picker.model.rows[0]
    picker.merge_button.click()
    box = tab.confirm_box
    assert box is not None and "cannot be undone" in box.text()
    assert "张伟" in box.text() and "王芳" in box.text() and "¥120.00" in box.text()
    tab.confirm_yes.click()
    qtbot.waitUntil(lambda: "was merged into" in tab.action_message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    kept = m.Member.get_by_id(keep.id)
    assert kept.points_balance == keep.points_balance + other.points_balance
    assert kept.stored_value_balance == other.stored_value_balance + keep.stored_value_balance
    assert tab.file.row.stored_value_balance == kept.stored_value_balance
    assert f"{kept.points_balance:,} points" in tab.action_message.text()
    assert "王芳" not in [r.name for r in tab.model.rows]  # merged records leave the list


def test_cash_out_and_adjust_points(qtbot, window, runner, shop):
    tab = window.directory_tab
    file = pick(qtbot, runner, tab, "王芳")
    assert file.sv_paid == 10_000
    tab.member_actions.cash_out_button.click()
    dialog = tab.member_actions.dialog
    assert "¥100.00" in dialog.confirm_button.text()
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: "given back" in tab.action_message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    assert m.Member.get_by_id(file.row.id).stored_value_balance == 0
    assert not tab.member_actions.cash_out_button.isEnabled()

    tab.member_actions.points_button.click()
    dialog = tab.member_actions.dialog
    dialog.points_edit.setText("-50")
    dialog.reason_edit.setText("补录")
    dialog.confirm_button.click()  # she has fewer
    qtbot.waitUntil(lambda: "cannot take 50" in dialog.error.text(), timeout=WAIT_MS)
    dialog.points_edit.setText("+120")
    dialog.reason_edit.clear()
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: "reason" in dialog.error.text(), timeout=WAIT_MS)
    dialog.reason_edit.setText("补录 T01-000003")
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: "Points adjusted" in tab.action_message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    points = m.Member.get_by_id(file.row.id).points_balance
    assert points == file.row.points_balance + 120 and f"{points:,} points" in (
        tab.action_message.text())
    assert tab.points_model.text(0, 2) == "+120"


def test_give_a_coupon_and_show_the_qr_code(qtbot, window, runner, shop):
    tab = window.directory_tab
    file = pick(qtbot, runner, tab, "赵敏")
    before = tab.coupons_model.rowCount()  # her welcome coupon
    tab.member_actions.coupon_button.click()
    qtbot.waitUntil(lambda: tab.member_actions.dialog is not None, timeout=WAIT_MS)
    dialog = tab.member_actions.dialog
    assert dialog.offer_combo.count() >= 1
    dialog.confirm_button.click()  # no reason: refused, shown
    qtbot.waitUntil(lambda: "reason" in dialog.error.text(), timeout=WAIT_MS)
    dialog.reason_edit.setText("久等致歉")
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: "given to 赵敏" in tab.action_message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    assert tab.coupons_model.rowCount() == before + 1
    assert m.Coupon.select().where(m.Coupon.member == file.row.id).count() == before + 1
    assert m.AuditEntry.select().where(m.AuditEntry.action == "coupon_given").count() == 1

    tab.member_actions.qr_button.click()
    qr = tab.member_actions.dialog
    assert qr.payload == file.member_code and not qr.code_label.pixmap().isNull()
    decoded = decode_qr(qr.code_label.pixmap())
    assert decoded == file.member_code


def decode_qr(pixmap) -> str:
    """The QR code on screen, read back with the counter's own decoder."""
    import numpy as np
    import zxingcpp

    image = pixmap.toImage().convertToFormat(pixmap.toImage().Format.Format_Grayscale8)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(
        height, image.bytesPerLine())[:, :width]
    return zxingcpp.read_barcodes(np.ascontiguousarray(data))[0].text
