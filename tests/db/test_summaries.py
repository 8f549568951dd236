"""The running totals per day (db/summaries.py): kept by triggers in the transaction of the
row they count, on both backends; they add up to their rows after sales, refunds, voids,
top-ups and their reversal, a late refund on a closed day, a merge and an erasure; and
``check`` finds a total that does not."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from terminal.db import models as m
from terminal.db.database import is_sqlite
from terminal.services import economics, eod, integrity, member_care, privacy, refunds
from tests.helpers import factory

SUMS = ("total", "tier_discount", "coupon_discount", "points_discount", "sv_bonus")


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def txn_totals_from_rows() -> dict[tuple, tuple]:
    """What the totals must be, added up in Python from every transaction."""
    out: dict[tuple, list[int]] = defaultdict(lambda: [0] * (1 + len(SUMS)))
    for t in m.Txn.select():
        acc = out[(_day(t.business_date), t.store_id, t.terminal_id, t.kind)]
        acc[0] += 1
        for i, c in enumerate(SUMS, start=1):
            acc[i] += getattr(t, c)
    return {k: tuple(v) for k, v in out.items()}


def txn_totals_kept() -> dict[tuple, tuple]:
    return {(_day(r.business_date), r.store_id, r.terminal_id, r.kind):
            (r.txns, *(getattr(r, c) for c in SUMS))
            for r in m.TxnDay.select() if r.txns or any(getattr(r, c) for c in SUMS)}


def points_totals_from_rows() -> dict[tuple, tuple]:
    out: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for p in m.PointsEntry.select():
        acc = out[(_day(p.created_at), p.terminal_id, p.kind)]
        acc[0] += 1
        acc[1] += p.delta
    return {k: tuple(v) for k, v in out.items()}


def points_totals_kept() -> dict[tuple, tuple]:
    return {(_day(r.day), r.terminal_id, r.kind): (r.entries, r.delta)
            for r in m.PointsDay.select() if r.entries or r.delta}


def use_totals_from_rows() -> dict[tuple, tuple]:
    """The points debits took from batches, by the batch's expiry day and the debit."""
    out: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for u in m.PointsUse.select():
        batch, debit = m.PointsEntry.get_by_id(u.batch_id), m.PointsEntry.get_by_id(u.entry_id)
        acc = out[(_day(debit.created_at), _day(batch.expires_at), debit.terminal_id,
                   debit.kind)]
        acc[0] += 1
        acc[1] += u.points
    return {k: tuple(v) for k, v in out.items()}


def use_totals_kept() -> dict[tuple, tuple]:
    return {(_day(r.day), _day(r.expiry_day), r.terminal_id, r.kind): (r.uses, r.points)
            for r in m.PointsUseDay.select() if r.uses or r.points}


def assert_totals_add_up() -> None:
    assert txn_totals_kept() == txn_totals_from_rows()
    assert points_totals_kept() == points_totals_from_rows()
    assert use_totals_kept() == use_totals_from_rows()
    assert integrity.check() == []


def test_the_totals_follow_every_kind_of_change(ctx, catalogue, clock):
    manager = factory.manager(ctx)
    li = factory.member(ctx, "Li")
    wang = factory.member(ctx, "Wang")
    first = factory.sale(ctx, [("LATTE", 2)], member_id=li.id)
    factory.sale(ctx, [("TEA", 1)])  # anonymous
    topup = factory.top_up(ctx, wang.id, 20_000)
    assert_totals_add_up()
    refunds.refund(ctx, refunds.RefundRequest(factory.key(), first.txn_id, manager,
                                              lines=None))
    voided = factory.sale(ctx, [("LATTE", 1)], member_id=wang.id)
    refunds.refund(ctx, refunds.RefundRequest(factory.key(), voided.txn_id, manager, void=True))
    refunds.refund(ctx, refunds.RefundRequest(factory.key(), topup.txn_id, manager))
    assert_totals_add_up()
    # a late refund of a sale on a day already closed: counted on the day it is made
    late = factory.sale(ctx, [("TEA", 2)], member_id=li.id)
    eod.close_day(ctx, clock.now.date(), manager)
    clock.advance(days=1)
    refunds.refund(ctx, refunds.RefundRequest(factory.key(), late.txn_id, manager))
    member_care.merge(ctx, li.id, wang.id, manager)
    privacy.erase(ctx, li.id, manager, "the member asked")
    assert_totals_add_up()
    kinds = {k[3] for k in txn_totals_kept()}
    assert {"sale", "refund", "void", "topup", "topup_reversal"} <= kinds
    # the economics read the totals: the month's revenue is what the rows say
    month = economics.report(ctx, 1).months[0]
    rows = [t for t in m.Txn.select() if t.kind in ("sale", "refund", "void")
            and _day(t.business_date) >= month.month]
    assert month.revenue == sum(t.total for t in rows)


