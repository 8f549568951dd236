"""Never frozen: another terminal holding SQLite's write lock makes the counter wait, not hang."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer

from terminal.db import database
from tests.ui.conftest import WAIT_MS, checkout_ready, count_txns, refused_cash


@pytest.fixture
def other_terminal(store) -> Iterator[sqlite3.Connection]:
    """A raw connection to the same file that takes the write lock, as a second counter's
    checkout would."""
    path = database.sqlite_path(store.url)
    if path is None:
        pytest.skip("SQLite's file lock; PostgreSQL locks rows instead")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    if conn.in_transaction:
        conn.rollback()
    conn.close()


@pytest.fixture
def ticks(qtbot) -> Iterator[list[int]]:
    """Counts the GUI thread's timer events: they stop if the event loop is blocked."""
    seen: list[int] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: seen.append(1))
    timer.start()
    yield seen
    timer.stop()


def start_enrolment(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F2)
    dialog = window.dialog
    dialog.name_edit.setText("王芳")
    qtbot.keyClicks(dialog.phone_edit, "13700001234")
    dialog.confirm_button.click()
    return dialog


def test_waits_for_the_lock_and_stays_responsive(qtbot, make_window, other_terminal, ticks):
    window = make_window()  # reads do not need the write lock: the window opens
    dialog = start_enrolment(qtbot, window)
    qtbot.waitUntil(lambda: "Waiting for the database… (Enrolling" in
                    window.status_line.text(), timeout=WAIT_MS)
    before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= before + 25, timeout=WAIT_MS)  # 0.5 s of ticks
    qtbot.keyClicks(dialog.referrer_edit, "abc")  # keys are still handled
    assert dialog.referrer_edit.text() == "abc"
    assert dialog.busy and not dialog.confirm_button.isEnabled() and window.member is None
    dialog.reject()  # refused while the enrolment is in flight: its outcome must be seen
    assert dialog.isVisible()

    other_terminal.rollback()  # the other terminal finishes
    qtbot.waitUntil(lambda: window.member is not None, timeout=WAIT_MS)
    assert window.member.name == "王芳" and not dialog.isVisible()
    qtbot.waitUntil(lambda: window.status_line.text().startswith("Ready"), timeout=WAIT_MS)


def test_a_lock_held_too_long_is_a_clear_message_and_a_retry_works(
        qtbot, make_window, other_terminal, monkeypatch):
    # a short busy timeout so the test does not wait the real five seconds
    monkeypatch.setattr(database, "make_database",
                        functools.partial(database.make_database, timeout=0.3))
    window = make_window()
    window.sale_panel.amount_edit.setText("18")
    window.sale_panel.on_amount_submitted()
    window.checkout_button.click()
    dialog = checkout_ready(qtbot, window)
    refused_cash(qtbot, dialog, "20", "database is busy")
    assert dialog.isVisible() and dialog.cash_edit.text() == "20"
    assert dialog.confirm_button.isEnabled()

    other_terminal.rollback()
    with qtbot.waitSignal(dialog.completed, timeout=WAIT_MS):
        dialog.confirm_button.click()
    assert window.receipt_view.receipt.change == 200
    assert count_txns("sale") == 2  # the seeded sale and this one, once
