"""simulate's bad input: every case is refused as it says, writing nothing."""

from __future__ import annotations

import random

import pytest

from terminal.db import models as m
from terminal.services.context import Context
from terminal.tools import refusals, simulate
from tests.helpers import factory


@pytest.mark.parametrize("name", sorted(refusals.CASES))
def test_every_bad_request_is_refused_and_writes_nothing(
        ctx: Context, catalogue: dict[str, m.Product], name: str) -> None:
    factory.counter_members(ctx, 6)
    sim = simulate.Simulator(ctx, random.Random(5))
    refusals.attempt(sim, name)
    assert sim.stats.failures == []
    assert sim.stats.refused == {name: 1}


def test_the_cases_are_those_the_report_names() -> None:
    assert len(refusals.CASES) == 24
    assert {"tampered_code", "used_coupon", "key_reused", "adjust_unapproved"} <= set(
        refusals.CASES)
