"""``check``: the database's own integrity and every invariant the ledgers promise."""

from __future__ import annotations

from ..db import summaries
from ..db.database import is_sqlite, proxy
from ..db.migrations import SCHEMA_VERSION, current_version
from . import audit

LIMIT = 50  # violations listed per rule

# (rule, SQL returning one row per violation: an identifier and a description)
RULES: list[tuple[str, str]] = [
    ("points balance equals its ledger", """
        SELECT mb.card_no, mb.points_balance, COALESCE(s.total, 0)
        FROM member mb LEFT JOIN (SELECT member_id, SUM(delta) AS total FROM points_entry
                                  GROUP BY member_id) s ON s.member_id = mb.id
        WHERE mb.points_balance <> COALESCE(s.total, 0)"""),
    ("points batches hold the balance", """
        SELECT mb.card_no, mb.points_balance, COALESCE(s.total, 0)
        FROM member mb LEFT JOIN (SELECT member_id, SUM(remaining) AS total FROM points_entry
                                  GROUP BY member_id) s ON s.member_id = mb.id
        WHERE mb.points_balance <> COALESCE(s.total, 0)"""),
    ("every points debit names the batches it used", """
        SELECT e.id, e.delta, COALESCE(u.total, 0) FROM points_entry e
        LEFT JOIN (SELECT entry_id, SUM(points) AS total FROM points_use GROUP BY entry_id) u
               ON u.entry_id = e.id
        WHERE (e.delta < 0 OR e.reverses_id IS NOT NULL) AND -e.delta <> COALESCE(u.total, 0)"""),
    ("stored value balance equals its ledger", """
        SELECT mb.card_no,
               CAST(mb.sv_paid_balance AS TEXT) || '/' || CAST(mb.sv_bonus_balance AS TEXT),
               CAST(COALESCE(s.paid, 0) AS TEXT) || '/' || CAST(COALESCE(s.bonus, 0) AS TEXT)
        FROM member mb LEFT JOIN (SELECT member_id, SUM(delta_paid) AS paid,
                                         SUM(delta_bonus) AS bonus
                                  FROM stored_value_entry GROUP BY member_id) s
               ON s.member_id = mb.id
        WHERE mb.sv_paid_balance <> COALESCE(s.paid, 0)
           OR mb.sv_bonus_balance <> COALESCE(s.bonus, 0)"""),
    ("punch visits equal their ledger", """
        SELECT c.id, c.visits_left, COALESCE(s.total, 0)
        FROM punch_card c LEFT JOIN (SELECT card_id, SUM(delta) AS total FROM punch_entry
                                     GROUP BY card_id) s ON s.card_id = c.id
        WHERE c.visits_left <> COALESCE(s.total, 0)"""),
    ("no negative balance", """
        SELECT card_no, points_balance,
               CAST(sv_paid_balance AS TEXT) || '/' || CAST(sv_bonus_balance AS TEXT) FROM member
        WHERE points_balance < 0 OR sv_paid_balance < 0 OR sv_bonus_balance < 0
        UNION ALL SELECT CAST(id AS TEXT), visits_left, 'punch' FROM punch_card
        WHERE visits_left < 0
        UNION ALL SELECT CAST(id AS TEXT), remaining, 'batch' FROM points_entry
        WHERE remaining < 0 OR (remaining > 0 AND remaining > delta)"""),
    ("no coupon used twice", """
        SELECT coupon_code, COUNT(*), 'sales' FROM txn
        WHERE coupon_code IS NOT NULL AND kind = 'sale' AND status = 'completed'
        GROUP BY coupon_code HAVING COUNT(*) > 1"""),
    ("a redeemed coupon names its sale", """
        SELECT code, status, redeemed_txn_id FROM coupon
        WHERE (status = 'redeemed') <> (redeemed_txn_id IS NOT NULL)"""),
    ("sale lines add up to the total", """
        SELECT CAST(t.seq AS TEXT) || '@' || t.terminal_id, t.total, COALESCE(s.total, 0) FROM txn t
        LEFT JOIN (SELECT txn_id, SUM(net) AS total FROM txn_line GROUP BY txn_id) s
               ON s.txn_id = t.id
        WHERE t.kind = 'sale' AND t.total <> COALESCE(s.total, 0)"""),
    ("no line returned more than it sold", """
        SELECT CAST(t.seq AS TEXT) || '@' || t.terminal_id || ' line ' || CAST(l.line_no AS TEXT),
               CAST(r.qty AS TEXT) || ' returned for ' || CAST(r.net AS TEXT),
               'at most ' || CAST(l.qty AS TEXT) || ' for ' || CAST(l.net AS TEXT)
        FROM txn_line l JOIN txn t ON t.id = l.txn_id
        JOIN (SELECT original_line_id, -SUM(qty) AS qty, -SUM(net) AS net FROM txn_line
              WHERE original_line_id IS NOT NULL GROUP BY original_line_id) r
          ON r.original_line_id = l.id
        WHERE r.qty > l.qty OR r.net > l.net"""),
    ("no sale paid back more than it took", """
        SELECT CAST(t.seq AS TEXT) || '@' || t.terminal_id,
               'returned ' || CAST(r.total AS TEXT) || ' (stored value ' || CAST(r.sv AS TEXT)
               || ', cash ' || CAST(r.cash AS TEXT) || ', card ' || CAST(r.card AS TEXT)
               || ', other ' || CAST(r.other AS TEXT) || '; points ' || CAST(r.earned AS TEXT)
               || ' taken back, ' || CAST(r.redeemed AS TEXT) || ' restored)',
               'at most ' || CAST(t.total AS TEXT) || ' (' || CAST(t.stored_value AS TEXT)
               || ', ' || CAST(t.cash AS TEXT) || ', ' || CAST(t.card AS TEXT) || ', '
               || CAST(t.other AS TEXT) || '; ' || CAST(t.points_earned AS TEXT) || ', '
               || CAST(t.points_redeemed AS TEXT) || ')'
        FROM txn t JOIN (SELECT original_id, -SUM(total) AS total, -SUM(stored_value) AS sv,
                                -SUM(cash) AS cash, -SUM(card) AS card, -SUM(other) AS other,
                                -SUM(points_earned) AS earned,
                                -SUM(points_redeemed) AS redeemed
                         FROM txn WHERE kind IN ('refund', 'void') GROUP BY original_id) r
          ON r.original_id = t.id
        WHERE r.total > t.total OR r.sv > t.stored_value OR r.cash > t.cash
           OR r.card > t.card OR r.other > t.other OR r.earned > t.points_earned
           OR r.redeemed > t.points_redeemed"""),
    ("a voided sale has its void and nothing else", """
        SELECT CAST(t.seq AS TEXT) || '@' || t.terminal_id,
               CAST(SUM(CASE WHEN r.kind = 'void' THEN 1 ELSE 0 END) AS TEXT) || ' voids, '
               || CAST(SUM(CASE WHEN r.kind = 'void' THEN 0 ELSE 1 END) AS TEXT) || ' refunds',
               '1 void'
        FROM txn t JOIN txn r ON r.original_id = t.id AND r.kind IN ('refund', 'void')
        GROUP BY t.id, t.seq, t.terminal_id
        HAVING SUM(CASE WHEN r.kind = 'void' THEN 1 ELSE 0 END) > 0 AND COUNT(*) > 1"""),
    ("a top-up is reversed at most once, by its own amount", """
        SELECT CAST(t.seq AS TEXT) || '@' || t.terminal_id,
               CAST(COUNT(*) AS TEXT) || ' reversals of ' || CAST(-SUM(r.total) AS TEXT)
               || ' + bonus ' || CAST(-SUM(r.sv_bonus) AS TEXT),
               'one of ' || CAST(MAX(t.total) AS TEXT) || ' + bonus '
               || CAST(MAX(t.sv_bonus) AS TEXT)
        FROM txn t JOIN txn r ON r.original_id = t.id
        WHERE t.kind = 'topup'
        GROUP BY t.id, t.seq, t.terminal_id
        HAVING COUNT(*) > 1 OR SUM(CASE WHEN r.kind = 'topup_reversal' THEN 0 ELSE 1 END) > 0
            OR -SUM(r.total) <> MAX(t.total) OR -SUM(r.sv_bonus) <> MAX(t.sv_bonus)"""),
    ("tenders pay the total", """
        SELECT CAST(seq AS TEXT) || '@' || terminal_id, total,
               stored_value + cash + card + other FROM txn
        WHERE kind IN ('sale', 'refund', 'void', 'topup', 'topup_reversal', 'cash_out')
          AND total <> stored_value + cash + card + other"""),
    ("a terminal's receipt counter is at or past its last receipt number", """
        SELECT c.terminal_id, c.last_seq, s.top FROM terminal_counter c
        JOIN (SELECT terminal_id, MAX(seq) AS top FROM txn GROUP BY terminal_id) s
          ON s.terminal_id = c.terminal_id
        WHERE c.last_seq < s.top"""),
]


def check(*, with_head_file: bool = True) -> list[str]:
    """Every violation found, as lines a person can read; empty when all is well. A copy of
    the database (a backup) is checked ``with_head_file=False``: it may well be older than
    the audit log's head kept outside the database."""
    db = proxy
    problems: list[str] = []
    if is_sqlite():
        result = [r[0] for r in db.execute_sql("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:  # a damaged file: the queries below may fail on its pages
            return [f"integrity_check: {r}" for r in result[:LIMIT]]
        for row in db.execute_sql("PRAGMA foreign_key_check").fetchall()[:LIMIT]:
            problems.append(f"foreign key: table {row[0]} rowid {row[1]} -> {row[2]}")
    version = current_version(db.obj)
    if version != SCHEMA_VERSION:
        problems.append(f"schema version {version}, expected {SCHEMA_VERSION}")
    for rule, sql in RULES:
        rows = db.execute_sql(sql + f" LIMIT {LIMIT}").fetchall()
        problems += [f"{rule}: {r[0]} has {r[1]}, expected {r[2]}" for r in rows]
    problems += summaries.differences(db.obj, LIMIT)
    problems += audit.verify(with_head_file=with_head_file)[:LIMIT]
    return problems
