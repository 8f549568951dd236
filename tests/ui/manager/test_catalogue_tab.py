"""The catalogue tab: search, add with barcodes, refusals shown, a price change audited,
deactivating a sold product, deleting a never-sold one, scanning a barcode; in English and
Chinese, with screenshots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from terminal.db import models as m
from terminal.ui.manager import ManagerWindow
from tests.helpers import factory
from tests.ui.conftest import new_product
from tests.ui.manager.conftest import WAIT_MS, idle
from tests.ui.manager.test_look import clipped_buttons

SHOTS = Path("/tmp/ui-shots")
SOAP_CODES = ("6900000000011", "6900000000028")


def audited(action: str, sku: str) -> list[m.AuditEntry]:
    return list(m.AuditEntry.select().where((m.AuditEntry.action == action)
                                            & (m.AuditEntry.subject == sku))
                .order_by(m.AuditEntry.seq))


def wait_message(qtbot, runner, tab, press) -> str:
    """Press, wait for the form's message after the work, and return it."""
    tab.form_message.clear()
    press()
    qtbot.waitUntil(lambda: tab.form_message.text() not in ("", "Saving…"), timeout=WAIT_MS)
    idle(qtbot, runner)
    return tab.form_message.text()


def search(qtbot, runner, tab, text: str, category: str | None = None) -> list[str]:
    tab.search_edit.setText(text)
    tab.category_filter.setCurrentIndex(max(0, tab.category_filter.findData(category)))
    tab.search_button.click()
    idle(qtbot, runner)
    return [p.sku for p in tab.model.rows]


def select(qtbot, runner, tab, sku: str) -> None:
    if sku not in [p.sku for p in tab.model.rows]:
        search(qtbot, runner, tab, sku)
    tab.table.selectRow([p.sku for p in tab.model.rows].index(sku))
    idle(qtbot, runner)
    assert tab.editing == sku and tab.sku_edit.isReadOnly()


def fill_soap(tab) -> None:
    new_product(tab, sku="SOAP-1", name="Hand soap", name_zh="洗手液", category="care",
                brand="BrandC", price="12.50", member_price="11.00",
                barcodes=", ".join(SOAP_CODES))


def scan(qtbot, tab, code: str) -> None:
    """A keyboard-wedge scanner: the code's keys in a fast burst, then Enter."""
    tab.scan_edit.setFocus()
    qtbot.keyClicks(tab.scan_edit, code)
    qtbot.keyClick(tab.scan_edit, Qt.Key.Key_Return)


def test_searches_by_sku_barcode_either_name_and_category(qtbot, window, runner):
    tab = window.catalogue_tab
    assert {p.sku for p in tab.model.rows} == {"LATTE", "TEA", "CAKE", "SHAMPOO-A",
                                               "SHAMPOO-B", "CARD10"}
    assert [tab.category_filter.itemData(i) for i in range(tab.category_filter.count())] == [
        None, "bakery", "cards", "care", "drinks"]
    m.Product.update(name_zh_cn="拿铁").where(m.Product.sku == "LATTE").execute()
    assert search(qtbot, runner, tab, "拿铁") == ["LATTE"]
    assert search(qtbot, runner, tab, "green") == ["TEA"]
    assert search(qtbot, runner, tab, "shampoo-") == ["SHAMPOO-A", "SHAMPOO-B"]
    assert search(qtbot, runner, tab, "6901234567892") == ["CAKE"]
    row = tab.model.rows.index(next(p for p in tab.model.rows if p.sku == "CAKE"))
    assert [tab.model.text(row, c) for c in (3, 4, 5, 6, 8)] == [
        "House", "¥32.00", "", "6901234567892", "yes"]
    assert search(qtbot, runner, tab, "", "drinks") == ["LATTE", "TEA"]
    assert search(qtbot, runner, tab, "nothing-like-it") == []
    assert tab.list_message.text() == "No product matches."


