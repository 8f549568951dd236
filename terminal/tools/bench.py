"""Benchmark: member and barcode look-ups and checkout commits through the services, next to
raw sqlite3."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlparse

from ..core.errors import DomainError
from ..db import models as m
from ..db.database import SQLITE_PRAGMAS, proxy, sqlite_path
from ..loyalty.pricing import Tenders
from ..services import checkout, lookup, members
from ..services.context import Context
from .till import percentile, sample_members

TERMINAL = "BENCH"  # the service checkouts are real sales, kept apart from the counters'
RAW_TERMINAL = "BENCHRAW"
MEMBER_OPERATIONS = ("lookup_code", "lookup_phone", "name_prefix", "checkout")
OPERATIONS = (*MEMBER_OPERATIONS, "lookup_barcode")
LABELS = {"lookup_code": "lookup by signed code", "lookup_phone": "lookup by phone",
          "name_prefix": "name prefix search", "checkout": "checkout commit",
          "lookup_barcode": "product by barcode"}
TARGETS = {"lookup_code": ("p99", 1.0), "lookup_phone": ("p99", 1.0),
           "name_prefix": ("p99", 20.0), "checkout": ("median", 5.0),
           "lookup_barcode": ("p99", 1.0)}
CATALOGUE_SIZE = 50_000  # products the barcode look-up is timed among (issue 10)
_GENERATED = "BENCH-P"  # SKU prefix of the products made for the timing, never committed
SCRATCH_HEADROOM = 256 * 2**20
T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Sample:
    member_id: Any
    card_no: str
    code: str  # what the scanner reads
    phone_typed: str | None  # what the cashier types
    phone_e164: str | None
    prefix: str
    items: tuple[checkout.SaleItem, ...]
    cash: int  # notes handed over: covers the bill before any discount


def _figures(seconds: Sequence[float]) -> dict[str, float | int]:
    return {"median_ms": round(statistics.median(seconds) * 1000, 4),
            "p99_ms": round(percentile(seconds, 99) * 1000, 4), "n": len(seconds)}


def _time(fn: Callable[[T], object], samples: Sequence[T]) -> list[float]:
    out = []
    for s in samples:
        started = time.perf_counter()
        fn(s)
        out.append(time.perf_counter() - started)
    return out


def _masked(url: str) -> str:
    parsed = urlparse(url)
    if parsed.password:
        netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@")
        return parsed._replace(netloc=netloc).geturl()
    return url


def _samples(ctx: Context, rng: random.Random, count: int) -> list[Sample]:
    found = sample_members(rng, count)
    products = [p for p in m.Product.select().where(
        (m.Product.active == True) & m.Product.punch_visits.is_null())  # noqa: E712
        .order_by(m.Product.sku)]
    out = []
    for i in range(count):
        mem = found[i % len(found)] if found else None
        if mem is None:
            break
        if products:
            picked = [rng.choice(products) for _ in range(rng.randint(1, 3))]
            items = tuple(checkout.SaleItem(sku=p.sku) for p in picked)
            gross = sum(p.price for p in picked)
        else:
            prices = [rng.randint(5, 200) * 100 for _ in range(rng.randint(1, 3))]
            items = tuple(checkout.SaleItem(unit_price=p, name="Amount") for p in prices)
            gross = sum(prices)
        key = members.name_key(mem.name)
        typed = None
        if mem.phone:
            typed = mem.phone[3:] if mem.phone.startswith("+86") else mem.phone
        out.append(Sample(
            member_id=mem.id, card_no=mem.card_no, code=members.member_code(ctx, mem),
            phone_typed=typed, phone_e164=mem.phone,
            prefix=key[:rng.randint(1, min(3, len(key)))].rstrip(), items=items,
            cash=-(-gross // 1000) * 1000))
    return out


# -- the service path ---------------------------------------------------------------------

class Checked:
    """Runs the service calls and counts answers that name the wrong member."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.wrong = 0
        self.run_id = uuid.uuid4().hex[:10]
        self.n = 0

    def lookup_code(self, s: Sample) -> None:
        self.wrong += members.identify(self.ctx, s.code).id != s.member_id

    def lookup_phone(self, s: Sample) -> None:
        self.wrong += members.identify(self.ctx, s.phone_typed or "").id != s.member_id

    def name_prefix(self, s: Sample) -> None:
        found = members.search(self.ctx, s.prefix)
        self.wrong += not found or any(not r.name_key.startswith(s.prefix) for r in found)

    def checkout(self, s: Sample) -> None:
        self.n += 1
        checkout.checkout(self.ctx, checkout.CheckoutRequest(
            f"bench:{self.run_id}:{self.n}", s.items, member_id=s.member_id,
            tenders=Tenders(cash=s.cash)))


# -- barcode look-ups among a full catalogue ----------------------------------------------

