"""``check``: the database's own integrity and every invariant the ledgers promise.

``check_and_mark`` is the full check that, when it finds nothing, keeps a mark in ``meta``
(``clean_check``: the moment taken before it began reading, the audit head it verified,
the schema version). ``quick_check`` (``check --quick``) then checks only what may have
changed since that mark, in seconds on a million members:

* every rule below, over the rows that changed: the members with a transaction or a
  ledger row (points, stored value, punch) created since, members created since, members
  and transactions named by an audit entry written since (a merge, an adjustment); the
  transactions created since, their originals and every reversal of those; the coupons
  created since, redeemed by those transactions or named by them; the sales with a
  coupon code those transactions used. Each rule names the tables it reads in braces:
  the full check reads each whole, the quick one the rows in ``SCOPES``, complete per
  member, per transaction and per coupon code, so that a restricted rule never finds
  what the full one would not. The terminals' receipt counters are read whole (``WHOLE``);
* the running totals of the days those rows count in, added up again from all of each
  day's rows (``summaries.differences`` with ``days``);
* the audit chain from the entry the mark names (read again) onward, and every head;
* on SQLite, ``PRAGMA quick_check`` when the file is at most ``QUICK_CHECK_BYTES`` (it
  reads every page: 8 s or more for a 6.8 GB file); a larger file's pages are left to the
  full check, and the answer says so. ``foreign_key_check`` reads every row: left to the
  full check (SQLite enforces the keys as rows are written, ``foreign_keys`` is on).

"Since" is ``SLACK`` before the mark's moment: a sale that took its time before the full
check began but committed after the full check read its table, and a terminal whose clock
is a little behind, are counted as changed. What the quick check does not see: an edit
made behind the program's back to a row older than the mark of a member, transaction or
day that nothing has touched since, and an old audit entry edited. The answer names how
many members, transactions, days and entries it checked and the mark's time, and never
claims more; the full check (still complete) finds the rest. A quick check never moves
the mark; with no mark (or one of another schema version) it runs the full check and says
so.
"""

from __future__ import annotations

import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import peewee as pw

from ..core.i18n import Phrase
from ..db import models as m
from ..db import summaries
from ..db.database import is_sqlite, proxy
from ..db.migrations import SCHEMA_VERSION, current_version
from . import audit, import_batches

if TYPE_CHECKING:
    from .context import Context

LIMIT = 50  # violations listed per rule
MARK_KEY = "clean_check"  # meta: the last full check that found nothing
SLACK = timedelta(minutes=15)
QUICK_CHECK_BYTES = 1 << 30  # PRAGMA quick_check: about 1.2 s a GB when the file is cached

