"""Import the catalogue from a CSV (exports: ``csv_export.export_products``; the reading,
encodings, headers and row errors: ``csv_import``).

Header names in English or Chinese (see ``HEADER_ALIASES``): SKU 商品编码, barcode 条码
(several in one cell, separated by ``;``, ``|``, ``、`` or spaces), name 商品名称 and
English name 英文名称 (with both, 商品名称 is the Chinese name), Chinese name 中文名称,
category 分类, brand 品牌, price 售价, member price 会员价, discountable 可折扣, active
启用, punch-card visits 次数 and validity 有效天数. Only the SKU column is required.

A row whose SKU is new adds the product (a name and a price are needed); a known SKU
updates the product with the columns the file has (a column it lacks keeps the product's
value; an empty member price clears it; an empty flag keeps it). The barcodes in a row
become all of that product's barcodes. Every row is checked as ``catalogue.check_product``
checks a form, then all are written in one transaction or none; each changed product is
audited with its fields before and after (a price change among them), the import as one
entry.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..core import excel_csv, money
from ..core.errors import InvalidInput
from ..core.i18n import Term
from ..db import models as m
from ..db.database import write_transaction
from . import audit, catalogue, csv_import, staff
from .catalogue import ProductFields
from .context import Context

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "product code", "item code", "code", "商品编码", "编码", "商品编号", "货号",
            "商品代码", "商品編碼", "貨號"),
    "barcode": ("barcode", "barcodes", "ean", "upc", "条码", "条形码", "商品条码", "條碼",
                "條形碼"),
    "name": ("name", "product name", "item", "商品名称", "名称", "品名", "商品名", "商品名稱",
             "名稱"),
    "name_en": ("english name", "name en", "英文名称", "英文名", "英文名稱"),
    "name_zh_cn": ("chinese name", "name zh", "name zh cn", "name_zh_cn", "中文名称", "中文名",
                   "中文名稱"),
    "category": ("category", "分类", "类别", "品类", "分類", "類別"),
    "brand": ("brand", "品牌"),
    "price": ("price", "retail price", "unit price", "售价", "价格", "零售价", "单价", "售價",
              "價格", "零售價"),
    "member_price": ("member price", "member_price", "会员价", "会员价格", "會員價"),
    "discountable": ("discountable", "discount", "可折扣", "参与折扣", "可打折", "可折扣?"),
    "active": ("active", "enabled", "启用", "在售", "状态", "啟用"),
    "punch_visits": ("punch visits", "visits", "次数", "次卡次数", "次數"),
    "punch_valid_days": ("punch valid days", "valid days", "有效天数", "次卡有效天数",
                         "有效天數"),
}
REQUIRED = ("sku",)
CELL_MAX = {"sku": 64, "barcode": 400, "name": 200, "name_en": 200, "name_zh_cn": 200,
            "category": 64, "brand": 64, "price": 30, "member_price": 30, "discountable": 20,
            "active": 20, "punch_visits": 10, "punch_valid_days": 10}
LAYOUT = csv_import.Layout(HEADER_ALIASES, REQUIRED, CELL_MAX,
                           frozenset({"name", "name_en", "name_zh_cn", "category", "brand"}),
                           "a product's data")
_SPLIT = re.compile(r"[;|、，,\s]+")
PAGE = 1000


@dataclass
class ProductImportResult(csv_import.ImportResult):
    created: list[str] = field(default_factory=list)  # SKUs the import adds
    updated: list[str] = field(default_factory=list)  # SKUs whose fields or barcodes change
    unchanged: int = 0
    # (SKU, price before, after, member price before, after) of the known products
    price_changes: list[tuple[str, int, int, int | None, int | None]] = field(
        default_factory=list)


@dataclass
class _Row:
    line: int
    given: dict[str, Any]  # the fields the file states, parsed


def _whole(text: str, what: str) -> int:
    if not text.isdigit():
        raise InvalidInput("{what} {text!r} is not a whole number", what=what, text=text)
    return int(text)


def _amount(text: str, what: str, currency: str) -> int:
    try:
        return money.parse(text, currency)
    except money.MoneyError as exc:
        raise InvalidInput("{what}: {reason}", what=what, reason=str(exc)) from None


def _parse(cell: Any, columns: dict[str, str], currency: str) -> dict[str, Any]:
    """The row's stated fields; InvalidInput (English, for the row's error) on a bad one."""
    given: dict[str, Any] = {"sku": excel_csv.unguard(cell("sku"))}
    english, name, chinese = (excel_csv.unguard(cell(f)) for f in
                              ("name_en", "name", "name_zh_cn"))
    if "name_en" in columns and english:
        given["name"] = english
        if "name_zh_cn" in columns:
            given["name_zh_cn"] = chinese
        elif "name" in columns:  # 商品名称 beside 英文名称: the Chinese name
            given["name_zh_cn"] = name if name != english else ""
    else:
        if "name" in columns:
            given["name"] = name
        if "name_zh_cn" in columns:
            given["name_zh_cn"] = chinese
    for f in ("category", "brand"):
        if f in columns:
            given[f] = excel_csv.unguard(cell(f))
    if "price" in columns and cell("price"):
        given["price"] = _amount(cell("price"), "price", currency)
    if "member_price" in columns:
        raw = cell("member_price")
        given["member_price"] = _amount(raw, "member price", currency) if raw else None
    for f, what in (("discountable", "discountable"), ("active", "active")):
        raw = cell(f)
        if raw:
            flag = csv_import.parse_flag(raw)
            if flag is None:
                raise InvalidInput("{what} {text!r} is neither yes nor no", what=what, text=raw)
            given[f] = flag
    for f, what in (("punch_visits", "punch-card visits"),
                    ("punch_valid_days", "punch-card days")):
        if f in columns:
            raw = cell(f)
            given[f] = _whole(raw, what) if raw else None
    if "barcode" in columns:
        given["barcodes"] = tuple(dict.fromkeys(
            b for b in _SPLIT.split(excel_csv.unguard(cell("barcode"))) if b))
    return given


def _read(ctx: Context, path: Path, result: ProductImportResult,
          encoding: str | None) -> list[_Row]:
    rows: list[_Row] = []
    seen_skus: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    for line, cell in csv_import.read_rows(path, result, LAYOUT, encoding):
        try:
            given = _parse(cell, result.columns, ctx.currency)
        except InvalidInput as exc:
            result.errors.append(csv_import.RowError(line, str(exc)))
            continue
        sku = given["sku"]
        if not sku:
            result.errors.append(csv_import.RowError(line, "no SKU"))
            continue
        if sku in seen_skus:
            result.errors.append(csv_import.RowError(
                line, f"SKU {sku} is also on line {seen_skus[sku]}"))
            continue
        seen_skus[sku] = line
        for code in given.get("barcodes", ()):
            if code in seen_codes:
                result.errors.append(csv_import.RowError(
                    line, f"barcode {code} is also on line {seen_codes[code]}"))
            seen_codes[code] = line
        rows.append(_Row(line, given))
    if not result.rows and not result.errors:
        raise csv_import.ImportFileError("{name}: the file has a header but no products",
                                         name=path.name)
    return rows


def _existing(skus: list[str]) -> dict[str, ProductFields]:
    found: dict[str, ProductFields] = {}
    for chunk in csv_import.chunks(skus):
        for p in catalogue.search_skus(list(chunk)):
            found[p.sku] = p
    return found


def _plan(rows: list[_Row], result: ProductImportResult
          ) -> list[tuple[ProductFields | None, ProductFields]]:
    """(before, after) of every row that is right: before None for a new product."""
    known = _existing([r.given["sku"] for r in rows])
    plans: list[tuple[ProductFields | None, ProductFields]] = []
    for row in rows:
        given = dict(row.given)
        before = known.get(given["sku"])
        try:
            if before is None:
                if not given.get("name"):
                    raise InvalidInput("a new product needs a name")
                if "price" not in given:
                    raise InvalidInput("a new product needs a price")
                after = catalogue.check_product(ProductFields(**given))
            else:
                after = catalogue.check_product(replace(before, **given))
        except InvalidInput as exc:
            result.errors.append(csv_import.RowError(row.line, str(exc)))
            continue
        plans.append((before, after))
    # a barcode another product holds, unless that product is in the file (its barcodes
    # are the file's then)
    in_file = {after.sku for _, after in plans}
    codes = [(c, after.sku) for _, after in plans for c in after.barcodes]
    line_of = {r.given["sku"]: r.line for r in rows}
    for chunk in csv_import.chunks(codes):
        owners = dict(m.ProductBarcode.select(m.ProductBarcode.code, m.ProductBarcode.product)
                      .where(m.ProductBarcode.code.in_([c for c, _ in chunk])).tuples())
        for code, sku in chunk:
            owner = owners.get(code)
            if owner is not None and owner != sku and owner not in in_file:
                result.errors.append(csv_import.RowError(
                    line_of[sku], f"barcode {code} belongs to the product {owner}"))
    return plans


def _write(ctx: Context, plans: list[tuple[ProductFields | None, ProductFields]],
           approver_id: object, barcodes_given: bool) -> None:
    new = [after for before, after in plans if before is None]
    for chunk in csv_import.chunks(new, PAGE):
        m.Product.insert_many([catalogue.row_values(p) for p in chunk]).execute()
    for before, after in plans:
        if before is not None:
            catalogue.write_changes(ctx, before, after, approver_id)
    if not barcodes_given:
        return
    changed = [after for before, after in plans
               if before is None or before.barcodes != after.barcodes]
    for chunk in csv_import.chunks([p.sku for p in changed]):
        m.ProductBarcode.delete().where(m.ProductBarcode.product.in_(list(chunk))).execute()
    rows = [{"code": c, "product": p.sku} for p in changed for c in p.barcodes]
    for chunk in csv_import.chunks(rows, PAGE):
        m.ProductBarcode.insert_many(list(chunk)).execute()


def import_products(ctx: Context, path: str | os.PathLike[str], *, dry_run: bool,
                    approved_by: object, encoding: str | None = None) -> ProductImportResult:
    """Products from a CSV: every row checked, then all written or none (``dry_run``:
    only checked, the report says what would change). Needs a manager's approval."""
    approver = staff.require_approver(approved_by, Term("importing products", "approval"))
    started = time.perf_counter()
    source = Path(path)
    result = ProductImportResult(str(source), dry_run, "", ",", {}, [])
    rows = _read(ctx, source, result, encoding)

    def plan() -> list[tuple[ProductFields | None, ProductFields]]:
        result.created, result.updated, result.price_changes = [], [], []
        plans = _plan(rows, result)
        for before, after in plans:
            if before is None:
                result.created.append(after.sku)
            elif before != after:
                result.updated.append(after.sku)
                if (before.price, before.member_price) != (after.price, after.member_price):
                    result.price_changes.append((after.sku, before.price, after.price,
                                                 before.member_price, after.member_price))
        result.unchanged = len(plans) - len(result.created) - len(result.updated)
        return plans

    if dry_run or result.errors:
        plan()
    else:
        try:
            with write_transaction():  # planned inside the write lock: what it changes holds
                plans = plan()
                if result.errors:
                    raise csv_import.Refused
                _write(ctx, plans, approver.id, "barcode" in result.columns)
                audit.record(ctx, "import_products", source.name, approved_by=approver.id,
                             after={"rows": len(plans), "created": len(result.created),
                                    "updated": len(result.updated),
                                    "price_changes": len(result.price_changes)})
        except csv_import.Refused:
            pass
        else:
            result.imported = len(result.created) + len(result.updated)
    result.sort()
    result.seconds = time.perf_counter() - started
    return result
