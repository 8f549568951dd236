"""Demo data: a café, bakery and personal-care shop with its members and their history, in
bulk, priced and earned through terminal.loyalty as the counter's checkout does it.

``member-terminal demo`` calls ``run``; tests call ``generate``. The parts: ``shop`` (the
catalogue, staff, coupon templates and campaigns), ``world`` (the planned members and their
codes), ``calendar`` (busy days and seasons), ``members`` (member behaviour), ``names``
(members' names), ``sales`` (baskets, tenders, anonymous sales) and ``writer`` (bulk row
writing from the models' columns)."""

from __future__ import annotations

import marshal
import multiprocessing
import os
import random
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ...core import money
from ...db import models as m
from ...db.database import is_sqlite, proxy
from ...services.context import Context
from .members import MemberSim
from .sales import anonymous
from .shop import DEMO_STAFF, ensure_catalogue, ensure_staff, ensure_templates
from .world import (
    CHUNK_DAYS,
    CHUNK_MEMBERS,
    POOL_MIN_MEMBERS,
    RNG_BLOCK,
    SEGMENTS,
    World,
    check_phones,
    plan,
)
from .writer import BULK_TABLES, MEMBER_ONLY_TABLES, Out, Writer, fast_sqlite

__all__ = ["DEMO_STAFF", "SEGMENTS", "Summary", "generate", "run"]


@dataclass
class Summary:
    """What a demo run made, for the closing report and for tests."""

    members: int = 0
    segments: dict[str, int] = field(default_factory=dict)
    sales: int = 0
    member_sales: int = 0
    anonymous_sales: int = 0
    refunds: int = 0
    top_ups: int = 0
    punch_visits: int = 0
    revenue: int = 0
    member_revenue: int = 0
    top20_share: float = 0.0  # share of member revenue made by the top 20% of members
    points_issued: int = 0
    points_redeemed: int = 0
    points_expired: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0



# --- work units, in this process or in workers --------------------------------------

_WORLD: World | None = None  # set before worker processes fork, read by them


