"""Benchmark: what the manager waits for (issue 14) — the Members tab's overview (computed
again, and the kept one shown as the tab opens), the programme's economics, birthdays this
week, points about to expire, one day's end-of-day figures, ``check`` and ``check --quick``
— each through its service, several runs, next to a raw SQL floor: the least the database
must do for the same answer, on the same connection."""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import peewee as pw

from ..db import models as m
from ..db.database import is_sqlite, proxy
from ..services import analytics, economics, eod_figures, integrity
from ..services.context import Context
from . import bench_import
from .bench import _masked, _say

Run = Callable[[], int]  # one timed call: how many rows its answer has


@dataclass(frozen=True)
class Operation:
    name: str
    label: str
    target_ms: float
    service: Run
    floor: Run | None  # raw SQL for the same answer, where there is one
    runs: int


def _rows(sql: str, *params: object) -> int:
    """Run raw SQL written with ``%s`` marks (SQLite's driver wants ``?``); its row count."""
    if is_sqlite():
        sql = sql.replace("%s", "?")
    return len(proxy.execute_sql(sql, params).fetchall())


def _day(value: date) -> str:
    return value.isoformat()


def _moment(value: datetime) -> str:
    """A time as SQLite keeps it (peewee's text) and PostgreSQL reads it."""
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _last_business_day() -> date | None:
    day = m.Txn.select(pw.fn.MAX(m.Txn.business_date)).scalar()
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return day


def operations(ctx: Context, *, runs: int, check_runs: int) -> list[Operation]:
    today, now = ctx.today(), ctx.now()
    sqlite = is_sqlite()
    year_ago = datetime.combine(today - timedelta(days=365), datetime.min.time())
    monday = today - timedelta(days=today.weekday())
    week = [m.Member.birthday_key_of(monday + timedelta(days=i)) for i in range(7)]
    month_of = ("substr(birthday, 6, 5)" if sqlite  # the expression member_birthdays keeps
                else "(EXTRACT(MONTH FROM birthday) * 100 + EXTRACT(DAY FROM birthday))")
    first_month = economics.month_starts(today, 12)[0]
    day = _last_business_day() or today

    def overview() -> int:  # computed again and kept, as Refresh and analyse-members do
        return analytics.compute_overview(ctx).overview.members

    def kept() -> int:  # what the tab shows as it opens
        found = analytics.kept_overview()
        return found.overview.members if found else 0

    def overview_floor() -> int:  # each live member with their year, as analytics reads it
        return _rows(
            "SELECT mb.id, mb.created_at, mb.last_visit_at, COALESCE(y.n, 0),"
            " COALESCE(y.spend, 0) FROM member mb LEFT JOIN (SELECT member_id,"
            " SUM(CASE WHEN kind IN ('sale', 'refund', 'void') THEN total ELSE 0 END) AS spend,"
            " SUM(CASE WHEN kind = 'sale' THEN 1 ELSE 0 END) AS n FROM txn"
            " WHERE member_id IS NOT NULL AND created_at >= %s GROUP BY member_id) y"
            " ON y.member_id = mb.id WHERE mb.erased_at IS NULL AND mb.merged_into_id IS NULL",
            _moment(year_ago))

    def economics_report() -> int:
        return len(economics.report(ctx, 12).months)

    def economics_floor() -> int:  # the running totals per day (db/summaries.py) the report reads
        return (_rows("SELECT kind, SUM(total), SUM(tier_discount), SUM(coupon_discount),"
                      " SUM(points_discount), SUM(sv_bonus) FROM txn_day"
                      " WHERE business_date >= %s GROUP BY kind", _day(first_month))
                + _rows("SELECT kind, SUM(delta) FROM points_day WHERE day >= %s"
                        " GROUP BY kind", _day(first_month)))

    def birthdays() -> int:
        return len(analytics.birthdays_this_week(ctx))

    def birthdays_floor() -> int:  # the same members' rows, in the list's order
        marks = ", ".join(["%s"] * len(week))
        return _rows(f"SELECT card_no, name, phone, birthday, marketing_consent FROM member"
                     f" WHERE birthday IS NOT NULL AND {month_of} IN ({marks})"
                     f" ORDER BY {month_of}, name", *week)

    def expiring() -> int:
        return len(analytics.expiring_soon(ctx, 30))

    def expiring_floor() -> int:
        return _rows("SELECT member_id, SUM(remaining) FROM points_entry WHERE remaining > 0"
                     " AND expires_at > %s AND expires_at <= %s GROUP BY member_id",
                     _moment(now), _moment(now + timedelta(days=30)))

    def eod() -> int:
        return eod_figures.compute(ctx, day).sales.count

    def eod_floor() -> int:
        return _rows("SELECT kind, COUNT(*), SUM(total), SUM(cash), SUM(card),"
                     " SUM(stored_value) FROM txn WHERE business_date = %s GROUP BY kind",
                     _day(day))

    def check() -> int:  # it keeps its clean mark, where check_quick starts
        return len(integrity.check_and_mark(ctx, with_head_file=False))

    def check_quick() -> int:  # without a mark (check skipped, none before): the whole check
        return len(integrity.quick_check(ctx, with_head_file=False).problems)

    def check_floor() -> int:
        return _rows("PRAGMA integrity_check")

    return [
        Operation("members_overview", "Members tab, computed again", 10_000, overview,
                  overview_floor, runs),
        Operation("members_tab_show", "Members tab, shown as it opens", 1000, kept, None,
                  runs),
        Operation("economics_12_months", "programme economics, 12 months", 1000,
                  economics_report, economics_floor, runs),
        Operation("birthdays_this_week", "birthdays this week", 50, birthdays,
                  birthdays_floor, runs),
        Operation("expiring_30_days", "points expiring within 30 days", 200, expiring,
                  expiring_floor, runs),
        Operation("eod_one_day", f"end-of-day figures of {day}", 100, eod, eod_floor, runs),
        Operation("check", "check, the whole database", 120_000, check,
                  check_floor if sqlite else None, check_runs),
        Operation("check_quick", "check --quick, since the clean check", 5000, check_quick,
                  None, check_runs),
    ]


