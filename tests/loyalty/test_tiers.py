"""terminal.loyalty.tiers: thresholds, upgrades at checkout, reviews and progress."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from terminal.core.rules import TierRules
from terminal.loyalty import tiers as T

RULES = TierRules()  # standard 0, silver 2000.00, gold 5000.00, platinum 15000.00
NOW = datetime(2026, 3, 10, 12, 0)


@pytest.mark.parametrize(("spend", "code"), [
    (0, "standard"),
    (199_999, "standard"),
    (200_000, "silver"),  # exactly at the threshold
    (200_001, "silver"),
    (499_999, "silver"),
    (500_000, "gold"),
    (1_499_999, "gold"),
    (1_500_000, "platinum"),
    (10**12, "platinum"),
    (-5, "standard"),  # a refund can make spend negative: still the base tier
])
def test_tier_for_spend(spend: int, code: str) -> None:
    assert T.tier_for_spend(spend, RULES).code == code


def test_qualifying_since() -> None:
    assert T.qualifying_since(NOW, RULES) == NOW - timedelta(days=365)
    assert T.qualifying_since(NOW, TierRules(window_days=30)) == datetime(2026, 2, 8, 12, 0)


def test_rank() -> None:
    assert [T.rank(c, RULES) for c in ("standard", "silver", "gold", "platinum")] == [0, 1, 2, 3]
    assert T.rank("unknown", RULES) == 0


def test_upgrade() -> None:
    up = T.upgrade("standard", 200_000, RULES)
    assert up is not None and up.code == "silver"
    up = T.upgrade("standard", 1_500_000, RULES)  # straight past silver and gold
    assert up is not None and up.code == "platinum"
    assert T.upgrade("standard", 199_999, RULES) is None
    assert T.upgrade("silver", 200_000, RULES) is None  # already there


def test_upgrade_never_downgrades() -> None:
    assert T.upgrade("gold", 0, RULES) is None
    assert T.upgrade("platinum", 200_000, RULES) is None
    assert T.upgrade("gold", 499_999, RULES) is None


def test_review_upgrades_at_once() -> None:
    up = T.review("standard", NOW, 500_000, NOW, RULES)
    assert up is not None and up.code == "gold"


def test_review_downgrades_only_after_hold_days() -> None:
    since = NOW - timedelta(days=365)
    down = T.review("gold", since, 250_000, NOW, RULES)
    assert down is not None and down.code == "silver"  # to the tier the spend reaches
    # one second short of the hold: stays
    assert T.review("gold", since + timedelta(seconds=1), 250_000, NOW, RULES) is None
    assert T.review("gold", NOW - timedelta(days=10), 0, NOW, RULES) is None
    down = T.review("platinum", NOW - timedelta(days=400), 0, NOW, RULES)
    assert down is not None and down.code == "standard"


def test_review_keeps_a_qualifying_member() -> None:
    assert T.review("gold", NOW - timedelta(days=800), 500_000, NOW, RULES) is None
    assert T.review("standard", NOW - timedelta(days=800), 0, NOW, RULES) is None


def test_review_with_short_hold() -> None:
    rules = TierRules(hold_days=0)
    down = T.review("silver", NOW, 0, NOW, rules)
    assert down is not None and down.code == "standard"


def test_next_tier_and_progress() -> None:
    nxt = T.next_tier("standard", RULES)
    assert nxt is not None and nxt.code == "silver"
    assert T.next_tier("platinum", RULES) is None

    tier, missing = T.progress("standard", 150_000, RULES)
    assert tier is not None and tier.code == "silver"
    assert missing == 50_000
    tier, missing = T.progress("silver", 420_000, RULES)
    assert tier is not None and (tier.code, missing) == ("gold", 80_000)
    assert T.progress("platinum", 0, RULES) == (None, 0)
    # a member held in gold whose spend already passes platinum's threshold: nothing missing
    tier, missing = T.progress("gold", 2_000_000, RULES)
    assert tier is not None and (tier.code, missing) == ("platinum", 0)
    # a member held in gold while spending less: measured from gold, not from the spend
    tier, missing = T.progress("gold", 100_000, RULES)
    assert tier is not None and (tier.code, missing) == ("platinum", 1_400_000)


def test_by_code_and_base() -> None:
    assert RULES.by_code("gold").threshold == 500_000
    assert RULES.by_code("nonsense").code == "standard"
    assert RULES.base.code == "standard"


def test_only_the_highest_tier_is_top() -> None:
    rules = TierRules()
    assert [t.code for t in rules.tiers if T.is_top(t.code, rules)] == ["platinum"]