def _ean13(body12: str) -> str:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def _fill_catalogue(wanted: int) -> int:
    """Products with one barcode each (in-store EAN-13 numbers, 2xxxxxxxxxxxC) until the
    catalogue has ``wanted``; how many were made. The caller rolls them back."""
    have = m.Product.select().count()
    made = max(0, wanted - have)
    for start in range(0, made, 1000):
        skus = [f"{_GENERATED}{i:07d}" for i in range(start, min(made, start + 1000))]
        m.Product.insert_many([{"sku": sku, "name": f"Bench product {sku[-7:]}",
                                "category": f"bench{int(sku[-3:]) % 40}", "price": 100 + i,
                                "member_price": 90 + i if i % 3 == 0 else None}
                               for i, sku in enumerate(skus)]).execute()
        m.ProductBarcode.insert_many([{"code": _ean13(f"29{sku[-7:]}000"), "product": sku}
                                      for sku in skus]).execute()
    return made


def _barcode_figures(rng: random.Random, count: int, warmup: int, size: int,
                     raw: bool) -> tuple[dict[str, Any], int, int, int]:
    """Time ``lookup.product`` on random barcodes of a catalogue of at least ``size``
    products (made for the timing in a transaction that is rolled back): the figures, the
    catalogue's size, how many were made, and the answers naming the wrong product."""
    with proxy.atomic() as transaction:
        made = _fill_catalogue(size)
        products = m.Product.select().count()
        codes = list(m.ProductBarcode.select(m.ProductBarcode.code, m.ProductBarcode.product)
                     .join(m.Product).where(m.Product.active == True)  # noqa: E712
                     .tuples())
        result: dict[str, Any] = {"orm": None, "raw": None}
        wrong = 0
        if codes:
            picked = [rng.choice(codes) for _ in range(warmup + count)]
            warm, timed = picked[:warmup], picked[warmup:]

            def service(pair: tuple[str, str]) -> None:
                nonlocal wrong
                found = lookup.product(pair[0])
                wrong += found is None or found.sku != pair[1]

            for pair in warm:
                service(pair)
            result["orm"] = _figures(_time(service, timed))
            if raw:  # the same connection: it sees the products made above
                conn = proxy.obj.connection()
                sql = ("SELECT p.* FROM product p JOIN product_barcode b "
                       "ON b.product_id = p.sku WHERE b.code = ?")

                def floor(pair: tuple[str, str]) -> None:
                    conn.execute(sql, (pair[0],)).fetchone()

                for pair in warm:
                    floor(pair)
                result["raw"] = _figures(_time(floor, timed))
        transaction.rollback()
    return result, products, made, wrong


# -- the raw sqlite3 path -----------------------------------------------------------------