def test_adds_a_product_with_two_barcodes(qtbot, window, runner, shop):
    tab = window.catalogue_tab
    fill_soap(tab)
    assert not tab.delete_button.isEnabled() and not tab.active_button.isEnabled()
    assert wait_message(qtbot, runner, tab, tab.save_button.click) == "Product SOAP-1 saved."
    row = m.Product.get_by_id("SOAP-1")
    assert (row.name, row.name_zh_cn, row.category, row.brand, row.price,
            row.member_price, row.active, row.discountable) == (
        "Hand soap", "洗手液", "care", "BrandC", 1250, 1100, True, True)
    assert sorted(b.code for b in m.ProductBarcode.select().where(
        m.ProductBarcode.product == "SOAP-1")) == list(SOAP_CODES)
    [entry] = audited("product_added", "SOAP-1")
    assert entry.approved_by == shop.manager_id
    assert json.loads(entry.after)["barcodes"] == list(SOAP_CODES)
    assert tab.editing == "SOAP-1" and tab.sku_edit.isReadOnly()
    assert tab.delete_button.isEnabled()  # never sold
    assert "SOAP-1" in [p.sku for p in tab.model.rows]

    # a barcode taken off, a third added: one audited write each, the fields unchanged
    tab.barcodes_edit.setText(f"{SOAP_CODES[1]} 6900000000042")
    assert wait_message(qtbot, runner, tab, tab.save_button.click) == "Product SOAP-1 saved."
    assert sorted(b.code for b in m.ProductBarcode.select().where(
        m.ProductBarcode.product == "SOAP-1")) == [SOAP_CODES[1], "6900000000042"]
    assert len(audited("product_barcode_added", "SOAP-1")) == 1
    assert len(audited("product_barcode_removed", "SOAP-1")) == 1
    assert audited("product_changed", "SOAP-1") == []


@pytest.mark.parametrize(("change", "message"), [
    (lambda t: t.price_edit.setText("-5"), "The price must be more than zero"),
    (lambda t: t.price_edit.setText(""), "The price must be more than zero"),
    (lambda t: t.price_edit.setText("ten"), "Price: not an amount: ten"),
    (lambda t: t.member_price_edit.setText("13.00"),
     "The member price ¥13.00 is above the price ¥12.50: a member would pay more than a "
     "guest."),
    (lambda t: t.sku_edit.setText("LATTE"), "A product with the SKU LATTE exists already."),
    (lambda t: t.barcodes_edit.setText("6901234567892"),
     "The barcode 6901234567892 belongs to the product CAKE already."),
])
def test_refusals_are_shown_under_the_form(qtbot, window, runner, change, message):
    tab = window.catalogue_tab
    fill_soap(tab)
    change(tab)
    assert message in wait_message(qtbot, runner, tab, tab.save_button.click)
    assert "color: #b00020" in tab.form_message.styleSheet()
    assert m.Product.get_or_none(m.Product.sku == "SOAP-1") is None
    assert audited("product_added", "SOAP-1") == []
    assert tab.save_button.isEnabled()


def test_a_refused_edit_changes_nothing(qtbot, window, runner):
    tab = window.catalogue_tab
    select(qtbot, runner, tab, "TEA")
    tab.barcodes_edit.setText("6900000000059")
    tab.member_price_edit.setText("20.00")  # above 18.00
    assert "is above the price" in wait_message(qtbot, runner, tab, tab.save_button.click)
    assert m.ProductBarcode.get_or_none(m.ProductBarcode.code == "6900000000059") is None
    assert m.Product.get_by_id("TEA").member_price is None


