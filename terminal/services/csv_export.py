"""Export members, products, sales and ledgers as CSV for Excel (imports: ``csv_import``).

The file is written by ``core.excel_csv`` (UTF-8 with a BOM, the formula guard: text a
person typed never runs in Excel), rows streamed from one query (a SQLite cursor, a
PostgreSQL server-side cursor: a million members are never in memory at once, and the file
is one consistent snapshot), written to ``<file>.partial`` and renamed in the same
transaction as its audit entry: an export file exists only if the audit log says who made
it. The member file reads back with ``member_import.import_members``.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import Any

import peewee as pw

from ..core import excel_csv, money
from ..core.errors import InvalidInput
from ..core.i18n import Term
from ..db import models as m
from ..db.database import is_sqlite, proxy, write_transaction
from . import audit, staff
from .context import Context
from .members import mask_email, mask_phone

PAGE = 2000  # rows per page read
LOOKUP_CHUNK = 500  # values per IN (...) when looking up cards and receipts

@dataclass(frozen=True)
class ExportResult:
    path: str
    rows: int
    seconds: float


def _amount(value: int, currency: str) -> Decimal:
    """Major units, as a number: a refund's negative amount stays a number in Excel."""
    return money.to_decimal(int(value), currency)


def _when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value.isoformat()


def _range(since: date, until: date) -> tuple[datetime, datetime]:
    for value, name in ((since, "from"), (until, "to")):
        if not isinstance(value, date):
            raise InvalidInput("the {name} date is needed", name=name)
    if since > until:
        raise InvalidInput("the range starts ({since}) after it ends ({until})", since=since,
                           until=until)
    start = datetime.combine(since, dtime.min)
    end = datetime.combine(until, dtime.min) + timedelta(days=1)
    return start, end


class _Fetching:
    """Rows of a PostgreSQL cursor declared on the server, PAGE per round trip, for peewee's
    cursor wrapper (which asks for one row at a time).

    Workaround: psycopg2's own named cursor cannot be used. Since peewee 3.16.0 (4.5.3
    here) the driver runs in autocommit mode and peewee sends BEGIN itself (peewee's
    CHANGELOG, 3.16.0), and psycopg2 (2.9 here) refuses a named cursor in autocommit mode
    ("can't use a named cursor outside of transactions") unless it is WITH HOLD
    (https://github.com/psycopg/psycopg2/issues/229), which makes the server copy the whole
    result when the transaction ends. peewee's ``ServerSide`` helper takes WITH HOLD (its
    ``server_side_cursor`` says so), and in 3.16.0 fetched everything at once
    (https://github.com/coleifer/peewee/issues/2899).
    So the cursor is declared in SQL inside the export's own transaction."""

    def __init__(self, cursor: Any, name: str) -> None:
        self._cursor = cursor
        self._name = name
        self._rows: list[Any] = []
        self._done = False
        self._refill()
        self.description = cursor.description

    def _refill(self) -> None:
        self._cursor.execute(f"FETCH FORWARD {PAGE} FROM {self._name}")
        self._rows = list(reversed(self._cursor.fetchall()))
        self._done = not self._rows

    def fetchone(self) -> Any:
        if not self._rows and not self._done:
            self._refill()
        return self._rows.pop() if self._rows else None

    def close(self) -> None:
        """The wrapper closes its cursor at the end; the declared cursor is closed by
        ``_pages``."""


_cursors = iter(range(1, 1 << 62))


def _pages(query: pw.ModelSelect, model: type[m.BaseModel], *,
           by_time: bool) -> Iterator[list[Any]]:
    """``query``'s rows ordered by (created_at,) id, in lists of PAGE, read from one query
    as they are needed: SQLite's cursor steps through the result; on PostgreSQL a cursor
    declared on the server keeps the result there (psycopg2's ordinary cursor would fetch
    all of it). Either way one consistent snapshot, and memory for one page."""
    id_field = model._meta.primary_key
    order = (model._meta.fields["created_at"], id_field) if by_time else (id_field,)
    query = query.order_by(*order)
    if is_sqlite():
        yield from _chunked(query.iterator())
        return
    name = f"mt_export_{next(_cursors)}"
    with proxy.atomic():  # a declared cursor lives until the transaction ends
        sql, params = query.sql()
        cursor = proxy.obj.cursor()
        cursor.execute(f"DECLARE {name} NO SCROLL CURSOR FOR {sql}", params)
        try:
            yield from _chunked(iter(query._get_cursor_wrapper(_Fetching(cursor, name))))
        finally:
            cursor.execute(f"CLOSE {name}")


def _chunked(rows: Iterator[Any]) -> Iterator[list[Any]]:
    page: list[Any] = []
    for row in rows:
        page.append(row)
        if len(page) == PAGE:
            yield page
            page = []
    if page:
        yield page