# (rule, SQL returning one row per violation: an identifier and a description); a table
# in braces is whole in the full check and its changed rows in the quick one (SCOPES)
RULES: list[tuple[str, str]] = [
    ("points balance equals its ledger", """
        SELECT mb.card_no, mb.points_balance, COALESCE(s.total, 0)
        FROM {member} mb LEFT JOIN (SELECT member_id, SUM(delta) AS total FROM {points_entry} x
                                  GROUP BY member_id) s ON s.member_id = mb.id
        WHERE mb.points_balance <> COALESCE(s.total, 0)"""),
    ("points batches hold the balance", """
        SELECT mb.card_no, mb.points_balance, COALESCE(s.total, 0)
        FROM {member} mb LEFT JOIN (SELECT member_id, SUM(remaining) AS total FROM {points_entry} x
                                  GROUP BY member_id) s ON s.member_id = mb.id
        WHERE mb.points_balance <> COALESCE(s.total, 0)"""),
    ("every points debit names the batches it used", """
        SELECT e.id, e.delta, COALESCE(u.total, 0) FROM {points_entry} e
        LEFT JOIN (SELECT entry_id, SUM(points) AS total FROM {points_use} x
                   GROUP BY entry_id) u
               ON u.entry_id = e.id
        WHERE (e.delta < 0 OR e.reverses_id IS NOT NULL) AND -e.delta <> COALESCE(u.total, 0)"""),
    ("stored value balance equals its ledger", """
        SELECT mb.card_no,
               CAST(mb.sv_paid_balance AS TEXT) || '/' || CAST(mb.sv_bonus_balance AS TEXT),
               CAST(COALESCE(s.paid, 0) AS TEXT) || '/' || CAST(COALESCE(s.bonus, 0) AS TEXT)
        FROM {member} mb LEFT JOIN (SELECT member_id, SUM(delta_paid) AS paid,
                                         SUM(delta_bonus) AS bonus
                                  FROM {stored_value_entry} x GROUP BY member_id) s
               ON s.member_id = mb.id
        WHERE mb.sv_paid_balance <> COALESCE(s.paid, 0)
           OR mb.sv_bonus_balance <> COALESCE(s.bonus, 0)"""),
    ("punch visits equal their ledger", """
        SELECT c.id, c.visits_left, COALESCE(s.total, 0)
        FROM {punch_card} c LEFT JOIN (SELECT card_id, SUM(delta) AS total FROM {punch_entry} x
                                     GROUP BY card_id) s ON s.card_id = c.id
        WHERE c.visits_left <> COALESCE(s.total, 0)"""),
    ("no negative balance", """
        SELECT card_no, points_balance,
               CAST(sv_paid_balance AS TEXT) || '/' || CAST(sv_bonus_balance AS TEXT)
        FROM {member} x
        WHERE points_balance < 0 OR sv_paid_balance < 0 OR sv_bonus_balance < 0
        UNION ALL SELECT CAST(id AS TEXT), visits_left, 'punch' FROM {punch_card} x
        WHERE visits_left < 0
        UNION ALL SELECT CAST(id AS TEXT), remaining, 'batch' FROM {points_entry} x
        WHERE remaining < 0 OR (remaining > 0 AND remaining > delta)"""),
    ("no coupon used twice", """
        SELECT coupon_code, COUNT(*), 'sales' FROM {coupon_use} x
        WHERE coupon_code IS NOT NULL AND kind = 'sale' AND status = 'completed'
        GROUP BY coupon_code HAVING COUNT(*) > 1"""),
    ("a redeemed coupon names its sale", """
        SELECT code, status, redeemed_txn_id FROM {coupon} x
        WHERE (status = 'redeemed') <> (redeemed_txn_id IS NOT NULL)"""),
    ("sale lines add up to the total", """
        SELECT CAST(t.seq AS TEXT) || '@' || t.terminal_id, t.total, COALESCE(s.total, 0)
        FROM {txn} t
        LEFT JOIN (SELECT txn_id, SUM(net) AS total FROM {txn_line} x GROUP BY txn_id) s
               ON s.txn_id = t.id
        WHERE t.kind = 'sale' AND t.total <> COALESCE(s.total, 0)"""),
    ("no line returned more than it sold", """
        SELECT CAST(t.seq AS TEXT) || '@' || t.terminal_id || ' line ' || CAST(l.line_no AS TEXT),
               CAST(r.qty AS TEXT) || ' returned for ' || CAST(r.net AS TEXT),
               'at most ' || CAST(l.qty AS TEXT) || ' for ' || CAST(l.net AS TEXT)
        FROM {txn_line} l JOIN {txn} t ON t.id = l.txn_id
        JOIN (SELECT original_line_id, -SUM(qty) AS qty, -SUM(net) AS net FROM {txn_line} x
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
        FROM {txn} t JOIN (SELECT original_id, -SUM(total) AS total, -SUM(stored_value) AS sv,
                                -SUM(cash) AS cash, -SUM(card) AS card, -SUM(other) AS other,
                                -SUM(points_earned) AS earned,
                                -SUM(points_redeemed) AS redeemed
                         FROM {txn} x WHERE kind IN ('refund', 'void') GROUP BY original_id) r
          ON r.original_id = t.id
        WHERE r.total > t.total OR r.sv > t.stored_value OR r.cash > t.cash
           OR r.card > t.card OR r.other > t.other OR r.earned > t.points_earned
           OR r.redeemed > t.points_redeemed"""),
    ("a voided sale has its void and nothing else", """
        SELECT CAST(t.seq AS TEXT) || '@' || t.terminal_id,
               CAST(SUM(CASE WHEN r.kind = 'void' THEN 1 ELSE 0 END) AS TEXT) || ' voids, '
               || CAST(SUM(CASE WHEN r.kind = 'void' THEN 0 ELSE 1 END) AS TEXT) || ' refunds',
               '1 void'
        FROM {txn} t JOIN {txn} r ON r.original_id = t.id AND r.kind IN ('refund', 'void')
        GROUP BY t.id, t.seq, t.terminal_id
        HAVING SUM(CASE WHEN r.kind = 'void' THEN 1 ELSE 0 END) > 0 AND COUNT(*) > 1"""),
    ("a top-up is reversed at most once, by its own amount", """
        SELECT CAST(t.seq AS TEXT) || '@' || t.terminal_id,
               CAST(COUNT(*) AS TEXT) || ' reversals of ' || CAST(-SUM(r.total) AS TEXT)
               || ' + bonus ' || CAST(-SUM(r.sv_bonus) AS TEXT),
               'one of ' || CAST(MAX(t.total) AS TEXT) || ' + bonus '
               || CAST(MAX(t.sv_bonus) AS TEXT)
        FROM {txn} t JOIN {txn} r ON r.original_id = t.id
        WHERE t.kind = 'topup'
        GROUP BY t.id, t.seq, t.terminal_id
        HAVING COUNT(*) > 1 OR SUM(CASE WHEN r.kind = 'topup_reversal' THEN 0 ELSE 1 END) > 0
            OR -SUM(r.total) <> MAX(t.total) OR -SUM(r.sv_bonus) <> MAX(t.sv_bonus)"""),
    ("tenders pay the total", """
        SELECT CAST(seq AS TEXT) || '@' || terminal_id, total,
               stored_value + cash + card + other FROM {txn} x
        WHERE kind IN ('sale', 'refund', 'void', 'topup', 'topup_reversal', 'cash_out')
          AND total <> stored_value + cash + card + other"""),
    ("a terminal's receipt counter is at or past its last receipt number", """
        SELECT terminal_id, last_seq, top FROM (
            SELECT c.terminal_id, c.last_seq, (SELECT MAX(t.seq) FROM txn t
                                               WHERE t.terminal_id = c.terminal_id) AS top
            FROM terminal_counter c) s
        WHERE last_seq < top"""),
]


