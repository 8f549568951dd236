"""``check --quick``: after a clean full check (its mark kept in ``meta``), only what changed
since is checked again, and the answer says so: a change among recent rows is found, a
change to old untouched rows is not claimed to be checked (the full check finds it)."""

from __future__ import annotations

import json

from terminal.db import models as m
from terminal.db.database import proxy, write_transaction
from terminal.services import audit, integrity
from tests.helpers import factory, intruder
from tests.services.test_integrity_refunds import copy_txn, member_sale, refund


def sql(statement: str, *params: object) -> None:
    proxy.execute_sql(statement.replace("?", proxy.obj.param), params)


def mark() -> dict[str, object] | None:
    row = m.Meta.get_or_none(m.Meta.key == integrity.MARK_KEY)
    return json.loads(row.value) if row is not None else None


def clean_check(ctx, clock) -> None:
    """History an hour old, then a clean full check that leaves its mark."""
    clock.advance(hours=1)
    assert integrity.check_and_mark(ctx) == []
    clock.advance(hours=1)


def quick(ctx) -> integrity.QuickCheck:
    result = integrity.quick_check(ctx)
    assert result.scope is not None, "the clean check's mark was not used"
    return result


def test_without_a_mark_the_quick_check_runs_the_full_check_and_says_so(ctx, catalogue):
    mb = factory.member(ctx)
    factory.sale(ctx, [("LATTE", 1)], member_id=mb.id)
    assert mark() is None
    result = integrity.quick_check(ctx)
    assert result.scope is None and result.problems == []
    assert "no clean check" in result.note and "whole database" in result.note
    kept = mark()  # the full check it ran was clean: the next quick check starts there
    assert kept is not None and kept["started_at"] == ctx.now().isoformat()
    assert kept["schema_version"] == integrity.SCHEMA_VERSION
    assert kept["audit"]["seq"] == audit.current_head().seq


def test_a_clean_mark_records_the_moment_before_the_check_and_the_audit_head(ctx, catalogue,
                                                                             clock):
    mb = factory.member(ctx)
    factory.top_up(ctx, mb.id, 5_000)
    refund(ctx, factory.sale(ctx, [("TEA", 1)], member_id=mb.id).txn_id)
    before = ctx.now()
    assert integrity.check_and_mark(ctx) == []
    kept = mark()
    assert kept is not None and kept["started_at"] == before.isoformat()
    head = audit.current_head()
    assert head.seq > 0 and kept["audit"] == json.loads(head.to_json())


def test_what_changed_since_the_mark_is_checked_and_counted(ctx, catalogue, clock):
    old = [factory.member(ctx, f"Old {i}") for i in range(3)]
    for mb in old:
        factory.sale(ctx, [("LATTE", 1)], member_id=mb.id)
    factory.manager(ctx)  # the staff who approves the refund, added before the mark
    clean_check(ctx, clock)
    recent = factory.member(ctx, "Recent")
    factory.top_up(ctx, recent.id, 10_000)
    sale = factory.sale(ctx, [("LATTE", 2)], member_id=old[0].id)
    refund(ctx, sale.txn_id)  # an audit entry, and the sale is the refund's original
    result = quick(ctx)
    assert result.problems == []
    scope = result.scope
    assert scope is not None
    assert scope.members == 2  # the new member and the old one who bought again
    assert scope.transactions == 3  # the top-up, the sale and its refund
    # today's: the sale, the refund and the debits' uses all count in it
    assert scope.days == 1 and scope.audit_entries == 1
    line = scope.phrase(0)
    assert line.startswith("check --quick: since the clean check of 2026-03-10 11:00: ")
    assert ("members 2, transactions 3, days of totals 1, audit entries 1" in line)
    assert line.endswith(": ok")
    # the count in gettext's plural form, in the reader's language too
    assert scope.phrase(1).endswith(": 1 violation")
    assert scope.phrase(2).endswith(": 2 violations")
    assert scope.phrase(2).text("zh_CN").endswith("2 处违规")


