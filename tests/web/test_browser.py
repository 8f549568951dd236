"""The member's page in a real browser, as a member's phone shows it at the counter.

``member-terminal serve`` runs on a test database with one member; headless Chromium
(Debian's ``chromium`` and ``chromium-driver``, driven by Selenium, never downloading
anything) opens their link with a phone's screen (390 x 844 CSS pixels, 3 device pixels
each). What it proves, in English and in Chinese:

* the page lays out within the phone's width: no sideways scrolling, nothing sticking out
  of its box (the member's long name wraps), the other language's link on one line, the
  whole code on the first screen;
* a screenshot of the screen, held up to the counter's webcam (shrunk onto camera frames,
  straight, tilted and blurred, played through the counter's own capture path and
  scanner, which checks the code with the installation's key), gives a code that
  ``members.identify`` takes for that member;
* the same code, identified two minutes later, is refused as expired.

The screenshots stay in the test's temporary directory (``pytest-of-$USER/pytest-current``)
to be looked at. Without ``/usr/bin/chromium`` the test is skipped, except in CI, where it
fails: CI must never pass without having run it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import cv2
import httpx2
import numpy as np
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from terminal.core.config import CameraSettings, Settings
from terminal.core.errors import MemberCodeError
from terminal.db import models as m
from terminal.db.database import close_database, open_database, proxy
from terminal.loyalty import codes
from terminal.scanner.events import ScanEvent
from terminal.scanner.scanner import Scanner
from terminal.services import member_links, members
from terminal.services.context import Context, local_now
from terminal.services.coupons import ensure_default_templates
from tests.helpers import factory
from tests.scanner import imaging as im

CHROMIUM = Path("/usr/bin/chromium")  # Debian's packages (scripts/system-deps.sh test)
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PHONE = {"width": 390, "height": 844, "pixelRatio": 3.0}  # a common phone, in CSS pixels
START_S = 30  # for `serve` to answer (a Python process starting on a busy machine)
WAIT_S = 10  # for a page to load and its code to be there
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Shop:
    db_url: str
    base: str  # http://127.0.0.1:PORT
    link: str  # the member's signed link
    member_id: object
    card_no: str
    installation: tuple[str, bytes]  # what the counter's camera checks member codes with


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def shop(db_url: str, tmp_path: Path) -> Iterator[Shop]:
    """A member with stored value and a visit, and the service running on a free port."""
    open_database(db_url)
    try:
        ensure_default_templates()
        ctx = Context(Settings(), staff_id="t")
        m.Product.create(sku="LATTE", name="Latte 拿铁", category="drinks", brand="House",
                         price=2800)
        # a real surname, longer than a phone's line: it must wrap, not stick out
        name = "张伟 Hubert Wolfeschlegelsteinhausenbergerdorff"
        mb = members.enrol(ctx, members.EnrolRequest(name, "13800001111"))
        factory.top_up(ctx, mb.id, 10_000)
        factory.sale(ctx, [("LATTE", 2)], member_id=mb.id)
        link = member_links.token(ctx, mb)
        member_id, card_no, installation = mb.id, mb.card_no, ctx.installation()
    finally:
        close_database()
        proxy.initialize(None)

    port = _free_port()
    # the server's own settings file: none (the defaults), never the developer's
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CONFIG_HOME=str(tmp_path / "config"))
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--db", db_url, "serve", "--host",
             "127.0.0.1", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_S
        while True:  # up once it answers (a 404 for the bare address)
            try:
                httpx2.get(base + "/", timeout=2)
                break
            except httpx2.TransportError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield Shop(db_url, base, link, member_id, card_no, installation)
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[webdriver.Chrome]:
    """Headless Chromium with a phone's screen; quit whatever happens."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (Debian packages chromium, chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # the driver's path is given, so Selenium Manager is never run; if it were, offline
    monkeypatch.setenv("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    # a phone: its width and pixel density, touch, and the page's viewport tag obeyed
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    try:
        driver.set_page_load_timeout(WAIT_S)
        driver.set_script_timeout(WAIT_S)
        yield driver
    finally:
        driver.quit()


def _through_the_webcam(png: bytes, shop: Shop, folder: Path) -> list[str]:
    """What the counter's camera reads off the phone's screen: the screenshot shrunk onto a
    webcam-sized frame (a phone held up to a 1280 x 720 camera), straight, at an angle and a
    little out of focus, between empty frames, played through the counter's own capture
    path (a folder of images, opened as a device is) and its scanner, which checks member
    codes with the installation's key as the counter does; the valid scans' texts."""
    screen = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    scale = 680 / screen.shape[0]
    phone = cv2.resize(screen, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    frame = np.full((720, 1280, 3), 70, np.uint8)  # the shop behind the phone
    top, left = (720 - phone.shape[0]) // 2, (1280 - phone.shape[1]) // 2
    frame[top:top + phone.shape[0], left:left + phone.shape[1]] = phone
    folder.mkdir()
    for i, shown in enumerate((im.blank(), frame, im.tilted(frame), im.blurred(frame),
                               im.blank())):
        cv2.imwrite(str(folder / f"{i:03d}.png"), shown)
    inst, secret = shop.installation
    events: list[object] = []
    scanner = Scanner(CameraSettings(source=str(folder)), events.append,
                      verify=lambda text: codes.verify_member_code(text, secret, inst))
    scanner.start()
    assert scanner.join(30), "the scanner did not get to the end of the frames"
    scans = [e for e in events if isinstance(e, ScanEvent)]
    assert all(e.valid for e in scans), scans
    return [e.text for e in scans]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_phone_shows_the_page_and_the_counter_reads_its_code(
        browser: webdriver.Chrome, shop: Shop, lang: str, tmp_path: Path) -> None:
    browser.get(f"{shop.base}/m/{shop.link}?lang={lang}")
    WebDriverWait(browser, WAIT_S).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#member-code svg")))
    assert browser.find_element(By.TAG_NAME, "h1").text  # the page itself, not an error

    # laid out for the phone: its width as the viewport, nothing wider
    width, inner, client = browser.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth,"
        " document.documentElement.clientWidth];")
    assert inner == PHONE["width"], "the viewport tag is not obeyed"
    assert width <= inner and width <= client, f"{width} px wide on a {inner} px screen"
    # ... and nothing sticks out of its box, not even a long name (inside the page's margin
    # it would not make the page scroll)
    assert browser.execute_script(
        "return Array.from(document.querySelectorAll('header, .card'))"
        ".filter(function (box) { return box.scrollWidth > box.clientWidth; })"
        ".map(function (box) { return box.textContent.trim().slice(0, 40); });") == []
    # the other language's link stays whole beside a long shop name (not "中" over "文")
    assert browser.execute_script(  # a range has a rectangle for each line of its text
        "var text = document.createRange();"
        " text.selectNodeContents(document.querySelector('header a'));"
        " return text.getClientRects().length;") == 1
    # the whole code is on the first screen, without scrolling
    top, bottom = browser.execute_script(
        "var r = document.querySelector('#member-code svg').getBoundingClientRect();"
        " return [r.top, r.bottom];")
    assert top >= 0 and bottom <= PHONE["height"], (top, bottom)

    png = browser.get_screenshot_as_png()
    shot = tmp_path / f"member-page-{lang}.png"
    shot.write_bytes(png)
    [payload] = _through_the_webcam(png, shop, tmp_path / f"camera-{lang}")

    open_database(shop.db_url)
    try:
        now = Context(Settings(), staff_id="counter")
        member = members.identify(now, payload)
        assert member.id == shop.member_id and member.card_no == shop.card_no
        # a screenshot of the code kept for later is no good: refused two minutes on
        later = local_now() + timedelta(minutes=2)
        with pytest.raises(MemberCodeError) as refused:
            members.identify(Context(Settings(), staff_id="counter", clock=lambda: later),
                             payload)
        assert refused.value.reason == MemberCodeError.EXPIRED
    finally:
        close_database()
        proxy.initialize(None)


def _fits_the_phone(browser: webdriver.Chrome) -> None:
    width, inner = browser.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth];")
    assert width <= inner == PHONE["width"], f"{width} px wide on a {inner} px screen"