def _export(ctx: Context, path: str | os.PathLike[str], action: str, header: list[str],
            rows: Iterable[Sequence[object]], approver: staff.StaffView,
            details: dict[str, Any]) -> ExportResult:
    started = time.perf_counter()
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open("wb") as fh:
            count = excel_csv.write(fh, itertools.chain([header], rows)) - 1
            fh.flush()
            os.fsync(fh.fileno())
        with write_transaction():
            audit.record(ctx, action, target.name, approved_by=approver.id,
                         after={"rows": count, **details})
            os.replace(partial, target)
    finally:
        close = getattr(rows, "close", None)
        if close is not None:  # a generator stopped half-way ends its read transaction now
            close()
        partial.unlink(missing_ok=True)
    return ExportResult(str(target), count, time.perf_counter() - started)


MEMBER_COLUMNS = ["card_no", "name", "phone", "birthday", "marketing_consent", "tier",
                  "points", "stored_value", "stored_value_bonus", "referral_code",
                  "enrolled_at", "last_visit_at", "email"]


def export_members(ctx: Context, path: str | os.PathLike[str], *,
                   consenting_only: bool = False, reveal_phones: bool = False,
                   approved_by: object = None) -> ExportResult:
    """Live members (erased ones are left out); phones and e-mail addresses masked unless
    ``reveal_phones``.
    The columns read back with ``import_members`` (with phones revealed)."""
    approver = staff.require_approver(
        approved_by, Term("exporting members with their phone numbers", "approval")
        if reveal_phones else Term("exporting members", "approval"))
    region = ctx.settings.store.phone_region
    cur = ctx.currency
    query = m.Member.select().where(m.Member.live())
    if consenting_only:
        query = query.where(m.Member.marketing_consent)

    def rows() -> Iterator[list[object]]:
        for page in _pages(query, m.Member, by_time=False):
            for mb in page:
                yield [mb.card_no, mb.name,
                       excel_csv.number_text(mb.phone or "") if reveal_phones
                       else mask_phone(mb.phone, region),
                       _when(mb.birthday), "yes" if mb.marketing_consent else "no", mb.tier,
                       mb.points_balance, _amount(mb.sv_paid_balance, cur),
                       _amount(mb.sv_bonus_balance, cur), mb.referral_code,
                       _when(mb.created_at), _when(mb.last_visit_at),
                       (mb.email or "") if reveal_phones else mask_email(mb.email)]

    return _export(ctx, path, "export_members", MEMBER_COLUMNS, rows(), approver,
                   {"consenting_only": consenting_only, "reveal_phones": reveal_phones})


PRODUCT_COLUMNS = ["sku", "barcode", "name", "chinese name", "category", "brand", "price",
                   "member price", "discountable", "active", "punch visits",
                   "punch valid days"]


def export_products(ctx: Context, path: str | os.PathLike[str], *,
                    approved_by: object = None) -> ExportResult:
    """The whole catalogue, deactivated products too; reads back with
    ``product_import.import_products``."""
    approver = staff.require_approver(approved_by, Term("exporting products", "approval"))
    cur = ctx.currency
    barcodes: dict[str, list[str]] = {}
    for code, sku in (m.ProductBarcode.select(m.ProductBarcode.code, m.ProductBarcode.product)
                      .order_by(m.ProductBarcode.code).tuples()):
        barcodes.setdefault(sku, []).append(code)

    def rows() -> Iterator[list[object]]:
        for page in _pages(m.Product.select(), m.Product, by_time=False):
            for p in page:
                yield [p.sku, ";".join(barcodes.get(p.sku, ())), p.name, p.name_zh_cn,
                       p.category, p.brand, _amount(p.price, cur),
                       "" if p.member_price is None else _amount(p.member_price, cur),
                       "yes" if p.discountable else "no", "yes" if p.active else "no",
                       "" if p.punch_visits is None else p.punch_visits,
                       "" if p.punch_valid_days is None else p.punch_valid_days]

    return _export(ctx, path, "export_products", PRODUCT_COLUMNS, rows(), approver, {})


SALES_COLUMNS = [
    "receipt_no", "txn_id", "created_at", "business_date", "kind", "status", "store_id",
    "terminal_id", "staff", "approved_by", "member_card", "original_txn_id", "subtotal",
    "line_discount", "tier_discount", "coupon_discount", "points_discount", "total",
    "points_redeemed", "points_earned", "stored_value", "cash", "card", "other", "change",
    "sv_bonus", "coupon_code", "line_no", "sku", "item", "category", "brand", "qty",
    "unit_price", "line_net", "line_points_earned"]


