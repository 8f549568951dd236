"""demo: a generated store passes check, follows the pricing rules and is the same for a seed."""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import phonenumbers
import pytest

from terminal import cli
from terminal.db import models as m
from terminal.db.database import close_database, open_database, proxy, sqlite_path
from terminal.loyalty import codes, pricing
from terminal.loyalty import points as prules
from terminal.services import coupons as coupon_service
from terminal.services import staff
from terminal.services.context import Context
from terminal.services.integrity import check
from terminal.services.nightly import expire_points
from terminal.tools import demo

from ..conftest import PG_URL, reset_postgres

SMALL = dict(members=300, days=150, seed=7)
TABLES = ("member", "product", "coupon_template", "txn", "txn_line", "coupon", "points_entry",
          "points_use", "stored_value_entry", "punch_card", "punch_entry")


def _dump() -> dict[str, list[tuple[object, ...]]]:
    return {t: [tuple(r) for r in proxy.execute_sql(f'SELECT * FROM "{t}" ORDER BY 1')]
            for t in TABLES}


def _fresh(url: str) -> None:
    """An empty, migrated database at ``url`` behind the proxy."""
    close_database()
    if PG_URL:
        reset_postgres(url)
    else:
        path = sqlite_path(url)
        assert path is not None
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
    open_database(url)


def test_a_small_store_passes_check_and_has_every_segment(ctx: Context) -> None:
    summary = demo.generate(ctx, **SMALL)

    assert check() == []
    assert set(summary.segments) == set(demo.SEGMENTS)
    assert all(summary.segments[s] > 0 for s in demo.SEGMENTS), summary.segments
    assert summary.rows["member"] == m.Member.select().count() == 300
    assert summary.member_sales > 0 and summary.anonymous_sales > 0
    assert summary.refunds > 0 and summary.top_ups > 0 and summary.punch_visits > 0
    assert summary.points_redeemed > 0 and summary.points_expired > 0
    assert 0.55 < summary.top20_share < 0.95  # the 80/20 pattern, roughly

    kinds = Counter(k for (k,) in m.Txn.select(m.Txn.kind).tuples())
    assert {"sale", "refund", "topup", "visit"} <= set(kinds)
    points = {k for (k,) in m.PointsEntry.select(m.PointsEntry.kind).tuples()}
    assert {"earn", "redeem", "expire", "import", "referral", "welcome"} <= points
    statuses = {s for (s,) in m.Coupon.select(m.Coupon.status).tuples()}
    assert {"issued", "redeemed"} <= statuses
    templates = {t for (t,) in m.Coupon.select(m.Coupon.template).tuples()}
    assert {"WELCOME", "NEXTVISIT", "XS-PASTRY", "BIRTHDAY"} <= templates
    assert m.Product.select().where(m.Product.punch_visits.is_null(False)).count() >= 3
    assert m.ProductBarcode.select().count() >= 50

    # behaviour shows in the data: a few come back weekly, many never do
    sales = Counter(mid for (mid,) in m.Txn.select(m.Txn.member).where(
        (m.Txn.kind == "sale") & m.Txn.member.is_null(False)).tuples())
    assert max(sales.values()) >= 12
    assert sum(1 for mb in m.Member.select(m.Member.id) if sales.get(mb.id, 0) <= 1) >= 90


