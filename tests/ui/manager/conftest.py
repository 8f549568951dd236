"""A shop with Chinese-named members in every kind of segment, a database worker, the window."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from terminal.db import models as m
from terminal.db.database import close_database, open_database
from terminal.services import privacy
from terminal.services.context import Context
from terminal.ui.manager import ManagerWindow
from terminal.ui.qt.tasks import TaskRunner
from tests.conftest import Clock
from tests.helpers import factory

WAIT_MS = 15_000
ZOMBIES = 12


@dataclass(frozen=True)
class Shop:
    ctx: Context  # signed in as the manager
    manager_id: str
    zhang_wei: m.Member  # a champion with points, and the one whose phone is shown
    stored_value_member: m.Member  # cannot be erased before a cash-out


@pytest.fixture
def shop(ctx: Context, clock: Clock, catalogue: dict[str, m.Product]) -> Shop:
    """Members who joined, bought and lapsed at known times before 10 March 2026."""
    today = clock.now
    manager_id = factory.manager(ctx)

    def at(day: date) -> None:
        clock.now = datetime.combine(day, datetime.min.time()).replace(hour=11)

    at(date(2024, 3, 20))  # points from this sale expire on 21 March 2026: "expiring soon"
    lost = factory.member(ctx, "孙丽")
    factory.sale(ctx, [("LATTE", 2)], lost.id)
    at(date(2025, 1, 6))
    zombies = [factory.member(ctx, f"僵尸会员{i:02d}") for i in range(ZOMBIES)]
    at_risk = [factory.member(ctx, name) for name in ("刘洋", "陈静", "杨磊")]
    sleepy = factory.member(ctx, "赵敏")
    champions = [factory.member(ctx, "张伟", birthday=date(1990, 3, 12),
                                marketing_consent=True),
                 factory.member(ctx, "李娜", marketing_consent=True)]
    for day in (date(2025, 11, 20), date(2025, 11, 25), date(2025, 12, 1)):
        at(day)
        for member in at_risk:
            factory.sale(ctx, [("SHAMPOO-A", 3), ("CAKE", 2)], member.id)
    at(date(2025, 8, 1))
    factory.sale(ctx, [("TEA", 1)], sleepy.id)
    for day in (date(2026, 2, 20), date(2026, 3, 1), date(2026, 3, 8)):
        at(day)
        for member in champions:
            factory.sale(ctx, [("LATTE", 4), ("SHAMPOO-B", 2)], member.id)
    at(date(2026, 3, 2))
    newcomer = factory.member(ctx, "王芳", birthday=date(1995, 3, 15))
    factory.top_up(ctx, newcomer.id, 10_000)
    clock.now = today
    manager_ctx = ctx.as_staff(manager_id)
    privacy.reveal_phone(manager_ctx, at_risk[0].id, manager_id)  # something in the audit log
    assert len(zombies) == ZOMBIES
    return Shop(manager_ctx, manager_id, champions[0], newcomer)


@pytest.fixture
def runner(qtbot, db_url: str, shop: Shop) -> Iterator[TaskRunner]:
    """The database worker, with its own connection opened on it as the counter does."""
    close_database()  # the test thread reconnects by itself, to the database opened below
    tasks = TaskRunner("manager-tests")
    opened: list[object] = []
    tasks.run(lambda: open_database(db_url), opened.append, opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT_MS)
    assert not isinstance(opened[0], Exception), opened[0]
    yield tasks
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=WAIT_MS)
    tasks.shutdown(close_database)


@pytest.fixture
def window(qtbot, shop: Shop, runner: TaskRunner) -> ManagerWindow:
    win = ManagerWindow(shop.ctx, runner)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    return win


def idle(qtbot, runner: TaskRunner) -> None:
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