# the rows of a table the quick check reads for a rule, from the changed members
# (qc_member), transactions (qc_txn: those created since, their originals, the reversals
# of both) and coupons (qc_coupon): every row of such a member, transaction or card
SCOPES: dict[str, tuple[str, str]] = {
    "member": ("member", "id IN (SELECT id FROM qc_member)"),
    "points_entry": ("points_entry", "member_id IN (SELECT id FROM qc_member)"),
    "points_use": ("points_use", "entry_id IN (SELECT id FROM points_entry "
                                 "WHERE member_id IN (SELECT id FROM qc_member))"),
    "stored_value_entry": ("stored_value_entry", "member_id IN (SELECT id FROM qc_member)"),
    "punch_card": ("punch_card", "member_id IN (SELECT id FROM qc_member)"),
    "punch_entry": ("punch_entry", "card_id IN (SELECT id FROM punch_card "
                                   "WHERE member_id IN (SELECT id FROM qc_member))"),
    "txn": ("txn", "id IN (SELECT id FROM qc_txn)"),
    "txn_line": ("txn_line", "txn_id IN (SELECT id FROM qc_txn)"),
    # every sale with a coupon code a changed transaction used (index txn_coupon_code)
    "coupon_use": ("txn", "coupon_code IN (SELECT coupon_code FROM txn "
                          "WHERE id IN (SELECT id FROM qc_txn) AND coupon_code IS NOT NULL)"),
    "coupon": ("coupon", "id IN (SELECT id FROM qc_coupon)"),
}
# rules the quick check runs on whole tables (quick enough through their indexes)
WHOLE = {"a terminal's receipt counter is at or past its last receipt number"}