def test_rows_look_like_the_counter_made_them(ctx: Context) -> None:
    demo.generate(ctx, **SMALL)
    today = ctx.now().replace(hour=0, minute=0, second=0, microsecond=0)

    cards, refs, phones = set(), set(), set()
    created = {}
    for mb in m.Member.select():
        assert codes.luhn_ok(mb.card_no) and len(mb.card_no) == 10
        parsed = phonenumbers.parse(mb.phone)
        assert phonenumbers.is_valid_number(parsed), mb.phone
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == mb.phone
        assert mb.name.strip() and mb.name_key == mb.name_key.casefold()
        cards.add(mb.card_no)
        refs.add(mb.referral_code)
        phones.add(mb.phone)
        created[mb.id] = mb.created_at
        assert mb.id.version == 7
    assert len(cards) == len(refs) == len(phones) == 300
    for mb in m.Member.select().where(m.Member.referred_by.is_null(False)):
        assert created[mb.referred_by_id] < mb.created_at

    # the demo's staff sign in with the PINs the README gives; every sale names one of them
    staff_ids = {str(s.id): s for s in staff.active()}
    roles = sorted(s.role for s in staff_ids.values())
    assert roles.count("owner") == 1 and roles.count("manager") == 2 and len(roles) == 9
    for name, role, pin in demo.DEMO_STAFF:
        person = next(s for s in staff_ids.values() if s.name == name)
        assert staff.sign_in(ctx, person.id, pin).role == role
    by_terminal: dict[str, list[tuple[datetime, str, int]]] = {}
    for t in m.Txn.select():
        assert t.business_date == t.created_at.date()
        assert t.created_at < today  # the history ends at the close of yesterday
        assert t.store_id and t.terminal_id and t.staff_id in staff_ids
        if t.kind in ("refund", "void", "topup_reversal"):
            assert staff_ids[t.approved_by].role == "manager"
        by_terminal.setdefault(t.terminal_id, []).append((t.created_at, str(t.id), t.seq))
    assert len(by_terminal) == 2
    for rows in by_terminal.values():
        rows.sort()
        assert [seq for _, _, seq in rows] == list(range(1, len(rows) + 1))
    for model in (m.PointsEntry, m.Coupon, m.StoredValueEntry, m.PunchCard, m.PunchEntry):
        assert not model.select().where(model.staff_id.is_null() | (model.terminal_id == "")
                                        ).exists()

    # nothing was left for the nightly job
    assert expire_points(ctx).batches == 0


def _reprice_member_sales(ctx: Context, extra_percent: int = 0) -> int:
    """Price every member sale again with terminal.loyalty (the tier's percentage plus
    ``extra_percent``), earn its points again, and compare with what the demo wrote; how
    many sales were compared."""
    rules = ctx.programme
    products = {p.sku: p for p in m.Product.select()}
    birthdays = {mb.id: mb.birthday for mb in m.Member.select()}
    coupons = {c.code: coupon_service.terms(c.template) for c in m.Coupon.select()}
    lines: dict[object, list[m.TxnLine]] = {}
    for ln in m.TxnLine.select().order_by(m.TxnLine.line_no):
        lines.setdefault(ln.txn_id, []).append(ln)
    checked = 0
    for txn in m.Txn.select().where((m.Txn.kind == "sale") & m.Txn.member.is_null(False)):
        mine = lines.get(txn.id, [])
        basket = [pricing.BasketLine(
            ln.name, ln.unit_price, ln.qty, ln.sku, ln.category, ln.brand, ln.line_discount,
            bool(products[ln.sku].discountable and not products[ln.sku].punch_visits))
            for ln in mine]
        tier = rules.tiers.by_code(txn.tier)
        priced = pricing.price(
            basket, tier_percent=tier.discount_percent + extra_percent,
            coupon=coupons[txn.coupon_code] if txn.coupon_code else None,
            coupon_code=txn.coupon_code or "", points_requested=txn.points_redeemed,
            points_balance=txn.points_redeemed, rules=rules.points, currency=ctx.currency)
        assert priced.total == txn.total
        assert priced.points_redeemed == txn.points_redeemed
        assert (priced.tier_discount, priced.coupon_discount, priced.points_discount) == (
            txn.tier_discount, txn.coupon_discount, txn.points_discount)
        for pl, ln in zip(priced.lines, mine, strict=True):
            assert (pl.tier_discount, pl.coupon_discount, pl.points_discount, pl.net) == (
                ln.tier_discount, ln.coupon_discount, ln.points_discount, ln.net)
        earned = prules.earn(
            [prules.EarnLine(pl.line.category, pl.net, pl.points_discount)
             for pl in priced.lines],
            stored_value_paid=txn.stored_value, tier_multiplier=tier.points_multiplier,
            today=txn.created_at.date(), birthday=birthdays[txn.member_id], rules=rules.points,
            currency=ctx.currency)
        assert earned.total == txn.points_earned
        assert list(earned.per_line) == [ln.points_earned for ln in mine]
        checked += 1
    return checked


