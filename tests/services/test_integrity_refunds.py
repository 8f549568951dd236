"""``check`` finds money, points and goods paid back more than once: the database is
corrupted with SQL behind the services' back, as a double refund would leave it."""

from __future__ import annotations

import uuid

from terminal.db import models as m
from terminal.db.database import proxy
from terminal.loyalty.pricing import Tenders
from terminal.services import integrity, refunds
from terminal.services.refunds import RefundRequest
from tests.helpers import factory


def sql(statement: str, *params: object) -> None:
    """Run ``statement`` with ``?`` placeholders on either database."""
    proxy.execute_sql(statement.replace("?", proxy.obj.param), params)


def copy_txn(txn_id: object, kind: str | None = None) -> uuid.UUID:
    """A second copy of a transaction row and its lines: a refund recorded twice."""
    new_id = uuid.uuid4()
    fields = m.Txn._meta.sorted_fields
    select = ", ".join(
        "?" if f.name in ("id", "idempotency_key") or (kind and f.name == "kind")
        else "seq + 1000" if f.name == "seq" else f.column_name for f in fields)
    params: list[object] = []
    for f in fields:
        if f.name == "id":
            params.append(m.Txn.id.db_value(new_id))
        elif f.name == "idempotency_key":
            params.append(f"copy-{new_id.hex}")
        elif kind and f.name == "kind":
            params.append(kind)
    sql(f"INSERT INTO txn ({', '.join(f.column_name for f in fields)}) "
        f"SELECT {select} FROM txn WHERE id = ?", *params, m.Txn.id.db_value(txn_id))
    # an intruder who knows the receipt counter keeps it ahead of the copied number
    sql("UPDATE terminal_counter SET last_seq = last_seq + 1000")
    for line in m.TxnLine.select().where(m.TxnLine.txn == txn_id):
        cols = list(m.TxnLine._meta.sorted_fields)
        select = ", ".join("?" if f.name in ("id", "txn") else f.column_name for f in cols)
        line_params = [m.TxnLine.id.db_value(uuid.uuid4()) if f.name == "id"
                       else m.Txn.id.db_value(new_id) for f in cols if f.name in ("id", "txn")]
        sql(f"INSERT INTO txn_line ({', '.join(f.column_name for f in cols)}) "
            f"SELECT {select} FROM txn_line WHERE id = ?", *line_params,
            m.TxnLine.id.db_value(line.id))
    return new_id


def member_sale(ctx):
    mb = factory.member(ctx)
    factory.top_up(ctx, mb.id, 10_000)
    return factory.sale(ctx, [("LATTE", 2)], member_id=mb.id,
                        tenders=Tenders(stored_value=3000, cash=10_000))


def refund(ctx, txn_id, lines=None, void=False):
    return refunds.refund(ctx, RefundRequest(factory.key("refund"), txn_id,
                                             factory.manager(ctx), lines=lines, void=void))


def rules_broken() -> set[str]:
    return {p.split(":")[0] for p in integrity.check()}


def problem(rule: str) -> str:
    return next(p for p in integrity.check() if p.startswith(rule + ":"))


# the audit entry of a refund, void or reversal holds a hash of its money, so editing the
# amounts also breaks the audit log (tests/services/test_audit.py); these rules see it too
AMOUNTS_CHANGED = "audit log"


def test_a_refund_recorded_twice_is_reported(ctx, catalogue):
    sale = member_sale(ctx)
    back = refund(ctx, sale.txn_id)
    assert integrity.check() == []
    copy_txn(back.txn_id)
    problems = integrity.check()
    assert rules_broken() == {"no line returned more than it sold",
                              "no sale paid back more than it took"}
    assert any("4 returned for 11200" in p and "at most 2 for 5600" in p for p in problems)
    assert any(f"{m.Txn.get_by_id(sale.txn_id).seq}@T01" in p and "returned 11200" in p
               for p in problems)


