"""The simulator's till: which database errors are retried with the same request."""

from __future__ import annotations

import random

import peewee
import pytest

from terminal.services.context import Context
from terminal.tools import till


def test_other_operational_errors_are_not_retried(ctx: Context) -> None:
    sim = till.Till(ctx, random.Random(1))

    def broken() -> None:
        raise peewee.OperationalError("no such table: txn")

    with pytest.raises(peewee.OperationalError):
        sim.call(broken)
    assert sim.stats.retries == 0


@pytest.mark.parametrize("message", ["database is locked", "database is busy",
                                     "deadlock detected\nDETAIL: ...",
                                     "could not serialize access due to concurrent update"])
def test_transient_errors(message: str) -> None:
    assert till.transient(peewee.OperationalError(message))