def _connect(path: str, *, read_only: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    for name in ("journal_mode", "synchronous", "foreign_keys", "cache_size", "temp_store"):
        conn.execute(f"PRAGMA {name} = {SQLITE_PRAGMAS[name]}")
    if read_only:
        conn.execute("PRAGMA query_only = 1")
    return conn


class Raw:
    """The same operations as plain SQL: the floor the service path is compared with."""

    def __init__(self, reader: sqlite3.Connection, writer: sqlite3.Connection | None,
                 commit: bool) -> None:
        self.reader = reader
        self.writer = writer
        self.commit = commit

    def lookup_code(self, s: Sample) -> None:
        self.reader.execute("SELECT * FROM member WHERE card_no = ?", (s.card_no,)).fetchone()

    def lookup_phone(self, s: Sample) -> None:
        self.reader.execute("SELECT * FROM member WHERE phone = ?", (s.phone_e164,)).fetchone()

    def name_prefix(self, s: Sample) -> None:
        self.reader.execute(
            "SELECT * FROM member WHERE name_key >= ? AND name_key < ? AND erased_at IS NULL "
            "ORDER BY name_key LIMIT 20", (s.prefix, s.prefix + "\U0010ffff")).fetchall()

    def checkout(self, s: Sample) -> None:
        """A sale's rows: txn, its lines, the points batch and the member's cached balance."""
        conn = self.writer
        assert conn is not None
        now = datetime.now()
        stamp = str(now)
        member_id = uuid.UUID(str(s.member_id)).hex  # peewee keeps UUIDs as 32 hex digits
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("SELECT id, tier, points_balance, erased_at FROM member WHERE id = ?",
                          (member_id,)).fetchone()
            lines = []
            for item in s.items:
                if item.sku:
                    row = conn.execute("SELECT name, category, brand, price FROM product "
                                       "WHERE sku = ?", (item.sku,)).fetchone()
                    lines.append((item.sku, *row))
                else:
                    lines.append((None, item.name, "", "", item.unit_price))
            total = sum(line[4] for line in lines)
            points = total // 100
            # the receipt number as the ORM path takes it: from the terminal's counter row
            conn.execute("INSERT OR IGNORE INTO terminal_counter (terminal_id, last_seq) "
                         "SELECT ?, COALESCE(MAX(seq), 0) FROM txn WHERE terminal_id = ?",
                         (RAW_TERMINAL, RAW_TERMINAL))
            seq = conn.execute("UPDATE terminal_counter SET last_seq = last_seq + 1 "
                               "WHERE terminal_id = ? RETURNING last_seq",
                               (RAW_TERMINAL,)).fetchall()[0][0]
            txn_id = m.new_id().hex
            conn.execute(
                'INSERT INTO txn (id, created_at, store_id, terminal_id, staff_id, '
                'idempotency_key, kind, status, seq, business_date, member_id, tier, '
                'subtotal, line_discount, tier_discount, coupon_discount, points_discount, '
                'total, points_redeemed, points_earned, stored_value, cash, card, other, '
                '"change", sv_bonus, note) VALUES (?, ?, ?, ?, ?, ?, \'sale\', '
                '\'completed\', ?, ?, ?, \'standard\', ?, 0, 0, 0, 0, ?, 0, ?, 0, ?, 0, 0, '
                '?, 0, \'\')',
                (txn_id, stamp, "S001", RAW_TERMINAL, "bench", f"raw:{txn_id}", seq,
                 str(now.date()), member_id, total, total, points, total, s.cash - total))
            for no, (sku, name, category, brand, price) in enumerate(lines, start=1):
                conn.execute(
                    "INSERT INTO txn_line (id, txn_id, line_no, sku, name, category, brand, "
                    "qty, unit_price, line_discount, tier_discount, coupon_discount, "
                    "points_discount, net, points_earned) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, 0, 0, 0, 0, ?, ?)",
                    (m.new_id().hex, txn_id, no, sku, name, category, brand, price, price,
                     points * price // total if total else 0))
            if points:
                conn.execute(
                    "INSERT INTO points_entry (id, created_at, store_id, terminal_id, "
                    "staff_id, member_id, kind, delta, remaining, expires_at, txn_id, reason) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'earn', ?, ?, ?, ?, '')",
                    (m.new_id().hex, stamp, "S001", RAW_TERMINAL, "bench", member_id,
                     points, points, str(now.replace(year=now.year + 2)), txn_id))
            conn.execute("UPDATE member SET points_balance = points_balance + ?, "
                         "last_visit_at = ? WHERE id = ?", (points, stamp, member_id))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT" if self.commit else "ROLLBACK")


@contextlib.contextmanager
def _raw(path: str, size_needed: int) -> Iterator[tuple[Raw, str]]:
    """Raw connections: reads on the file itself; checkout rows committed into a scratch copy
    of it (same pages, same indexes, a real fsync per commit) that is deleted afterwards, or,
    when the disk has no room for a copy, written into the file and rolled back."""
    reader = _connect(path, read_only=True)
    folder = os.path.dirname(os.path.abspath(path))
    scratch = None
    writer = None
    try:
        if _free_bytes(folder) > 2 * size_needed + SCRATCH_HEADROOM:
            fd, scratch = tempfile.mkstemp(prefix=".bench-scratch-", suffix=".sqlite",
                                           dir=folder)
            os.close(fd)
            started = time.perf_counter()
            copy = sqlite3.connect(scratch)
            try:
                reader.backup(copy)
            finally:
                copy.close()
            _say(f"scratch copy for the raw checkouts: {time.perf_counter() - started:.1f} s")
            writer = _connect(scratch, read_only=False)
            yield Raw(reader, writer, commit=True), "scratch_copy"
        else:
            writer = _connect(path, read_only=False)
            yield Raw(reader, writer, commit=False), "rollback"
    finally:
        reader.close()
        if writer is not None:
            writer.close()
        if scratch is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(scratch + suffix)


def _free_bytes(folder: str) -> int:
    return shutil.disk_usage(folder).free


def _say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


# -- the run ------------------------------------------------------------------------------

def run(ctx: Context, url: str, *, rounds: int, as_json: bool,
        products: int = CATALOGUE_SIZE) -> int:
    """Time each operation over ``rounds`` random real members (and barcodes, among at
    least ``products`` products) and print the figures."""
    if rounds < 1:
        print("bench: --rounds must be at least 1", file=sys.stderr)
        return 2
    settings = dataclasses.replace(
        ctx.settings, store=dataclasses.replace(ctx.settings.store, terminal_id=TERMINAL))
    bctx = Context(settings, staff_id="bench", clock=ctx.clock)
    path = sqlite_path(url)
    warmup = max(5, min(200, rounds // 5))
    rng = random.Random(rounds)
    n_members = m.Member.select().count()
    n_txns = m.Txn.select().count()
    samples = _samples(bctx, rng, warmup + rounds)
    if not samples:
        print("bench: the database has no members; fill it first (member-terminal demo)",
              file=sys.stderr)
        return 2
    _say(f"{n_members} members, {n_txns} transactions; {rounds} rounds after {warmup} "
         "warm-up calls per operation")
    warm, timed = samples[:warmup], samples[warmup:] or samples
    service = Checked(bctx)
    report: dict[str, Any] = {
        "database": "sqlite" if path else "postgresql", "url": _masked(url),
        "members": n_members, "transactions": n_txns, "rounds": rounds, "warmup": warmup,
        "terminal": TERMINAL, "raw_checkout": None, "operations": {}}
    figures: dict[str, dict[str, Any]] = {}
    try:
        with contextlib.ExitStack() as stack:
            raw = None
            if path:
                size = sum(os.path.getsize(path + s) for s in ("", "-wal")
                           if os.path.exists(path + s))
                raw, report["raw_checkout"] = stack.enter_context(_raw(path, size))
            for op in MEMBER_OPERATIONS:
                use = [s for s in timed if op != "lookup_phone" or s.phone_typed]
                pre = [s for s in warm if op != "lookup_phone" or s.phone_typed]
                if not use:
                    continue
                _say(f"timing {LABELS[op]}")
                orm_fn = getattr(service, op)
                _time(orm_fn, pre)
                result: dict[str, Any] = {"orm": _figures(_time(orm_fn, use)), "raw": None}
                if raw is not None:
                    raw_fn = getattr(raw, op)
                    _time(raw_fn, pre)
                    result["raw"] = _figures(_time(raw_fn, use))
                figures[op] = result
        _say(f"timing {LABELS['lookup_barcode']} (products made for it are rolled back)")
        found, report["products"], report["products_generated"], wrong = _barcode_figures(
            rng, rounds, warmup, products, raw=bool(path))
        if found["orm"] is not None:
            figures["lookup_barcode"] = found
        service.wrong += wrong
    except DomainError as exc:
        print(f"bench: a service refused a benchmark request: {exc}", file=sys.stderr)
        return 1
    for op, result in figures.items():
        stat, limit = TARGETS[op]
        orm, raw_fig = result["orm"], result["raw"]
        result["ratio_median"] = (round(orm["median_ms"] / raw_fig["median_ms"], 2)
                                  if raw_fig and raw_fig["median_ms"] else None)
        result["ratio_p99"] = (round(orm["p99_ms"] / raw_fig["p99_ms"], 2)
                               if raw_fig and raw_fig["p99_ms"] else None)
        result["target"] = {"stat": stat, "ms": limit}
        result["pass"] = orm[f"{stat}_ms"] <= limit
        report["operations"][op] = result
    report["pass"] = all(r["pass"] for r in report["operations"].values())
    report["service_sales"] = service.n
    report["wrong_answers"] = service.wrong
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        _print(report)
    if service.wrong:
        print(f"bench: {service.wrong} look-ups returned the wrong member or product",
              file=sys.stderr)
        return 1
    return 0


def _print(report: dict[str, Any]) -> None:
    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    def ratio(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}x"

    print(f"bench: {report['database']} {report['url']}: {report['members']} members, "
          f"{report['transactions']} transactions; {report['rounds']} rounds "
          f"(+{report['warmup']} warm-up) per operation; barcodes among "
          f"{report.get('products', 0)} products ({report.get('products_generated', 0)} made "
          "for the timing, rolled back); times in ms")
    print(f"{'operation':<24}{'median':>9}{'p99':>9}{'raw med':>9}{'raw p99':>9}"
          f"{'ratio':>8}{'ratio99':>8}   target")
    for op, r in report["operations"].items():
        raw = r["raw"] or {}
        verdict = "PASS" if r["pass"] else "FAIL"
        print(f"{LABELS[op]:<24}{ms(r['orm']['median_ms']):>9}{ms(r['orm']['p99_ms']):>9}"
              f"{ms(raw.get('median_ms')):>9}{ms(raw.get('p99_ms')):>9}"
              f"{ratio(r['ratio_median']):>8}{ratio(r['ratio_p99']):>8}   "
              f"{r['target']['stat']} <= {r['target']['ms']:g} ms {verdict}")
    mode = report["raw_checkout"]
    if mode == "scratch_copy":
        print("raw checkouts were committed into a scratch copy of the file, deleted afterwards")
    elif mode == "rollback":
        print("raw checkouts were rolled back (no room for a scratch copy): they do not "
              "include the commit's fsync")
    else:
        print("raw sqlite3 column skipped: not a SQLite database")
    print(f"service checkouts: {report['service_sales']} real sales on terminal "
          f"{report['terminal']} (warm-up included); they pass `check`")