def test_an_edit_of_a_row_in_sql_moves_its_total_too(ctx, catalogue, db):
    """The triggers count any write, a hand-made fix in the sqlite3 shell too."""
    sale = factory.sale(ctx, [("LATTE", 1)])
    mark = "?" if is_sqlite() else "%s"
    db.execute_sql(f"UPDATE txn SET business_date = {mark} "
                   f"WHERE id = {mark}", ("2026-01-05", m.Txn.id.db_value(sale.txn_id)))
    assert_totals_add_up()
    kept = txn_totals_kept()
    assert [v[1] for k, v in kept.items() if k[0] == date(2026, 1, 5)] == [sale.total]
    entry = m.PointsEntry.select().first()
    if entry is not None:
        m.PointsEntry.delete().where(m.PointsEntry.id == entry.id).execute()
    assert points_totals_kept() == points_totals_from_rows()


def test_check_finds_a_total_its_rows_do_not_add_up_to(ctx, catalogue, db):
    factory.sale(ctx, [("LATTE", 2)])
    assert integrity.check() == []
    m.TxnDay.update(total=m.TxnDay.total + 1).execute()
    problems = integrity.check()
    assert any(p.startswith("running total txn_day ") and "kept txns 1, total" in p
               for p in problems), problems
    assert any("the rows add up to txns 1" in p for p in problems)
    m.TxnDay.update(total=m.TxnDay.total - 1).execute()
    assert integrity.check() == []
    # a row written while the trigger was away (dropped by hand) is found too
    if is_sqlite():
        db.execute_sql("DROP TRIGGER points_day_add")
    else:
        db.execute_sql("ALTER TABLE points_entry DISABLE TRIGGER points_day_keep")
    factory.member(ctx, "Welcomed")  # a welcome bonus, if the programme gives one
    m.PointsEntry.insert(member=m.Member.select().first(), kind="adjust", delta=5,
                         created_at=datetime(2026, 3, 1, 9), store_id="S001",
                         terminal_id="T09").execute()
    problems = integrity.check()
    assert any("running total points_day 2026-03-01/T09/adjust" in p for p in problems), \
        problems


def test_the_points_debits_took_are_kept_by_their_day_and_their_batches_expiry_day(
        ctx, catalogue, db, clock):
    """A redemption, its refund and the expiry job write uses; a use edited in SQL moves
    its total; a total edited by hand is found by ``check``."""
    from terminal.loyalty.pricing import Tenders
    from terminal.services import nightly

    manager = factory.manager(ctx)
    li = factory.member(ctx, "Li")
    for _ in range(6):
        factory.sale(ctx, [("LATTE", 4)], member_id=li.id)
    paid = factory.sale(ctx, [("LATTE", 1)], member_id=li.id, points=100,
                        tenders=Tenders(cash=100_000))
    refunds.refund(ctx, refunds.RefundRequest(factory.key(), paid.txn_id, manager))
    factory.sale(ctx, [("LATTE", 1)], member_id=li.id, points=100,
                 tenders=Tenders(cash=100_000))
    clock.advance(days=800)
    assert nightly.expire_points(ctx).points > 0
    assert_totals_add_up()
    kinds = {k[3] for k in use_totals_kept()}
    assert {"redeem", "refund_redeem", "expire"} <= kinds, kinds
    use = m.PointsUse.select().first()
    db.execute_sql(f"UPDATE points_use SET points = points + 7 WHERE id = {use.id}")
    assert use_totals_kept() == use_totals_from_rows()  # (the ledger itself is now wrong)
    db.execute_sql(f"UPDATE points_use SET points = points - 7 WHERE id = {use.id}")
    assert integrity.check() == []
    m.PointsUseDay.update(points=m.PointsUseDay.points + 1).where(
        m.PointsUseDay.kind == "expire").execute()
    problems = integrity.check()
    assert any(p.startswith("running total points_use_day ") for p in problems), problems
