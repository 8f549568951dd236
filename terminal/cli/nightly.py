"""The ``expire-points`` and ``review-tiers`` commands: the nightly jobs, by hand or by cron."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .common import Invocation, with_context


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    subparsers.add_parser("expire-points", parents=parents, help="write off expired points")
    subparsers.add_parser("review-tiers", parents=parents,
                          help="move members to the tier their rolling spend earns")


def expire_points(inv: Invocation) -> int:
    from ..services.nightly import expire_points

    return with_context(inv, lambda ctx: _show(expire_points(ctx)))


def review_tiers(inv: Invocation) -> int:
    from ..services.nightly import review_tiers

    return with_context(inv, lambda ctx: _show(review_tiers(ctx)))


def _show(result: object) -> int:
    print(json.dumps(vars(result)))
    return 0
