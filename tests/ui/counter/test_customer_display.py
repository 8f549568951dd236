"""The customer display: the second window follows the counter (basket, member, what the
sale earns, what was paid), shows a QR code to join with no member, the manager's offer
between customers, and is rendered to PNG in both languages for review."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import zxingcpp
from PySide6.QtGui import QImage

from terminal.core.config import DisplaySettings, WebSettings
from terminal.db.database import close_database, open_database
from terminal.services import programme
from terminal.services.context import Context
from terminal.ui.customer.display import pick_screen
from tests.ui.conftest import QUIET, WAIT_MS, idle, scan, scan_member

SHOTS = Path("/tmp/ui-shots")
DISPLAY = dataclasses.replace(QUIET, display=DisplaySettings(enabled=True),
                              web=WebSettings(local_url="http://192.168.1.20:8080"))


def decoded(label) -> str:
    image = label.pixmap().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine())[:, :image.width()]
    found = zxingcpp.read_barcodes(pixels)
    return found[0].text if found else ""


def test_pick_screen_names_what_it_could_not_find() -> None:
    assert pick_screen("", ["eDP-1"]) == (0, None)
    assert pick_screen("", ["eDP-1", "HDMI-1"]) == (1, None)
    assert pick_screen("2", ["eDP-1", "HDMI-1"]) == (1, None)
    assert pick_screen("HDMI-1", ["eDP-1", "HDMI-1"]) == (1, None)
    index, note = pick_screen("3", ["eDP-1", "HDMI-1"])
    assert index == 0 and "no screen 3" in note and "1 eDP-1, 2 HDMI-1" in note
    index, note = pick_screen("DP-7", ["eDP-1"])
    assert index == 0 and "“DP-7”" in note


def set_offer(store, english: str, chinese: str) -> None:
    open_database(store.url)
    try:
        ctx = Context(QUIET, staff_id=str(store.manager.id))
        rules = programme.as_dict(programme.current(ctx))
        rules["receipt"].update(offer=english, offer_zh_CN=chinese)
        programme.change(ctx, programme.from_dict(ctx, rules), None, "display offer",
                         approved_by=str(store.manager.id))
    finally:
        close_database()


def test_the_display_follows_the_sale_in_both_languages(qtbot, make_window, store,
                                                       language) -> None:
    zh = language == "zh_CN"
    set_offer(store, "Double points every Wednesday", "每周三双倍积分")
    # the shop's language is the window's: tiers are named in it too
    window = make_window(dataclasses.replace(DISPLAY, store=dataclasses.replace(
        DISPLAY.store, language=language)))
    display = window.customer.display
    qtbot.waitUntil(lambda: display.offer.text() != "", timeout=WAIT_MS)
    # between customers: the offer in the window's language, the QR code to join
    assert display.isVisible() and display.offer.isVisible()
    assert display.offer.text() == ("每周三双倍积分" if zh else "Double points every Wednesday")
    assert decoded(display.qr) == "http://192.168.1.20:8080/join"
    SHOTS.mkdir(parents=True, exist_ok=True)
    display.resize(1366, 768)
    assert display.grab().save(str(SHOTS / f"display_welcome_{language}.png"))

    # a guest's basket: the lines and total, still the QR to join
    scan(qtbot, window, "LATTE")
    qtbot.waitUntil(lambda: window.sale_panel.preview is not None, timeout=WAIT_MS)
    idle(qtbot, window)
    assert not display.offer.isVisible() and display.table.rowCount() == 1
    assert display.table.item(0, 0).text() == "拿铁 Latte"
    assert "28.00" in display.total.text() and display.qr.isVisible()
    assert not display.greeting.isVisible()

    # the member is scanned: greeting, tier and points, what the sale earns; no QR
    scan_member(qtbot, window, store.member_code)
    qtbot.waitUntil(lambda: display.earns.isVisible(), timeout=WAIT_MS)
    idle(qtbot, window)
    assert "张伟" in display.greeting.text()
    points = f"{window.member.points_balance:,}"
    assert points in display.member.text()
    assert "会员会员" not in display.member.text()  # a Chinese tier's name says 会员 itself
    assert ("积分" in display.earns.text()) == zh and not display.qr.isVisible()
    assert display.grab().save(str(SHOTS / f"display_serving_{language}.png"))

    # paid: "you earned N points, balance M" with the balance after the sale
    # at checkout the customer sees the points and stored value the cashier puts in
    window.checkout_button.click()
    qtbot.waitUntil(lambda: window.dialog.preview is not None, timeout=WAIT_MS)
    for edit, typed in ((window.dialog.points_edit, "100"), (window.dialog.sv_edit, "5.00")):
        edit.clear()
        qtbot.keyClicks(edit, typed)
    qtbot.waitUntil(lambda: "5.00" in display.uses.text() and "100" in display.uses.text(),
                    timeout=WAIT_MS)
    assert display.uses.isVisible() and ("储值" in display.uses.text()) == zh
    assert display.grab().save(str(SHOTS / f"display_checkout_{language}.png"))
    window.dialog.cash_exact.click()
    with qtbot.waitSignal(window.dialog.completed, timeout=WAIT_MS) as done:
        window.dialog.confirm_button.click()
    receipt = done.args[0]
    idle(qtbot, window)
    earned, balance = receipt.member.points_earned, receipt.member.points_balance
    assert earned > 0
    assert f"{earned:,}" in display.paid.text() and f"{balance:,}" in display.paid.text()
    assert display.paid.text().startswith("您获得" if zh else "You earned")
    assert receipt.member.points_redeemed == 100 and dict(receipt.tenders)["stored_value"] == 500
    assert display.table.rowCount() == 1  # what was bought, until the next customer
    assert display.grab().save(str(SHOTS / f"display_paid_{language}.png"))

    # Esc twice: the next customer
    window.on_clear_clicked()
    idle(qtbot, window)
    assert display.offer.isVisible() and display.qr.isVisible()
    assert not display.paid.isVisible() and not display.greeting.isVisible()


def test_the_customer_cannot_close_the_display(qtbot, make_window) -> None:
    window = make_window(DISPLAY)
    display = window.customer.display
    display.close()
    assert display.isVisible()
    window.close()
    assert not display.isVisible()


def test_without_a_local_address_no_qr_code_is_shown(qtbot, make_window) -> None:
    window = make_window(dataclasses.replace(DISPLAY, web=WebSettings()))
    display = window.customer.display
    assert not display.qr.isVisible() and not display.qr_caption.isVisible()