def rule_sql(sql: str, *, quick: bool) -> str:
    """A rule's SQL for the full check (``quick`` false: every table whole) or the quick one.
    SQLite: ``LIMIT -1`` (no limit) keeps the planner from flattening the changed rows into
    the rule (SQLite's query flattener, rule 19), where it took the index on a rule's
    condition (``txn_kind``: millions of sales) over the few changed keys."""
    cap = " LIMIT -1" if is_sqlite() else ""
    return sql.format(**{name: f"(SELECT * FROM {table} WHERE {where}{cap})" if quick else table
                         for name, (table, where) in SCOPES.items()})


def _rules(quick: bool) -> list[str]:
    problems: list[str] = []
    for rule, sql in RULES:
        rows = proxy.execute_sql(rule_sql(sql, quick=quick) + f" LIMIT {LIMIT}").fetchall()
        problems += [f"{rule}: {r[0]} has {r[1]}, expected {r[2]}" for r in rows]
    return problems


def check(*, with_head_file: bool = True, now: datetime | None = None) -> list[str]:
    """Every violation found, as lines a person can read; empty when all is well. A copy of
    the database (a backup) is checked ``with_head_file=False``: it may well be older than
    the audit log's head kept outside the database. ``now`` (default: the clock's) tells a
    killed import from one still being written."""
    return _full(with_head_file, now or datetime.now())[0]


def _integrity_check(path: str) -> list[str]:
    """SQLite's ``PRAGMA integrity_check`` on a connection of its own (read-only)."""
    connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                                 check_same_thread=False)
    try:
        return [r[0] for r in connection.execute("PRAGMA integrity_check").fetchall()]
    finally:
        connection.close()


def _full(with_head_file: bool, now: datetime) -> tuple[list[str], audit.Head | None]:
    """The whole check. On SQLite, ``integrity_check`` (every page: about 75 s for a
    6.8 GB file) runs on a second connection in a thread while this one checks the rest
    (about as long again): the sqlite3 module lets go of the GIL inside SQLite, so on two
    cores the check takes the longer of the two, not their sum."""
    db = proxy
    path = db.obj.database if is_sqlite() else None
    pages = None
    with ThreadPoolExecutor(1, thread_name_prefix="integrity-check") as pool:
        if path and path != ":memory:":
            pages = pool.submit(_integrity_check, path)
        try:
            problems, head = _rest(with_head_file, now)
        except pw.DatabaseError:
            if pages is None or pages.result() == ["ok"]:
                raise
            problems, head = [], None  # a damaged file: its pages say why, below
        result = pages.result() if pages is not None else None
    if path == ":memory:":
        result = [r[0] for r in db.execute_sql("PRAGMA integrity_check").fetchall()]
    if result is not None and result != ["ok"]:
        # a damaged file: what the other queries found on its pages does not count
        return [f"integrity_check: {r}" for r in result[:LIMIT]], None
    return problems, head


def _rest(with_head_file: bool, now: datetime) -> tuple[list[str], audit.Head | None]:
    db = proxy
    problems: list[str] = []
    if is_sqlite():
        for row in db.execute_sql("PRAGMA foreign_key_check").fetchall()[:LIMIT]:
            problems.append(f"foreign key: table {row[0]} rowid {row[1]} -> {row[2]}")
    version = current_version(db.obj)
    if version != SCHEMA_VERSION:
        problems.append(f"schema version {version}, expected {SCHEMA_VERSION}")
    problems += _rules(quick=False)
    problems += import_batches.problems(now)
    problems += summaries.differences(db.obj, LIMIT)
    verified = audit.verify_chain(with_head_file=with_head_file)
    problems += verified.problems[:LIMIT]
    return problems, verified.head


@dataclass(frozen=True)
class Mark:
    """The last full check that found nothing."""

    started_at: datetime  # taken before it read anything
    audit: audit.Head  # the last entry it verified
    schema_version: int

    def to_json(self) -> str:
        return json.dumps({"started_at": self.started_at.isoformat(),
                           "audit": json.loads(self.audit.to_json()),
                           "schema_version": self.schema_version})

    @classmethod
    def from_json(cls, text: str) -> Mark:
        data = json.loads(text)
        return cls(datetime.fromisoformat(data["started_at"]),
                   audit.Head.from_json(json.dumps(data["audit"])), int(data["schema_version"]))


