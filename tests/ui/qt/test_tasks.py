"""The task runner: work on the worker thread, answers on the GUI thread, stale ones dropped."""

from __future__ import annotations

import threading

import pytest

from terminal.ui.qt.tasks import TaskRunner


@pytest.fixture
def runner(qtbot):
    tasks = TaskRunner("test")
    yield tasks
    tasks.shutdown()


def test_work_runs_on_the_worker_and_answers_on_the_gui_thread(qtbot, runner):
    gui = threading.get_ident()
    seen: list[tuple[int, int]] = []
    runner.run(threading.get_ident, lambda worker: seen.append((worker,
                                                                threading.get_ident())))
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    assert seen[0][0] != gui and seen[0][1] == gui


def test_only_the_latest_answer_of_a_channel_is_delivered(qtbot, runner):
    answers: list[object] = []
    errors: list[Exception] = []
    release = threading.Event()
    runner.run_latest("basket", lambda: release.wait(5) and 1, answers.append, errors.append)
    runner.run_latest("basket", lambda: 1 / 0, answers.append, errors.append)
    runner.run_latest("basket", lambda: 3, answers.append, errors.append)
    runner.run_latest("other", lambda: "x", answers.append, errors.append)
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5000)
    assert answers == [3, "x"] and errors == []

    runner.run_latest("basket", lambda: 4, answers.append, errors.append)
    runner.cancel_latest("basket")  # the basket was emptied meanwhile
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5000)
    assert answers == [3, "x"]


def test_the_status_line_knows_what_is_being_waited_for(qtbot, runner):
    release = threading.Event()
    runner.run(lambda: release.wait(5), what="recording the sale")
    runner.run(lambda: None, what="pricing")
    assert runner.waiting_for == "recording the sale" and runner.pending == 2
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5000)
    assert runner.waiting_for == ""
