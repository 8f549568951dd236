"""The ``messages`` and ``nightly`` commands against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import getpass
import json
from datetime import datetime

import pytest

from terminal import cli
from terminal.db import models as m
from terminal.db.database import close_database, open_database, proxy
from terminal.services import campaigns
from terminal.services.context import Context
from terminal.services.coupons import ensure_default_templates
from tests.helpers import factory
from tests.helpers.mail import PUBLIC, SmtpServer


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


def test_a_campaign_queued_and_sent_from_the_command_line(db_url, tmp_path, smtp, capsys,
                                                          monkeypatch) -> None:
    open_database(db_url)
    ensure_default_templates()
    ctx = Context(staff_id="t", clock=lambda: datetime(2025, 12, 1, 11))
    manager = factory.manager(ctx)
    alice = factory.member(ctx, "Alice")
    factory.member(ctx, "Bob", marketing_consent=True)  # no e-mail address
    close_database()
    config = tmp_path / "config.toml"
    config.write_text(f'[web]\npublic_url = "{PUBLIC}"\n[email]\nhost = "127.0.0.1"\n'
                      f'port = {smtp.port}\nsecurity = "none"\n'
                      'from_address = "shop@example.com"\n', encoding="utf-8")

    def run(*argv: str) -> int:
        return cli.main([*argv, "--db", db_url, "--config", str(config)])

    assert run("member", "edit", alice.card_no, "--email", "alice@example.com",
               "--consent", "yes") == 0
    open_database(db_url)
    made = campaigns.create(Context(staff_id="t"), "Winter", "zombie", "WINBACK", "Come back",
                            control_percent=0, approved_by=manager)
    close_database()
    proxy.initialize(None)
    capsys.readouterr()
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "9999")
    assert run("messages", "queue", "--campaign", "Winter", "--manager", "Manager Wang 王",
               "--send") == 0
    queued, sent = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert (queued["queued"], queued["no_address"], queued["held_out"]) == (1, 1, 0)
    assert sent["sent"] == 1 and smtp.handler.to() == ["alice@example.com"]
    assert run("messages", "list", "--state", "sent") == 0
    listing = capsys.readouterr().out
    assert "sent 1" in listing and "campaign" in listing and "a***@example.com" in listing
    message_id = listing.splitlines()[1].split()[0]
    assert run("messages", "list", "--attempts", message_id) == 0
    assert "#1" in capsys.readouterr().out
    assert run("messages", "resolve", message_id, "--retry", "--manager", "Manager Wang 王") == 1
    assert "only one that is unknown / failed" in capsys.readouterr().err

    assert run("nightly") == 0
    jobs = [json.loads(line)["job"] for line in capsys.readouterr().out.splitlines()]
    assert jobs == ["expire-points", "review-tiers", "messages-queue", "messages-send"]
    assert len(smtp.handler.received) == 1  # the campaign's message went once
    open_database(db_url)
    assert m.Message.select().count() == 1 and str(made.id)
    close_database()
    proxy.initialize(None)
