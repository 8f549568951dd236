"""Importing and exporting the catalogue as CSV: Chinese headers in GBK, row errors with
their lines, all or nothing, a dry run that says what would change, audited price changes,
and an export that reads back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from terminal.core.errors import PermissionDenied
from terminal.db import models as m
from terminal.services import catalogue as products
from terminal.services import csv_export, integrity, lookup, product_import
from terminal.services.csv_import import ImportFileError
from tests.helpers import factory
from tests.helpers.state import snapshot

CHINESE = (
    "商品编码,条码,商品名称,英文名称,分类,品牌,售价,会员价,可折扣,启用\n"
    "NOODLE-1,6901234567007;6901234567014,牛肉面,Beef noodles,面食,自制,18.00,15.00,是,是\n"
    "DUMPLING,,饺子,Dumplings,面食,自制,￥25.50,,否,\n"
    "LATTE,,拿铁,Latte,drinks,House,29.00,26.00,,\n"  # known: price and member price change
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_dry_run_says_what_would_change_and_writes_nothing(ctx, catalogue, tmp_path) -> None:
    manager = factory.manager(ctx)
    path = write(tmp_path / "货品.csv", CHINESE, "gb18030")
    before = snapshot()
    result = product_import.import_products(ctx, path, dry_run=True, approved_by=manager)
    assert snapshot() == before
    assert result.ok, result.errors
    assert result.encoding in ("gb18030", "gbk", "gb2312") and result.imported == 0
    assert result.created == ["NOODLE-1", "DUMPLING"] and result.updated == ["LATTE"]
    assert result.price_changes == [("LATTE", 2800, 2900, None, 2600)]
    assert result.columns["member_price"] == "会员价"


def test_import_creates_and_updates_by_sku_and_audits_the_price(ctx, catalogue,
                                                                 tmp_path) -> None:
    manager = factory.manager(ctx)
    path = write(tmp_path / "products.csv", CHINESE, "gb18030")
    result = product_import.import_products(ctx, path, dry_run=False, approved_by=manager)
    assert result.ok and result.imported == 3, result.errors
    noodle = products.get("NOODLE-1")
    assert (noodle.name, noodle.name_zh_cn, noodle.category, noodle.price,
            noodle.member_price) == ("Beef noodles", "牛肉面", "面食", 1800, 1500)
    assert noodle.barcodes == ("6901234567007", "6901234567014")
    assert lookup.product("6901234567014").sku == "NOODLE-1"
    dumpling = products.get("DUMPLING")
    assert dumpling.price == 2550 and not dumpling.discountable and dumpling.active
    latte = products.get("LATTE")
    assert (latte.price, latte.member_price, latte.name_zh_cn) == (2900, 2600, "拿铁")
    changed = m.AuditEntry.get((m.AuditEntry.action == "product_changed")
                               & (m.AuditEntry.subject == "LATTE"))
    assert json.loads(changed.before)["price"] == 2800
    assert json.loads(changed.after)["price"] == 2900 and changed.approved_by == manager
    assert m.AuditEntry.select().where(m.AuditEntry.action == "import_products").count() == 1
    # the same file again changes nothing
    again = product_import.import_products(ctx, path, dry_run=False, approved_by=manager)
    assert again.ok and again.created == [] and again.updated == [] and again.unchanged == 3
    assert integrity.check() == []


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(ctx, catalogue,
                                                                       tmp_path) -> None:
    manager = factory.manager(ctx)
    path = write(tmp_path / "bad.csv", (
        "SKU,Barcode,Name,Price,Member price\n"
        "NEW-1,,,10.00,\n"  # no name
        "NEW-2,,Two,0,\n"  # zero price
        "NEW-3,,Three,10.00,12.00\n"  # member price above the price
        "NEW-4,6901234567892,Four,10.00,\n"  # the cake's barcode
        "NEW-5,,Five,ten,\n"  # not money
        "NEW-1,,Again,10.00,\n"  # a SKU twice
        "NEW-6,,Six,,\n"  # a new product without a price
        "OK-1,,Fine,10.00,\n"))
    before = snapshot()
    result = product_import.import_products(ctx, path, dry_run=False, approved_by=manager)
    assert snapshot() == before and result.imported == 0
    lines = {e.line: e.message for e in result.errors}
    assert sorted(lines) == [2, 3, 4, 5, 6, 7, 8]
    assert "needs a name" in lines[2]
    assert "price must be more than zero" in lines[3]
    assert "above the price" in lines[4]
    assert "6901234567892 belongs to the product CAKE" in lines[5]
    assert "price" in lines[6]
    assert "also on line 2" in lines[7]
    assert "needs a price" in lines[8]


def test_whole_file_problems_and_approval(ctx, tmp_path) -> None:
    manager = factory.manager(ctx)
    with pytest.raises(ImportFileError, match="no column for the sku"):
        product_import.import_products(ctx, write(tmp_path / "a.csv", "Name,Price\nA,1\n"),
                                       dry_run=True, approved_by=manager)
    with pytest.raises(ImportFileError, match="no products"):
        product_import.import_products(ctx, write(tmp_path / "b.csv", "商品编码,售价\n"),
                                       dry_run=True, approved_by=manager)
    with pytest.raises(PermissionDenied):
        product_import.import_products(ctx, write(tmp_path / "c.csv", "SKU\nA\n"),
                                       dry_run=True, approved_by=None)


def test_export_then_import_round_trips(ctx, catalogue, tmp_path) -> None:
    manager = factory.manager(ctx)
    products.add(ctx, products.ProductFields(
        "NOODLE-1", "Beef noodles", 1800, name_zh_cn="牛肉面", category="面食",
        member_price=1500, barcodes=("6901234567007", "NOODLE-BOX")), manager)
    products.set_active(ctx, "TEA", False, manager)
    catalogue_before = [products.get(p.sku) for p in products.search(limit=1000)]
    out = tmp_path / "catalogue.csv"
    exported = csv_export.export_products(ctx, out, approved_by=manager)
    assert exported.rows == len(catalogue_before) == 7
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel's UTF-8
    # wipe what an import can restore, then read the file back
    m.ProductBarcode.delete().execute()
    m.Product.update(price=1, member_price=None, name_zh_cn="", active=True).execute()
    result = product_import.import_products(ctx, out, dry_run=False, approved_by=manager)
    assert result.ok, result.errors
    assert [products.get(p.sku) for p in catalogue_before] == catalogue_before
