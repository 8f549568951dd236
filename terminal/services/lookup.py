"""What the counter's scan field names (a member, a product, a coupon, a pick list) and the
past sale a refund starts from. Finding a member gives the offers due on a visit (birthday,
win-back): a look-up may write."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from ..core.errors import InvalidInput, MemberCodeError, NotFound
from ..core.i18n import Named
from ..db import models as m
from ..db import statements as q
from ..loyalty import codes
from . import coupons as coupon_service
from . import joins, members
from .context import Context
from .members import MemberView
from .refunds import refundable

SHOWN = 20  # members a name search lists for the cashier to pick from


@dataclass(frozen=True)
class ProductView:
    sku: str
    name: str
    price: int


@dataclass(frozen=True)
class Candidate:
    id: uuid.UUID
    name: str
    card_no: str
    phone_masked: str


@dataclass(frozen=True)
class CouponFound(Named):
    code: str
    name: str  # English; name_in(language) for the reader's
    names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Candidates:
    """Several members match: the first ones by name, and how many match in all."""

    shown: list[Candidate]
    total: int


class UnknownPhone(NotFound):
    """A phone number no member has: the counter offers to enrol it."""

    code = "unknown_phone"


Found = MemberView | ProductView | CouponFound | Candidates | joins.Waiting


def product(text: str) -> m.Product | None:
    """The active product whose SKU (any case) or barcode is ``text``."""
    ref = text.strip()
    found = {p.sku: p for p in q.active_product_by_ref.rows(ref, ref.upper(), ref)}
    # a SKU as typed first, then in capitals, then the product the barcode names
    return found.get(ref) or found.get(ref.upper()) or next(iter(found.values()), None)


def _at_counter(ctx: Context, member_id: object) -> MemberView:
    """The member as the panel shows them, after the offers due on a visit (birthday,
    win-back) have been given."""
    coupon_service.offers_on_scan(ctx, member_id)
    return members.view(ctx, member_id)


def lookup(ctx: Context, text: str) -> Found:
    """What a scan or a typed entry names: a member, a product, a coupon, several members
    or a join waiting from a phone.

    Member codes and card numbers are checked first (a bad one is an error, never a
    product); then SKU or barcode; then phone (a member's, else a waiting join's) or name
    prefix.
    """
    entry = members.readable(text.strip())
    if not entry:
        raise InvalidInput("nothing to look up")
    kind = codes.classify(entry)
    if kind in ("member", "card"):
        return _at_counter(ctx, members.identify(ctx, entry).id)
    if kind == "join":
        return joins.find(ctx, entry)
    if kind == "coupon":
        coupon = coupon_service.find(entry)
        return CouponFound(coupon.code, coupon.template.name, coupon.template.names)
    found = product(entry)
    if found is not None:
        return ProductView(found.sku, found.name, found.price)
    if kind == "product":
        raise NotFound("no product has the barcode {code!r}", code=entry[:40])
    try:
        people = members.search(ctx, entry, limit=SHOWN)
    except MemberCodeError as exc:
        if exc.reason == MemberCodeError.UNKNOWN_MEMBER and "phone" in exc.details:
            join = joins.for_phone(ctx, members.normalize_phone(
                entry, ctx.settings.store.phone_region))
            if join is not None:
                return join
            raise UnknownPhone("no member has the phone number {phone}: F2 enrols it",
                               phone=entry[:40]) from None
        raise
    if len(people) == 1:
        return _at_counter(ctx, people[0].id)
    if not people:
        raise NotFound("no member or product matches {entry!r}", entry=entry[:40])
    region = ctx.settings.store.phone_region
    total = len(people) if len(people) < SHOWN else members.count_named(entry)
    return Candidates([Candidate(p.id, p.name, p.card_no, members.mask_phone(p.phone, region))
                       for p in people], total)


@dataclass(frozen=True)
class SaleLine:
    id: str
    name: str
    qty: int
    net: int
    refundable: int


@dataclass(frozen=True)
class SaleSummary:
    txn_id: uuid.UUID
    receipt_no: str
    kind: str
    status: str
    total: int
    member_name: str
    business_date: str
    lines: tuple[SaleLine, ...]


_RECEIPT_NO = re.compile(r"^\s*([A-Za-z0-9_]+)-0*([0-9]{1,9})\s*$")


def find_sale(ctx: Context, receipt_no: str) -> SaleSummary:
    """A past sale or top-up by its receipt number ("T01-000042"), with what can be returned."""
    match = _RECEIPT_NO.match(receipt_no or "")
    if match is None:
        raise InvalidInput("{entry!r} is not a receipt number such as {terminal}-000042",
                           entry=receipt_no.strip()[:30], terminal=ctx.terminal_id)
    terminal, seq = match.group(1).upper(), int(match.group(2))
    txn = m.Txn.get_or_none((m.Txn.terminal_id == terminal) & (m.Txn.seq == seq))
    if txn is None:
        raise NotFound("no receipt {receipt_no}", receipt_no=f"{terminal}-{seq:06d}")
    left = refundable(txn.id)
    lines = tuple(SaleLine(str(ln.id), ln.name, ln.qty, ln.net, left.get(str(ln.id), 0))
                  for ln in txn.lines.order_by(m.TxnLine.line_no))
    name = txn.member.name if txn.member_id is not None else ""
    return SaleSummary(txn.id, txn.receipt_no, txn.kind, txn.status, txn.total, name,
                       str(txn.business_date), lines)