def test_join_on_the_phone_confirmed_at_the_counter_then_served_by_its_code(
        browser: webdriver.Chrome, shop: Shop, tmp_path: Path) -> None:
    """The whole way of a new member: the form on their phone, the code the cashier scans,
    one key at the counter, and the phone, by itself, shows their card's code, which the
    counter's decoder reads and identifies; after the sale the page shows the new points."""
    from terminal.services import joins, lookup

    browser.get(f"{shop.base}/join?lang=zh_CN")
    _fits_the_phone(browser)
    browser.find_element(By.ID, "name").send_keys("李娜 <i>Li</i>")
    browser.find_element(By.ID, "phone").send_keys("139 0000 1234")
    browser.find_element(By.NAME, "consent").click()
    (tmp_path / "join-form.png").write_bytes(browser.get_screenshot_as_png())
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, WAIT_S).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#join-code svg")))
    _fits_the_phone(browser)
    assert "李娜 <i>Li</i>" in browser.find_element(By.ID, "join-name").text
    png = browser.get_screenshot_as_png()
    (tmp_path / "join-waiting.png").write_bytes(png)
    [join_code] = _through_the_webcam(png, shop, tmp_path / "camera-join")

    open_database(shop.db_url)
    try:
        counter = Context(Settings(), staff_id="counter")
        waiting = lookup.lookup(counter, join_code)  # the cashier scans the phone
        assert isinstance(waiting, joins.Waiting) and waiting.name == "李娜 <i>Li</i>"
        new = joins.confirm(counter, waiting.id)  # F2
    finally:
        close_database()
        proxy.initialize(None)

    # the waiting page notices by itself and becomes the member's card
    WebDriverWait(browser, 3 * WAIT_S).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#member-code svg")))
    assert "/m/L1." in browser.current_url and "lang=zh_CN" in browser.current_url
    _fits_the_phone(browser)
    png = browser.get_screenshot_as_png()
    (tmp_path / "join-card.png").write_bytes(png)
    [payload] = _through_the_webcam(png, shop, tmp_path / "camera-card")
    points = browser.find_element(By.CSS_SELECTOR, ".facts").text
    open_database(shop.db_url)
    try:
        counter = Context(Settings(), staff_id="counter")
        served = members.identify(counter, payload)  # the webcam reads the phone
        assert served.id == new.id
        sale = factory.sale(counter, [("LATTE", 2)], member_id=served.id)
        balance = members.get_member(new.id).points_balance
    finally:
        close_database()
        proxy.initialize(None)
    # the page reads itself again (every 25 s; here at once): the sale's points are there
    assert sale.member.points_earned > 0 and f"{balance:,}" not in points
    browser.execute_async_script("refreshCard().then(arguments[0]);")
    after = browser.find_element(By.CSS_SELECTOR, ".facts").text
    assert f"{balance:,}" in after, after
    assert browser.find_element(By.CSS_SELECTOR, "#member-code svg")  # a code still there
