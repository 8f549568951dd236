"""terminal.loyalty.punch: expiry, use and refund value of punch cards."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from terminal.core.errors import PunchCardError
from terminal.loyalty.punch import PunchState, check_usable, expiry, refund_value

SOLD = datetime(2026, 3, 10, 15, 45)


def test_expiry() -> None:
    # valid through the whole 365th day after the sale
    assert expiry(SOLD, 365) == datetime(2027, 3, 11)
    assert expiry(SOLD, 1) == datetime(2026, 3, 12)
    assert expiry(SOLD, None) is None
    assert expiry(SOLD, 0) is None


def card(**kw: object) -> PunchState:
    values: dict[str, object] = dict(name="10-coffee", visits_left=3,
                                     expires_at=datetime(2026, 4, 1), status="active")
    values.update(kw)
    return PunchState(**values)  # type: ignore[arg-type]


def reason(state: PunchState, now: datetime, visits: int = 1) -> str:
    with pytest.raises(PunchCardError) as info:
        check_usable(state, now, visits)
    return str(info.value.details["reason"])


def test_usable() -> None:
    check_usable(card(), SOLD)
    check_usable(card(visits_left=1), SOLD)
    check_usable(card(expires_at=None), datetime(2099, 1, 1))
    check_usable(card(), datetime(2026, 4, 1) - timedelta(microseconds=1))
    check_usable(card(visits_left=3), SOLD, visits=3)


def test_cancelled() -> None:
    with pytest.raises(PunchCardError, match=r"^the 10-coffee card has been cancelled$"):
        check_usable(card(status="cancelled"), SOLD)
    assert reason(card(status="cancelled", visits_left=0), SOLD) == "cancelled"


def test_expired_exactly_at_expiry() -> None:
    with pytest.raises(PunchCardError, match=r"^the 10-coffee card expired on 2026-04-01$"):
        check_usable(card(), datetime(2026, 4, 1))
    assert reason(card(visits_left=0), datetime(2026, 5, 1)) == "expired"


def test_used_up() -> None:
    with pytest.raises(PunchCardError, match=r"^the 10-coffee card has 0 visits left$"):
        check_usable(card(visits_left=0), SOLD)
    assert reason(card(visits_left=2), SOLD, visits=3) == "used_up"


@pytest.mark.parametrize(("amount", "total", "left", "value"), [
    (25_000, 10, 10, 25_000),
    (25_000, 10, 4, 10_000),
    (25_000, 10, 0, 0),
    (10_000, 3, 1, 3_333),  # 3333.33, rounded down
    (10_000, 3, 2, 6_666),
    (10_000, 0, 0, 0),
])
def test_refund_value(amount: int, total: int, left: int, value: int) -> None:
    assert refund_value(amount, total, left) == value
