"""Compiled statements: the rows and conversions of peewee's own queries, new values each call."""

from __future__ import annotations

from datetime import datetime

import peewee as pw
import pytest

from terminal.db import models as m
from terminal.db.prepared import Statement, insert
from tests.helpers import factory


def test_select_binds_new_values_and_converts_like_peewee(ctx) -> None:
    a = m.Product.create(sku="A", name="Alpha 甲", price=100, member_price=90)
    m.Product.create(sku="B", name="Beta", price=250)
    by_sku = Statement(lambda sku: m.Product.select().where(m.Product.sku == sku))
    assert by_sku.first("A") == a and by_sku.first("A").name == "Alpha 甲"
    assert by_sku.first("B").price == 250
    assert by_sku.first("nope") is None
    cheaper = Statement(lambda limit: m.Product.select(m.Product.sku).where(
        m.Product.price < limit).order_by(m.Product.sku))
    assert [p.sku for p in cheaper.rows(1000)] == ["A", "B"]
    assert [p.sku for p in cheaper.rows(200)] == ["A"]
    with pytest.raises(TypeError, match="takes 1 values, got 2"):
        cheaper.first(1, 2)


def test_uuid_and_datetime_parameters_and_results(ctx) -> None:
    member = factory.member(ctx, "Li")
    by_id = Statement(lambda member_id: m.Member.select().where(m.Member.id == member_id))
    got = by_id.first(member.id)
    assert got.id == member.id and isinstance(got.created_at, datetime)
    assert by_id.first(str(member.id)).id == member.id  # converted by the field, as peewee does
    since = Statement(lambda at: m.Member.select(pw.fn.COUNT(m.Member.id)).where(
        m.Member.created_at >= at))
    assert since.scalar(ctx.now()) == 1
    assert since.scalar(datetime(2100, 1, 1)) == 0


def test_update_counts_rows_and_insert_fills_defaults(ctx) -> None:
    m.Product.create(sku="A", name="Alpha", price=100)
    raise_price = Statement(lambda delta, sku: m.Product.update(
        price=m.Product.price + delta).where(m.Product.sku == sku))
    assert raise_price.execute(5, "A") == 1
    assert raise_price.execute(5, "missing") == 0
    assert m.Product.get_by_id("A").price == 105
    tpl = m.CouponTemplate.create(code="T", name="T", kind="amount", amount=100)
    coupon = insert(m.Coupon, **ctx.origin(), code="ABCDEFGHJK", template=tpl,
                    valid_from=ctx.now(), valid_until=ctx.now())
    stored = m.Coupon.get_by_id(coupon.id)  # the id came from the field's default
    assert (stored.code, stored.status, stored.template_id) == ("ABCDEFGHJK", "issued", "T")
    with pytest.raises(pw.IntegrityError):
        insert(m.Coupon, **ctx.origin(), code="ABCDEFGHJK", template=tpl,
               valid_from=ctx.now(), valid_until=ctx.now())
