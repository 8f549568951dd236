"""The audit log: sensitive actions leave a chained trace that check proves untouched."""

from __future__ import annotations

from datetime import date

import pytest

from terminal.core.errors import PermissionDenied
from terminal.db import models as m
from terminal.db.database import is_sqlite, write_transaction
from terminal.services import (
    accounts,
    audit,
    audit_files,
    audit_listing,
    eod,
    integrity,
    refunds,
    staff,
)
from tests.helpers import factory, intruder


def test_sensitive_actions_are_logged_with_who_approved(ctx, catalogue) -> None:
    manager = factory.manager(ctx)  # adds the owner and the manager: two entries
    mb = factory.member(ctx)
    sale = factory.sale(ctx, [("LATTE", 2)], member_id=mb.id)
    refunds.refund(ctx, refunds.RefundRequest(factory.key(), sale.txn_id, manager,
                                              reason="spilt"))
    accounts.adjust_points(ctx, factory.key(), mb.id, 50, "goodwill", manager)
    factory.top_up(ctx, mb.id, 10_000)
    accounts.cash_out(ctx, factory.key(), mb.id, manager, "moving away")
    with pytest.raises(PermissionDenied):
        staff.approve(ctx, manager, "0000", "a void")
    log = audit_listing.entries()
    assert [e.action for e in log] == ["approval_refused", "cash_out", "adjust_points",
                                       "refund", "staff_added", "staff_added"]
    refund = log[3]
    assert refund.subject == sale.receipt_no and refund.reason == "spilt"
    assert refund.approved_by == "Manager Wang 王" and refund.staff == "cashier1"
    assert '"points":' in log[2].before and log[2].reason == "goodwill"
    assert [e.action for e in audit_listing.entries(action="refund")] == ["refund"]
    assert len(audit_listing.entries(staff_id=manager)) == 3  # refund, adjustment, cash-out
    assert integrity.check() == []


def test_a_refused_action_leaves_no_entry(ctx, catalogue) -> None:
    sale = factory.sale(ctx, [("LATTE", 1)])
    with pytest.raises(PermissionDenied):
        refunds.refund(ctx, refunds.RefundRequest(factory.key(), sale.txn_id, "nobody"))
    assert audit_listing.entries() == []


def _three_entries(ctx) -> None:
    for i in range(3):
        with write_transaction():
            audit.record(ctx, "test", f"s{i}", after={"i": i}, reason="r")


def test_check_finds_an_edited_entry(ctx) -> None:
    _three_entries(ctx)
    assert audit.verify() == []
    with intruder.bypassing_triggers():
        m.AuditEntry.update(reason="nothing to see").where(m.AuditEntry.seq == 2).execute()
    changed = ("audit log: entry 2 was changed after it was written, or forged (its "
               "signature does not match the log's key)")
    assert audit.verify() == [changed]
    assert changed in integrity.check()


def test_check_finds_a_deleted_or_forged_entry(ctx) -> None:
    _three_entries(ctx)
    with intruder.bypassing_triggers():
        m.AuditEntry.delete().where(m.AuditEntry.seq == 2).execute()
    assert audit.verify() == [
        "audit log: entries 2..2 are missing",
        "audit log: entry 3 does not follow the entry before it",
        "audit log: it ends at entry 3 (2 entries), but the head file recorded entry 3 "
        "(3 entries): entries were deleted"]
    with write_transaction():
        audit.record(ctx, "test", "s3")
    with intruder.bypassing_triggers():
        m.AuditEntry.update(hash="0" * 64).where(m.AuditEntry.seq == 1).execute()
    problems = audit.verify()
    assert "audit log: entry 1 was changed after it was written, or forged (its signature " \
           "does not match the log's key)" in problems
    assert "audit log: entry 3 does not follow the entry before it" in problems


# An intruder who has the database and knows the code, but not the key: every one of these
# passed ``check`` while the chain had no secret.

def _audit_lines(problems: list[str]) -> list[str]:
    return [p for p in problems if p.startswith("audit log:")]


def _cut_from(ctx, seq: int) -> list[str]:
    """Three entries, those from ``seq`` on deleted; what check says of the log."""
    _three_entries(ctx)
    with intruder.bypassing_triggers():
        m.AuditEntry.delete().where(m.AuditEntry.seq >= seq).execute()
    return _audit_lines(integrity.check())


