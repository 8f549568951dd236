"""The counter's dialogs: enrolment, top-up, punch visit, refund with a manager's approval."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from terminal.db.database import proxy
from terminal.services import staff
from terminal.services.context import Context
from tests.ui.conftest import (
    MANAGER_PIN,
    WAIT_MS,
    count_txns,
    fake_approver,
    idle,
    scan_member,
    type_approval,
)


def test_enrolment_with_no_sale_validates_the_phone_as_typed(qtbot, make_window, store):
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_F2)
    dialog = window.dialog
    assert dialog.isVisible()
    dialog.name_edit.setText("李娜")  # QTest types ASCII only
    qtbot.keyClicks(dialog.phone_edit, "139abc")
    assert "only digits" in dialog.phone_error.text()
    for _ in range(3):
        qtbot.keyClick(dialog.phone_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.phone_edit, "0001 234")
    assert "not a valid phone number" in dialog.phone_error.text()  # one digit short
    qtbot.keyClicks(dialog.phone_edit, "5")
    assert dialog.phone_error.text() == "Phone number OK"
    dialog.has_birthday.setChecked(True)
    dialog.consent.setChecked(True)
    qtbot.keyClicks(dialog.referrer_edit, "RNOSUCH1")
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: "no member has the referral code" in dialog.error.text(),
                    timeout=WAIT_MS)
    assert dialog.isVisible() and dialog.name_edit.text() == "李娜"  # nothing typed is lost
    dialog.referrer_edit.clear()
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        dialog.confirm_button.click()
    assert window.member is not None and window.member.name == "李娜"
    assert window.member.new_member and window.member.phone_masked == "139****2345"
    assert window.member_panel.name.text() == "李娜"
    assert "New member" in window.member_panel.flags.text()
    assert count_txns("sale") == 1  # only the seeded sale: enrolment needs none

    qtbot.keyClick(window, Qt.Key.Key_F2)  # the same phone again is refused, inline
    again = window.dialog
    again.name_edit.setText("李娜")
    qtbot.keyClicks(again.phone_edit, "13900012345")
    again.confirm_button.click()
    qtbot.waitUntil(lambda: "already enrolled" in again.error.text(), timeout=WAIT_MS)


def test_top_up_shows_the_bonus_and_punch_visit(qtbot, make_window, store):
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_F4)
    assert "member first" in window.message.text()  # no member yet: no dialog
    scan_member(qtbot, window, store.member_code)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    dialog = window.dialog
    qtbot.keyClicks(dialog.amount_edit, "500")
    assert dialog.bonus_label.text() == "Bonus ¥150.00: the member gets ¥650.00"
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        dialog.confirm_button.click()
    assert window.receipt_view.receipt.kind == "topup"
    qtbot.waitUntil(lambda: window.member.stored_value_balance == 12_000 + 65_000,
                    timeout=WAIT_MS)

    qtbot.keyClick(window, Qt.Key.Key_F5)
    punch = window.dialog
    assert "10/10" in punch.cards.item(0).text()
    with qtbot.waitSignal(punch.completed, timeout=WAIT_MS):
        punch.confirm_button.click()
    assert window.receipt_view.receipt.kind == "visit"
    qtbot.waitUntil(lambda: window.member.punch_cards[0].visits_left == 9, timeout=WAIT_MS)
    assert "9/10" in window.member_panel.punch.text()


def open_refund(qtbot, window, receipt_no):
    qtbot.keyClick(window, Qt.Key.Key_F12)
    dialog = window.dialog
    qtbot.keyClicks(dialog.receipt_edit, "T01-999")
    qtbot.keyClick(dialog.receipt_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "no receipt T01-000999" in dialog.error.text(), timeout=WAIT_MS)
    dialog.receipt_edit.clear()
    qtbot.keyClicks(dialog.receipt_edit, receipt_no)
    qtbot.keyClick(dialog.receipt_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.sale is not None, timeout=WAIT_MS)
    assert dialog.lines.rowCount() == 1 and "十次咖啡卡" in dialog.lines.item(0, 0).text()
    return dialog


def test_refund_needs_a_manager_and_is_refused_without(qtbot, make_window, store):
    window = make_window(approve=fake_approver(store.manager))
    dialog = open_refund(qtbot, window, store.sale_receipt_no)
    dialog.reason_edit.setText("changed mind")
    dialog.confirm_button.click()
    pin = dialog.pin_dialog
    type_approval(qtbot, pin, "0000")
    assert pin.who.count() == 1 and pin.who.currentText() == "王店长 (owner)"
    pin.confirm_button.click()
    qtbot.waitUntil(lambda: "wrong PIN" in pin.error.text(), timeout=WAIT_MS)
    assert pin.isVisible() and pin.pin_edit.text() == ""
    pin.reject()  # the cashier gives up: no approval, no refund
    assert "needs a manager's approval" in dialog.error.text()
    assert count_txns("refund") == 0 and dialog.isVisible()

    dialog.confirm_button.click()
    pin = dialog.pin_dialog
    type_approval(qtbot, pin, MANAGER_PIN)
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        pin.confirm_button.click()
    assert count_txns("refund") == 1
    receipt = window.receipt_view.receipt
    assert receipt.kind == "refund" and receipt.original_receipt_no == store.sale_receipt_no
    assert "Refund" in window.receipt_view.toPlainText()


def test_refund_approved_by_a_cashier_is_refused_by_the_service(qtbot, make_window, store):
    window = make_window(approve=lambda ctx, staff_id, pin, action: store.cashier)
    dialog = open_refund(qtbot, window, store.sale_receipt_no)
    dialog.confirm_button.click()
    type_approval(qtbot, dialog.pin_dialog, "1357")
    dialog.pin_dialog.confirm_button.click()
    qtbot.waitUntil(lambda: "needs a manager's approval" in dialog.error.text(),
                    timeout=WAIT_MS)
    idle(qtbot, window)
    assert count_txns("refund") == 0 and dialog.isVisible()


def test_refund_with_the_real_staff_service(qtbot, make_window, store):
    window = make_window()  # staff.approve checks the PIN against the hashed ones
    assert window.approve is staff.approve
    dialog = open_refund(qtbot, window, store.sale_receipt_no.lower())
    dialog.confirm_button.click()
    type_approval(qtbot, dialog.pin_dialog, MANAGER_PIN, "王店长")
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        dialog.pin_dialog.confirm_button.click()
    assert count_txns("refund") == 1


def test_void_of_todays_sale(qtbot, make_window, store):
    window = make_window(approve=fake_approver(store.manager))
    dialog = open_refund(qtbot, window, store.sale_receipt_no)
    dialog.void_box.setChecked(True)
    dialog.confirm_button.click()
    assert "voiding receipt" in dialog.pin_dialog.findChild(QLabel).text()
    type_approval(qtbot, dialog.pin_dialog, MANAGER_PIN)
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        qtbot.keyClick(dialog.pin_dialog.pin_edit, Qt.Key.Key_Return)
    assert count_txns("void") == 1 and window.receipt_view.receipt.kind == "void"
    assert "Void" in window.receipt_view.toPlainText()


def test_the_approver_is_picked_and_a_wait_is_a_sentence(qtbot, make_window, store):
    with proxy.connection_context():
        staff.create(Context(), "陈经理", "manager", "1470", approved_by=store.manager.id)
    window = make_window()  # the real staff.approve
    window.manager_button.click()
    dialog = window.dialog
    qtbot.waitUntil(lambda: dialog.who.isEnabled(), timeout=WAIT_MS)
    assert [dialog.who.itemText(i) for i in range(dialog.who.count())] == [
        "王店长 (owner)", "陈经理 (manager)"]  # approvers only: no cashier
    for _ in range(staff.FREE_TRIES + 1):
        type_approval(qtbot, dialog, "0000", "陈经理")
        dialog.confirm_button.click()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
        assert dialog.error.text() == "wrong PIN"
    type_approval(qtbot, dialog, "1470", "陈经理")  # even their right PIN waits now
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert dialog.error.text().startswith("Too many wrong PINs for this person: try again in")
    type_approval(qtbot, dialog, MANAGER_PIN, "王店长")  # the owner's account is not locked
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        dialog.confirm_button.click()
    assert window.session.manager_window.ctx.staff_id == str(store.manager.id)
    window.session.manager_window.close()


def test_the_refund_dialog_shows_the_sales_status_in_chinese(qtbot, make_window, store,
                                                             zh_cn):
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_F12)
    dialog = window.dialog
    qtbot.keyClicks(dialog.receipt_edit, store.sale_receipt_no)
    qtbot.keyClick(dialog.receipt_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.sale is not None, timeout=WAIT_MS)
    assert dialog.sale.status == "completed"
    text = dialog.sale_label.text()
    assert "合计" in text and text.endswith("已完成") and "completed" not in text


def test_the_approval_says_how_much_goes_back_and_where(qtbot, make_window, store):
    # paid ¥30 from stored value and ¥60 in cash; two of the three lattes come back
    from terminal.db import models as m
    from terminal.loyalty.pricing import Tenders
    from terminal.services import checkout
    from terminal.services.checkout import CheckoutRequest, SaleItem

    with proxy.connection_context():
        member = m.Member.get(m.Member.card_no == store.card_no)
        sale = checkout.checkout(Context(staff_id=str(store.manager.id)), CheckoutRequest(
            "split-sale", (SaleItem("LATTE", 3),), member_id=member.id,
            tenders=Tenders(stored_value=3000, cash=6000)))
    window = make_window(approve=fake_approver(store.manager))
    qtbot.keyClick(window, Qt.Key.Key_F12)
    dialog = window.dialog
    qtbot.keyClicks(dialog.receipt_edit, sale.receipt_no)
    qtbot.keyClick(dialog.receipt_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.sale is not None, timeout=WAIT_MS)
    dialog.lines.cellWidget(0, 2).setValue(2)
    qtbot.waitUntil(lambda: dialog.quote is not None and dialog.quote.amount == 5600,
                    timeout=WAIT_MS)
    assert dialog.amount_label.text() == "Back to the customer: ¥56.00"
    assert dialog.split_edits["stored_value"].text() == "30.00"  # the default order
    assert dialog.split_edits["cash"].text() == "26.00"
    assert dialog.split_edits["card"].isHidden()  # not paid by card: nothing goes back so
    dialog.split_edits["stored_value"].setText("0")
    dialog.confirm_button.click()
    assert "add up to ¥26.00; the refund is ¥56.00" in dialog.error.text()
    assert dialog.pin_dialog is None or not dialog.pin_dialog.isVisible()
    dialog.split_edits["cash"].setText("56.00")  # more cash than the customer paid
    dialog.confirm_button.click()
    said = dialog.pin_dialog.findChild(QLabel).text()
    assert "¥56.00 back: ¥56.00 cash." in said
    type_approval(qtbot, dialog.pin_dialog, MANAGER_PIN)
    dialog.pin_dialog.confirm_button.click()  # the service refuses it, in words
    qtbot.waitUntil(lambda: "at most ¥54.00 can go back as cash" in dialog.error.text(),
                    timeout=WAIT_MS)
    dialog.split_edits["stored_value"].setText("2")
    dialog.split_edits["cash"].setText("54")  # as much cash as they paid, the rest stored
    dialog.confirm_button.click()
    said = dialog.pin_dialog.findChild(QLabel).text()
    assert "¥56.00 back: ¥2.00 stored value, ¥54.00 cash." in said
    type_approval(qtbot, dialog.pin_dialog, MANAGER_PIN)
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        dialog.pin_dialog.confirm_button.click()
    with proxy.connection_context():
        back = m.Txn.get(m.Txn.original == sale.txn_id)
        assert (back.cash, back.stored_value, back.total) == (-5400, -200, -5600)
