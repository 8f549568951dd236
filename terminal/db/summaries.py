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
from datetime import date, datetime, timedelta
from typing import Any

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
    day: str  # the key that is a day: ``differences`` may add up some days alone
    # a condition on the source's rows ``src`` that an index answers, between two days
    # ({p} twice): a superset of the rows those days count
    day_range: str
    # ``FROM``-and-``WHERE`` of the source's rows ``src`` written since a moment ({p})
    since: str

    def key(self, kind: str, row: str, column: str | dict[str, str]) -> str:
        text = column if isinstance(column, str) else column[kind]
        return text.format(r=row) if "{r}" in text else f"{row}.{text}"


_CREATED = "src.created_at >= {p} AND src.created_at < {p}"
_SINCE = "{source} src WHERE src.created_at >= {p}"

SUMMARIES = (
    Summary("txn_day", "txn",
            keys=(("business_date", "business_date"), ("store_id", "store_id"),
                  ("terminal_id", "terminal_id"), ("kind", "kind")),
            count="txns",
            sums=("total", "tier_discount", "coupon_discount", "points_discount", "sv_bonus"),
            watched=("business_date", "store_id", "terminal_id", "kind", "total",
                     "tier_discount", "coupon_discount", "points_discount", "sv_bonus"),
            day="business_date",
            day_range="src.business_date >= {p} AND src.business_date < {p}", since=_SINCE),
    Summary("points_day", "points_entry",
            keys=(("day", {"sqlite": "substr({r}.created_at, 1, 10)",
                           "postgresql": "CAST({r}.created_at AS date)"}),
                  ("terminal_id", "terminal_id"), ("kind", "kind")),
            count="entries", sums=("delta",),
            watched=("created_at", "terminal_id", "kind", "delta"),
            day="day", day_range=_CREATED, since=_SINCE),
    # the points each debit took from batches, by the debit's day and the day the batch
    # expires: the economics' closed-out batches (redeemed or expired) without joining
    # every use. The debit's day is what the quick check recomputes: a day of redemptions
    # takes from batches expiring on a third of the next two years' days
    Summary("points_use_day", "points_use",
            keys=(("day", {
                "sqlite": "(SELECT substr(d.created_at, 1, 10) FROM points_entry d "
                          "WHERE d.id = {r}.entry_id)",
                "postgresql": "(SELECT CAST(d.created_at AS date) FROM points_entry d "
                              "WHERE d.id = {r}.entry_id)"}),
                  ("expiry_day", {
                "sqlite": "(SELECT substr(b.expires_at, 1, 10) FROM points_entry b "
                          "WHERE b.id = {r}.batch_id)",
                "postgresql": "(SELECT CAST(b.expires_at AS date) FROM points_entry b "
                              "WHERE b.id = {r}.batch_id)"}),
                  ("terminal_id", "(SELECT d.terminal_id FROM points_entry d "
                                  "WHERE d.id = {r}.entry_id)"),
                  ("kind", "(SELECT d.kind FROM points_entry d WHERE d.id = {r}.entry_id)")),
            count="uses", sums=("points",), watched=("entry_id", "batch_id", "points"),
            day="day",
            # uses are only inserted (a reversal adds negative ones) with their debit; the
            # debits of the days first (their created_at index), then their uses (entry_id's)
            day_range="src.entry_id IN (SELECT d.id FROM points_entry d "
                      "WHERE d.created_at >= {p} AND d.created_at < {p})",
            since="points_use src WHERE src.entry_id IN (SELECT d.id FROM points_entry d "
                  "WHERE d.created_at >= {p})"),
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


def _day_of(s: Summary, kind: str, row: str) -> str:
    return next(s.key(kind, row, expr) for column, expr in s.keys if column == s.day)


def _from_rows(s: Summary, kind: str, where: str = "") -> str:
    """The totals added up from the rows, in the total's columns (named as them, so that a
    table made of the answer has their names)."""
    keys = [s.key(kind, "src", expr) for _, expr in s.keys]
    names = [k for k, _ in s.keys]
    columns = [f"{expr} AS {name}" for expr, name in zip(keys, names, strict=True)]
    columns += [f"COUNT(*) AS {s.count}"] + [f"SUM(src.{c}) AS {c}" for c in s.sums]
    return (f"SELECT {', '.join(columns)} FROM {s.source} src {where}"
            f"GROUP BY {', '.join(keys)}")


def _compare(database: pw.Database, s: Summary, added: str, kept_where: str,
             params: tuple[object, ...], limit: int) -> list[tuple[str, list[Any]]]:
    """(what is wrong, rows): the kept totals the rows do not add up to, and the other way
    round."""
    kept = _kept(s, kept_where)
    return [("kept", database.execute_sql(
                f"{kept} EXCEPT SELECT * FROM {added} LIMIT {limit}", params).fetchall()),
            ("the rows add up to", database.execute_sql(
                f"SELECT * FROM {added} EXCEPT {kept} LIMIT {limit}", params).fetchall())]


def _kept(s: Summary, where: str = "") -> str:
    columns = [k for k, _ in s.keys] + [s.count, *s.sums]
    nonzero = " OR ".join(f"{c} <> 0" for c in (s.count, *s.sums))
    return f"SELECT {', '.join(columns)} FROM {s.table} WHERE ({nonzero}) {where}"


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


def touched_days(database: pw.Database, since: datetime) -> dict[str, list[date]]:
    """Per total, the days that rows created at ``since`` or later count in (a
    transaction's business day, a points entry's day)."""
    kind = _kind(database)
    out = {}
    for s in SUMMARIES:
        rows = s.since.format(source=s.source, p=database.param)
        # SQLite: "+" keeps the day's own index (txn_business_date) out of it: the planner
        # would walk all of that index for the DISTINCT instead of the few rows since
        plus = "+" if kind == "sqlite" else ""
        sql = f"SELECT DISTINCT {plus}{_day_of(s, kind, 'src')} FROM {rows}"
        found = database.execute_sql(sql, (_moment(since),)).fetchall()
        out[s.table] = sorted(v if isinstance(v, date) else date.fromisoformat(str(v)[:10])
                              for (v,) in found)
    return out


def _moment(value: datetime) -> str:
    """A time as both databases compare it with their columns (seconds: a bound rounded
    down takes a little more, never less)."""
    return value.strftime("%Y-%m-%d %H:%M:%S")


def differences(database: pw.Database, limit: int,
                days: dict[str, list[date]] | None = None) -> list[str]:
    """Each kept total that its rows do not add up to, as a line for ``check``. ``days``
    (``touched_days``): only these days of each total, every row of each (a total not
    named is not read)."""
    kind = _kind(database)
    problems = []
    for s in SUMMARIES:
        n_keys = len(s.keys)
        kept_where = rows_where = ""
        if days is not None:
            wanted = [d.isoformat() for d in days.get(s.table, [])]
            if not wanted:
                continue
            marks = ", ".join([database.param] * len(wanted))
            kept_where = f"AND {s.day} IN ({marks})"
            # the range lets the source's index find the rows; the key picks the days
            rows_where = (f"WHERE {s.day_range.format(p=database.param)} "
                          f"AND {_day_of(s, kind, 'src')} IN ({marks}) ")
            bounds = (wanted[0], (date.fromisoformat(wanted[-1]) + timedelta(days=1)
                                  ).isoformat())
        # the rows added up once, into a temporary table both comparisons read: adding
        # them up is the slow part (a third of check at a million members)
        added = f"check_{s.table}"
        database.execute_sql(f"DROP TABLE IF EXISTS {added}")
        database.execute_sql(f"CREATE TEMPORARY TABLE {added} AS "
                             f"{_from_rows(s, kind, rows_where)}",
                             (*bounds, *wanted) if days else ())
        try:
            found = _compare(database, s, added, kept_where,
                             tuple(wanted) if days else (), limit)
        finally:
            database.execute_sql(f"DROP TABLE IF EXISTS {added}")
        for says, rows in found:
            for row in rows:
                key = "/".join(str(v) for v in row[:n_keys])
                figures = ", ".join(f"{c} {v}" for c, v in
                                    zip((s.count, *s.sums), row[n_keys:], strict=True))
                problems.append(f"running total {s.table} {key}: {says} {figures}")
    return problems[:limit]
