"""Bulk row writing: the columns of each table as its model declares them, rows made by
column name, and inserts on the raw DB-API cursor in one big transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import peewee

from ...db import models as m
from ...db.database import SQLITE_PRAGMAS, is_sqlite
from .world import SEGMENTS

# the tables the demo fills in bulk, in the order they are written
BULK_MODELS: tuple[type[m.BaseModel], ...] = (
    m.Member, m.Txn, m.TxnLine, m.Coupon, m.PointsEntry, m.PointsUse, m.StoredValueEntry,
    m.PunchCard, m.PunchEntry)
# values the demo makes already as the database stores them: ids as 32 hex digits (as
# UUIDField.db_value gives), times and dates as ISO text, whole numbers, text; any other
# field's value goes through its db_value
_AS_MADE = (peewee.UUIDField, peewee.ForeignKeyField, peewee.DateTimeField, peewee.DateField,
            peewee.IntegerField, peewee.CharField, peewee.TextField)
_REQUIRED = object()


class Table:
    """One bulk table as its model declares it: the columns in the model's order (an
    auto-increment id is left to the database), their positions, and ``row(**values)`` that
    makes a row by column name, the field's default (or NULL) where a value is left out."""

    def __init__(self, model: type[m.BaseModel]) -> None:
        meta = model._meta
        self.name: str = meta.table_name
        self.fields = tuple(f for f in meta.sorted_fields if not isinstance(f, peewee.AutoField))
        self.columns = tuple(f.column_name for f in self.fields)
        self.pos = {c: i for i, c in enumerate(self.columns)}
        self.converters = tuple((i, f.db_value) for i, f in enumerate(self.fields)
                                if not isinstance(f, _AS_MADE))
        self.row: Callable[..., tuple[Any, ...]] = _row_maker(self.name, self.fields)

    def stored(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The rows with every value as the field's db_value gives it."""
        if not self.converters:
            return rows
        out = []
        for r in rows:
            v = list(r)
            for i, conv in self.converters:
                v[i] = conv(v[i])
            out.append(tuple(v))
        return out


def _row_maker(table: str, fields: tuple[peewee.Field, ...]) -> Callable[..., tuple[Any, ...]]:
    """A function taking each column by keyword and returning the row as a tuple in column
    order, compiled once per table as collections.namedtuple does (millions of rows: a
    plain function call is several times faster than building a dict per row)."""
    defaults: dict[str, Any] = {}
    params = []
    for k, f in enumerate(fields):
        default = f.default
        if callable(default) or (default is None and not f.null):
            default = _REQUIRED
        if default is _REQUIRED:
            params.append(f.column_name)
        else:
            defaults[f"_d{k}"] = default
            params.append(f"{f.column_name}=_d{k}")
    names = ", ".join(f.column_name for f in fields)
    source = f"def row(*, {', '.join(params)}):\n    return ({names},)\n"
    namespace: dict[str, Any] = dict(defaults)
    exec(compile(source, f"<demo row of {table}>", "exec"), namespace)
    row: Callable[..., tuple[Any, ...]] = namespace["row"]
    return row


TABLES = {model._meta.table_name: Table(model)
          for model in BULK_MODELS}
MEMBER = TABLES["member"]
TXN = TABLES["txn"]
TXN_LINE = TABLES["txn_line"]
COUPON = TABLES["coupon"]
POINTS_ENTRY = TABLES["points_entry"]
POINTS_USE = TABLES["points_use"]
STORED_VALUE_ENTRY = TABLES["stored_value_entry"]
PUNCH_CARD = TABLES["punch_card"]
PUNCH_ENTRY = TABLES["punch_entry"]
BULK_TABLES = tuple(TABLES)
MEMBER_ONLY_TABLES = tuple(t for t in BULK_TABLES if t not in ("txn", "txn_line"))

Rows = dict[str, list[tuple[Any, ...]]]


SEQ_SPAN = 1_000_000


class Out:
    """Rows of one work unit, and what they add up to."""

    def __init__(self, chunk: int) -> None:
        self.rows: Rows = {t: [] for t in TABLES}
        self.txn = self.rows["txn"]
        self.lines = self.rows["txn_line"]
        self.points = self.rows["points_entry"]
        self.uses = self.rows["points_use"]
        self.sv = self.rows["stored_value_entry"]
        self.punches = self.rows["punch_entry"]
        # placeholder receipt numbers, renumbered at the end; txn.seq is a 32-bit integer
        # on PostgreSQL, so 2,147 work units of up to a million sales each at most
        self.seq = self.seq_start = chunk * SEQ_SPAN
        self.spend: list[int] = []
        self.segments = [0] * len(SEGMENTS)
        self.member_sales = self.anonymous_sales = self.refunds = self.top_ups = 0
        self.punch_visits = self.revenue = self.visits = 0
        self.points_issued = self.points_redeemed = self.points_expired = 0
        self.coupons_issued = self.coupons_redeemed = 0

    def next_seq(self) -> int:
        self.seq += 1
        if self.seq - self.seq_start >= SEQ_SPAN or self.seq >= 2**31:
            raise OverflowError("a demo work unit made more sales than its placeholder "
                                "receipt numbers hold")
        return -self.seq

    def stats(self) -> dict[str, int]:
        out = {k: v for k, v in vars(self).items()
               if isinstance(v, int) and k not in ("seq", "seq_start")}
        out.update({"segment_" + s: c for s, c in zip(SEGMENTS, self.segments, strict=True)})
        return out


class Writer:
    """Bulk inserts on the raw DB-API cursor, and what a bulk load needs around them."""

    def __init__(self, database: peewee.Database) -> None:
        self.db = database
        self.sqlite = is_sqlite(database)
        self.cursor = database.cursor()
        self.counts = {t: 0 for t in TABLES}
        self.dropped: list[tuple[str, str]] = []
        self.sql = {}
        for table, shape in TABLES.items():
            cols = shape.columns
            names = ", ".join(f'"{c}"' for c in cols)
            if self.sqlite:
                marks = ", ".join("?" * len(cols))
                self.sql[table] = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
            else:
                self.sql[table] = f'INSERT INTO "{table}" ({names}) VALUES %s'

    def write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        rows = TABLES[table].stored(rows)
        if self.sqlite:
            self.cursor.executemany(self.sql[table], rows)
        else:
            from psycopg2.extras import execute_values

            execute_values(self.cursor, self.sql[table], rows, page_size=2000)
        self.counts[table] += len(rows)

    def defer_foreign_keys(self, on: bool) -> None:
        """PostgreSQL: the bulk tables' foreign keys checked at the commit (``on``) or at
        each row again (as the schema makes them). Needs the tables' owner, as the load
        does."""
        if self.sqlite:
            return
        marks = ", ".join(["%s"] * len(BULK_TABLES))
        found = self.db.execute_sql(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            f"WHERE contype = 'f' AND conrelid::regclass::text IN ({marks})",
            BULK_TABLES).fetchall()
        how = "DEFERRABLE INITIALLY DEFERRED" if on else "NOT DEFERRABLE"
        for table, name in found:
            self.db.execute_sql(f'ALTER TABLE "{table}" ALTER CONSTRAINT "{name}" {how}')

    def drop_indexes(self) -> None:
        """SQLite builds an index faster at once than row by row: drop the secondary indexes
        now and recreate exactly the same ones (their SQL from sqlite_master) at the end."""
        if not self.sqlite:
            return
        marks = ", ".join("?" * len(BULK_TABLES))
        self.dropped = list(self.db.execute_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) ORDER BY name", BULK_TABLES).fetchall())
        for name, _ in self.dropped:
            self.db.execute_sql(f'DROP INDEX "{name}"')

    def recreate_indexes(self, tables: tuple[str, ...] | None = None) -> int:
        """Rebuild the dropped indexes (of ``tables`` only, if given); how many."""
        todo = [(name, sql) for name, sql in self.dropped
                if tables is None or _index_table(sql) in tables]
        for _, sql in todo:
            self.db.execute_sql(sql)
        self.dropped = [d for d in self.dropped if d not in todo]
        return len(todo)

    def renumber(self) -> None:
        """Receipt numbers in time order per terminal (the rows were written per member)."""
        key = "rowid" if self.sqlite else "id"
        self.db.execute_sql(
            f"UPDATE txn SET seq = r.s FROM (SELECT {key} AS k, ROW_NUMBER() OVER "
            "(PARTITION BY terminal_id ORDER BY created_at, id) AS s FROM txn) AS r "
            f"WHERE txn.{key} = r.k")


def _index_table(sql: str) -> str:
    """The table a CREATE INDEX statement (as peewee writes them) is on."""
    return sql.split(" ON ", 1)[1].split("(", 1)[0].strip().strip('"')


def fast_sqlite(database: peewee.Database, on: bool, keep_journal: bool = False) -> None:
    """For the load: no fsync (a demo load that dies is simply rerun, into a fresh file), a
    rollback journal in memory instead of the WAL (a bulk load would write everything twice)
    and foreign keys checked by ``check`` afterwards; the settings are restored after."""
    if on:
        pragmas = {"foreign_keys": 0, "synchronous": 0, "journal_mode": "memory",
                   "secure_delete": 0, "cache_size": -400_000}
    else:
        pragmas = dict(SQLITE_PRAGMAS)
    if keep_journal:
        pragmas.pop("journal_mode", None)
    for key, value in pragmas.items():
        database.execute_sql(f"PRAGMA {key} = {value}")



