"""Punch cards: N visits sold at once, one used per visit, until they run out or expire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..core.errors import PunchCardError


@dataclass(frozen=True)
class PunchState:
    name: str
    visits_left: int
    expires_at: datetime | None
    status: str  # active | cancelled


def expiry(sold_at: datetime, valid_days: int | None) -> datetime | None:
    if not valid_days:
        return None
    start = sold_at.replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=valid_days + 1)


def check_usable(state: PunchState, now: datetime, visits: int = 1) -> None:
    if state.status != "active":
        raise PunchCardError("the {name} card has been cancelled", reason="cancelled",
                             name=state.name)
    if state.expires_at is not None and now >= state.expires_at:
        raise PunchCardError(
            "the {name} card expired on {expires_at:%Y-%m-%d}", reason="expired", name=state.name,
            expires_at=state.expires_at)
    if state.visits_left < visits:
        raise PunchCardError(
            "the {name} card has {n} visit left", plural="the {name} card has {n} visits left",
            n=state.visits_left, reason="used_up", name=state.name, visits_left=state.visits_left)


def refund_value(line_amount: int, visits_total: int, visits_left: int) -> int:
    """What an unused part of a punch card is worth back: its share, rounded down."""
    if visits_total <= 0:
        return 0
    return line_amount * visits_left // visits_total
