"""A seeded store for the counter window tests, and helpers to drive the window as a cashier."""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

# without a display, one screen of 1366x768 (the counter's size; Qt's offscreen default is
# 800x800): the windows fit themselves to the screen they open on
os.environ["QT_QPA_PLATFORM"] = (
    f"offscreen:configfile={Path(__file__).with_name('screen-1366x768.json')}"
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen"
    else os.environ["QT_QPA_PLATFORM"])

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from terminal.core.config import BackupSettings, Settings
from terminal.core.errors import PermissionDenied
from terminal.db import models as m
from terminal.db.database import close_database, open_database, proxy
from terminal.loyalty.pricing import Tenders
from terminal.services import accounts, checkout, members, programme, staff
from terminal.services.checkout import CheckoutRequest, SaleItem
from terminal.services.context import Context
from terminal.services.coupons import ensure_default_templates
from terminal.ui.app import CounterWindow
from terminal.ui.language import install_translation, remove_translation


@contextmanager
def translated(qapp: QApplication, language: str) -> Iterator[str]:
    """The window speaks ``language`` while inside (English again after)."""
    installed, warning = install_translation(qapp, language)
    assert warning is None
    try:
        yield language
    finally:
        remove_translation(qapp, installed)


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """Each test once in English and once in Chinese, in the font the app picks."""
    from terminal.ui.fonts import pick_font

    before = qapp.font()
    qapp.setFont(pick_font())
    with translated(qapp, request.param):
        yield request.param
    qapp.setFont(before)


@pytest.fixture
def zh_cn(qapp: QApplication) -> Iterator[None]:
    with translated(qapp, "zh_CN"):
        yield


SCREENS = Path(__file__).resolve().parent  # screen-WxH.json: the offscreen screens
MANAGER_PIN = "2468"
# no daily backup at every window's start (test_counter_integration checks that it works)
QUIET = dataclasses.replace(Settings(), backup=BackupSettings(auto=False))
WAIT_MS = 15_000


@dataclass(frozen=True)
class Store:
    url: str
    member_code: str
    member_phone: str
    card_no: str
    manager: staff.StaffView
    cashier: staff.StaffView
    sale_receipt_no: str


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread() -> Iterator[None]:
    """As the app does (terminal/ui/gc_guard.py): no cycle collection on a worker thread,
    where it could delete a closed window's Qt objects; collect here, on the GUI thread."""
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A store with a Chinese catalogue, a member with points, stored value, a punch card and
    a welcome coupon, an owner/manager and a cashier, and one recorded sale."""
    open_database(db_url)
    try:
        ensure_default_templates()
        ctx = Context(Settings(), staff_id="setup")
        programme.adopt(ctx)  # a shop that has started once: its rules are in the database
        for row in (dict(sku="LATTE", name="拿铁 Latte", category="drinks", price=2800),
                    dict(sku="CAKE", name="芝士蛋糕", category="bakery", price=3200),
                    dict(sku="CARD10", name="十次咖啡卡", category="cards", price=25000,
                         punch_visits=10, punch_valid_days=365)):
            m.Product.create(**row)
        m.ProductBarcode.create(code="6901234567892", product="CAKE")
        owner = staff.create(ctx, "王店长", "owner", MANAGER_PIN)
        # a staff id, not a word: receipts look the name up (PostgreSQL refuses non-UUIDs)
        ctx = ctx.as_staff(str(owner.id))
        cashier = staff.create(ctx, "小李", "cashier", "1357", approved_by=owner.id)
        today = date.today()
        member = members.enrol(ctx, members.EnrolRequest(
            "张伟", "13800001111", birthday=today.replace(year=today.year - 30)
            if (today.month, today.day) != (2, 29) else date(1996, 2, 29),
            marketing_consent=True))
        members.enrol(ctx, members.EnrolRequest("张三", "13800002222"))
        accounts.top_up(ctx, "seed-topup-1", member.id, 10_000, Tenders(cash=10_000))
        accounts.adjust_points(ctx, "seed-points-1", member.id, 10_000, "opening balance",
                               approved_by=str(owner.id))
        # points earned nearly two years ago expire within the month: the panel warns
        back = Context(ctx.settings, ctx.staff_id,
                       lambda: datetime.now() - timedelta(days=715))
        accounts.adjust_points(back, "seed-points-old", member.id, 500, "old points",
                               approved_by=str(owner.id))
        sale = checkout.checkout(ctx, CheckoutRequest(
            "seed-sale-1", (SaleItem("CARD10"),), member_id=member.id,
            tenders=Tenders(cash=25_000)))
        code = members.member_code(ctx, member)
    finally:
        close_database()
    yield Store(db_url, code, "13800001111", member.card_no, owner, cashier, sale.receipt_no)


def count_txns(kind: str) -> int:
    """Rows the services recorded, read on a connection of the test's own thread."""
    with proxy.connection_context():
        return int(m.Txn.select().where(m.Txn.kind == kind).count())


@pytest.fixture
def make_window(qtbot, store: Store) -> Iterator[Callable[..., CounterWindow]]:
    windows: list[CounterWindow] = []

    def make(settings: Settings = QUIET, **kw: object) -> CounterWindow:
        kw.setdefault("staff_id", str(store.cashier.id))  # the cashier signed in
        window = CounterWindow(settings, store.url, **kw)  # type: ignore[arg-type]
        windows.append(window)
        window.show()
        window.activateWindow()  # shortcuts (F-keys) work in the active window only
        qtbot.waitActive(window)
        qtbot.waitUntil(lambda: window.ready, timeout=WAIT_MS)
        return window

    yield make
    # closing stops the worker thread; dropping a running QThread would abort the process
    for window in windows:
        window.close()


def scan(qtbot, window: CounterWindow, text: str) -> None:
    """A keyboard-wedge scanner: the code's keys in a fast burst, then Enter."""
    qtbot.keyClicks(window.search_box, text)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)


def pay_exact_cash(qtbot, dialog) -> None:
    """In the checkout dialog, once it has priced the sale: the exact amount in cash,
    confirmed, and the sale completed."""
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT_MS)
    dialog.cash_exact.click()
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        dialog.confirm_button.click()


def idle(qtbot, window: CounterWindow) -> None:
    qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=WAIT_MS)


def fake_approver(manager: staff.StaffView
                  ) -> Callable[[Context, object, str, str], staff.StaffView]:
    """Approves ``manager`` picked with MANAGER_PIN; refuses anything else, like
    staff.approve."""
    def approve(ctx: Context, staff_id: object, pin: str, action: str) -> staff.StaffView:
        if str(staff_id) != str(manager.id) or pin != MANAGER_PIN:
            raise PermissionDenied("wrong PIN")
        return manager

    return approve


def type_approval(qtbot, dialog, pin: str, who: str | None = None) -> None:
    """In the approval dialog: wait for the list of approvers, pick ``who`` (by name; the
    one already chosen otherwise) and type ``pin``."""
    qtbot.waitUntil(lambda: dialog.who.isEnabled(), timeout=WAIT_MS)
    if who is not None:
        index = next(i for i in range(dialog.who.count()) if who in dialog.who.itemText(i))
        dialog.who.setCurrentIndex(index)
    dialog.pin_edit.clear()
    qtbot.keyClicks(dialog.pin_edit, pin)
