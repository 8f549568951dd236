"""The counter's shift: a float asked at sign-in, F1 to count the drawer and print the report,
and changing one's PIN from the sign-in dialog; in English and Chinese, shot at 1366x768."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton

from terminal.db import models as m
from terminal.db.database import proxy
from terminal.services import shifts, staff
from terminal.services.context import Context
from terminal.ui.counter.dialogs.change_pin_dialog import ChangePinDialog
from terminal.ui.counter.dialogs.close_shift_dialog import CloseShiftDialog, ShiftReportDialog
from terminal.ui.counter.dialogs.open_shift_dialog import OpenShiftDialog
from terminal.ui.counter.dialogs.sign_in import SignInDialog
from tests.ui.conftest import WAIT_MS, idle, scan

SHOTS = Path("/tmp/ui-shots")


def sign_in(qtbot, window, name: str, pin: str) -> SignInDialog:
    qtbot.waitUntil(lambda: isinstance(window.dialog, SignInDialog), timeout=WAIT_MS)
    dialog = window.dialog
    names = [dialog.who.itemText(i) for i in range(dialog.who.count())]
    dialog.who.setCurrentIndex(next(i for i, n in enumerate(names) if n.startswith(name)))
    qtbot.keyClicks(dialog.pin_edit, pin)
    return dialog


def looks_right(dialog: QDialog, language: str, name: str) -> None:
    """Every text fits; the Chinese screen has no English but key names and data (the
    terminal id); then the shot."""
    qtbot_wait_layout(dialog)
    texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton)
             if w.isVisible()] + [dialog.windowTitle()]
    if language == "zh_CN":
        english = [t for t in texts
                   if re.search(r"[A-Za-z]", re.sub(r"Esc|F\d+|T01|<b>|</b>|<br>", "", t))]
        assert english == []
    for btn in dialog.findChildren(QPushButton):
        if btn.isVisible():
            assert QFontMetrics(btn.font()).horizontalAdvance(btn.text()) + 12 <= btn.width()
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and not label.wordWrap() and "<" not in label.text():
            assert QFontMetrics(label.font()).horizontalAdvance(label.text()) <= label.width(), \
                label.text()
        if label.isVisible() and label.wordWrap():
            assert label.heightForWidth(label.width()) <= label.height(), label.text()
    assert dialog.height() <= 768 and dialog.width() <= 1366
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / f"{name}_{language}.png"))


def qtbot_wait_layout(dialog: QDialog) -> None:
    dialog.adjustSize()
    QApplication.processEvents()


def shift_rows() -> list[m.Shift]:
    with proxy.connection_context():
        return list(m.Shift.select().order_by(m.Shift.opened_at))


def test_a_shift_from_sign_in_to_the_printed_report(qtbot, make_window, store, language):
    window = make_window(staff_id=None)
    window.resize(1366, 768)
    dialog = sign_in(qtbot, window, "小李", "1357")
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: isinstance(window.dialog, OpenShiftDialog), timeout=WAIT_MS)
    opening = window.dialog
    qtbot.keyClicks(opening.amount_edit, "-5")
    opening.confirm_button.click()
    assert opening.isVisible() and opening.error.text()  # refused before the worker
    opening.amount_edit.clear()
    qtbot.keyClicks(opening.amount_edit, "200")
    assert opening.error.text() == ""  # the refusal goes once the amount is typed again
    looks_right(opening, language, "open_shift")
    with qtbot.waitSignal(opening.completed, timeout=WAIT_MS):
        opening.confirm_button.click()
    assert [(r.opening_float, r.staff_id) for r in shift_rows()] == [
        (20_000, str(store.cashier.id))]
    assert "200.00" in window.message.text()

    scan(qtbot, window, "LATTE")  # a cash sale of 28.00
    qtbot.waitUntil(lambda: window.sale_panel.preview is not None, timeout=WAIT_MS)
    idle(qtbot, window)
    with proxy.connection_context():
        from terminal.loyalty.pricing import Tenders
        from terminal.services import checkout
        checkout.checkout(window.ctx, checkout.CheckoutRequest(
            "shift-ui-sale", (checkout.SaleItem("LATTE"),), tenders=Tenders(cash=2800)))

    window.shift_button.click()
    qtbot.waitUntil(lambda: isinstance(window.dialog, CloseShiftDialog), timeout=WAIT_MS)
    closing = window.dialog
    assert closing.current.expected == 22_800
    qtbot.keyClicks(closing.amount_edit, "227")
    assert closing.difference.text() == ("短款 ¥1.00" if language == "zh_CN"
                                         else "Short by ¥1.00")
    looks_right(closing, language, "close_shift")
    jobs_before = count_report_jobs()
    with qtbot.waitSignal(closing.completed, timeout=WAIT_MS):
        closing.confirm_button.click()
    qtbot.waitUntil(lambda: isinstance(window.dialog, ShiftReportDialog), timeout=WAIT_MS)
    idle(qtbot, window)
    assert count_report_jobs() == jobs_before + 1
    row = shift_rows()[0]
    assert (row.expected, row.counted) == (22_800, 22_700)
    report = window.dialog
    shown = " ".join(w.text() for w in report.findChildren(QLabel))
    assert "-¥1.00" in shown and "¥227.00" in shown
    looks_right(report, language, "shift_report")
    report.ok_button.click()

    window.shift_button.click()  # no shift open now: F1 opens one
    qtbot.waitUntil(lambda: isinstance(window.dialog, OpenShiftDialog), timeout=WAIT_MS)


def count_report_jobs() -> int:
    with proxy.connection_context():
        return int(m.PrintJob.select().where(m.PrintJob.kind == "report").count())


def test_no_float_is_asked_when_a_shift_is_open(qtbot, make_window, store):
    with proxy.connection_context():
        shifts.open_shift(Context(staff_id=str(store.cashier.id)), 5_000)
    window = make_window(staff_id=None)
    dialog = sign_in(qtbot, window, "小李", "1357")
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        dialog.confirm_button.click()
    idle(qtbot, window)
    assert not isinstance(window.dialog, OpenShiftDialog)


def test_a_cashier_changes_their_pin_at_sign_in(qtbot, make_window, store, language):
    window = make_window(staff_id=None)
    window.resize(1366, 768)
    dialog = sign_in(qtbot, window, "小李", "")
    dialog.change_pin_button.click()
    change = dialog.pin_dialog
    assert isinstance(change, ChangePinDialog) and change.person.id == store.cashier.id
    for edit, text in zip(change.edits, ("1357", "2468", "2469"), strict=True):
        qtbot.keyClicks(edit, text)
    change.confirm_button.click()
    qtbot.waitUntil(lambda: not change.busy, timeout=WAIT_MS)
    assert change.isVisible() and all(e.text() == "" for e in change.edits)
    looks_right(change, language, "change_pin")
    for edit, text in zip(change.edits, ("1357", "3579", "3579"), strict=True):
        qtbot.keyClicks(edit, text)
    with qtbot.waitSignal(change.completed, timeout=WAIT_MS):
        change.confirm_button.click()
    assert dialog.error.text() == ("密码已更改：请用新密码登录。" if language == "zh_CN"
                                   else "The PIN is changed: sign in with the new one.")
    with proxy.connection_context():
        assert staff.sign_in(Context(), store.cashier.id, "3579").id == store.cashier.id
    qtbot.keyClicks(dialog.pin_edit, "3579")
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        dialog.confirm_button.click()


def test_the_shift_key_fits_the_bar_and_sign_in_has_change_pin(qtbot, make_window, store,
                                                                language):
    window = make_window(staff_id=None)
    window.resize(1366, 768)
    dialog = sign_in(qtbot, window, "小李", "")
    looks_right(dialog, language, "sign_in_with_change_pin")
    dialog.reject()
    QApplication.processEvents()
    assert window.width() == 1366
    bar = [window.enrol_button, window.topup_button, window.punch_button,
           window.refund_button, window.shift_button, window.manager_button,
           window.switch_button, window.clear_button, window.checkout_button]
    for btn in bar:
        assert QFontMetrics(btn.font()).horizontalAdvance(btn.text()) + 12 <= btn.width(), \
            btn.text()
    assert bar[-1].geometry().right() <= window.width()
    assert window.shift_button.text() == ("F1  班次" if language == "zh_CN" else "F1  Shift")
    keys = [sc.key().toString() for sc in window.findChildren(QShortcut)]
    assert len(keys) == len(set(keys)), keys  # a key taken twice would do neither
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: isinstance(window.dialog, OpenShiftDialog), timeout=WAIT_MS)
    window.dialog.reject()
    assert window.grab().save(str(SHOTS / f"counter_shift_key_{language}.png"))
