"""Running totals kept by the database itself, so reports read thousands of rows, not
millions: per business day, terminal and kind of transaction (``txn_day``), per day,
terminal and kind of points entry (``points_day``) and, for the points debits took from
batches, per day the batch expires and terminal and kind of the debit (``points_use_day``;
a batch's expiry and a debit's kind are never changed once written).

Triggers keep them in the same transaction as the row they count, on every path that
writes it (the counter, refunds, imports, the demo's bulk inserts, a hand-made SQL fix):
an insert adds the row, a delete takes it away, an update of a counted column does both.
The key holds the terminal, so two terminals never wait for each other on one total. On
PostgreSQL the trigger function runs as its owner (SECURITY DEFINER): the terminals' role
needs no right on the totals, and cannot edit them. ``check`` adds the totals up again
from their rows (``differences``).
"""

from __future__ import annotations

from dataclasses import dataclass

import peewee as pw


@dataclass(frozen=True)
class Summary:
    table: str
    source: str
    # (column, expression of a source row named {r}: per backend where they differ)
    keys: tuple[tuple[str, str | dict[str, str]], ...]
    count: str  # the column counting the rows
    sums: tuple[str, ...]  # columns summed: the same name in the source and the summary
    watched: tuple[str, ...]  # the source's columns the keys and sums read

    def key(self, kind: str, row: str, column: str | dict[str, str]) -> str:
        text = column if isinstance(column, str) else column[kind]
        return text.format(r=row) if "{r}" in text else f"{row}.{text}"


SUMMARIES = (
    Summary("txn_day", "txn",
            keys=(("business_date", "business_date"), ("store_id", "store_id"),
                  ("terminal_id", "terminal_id"), ("kind", "kind")),
            count="txns",
            sums=("total", "tier_discount", "coupon_discount", "points_discount", "sv_bonus"),
            watched=("business_date", "store_id", "terminal_id", "kind", "total",
                     "tier_discount", "coupon_discount", "points_discount", "sv_bonus")),
    Summary("points_day", "points_entry",
            keys=(("day", {"sqlite": "substr({r}.created_at, 1, 10)",
                           "postgresql": "CAST({r}.created_at AS date)"}),
                  ("terminal_id", "terminal_id"), ("kind", "kind")),
            count="entries", sums=("delta",),
            watched=("created_at", "terminal_id", "kind", "delta")),
    # the points each debit took from batches, by the day the batch expires: the
    # economics' closed-out batches (redeemed or expired) without joining every use
    Summary("points_use_day", "points_use",
            keys=(("expiry_day", {
                "sqlite": "(SELECT substr(b.expires_at, 1, 10) FROM points_entry b "
                          "WHERE b.id = {r}.batch_id)",
                "postgresql": "(SELECT CAST(b.expires_at AS date) FROM points_entry b "
                              "WHERE b.id = {r}.batch_id)"}),
                  ("terminal_id", "(SELECT d.terminal_id FROM points_entry d "
                                  "WHERE d.id = {r}.entry_id)"),
                  ("kind", "(SELECT d.kind FROM points_entry d WHERE d.id = {r}.entry_id)")),
            count="uses", sums=("points",), watched=("entry_id", "batch_id", "points")),
)


def _kind(database: pw.Database) -> str:
    return "postgresql" if isinstance(database, pw.PostgresqlDatabase) else "sqlite"


def _upsert(s: Summary, kind: str, row: str, sign: str) -> str:
    keys = [k for k, _ in s.keys]
    values = [s.key(kind, row, expr) for _, expr in s.keys]
    values += [f"{sign}1"] + [f"{sign}{row}.{c}" for c in s.sums]
    columns = [*keys, s.count, *s.sums]
    added = ", ".join(f"{c} = {s.table}.{c} + excluded.{c}" for c in (s.count, *s.sums))
    return (f"INSERT INTO {s.table} ({', '.join(columns)}) VALUES ({', '.join(values)}) "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added}")


