"""The counter's quantity and amount fields refuse what the engine would refuse, with a
sentence; a clash of two writers is a sentence too. (A lone surrogate cannot reach the search
box through Qt's setText; the lookup the box calls is tested in tests/services/test_bounds.)"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from terminal.core import money
from terminal.core.errors import InvalidInput
from terminal.loyalty.pricing import MAX_QTY
from terminal.services.errors import DatabaseBusy, DuplicateRecord
from terminal.ui.widgets import describe, parse_amount, parse_count
from tests.ui.conftest import WAIT_MS, checkout_ready, scan, scan_member


def test_parse_count_and_parse_amount_have_an_upper_bound(qapp) -> None:
    assert parse_count("9,999", "a quantity", minimum=1, maximum=MAX_QTY) == MAX_QTY
    for text in ("10000", "3000000000", "100000000000000000000"):
        with pytest.raises(InvalidInput, match="a quantity must be at most 9,999"):
            parse_count(text, "a quantity", minimum=1, maximum=MAX_QTY)
    with pytest.raises(InvalidInput, match="at most 1,000,000,000"):
        parse_count("3000000000", "points")
    assert parse_amount("10,000,000.00", "CNY") == money.MAX_ENTRY
    with pytest.raises(InvalidInput, match=r"at most ¥10,000,000\.00"):
        parse_amount("10000000.01", "CNY")
    with pytest.raises(InvalidInput, match="too large"):
        parse_amount("1" + "0" * 30, "CNY")
    assert parse_amount("10000000000", "CNY", maximum=money.MAX_BILL) == money.MAX_BILL


def test_describe_turns_a_clash_into_a_sentence(qapp) -> None:
    text = describe(DuplicateRecord("x"))
    assert text.startswith("Another terminal or window saved the same record")
    assert "try again" in text and "Integrity" not in text
    assert "busy" in describe(DatabaseBusy("x"))


def test_the_sale_panel_refuses_a_quantity_above_the_bound(qtbot, make_window, store):
    window = make_window()
    panel = window.sale_panel
    scan(qtbot, window, "LATTE")
    qtbot.waitUntil(lambda: len(panel.entries) == 1, timeout=WAIT_MS)
    for typed in ("10000", "3000000000"):
        qtbot.keyClicks(panel.qty_edit, typed)
        qtbot.keyClick(panel.qty_edit, Qt.Key.Key_Return)
        assert "at most 9,999" in panel.error.text() and panel.entries[0].item.qty == 1
        panel.qty_edit.clear()
    qtbot.keyClicks(panel.qty_edit, "9999")
    qtbot.keyClick(panel.qty_edit, Qt.Key.Key_Return)
    assert panel.entries[0].item.qty == MAX_QTY and panel.error.text() == ""
    panel.plus_button.click()
    assert "at most 9,999 of one item" in panel.error.text()
    window.search_box.clear()
    scan(qtbot, window, "LATTE")  # the same item once more
    qtbot.waitUntil(lambda: "at most 9,999 of one item" in panel.error.text(),
                    timeout=WAIT_MS)
    assert [e.item.qty for e in panel.entries] == [MAX_QTY]

    qtbot.keyClicks(panel.amount_edit, "10000000.01")
    qtbot.keyClick(panel.amount_edit, Qt.Key.Key_Return)
    assert "at most ¥10,000,000.00" in panel.error.text() and len(panel.entries) == 1


def test_the_checkout_dialog_refuses_huge_tenders_and_points(qtbot, make_window, store):
    window = make_window()
    scan_member(qtbot, window, store.member_code)
    scan(qtbot, window, "LATTE")
    qtbot.waitUntil(lambda: len(window.sale_panel.entries) == 1, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    dialog = checkout_ready(qtbot, window)
    qtbot.keyClicks(dialog.cash_edit, "10000000001")
    assert "at most ¥10,000,000,000.00" in dialog.error.text()
    qtbot.keyClicks(dialog.points_edit, "3000000000")
    qtbot.waitUntil(lambda: "points must be at most" in dialog.error.text(), timeout=WAIT_MS)


def test_the_top_up_dialog_refuses_a_huge_amount(qtbot, make_window, store):
    window = make_window()
    scan_member(qtbot, window, store.member_code)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    top_up = window.dialog
    qtbot.keyClicks(top_up.amount_edit, "30000000")
    assert "at most ¥10,000,000.00" in top_up.error.text()
    top_up.confirm_button.click()
    assert "at most ¥10,000,000.00" in top_up.error.text()
