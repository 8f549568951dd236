"""The ``demo``, ``simulate`` and ``bench`` commands: the tools that fill and time a database."""

from __future__ import annotations

import argparse
from typing import Any

from .common import Invocation, with_context


def add_demo(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    demo = subparsers.add_parser("demo", parents=parents,
                                 help="fill a database with a demo store")
    demo.add_argument("--members", type=int, default=2000)
    demo.add_argument("--days", type=int, default=365)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--if-empty", action="store_true",
                      help="do nothing when the database already has members")


def add_simulate(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    sim = subparsers.add_parser("simulate", parents=parents,
                                help="run realistic counter transactions through the services")
    sim.add_argument("--sales", type=int, required=True)
    sim.add_argument("--terminal", default=None, help="terminal id (default: from settings)")
    sim.add_argument("--seed", type=int, default=None)


def add_bench(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    bench = subparsers.add_parser("bench", parents=parents,
                                  help="time look-ups and checkouts against raw sqlite3")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--rounds", type=int, default=2000)
    bench.add_argument("--products", type=int, default=50_000, metavar="N",
                       help="time the barcode look-up among at least N products (made for "
                            "the timing if the catalogue has fewer, and rolled back)")
    bench.add_argument("--reports", action="store_true",
                       help="time what the manager waits for instead (overview, economics, "
                            "birthdays, expiring points, end of day, check)")
    bench.add_argument("--startup", action="store_true",
                       help="time the counter's start and the manager's window instead "
                            "(the real window in its own process)")
    bench.add_argument("--scan", action="store_true",
                       help="time the camera path instead: a generated 720p video of "
                            "members' codes through capture, decoding, verification and "
                            "look-up, for each decoder backend")
    bench.add_argument("--import", dest="import_", action="store_true",
                       help="time a member import instead (a rehearsal: written whole, "
                            "then removed) while another process rings up sales")
    bench.add_argument("--members", type=int, default=100_000, metavar="N",
                       help="with --import: members in the generated file")
    bench.add_argument("--frames", type=int, default=300, metavar="N",
                       help="with --scan: frames in the video (30 a second)")
    bench.add_argument("--runs", type=int, default=5, metavar="N",
                       help="with --reports or --startup: runs of each operation (median "
                            "and max)")
    bench.add_argument("--check-runs", type=int, default=1, metavar="N",
                       help="with --reports: runs of the whole-database check (0 skips it)")
    bench.add_argument("--import-members", type=int, default=0, metavar="N",
                       help="with --reports: also time an import of N members (a "
                            "rehearsal, as --import does) against the checkouts of "
                            "another process")
    bench.add_argument("--only", action="append", default=[], metavar="OPERATION",
                       help="with --reports: time only this operation (repeatable)")


def demo(inv: Invocation) -> int:
    from ..tools import demo

    a = inv.args
    return with_context(inv, lambda ctx: demo.run(
        ctx, inv.url, members=a.members, days=a.days, seed=a.seed, if_empty=a.if_empty),
        create=True)


def simulate(inv: Invocation) -> int:
    from ..tools import simulate

    a = inv.args
    return with_context(inv, lambda ctx: simulate.run(
        ctx, sales=a.sales, terminal=a.terminal, seed=a.seed), create=True)


def bench(inv: Invocation) -> int:
    from ..tools import bench

    a = inv.args
    if a.startup:
        from ..tools import bench_startup

        return bench_startup.run(inv.url, a.config, runs=a.runs, as_json=a.json)
    if a.reports:
        from ..tools import bench_reports

        return with_context(inv, lambda ctx: bench_reports.run(
            ctx, inv.url, runs=a.runs, check_runs=a.check_runs, as_json=a.json,
            only=tuple(a.only), import_members=a.import_members))
    if a.import_:
        from ..tools import bench_import

        return with_context(inv, lambda ctx: bench_import.run(
            ctx, inv.url, members=a.members, as_json=a.json))
    if a.scan:
        from ..tools import bench_scan

        return with_context(inv, lambda ctx: bench_scan.run(
            ctx, inv.url, frames=a.frames, as_json=a.json))
    return with_context(inv, lambda ctx: bench.run(
        ctx, inv.url, rounds=inv.args.rounds, as_json=inv.args.json,
        products=inv.args.products))
