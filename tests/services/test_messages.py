"""Messages the members agreed to, through a real SMTP server (aiosmtpd on 127.0.0.1) and a
real HTTP server standing in for an SMS gateway: only consenting live members get them,
once each; the unsubscribe link works; the daily limit, retries and refusals hold; a drain
killed mid-send never sends that message again on its own; two drains never send one
message twice."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import textwrap
import time
import traceback
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from terminal.core.config import EmailSettings, Settings, SmsSettings, WebSettings
from terminal.core.errors import InvalidInput, PermissionDenied
from terminal.db import models as m
from terminal.db.database import close_database, open_database, proxy
from terminal.services import campaigns, member_care, messages, outbox, privacy
from terminal.services.context import Context
from terminal.services.ledger import add_points
from terminal.web.app import make_app
from tests.conftest import Clock
from tests.helpers import factory
from tests.helpers.mail import PUBLIC, SmsGateway, SmtpServer, messaging


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@dataclass
class Shop:
    ctx: Context
    manager: str
    alice: m.Member  # consents, e-mail
    bob: m.Member  # consents, e-mail
    carol: m.Member  # e-mail, no consent
    dave: m.Member  # consented, then erased
    erin: m.Member  # consents, phone only


@pytest.fixture
def shop(ctx: Context, clock: Clock, smtp: SmtpServer) -> Shop:
    ctx.settings = messaging(ctx.settings, smtp=smtp.port)
    manager = factory.manager(ctx)
    joined = clock.now
    clock.now = datetime(2025, 12, 1, 11)  # zombies by March: joined, never bought
    alice = factory.member(ctx, "Alice 王", marketing_consent=True, email="alice@example.com")
    bob = factory.member(ctx, "Bob", marketing_consent=True, email="Bob@Example.COM")
    carol = factory.member(ctx, "Carol", email="carol@example.com")
    dave = factory.member(ctx, "Dave", marketing_consent=True, email="dave@example.com")
    erin = factory.member(ctx, "Erin", marketing_consent=True)
    clock.now = joined
    privacy.erase(ctx, dave.id, manager, "asked at the counter")
    return Shop(ctx, manager, alice, bob, carol, dave, erin)


def drain(shop: Shop, **kw: Any) -> outbox.Drained:
    return outbox.send_due(shop.ctx, **kw)


def test_an_address_is_checked_and_kept_in_its_normal_form(shop: Shop) -> None:
    assert m.Member.get_by_id(shop.bob.id).email == "Bob@example.com"
    with pytest.raises(InvalidInput, match="is not an e-mail address"):
        factory.member(shop.ctx, "Frank", email="frank@")
    changed = member_care.edit(shop.ctx, shop.erin.id, member_care.MemberChanges(
        email=" erin@example.com "))
    assert changed.email == "erin@example.com"
    assert member_care.edit(shop.ctx, shop.erin.id, member_care.MemberChanges(
        email="")).email is None
    assert m.Member.get_by_id(shop.dave.id).email is None  # erased with the rest


def test_a_campaign_reaches_only_its_consenting_coupon_group(shop: Shop, smtp) -> None:
    made = campaigns.create(shop.ctx, "Spring", "zombie", "WINBACK", "We miss you!",
                            control_percent=40, approved_by=shop.manager, seed=7)
    groups = {control: {cm.member_id for cm in m.CampaignMember.select().where(
        m.CampaignMember.campaign == made.id, m.CampaignMember.control == control)}
        for control in (False, True)}
    assert made.control == 2 and len(groups[False]) == 2  # dave is erased: not in a segment
    with pytest.raises(PermissionDenied):
        messages.queue_campaign(shop.ctx, made.id, approved_by="cashier1")
    done = messages.queue_campaign(shop.ctx, made.id, shop.manager)
    assert done.held_out == 2
    assert done.queued + done.no_consent + done.no_address == 2
    again = messages.queue_campaign(shop.ctx, made.id, shop.manager)  # the same campaign twice
    assert again.queued == 0 and again.already == done.queued

    result = drain(shop)
    assert result.sent == done.queued
    consenting = {mb.id: mb for mb in (shop.alice, shop.bob)}
    expected = sorted(m.Member.get_by_id(i).email for i in groups[False] if i in consenting)
    assert smtp.handler.to() == expected  # exactly one each; hold-out, carol, erin: none
    assert len(smtp.handler.received) == len(expected)
    for got in smtp.handler.received:
        member = m.Member.get(m.Member.email == got.recipients[0])
        coupon = m.Coupon.get((m.Coupon.member == member.id)
                              & (m.Coupon.campaign == str(made.id)))
        assert coupon.code in got.text and "We miss you!" in got.text
        assert got.mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = got.mail["List-Unsubscribe"].strip("<>")
        assert unsubscribe.startswith(f"{PUBLIC}/u/U1.") and unsubscribe in got.text
        assert f"{PUBLIC}/m/L1.{member.card_no}." in got.text
        assert got.mail["From"] == f"{shop.ctx.settings.store.name} <shop@example.com>"
    assert drain(shop).sent == 0  # nothing twice
    assert m.AuditEntry.select().where(m.AuditEntry.action == "campaign_messages").count() == 2


def test_the_hold_out_group_gets_nothing_even_when_everyone_consents(shop: Shop, smtp) -> None:
    m.Member.update(marketing_consent=True).where(m.Member.id == shop.carol.id).execute()
    made = campaigns.create(shop.ctx, "All", "zombie", "WINBACK", "Hi", control_percent=50,
                            approved_by=shop.manager, seed=1)
    held = [cm.member_id for cm in m.CampaignMember.select().where(
        m.CampaignMember.campaign == made.id, m.CampaignMember.control)]
    done = messages.queue_campaign(shop.ctx, made.id, shop.manager)
    assert done.held_out == len(held) == 2
    drain(shop)
    held_addresses = {m.Member.get_by_id(i).email for i in held}
    assert not held_addresses & set(smtp.handler.to())
    assert m.Message.select().where(m.Message.member.in_(held)).count() == 0


def test_the_unsubscribe_link_works_and_stops_later_messages(shop: Shop, smtp, db_url,
                                                             clock) -> None:
    add_points(shop.ctx, shop.alice.id, 500, "adjust", reason="t")
    # her points expire in 10 days
    m.PointsEntry.update(expires_at=clock.now + timedelta(days=10)).where(
        m.PointsEntry.member == shop.alice.id).execute()
    assert messages.queue(shop.ctx, ["points_expiring"]).queued == 1
    assert drain(shop).sent == 1
    [got] = smtp.handler.received
    assert "500 points expire on 2026-03-20" in got.text
    link = got.mail["List-Unsubscribe"].strip("<>").removeprefix(PUBLIC)
    close_database()
    proxy.initialize(None)
    with TestClient(make_app(shop.ctx.settings, db_url)) as client:
        asked = client.get(link)
        assert asked.status_code == 200 and "Unsubscribe" in asked.text
        assert 'method="post"' in asked.text
        bad = client.post(link[:-3] + "AAA", data={"List-Unsubscribe": "One-Click"})
        assert bad.status_code == 404
        # the GET alone changed nothing (a mail scanner opens every link)
        open_database(db_url)
        assert m.Member.get_by_id(shop.alice.id).marketing_consent
        close_database()
        done = client.post(link, data={"List-Unsubscribe": "One-Click"})  # RFC 8058
        assert done.status_code == 200 and "no more offers" in done.text
        assert client.post(link).status_code == 200  # twice is fine
        chinese = client.get(link + "?lang=zh_CN")
        assert "退订" in chinese.text
    open_database(db_url)
    assert not m.Member.get_by_id(shop.alice.id).marketing_consent
    [entry] = m.AuditEntry.select().where(m.AuditEntry.action == "member_unsubscribed")
    assert entry.subject == shop.alice.card_no

    # queued before she unsubscribed, claimed after: cancelled at the claim
    m.Member.update(marketing_consent=True).where(m.Member.id == shop.bob.id).execute()
    clock.advance(days=1)
    m.PointsEntry.update(expires_at=clock.now + timedelta(days=3)).where(
        m.PointsEntry.member == shop.alice.id).execute()
    m.Message.insert(id=m.new_id(), **shop.ctx.origin(), member=shop.alice.id,
                     channel="email", kind="birthday", dedupe_key="birthday:late",
                     subject="s", body="b", next_attempt_at=clock.now).execute()
    assert messages.queue(shop.ctx, ["points_expiring"]).no_consent == 1  # not queued
    result = drain(shop)
    assert result.cancelled == 1 and result.sent == 0
    assert len(smtp.handler.received) == 1


def test_the_daily_limit_holds_and_the_rest_wait_for_tomorrow(shop: Shop, smtp, clock) -> None:
    shop.ctx.settings = replace(shop.ctx.settings,
                                messages=replace(shop.ctx.settings.messages, daily_limit=1))
    for i in range(3):
        m.Message.insert(id=m.new_id(), **shop.ctx.origin(), member=shop.alice.id,
                         channel="email", kind="campaign", dedupe_key=f"test:{i}",
                         subject=f"n{i}", body="b", next_attempt_at=clock.now).execute()
    first = drain(shop)
    assert (first.sent, first.deferred) == (1, 2)
    assert drain(shop).sent == 0
    waiting = list(m.Message.select().where(m.Message.state == "queued"))
    assert {w.next_attempt_at for w in waiting} == {datetime(2026, 3, 11)}  # not dropped
    clock.advance(days=1)
    assert drain(shop).sent == 1
    clock.advance(days=1)
    assert drain(shop).sent == 1
    assert len(smtp.handler.received) == 3


def test_a_server_that_says_later_is_tried_again_and_a_refused_address_is_not(
        shop: Shop, smtp, clock) -> None:
    for who in (shop.alice, shop.bob):
        m.Message.insert(id=m.new_id(), **shop.ctx.origin(), member=who.id, channel="email",
                         kind="campaign", dedupe_key=f"t:{who.id}", subject="s", body="b",
                         next_attempt_at=clock.now).execute()
    smtp.handler.rcpt_answers.extend(["451 4.3.0 try again later", "550 5.1.1 no such user"])
    result = drain(shop)
    assert (result.retry, result.failed, result.sent) == (1, 1, 0)
    later = m.Message.get(m.Message.state == "queued")
    assert later.next_attempt_at == clock.now + timedelta(minutes=5)
    assert "451" in later.last_error
    refused = m.Message.get(m.Message.state == "failed")
    assert "550" in refused.last_error and refused.attempts == 1
    assert drain(shop).sent == 0  # not due yet
    clock.advance(minutes=5)
    assert drain(shop).sent == 1
    assert [a.outcome for a in outbox.attempts(later.id)] == ["retry", "sent"]
    assert [a.outcome for a in outbox.attempts(refused.id)] == ["failed"]
    assert m.Message.get_by_id(refused.id).state == "failed"  # never tried again
    assert len(smtp.handler.received) == 1


def test_a_message_turned_away_every_time_fails_after_the_last_try(shop: Shop, smtp,
                                                                    clock) -> None:
    shop.ctx.settings = replace(shop.ctx.settings,
                                messages=replace(shop.ctx.settings.messages, max_attempts=3))
    m.Message.insert(id=m.new_id(), **shop.ctx.origin(), member=shop.alice.id,
                     channel="email", kind="campaign", dedupe_key="t", subject="s", body="b",
                     next_attempt_at=clock.now).execute()
    smtp.handler.data_answers.extend(["421 4.7.0 busy"] * 3)
    waits = []
    for _ in range(3):
        before = clock.now
        drain(shop)
        msg = m.Message.get()
        waits.append(msg.next_attempt_at - before)
        clock.now = msg.next_attempt_at
    assert msg.state == "failed" and msg.attempts == 3 and "421" in msg.last_error
    assert waits[:2] == [timedelta(minutes=5), timedelta(minutes=10)]


def test_no_server_at_all_is_a_retry(shop: Shop, clock) -> None:
    from tests.helpers.mail import free_port

    shop.ctx.settings = messaging(shop.ctx.settings, smtp=free_port())  # nobody listens
    m.Message.insert(id=m.new_id(), **shop.ctx.origin(), member=shop.alice.id,
                     channel="email", kind="campaign", dedupe_key="t", subject="s", body="b",
                     next_attempt_at=clock.now).execute()
    assert drain(shop).retry == 1
    assert "could not be reached" in m.Message.get().last_error


def test_sms_goes_through_the_gateways_url_template(shop: Shop, clock) -> None:
    with SmsGateway() as gateway:
        url = f"http://127.0.0.1:{gateway.port}/send?to={{phone}}&ref={{id}}"
        shop.ctx.settings = messaging(shop.ctx.settings, sms=SmsSettings(
            url=url, method="POST", body="text={text}", header="Authorization: Bearer K1",
            timeout_seconds=5))
        made = campaigns.create(shop.ctx, "SMS", "zombie", "WINBACK", "好久不见 & 10元",
                                control_percent=0, approved_by=shop.manager)
        done = messages.queue_campaign(shop.ctx, made.id, shop.manager)
        # e-mail is not set up now: alice and bob by SMS too (they have phones)
        assert (done.queued, done.no_consent) == (3, 1)
        gateway.answers.extend([503])
        first = drain(shop)
        assert (first.sent, first.retry) == (2, 1)
        clock.advance(minutes=5)
        assert drain(shop).sent == 1
        gateway.answers.extend([400])
        m.Message.insert(id=m.new_id(), **shop.ctx.origin(), member=shop.erin.id,
                         channel="sms", kind="birthday", dedupe_key="b", subject="s",
                         body="b", next_attempt_at=clock.now).execute()
        assert drain(shop).failed == 1  # a 4xx: never again
    sent = [r for r in gateway.requests if r.method == "POST"]
    assert len(sent) == 5
    erin = next(r for r in sent if r.query["to"] == [shop.erin.phone])
    assert erin.headers["Authorization"] == "Bearer K1"
    text = erin.form["text"][0]
    assert "好久不见 & 10元" in text and f"{PUBLIC}/u/U1." in text
    msg = m.Message.get((m.Message.member == shop.erin.id) & (m.Message.kind == "campaign"))
    assert erin.query["ref"] == [str(msg.id)] and msg.state == "sent"
    assert msg.address == shop.erin.phone


def test_nothing_is_queued_without_a_channel_or_a_public_address(shop: Shop) -> None:
    ctx = shop.ctx
    ctx.settings = replace(ctx.settings, email=EmailSettings())
    with pytest.raises(InvalidInput, match=r"set up \[email\]"):
        messages.queue(ctx)
    ctx.settings = messaging(ctx.settings, smtp=25)
    ctx.settings = replace(ctx.settings, web=WebSettings())
    with pytest.raises(InvalidInput, match=r"public_url"):
        messages.queue(ctx)
    assert m.Message.select().count() == 0


def test_birthdays_and_tier_changes_are_queued_once(shop: Shop, clock, smtp) -> None:
    ctx = shop.ctx
    member_care.edit(ctx, shop.alice.id, member_care.MemberChanges(birthday=date(1990, 3, 14)))
    member_care.edit(ctx, shop.bob.id, member_care.MemberChanges(birthday=date(1990, 4, 1)))
    m.Member.update(tier="silver", tier_since=clock.now - timedelta(days=1)).where(
        m.Member.id == shop.bob.id).execute()
    first = messages.queue(ctx)
    assert first.by_kind == {"points_expiring": 0, "birthday": 1, "tier_change": 1}
    assert messages.queue(ctx).queued == 0  # run twice: nothing twice
    shop.ctx.settings = replace(ctx.settings,
                                messages=replace(ctx.settings.messages, daily_limit=5))
    assert drain(shop).sent == 2
    texts = {r.recipients[0]: r for r in smtp.handler.received}
    assert "Happy birthday" in texts["alice@example.com"].mail["Subject"]
    assert "Silver" in texts["Bob@example.com"].mail["Subject"]
    clock.advance(days=7)  # next week: no birthday this week, the tier change is old news
    assert messages.queue(ctx).queued == 0


def test_messages_are_written_in_the_shops_language(shop: Shop, smtp, clock) -> None:
    ctx = shop.ctx
    ctx.settings = replace(ctx.settings, store=replace(ctx.settings.store, language="zh_CN"))
    member_care.edit(ctx, shop.alice.id, member_care.MemberChanges(birthday=date(1990, 3, 14)))
    messages.queue(ctx, ["birthday"])
    drain(shop)
    [got] = smtp.handler.received
    assert "生日快乐" in got.mail["Subject"] and "退订" in got.text


def test_a_person_settles_a_message_whose_fate_is_unknown(shop: Shop, smtp, clock) -> None:
    m.Message.insert(id=m.new_id(), **shop.ctx.origin(), member=shop.alice.id,
                     channel="email", kind="campaign", dedupe_key="t", subject="s", body="b",
                     next_attempt_at=clock.now, state="sending", claim="gone",
                     claimed_at=clock.now, lease_until=clock.now + timedelta(minutes=5)
                     ).execute()
    msg = m.Message.get()
    assert drain(shop).interrupted == 0  # its job may still be sending
    clock.advance(minutes=6)
    assert drain(shop).interrupted == 1
    assert m.Message.get().state == "unknown"
    assert drain(shop).sent == 0 and smtp.handler.received == []  # never on its own
    box = outbox.overview(shop.ctx)
    assert box.counts["unknown"] == 1 and [v.id for v in box.unknown] == [msg.id]
    with pytest.raises(PermissionDenied):
        outbox.resolve(shop.ctx, msg.id, "retry", "cashier1")
    assert outbox.resolve(shop.ctx, msg.id, "sent", shop.manager).state == "sent"
    with pytest.raises(InvalidInput, match="only one that is unknown"):
        outbox.resolve(shop.ctx, msg.id, "sent", shop.manager)
    m.Message.update(state="unknown").execute()
    outbox.resolve(shop.ctx, msg.id, "retry", shop.manager)
    assert drain(shop).sent == 1 and len(smtp.handler.received) == 1
    assert m.AuditEntry.select().where(m.AuditEntry.action == "message_resolved").count() == 2


# -- a drain killed in the middle of a send --------------------------------------------------

KILLED_DRAIN = textwrap.dedent("""
    import sys
    from terminal.cli import main
    sys.exit(main(["messages", "send", "--once", "--config", sys.argv[1], "--db", sys.argv[2]]))