def read_mark() -> Mark | None:
    """The clean check's mark; None if there is none (or it cannot be read)."""
    row = m.Meta.get_or_none(m.Meta.key == MARK_KEY)
    try:
        return Mark.from_json(row.value) if row is not None else None
    except (ValueError, KeyError, TypeError):
        return None


def check_and_mark(ctx: Context, *, with_head_file: bool = True) -> list[str]:
    """``check``; when it finds nothing, the mark ``quick_check`` starts from moves to the
    moment taken before it began (a check that finds problems leaves the mark where it
    was: the quick check then still covers what changed since the last clean one)."""
    started = ctx.now()
    problems, head = _full(with_head_file, ctx.now())
    if not problems and head is not None:
        value = Mark(started, head, SCHEMA_VERSION).to_json()
        m.Meta.insert(key=MARK_KEY, value=value).on_conflict(
            conflict_target=[m.Meta.key], update={m.Meta.value: value}).execute()
    return problems


@dataclass(frozen=True)
class Scope:
    """What a quick check read again."""

    mark: Mark
    members: int
    transactions: int
    days: int  # days of running totals added up again
    audit_entries: int
    pages: bool | None  # PRAGMA quick_check ran (None: not SQLite)
    size: int  # the file's bytes (SQLite)

    def phrase(self, problems: int) -> Phrase:
        verdict = Phrase("ok") if not problems else Phrase(
            "{n} violation", plural="{n} violations", n=problems)
        return Phrase(
            "check --quick: since the clean check of {when}: members {members}, transactions "
            "{transactions}, days of totals {days}, audit entries {entries}{pages}: {verdict}",
            when=self.mark.started_at.strftime("%Y-%m-%d %H:%M"), members=f"{self.members:,}",
            transactions=f"{self.transactions:,}", days=f"{self.days:,}",
            entries=f"{self.audit_entries:,}",
            pages=Phrase(", the file's pages") if self.pages else "", verdict=verdict)

    def pages_note(self) -> Phrase | None:
        if self.pages is not False:
            return None
        return Phrase("check --quick: the file holds {size} MB: its pages (PRAGMA quick_check, "
                      "which reads them all) are left to the full check",
                      size=f"{self.size // (1 << 20):,}")


@dataclass(frozen=True)
class QuickCheck:
    problems: list[str]
    scope: Scope | None  # None: there was no usable mark, the whole database was checked
    note: str  # why the whole database was checked ("" when it was not)


def quick_check(ctx: Context, *, with_head_file: bool = True) -> QuickCheck:
    """What changed since the last clean check, checked again (the module's docstring says
    what that covers); the full check, saying so, if there is no mark to start from."""
    mark = read_mark()
    if mark is None or mark.schema_version != SCHEMA_VERSION:
        note = Phrase("check --quick: no clean check recorded yet: checking the whole database"
                      ) if mark is None else Phrase(
            "check --quick: the last clean check ran on schema version {version}: checking "
            "the whole database", version=mark.schema_version)
        return QuickCheck(check_and_mark(ctx, with_head_file=with_head_file), None, note)
    db = proxy
    problems: list[str] = []
    pages: bool | None = None
    size = 0
    if is_sqlite():
        size = (db.execute_sql("PRAGMA page_count").fetchone()[0]
                * db.execute_sql("PRAGMA page_size").fetchone()[0])
        pages = size <= QUICK_CHECK_BYTES
        if pages:
            result = [r[0] for r in db.execute_sql("PRAGMA quick_check").fetchall()]
            if result != ["ok"]:
                return QuickCheck([f"quick_check: {r}" for r in result[:LIMIT]],
                                  Scope(mark, 0, 0, 0, 0, pages, size), "")
    version = current_version(db.obj)
    if version != SCHEMA_VERSION:
        problems.append(f"schema version {version}, expected {SCHEMA_VERSION}")
    since = mark.started_at - SLACK
    members, transactions = _changed(since, mark.audit.seq)
    try:
        problems += _rules(quick=True)
    finally:
        for table in ("qc_member", "qc_txn", "qc_coupon"):
            db.execute_sql(f"DROP TABLE IF EXISTS {table}")
    problems += import_batches.problems(ctx.now())
    days = summaries.touched_days(db.obj, since)
    problems += summaries.differences(db.obj, LIMIT, days)
    verified = audit.verify_chain(with_head_file=with_head_file, since=mark.audit)
    problems += verified.problems[:LIMIT]
    touched = len({d for found in days.values() for d in found})
    return QuickCheck(problems, Scope(mark, members, transactions, touched, verified.entries,
                                      pages, size), "")


