"""Shared fixtures: a real database per test (a SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set), a settable clock and a service context."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import peewee
import pytest

from terminal.core.config import Settings
from terminal.db import models as m
from terminal.db.database import close_database, open_database, proxy
from terminal.services.context import Context
from terminal.services.coupons import ensure_default_templates

PG_URL = os.environ.get("TEST_DATABASE_URL", "")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        from datetime import timedelta

        self.now += timedelta(**kwargs)


def reset_postgres(url: str) -> None:
    db = peewee.PostgresqlDatabase(None)
    from playhouse.db_url import parse

    params = parse(url)
    db.init(params.pop("database"), **params)
    with db:
        db.execute_sql("DROP SCHEMA public CASCADE")
        db.execute_sql("CREATE SCHEMA public")


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads the developer's own settings file or writes to their data dir (nor
    leaves the log that main() sets up, or its exception hooks, to the next test)."""
    from terminal.core import config, logs

    monkeypatch.delenv(config.CONFIG_ENV, raising=False)
    monkeypatch.setenv(config.DATA_ENV, str(tmp_path / "data"))
    monkeypatch.setattr(config.platformdirs, "user_config_dir",
                        lambda *a, **k: str(tmp_path / "config"))
    yield
    logs.shutdown()


@pytest.fixture(autouse=True)
def quick_pin_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with its real cost takes ~0.1 s a hash; tests hash hundreds of PINs."""
    import argon2

    from terminal.services import staff

    monkeypatch.setattr(staff, "_hasher",
                        argon2.PasswordHasher(time_cost=1, memory_cost=256, parallelism=1))


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    if PG_URL:
        reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def db(db_url: str) -> Iterator[peewee.Database]:
    database = open_database(db_url)
    try:
        yield database
    finally:
        close_database()
        proxy.initialize(None)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 10, 10, 0, 0))


@pytest.fixture
def ctx(db: peewee.Database, clock: Clock) -> Context:
    ensure_default_templates()
    return Context(Settings(), staff_id="cashier1", clock=clock)


@pytest.fixture
def catalogue(db: peewee.Database) -> dict[str, m.Product]:
    rows = [
        dict(sku="LATTE", name="Latte 拿铁", category="drinks", brand="House", price=2800),
        dict(sku="TEA", name="Green tea 绿茶", category="drinks", brand="Leaf", price=1800),
        dict(sku="CAKE", name="Cheesecake", category="bakery", brand="House", price=3200),
        dict(sku="SHAMPOO-A", name="Shampoo A", category="care", brand="BrandA", price=4590),
        dict(sku="SHAMPOO-B", name="Shampoo B", category="care", brand="BrandB", price=5290),
        dict(sku="CARD10", name="10-coffee card", category="cards", brand="House",
             price=25000, punch_visits=10, punch_valid_days=365),
    ]
    for row in rows:
        m.Product.create(**row)
    m.ProductBarcode.create(code="6901234567892", product="CAKE")
    return {p.sku: p for p in m.Product.select()}