def test_check_finds_the_last_entries_deleted(ctx) -> None:
    assert _cut_from(ctx, 2) == [
        "audit log: it ends at entry 1 (1 entries), but the head file recorded entry 3 "
        "(3 entries): entries were deleted from its end"]


def test_check_finds_every_entry_deleted(ctx) -> None:
    assert _cut_from(ctx, 1) == [
        "audit log: it ends at entry 0 (0 entries), but the head file recorded entry 3 "
        "(3 entries): entries were deleted from its end"]


def test_check_finds_an_entry_edited_and_the_chain_rehashed_after_it(ctx) -> None:
    _three_entries(ctx)
    with intruder.bypassing_triggers():
        m.AuditEntry.update(reason="nothing to see").where(m.AuditEntry.seq == 2).execute()
    intruder.rehash_from(2)
    problems = _audit_lines(integrity.check())
    assert "audit log: entry 2 was changed after it was written, or forged (its signature " \
           "does not match the log's key)" in problems
    assert "audit log: entry 3 was changed after it was written, or forged (its signature " \
           "does not match the log's key)" in problems


def test_check_finds_a_forged_entry_appended(ctx) -> None:
    _three_entries(ctx)
    with intruder.bypassing_triggers():
        seq = intruder.append_forged(ctx.now())
    assert _audit_lines(integrity.check()) == [
        f"audit log: entry {seq} was changed after it was written, or forged (its signature "
        "does not match the log's key)"]


def test_check_finds_a_refunds_amounts_edited(ctx, catalogue) -> None:
    manager = factory.manager(ctx)
    sale = factory.sale(ctx, [("LATTE", 2)], cash=5600)
    back = refunds.refund(ctx, refunds.RefundRequest(factory.key(), sale.txn_id, manager))
    assert integrity.check() == []
    # the refund said 56.00 cash back; the drawer was short by 55.00 less: make it 1.00
    with intruder.bypassing_triggers():
        m.Txn.update(total=-100, cash=-100).where(m.Txn.id == back.txn_id).execute()
        m.TxnLine.update(net=-100).where(m.TxnLine.txn == back.txn_id).execute()
    entry = m.AuditEntry.get(m.AuditEntry.action == "refund")
    problems = integrity.check()
    assert _audit_lines(problems) == [
        f"audit log: the amounts of refund {back.receipt_no} were changed after entry "
        f"{entry.seq} recorded them"]
    # PostgreSQL's intruder switched the running totals' triggers off as well: check says
    # that the day's kept total no longer adds up; SQLite's triggers kept it in step
    totals = [p for p in problems if p.startswith("running total")]
    assert len(totals) == (0 if is_sqlite() else 2)
    assert all("/refund:" in p for p in totals)


def test_check_finds_a_cash_outs_amounts_edited(ctx) -> None:
    manager = factory.manager(ctx)
    mb = factory.member(ctx)
    factory.top_up(ctx, mb.id, 10_000)
    out = accounts.cash_out(ctx, factory.key(), mb.id, manager, "moving away")
    with intruder.bypassing_triggers():
        m.Txn.update(total=-5000, cash=-5000).where(m.Txn.id == out.txn_id).execute()
    entry = m.AuditEntry.get(m.AuditEntry.action == "cash_out")
    assert _audit_lines(integrity.check()) == [
        f"audit log: the amounts of cash_out {out.receipt_no} were changed after entry "
        f"{entry.seq} recorded them"]


def test_check_finds_a_truncation_even_after_a_day_was_closed(ctx, clock) -> None:
    manager = factory.manager(ctx)  # entries 1 and 2
    with write_transaction():
        audit.record(ctx, "test", "the entry to hide")  # entry 3
    with intruder.bypassing_triggers():
        m.AuditEntry.delete().where(m.AuditEntry.seq == 3).execute()
    # the day is closed afterwards: its entry takes number 3, and the chain looks whole
    eod.close_day(ctx, clock.now.date(), manager)
    assert [e.seq for e in m.AuditEntry.select().order_by(m.AuditEntry.seq)] == [1, 2, 3]
    assert _audit_lines(integrity.check()) == [
        "audit log: entry 3 is not the one the head file recorded: the log was cut short "
        "at entry 3 and written again from there"]