def test_sales_are_priced_and_earn_by_the_rules(ctx: Context) -> None:
    """Every member sale, priced again by terminal.loyalty, gives the stored numbers."""
    demo.generate(ctx, **SMALL)
    assert _reprice_member_sales(ctx) > 200
    assert m.Txn.select().where((m.Txn.kind == "sale") & (m.Txn.tier_discount > 0)).exists()
    assert m.Txn.select().where(m.Txn.coupon_discount > 0).exists()
    assert m.Txn.select().where(m.Txn.points_discount > 0).exists()
    assert m.Txn.select().where((m.Txn.kind == "sale") & (m.Txn.stored_value > 0)).exists()


def test_a_rule_changed_in_loyalty_changes_the_demo(ctx: Context,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo has no pricing of its own: change the tier discount in loyalty.pricing (one
    percent more for everyone) and every sale the demo makes follows it, its points too."""
    real = pricing.price

    def one_percent_more(lines: Sequence[pricing.BasketLine], *,
                         tier_percent: Decimal = Decimal(0), **kw: Any) -> pricing.Pricing:
        return real(lines, tier_percent=tier_percent + 1, **kw)

    monkeypatch.setattr(pricing, "price", one_percent_more)
    demo.generate(ctx, **SMALL, workers=0)
    monkeypatch.setattr(pricing, "price", real)

    assert _reprice_member_sales(ctx, extra_percent=1) > 200
    # the base tier gives nothing today: one percent off shows on those members' and on
    # anonymous sales too
    base = ctx.programme.tiers.base.code
    assert ctx.programme.tiers.base.discount_percent == 0
    assert m.Txn.select().where((m.Txn.kind == "sale") & (m.Txn.tier == base)
                                & (m.Txn.tier_discount > 0)).exists()
    assert m.Txn.select().where((m.Txn.kind == "sale") & m.Txn.member.is_null()
                                & (m.Txn.tier_discount > 0)).exists()


def test_the_same_seed_gives_the_same_store(ctx: Context, db_url: str) -> None:
    demo.generate(ctx, **SMALL)
    first = _dump()
    _fresh(db_url)
    demo.generate(ctx, **SMALL)
    assert _dump() == first
    if "fork" in multiprocessing.get_all_start_methods():
        _fresh(db_url)
        demo.generate(ctx, **SMALL, workers=2)  # the work units made by other processes
        assert _dump() == first
    _fresh(db_url)
    demo.generate(ctx, **{**SMALL, "seed": 8})
    other = _dump()
    assert other["member"] != first["member"] and other["txn"] != first["txn"]


def test_if_empty_leaves_a_filled_database_alone(ctx: Context, db_url: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    demo.generate(ctx, members=40, days=30, seed=1)
    before = _dump()

    assert demo.run(ctx, db_url, members=40, days=30, seed=2, if_empty=True) == 0
    assert "already has 40 members" in capsys.readouterr().out
    assert demo.run(ctx, db_url, members=40, days=30, seed=2, if_empty=False) == 1
    assert "already has 40 members" in capsys.readouterr().err
    assert _dump() == before


def test_the_command_fills_checks_and_skips(db_url: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    try:
        assert cli.main(["demo", "--db", db_url, "--members", "60", "--days", "40",
                          "--seed", "3"]) == 0
        out = capsys.readouterr().out
        assert "demo: done" in out and "rows: member 60" in out
        assert cli.main(["check", "--db", db_url]) == 0
        assert cli.main(["demo", "--db", db_url, "--if-empty"]) == 0
        assert "already has 60 members" in capsys.readouterr().out
        if not PG_URL:
            # the load's shortcuts are undone: WAL and fsync are back
            assert proxy.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert os.path.exists(str(sqlite_path(db_url)))
    finally:
        close_database()


def test_money_stays_in_minor_units(ctx: Context) -> None:
    demo.generate(ctx, members=50, days=30, seed=5)
    prices = [p.price for p in m.Product.select()]
    assert all(isinstance(p, int) and p > 0 for p in prices)
    assert all(isinstance(t.total, int) for t in m.Txn.select())
    assert isinstance(m.CouponTemplate.get_by_id("NEXTVISIT").percent, Decimal)
