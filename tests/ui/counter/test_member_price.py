"""A member pays the member price: the checkout's breakdown and the receipt say what it saved."""

from __future__ import annotations

from PySide6.QtCore import Qt

from terminal.db import models as m
from terminal.db.database import proxy
from tests.ui.conftest import WAIT_MS, checkout_ready, scan, scan_member, translated


def test_the_member_price_saving_is_shown_at_checkout_and_on_the_receipt(
        qtbot, qapp, make_window, store):
    with proxy.connection_context():  # members pay ¥25.00 for a ¥28.00 latte
        m.Product.update(member_price=2500).where(m.Product.sku == "LATTE").execute()
    window = make_window()
    scan_member(qtbot, window, store.member_code)
    for _ in range(2):
        scan(qtbot, window, "LATTE")
    qtbot.waitUntil(lambda: window.sale_panel.preview is not None
                    and window.sale_panel.preview.pricing.subtotal == 5000, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    dialog = checkout_ready(qtbot, window)
    assert "Subtotal ¥50.00" in dialog.breakdown.text()
    assert "member prices saved ¥6.00" in dialog.breakdown.text()
    qtbot.keyClicks(dialog.cash_edit, "100")
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    receipt = window.receipt_view.receipt
    assert receipt is not None and receipt.member_saving == 600
    text = window.receipt_view.toPlainText()
    assert "  member price (price ¥28.00)" in text
    assert "Member prices saved you: ¥6.00" in text
    with translated(qapp, "zh_CN"):
        chinese = window.receipt_view.text_of(receipt)
    assert "会员价（原价 ¥28.00）" in chinese and "会员价为您节省：¥6.00" in chinese


def test_a_guest_pays_the_price_and_sees_no_saving(qtbot, make_window):
    with proxy.connection_context():
        m.Product.update(member_price=2500).where(m.Product.sku == "LATTE").execute()
    window = make_window()
    scan(qtbot, window, "LATTE")
    qtbot.waitUntil(lambda: window.sale_panel.preview is not None, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    dialog = checkout_ready(qtbot, window)
    assert "Subtotal ¥28.00" in dialog.breakdown.text()
    assert "member prices" not in dialog.breakdown.text()
