"""A shop's first day, end to end, as the owner goes through it: the real counter window on an
empty database opens the set-up assistant; the owner sets up the store, their account, a file
printer and a camera, opens the manager's window with their PIN, enters a product in the
catalogue with a barcode and a member price, enrols the first member at the counter, scans
the product twice and takes cash; the receipt goes through the print queue to the file
printer and is decoded back from its ESC/POS bytes (issue 10, "Done when")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from terminal.db import models as m
from terminal.db.database import proxy
from terminal.ui.app import CounterWindow
from terminal.ui.counter.dialogs.open_shift_dialog import OpenShiftDialog
from tests.printers.escpos_decode import decode
from tests.ui.conftest import WAIT_MS, checkout_ready, new_product, scan, type_approval
from tests.ui.setup.test_setup_assistant import run_assistant

SOAP_BARCODE = "6900000000011"
SHOTS = Path("/tmp/ui-shots")


def open_the_shift(qtbot, counter: CounterWindow) -> None:
    """Signed in with no shift open at the counter: the counter asks the float first."""
    qtbot.waitUntil(lambda: isinstance(counter.dialog, OpenShiftDialog)
                    and counter.dialog.isVisible(), timeout=WAIT_MS)  # after the shift's look-up
    dialog = counter.dialog
    qtbot.keyClicks(dialog.amount_edit, "200")
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        dialog.confirm_button.click()
    assert "Shift opened with a float of ¥200.00." in counter.message.text()


def open_manager_window(qtbot, counter: CounterWindow, pin: str, who: str):
    counter.manager_button.click()
    dialog = counter.dialog
    type_approval(qtbot, dialog, pin, who)
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        dialog.confirm_button.click()
    manager = counter.session.manager_window
    assert manager is not None
    qtbot.waitUntil(lambda: counter.session.manager_tasks.pending == 0, timeout=WAIT_MS)
    return manager


def enter_soap(qtbot, manager) -> None:
    tab = manager.catalogue_tab
    manager.tabs.setCurrentWidget(tab)
    new_product(tab, sku="SOAP-1", name="Hand soap", name_zh="洗手液", category="care",
                price="12.50", member_price="11.00", barcodes=SOAP_BARCODE)
    tab.save_button.click()
    qtbot.waitUntil(lambda: tab.form_message.text() == "Product SOAP-1 saved.",
                    timeout=WAIT_MS)
    manager.resize(1366, 768)
    SHOTS.mkdir(parents=True, exist_ok=True)
    manager.grab().save(str(SHOTS / "first-day-catalogue.png"))


def enrol(qtbot, counter: CounterWindow) -> None:
    counter.activateWindow()  # back from the manager's window (a window manager does it)
    qtbot.waitUntil(counter.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(counter, Qt.Key.Key_F2)
    dialog = counter.dialog
    dialog.name_edit.setText("李娜")  # QTest types ASCII only
    qtbot.keyClicks(dialog.phone_edit, "13900012345")
    dialog.consent.setChecked(True)
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        dialog.confirm_button.click()
    assert counter.member is not None and counter.member.new_member


def test_set_up_enter_a_product_enrol_a_member_and_sell(qtbot, qapp, tmp_path, db_url) -> None:
    counter = run_assistant(qtbot, tmp_path, db_url, "first-day", "en", demo=False)
    receipt_file = tmp_path / "lp0"  # the file printer the assistant set up
    try:
        open_the_shift(qtbot, counter)
        manager = open_manager_window(qtbot, counter, "2468", "王老板")
        enter_soap(qtbot, manager)
        manager.close()

        receipt_file.unlink()  # the assistant's test page: only the sale's receipt follows
        enrol(qtbot, counter)
        for _ in range(2):
            scan(qtbot, counter, SOAP_BARCODE)
        qtbot.waitUntil(lambda: counter.sale_panel.preview is not None
                        and counter.sale_panel.preview.pricing.subtotal == 2200,
                        timeout=WAIT_MS)
        qtbot.keyClick(counter, Qt.Key.Key_F9)
        dialog = checkout_ready(qtbot, counter)
        assert "member prices saved ¥3.00" in dialog.breakdown.text()
        qtbot.keyClicks(dialog.cash_edit, "30")
        with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
            qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

        # the print worker writes the receipt to the file once the sale is committed
        qtbot.waitUntil(lambda: receipt_file.exists()
                        and "Hand soap" in decode(receipt_file.read_bytes()).texts,
                        timeout=WAIT_MS)
        counter.resize(1366, 768)
        counter.grab().save(str(SHOTS / "first-day-sold.png"))
        paper = decode(receipt_file.read_bytes())
        text = "\n".join(paper.texts)
        with proxy.connection_context():
            sale = m.Txn.get(m.Txn.kind == "sale")
            member = m.Member.get()
            lines = list(m.TxnLine.select().where(m.TxnLine.txn == sale))
        assert (member.name, sale.member_id, sale.total) == ("李娜", member.id, 2200)
        assert [(ln.sku, ln.qty, ln.unit_price, ln.list_price) for ln in lines] == [
            ("SOAP-1", 2, 1100, 1250)]
        assert "小王便利店" in text  # the store the assistant named
        assert paper.texts[:2] == ["小王便利店", "上海市南京东路 100 号"]  # as set up
        for line in ("Hand soap", "  2 x 11.00                22.00",
                     "  Member price (price 12.50)", "TOTAL    ￥22.00",
                     "Member prices saved you     3.00", "Cash                       30.00",
                     "Change                      8.00", "Cashier                   王老板",
                     f"Card                  {member.card_no}",
                     f"Points earned                +{sale.points_earned}"):
            assert line in paper.texts, (line, text)
        assert sale.points_earned == 22  # ¥22.00 at the default one point a yuan
    finally:
        counter.close()