def _chunks(values: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _cards(member_ids: Iterable[object]) -> dict[Any, str]:
    ids = list({i for i in member_ids if i is not None})
    found: dict[Any, str] = {}
    for chunk in _chunks(ids):
        found.update(m.Member.select(m.Member.id, m.Member.card_no)
                     .where(m.Member.id.in_(list(chunk))).tuples())
    return found


def export_sales(ctx: Context, path: str | os.PathLike[str], since: date, until: date, *,
                 approved_by: object = None) -> ExportResult:
    """Every transaction made from ``since`` to ``until`` (both days included), one row per
    line (a transaction without lines, such as a top-up, has one row with empty line
    columns). Amounts in major units."""
    approver = staff.require_approver(approved_by, Term("exporting sales", "approval"))
    start, end = _range(since, until)
    cur = ctx.currency
    query = m.Txn.select().where((m.Txn.created_at >= start) & (m.Txn.created_at < end))

    def rows() -> Iterator[list[object]]:
        for page in _pages(query, m.Txn, by_time=True):
            cards = _cards(t.member_id for t in page)
            lines: dict[Any, list[m.TxnLine]] = {}
            for chunk in _chunks([t.id for t in page]):
                for ln in (m.TxnLine.select().where(m.TxnLine.txn.in_(list(chunk)))
                           .order_by(m.TxnLine.txn, m.TxnLine.line_no)):
                    lines.setdefault(ln.txn_id, []).append(ln)
            for t in page:
                head = [t.receipt_no, str(t.id), _when(t.created_at), _when(t.business_date),
                        t.kind, t.status, t.store_id, t.terminal_id,
                        staff.name_of(t.staff_id), staff.name_of(t.approved_by),
                        cards.get(t.member_id, ""), str(t.original_id or "")]
                head += [_amount(getattr(t, f), cur) for f in (
                    "subtotal", "line_discount", "tier_discount", "coupon_discount",
                    "points_discount", "total")]
                head += [t.points_redeemed, t.points_earned]
                head += [_amount(getattr(t, f), cur) for f in (
                    "stored_value", "cash", "card", "other", "change", "sv_bonus")]
                head.append(t.coupon_code or "")
                if t.id not in lines:
                    yield head + [""] * 9
                for ln in lines.get(t.id, []):
                    yield [*head, ln.line_no, ln.sku or "", ln.name,
                           ln.category, ln.brand, ln.qty,
                           _amount(ln.unit_price, cur), _amount(ln.net, cur),
                           ln.points_earned]

    return _export(ctx, path, "export_sales", SALES_COLUMNS, rows(), approver,
                   {"from": since.isoformat(), "to": until.isoformat()})


LEDGER_COLUMNS = ["ledger", "entry_id", "created_at", "store_id", "terminal_id", "staff",
                  "member_card", "kind", "points", "stored_value_paid", "stored_value_bonus",
                  "visits", "punch_card_id", "receipt_no", "reason"]


def _receipts(txn_ids: Iterable[object]) -> dict[Any, str]:
    ids = list({i for i in txn_ids if i is not None})
    found: dict[Any, str] = {}
    for chunk in _chunks(ids):
        for t in (m.Txn.select(m.Txn.id, m.Txn.terminal_id, m.Txn.seq)
                  .where(m.Txn.id.in_(list(chunk)))):
            found[t.id] = t.receipt_no
    return found


def export_ledgers(ctx: Context, path: str | os.PathLike[str], since: date, until: date, *,
                   approved_by: object = None) -> ExportResult:
    """The points, stored value and punch-visit ledgers from ``since`` to ``until`` (both
    included) in one file; the ``ledger`` column says which (points, stored_value, punch)."""
    approver = staff.require_approver(approved_by, Term("exporting the ledgers", "approval"))
    start, end = _range(since, until)
    cur = ctx.currency

    def ledger(model: type[m.Origin], name: str) -> Iterator[list[object]]:
        query = model.select().where((model.created_at >= start) & (model.created_at < end))
        for page in _pages(query, model, by_time=True):
            cards = _cards(e.member_id for e in page)
            receipts = _receipts(e.txn_id for e in page)
            for e in page:
                row = [name, str(e.id), _when(e.created_at), e.store_id, e.terminal_id,
                       staff.name_of(e.staff_id), cards.get(e.member_id, ""), e.kind]
                if name == "points":
                    row += [e.delta, "", "", "", ""]
                elif name == "stored_value":
                    row += ["", _amount(e.delta_paid, cur), _amount(e.delta_bonus, cur), "", ""]
                else:
                    row += ["", "", "", e.delta, str(e.card_id)]
                yield [*row, receipts.get(e.txn_id, ""), e.reason]

    def rows() -> Iterator[list[object]]:
        yield from ledger(m.PointsEntry, "points")
        yield from ledger(m.StoredValueEntry, "stored_value")
        yield from ledger(m.PunchEntry, "punch")

    return _export(ctx, path, "export_ledgers", LEDGER_COLUMNS, rows(), approver,
                   {"from": since.isoformat(), "to": until.isoformat()})
