"""How the counter looks: Chinese text in a CJK font, translated, rendered to PNG for review."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from terminal.ui.fonts import pick_font
from terminal.ui.language import install_translation
from terminal.ui.text import language as window_language
from tests.ui.conftest import WAIT_MS, pay_exact_cash, scan

SHOTS = Path("/tmp/ui-shots")


@pytest.fixture
def cjk_font(qapp: QApplication) -> Iterator[None]:
    before = qapp.font()
    qapp.setFont(pick_font())
    yield
    qapp.setFont(before)


def test_missing_translation_is_reported_not_fatal(qapp):
    installed, warning = install_translation(qapp, "fr")
    assert installed == [] and "translation fr not found" in warning
    assert window_language() == "en"


def test_counter_with_member_and_basket_renders(qtbot, make_window, store, cjk_font,
                                                language):
    assert QFontMetrics(QApplication.font()).inFontUcs4(ord("张"))
    window = make_window()
    zh = language == "zh_CN"
    assert window.checkout_button.text() == ("F9  结账" if zh else "F9  Checkout")
    scan(qtbot, window, store.member_code)
    qtbot.waitUntil(lambda: window.member is not None, timeout=WAIT_MS)
    scan(qtbot, window, "LATTE")  # a first sale, so the receipt pane has a receipt
    qtbot.waitUntil(lambda: window.sale_panel.preview is not None, timeout=WAIT_MS)
    window.checkout_button.click()
    pay_exact_cash(qtbot, window.dialog)
    assert ("小计" in window.receipt_view.toPlainText()) == zh
    for code in ("LATTE", "6901234567892", "6901234567892"):
        scan(qtbot, window, code)
    qtbot.waitUntil(lambda: window.sale_panel.preview is not None
                    and window.sale_panel.entries[-1].item.qty == 2, timeout=WAIT_MS)
    # 11,000 + 56: a ¥28 latte earns double on the member's birthday
    qtbot.waitUntil(lambda: window.member_panel.points.text().startswith("11,056 "),
                    timeout=WAIT_MS)
    assert ("积分" in window.member_panel.points.text()) == zh
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.screen().availableGeometry().contains(window.frameGeometry())
    assert window.grab().save(str(SHOTS / f"counter_{language}.png"))

    window.checkout_button.click()
    dialog = window.dialog
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT_MS)
    assert dialog.grab().save(str(SHOTS / f"checkout_{language}.png"))
    dialog.reject()
    for open_dialog, name in ((window.on_enrol_clicked, "enrol"),
                              (window.on_topup_clicked, "topup"),
                              (window.on_refund_clicked, "refund")):
        open_dialog()
        assert window.dialog.isVisible()
        assert window.dialog.grab().save(str(SHOTS / f"{name}_{language}.png"))
        window.dialog.reject()


def test_approval_dialog_renders(qtbot, make_window, store, cjk_font, language):
    """The approver picker at the counter's 1366x768: every text fits, and the Chinese
    screen has no English left (but the key name Esc)."""
    from PySide6.QtWidgets import QComboBox, QLabel, QPushButton

    from terminal.db.database import proxy
    from terminal.services import staff
    from terminal.services.context import Context
    from tests.ui.conftest import type_approval

    with proxy.connection_context():
        staff.create(Context(), "陈经理", "manager", "1470", approved_by=store.manager.id)
    window = make_window()
    window.resize(1366, 768)
    window.manager_button.click()
    dialog = window.dialog
    for _ in range(staff.FREE_TRIES + 2):  # the longest line it shows: a wait
        type_approval(qtbot, dialog, "0000", "陈经理")
        dialog.confirm_button.click()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    zh = language == "zh_CN"
    assert dialog.error.text().startswith("此人密码错误次数过多" if zh else "Too many wrong PINs")
    type_approval(qtbot, dialog, "12", "陈经理")
    qtbot.wait(50)
    texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton)
             if w.isVisible()]
    texts += [dialog.who.itemText(i) for i in range(dialog.who.count())]
    texts += [dialog.windowTitle(), dialog.pin_edit.placeholderText()]
    if zh:
        english = [t for t in texts if re.search(r"[A-Za-z]", t.replace("Esc", ""))]
        assert english == []
    for btn in dialog.findChildren(QPushButton):
        need = QFontMetrics(btn.font()).horizontalAdvance(btn.text()) + 12
        assert need <= btn.width(), btn.text()
    combo = dialog.findChild(QComboBox)
    widest = max(QFontMetrics(combo.font()).horizontalAdvance(combo.itemText(i))
                 for i in range(combo.count()))
    assert widest + 40 <= combo.width()
    for label in dialog.findChildren(QLabel):  # wrapped labels get the height they need
        assert label.sizeHint().height() <= label.height() or label.wordWrap()
        if label.wordWrap():
            assert label.heightForWidth(label.width()) <= label.height(), label.text()
    assert window.size().width() == 1366 and window.size().height() == 768
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / f"approval_{language}.png"))
    # the dialog over the counter, where a window manager would put it
    from PySide6.QtGui import QPainter

    screen = window.grab()
    painter = QPainter(screen)
    painter.drawPixmap(dialog.geometry().topLeft() - window.geometry().topLeft(),
                       dialog.grab())
    painter.end()
    assert screen.save(str(SHOTS / f"approval_counter_{language}.png"))
