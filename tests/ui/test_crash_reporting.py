"""Unexpected errors at the counter: logged with their traceback, told as a sentence and the
log's path; Qt's own warnings reach the log too."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import qWarning

from terminal.core import logs
from terminal.core.errors import InvalidInput
from terminal.ui.qt import qt_log
from terminal.ui.qt.tasks import TaskRunner
from terminal.ui.widgets import ErrorLine


@pytest.fixture
def log_file(tmp_path: Path):
    path = logs.setup(tmp_path / "logs" / "member-terminal.log")
    yield path
    logs.shutdown()


@pytest.fixture
def runner(qtbot):
    tasks = TaskRunner("test")
    yield tasks
    tasks.shutdown()


def test_a_qt_warning_reaches_the_log(qtbot, log_file: Path) -> None:
    qt_log.install()
    try:
        qWarning("QPainter::begin: a test warning 7")
    finally:
        qt_log.uninstall()
    text = log_file.read_text(encoding="utf-8")
    assert "WARNING" in text and "qt" in text and "QPainter::begin: a test warning 7" in text


def test_an_exception_inside_a_task_shows_a_sentence_and_the_log(qtbot, runner,
                                                                   log_file: Path) -> None:
    line = ErrorLine()
    qtbot.addWidget(line)

    def lookup() -> None:
        {}["no such key"]  # a bug, as at the counter

    runner.run(lookup, None, line.show_error, what="looking up")
    qtbot.waitUntil(lambda: bool(line.text()), timeout=5000)
    assert "The details are in the log" in line.text() and str(log_file) in line.text()
    assert "KeyError" not in line.text() and "no such key" not in line.text()
    text = log_file.read_text(encoding="utf-8")
    assert "looking up" in text and "Traceback" in text and "in lookup" in text
    assert "KeyError: 'no such key'" in text


def test_a_domain_error_is_the_rules_own_message_and_not_logged(qtbot, runner,
                                                                 log_file: Path) -> None:
    line = ErrorLine()
    qtbot.addWidget(line)

    def refuse() -> None:
        raise InvalidInput("the amount must be more than zero")

    runner.run(refuse, None, line.show_error, what="topping up")
    qtbot.waitUntil(lambda: bool(line.text()), timeout=5000)
    assert line.text() == "the amount must be more than zero"
    assert "Traceback" not in log_file.read_text(encoding="utf-8")


def test_a_task_error_no_one_handles_is_logged_and_signalled(qtbot, runner,
                                                             log_file: Path) -> None:
    with qtbot.waitSignal(runner.failed, timeout=5000) as failed:
        runner.run(lambda: 1 // 0, what="counting")
    assert isinstance(failed.args[0], ZeroDivisionError)
    assert "ZeroDivisionError" in log_file.read_text(encoding="utf-8")


def test_the_counter_tells_the_cashier_of_a_failed_lookup_and_a_dead_thread(
        qtbot, make_window, log_file: Path, monkeypatch) -> None:
    from terminal.services import lookup
    from terminal.ui.counter import window as counter_window

    window = make_window()

    def broken(ctx: object, text: str) -> object:
        raise AttributeError("'NoneType' object has no attribute 'tier'")

    monkeypatch.setattr(lookup, "lookup", broken)
    assert counter_window.lookup is lookup
    window.submit("13800001111", True)
    qtbot.waitUntil(lambda: "The details are in the log" in window.message.text(),
                    timeout=15_000)
    assert str(log_file) in window.message.text() and "NoneType" not in window.message.text()
    assert "AttributeError" in log_file.read_text(encoding="utf-8")

    window.message.clear()

    def die() -> None:
        raise OSError("the customer display went away")

    thread = threading.Thread(target=die, name="display")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: "The details are in the log" in window.message.text(),
                    timeout=15_000)
    assert "uncaught exception in thread display" in log_file.read_text(encoding="utf-8")
