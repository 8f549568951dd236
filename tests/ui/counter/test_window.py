"""The counter window: a member found by scan or phone, a sale from scan to receipt."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import WAIT_MS, count_txns, idle, pay_exact_cash, scan


def test_scanned_member_sale_with_points_coupon_stored_value_and_cash(qtbot, make_window,
                                                                     store):
    window = make_window()
    assert "members" in window.status_line.text()
    scan(qtbot, window, store.member_code)
    qtbot.waitUntil(lambda: window.member is not None, timeout=WAIT_MS)
    panel = window.member_panel
    assert panel.name.text() == "张伟"
    assert "138****1111" in panel.identity.text()
    # 10,000 given + 500 given long ago + 500 earned (a ¥250 sale, double on the birthday)
    assert panel.points.text() == "11,000 points (worth ¥110.00)"
    assert panel.expiring.text().startswith("500 points expire on ")
    assert "Birthday this week" in panel.flags.text()
    assert "¥120.00" in panel.stored_value.text()  # 100 paid + 20 bonus
    assert "十次咖啡卡" in panel.punch.text()
    assert "Welcome" in panel.coupons.text()
    assert window.search_box.text() == ""

    scan(qtbot, window, "LATTE")
    qtbot.waitUntil(lambda: len(window.sale_panel.entries) == 1, timeout=WAIT_MS)
    scan(qtbot, window, "6901234567892")  # the cake's barcode
    qtbot.waitUntil(lambda: len(window.sale_panel.entries) == 2, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F8)  # +1 on the line just scanned
    qtbot.waitUntil(lambda: window.sale_panel.preview is not None, timeout=WAIT_MS)
    table = window.sale_panel.table
    assert table.item(1, 0).text() == "芝士蛋糕" and table.item(1, 1).text() == "2"
    assert window.sale_panel.total.text().endswith("¥92.00")

    qtbot.keyClick(window, Qt.Key.Key_F9)
    dialog = window.dialog
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT_MS)
    assert "¥92.00" in dialog.total_label.text()
    # over the cap: half of the bill after the coupon may be paid with points
    welcome = next(i for i in range(dialog.coupon_pick.count())
                   if "Welcome" in dialog.coupon_pick.itemText(i))
    dialog.coupon_pick.setCurrentIndex(welcome)
    assert dialog.coupon_edit.text() != ""
    qtbot.keyClicks(dialog.points_edit, "5000")
    qtbot.waitUntil(lambda: "at most 4100 points" in dialog.error.text(), timeout=WAIT_MS)
    dialog.points_edit.clear()
    qtbot.keyClicks(dialog.points_edit, "3000")
    qtbot.waitUntil(lambda: dialog.preview.pricing.points_redeemed == 3000, timeout=WAIT_MS)
    assert dialog.error.text() == ""
    assert dialog.preview.pricing.coupon_discount == 1000
    assert "11,000 points; at most 4,100" in dialog.points_info.text()
    assert "¥52.00" in dialog.total_label.text()
    qtbot.keyClicks(dialog.sv_edit, "50")
    assert dialog.change_label.text() == "Left to pay ¥2.00"
    qtbot.keyClicks(dialog.cash_edit, "10")
    assert dialog.change_label.text() == "Change ¥8.00"

    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    receipt = window.receipt_view.receipt
    assert receipt is not None and receipt.total == 5200 and receipt.change == 800
    assert dict(receipt.tenders) == {"stored_value": 5000, "cash": 1000}
    assert receipt.member is not None and receipt.member.points_redeemed == 3000
    text = window.receipt_view.toPlainText()
    assert "拿铁 Latte" in text and "Change: ¥8.00" in text
    assert count_txns("sale") == 2  # the seeded sale and this one
    assert window.sale_panel.entries == []
    qtbot.waitUntil(window.search_box.hasFocus, timeout=WAIT_MS)  # ready for the next scan
    qtbot.waitUntil(lambda: window.member is not None
                    and window.member.stored_value_balance == 7000, timeout=WAIT_MS)
    assert "Welcome" not in window.member_panel.coupons.text()


def test_double_confirm_and_retry_after_an_error_record_one_sale(qtbot, make_window):
    window = make_window()
    scan(qtbot, window, "latte")  # SKUs are found in any case
    qtbot.waitUntil(lambda: window.sale_panel.preview is not None, timeout=WAIT_MS)
    window.checkout_button.click()
    dialog = window.dialog
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT_MS)
    qtbot.keyClicks(dialog.cash_edit, "20")
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: "¥8.00 still to pay" in dialog.error.text(), timeout=WAIT_MS)
    assert dialog.isVisible() and dialog.cash_edit.text() == "20"
    assert dialog.confirm_button.isEnabled()
    key = dialog.key
    dialog.cash_edit.clear()
    qtbot.keyClicks(dialog.cash_edit, "30")
    # two confirms in flight at once (a double click racing the button's disabling)
    dialog.on_confirm_clicked()
    dialog.on_confirm_clicked()
    idle(qtbot, window)
    assert dialog.key == key
    assert count_txns("sale") == 2  # the seeded sale and exactly one more
    assert window.receipt_view.receipt is not None
    assert window.receipt_view.receipt.change == 200
    assert not dialog.isVisible()


def test_a_double_click_on_confirm_records_one_sale(qtbot, make_window):
    window = make_window()
    scan(qtbot, window, "CAKE")
    qtbot.waitUntil(lambda: window.sale_panel.preview is not None, timeout=WAIT_MS)
    qtbot.mouseClick(window.sale_panel.plus_button, Qt.MouseButton.LeftButton)
    assert window.search_box.hasFocus()  # a click on a button leaves the scan field focused
    window.checkout_button.click()
    dialog = window.dialog
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT_MS)
    dialog.cash_exact.click()
    # a double click is two clicks in a row (QTest's mouseDClick sends no click at all)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.receipt_view.receipt is not None, timeout=WAIT_MS)
    idle(qtbot, window)
    assert count_txns("sale") == 2 and window.receipt_view.receipt.total == 6400


def test_typed_phone_and_name_prefix_with_a_pick_list(qtbot, make_window, store):
    window = make_window()
    qtbot.keyClicks(window.search_box, "138 0000 1111", delay=120)  # a person typing
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.member is not None, timeout=WAIT_MS)
    assert window.member.card_no == store.card_no
    window.search_box.setText("张")  # QTest types ASCII only; an input method gives this
    qtbot.wait(120)  # a person, not a scanner
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is not None and window.dialog.isVisible(),
                    timeout=WAIT_MS)
    pick = window.dialog
    assert window.message.text() == "2 members found: pick one"
    assert pick.list.count() == 2
    assert "138****2222" in pick.list.item(0).text()  # sorted by name: 张三 before 张伟
    pick.list.setCurrentRow(0)
    pick.ok_button.click()
    qtbot.waitUntil(lambda: window.member.name == "张三", timeout=WAIT_MS)
    assert window.search_box.text() == ""
    scan(qtbot, window, store.card_no)  # a member card's barcode
    qtbot.waitUntil(lambda: window.member.name == "张伟", timeout=WAIT_MS)


def test_many_members_of_one_name_show_the_first_ones_and_say_how_many(
        qtbot, make_window, store):
    from terminal.core.config import Settings
    from terminal.db.database import close_database, open_database
    from terminal.services import lookup, members
    from terminal.services.context import Context

    open_database(store.url)
    try:
        ctx = Context(Settings(), staff_id="t")
        for i in range(lookup.SHOWN + 5):
            members.enrol(ctx, members.EnrolRequest(f"Chen {i:02d}", f"1370000{i:04d}"))
    finally:
        close_database()
    window = make_window()
    window.search_box.setText("chen")
    qtbot.wait(120)  # a person, not a scanner
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is not None and window.dialog.isVisible(),
                    timeout=WAIT_MS)
    assert window.message.text() == (f"The first {lookup.SHOWN} of {lookup.SHOWN + 5:,} "
                                     "members found: pick one, or type more of the name")
    assert window.dialog.list.count() == lookup.SHOWN


def test_a_scan_while_typing_keeps_what_was_typed(qtbot, make_window, store):
    window = make_window()
    qtbot.keyClicks(window.search_box, "zh", delay=150)
    qtbot.wait(150)
    scan(qtbot, window, store.member_code)
    qtbot.waitUntil(lambda: window.member is not None, timeout=WAIT_MS)
    assert window.member.name == "张伟"
    assert window.search_box.text() == "zh"


def test_bad_codes_and_inputs_show_their_messages(qtbot, make_window, store):
    window = make_window()
    qtbot.keyClicks(window.search_box, "NOPE-1", delay=80)  # typed by a person
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "no member or product matches" in window.message.text(),
                    timeout=WAIT_MS)
    assert window.search_box.text() == "NOPE-1"  # kept, selected: the next scan replaces it
    assert window.search_box.selectedText() == "NOPE-1"
    window.search_box.clear()
    forged = store.member_code.rsplit(".", 1)[0] + ".AAAAAAAAAA"
    scan(qtbot, window, forged)
    qtbot.waitUntil(lambda: "not genuine" in window.message.text(), timeout=WAIT_MS)
    assert window.member is None
    window.search_box.clear()
    scan(qtbot, window, "6900000000000")
    qtbot.waitUntil(lambda: "no product has the barcode" in window.message.text(),
                    timeout=WAIT_MS)
    window.search_box.clear()
    scan(qtbot, window, "13899998888")
    qtbot.waitUntil(lambda: "no member has the phone number 13899998888: F2 enrols it"
                    in window.message.text(), timeout=WAIT_MS)

    panel = window.sale_panel
    qtbot.keyClicks(panel.amount_edit, "-5")
    qtbot.keyClick(panel.amount_edit, Qt.Key.Key_Return)
    assert "cannot be negative" in panel.error.text() and panel.entries == []
    assert panel.amount_edit.text() == "-5"
    panel.amount_edit.clear()
    qtbot.keyClicks(panel.amount_edit, "12.345")
    qtbot.keyClick(panel.amount_edit, Qt.Key.Key_Return)
    assert "decimal places" in panel.error.text()
    panel.amount_edit.clear()
    qtbot.keyClicks(panel.amount_edit, "12.50")
    qtbot.keyClick(panel.amount_edit, Qt.Key.Key_Return)
    assert len(panel.entries) == 1 and panel.entries[0].item.unit_price == 1250
    qtbot.keyClicks(panel.qty_edit, "-2")
    qtbot.keyClick(panel.qty_edit, Qt.Key.Key_Return)
    assert "at least 1" in panel.error.text() and panel.entries[0].item.qty == 1
    panel.qty_edit.clear()
    qtbot.keyClicks(panel.qty_edit, "3")
    qtbot.keyClick(panel.qty_edit, Qt.Key.Key_Return)
    assert panel.entries[0].item.qty == 3
    qtbot.waitUntil(lambda: panel.total.text().endswith("¥37.50"), timeout=WAIT_MS)


def test_escape_clears_the_field_then_the_customer(qtbot, make_window, store):
    window = make_window()
    scan(qtbot, window, store.member_code)
    qtbot.waitUntil(lambda: window.member is not None, timeout=WAIT_MS)
    scan(qtbot, window, "LATTE")
    qtbot.waitUntil(lambda: len(window.sale_panel.entries) == 1, timeout=WAIT_MS)
    qtbot.keyClicks(window.search_box, "abc")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert window.search_box.text() == "" and window.member is not None
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert window.member is None and window.sale_panel.entries == []
    assert window.member_panel.name.text() == "No member"


def test_a_scanned_coupon_is_applied_at_checkout(qtbot, make_window, store):
    window = make_window()
    scan(qtbot, window, store.member_code)
    qtbot.waitUntil(lambda: window.member is not None, timeout=WAIT_MS)
    welcome = next(c for c in window.member.coupons if "Welcome" in c.name)
    scan(qtbot, window, "C1." + welcome.code)  # the QR on a printed coupon
    qtbot.waitUntil(lambda: "will be applied at checkout" in window.message.text(),
                    timeout=WAIT_MS)
    scan(qtbot, window, "CAKE")
    scan(qtbot, window, "CAKE")
    qtbot.waitUntil(lambda: window.sale_panel.preview is not None
                    and window.sale_panel.entries[0].item.qty == 2, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    dialog = window.dialog
    assert dialog.coupon_edit.text() == welcome.code
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT_MS)
    assert dialog.preview.pricing.coupon_discount == 1000
    dialog.cash_exact.click()
    assert dialog.cash_edit.text() == "54.00" and dialog.change_label.text() == "Change ¥0.00"
    qtbot.keyClick(dialog.cash_edit, Qt.Key.Key_Return)  # Enter confirms
    qtbot.waitUntil(lambda: window.receipt_view.receipt is not None, timeout=WAIT_MS)
    assert window.receipt_view.receipt.total == 5400


def test_a_database_that_cannot_be_opened_is_reported(qtbot, tmp_path):
    from terminal.core.config import Settings
    from terminal.ui.app import CounterWindow

    window = CounterWindow(Settings(), "mysql://nowhere/db")
    qtbot.add_widget(window)
    qtbot.waitUntil(lambda: window.open_error is not None, timeout=WAIT_MS)
    assert "unsupported database URL" in window.message.text()
    scan(qtbot, window, "LATTE")
    assert "could not be opened" in window.message.text()
    window.close()


def test_a_phone_nobody_has_stays_typed_and_f2_enrols_it(qtbot, make_window, store):
    window = make_window()
    assert window.status_line.text() == "Ready. 2 members."
    qtbot.keyClicks(window.search_box, "139 0001 2345", delay=60)  # a person typing
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "F2 enrols it" in window.message.text(), timeout=WAIT_MS)
    assert window.search_box.text() == "139 0001 2345"  # kept, not cleared
    qtbot.keyClick(window, Qt.Key.Key_F2)
    dialog = window.dialog
    assert dialog.phone_edit.text() == "139 0001 2345"
    dialog.name_edit.setText("王芳")
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        dialog.confirm_button.click()
    assert window.member.name == "王芳" and window.member.phone_masked == "139****2345"
    assert window.search_box.text() == ""
    assert window.status_line.text() == "Ready. 3 members."  # the new member counted
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_F2)  # only the number just looked up is offered
    assert window.dialog.phone_edit.text() == ""


def test_counts_in_the_basket_are_said_in_the_singular_and_plural(qtbot, make_window):
    window = make_window()
    scan(qtbot, window, "LATTE")
    panel = window.sale_panel
    qtbot.waitUntil(lambda: panel.totals.text().startswith("1 item "), timeout=WAIT_MS)
    scan(qtbot, window, "LATTE")
    qtbot.waitUntil(lambda: panel.totals.text().startswith("2 items "), timeout=WAIT_MS)


def test_with_the_dummy_printer_the_pane_says_nothing_is_printed(qtbot, make_window):
    window = make_window()  # QUIET: the default settings, printer "dummy"
    scan(qtbot, window, "LATTE")
    qtbot.waitUntil(lambda: window.sale_panel.preview is not None, timeout=WAIT_MS)
    window.checkout_button.click()
    pay_exact_cash(qtbot, window.dialog)
    summary = window.print_pane.summary
    qtbot.waitUntil(lambda: "No receipt printer set up" in summary.text(), timeout=WAIT_MS)
    assert "all printed" not in summary.text()


def test_checkout_by_keyboard_alone(qtbot, make_window, store):
    window = make_window()
    scan(qtbot, window, store.member_code)
    qtbot.waitUntil(lambda: window.member is not None, timeout=WAIT_MS)
    scan(qtbot, window, "LATTE")
    qtbot.waitUntil(lambda: window.sale_panel.preview is not None, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    dialog = window.dialog
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT_MS)
    assert dialog.cash_edit.hasFocus()
    qtbot.keyClick(dialog.cash_edit, Qt.Key.Key_Tab)  # one Tab from cash: the points
    assert dialog.points_edit.hasFocus()
    qtbot.keyClick(dialog.points_edit, Qt.Key.Key_Tab)
    assert dialog.sv_edit.hasFocus()
    assert [b.text() for b in (dialog.points_max, dialog.sv_all, dialog.cash_exact)] == [
        "F6  Use most", "F7  Use balance", "F8  Exact cash"]
    qtbot.keyClick(dialog, Qt.Key.Key_F6)  # as many points as may be used
    qtbot.waitUntil(lambda: dialog.points_edit.text() not in ("", "0"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.preview is not None
                    and dialog.preview.pricing.points_redeemed > 0, timeout=WAIT_MS)
    # with points and a coupon the form still fits a 768-pixel screen, title bar included
    dialog.coupon_pick.setCurrentIndex(1)
    qtbot.waitUntil(lambda: dialog.coupon_edit.text() != "", timeout=WAIT_MS)
    assert dialog.minimumSizeHint().height() <= 768 - 40, dialog.minimumSizeHint()
    dialog.coupon_pick.setCurrentIndex(0)  # (the welcome coupon needs a ¥50 basket)
    dialog.coupon_edit.clear()
    dialog.on_pricing_edited()
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.error.text() == "",
                    timeout=WAIT_MS)
    qtbot.keyClick(dialog, Qt.Key.Key_F8)  # the rest in cash, exactly
    qtbot.waitUntil(lambda: dialog.cash_edit.text() != "", timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        qtbot.keyClick(dialog, Qt.Key.Key_F9)
