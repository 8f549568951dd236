"""Tiers: qualifying spend over a rolling window; upgrade at checkout, downgrade on review."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..core.rules import Tier, TierRules


def qualifying_since(now: datetime, rules: TierRules) -> datetime:
    """Start of the rolling window whose spend decides the tier."""
    return now - timedelta(days=rules.window_days)


def tier_for_spend(spend: int, rules: TierRules) -> Tier:
    """The highest tier whose threshold ``spend`` reaches."""
    best = rules.base
    for tier in rules.tiers:
        if spend >= tier.threshold:
            best = tier
    return best


def rank(code: str, rules: TierRules) -> int:
    for i, tier in enumerate(rules.tiers):
        if tier.code == code:
            return i
    return 0


def is_top(code: str, rules: TierRules) -> bool:
    """No checkout can move this tier up (the caller can skip summing the spend)."""
    return code == rules.tiers[-1].code


def upgrade(current: str, spend: int, rules: TierRules) -> Tier | None:
    """The tier to move up to after a sale, or None to stay: checkout never downgrades."""
    target = tier_for_spend(spend, rules)
    if rank(target.code, rules) > rank(current, rules):
        return target
    return None


def review(current: str, tier_since: datetime, spend: int, now: datetime,
           rules: TierRules) -> Tier | None:
    """The tier after a scheduled review, or None to stay.

    Moves up when spend qualifies; moves down to the tier the spend qualifies for, but only
    once the member has held the current tier for ``hold_days``.
    """
    target = tier_for_spend(spend, rules)
    now_rank, target_rank = rank(current, rules), rank(target.code, rules)
    if target_rank > now_rank:
        return target
    if target_rank < now_rank and now - tier_since >= timedelta(days=rules.hold_days):
        return target
    return None


def next_tier(current: str, rules: TierRules) -> Tier | None:
    i = rank(current, rules)
    return rules.tiers[i + 1] if i + 1 < len(rules.tiers) else None


def progress(current: str, spend: int, rules: TierRules) -> tuple[Tier | None, int]:
    """The next tier and the spend still missing to reach it (0 when there is none)."""
    nxt = next_tier(current, rules)
    if nxt is None:
        return None, 0
    return nxt, max(0, nxt.threshold - spend)