def _work(task: tuple[str, int, int, int]) -> bytes:
    kind, chunk, lo, hi = task
    w = _WORLD
    assert w is not None
    out = Out(chunk)
    if kind == "members":
        rng = random.Random()
        for i in range(lo, hi):
            if i % RNG_BLOCK == 0:
                rng.seed((w.seed & 0xFFFFFFFF) << 32 | i // RNG_BLOCK)
            MemberSim(w, i, out, rng).run()
    else:
        anonymous(w, lo, hi, out)
    for table, rows in out.rows.items():
        if table != "points_use":
            rows.sort()  # by id: the writer's primary-key inserts then walk the B-tree in order
    return marshal.dumps((out.rows, out.stats(), out.spend))


def _tasks(w: World) -> list[tuple[str, int, int, int]]:
    tasks = []
    for chunk, lo in enumerate(range(0, w.n, CHUNK_MEMBERS)):
        tasks.append(("members", chunk, lo, min(w.n, lo + CHUNK_MEMBERS)))
    first = len(tasks)
    for k, lo in enumerate(range(0, w.days, CHUNK_DAYS)):
        tasks.append(("anonymous", first + k, lo, min(w.days, lo + CHUNK_DAYS)))
    return tasks


def _results(w: World, workers: int) -> Iterator[tuple[str, bytes]]:
    """Every work unit's rows, in task order, made by ``workers`` processes (0: here)."""
    global _WORLD
    _WORLD = w
    tasks = _tasks(w)
    try:
        if workers <= 0:
            for task in tasks:
                yield task[0], _work(task)
            return
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            # a bounded window of member chunks (finished ones wait in memory until the writer
            # takes them); the small anonymous ones all at once, so the workers keep going
            # while the writer rebuilds the member tables' indexes
            pending: deque[tuple[str, Any]] = deque()
            it = iter(tasks)

            def submit() -> None:
                for task in it:
                    pending.append((task[0], pool.apply_async(_work, (task,))))
                    if task[0] == "members" and len(pending) >= 2 * workers + 1:
                        return

            submit()
            while pending:
                kind, res = pending.popleft()
                data = res.get()
                submit()
                yield kind, data
    finally:
        _WORLD = None



# --- the command --------------------------------------------------------------------


def _counts() -> tuple[int, int]:
    members = m.Member.select().count()
    txns = m.Txn.select().count()
    return members, txns


def generate(ctx: Context, *, members: int, days: int, seed: int,
             progress: Callable[[str], None] | None = None, workers: int | None = None,
             shared: bool = False) -> Summary:
    """Fill an empty database; return what was made. ``workers``: processes (None: auto);
    ``shared``: other connections have the SQLite file open (the counter window's), so its
    journal mode stays as it is (changing it needs the file alone)."""
    if members < 1 or days < 1:
        raise ValueError("the demo needs at least one member and one day")
    say = progress or (lambda _line: None)
    started = time.monotonic()
    clock = [started]

    def phase(text: str) -> None:
        now = time.monotonic()
        say(f"demo: {text} [{now - clock[0]:.1f} s]")
        clock[0] = now

    check_phones()
    ensure_staff(ctx)
    products = ensure_catalogue()
    templates = ensure_templates()
    phase(f"catalogue: {len(products)} products ({sum(1 for p in products if p.punch_visits)} "
          f"punch cards), {len(templates)} coupon templates")

    world = World(ctx, members, days, seed, products, templates)
    plan(world)
    segs = {name: world.segment.count(k) for k, name in enumerate(SEGMENTS)}
    phase(f"planned {members:,} members ("
          + ", ".join(f"{k} {v / members:.0%}" for k, v in segs.items())
          + f"), {len(world.first_sale):,} of them referred, over {days} days")

    if workers is None:
        workers = (min(2, os.cpu_count() or 1) if members >= POOL_MIN_MEMBERS
                   and "fork" in multiprocessing.get_all_start_methods() else 0)
    database = proxy.obj
    writer = Writer(database)
    stats: dict[str, int] = {}
    spend: list[int] = []
    sqlite = writer.sqlite
    if sqlite:
        fast_sqlite(database, True, keep_journal=shared)
    try:
        with database.atomic():
            # a referral's reward names the friend's first sale, which a later chunk may
            # hold: PostgreSQL checks the keys at the commit (SQLite's load has them off)
            writer.defer_foreign_keys(True)
            writer.drop_indexes()
            done_members = 0
            next_report = 0.1
            phase_name = "members"
            built = 0
            for kind, data in _results(world, workers):
                rows, chunk_stats, chunk_spend = marshal.loads(data)
                if kind != phase_name:
                    phase(_members_line(stats, done_members))
                    phase_name = kind
                    # only sales to non-members are still to come
                    built = writer.recreate_indexes(MEMBER_ONLY_TABLES)
                    if built:
                        phase(f"{built} indexes of the member tables rebuilt")
                for table in BULK_TABLES:
                    writer.write(table, rows[table])
                for key, value in chunk_stats.items():
                    stats[key] = stats.get(key, 0) + value
                spend.extend(chunk_spend)
                if kind == "members":
                    done_members += len(chunk_spend)
                    if members >= 100_000 and done_members >= next_report * members:
                        say(f"demo:   ... {done_members:,} members "
                            f"[{time.monotonic() - clock[0]:.1f} s]")
                        next_report += 0.1
            phase(f"anonymous sales: {stats.get('anonymous_sales', 0):,}")
            writer.renumber()
            phase("receipt numbers in time order per terminal")
            left = writer.recreate_indexes()
            if sqlite:
                phase(f"{left} indexes of the sales tables rebuilt ({built + left} in all)")
    finally:
        if sqlite:
            fast_sqlite(database, False, keep_journal=shared)
        else:
            writer.defer_foreign_keys(False)
    if not sqlite:
        database.execute_sql("ANALYZE")

    summary = Summary(members=members, segments=segs, rows=dict(writer.counts))
    summary.member_sales = stats.get("member_sales", 0)
    summary.anonymous_sales = stats.get("anonymous_sales", 0)
    summary.sales = summary.member_sales + summary.anonymous_sales
    summary.refunds = stats.get("refunds", 0)
    summary.top_ups = stats.get("top_ups", 0)
    summary.punch_visits = stats.get("punch_visits", 0)
    summary.revenue = stats.get("revenue", 0)
    summary.member_revenue = sum(spend)
    spend.sort(reverse=True)
    top = spend[: max(1, len(spend) // 5)]
    summary.top20_share = sum(top) / summary.member_revenue if summary.member_revenue else 0.0
    summary.points_issued = stats.get("points_issued", 0)
    summary.points_redeemed = stats.get("points_redeemed", 0)
    summary.points_expired = stats.get("points_expired", 0)
    summary.seconds = time.monotonic() - started
    return summary


def _members_line(stats: dict[str, int], done: int) -> str:
    return (f"{done:,} members and their history: {stats.get('visits', 0):,} visits, "
            f"{stats.get('member_sales', 0):,} sales, "
            f"{stats.get('top_ups', 0):,} top-ups, {stats.get('punch_visits', 0):,} punch "
            f"visits, {stats.get('coupons_issued', 0):,} coupons")


def run(ctx: Context, url: str, *, members: int, days: int, seed: int, if_empty: bool) -> int:
    """``member-terminal demo``: fill an empty database with a demo store."""
    existing, txns = _counts()
    if existing or txns:
        what = f"{existing:,} members" if existing else f"{txns:,} transactions"
        if if_empty:
            print(f"demo: the database already has {what}; nothing to do")
            return 0
        print(f"demo: the database already has {what}; the demo fills an empty database "
              "(use --if-empty to skip quietly)", file=sys.stderr)
        return 1
    if members < 1 or days < 1:
        print("demo: --members and --days must be at least 1", file=sys.stderr)
        return 2
    print(f"demo: {members:,} members, {days} days, seed {seed} -> {_safe_url(url)}")
    s = generate(ctx, members=members, days=days, seed=seed,
                 progress=lambda line: print(line, flush=True))
    years = days / 365
    print(f"demo: done in {s.seconds:.1f} s")
    print(f"  sales {s.sales:,} ({s.member_sales:,} by members, {s.anonymous_sales:,} "
          f"anonymous), {s.member_sales / members / years:.1f} per member-year; "
          f"refunds {s.refunds:,}; top-ups {s.top_ups:,}; punch visits {s.punch_visits:,}")
    print(f"  revenue {money.format_amount(s.revenue, ctx.currency)}; members "
          f"{s.member_revenue / s.revenue:.0%} of it; top 20% of members make "
          f"{s.top20_share:.0%} of member revenue" if s.revenue else "  no revenue")
    print(f"  points issued {s.points_issued:,}, redeemed {s.points_redeemed:,}, "
          f"expired {s.points_expired:,}")
    print("  rows: " + ", ".join(f"{t} {n:,}" for t, n in s.rows.items()))
    path = getattr(proxy.obj, "database", None)
    if is_sqlite() and path and path != ":memory:" and os.path.exists(path):
        print(f"  file {path}: {os.path.getsize(path) / 1e6:,.1f} MB")
    return 0


def _safe_url(url: str) -> str:
    """The URL without a password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        cred, host = rest.rsplit("@", 1)
        return f"{scheme}://{cred.split(':', 1)[0]}@{host}"
    return url

