"""Joining from a phone through HTTP: the form with its CSRF token, the waiting page with
the code the counter scans, the member's page once confirmed; every bad form refused and
said why, a flood held off, HTML in a name kept as text."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from starlette.testclient import TestClient

from terminal.core.config import Settings
from terminal.db import models as m
from terminal.db.database import close_database, open_database, proxy
from terminal.services import joins, members
from terminal.services.context import Context
from terminal.services.coupons import ensure_default_templates
from terminal.web.app import CSRF_COOKIE, SECURITY_HEADERS, make_app


@pytest.fixture
def shop_url(db_url: str) -> Iterator[str]:
    open_database(db_url)
    ensure_default_templates()
    ctx = Context(Settings(), staff_id="t")
    members.enrol(ctx, members.EnrolRequest("Friend", "13800000001"))
    close_database()
    proxy.initialize(None)
    yield db_url


@pytest.fixture
def client(shop_url: str) -> Iterator[TestClient]:
    with TestClient(make_app(Settings(), shop_url), client=("192.0.2.1", 5000),
                    follow_redirects=False) as c:
        yield c


@pytest.fixture
def wall_clock():
    """The service's clock: now (the codes' and joins' times are compared with it)."""
    return lambda: datetime.now().replace(microsecond=0)


def in_db(url: str, fn):
    open_database(url)
    try:
        return fn(Context(Settings(), staff_id="counter"))
    finally:
        close_database()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]{64})"', html).group(1)


def send(client: TestClient, **values: str):
    page = client.get("/join")
    data = {"csrf": csrf_of(page.text), "name": "李娜", "phone": "139 0000 1234"} | values
    return client.post("/join", data=data)


def test_join_from_the_phone_then_the_counter_confirms_then_the_members_page(
        client, shop_url) -> None:
    form = client.get("/join?ref=rfriend", headers={"accept-language": "zh-CN"})
    assert form.status_code == 200 and "入会" in form.text and "Mobile phone" not in form.text
    for name, value in SECURITY_HEADERS.items():
        assert form.headers[name] == value
    cookie = form.headers["set-cookie"]
    assert CSRF_COOKIE in cookie and "httponly" in cookie.lower() and "samesite=strict" in \
        cookie.lower()
    assert 'value="rfriend"' in form.text  # the friend's code, kept as it came
    sent = client.post("/join?lang=zh_CN", data={
        "csrf": csrf_of(form.text), "name": "李娜", "phone": "139 0000 1234",
        "birthday": "1990-05-04", "consent": "yes", "referral_code": ""})
    assert sent.status_code == 303
    waiting_at = sent.headers["location"]
    assert re.fullmatch(r"/join/J1\.[A-Z2-7]{24}\?lang=zh_CN", waiting_at)
    page = client.get(waiting_at)
    assert page.status_code == 200 and "李娜" in page.text and "<svg" in page.text
    token = waiting_at.split("/")[2].split("?")[0]
    state_at = f"/join/{token}/state"
    assert client.get(state_at).json() == {"next": None}

    member = in_db(shop_url, lambda ctx: joins.confirm(ctx, joins.find(ctx, token).id))
    assert member.marketing_consent and member.phone == "+8613900001234"
    following = client.get(state_at).json()["next"]
    assert following.startswith("/m/L1.")
    opened = client.get(waiting_at)  # the waiting page itself now goes there
    assert opened.status_code == 303 and opened.headers["location"].startswith(following)
    card = client.get(following + "?lang=zh_CN")
    assert card.status_code == 200 and "我的会员卡" in card.text and "李娜" in card.text
    # bring a friend: their own referral link and its QR, at the address they came to
    ref = in_db(shop_url, lambda ctx: members.get_member(member.id).referral_code)
    assert f"http://testserver/join?ref={ref}&amp;lang=zh_CN" in card.text
    assert card.text.count("<svg") == 2


def test_a_form_without_its_csrf_token_is_refused(client, shop_url) -> None:
    client.get("/join")
    forged = client.post("/join", data={"csrf": "0" * 64, "name": "x", "phone": "13900001234"})
    assert forged.status_code == 403 and "expired" in forged.text
    # a form posted from another site carries none of our cookie
    other = TestClient(client.app, client=("192.0.2.2", 5000))
    token = csrf_of(client.get("/join").text)
    assert other.post("/join", data={"csrf": token, "name": "x",
                                     "phone": "13900001234"}).status_code == 403
    assert in_db(shop_url, lambda ctx: m.PendingJoin.select().count()) == 0


@pytest.mark.parametrize("values, said", [
    (dict(phone="13800abc123"), "phone"),
    (dict(name="  "), "name"),
    (dict(birthday="2099-12-31"), "not possible"),
    (dict(referral_code="RNOSUCH1"), "referral code"),
])
def test_a_bad_form_comes_back_with_what_is_wrong_and_what_was_typed(
        client, values, said) -> None:
    answer = send(client, **values)
    assert answer.status_code == 400
    assert said in re.search(r'id="join-error"[^>]*>([^<]*)<', answer.text).group(1)
    # what was typed comes back to be corrected, not typed again
    kept = {"name": "李娜", "phone": "139 0000 1234"} | values
    assert f'value="{kept["phone"]}"' in answer.text