""")


def _config(path: Path, smtp_port: int, **extra: str) -> Path:
    lines = ["[web]", f'public_url = "{PUBLIC}"', "[email]", 'host = "127.0.0.1"',
             f"port = {smtp_port}", 'security = "none"', 'from_address = "shop@example.com"',
             "timeout_seconds = 5", "[messages]", "daily_limit = 5"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_a_drain_killed_mid_send_never_sends_that_message_again(shop: Shop, smtp, db_url,
                                                                tmp_path) -> None:
    import threading

    ctx = shop.ctx
    made = campaigns.create(ctx, "Kill", "zombie", "WINBACK", "Hi", control_percent=0,
                            approved_by=shop.manager)
    m.Member.update(marketing_consent=True).where(m.Member.id == shop.carol.id).execute()
    assert messages.queue_campaign(ctx, made.id, shop.manager).queued == 3  # alice, bob, carol
    smtp.handler.block = threading.Event()  # the first message's DATA gets no answer
    config = _config(tmp_path / "config.toml", smtp.port)
    close_database()
    proxy.initialize(None)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    said = tmp_path / "drain.err"
    with said.open("wb") as err:
        job = subprocess.Popen([sys.executable, "-c", KILLED_DRAIN, str(config), db_url],
                               env=env, stdout=subprocess.DEVNULL, stderr=err)
    try:
        assert smtp.handler.blocked.wait(60), said.read_text()
        os.kill(job.pid, signal.SIGKILL)
        job.wait(30)
    finally:
        if job.poll() is None:
            job.kill()
    assert job.returncode == -signal.SIGKILL
    smtp.handler.block.set()
    [killed] = smtp.handler.arrived
    open_database(db_url)
    [sending] = m.Message.select().where(m.Message.state == "sending")
    assert killed.mail["Message-ID"].startswith(f"<{sending.id}@")

    # the next drain, once the killed job's lease is over: unknown, and the others go
    later = Context(ctx.settings, staff_id="cron",
                    clock=lambda: datetime.now() + outbox.lease(ctx) + timedelta(minutes=1))
    result = outbox.send_due(later)
    assert (result.interrupted, result.sent, result.unknown) == (1, 2, 0)
    assert m.Message.get_by_id(sending.id).state == "unknown"
    assert [a.outcome for a in outbox.attempts(sending.id)] == ["unknown"]
    assert outbox.send_due(later).sent == 0
    ids = [r.mail["Message-ID"] for r in smtp.handler.arrived]
    assert ids.count(killed.mail["Message-ID"]) == 1  # at most once, ever
    assert len(set(ids)) == 3 and len(smtp.handler.received) == 2


# -- two drains at once ----------------------------------------------------------------------

RACE_MESSAGES = 30


def _racer(url: str, data_dir: str, smtp_port: int, barrier: Any, results: Any) -> None:
    try:
        os.environ["MEMBER_TERMINAL_DATA"] = data_dir
        open_database(url, migrate=False)
        settings = messaging(Settings(), smtp=smtp_port, daily_limit=100)
        ctx = Context(settings, staff_id="racer")
        barrier.wait(timeout=60)
        drained = outbox.send_due(ctx)
        results.put(("ok", drained.sent, drained.unknown + drained.failed + drained.retry))
    except BaseException:
        barrier.abort()
        results.put(("error", traceback.format_exc(), 0))
    finally:
        close_database()


@pytest.mark.slow
def test_two_drains_at_once_never_send_one_message_twice(shop: Shop, smtp, db_url) -> None:
    for i in range(RACE_MESSAGES):
        who = (shop.alice, shop.bob)[i % 2]
        m.Message.insert(id=m.new_id(), **shop.ctx.origin(), member=who.id, channel="email",
                         kind="campaign", dedupe_key=f"race:{i}", subject=f"n{i}", body="b",
                         next_attempt_at=shop.ctx.now()).execute()
    close_database()
    spawn = mp.get_context("spawn")
    barrier, results = spawn.Barrier(2), spawn.Queue()
    procs = [spawn.Process(target=_racer, args=(db_url, os.environ["MEMBER_TERMINAL_DATA"],
                                                smtp.port, barrier, results))
             for _ in range(2)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
    assert sum(o[1] for o in outcomes) == RACE_MESSAGES and all(o[2] == 0 for o in outcomes)
    ids = smtp.handler.ids()
    assert len(ids) == len(set(ids)) == RACE_MESSAGES
    open_database(db_url)
    assert m.Message.select().where(m.Message.state == "sent").count() == RACE_MESSAGES
    assert m.MessageAttempt.select().count() == RACE_MESSAGES
    time.sleep(0)  # both took part: not a test of one drain alone
    workers = {a.worker for a in m.MessageAttempt.select()}
    assert len(workers) == 2, workers


def test_serve_sends_the_outbox_by_itself_and_stops_cleanly(shop: Shop, smtp, db_url) -> None:
    """`member-terminal serve` drains the outbox beside the pages (every minute; here every
    tenth of a second): a campaign queued from the manager's window reaches the members with
    no command run, and stopping the service waits for the batch under way."""
    made = campaigns.create(shop.ctx, "Served", "zombie", "WINBACK", "We miss you!",
                            control_percent=0, approved_by=shop.manager)
    done = messages.queue_campaign(shop.ctx, made.id, shop.manager)
    assert done.queued == 2
    with TestClient(make_app(shop.ctx.settings, db_url, clock=shop.ctx.clock,
                             drain_every=0.1)):
        deadline = time.monotonic() + 20
        while len(smtp.handler.received) < done.queued and time.monotonic() < deadline:
            time.sleep(0.05)
    assert smtp.handler.to() == ["Bob@example.com", "alice@example.com"]
    open_database(db_url)  # the service closed the connections it used
    assert {msg.state for msg in m.Message.select()} == {"sent"}
    # without e-mail or SMS set up, or with --no-send (drain_every=None), nothing runs
    with TestClient(make_app(shop.ctx.settings, db_url, clock=shop.ctx.clock)):
        pass
