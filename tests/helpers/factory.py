"""Small builders for service tests."""

from __future__ import annotations

import itertools

from terminal.db import models as m
from terminal.loyalty.pricing import Tenders
from terminal.services import accounts, checkout, members, staff
from terminal.services.checkout import CheckoutRequest, SaleItem
from terminal.services.context import Context
from terminal.services.receipts import Receipt

_keys = itertools.count(1)
_phones = itertools.count(1)


def key(prefix: str = "key") -> str:
    return f"{prefix}-{next(_keys):08d}"


def member(ctx: Context, name: str = "Member", **kw: object):
    phone = f"1390{next(_phones):07d}"
    return members.enrol(ctx, members.EnrolRequest(name, phone, **kw))  # type: ignore[arg-type]


def sale(ctx: Context, items: list[tuple[str, int]], member_id: object = None,
         cash: int | None = None, **kw: object) -> Receipt:
    req_items = tuple(SaleItem(sku, qty) for sku, qty in items)
    tenders = kw.pop("tenders", None)
    if tenders is None:
        tenders = Tenders(cash=cash if cash is not None else 10_000_000)
    return checkout.checkout(ctx, CheckoutRequest(key("sale"), req_items, member_id=member_id,
                                                  tenders=tenders, **kw))  # type: ignore[arg-type]


def top_up(ctx: Context, member_id: object, paid: int) -> Receipt:
    return accounts.top_up(ctx, key("topup"), member_id, paid, Tenders(cash=paid))  # type: ignore[arg-type]


def manager(ctx: Context) -> str:
    """The id of an active manager (an owner and a manager are made the first time)."""
    row = m.Staff.select().where(m.Staff.active & (m.Staff.role == "manager")).first()
    if row is not None:
        return str(row.id)
    owner = m.Staff.select().where(m.Staff.active & (m.Staff.role == "owner")).first()
    owner_id = owner.id if owner else staff.create(ctx, "Owner", "owner", "8888").id
    return str(staff.create(ctx, "Manager Wang 王", "manager", "9999", approved_by=owner_id).id)


def counter_members(ctx: Context, count: int) -> list[m.Member]:
    """A few members made at the counter, some with stored value and a punch card."""
    made = []
    for i in range(count):
        member = members.enrol(ctx, members.EnrolRequest(f"会员{i} Test", f"1390000{i:04d}"))
        made.append(member)
        if i % 3 == 0:
            accounts.top_up(ctx, f"fixture-topup-{i}", member.id, 20_000, Tenders(cash=20_000))
        if i % 4 == 0:
            checkout.checkout(ctx, CheckoutRequest(
                f"fixture-sale-{i}", (SaleItem(sku="LATTE"), SaleItem(sku="CARD10")),
                member_id=member.id, tenders=Tenders(cash=30_000)))
    return made