def test_a_balance_edited_for_a_member_with_a_sale_since_the_mark_is_found(ctx, catalogue,
                                                                          clock):
    mb = factory.member(ctx)
    factory.sale(ctx, [("LATTE", 1)], member_id=mb.id)
    clean_check(ctx, clock)
    factory.sale(ctx, [("TEA", 1)], member_id=mb.id)
    m.Member.update(points_balance=m.Member.points_balance + 7).where(
        m.Member.id == mb.id).execute()
    problems = quick(ctx).problems
    card = m.Member.get_by_id(mb.id).card_no
    assert any(p.startswith(f"points balance equals its ledger: {card} has ") for p in problems)


def test_a_refund_recorded_twice_since_the_mark_is_found_on_its_old_sale(ctx, catalogue, clock):
    sale = member_sale(ctx)  # before the mark
    clean_check(ctx, clock)
    back = refund(ctx, sale.txn_id)
    copy = copy_txn(back.txn_id)
    sql("UPDATE txn SET created_at = ? WHERE id = ?", ctx.now(), m.Txn.id.db_value(copy))
    rules = {p.split(":")[0] for p in quick(ctx).problems}
    assert {"no line returned more than it sold", "no sale paid back more than it took"} <= rules


def test_a_coupon_used_again_since_the_mark_is_found_with_its_old_use(ctx, catalogue, clock):
    first = factory.sale(ctx, [("LATTE", 1)])
    sql("UPDATE txn SET coupon_code = 'C-ONCE' WHERE id = ?", m.Txn.id.db_value(first.txn_id))
    clean_check(ctx, clock)
    second = factory.sale(ctx, [("TEA", 1)])
    sql("UPDATE txn SET coupon_code = 'C-ONCE' WHERE id = ?", m.Txn.id.db_value(second.txn_id))
    assert "no coupon used twice: C-ONCE has 2, expected sales" in quick(ctx).problems


def test_a_running_total_of_a_day_touched_since_the_mark_is_found(ctx, catalogue, clock):
    factory.sale(ctx, [("LATTE", 1)])
    clean_check(ctx, clock)
    factory.sale(ctx, [("TEA", 1)])  # the same business day
    sql("UPDATE txn_day SET total = total + 1 WHERE business_date = ? AND kind = 'sale'",
        ctx.today())
    problems = quick(ctx).problems
    assert any(p.startswith(f"running total txn_day {ctx.today().isoformat()}/")
               for p in problems), problems


def test_the_total_of_a_debit_since_the_mark_is_found_whichever_batch_it_took_from(
        ctx, catalogue, clock):
    mb = factory.member(ctx)
    sale = factory.sale(ctx, [("LATTE", 2)], member_id=mb.id)  # a batch, before the mark
    clean_check(ctx, clock)
    refund(ctx, sale.txn_id)  # its points taken back: a debit that uses the old batch
    (day, expiry_day) = {(str(r[0])[:10], str(r[1])[:10]) for r in proxy.execute_sql(
        "SELECT day, expiry_day FROM points_use_day").fetchall()}.pop()
    assert day == f"{clock.now:%Y-%m-%d}" and expiry_day > day
    assert quick(ctx).problems == []
    sql("UPDATE points_use_day SET points = points + 5 WHERE expiry_day = ?", expiry_day)
    problems = quick(ctx).problems
    assert any(p.startswith(f"running total points_use_day {day}/{expiry_day}/")
               for p in problems), problems


def test_a_forged_audit_entry_after_the_mark_is_found(ctx, catalogue, clock):
    with write_transaction():
        audit.record(ctx, "test", "before")
    clean_check(ctx, clock)
    with write_transaction():
        audit.record(ctx, "test", "after")
    head = audit.current_head()
    m.AuditEntry.insert(seq=head.seq + 1, created_at=ctx.now(), store_id="S01",
                        terminal_id="T01", action="refund", subject="forged",
                        prev_hash=head.hash, hash="f" * 64).execute()
    result = quick(ctx)
    assert result.scope is not None and result.scope.audit_entries == 2
    assert (f"audit log: entry {head.seq + 1} was changed after it was written, or forged "
            "(its signature does not match the log's key)") in result.problems