def test_an_anonymous_sale_refunded_twice_is_reported(ctx, catalogue):
    sale = factory.sale(ctx, [("TEA", 3)], cash=10_000)
    back = refund(ctx, sale.txn_id, void=True)
    assert integrity.check() == []
    copy_txn(back.txn_id)
    assert rules_broken() == {"no line returned more than it sold",
                              "no sale paid back more than it took",
                              "a voided sale has its void and nothing else"}


def test_a_tender_paid_back_beyond_the_sale_is_reported(ctx, catalogue):
    """The total is right, the stored value given back is not: 56.00 of a sale that took
    30.00 of stored value (the rest in cash)."""
    sale = member_sale(ctx)
    back = refund(ctx, sale.txn_id)
    sql("UPDATE txn SET stored_value = stored_value + cash, cash = 0 WHERE id = ?",
        m.Txn.id.db_value(back.txn_id))
    assert rules_broken() == {"no sale paid back more than it took", AMOUNTS_CHANGED}
    found = problem("no sale paid back more than it took")
    assert "stored value 5600" in found and "at most 5600 (3000," in found


def test_a_quantity_returned_beyond_the_line_is_reported(ctx, catalogue):
    sale = factory.sale(ctx, [("LATTE", 2), ("TEA", 1)], cash=10_000)
    line = m.TxnLine.get((m.TxnLine.txn == sale.txn_id) & (m.TxnLine.sku == "LATTE"))
    back = refund(ctx, sale.txn_id, lines={str(line.id): 1})
    assert integrity.check() == []
    sql("UPDATE txn_line SET qty = qty - 2 WHERE txn_id = ?", m.Txn.id.db_value(back.txn_id))
    assert rules_broken() == {"no line returned more than it sold", AMOUNTS_CHANGED}
    assert "line 1 has 3 returned for 2800" in problem("no line returned more than it sold")


def test_a_top_up_reversed_twice_is_reported(ctx, catalogue):
    mb = factory.member(ctx)
    factory.top_up(ctx, mb.id, 50_000)
    topup = factory.top_up(ctx, mb.id, 10_000)
    back = refund(ctx, topup.txn_id)
    assert integrity.check() == []
    copy_txn(back.txn_id)
    problems = integrity.check()
    assert rules_broken() == {"a top-up is reversed at most once, by its own amount"}
    assert "2 reversals of 20000 + bonus 4000" in problems[0]


def test_a_top_up_reversal_larger_than_the_top_up_is_reported(ctx, catalogue):
    mb = factory.member(ctx)
    topup = factory.top_up(ctx, mb.id, 10_000)
    back = refund(ctx, topup.txn_id)
    sql("UPDATE txn SET total = total - 5000, cash = cash - 5000 WHERE id = ?",
        m.Txn.id.db_value(back.txn_id))
    assert rules_broken() == {"a top-up is reversed at most once, by its own amount",
                              AMOUNTS_CHANGED}


def test_a_void_beside_a_refund_is_reported(ctx, catalogue):
    sale = factory.sale(ctx, [("LATTE", 2)], cash=10_000)
    line = m.TxnLine.get(m.TxnLine.txn == sale.txn_id)
    back = refund(ctx, sale.txn_id, lines={str(line.id): 1})
    sql("UPDATE txn SET kind = 'void' WHERE id = ?", m.Txn.id.db_value(back.txn_id))
    # a void alone, even a partial one by hand, is no double (only its audit entry differs)
    assert rules_broken() == {AMOUNTS_CHANGED}
    copy_txn(back.txn_id, kind="refund")
    assert rules_broken() == {"a voided sale has its void and nothing else", AMOUNTS_CHANGED}


def test_partial_refunds_up_to_the_whole_and_a_void_pass(ctx, catalogue):
    sale = member_sale(ctx)
    lines = {ln.sku: ln for ln in m.TxnLine.select().where(m.TxnLine.txn == sale.txn_id)}
    refund(ctx, sale.txn_id, lines={str(lines["LATTE"].id): 1})
    refund(ctx, sale.txn_id, lines={str(lines["LATTE"].id): 1})
    voided = factory.sale(ctx, [("TEA", 2)], cash=10_000)
    refund(ctx, voided.txn_id, void=True)
    assert integrity.check() == []