def _changed(since: datetime, audit_seq: int) -> tuple[int, int]:
    """The temporary tables of what changed (``SCOPES``); how many members and
    transactions they hold."""
    db = proxy
    param = db.obj.param
    moment = since.strftime("%Y-%m-%d %H:%M:%S")  # rounded down: a little more, never less
    for table in ("qc_member", "qc_txn", "qc_coupon"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
    # the transactions created since, or named by an audit entry since; their originals;
    # the reversals of both
    db.execute_sql(
        "CREATE TEMPORARY TABLE qc_new AS "
        f"SELECT id FROM txn WHERE created_at >= {param} "
        f"UNION SELECT txn_id FROM audit_entry WHERE seq > {param} AND txn_id IS NOT NULL",
        (moment, audit_seq))
    db.execute_sql(
        "CREATE TEMPORARY TABLE qc_txn AS SELECT id FROM qc_new "
        "UNION SELECT t.original_id FROM txn t WHERE t.id IN (SELECT id FROM qc_new) "
        "AND t.original_id IS NOT NULL")
    db.execute_sql("INSERT INTO qc_txn SELECT r.id FROM txn r WHERE r.original_id IN "
                   "(SELECT id FROM qc_txn) AND r.id NOT IN (SELECT id FROM qc_txn)")
    db.execute_sql("DROP TABLE qc_new")
    named = (f"SELECT subject FROM audit_entry WHERE seq > {param} AND subject <> ''")
    db.execute_sql(
        "CREATE TEMPORARY TABLE qc_member AS "
        f"SELECT member_id AS id FROM points_entry WHERE created_at >= {param} "
        f"UNION SELECT member_id FROM stored_value_entry WHERE created_at >= {param} "
        f"UNION SELECT member_id FROM punch_entry WHERE created_at >= {param} "
        f"UNION SELECT member_id FROM txn WHERE id IN (SELECT id FROM qc_txn) "
        "AND member_id IS NOT NULL "
        f"UNION SELECT id FROM member WHERE created_at >= {param} "
        f"UNION SELECT id FROM member WHERE card_no IN ({named})", (moment,) * 4 + (audit_seq,))
    # a merged member: the one merged into a member named since
    db.execute_sql("INSERT INTO qc_member SELECT id FROM member WHERE merged_into_id IN "
                   "(SELECT id FROM qc_member) AND id NOT IN (SELECT id FROM qc_member)")
    db.execute_sql(
        "CREATE TEMPORARY TABLE qc_coupon AS "
        f"SELECT id FROM coupon WHERE created_at >= {param} "
        "UNION SELECT id FROM coupon WHERE redeemed_txn_id IN (SELECT id FROM qc_txn) "
        "UNION SELECT id FROM coupon WHERE code IN (SELECT coupon_code FROM txn "
        "WHERE id IN (SELECT id FROM qc_txn) AND coupon_code IS NOT NULL)", (moment,))
    if not is_sqlite():
        for table in ("qc_member", "qc_txn", "qc_coupon"):
            db.execute_sql(f"ANALYZE {table}")
    members = db.execute_sql("SELECT COUNT(*) FROM qc_member").fetchone()[0]
    transactions = db.execute_sql("SELECT COUNT(*) FROM qc_txn").fetchone()[0]
    return int(members), int(transactions)