def trigger_sql(database: pw.Database, *tables: str) -> list[str]:
    """The statements that make the triggers of every total (or of those of ``tables``)
    again: each drops its old self first."""
    kind = _kind(database)
    out: list[str] = []
    for s in SUMMARIES:
        if tables and s.table not in tables:
            continue
        watched = ", ".join(s.watched)
        if kind == "sqlite":
            for name, event, body in (
                    ("add", "INSERT", [_upsert(s, kind, "NEW", "")]),
                    ("remove", "DELETE", [_upsert(s, kind, "OLD", "-")]),
                    ("change", f"UPDATE OF {watched}",
                     [_upsert(s, kind, "OLD", "-"), _upsert(s, kind, "NEW", "")])):
                out.append(f"DROP TRIGGER IF EXISTS {s.table}_{name}")
                statements = "".join(f"{b}; " for b in body)
                out.append(f"CREATE TRIGGER {s.table}_{name} AFTER {event} ON {s.source} "
                           f"FOR EACH ROW BEGIN {statements}END")
        else:
            out.append(
                f"CREATE OR REPLACE FUNCTION {s.table}_keep() RETURNS trigger "
                "LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$ BEGIN "
                f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_upsert(s, kind, 'OLD', '-')}; "
                "END IF; "
                f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {_upsert(s, kind, 'NEW', '')}; "
                "END IF; RETURN NULL; END $$")
            out.append(f"DROP TRIGGER IF EXISTS {s.table}_keep ON {s.source}")
            out.append(f"CREATE TRIGGER {s.table}_keep AFTER INSERT OR DELETE OR UPDATE OF "
                       f"{watched} ON {s.source} FOR EACH ROW "
                       f"EXECUTE FUNCTION {s.table}_keep()")
    return out


def _from_rows(s: Summary, kind: str) -> str:
    keys = [s.key(kind, "src", expr) for _, expr in s.keys]
    sums = ", ".join(f"SUM(src.{c})" for c in s.sums)
    return (f"SELECT {', '.join(keys)}, COUNT(*), {sums} FROM {s.source} src "
            f"GROUP BY {', '.join(keys)}")


def _kept(s: Summary) -> str:
    columns = [k for k, _ in s.keys] + [s.count, *s.sums]
    nonzero = " OR ".join(f"{c} <> 0" for c in (s.count, *s.sums))
    return f"SELECT {', '.join(columns)} FROM {s.table} WHERE {nonzero}"


def fill_sql(database: pw.Database, *tables: str) -> list[str]:
    """Statements that set every total (or those of ``tables``) from its rows (the
    migration that adds them)."""
    kind = _kind(database)
    out = []
    for s in SUMMARIES:
        if tables and s.table not in tables:
            continue
        columns = [k for k, _ in s.keys] + [s.count, *s.sums]
        out.append(f"DELETE FROM {s.table}")
        out.append(f"INSERT INTO {s.table} ({', '.join(columns)}) {_from_rows(s, kind)}")
    return out


def differences(database: pw.Database, limit: int) -> list[str]:
    """Each kept total that its rows do not add up to, as a line for ``check``."""
    kind = _kind(database)
    problems = []
    for s in SUMMARIES:
        n_keys = len(s.keys)
        for says, sql in (("kept", f"{_kept(s)} EXCEPT {_from_rows(s, kind)}"),
                          ("the rows add up to", f"{_from_rows(s, kind)} EXCEPT {_kept(s)}")):
            for row in database.execute_sql(f"{sql} LIMIT {limit}").fetchall():
                key = "/".join(str(v) for v in row[:n_keys])
                figures = ", ".join(f"{c} {v}" for c, v in
                                    zip((s.count, *s.sums), row[n_keys:], strict=True))
                problems.append(f"running total {s.table} {key}: {says} {figures}")
    return problems[:limit]
