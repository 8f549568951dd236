"""services.catalogue: search, add, edit, (de)activate, delete only what was never sold,
barcodes; every refusal a clear message in English and Chinese; changes audited."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from terminal.core.errors import Conflict, NotFound, PermissionDenied
from terminal.db import models as m
from terminal.services import catalogue as products
from terminal.services import integrity, lookup
from terminal.services.catalogue import (
    BarcodeTaken,
    ProductExists,
    ProductFields,
    ProductRefused,
)
from tests.helpers import factory

NOODLES = ProductFields("NOODLE-1", "Beef noodles", 1800, name_zh_cn="牛肉面",
                        category="food", brand="House", member_price=1500,
                        barcodes=("6901234567007", "NOODLE-BOX"))


def test_add_then_find_by_sku_barcode_names_and_category(ctx, catalogue) -> None:
    manager = factory.manager(ctx)
    added = catalogue_add(ctx, NOODLES, manager)
    assert added.barcodes == ("6901234567007", "NOODLE-BOX")
    assert [p.sku for p in products.search("noodle-")] == ["NOODLE-1"]  # SKU prefix
    assert [p.sku for p in products.search("6901234567007")] == ["NOODLE-1"]  # barcode
    assert [p.sku for p in products.search("beef")] == ["NOODLE-1"]  # English name
    assert [p.sku for p in products.search("牛肉")] == ["NOODLE-1"]  # Chinese name
    assert [p.sku for p in products.search(category="food")] == ["NOODLE-1"]
    assert products.search("%") == [] and products.search("_") == []  # no wildcards
    assert products.get("NOODLE-1").name_in("zh_CN") == "牛肉面"
    assert "food" in products.categories()
    # the counter finds it by any barcode and by SKU
    for code in ("6901234567007", "NOODLE-BOX", "NOODLE-1", "noodle-1"):
        assert lookup.product(code).sku == "NOODLE-1"


def catalogue_add(ctx, fields: ProductFields, manager: str) -> ProductFields:
    return products.add(ctx, fields, manager)


@pytest.mark.parametrize("change,message,chinese", [
    (dict(price=0), "The price must be more than zero", "售价必须大于零"),
    (dict(price=-100), "The price must be more than zero", "售价必须大于零"),
    (dict(member_price=2000), "The member price ¥20.00 is above the price ¥18.00",
     "会员价"),
    (dict(member_price=0), "The member price must be more than zero", "会员价必须大于零"),
    (dict(name=" "), "needs a name", "名称"),
    (dict(sku=""), "A product needs a SKU", "商品编码"),
    (dict(sku="A B"), "without spaces", "空格"),
    (dict(barcodes=("1234567897",)), "reads as a member card", "会员卡"),
    (dict(price=18.0), "must be an amount of money", "金额"),
])
def test_bad_fields_are_refused_with_a_clear_message(ctx, change, message, chinese) -> None:
    with pytest.raises(ProductRefused, match=message) as caught:
        products.check_product(replace(NOODLES, **change))
    assert chinese in caught.value.text("zh_CN")
    assert m.Product.select().count() == 0


def test_a_sku_or_a_barcode_of_another_product_is_refused(ctx, catalogue) -> None:
    manager = factory.manager(ctx)
    with pytest.raises(ProductExists, match="LATTE exists already"):
        products.add(ctx, replace(NOODLES, sku="LATTE", barcodes=()), manager)
    with pytest.raises(BarcodeTaken, match="6901234567892 belongs to the product CAKE") as e:
        products.add(ctx, replace(NOODLES, barcodes=("6901234567892",)), manager)
    assert "CAKE" in e.value.text("zh_CN") and "条码" in e.value.text("zh_CN")
    assert m.Product.get_or_none(m.Product.sku == "NOODLE-1") is None  # all or nothing
    with pytest.raises(BarcodeTaken):
        products.add_barcode(ctx, "TEA", "6901234567892", manager)


def test_changes_need_a_manager(ctx, catalogue) -> None:
    with pytest.raises(PermissionDenied):
        products.add(ctx, NOODLES, None)
    with pytest.raises(PermissionDenied):
        products.edit(ctx, replace(products.get("TEA"), price=1), "cashier1")


def test_a_price_change_is_audited_with_who_before_and_after(ctx, catalogue) -> None:
    manager = factory.manager(ctx)
    tea = products.get("TEA")
    products.edit(ctx, replace(tea, price=1900, member_price=1700), manager)
    assert products.get("TEA").price == 1900
    entry = m.AuditEntry.select().where(m.AuditEntry.action == "product_changed").get()
    assert entry.subject == "TEA" and entry.approved_by == manager
    assert entry.staff_id == ctx.staff_id
    assert json.loads(entry.before) == {"price": 1800, "member_price": None}
    assert json.loads(entry.after) == {"price": 1900, "member_price": 1700}
    products.edit(ctx, replace(products.get("TEA"), barcodes=()), manager)  # no change
    assert m.AuditEntry.select().where(m.AuditEntry.action == "product_changed").count() == 1
    assert integrity.check() == []


def test_deactivated_products_are_not_sold_and_come_back(ctx, catalogue) -> None:
    manager = factory.manager(ctx)
    products.set_active(ctx, "CAKE", False, manager)
    assert lookup.product("6901234567892") is None and lookup.product("CAKE") is None
    with pytest.raises(NotFound):
        factory.sale(ctx, [("CAKE", 1)])
    assert [p.sku for p in products.search("cheese", active_only=True)] == []
    products.set_active(ctx, "CAKE", True, manager)
    assert lookup.product("6901234567892").sku == "CAKE"


def test_only_a_product_never_sold_can_be_deleted(ctx, catalogue) -> None:
    manager = factory.manager(ctx)
    factory.sale(ctx, [("LATTE", 1)])
    with pytest.raises(Conflict, match="cannot be deleted; deactivate it instead") as caught:
        products.delete(ctx, "LATTE", manager)
    assert "停用" in caught.value.text("zh_CN")
    assert m.Product.get_or_none(m.Product.sku == "LATTE") is not None
    products.add(ctx, NOODLES, manager)
    products.delete(ctx, "NOODLE-1", manager)
    assert m.Product.get_or_none(m.Product.sku == "NOODLE-1") is None
    assert m.ProductBarcode.select().where(m.ProductBarcode.code == "NOODLE-BOX").count() == 0


def test_barcodes_are_added_and_removed(ctx, catalogue) -> None:
    manager = factory.manager(ctx)
    tea = products.add_barcode(ctx, "TEA", " 6900000000011 ", manager)
    assert tea.barcodes == ("6900000000011",)
    assert products.add_barcode(ctx, "TEA", "TEA-CASE", manager).barcodes == (
        "6900000000011", "TEA-CASE")
    assert lookup.product("TEA-CASE").sku == "TEA"
    assert products.remove_barcode(ctx, "TEA", "6900000000011", manager).barcodes == (
        "TEA-CASE",)
    assert lookup.product("6900000000011") is None
    with pytest.raises(NotFound, match="has no barcode"):
        products.remove_barcode(ctx, "TEA", "6900000000011", manager)
    actions = [a for (a,) in m.AuditEntry.select(m.AuditEntry.action).tuples()]
    assert actions.count("product_barcode_added") == 2
    assert actions.count("product_barcode_removed") == 1