def _timed(fn: Run, runs: int) -> tuple[list[float], int]:
    seconds, rows = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        rows = fn()
        seconds.append(time.perf_counter() - started)
    return seconds, rows


def _ms(seconds: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(seconds) * 1000, 2),
            "max_ms": round(max(seconds) * 1000, 2)}


def run(ctx: Context, url: str, *, runs: int, check_runs: int, as_json: bool,
        only: tuple[str, ...] = (), import_members: int = 0) -> int:
    """Time each manager operation ``runs`` times (``check`` and ``check_quick``
    ``check_runs`` times; 0 skips them) and print one line, or with ``as_json`` one
    object, per operation; with ``import_members``, an import of that many members too
    (``bench_import``: the checkouts another process makes meanwhile, their max against
    its target)."""
    if runs < 1 or check_runs < 0 or import_members < 0:
        print("bench: --runs must be at least 1, --check-runs and --import-members at "
              "least 0", file=sys.stderr)
        return 2
    members = m.Member.select().count()
    txns = m.Txn.select().count()
    ops = [op for op in operations(ctx, runs=runs, check_runs=check_runs)
           if op.runs and (not only or op.name in only)]
    if not ops and not import_members:
        print("bench: no operation to time", file=sys.stderr)
        return 2
    database = "sqlite" if is_sqlite() else "postgresql"
    _say(f"{database}: {members} members, {txns} transactions; the manager's operations, "
         f"{runs} runs each (check: {check_runs})")
    results: list[dict[str, Any]] = []
    for op in ops:
        _say(f"timing {op.label}")
        seconds, rows = _timed(op.service, op.runs)
        result: dict[str, Any] = {"operation": op.name, "label": op.label, **_ms(seconds),
                                  "rows": rows, "runs": op.runs, "target_ms": op.target_ms}
        result["pass"] = result["median_ms"] <= op.target_ms
        result["floor_median_ms"] = result["floor_max_ms"] = result["ratio"] = None
        if op.floor is not None:
            floor_seconds, _ = _timed(op.floor, op.runs)
            floor = _ms(floor_seconds)
            result["floor_median_ms"], result["floor_max_ms"] = (floor["median_ms"],
                                                                 floor["max_ms"])
            if floor["median_ms"]:
                result["ratio"] = round(result["median_ms"] / floor["median_ms"], 2)
        results.append(result)
    if import_members:
        try:
            found, _ = bench_import.measure(ctx, url, import_members)
        except bench_import.Failed as exc:
            print(f"bench: the import could not be timed: {exc}", file=sys.stderr)
            return 1
        results.append({
            "operation": "import_members", "stat": "max",
            "label": f"checkouts during an import of {import_members:,}",
            "median_ms": found["median_ms"], "max_ms": found["max_ms"], "rows": import_members,
            "runs": 1, "target_ms": found["target_ms"], "pass": found["pass"],
            "floor_median_ms": found["quiet_median_ms"], "floor_max_ms": found["quiet_max_ms"],
            "ratio": None, "import_s": found["import_s"], "checkouts": found["checkouts"]})
    if as_json:
        for result in results:
            print(json.dumps({"database": database, "url": _masked(url), "members": members,
                              "transactions": txns, **result}))
        return 0
    print(f"bench --reports: {database} {_masked(url)}: {members:,} members, {txns:,} "
          "transactions; times in ms")
    print(f"{'operation':<36}{'median':>10}{'max':>10}{'rows':>9}{'floor':>10}{'ratio':>8}"
          "   target")
    for r in results:
        floor_text = "-" if r["floor_median_ms"] is None else f"{r['floor_median_ms']:.1f}"
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.1f}x"
        verdict = "PASS" if r["pass"] else "FAIL"
        print(f"{r['label']:<36}{r['median_ms']:>10.1f}{r['max_ms']:>10.1f}{r['rows']:>9}"
              f"{floor_text:>10}{ratio:>8}   {r.get('stat', 'median')} <= "
              f"{r['target_ms']:g} {verdict}")
    return 0