def test_a_price_change_is_audited(qtbot, window, runner, shop):
    tab = window.catalogue_tab
    select(qtbot, runner, tab, "LATTE")
    assert tab.price_edit.text() == "28.00" and tab.member_price_edit.text() == ""
    tab.price_edit.setText("30")
    tab.member_price_edit.setText("26.50")
    assert wait_message(qtbot, runner, tab, tab.save_button.click) == "Product LATTE saved."
    row = m.Product.get_by_id("LATTE")
    assert (row.price, row.member_price) == (3000, 2650)
    [entry] = audited("product_changed", "LATTE")
    assert entry.approved_by == shop.manager_id
    assert json.loads(entry.before) == {"price": 2800, "member_price": None}
    assert json.loads(entry.after) == {"price": 3000, "member_price": 2650}
    latte = [p.sku for p in tab.model.rows].index("LATTE")
    assert tab.model.text(latte, 4) == "¥30.00" and tab.model.text(latte, 5) == "¥26.50"


def test_a_sold_product_is_deactivated_not_deleted(qtbot, window, runner):
    tab = window.catalogue_tab
    select(qtbot, runner, tab, "LATTE")  # the shop sold lattes
    assert not tab.delete_button.isEnabled() and tab.active_button.isEnabled()
    assert tab.active_button.text() == "Deactivate"
    assert wait_message(qtbot, runner, tab, tab.active_button.click) == (
        "Product LATTE is deactivated: the counter no longer sells it.")
    assert not m.Product.get_by_id("LATTE").active
    assert tab.active_button.text() == "Reactivate" and not tab.active_box.isChecked()
    latte = [p.sku for p in tab.model.rows].index("LATTE")
    assert tab.model.text(latte, 8) == "no"
    assert wait_message(qtbot, runner, tab, tab.active_button.click) == (
        "Product LATTE is active again.")
    assert m.Product.get_by_id("LATTE").active
    assert len(audited("product_changed", "LATTE")) == 2


def test_a_never_sold_product_is_deleted_after_asking(qtbot, window, runner):
    tab = window.catalogue_tab
    select(qtbot, runner, tab, "CARD10")
    assert tab.delete_button.isEnabled()
    tab.delete_button.click()
    assert tab.confirm_box is not None
    tab.confirm_box.reject()  # kept
    assert tab.form_message.text() == "The product was not deleted."
    tab.delete_button.click()
    assert wait_message(qtbot, runner, tab, tab.confirm_yes.click) == "Product CARD10 deleted."
    assert m.Product.get_or_none(m.Product.sku == "CARD10") is None
    assert len(audited("product_deleted", "CARD10")) == 1
    assert "CARD10" not in [p.sku for p in tab.model.rows] and tab.editing is None


def test_a_product_sold_meanwhile_is_not_deleted(qtbot, window, runner, shop):
    tab = window.catalogue_tab
    m.Product.create(sku="MUG", name="Mug 马克杯", price=3900)
    select(qtbot, runner, tab, "MUG")
    assert tab.delete_button.isEnabled()
    factory.sale(shop.ctx, [("MUG", 1)])  # at the counter, while the form is open
    tab.delete_button.click()
    message = wait_message(qtbot, runner, tab, tab.confirm_yes.click)
    assert message == ("The product MUG is on past sales, punch cards or offers and cannot "
                       "be deleted; deactivate it instead.")
    assert "color: #b00020" in tab.form_message.styleSheet()
    assert m.Product.get_or_none(m.Product.sku == "MUG") is not None


def test_scanning_finds_a_product_or_starts_a_new_one(qtbot, window, runner):
    tab = window.catalogue_tab
    scan(qtbot, tab, "6901234567892")
    idle(qtbot, runner)
    assert tab.editing == "CAKE" and tab.name_edit.text() == "Cheesecake"
    assert [p.sku for p in tab.model.rows] == ["CAKE"]
    assert tab.scan_edit.text() == ""

    scan(qtbot, tab, "6900000000035")
    idle(qtbot, runner)
    assert tab.editing is None and not tab.sku_edit.isReadOnly()
    assert tab.barcodes_edit.text() == "6900000000035" and tab.sku_edit.text() == ""
    assert tab.form_message.text() == (
        "No product has the barcode 6900000000035: enter the new product and save it.")
    assert tab.sku_edit.hasFocus()
    tab.sku_edit.setText("NOODLES")
    tab.name_edit.setText("Noodles")
    tab.price_edit.setText("6.50")
    assert wait_message(qtbot, runner, tab, tab.save_button.click) == "Product NOODLES saved."
    assert m.ProductBarcode.get_by_id("6900000000035").product_id == "NOODLES"


