"""The catalogue: products found, added, changed, switched off and on, and their barcodes.

A product a sale names is never deleted (the sale's lines keep its SKU): it is deactivated,
and the counter no longer finds it. Every write is one ``write_transaction`` with a
manager's approval, and in the audit log with the fields before and after (a price or a
member price change among them).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from ..core import money
from ..core.errors import Conflict, InvalidInput, NotFound
from ..core.i18n import ChineseNamed, Term
from ..db import models as m
from ..db.database import write_transaction
from ..loyalty import codes
from . import audit, staff
from .context import Context

SEARCH_LIMIT = 50
MAX_PUNCH_VISITS = 1000
MAX_PUNCH_DAYS = 3650
_SKU = re.compile(r"[^\s\x00-\x1f\x7f]{1,64}")  # anything printable without spaces
_BARCODE = re.compile(r"[0-9A-Za-z.\-]{1,32}")


class ProductRefused(InvalidInput):
    """A product's fields break a rule."""


class ProductExists(Conflict):
    """A new product's SKU is taken."""


class BarcodeTaken(Conflict):
    """The barcode names another product already."""


class ProductMissing(NotFound):
    """No product has the SKU."""


@dataclass(frozen=True)
class ProductFields(ChineseNamed):
    """A product as the catalogue edits it: money in minor units."""

    sku: str
    name: str  # English; the one shown where no other is given
    price: int
    name_zh_cn: str = ""
    category: str = ""
    brand: str = ""
    member_price: int | None = None  # 会员价; None: members pay the price
    discountable: bool = True
    punch_visits: int | None = None
    punch_valid_days: int | None = None
    active: bool = True
    barcodes: tuple[str, ...] = ()

    def plain(self) -> dict[str, Any]:
        """For the audit log."""
        out = asdict(self)
        out["barcodes"] = list(self.barcodes)
        return out


def _amount(value: object, what: Term, *, zero: bool) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProductRefused("{field} must be an amount of money", field=what)
    if value < 0 or (value == 0 and not zero):
        raise ProductRefused("{field} must be more than zero", field=what)
    if value > money.MAX_ENTRY:
        raise ProductRefused("{field} is too large", field=what)
    return value


def _text(value: object, what: Term, most: int) -> str:
    text = str(value or "").strip()
    if len(text) > most:
        raise ProductRefused("{field} has at most {most} characters", field=what, most=most)
    return text


def check_barcode(code: object) -> str:
    """A barcode as stored (spaces taken off), or ProductRefused."""
    text = str(code or "").strip()
    if not _BARCODE.fullmatch(text):
        raise ProductRefused("A barcode is 1 to 32 letters, digits, '.' or '-', not {code!r}.",
                             code=text[:40])
    if codes.classify(text) in ("member", "card", "coupon"):
        # the scan field reads these as a member card or a coupon, never as a product
        raise ProductRefused("The barcode {code} reads as a member card or a coupon at the "
                             "counter; use the product's own barcode.", code=text)
    return text


def check_product(fields: ProductFields) -> ProductFields:
    """The product cleaned up, or ProductRefused saying what is wrong."""
    sku = str(fields.sku or "").strip()
    if not sku:
        raise ProductRefused("A product needs a SKU.")
    if not _SKU.fullmatch(sku):
        raise ProductRefused("A SKU is 1 to 64 characters without spaces, not {sku!r}.",
                             sku=sku[:70])
    name = _text(fields.name, Term("The name", "product field"), 200)
    if not name:
        raise ProductRefused("The product {sku} needs a name.", sku=sku)
    price = _amount(fields.price, Term("The price", "product field"), zero=False)
    member_price = fields.member_price
    if member_price is not None:
        member_price = _amount(member_price, Term("The member price", "product field"),
                               zero=False)
        if member_price > price:
            raise ProductRefused(
                "The member price {member_price} is above the price {price}: a member "
                "would pay more than a guest.", member_price=money.format_amount(member_price),
                price=money.format_amount(price))
    visits, days = fields.punch_visits, fields.punch_valid_days
    for value, what, most in ((visits, Term("The visits of a punch card", "product field"),
                               MAX_PUNCH_VISITS),
                              (days, Term("The days a punch card is valid", "product field"),
                               MAX_PUNCH_DAYS)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 1 <= value <= most):
            raise ProductRefused("{field} must be a whole number from 1 to {most}",
                                 field=what, most=most)
    if visits is None:
        days = None
    barcodes = tuple(dict.fromkeys(check_barcode(b) for b in fields.barcodes))
    return ProductFields(
        sku, name, price, _text(fields.name_zh_cn, Term("The Chinese name", "product field"),
                                200),
        _text(fields.category, Term("The category", "product field"), 64),
        _text(fields.brand, Term("The brand", "product field"), 64), member_price,
        bool(fields.discountable), visits, days, bool(fields.active), barcodes)


