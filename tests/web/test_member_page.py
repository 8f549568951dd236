"""The member's page through HTTP: only through a signed link, in both languages, the
rotating code that the counter reads, and every bad request refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import numpy as np
import pytest
from starlette.testclient import TestClient

from terminal.core import money
from terminal.core.config import Settings
from terminal.db.database import close_database, open_database, proxy
from terminal.loyalty import codes
from terminal.services import member_links, members
from terminal.services.context import Context
from terminal.services.coupons import ensure_default_templates
from terminal.web.app import SECURITY_HEADERS, make_app
from tests.helpers import factory


@pytest.fixture
def shop(db_url: str) -> Iterator[dict]:
    open_database(db_url)
    ensure_default_templates()
    ctx = Context(Settings(), staff_id="t")
    manager = factory.manager(ctx)
    mb = members.enrol(ctx, members.EnrolRequest("张伟 <b>Zhang</b>", "13800001111"))
    factory.top_up(ctx, mb.id, 10_000)
    link = member_links.token(ctx, mb)
    secret = ctx.installation()
    balance = money.format_amount(members.get_member(mb.id).stored_value_balance)
    close_database()
    proxy.initialize(None)
    yield {"url": db_url, "link": link, "card": mb.card_no, "manager": manager,
           "installation": secret, "balance": balance}


@pytest.fixture
def client(shop) -> Iterator[TestClient]:
    with TestClient(make_app(Settings(), shop["url"])) as c:
        yield c


def test_the_members_page_shows_their_card_in_both_languages(client, shop) -> None:
    page = client.get(f"/m/{shop['link']}", headers={"accept-language": "en-GB,en;q=0.8"})
    assert page.status_code == 200
    for name, value in SECURITY_HEADERS.items():
        assert page.headers[name] == value
    html = page.text
    assert "My membership card" in html and "Stored value" in html
    assert shop["balance"] in html
    # a name is text, never markup
    assert "张伟 &lt;b&gt;Zhang&lt;/b&gt;" in html and "<b>Zhang</b>" not in html
    assert "<svg" in html and 'name="viewport"' in html
    chinese = client.get(f"/m/{shop['link']}?lang=zh_CN").text
    assert "我的会员卡" in chinese and "储值" in chinese and "My membership card" not in chinese
    assert "卡号" in chinese and "银行卡" not in chinese  # the member's card, not a bank card
    assert client.get(f"/m/{shop['link']}",
                      headers={"accept-language": "zh-CN,zh;q=0.9"}).text == chinese


def test_the_code_on_the_page_is_the_members_rotating_code(client, shop) -> None:
    import cv2
    import zxingcpp

    page = client.get(f"/m/{shop['link']}")
    svg = re.search(r'id="member-code">\s*(<svg.*?</svg>)', page.text, re.S).group(1)
    # the SVG drawn as an image and read back, as the counter's decoder reads a phone
    path = re.search(r'd="([^"]+)"', svg).group(1)
    size = int(float(re.search(r'viewBox="0 0 ([0-9.]+)', svg).group(1)))
    image = np.full((size * 8, size * 8), 255, np.uint8)
    for x, y in re.findall(r"M(\d+),(\d+)", path):
        cv2.rectangle(image, (int(x) * 8, int(y) * 8), (int(x) * 8 + 7, int(y) * 8 + 7), 0, -1)
    [found] = zxingcpp.read_barcodes(image)
    installation, secret = shop["installation"]
    assert codes.verify_member_code(found.text, secret, installation) == shop["card"]
    later = datetime.now().astimezone() + timedelta(minutes=2)
    with pytest.raises(Exception, match="expired"):
        codes.verify_member_code(found.text, secret, installation, later)


@pytest.mark.parametrize("path", [
    "/", "/m/", "/m/13800001111", "/m/L1.1234567897.0.AAAAAAAAAAAAAAAAAAAAAAAAAA",
    "/m/<script>alert(1)</script>", "/m/" + "x" * 5000, "/m/../../etc/passwd"])
def test_nothing_but_a_genuine_link_opens_a_page(client, path) -> None:
    answer = client.get(path)
    assert answer.status_code == 404
    assert "<script>alert" not in answer.text
    assert "SELECT" not in answer.text and "Traceback" not in answer.text


def test_a_revoked_link_is_refused_at_once(client, shop) -> None:
    assert client.get(f"/m/{shop['link']}").status_code == 200
    open_database(shop["url"])
    try:
        member_links.revoke(Context(Settings(), staff_id="t"), shop["card"], shop["manager"])
    finally:
        close_database()
    refused = client.get(f"/m/{shop['link']}")
    assert refused.status_code == 404 and "not valid" in refused.text


def test_a_flood_of_requests_is_slowed_down(shop) -> None:
    with TestClient(make_app(Settings(), shop["url"], rate=5)) as c:
        answers = [c.get(f"/m/{shop['link']}").status_code for _ in range(8)]
    assert answers[:5] == [200] * 5 and answers[5:] == [429] * 3


def test_serve_answers_on_its_port(shop, tmp_path) -> None:
    """member-terminal serve as a shop starts it: uvicorn on a real socket."""
    import os
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    import httpx2

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, str(root / "main.py"), "--db", shop["url"], "serve", "--host",
             "127.0.0.1", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx2.get(f"http://127.0.0.1:{port}/m/{shop['link']}", timeout=2)
                break
            except httpx2.TransportError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        assert answer.status_code == 200 and "My membership card" in answer.text
        assert httpx2.get(f"http://127.0.0.1:{port}/m/nothing").status_code == 404
    finally:
        server.terminate()
        server.wait(10)


def test_serve_refuses_a_bad_port_and_a_database_it_cannot_open(tmp_path, capsys) -> None:
    from terminal import cli

    good = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    assert cli.main(["--db", good, "serve", "--port", "0"]) == 1
    assert "expected 1 to 65535" in capsys.readouterr().err
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database", encoding="utf-8")
    assert cli.main(["--db", f"sqlite:///{text}", "serve", "--port", "8080"]) != 0
    assert "notes.sqlite" in capsys.readouterr().err
