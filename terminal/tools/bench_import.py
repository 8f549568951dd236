"""``bench --import`` (issue 14): a member import of N generated members (default 100,000)
on the database given, while another process rings up sales as fast as it can on its own
connection: how long the import takes, and how long each of those checkouts waited.
Target: no checkout slower than 500 ms while the import runs.

The import is a rehearsal (``member_import.import_members(rehearse=True)``): the whole
batch is written, chunk by chunk as a real import writes it, then removed as a failed one
is, so the database ends with the members it had. The checkouts are real anonymous sales
on terminal ``BENCHIMP`` (they pass ``check``)."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ..db import models as m
from ..services import member_import
from ..services.context import Context
from .bench import _masked, _say
from .till import _approver, percentile

TERMINAL = "BENCHIMP"
TARGET_MS = 500.0
PHONE_START = 19_500_000_000  # China Mobile's 195: generated numbers, free ones only


def _free_phones(count: int) -> list[str]:
    """``count`` mobile numbers from ``PHONE_START`` on that no member has."""
    found: list[str] = []
    start = PHONE_START
    while len(found) < count:
        batch = [f"+86{n}" for n in range(start, start + 500)]
        taken = {r[0] for r in m.Member.select(m.Member.phone)
                 .where(m.Member.phone.in_(batch)).tuples()}
        found += [p for p in batch if p not in taken]
        start += 500
    return found[:count]


def _member_file(folder: Path, count: int) -> Path:
    path = folder / "bench-members.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("name,phone,birthday,points,stored value\n")
        for i, phone in enumerate(_free_phones(count)):
            out.write(f"Bench Import {i},{phone},19{60 + i % 40}-{1 + i % 12:02d}-"
                      f"{1 + i % 28:02d},{i % 500},{i % 7}.00\n")
    return path


def _checkouts(url: str, settings: Any, ready: Any, stop: Any, out: Any) -> None:
    """In its own process: anonymous sales one after the other until ``stop``; sends back
    when each started (``time.monotonic``, one clock for every process) and how long it
    took."""
    from ..db.database import open_database
    from ..loyalty.pricing import Tenders
    from ..services import checkout

    settings = dataclasses.replace(
        settings, store=dataclasses.replace(settings.store, terminal_id=TERMINAL))
    open_database(url)
    ctx = Context(settings, staff_id="bench")
    product = m.Product.select().where(
        (m.Product.active == True) & m.Product.punch_visits.is_null()  # noqa: E712
    ).order_by(m.Product.sku).first()
    item = (checkout.SaleItem(sku=product.sku) if product is not None
            else checkout.SaleItem(unit_price=1000, name="Amount"))
    cash = -(-(product.price if product is not None else 1000) // 1000) * 1000 + 1000
    run = f"bench-import:{time.time_ns()}"
    timed: list[tuple[float, float]] = []
    errors: list[str] = []
    ready.set()
    n = 0
    while not stop.is_set():
        n += 1
        started = time.monotonic()
        try:
            checkout.checkout(ctx, checkout.CheckoutRequest(
                f"{run}:{n}", (item,), tenders=Tenders(cash=cash)))
        except Exception as exc:  # a busy database: the figure this bench is about
            errors.append(f"{type(exc).__name__}: {exc}")
        timed.append((started, time.monotonic() - started))
    out.send((timed, errors))


class Failed(Exception):
    """The rehearsal could not be made (the checkout process, the file)."""


def measure(ctx: Context, url: str, members: int) -> tuple[dict[str, Any], list[str]]:
    """The rehearsal and its figures (``bench --import``, ``bench --reports
    --import-members``): the report, and the checkouts that failed."""
    approver = _approver(ctx)
    before = m.Member.select().count()
    spawn = multiprocessing.get_context("spawn")
    ready, stop = spawn.Event(), spawn.Event()
    receive, send = spawn.Pipe(duplex=False)
    with tempfile.TemporaryDirectory(prefix="mt-import-") as folder:
        _say(f"writing a file of {members:,} members with phone numbers nobody has")
        path = _member_file(Path(folder), members)
        # the baseline: the same checkouts with nothing else writing
        worker = spawn.Process(target=_checkouts, args=(url, ctx.settings, ready, stop, send))
        worker.start()
        if not ready.wait(120):
            worker.kill()
            raise Failed("the checkout process did not start")
        time.sleep(2.0)
        _say(f"importing {members:,} members (a rehearsal: written whole, then removed) "
             "while the other process rings up sales")
        started = time.monotonic()
        try:
            result = member_import.import_members(ctx, path, dry_run=False,
                                                  approved_by=approver, rehearse=True)
        finally:
            ended = time.monotonic()
            stop.set()
            timed, errors = receive.recv() if receive.poll(120) else ([], ["no reply"])
            worker.join(30)
    elapsed = ended - started
    if result.errors:
        raise Failed(f"the file was refused: {result.errors[0]}")
    after = m.Member.select().count()
    # a checkout that overlapped the import waited for it; the ones before are the baseline
    busy = [took for at, took in timed if at + took > started and at < ended]
    quiet = [took for at, took in timed if at + took <= started]
    report = {"operation": "import_members", "url": _masked(url), "members": members,
              "database_members": before, "import_s": round(elapsed, 2),
              "members_per_s": round(members / elapsed), "rows": members,
              "median_ms": _ms(statistics.median(busy)) if busy else None,
              "p99_ms": _ms(percentile(busy, 99)) if busy else None,
              "max_ms": _ms(max(busy)) if busy else None, "checkouts": len(busy),
              "quiet_median_ms": _ms(statistics.median(quiet)) if quiet else None,
              "quiet_max_ms": _ms(max(quiet)) if quiet else None,
              "checkout_errors": len(errors), "left_behind": after - before,
              "target_ms": TARGET_MS}
    report["pass"] = bool(busy) and not errors and report["max_ms"] <= TARGET_MS \
        and after == before
    return report, errors


def run(ctx: Context, url: str, *, members: int, as_json: bool) -> int:
    if members < 1:
        print("bench: --members must be at least 1", file=sys.stderr)
        return 2
    try:
        report, errors = measure(ctx, url, members)
    except Failed as exc:
        print(f"bench --import: {exc}", file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(report))
    else:
        _print(report, errors)
    return 0 if report["pass"] else 1


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _print(r: dict[str, Any], errors: list[str]) -> None:
    print(f"bench --import: {r['url']} ({r['database_members']:,} members): "
          f"{r['members']:,} members imported in {r['import_s']} s "
          f"({r['members_per_s']:,} a second; written whole, then removed: "
          f"{r['left_behind']} left behind)")
    print(f"checkouts in another process during the import: {r['checkouts']:,}, median "
          f"{r['median_ms']} ms, p99 {r['p99_ms']} ms, max {r['max_ms']} ms "
          f"(with nothing else writing: median {r['quiet_median_ms']} ms, max "
          f"{r['quiet_max_ms']} ms); target max <= {r['target_ms']:g} ms "
          f"{'PASS' if r['pass'] else 'FAIL'}")
    for line in errors[:5]:
        print(f"  a checkout failed: {line}")