def _barcodes_of(skus: list[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for code, sku in (m.ProductBarcode.select(m.ProductBarcode.code, m.ProductBarcode.product)
                      .where(m.ProductBarcode.product.in_(skus))
                      .order_by(m.ProductBarcode.code).tuples()):
        found.setdefault(sku, []).append(code)
    return {sku: tuple(v) for sku, v in found.items()}


def _fields_of(row: m.Product, barcodes: tuple[str, ...]) -> ProductFields:
    return ProductFields(
        row.sku, row.name, int(row.price), row.name_zh_cn or "", row.category or "",
        row.brand or "", None if row.member_price is None else int(row.member_price),
        bool(row.discountable), row.punch_visits, row.punch_valid_days, bool(row.active),
        barcodes)


def _views(rows: list[m.Product]) -> list[ProductFields]:
    barcodes = _barcodes_of([r.sku for r in rows]) if rows else {}
    return [_fields_of(r, barcodes.get(r.sku, ())) for r in rows]


def get(sku: str) -> ProductFields:
    row = m.Product.get_or_none(m.Product.sku == str(sku).strip())
    if row is None:
        raise ProductMissing("No product has the SKU {sku}.", sku=str(sku).strip()[:70])
    return _views([row])[0]


def search(text: str = "", *, category: str | None = None, active_only: bool = False,
           limit: int = SEARCH_LIMIT) -> list[ProductFields]:
    """Products whose barcode is ``text``, or whose SKU or name (English or Chinese) starts
    with it (any case), in ``category`` if given; by SKU, at most ``limit``."""
    query = m.Product.select()
    text = (text or "").strip()
    if text:
        by_barcode = m.ProductBarcode.select(m.ProductBarcode.product).where(
            m.ProductBarcode.code == text)
        # startswith: ILIKE on PostgreSQL, LIKE on SQLite, wildcards in the text escaped
        query = query.where(m.Product.sku.in_(by_barcode) | m.Product.sku.startswith(text)
                            | m.Product.name.startswith(text)
                            | m.Product.name_zh_cn.startswith(text))
    if category:
        query = query.where(m.Product.category == category.strip())
    if active_only:
        query = query.where(m.Product.active == True)  # noqa: E712
    return _views(list(query.order_by(m.Product.sku).limit(max(1, min(limit, 1000)))))


def search_skus(skus: list[str]) -> list[ProductFields]:
    """The products with these SKUs (those that exist)."""
    return _views(list(m.Product.select().where(m.Product.sku.in_(skus))))


def categories() -> list[str]:
    """The categories in use, for a filter."""
    return [c for (c,) in m.Product.select(m.Product.category).where(m.Product.category != "")
            .distinct().order_by(m.Product.category).tuples()]


def _approver(approved_by: object) -> Any:
    return staff.require_approver(approved_by, Term("changing the catalogue", "approval"))


def _check_barcodes_free(sku: str, barcodes: tuple[str, ...]) -> None:
    if not barcodes:
        return
    taken = m.ProductBarcode.select(m.ProductBarcode.code, m.ProductBarcode.product).where(
        m.ProductBarcode.code.in_(list(barcodes)) & (m.ProductBarcode.product != sku)).first()
    if taken is not None:
        raise BarcodeTaken("The barcode {code} belongs to the product {other} already.",
                           code=taken.code, other=taken.product_id)


def row_values(clean: ProductFields) -> dict[str, Any]:
    """The product table's columns of ``clean`` (its barcodes are rows of their own)."""
    values = asdict(clean)
    del values["barcodes"]
    return values


def add(ctx: Context, fields: ProductFields, approved_by: object) -> ProductFields:
    """A new product with its barcodes."""
    clean = check_product(fields)
    approver = _approver(approved_by)
    with write_transaction():
        if m.Product.get_or_none(m.Product.sku == clean.sku) is not None:
            raise ProductExists("A product with the SKU {sku} exists already.", sku=clean.sku)
        _check_barcodes_free(clean.sku, clean.barcodes)
        m.Product.create(**row_values(clean))
        if clean.barcodes:
            m.ProductBarcode.insert_many(
                [{"code": c, "product": clean.sku} for c in clean.barcodes]).execute()
        audit.record(ctx, "product_added", clean.sku, approved_by=approver.id,
                     after=clean.plain())
    return clean


def changes(before: ProductFields, after: ProductFields) -> tuple[dict[str, Any],
                                                                  dict[str, Any]]:
    """The fields that differ, as (before, after) for the audit log."""
    old, new = before.plain(), after.plain()
    keys = [k for k in new if k != "barcodes" and old[k] != new[k]]
    return {k: old[k] for k in keys}, {k: new[k] for k in keys}


def write_changes(ctx: Context, before: ProductFields, after: ProductFields,
                  approver_id: object) -> bool:
    """Store ``after``'s fields (not its barcodes) over ``before``'s and audit what changed;
    inside the caller's write transaction. False when nothing changed."""
    old, new = changes(before, after)
    if not new:
        return False
    values = row_values(after)
    del values["sku"]
    m.Product.update(**values).where(m.Product.sku == after.sku).execute()
    audit.record(ctx, "product_changed", after.sku, approved_by=approver_id, before=old,
                 after=new)
    return True


def edit(ctx: Context, fields: ProductFields, approved_by: object) -> ProductFields:
    """Change a product's fields (found by its SKU); its barcodes are changed with
    ``add_barcode`` and ``remove_barcode``."""
    clean = check_product(replace(fields, barcodes=()))
    approver = _approver(approved_by)
    with write_transaction():
        before = get(clean.sku)
        after = replace(clean, barcodes=before.barcodes)
        write_changes(ctx, before, after, approver.id)
    return after


def set_active(ctx: Context, sku: str, active: bool, approved_by: object) -> ProductFields:
    """Deactivate (the counter no longer sells it) or reactivate a product."""
    approver = _approver(approved_by)
    with write_transaction():
        before = get(sku)
        after = replace(before, active=bool(active))
        write_changes(ctx, before, after, approver.id)
    return after


def was_sold(sku: str) -> bool:
    return (m.TxnLine.select(m.TxnLine.id).where(m.TxnLine.sku == sku).exists()
            or m.PunchCard.select(m.PunchCard.id).where(m.PunchCard.sku == sku).exists()
            or m.CouponTemplate.select().where(m.CouponTemplate.sku == sku).exists())


def delete(ctx: Context, sku: str, approved_by: object) -> None:
    """Delete a product nothing refers to (a mistake just entered); one a sale, a punch
    card or an offer names is refused: deactivate it instead."""
    approver = _approver(approved_by)
    with write_transaction():
        before = get(sku)
        if was_sold(before.sku):
            raise Conflict("The product {sku} is on past sales, punch cards or offers and "
                           "cannot be deleted; deactivate it instead.", sku=before.sku)
        m.ProductBarcode.delete().where(m.ProductBarcode.product == before.sku).execute()
        m.Product.delete().where(m.Product.sku == before.sku).execute()
        audit.record(ctx, "product_deleted", before.sku, approved_by=approver.id,
                     before=before.plain())


def add_barcode(ctx: Context, sku: str, code: str, approved_by: object) -> ProductFields:
    """One more barcode for the product; a barcode of another product is refused."""
    clean = check_barcode(code)
    approver = _approver(approved_by)
    with write_transaction():
        before = get(sku)
        if clean in before.barcodes:
            return before
        _check_barcodes_free(before.sku, (clean,))
        m.ProductBarcode.create(code=clean, product=before.sku)
        after = replace(before, barcodes=tuple(sorted((*before.barcodes, clean))))
        audit.record(ctx, "product_barcode_added", before.sku, approved_by=approver.id,
                     after={"barcode": clean})
    return after


def remove_barcode(ctx: Context, sku: str, code: str, approved_by: object) -> ProductFields:
    approver = _approver(approved_by)
    text = str(code or "").strip()
    with write_transaction():
        before = get(sku)
        if text not in before.barcodes:
            raise NotFound("The product {sku} has no barcode {code}.", sku=before.sku,
                           code=text[:40])
        m.ProductBarcode.delete().where(m.ProductBarcode.code == text).execute()
        audit.record(ctx, "product_barcode_removed", before.sku, approved_by=approver.id,
                     before={"barcode": text})
    return replace(before, barcodes=tuple(b for b in before.barcodes if b != text))
