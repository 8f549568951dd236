"""The ``expire-points``, ``review-tiers``, ``analyse-members`` and ``settle-imports``
commands: the nightly jobs, by hand or by cron."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from .common import Invocation, with_context

if TYPE_CHECKING:
    from ..services.context import Context


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    subparsers.add_parser("expire-points", parents=parents, help="write off expired points")
    subparsers.add_parser("review-tiers", parents=parents,
                          help="move members to the tier their rolling spend earns")
    subparsers.add_parser("analyse-members", parents=parents,
                          help="compute the Members tab's overview (segments, 80/20, activity, "
                               "lapsed) and keep it, so the tab shows it at once")
    subparsers.add_parser("settle-imports", parents=parents,
                          help="remove what a killed or failed member import left hidden "
                               "(the next import does it too)")


def expire_points(inv: Invocation) -> int:
    from ..services.nightly import expire_points

    return with_context(inv, lambda ctx: _show(expire_points(ctx)))


def review_tiers(inv: Invocation) -> int:
    from ..services.nightly import review_tiers

    return with_context(inv, lambda ctx: _show(review_tiers(ctx)))


def analyse_members(inv: Invocation) -> int:
    from ..services.analytics import compute_overview

    def run(ctx: Context) -> int:
        kept = compute_overview(ctx)
        print(json.dumps({"members": kept.overview.members,
                          "computed_at": kept.computed_at.isoformat(timespec="seconds"),
                          "seconds": kept.seconds}))
        return 0

    return with_context(inv, run)


def settle_imports(inv: Invocation) -> int:
    from ..services.import_batches import settle

    return with_context(inv, lambda ctx: _show(settle(ctx)))


def _show(result: object) -> int:
    print(json.dumps(vars(result)))
    return 0
