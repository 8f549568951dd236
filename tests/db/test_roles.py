"""On PostgreSQL the terminals' role may only add to the audit log: UPDATE, DELETE and
TRUNCATE are refused by a trigger (even for the owner) and by the role's privileges."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse, urlunparse

import peewee
import pytest

from terminal.db import models as m
from terminal.db.database import close_database, open_database, proxy
from terminal.db.roles import terminal_role_grants
from terminal.services import integrity, refunds
from tests.conftest import PG_URL
from tests.helpers import factory

postgres_only = pytest.mark.skipif(not PG_URL, reason="needs a PostgreSQL database "
                                   "(TEST_DATABASE_URL): the role and the trigger are "
                                   "PostgreSQL's")
ROLE = "mt_terminal_test"
REFUSED = ("UPDATE audit_entry SET reason = 'nothing happened'",
           "DELETE FROM audit_entry", "TRUNCATE audit_entry")


def _as(user: str) -> str:
    parsed = urlparse(PG_URL)
    netloc = f"{user}@{parsed.hostname}:{parsed.port}"
    return urlunparse(parsed._replace(netloc=netloc))


def _drop_role(database: peewee.Database) -> None:
    exists = database.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,))
    if exists.fetchone():
        database.execute_sql(f"DROP OWNED BY {ROLE}")
        database.execute_sql(f"DROP ROLE {ROLE}")


@pytest.fixture
def terminal_role(db: peewee.Database) -> Iterator[str]:
    _drop_role(db)
    db.execute_sql(f"CREATE ROLE {ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
    for sql in terminal_role_grants(ROLE):
        db.execute_sql(sql)
    yield ROLE
    close_database()
    owner = peewee.PostgresqlDatabase(None)
    from playhouse.db_url import parse

    params = parse(PG_URL)
    owner.init(params.pop("database"), **params)
    with owner:
        _drop_role(owner)


def _refusal(database: peewee.Database, sql: str) -> str:
    try:
        with database.atomic():
            database.execute_sql(sql)
    except peewee.DatabaseError as exc:
        return str(exc)
    return "accepted"


@postgres_only
def test_the_terminals_role_works_but_cannot_change_the_audit_log(
        db, ctx, catalogue, terminal_role) -> None:
    manager = factory.manager(ctx)
    owner = db
    # the owner (a superuser here) is refused by the trigger
    for sql in REFUSED:
        assert "the audit log is append-only" in _refusal(owner, sql), sql

    # the counter's work, connected as the terminals' role
    close_database()
    role_db = open_database(_as(terminal_role))
    assert role_db.execute_sql("SELECT current_user").fetchone()[0] == ROLE
    sale = factory.sale(ctx, [("LATTE", 2)], cash=5600)
    refunds.refund(ctx, refunds.RefundRequest(factory.key(), sale.txn_id, manager))
    assert m.AuditEntry.select().count() == 3
    assert integrity.check() == []
    # its privileges refuse it first, before the trigger
    for sql in REFUSED:
        assert "permission denied for table audit_entry" in _refusal(role_db, sql), sql
    assert "must be owner" in _refusal(role_db, "DROP TRIGGER audit_entry_append_only "
                                                "ON audit_entry")
    assert "permission denied" in _refusal(role_db, "DELETE FROM day_close")
    # the running totals followed the sale and the refund, written by their triggers alone
    assert m.TxnDay.select().count() == 2
    assert "permission denied" in _refusal(role_db, "UPDATE txn_day SET total = 0")
    # and without the trigger, the privileges alone still refuse
    close_database()
    owner = open_database(PG_URL)
    owner.execute_sql("ALTER TABLE audit_entry DISABLE TRIGGER USER")
    close_database()
    role_db = open_database(_as(terminal_role))
    for sql in REFUSED:
        assert "permission denied for table audit_entry" in _refusal(role_db, sql), sql
    assert m.AuditEntry.select().count() == 3
    assert proxy.obj is role_db


def test_the_grants_take_plain_names_only() -> None:
    with pytest.raises(ValueError, match="not a plain PostgreSQL name"):
        terminal_role_grants('x"; DROP TABLE member; --')