def test_html_in_a_name_is_text_on_every_page(client, shop_url) -> None:
    sent = send(client, name='<img src=x onerror="alert(1)">')
    page = client.get(sent.headers["location"])
    assert "<img src=x" not in page.text and "&lt;img src=x" in page.text
    bad = send(client, name="<b>bold</b>", phone="nope")
    assert "<b>bold</b>" not in bad.text and "&lt;b&gt;bold&lt;/b&gt;" in bad.text


def test_a_flood_of_joins_is_held_off(shop_url) -> None:
    with TestClient(make_app(Settings(), shop_url), client=("198.51.100.9", 1),
                    follow_redirects=False) as c:
        answers = [send(c, phone=f"1370000{i:04d}").status_code for i in range(8)]
    # the service keeps 3 waiting from one address; the web layer sends 5 in ten minutes
    assert answers[:3] == [303] * 3 and answers[3:5] == [429] * 2
    assert answers[5:] == [429] * 3
    assert in_db(shop_url, lambda ctx: joins.waiting(ctx)[1]) == 3


def test_a_huge_form_is_refused_before_it_is_read(client) -> None:
    token = csrf_of(client.get("/join").text)
    answer = client.post("/join", data={"csrf": token, "name": "x" * 10_000,
                                        "phone": "13900001234"})
    assert answer.status_code == 413


@pytest.mark.parametrize("path", ["/join/J1.AAAAAAAAAAAAAAAAAAAAAAAA", "/join/anything",
                                  "/join/<script>", "/join/J1.AAAAAAAAAAAAAAAAAAAAAAAA/state"])
def test_a_made_up_join_token_learns_nothing(client, path) -> None:
    answer = client.get(path)
    assert answer.status_code == 404 and "<script>" not in answer.text


def sms_settings(port: int) -> Settings:
    from terminal.core.config import SmsSettings

    return dataclasses.replace(Settings(), sms=SmsSettings(
        url=f"http://127.0.0.1:{port}/send?to={{phone}}&text={{text}}", timeout_seconds=5))


def test_with_an_sms_gateway_the_code_sent_to_the_phone_confirms_the_join(
        shop_url, wall_clock) -> None:
    from tests.helpers.mail import SmsGateway

    with SmsGateway() as gateway, TestClient(
            make_app(sms_settings(gateway.port), shop_url, clock=wall_clock),
            client=("192.0.2.3", 1), follow_redirects=False) as c:
        sent = send(c, name="短信 Join")
        waiting_at = sent.headers["location"]
        [request] = gateway.requests
        assert request.query["to"] == ["+8613900001234"]
        code = re.search(r"\b(\d{6})\b", request.query["text"][0]).group(1)
        page = c.get(waiting_at)
        assert 'name="code"' in page.text and 'autocomplete="one-time-code"' in page.text
        token = waiting_at.split("/")[2].split("?")[0]
        csrf = csrf_of(page.text)
        # sent again within ten minutes: the same code stands, no second message
        again = send(c, name="短信 Join")
        assert len(gateway.requests) == 1
        token = again.headers["location"].split("/")[2].split("?")[0]
        csrf = csrf_of(c.get(again.headers["location"]).text)
        wrong = c.post(f"/join/{token}/code", data={"csrf": csrf, "code": "000000"
                                                    if code != "000000" else "111111"})
        assert wrong.status_code == 400 and "not the code" in wrong.text
        assert c.post(f"/join/{token}/code", data={"csrf": "x" * 64,
                                                   "code": code}).status_code == 403
        right = c.post(f"/join/{token}/code", data={"csrf": csrf, "code": f" {code} "})
        assert right.status_code == 303 and right.headers["location"].startswith("/m/L1.")
        card = c.get(right.headers["location"])
        assert card.status_code == 200 and "短信 Join" in card.text
    made = in_db(shop_url, lambda ctx: m.Member.get(m.Member.name == "短信 Join"))
    assert made.phone == "+8613900001234"
    assert in_db(shop_url, lambda ctx: joins.waiting(ctx)) == ([], 0)


def test_five_wrong_codes_leave_only_the_counter(shop_url, wall_clock) -> None:
    from tests.helpers.mail import SmsGateway

    with SmsGateway() as gateway, TestClient(
            make_app(sms_settings(gateway.port), shop_url, clock=wall_clock),
            client=("192.0.2.4", 1), follow_redirects=False) as c:
        waiting_at = send(c).headers["location"]
        code = re.search(r"\b(\d{6})\b", gateway.requests[0].query["text"][0]).group(1)
        token = waiting_at.split("/")[2].split("?")[0]
        csrf = csrf_of(c.get(waiting_at).text)
        guesses = [g for g in (f"{n:06d}" for n in range(10)) if g != code][:joins.CODE_TRIES]
        assert [c.post(f"/join/{token}/code", data={"csrf": csrf, "code": g}).status_code
                for g in guesses] == [400] * joins.CODE_TRIES
        last = c.post(f"/join/{token}/code", data={"csrf": csrf, "code": code})
        assert last.status_code == 429 and "counter" in last.text
        assert 'name="code"' not in c.get(waiting_at).text  # no box any more
    # the counter still can
    member = in_db(shop_url, lambda ctx: joins.confirm(ctx, joins.find(ctx, token).id))
    assert member.phone == "+8613900001234"