def test_the_entry_the_mark_ends_at_is_checked_again(ctx, catalogue, clock):
    with write_transaction():
        audit.record(ctx, "test", "before")
    clean_check(ctx, clock)
    with intruder.bypassing_triggers():
        m.AuditEntry.update(reason="edited").where(m.AuditEntry.seq == 1).execute()
    assert any(p.startswith("audit log: entry 1 ") for p in quick(ctx).problems)


def test_old_untouched_rows_are_not_claimed_by_the_quick_check(ctx, catalogue, clock):
    old = factory.member(ctx, "Old")
    factory.sale(ctx, [("LATTE", 1)], member_id=old.id)
    old_day = ctx.today()
    for subject in ("old", "older"):  # the mark ends at the second
        with write_transaction():
            audit.record(ctx, "test", subject)
    clean_check(ctx, clock)
    clock.advance(days=1)
    factory.sale(ctx, [("TEA", 1)], member_id=factory.member(ctx, "New").id)
    # behind the services' back, rows older than the mark, of a member and a day that
    # nothing since has touched
    m.Member.update(points_balance=m.Member.points_balance + 7).where(
        m.Member.id == old.id).execute()
    sql("UPDATE txn_day SET total = total + 1 WHERE business_date = ?", old_day)
    with intruder.bypassing_triggers():
        m.AuditEntry.update(reason="edited").where(m.AuditEntry.seq == 1).execute()
    with write_transaction():
        audit.record(ctx, "test", "new")
    result = quick(ctx)
    assert result.problems == []
    assert result.scope is not None and result.scope.members == 1  # the new member alone
    assert result.scope.days == 1 and result.scope.audit_entries == 1
    full = integrity.check()
    card = m.Member.get_by_id(old.id).card_no
    assert any(p.startswith(f"points balance equals its ledger: {card} has ") for p in full)
    assert any(p.startswith(f"running total txn_day {old_day.isoformat()}/") for p in full)
    assert any(p.startswith("audit log: entry 1 was changed") for p in full)


def test_a_failed_full_check_does_not_move_the_mark(ctx, catalogue, clock):
    mb = factory.member(ctx)
    factory.sale(ctx, [("LATTE", 1)], member_id=mb.id)
    clean_check(ctx, clock)
    first = mark()
    m.Member.update(points_balance=m.Member.points_balance + 7).where(
        m.Member.id == mb.id).execute()
    assert integrity.check_and_mark(ctx) != []
    assert mark() == first
    m.Member.update(points_balance=m.Member.points_balance - 7).where(
        m.Member.id == mb.id).execute()
    clock.advance(hours=1)
    assert integrity.check_and_mark(ctx) == []
    moved = mark()
    assert moved is not None and moved["started_at"] == ctx.now().isoformat()
    assert moved != first


def test_a_mark_of_another_schema_version_means_the_full_check(ctx, catalogue, clock):
    factory.sale(ctx, [("LATTE", 1)])
    clean_check(ctx, clock)
    kept = mark()
    assert kept is not None
    m.Meta.update(value=json.dumps({**kept, "schema_version": 1})).where(
        m.Meta.key == integrity.MARK_KEY).execute()
    result = integrity.quick_check(ctx)
    assert result.scope is None and "whole database" in result.note


def test_the_full_check_reads_the_same_as_before(ctx, catalogue):
    """The rules written for both checks: the full one names each table whole."""
    for rule, sql_text in integrity.RULES:
        full = integrity.rule_sql(sql_text, quick=False)
        assert "{" not in full and "qc_" not in full, rule
        assert "qc_" in integrity.rule_sql(sql_text, quick=True) or rule in integrity.WHOLE, rule