def test_a_closed_day_keeps_the_head_and_check_compares_with_it(ctx, clock) -> None:
    manager = factory.manager(ctx)
    closed = eod.close_day(ctx, date(2026, 3, 10), manager)
    head = closed.closing.audit_head
    assert head is not None and (head.seq, head.count) == (3, 3)
    assert m.AuditEntry.get(m.AuditEntry.seq == 3).hash == head.hash
    assert eod.report(ctx, date(2026, 3, 10)).closing.audit_head == head
    # even without the head file (deleted with the rows), the closed day proves the cut
    with intruder.bypassing_triggers():
        m.AuditEntry.delete().where(m.AuditEntry.seq >= 2).execute()
    audit_files.head_file().unlink()
    assert _audit_lines(integrity.check()) == [
        "audit log: it ends at entry 1 (1 entries), but the closing of 2026-03-10 recorded "
        "entry 3 (3 entries): entries were deleted from its end"]


def test_the_z_report_prints_the_head(ctx) -> None:
    from terminal.reports.document import eod_document

    manager = factory.manager(ctx)
    closed = eod.close_day(ctx, date(2026, 3, 10), manager)
    head = closed.closing.audit_head
    notes = eod_document(closed).notes
    assert f"Audit log at closing: entry 3 of 3, {head.hash[:16]}" in notes
    assert f"审计日志（日结时）：第 3 条，共 3 条，{head.hash[:16]}" in \
        eod_document(closed, "zh_CN").notes
    # and on the receipt printer's paper
    from printers import layouts, paper
    from printers.print_jobs import PrintJob, document_for

    doc = document_for(PrintJob("report", paper.eod_layout(closed)), ctx.settings)
    printed = "\n".join(op.text for op in doc.ops if isinstance(op, layouts.Text))
    assert "entry 3 of 3" in printed and head.hash[:16] in printed


def test_the_key_and_the_head_live_apart_from_the_database(ctx, tmp_path) -> None:
    import base64
    import json
    import stat
    from pathlib import Path

    from terminal.core.config import data_dir
    from terminal.db.database import is_sqlite, proxy
    from terminal.services import backup

    _three_entries(ctx)
    key_file, head_file = audit_files.key_file(), audit_files.head_file()
    assert key_file.parent == head_file.parent and key_file.parent.parent == data_dir()
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(head_file.stat().st_mode) == 0o600
    last = m.AuditEntry.get(m.AuditEntry.seq == 3)
    assert json.loads(head_file.read_text()) == {"seq": 3, "hash": last.hash, "count": 3}
    key = base64.b64decode(json.loads(key_file.read_text())["key"])
    assert len(key) == 32
    if is_sqlite():  # neither the database nor its backups hold the key
        (tmp_path / "backups").mkdir()
        made = backup.backup(proxy.obj.database, tmp_path / "backups")
        for path in (Path(proxy.obj.database), made.path):
            assert key not in path.read_bytes()
            assert base64.b64encode(key) not in path.read_bytes()
        assert [p.name for p in made.path.parent.iterdir()] == [made.path.name]


def test_a_rolled_back_entry_leaves_the_head_alone(ctx) -> None:
    _three_entries(ctx)
    before = audit_files.head_file().read_text()
    with pytest.raises(RuntimeError), write_transaction():
        audit.record(ctx, "test", "never")
        raise RuntimeError("the action failed")
    assert audit_files.head_file().read_text() == before
    assert integrity.check() == []


def test_a_terminal_without_the_logs_key_refuses_to_sign(ctx) -> None:
    import base64
    import json
    import secrets

    _three_entries(ctx)
    path = audit_files.key_file()
    saved = path.read_bytes()
    path.unlink()  # a second terminal of a chain that was not given the key file
    with pytest.raises(audit.AuditKeyError, match=r"key file .* is missing on this terminal: "
                                                  r"copy it from"), write_transaction():
        audit.record(ctx, "test", "unsigned")
    assert m.AuditEntry.select().count() == 3 and not path.exists()
    assert _audit_lines(integrity.check()) == [
        f"audit log: the key file {path} is missing, so the entries' signatures cannot be "
        "checked: put back the copy kept apart from the backups"]
    # a key of its own would split the chain: refused as well
    path.write_text(json.dumps({"key": base64.b64encode(secrets.token_bytes(32)).decode(),
                                "legacy_through": 0}))
    with pytest.raises(audit.AuditKeyError, match="is not the key this log is signed with"), \
            write_transaction():
        audit.record(ctx, "test", "signed with another key")
    assert f"audit log: the key file {path} is not the key this log is signed with" in \
        integrity.check()
    path.write_bytes(saved)
    with write_transaction():
        audit.record(ctx, "test", "signed")
    assert integrity.check() == []