def test_a_gateway_that_refuses_leaves_the_counter_and_says_nothing_else(
        shop_url, wall_clock) -> None:
    from tests.helpers.mail import SmsGateway

    with SmsGateway() as gateway, TestClient(
            make_app(sms_settings(gateway.port), shop_url, clock=wall_clock),
            client=("192.0.2.5", 1), follow_redirects=False) as c:
        gateway.answers.append(400)
        waiting_at = send(c).headers["location"]
        assert len(gateway.requests) == 1
        page = c.get(waiting_at)
        assert page.status_code == 200 and 'name="code"' not in page.text


def test_a_join_link_a_day_old_is_refused(shop_url) -> None:
    from datetime import timedelta

    from tests.conftest import Clock

    clock = Clock(datetime.now().replace(microsecond=0))
    with TestClient(make_app(Settings(), shop_url, clock=clock), client=("192.0.2.6", 1),
                    follow_redirects=False) as c:
        waiting_at = send(c).headers["location"]
        assert c.get(waiting_at).status_code == 200
        clock.advance(hours=23)
        assert c.get(waiting_at).status_code == 200
        clock.advance(hours=1, seconds=1)
        gone = c.get(waiting_at)
        assert gone.status_code == 404 and "not waiting" in gone.text
        token = waiting_at.split("/")[2].split("?")[0]
        assert c.get(f"/join/{token}/state").status_code == 404
        assert timedelta(days=1) == joins.KEPT


def test_serve_killed_while_the_code_goes_out_loses_nothing_and_sends_no_code_twice(
        shop_url, tmp_path) -> None:
    """kill -9 of `member-terminal serve` while the SMS gateway holds the code's request:
    the join is kept (the counter can confirm it), no box for a code that may never have
    gone, and the same form sent again to a new server sends a new code, once."""
    import contextlib
    import http.server
    import os
    import signal
    import socket
    import subprocess
    import sys
    import threading
    import time
    import urllib.parse
    from pathlib import Path

    import httpx2

    held, release, texts = threading.Event(), threading.Event(), []

    class Gateway(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            texts.append(urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query))
            if len(texts) == 1:  # the first code: never answered while the server lives
                held.set()
                release.wait(30)
            with contextlib.suppress(OSError):  # the server that asked may be gone
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    gateway = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    config = tmp_path / "config.toml"
    config.write_text(f'[sms]\nurl = "http://127.0.0.1:{gateway.server_address[1]}/send?'
                      'to={phone}&text={text}"\ntimeout_seconds = 20\n', encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))

    def serve() -> tuple[subprocess.Popen, str]:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, str(root / "main.py"), "--config", str(config), "--db", shop_url,
             "serve", "--host", "127.0.0.1", "--port", str(port), "--no-send"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx2.get(base + "/", timeout=2)
                return server, base
            except httpx2.TransportError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)

    def post_form(base: str, timeout: float):
        with httpx2.Client(base_url=base, timeout=timeout, follow_redirects=True) as c:
            form = c.get("/join")
            return c.post("/join", data={"csrf": csrf_of(form.text), "name": "Killed",
                                         "phone": "13900005555"})

    try:
        server, base = serve()
        def cut_off() -> None:  # the request to the server killed under it fails
            with contextlib.suppress(Exception):
                post_form(base, 30)

        sending = threading.Thread(target=cut_off)
        sending.start()
        assert held.wait(20), "the code never reached the gateway"
        os.kill(server.pid, signal.SIGKILL)
        server.wait(10)
        release.set()
        sending.join(30)

        def saved(ctx):
            rows = list(m.PendingJoin.select())
            return [(r.name, r.code_hash is not None, r.code_sent_at) for r in rows]

        assert in_db(shop_url, saved) == [("Killed", True, None)]  # kept, no code known sent
        server, base = serve()
        again = post_form(base, 30)
        assert again.status_code == 200  # followed to the waiting page
        assert 'name="code"' in again.text  # this time the code went
        assert len(texts) == 2
        assert in_db(shop_url, lambda ctx: joins.waiting(ctx)[1]) == 1  # one join, not two
        code = re.search(r"\b(\d{6})\b", texts[1]["text"][0]).group(1)
        token = again.url.path.split("/")[2]
        with httpx2.Client(base_url=base, timeout=10) as c:
            page = c.get(f"/join/{token}")
            done = c.post(f"/join/{token}/code", data={"csrf": csrf_of(page.text),
                                                       "code": code})
        assert done.status_code == 303
    finally:
        release.set()
        server.kill()
        server.wait(10)
        gateway.shutdown()
        gateway.server_close()
    assert in_db(shop_url, lambda ctx: m.Member.select().where(
        m.Member.name == "Killed").count()) == 1