def test_a_member_card_is_not_a_product_barcode(qtbot, window, runner, shop):
    tab = window.catalogue_tab
    scan(qtbot, tab, shop.zhang_wei.card_no)
    idle(qtbot, runner)
    assert "reads as a member card or a coupon" in tab.form_message.text()
    assert tab.editing is None and tab.barcodes_edit.text() == ""


def test_speaks_the_readers_language_with_screenshots(qtbot, shop, runner, language):
    zh = language == "zh_CN"
    m.Product.update(name_zh_cn="拿铁", member_price=2500).where(
        m.Product.sku == "LATTE").execute()
    window = ManagerWindow(shop.ctx, runner)
    qtbot.addWidget(window)
    window.show()
    idle(qtbot, runner)
    tab = window.catalogue_tab
    window.tabs.setCurrentWidget(tab)
    assert window.tabs.tabText(window.tabs.indexOf(tab)) == ("商品目录" if zh else "Catalogue")
    names = {p.sku: tab.model.text(row, 1) for row, p in enumerate(tab.model.rows)}
    assert names["LATTE"] == ("拿铁" if zh else "Latte 拿铁")
    assert tab.model.headerData(5, Qt.Orientation.Horizontal) == ("会员价" if zh
                                                                  else "Member price")
    select(qtbot, runner, tab, "LATTE")
    tab.price_edit.setText("-1")
    message = wait_message(qtbot, runner, tab, tab.save_button.click)
    assert message == ("售价必须大于零" if zh else "The price must be more than zero")
    qtbot.wait(20)
    assert clipped_buttons(tab) == []
    assert window.screen().availableGeometry().contains(window.frameGeometry())
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SHOTS / f"manager-catalogue-refused-{language}.png"))

    scan(qtbot, tab, "6900000000066")
    idle(qtbot, runner)
    assert tab.barcodes_edit.text() == "6900000000066"
    assert tab.form_box.title() == ("新商品" if zh else "New product")
    assert ("6900000000066" in tab.form_message.text()
            and ("没有商品" in tab.form_message.text()) == zh)
    qtbot.wait(20)
    assert clipped_buttons(tab) == []
    assert window.grab().save(str(SHOTS / f"manager-catalogue-scan-{language}.png"))


def test_a_punch_card_product_is_entered_and_sold_as_a_card(qtbot, window, runner, shop):
    """Ten visits valid a year, entered in the tab: the list shows it, and a member who buys
    it at the counter gets the punch card."""
    from terminal.loyalty.pricing import Tenders
    from terminal.services import checkout
    from tests.helpers import factory

    tab = window.catalogue_tab
    new_product(tab, sku="YOGA10", name="Yoga, 10 classes", name_zh="瑜伽十次卡",
                category="cards", price="800.00")
    tab.visits_spin.setValue(10)
    tab.days_spin.setValue(365)
    assert wait_message(qtbot, runner, tab, tab.save_button.click) == "Product YOGA10 saved."
    row = m.Product.get_by_id("YOGA10")
    assert (row.punch_visits, row.punch_valid_days, row.price) == (10, 365, 80_000)
    shown = [p for p in tab.model.rows if p.sku == "YOGA10"]
    assert shown and tab.model.text(tab.model.rows.index(shown[0]), 7).startswith("10")
    member = factory.member(shop.ctx, "Yogi")
    checkout.checkout(shop.ctx, checkout.CheckoutRequest(
        "yoga-card-1", (checkout.SaleItem("YOGA10", 1),), member_id=member.id,
        tenders=Tenders(cash=80_000)))
    [card] = m.PunchCard.select().where(m.PunchCard.member == member.id)
    assert (card.visits_total, card.visits_left) == (10, 10)
