"""The ``gui`` command, the default: the counter window."""

from __future__ import annotations

import argparse
from typing import Any

from .common import Invocation


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    subparsers.add_parser("gui", parents=parents, help="start the counter window (the default)")


def run(inv: Invocation) -> int:
    from ..ui.app import run_gui
    from .setup import demo_fill

    # the set-up assistant's demo data: made in the window's process (no fork beside Qt)
    return run_gui(inv.settings, inv.url, inv.warning,
                   demo=lambda ctx: demo_fill(ctx, workers=0))


def refuse_to_start(text: str) -> None:
    """Show the settings' problems in a window too: the counter has no terminal to read."""
    from ..ui.app import refuse_to_start

    refuse_to_start(text)
