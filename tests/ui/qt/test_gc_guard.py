"""The counter's collector: automatic collection off, cycles collected on the GUI thread."""

from __future__ import annotations

import gc
import threading

from terminal.ui.qt.gc_guard import MainThreadGC


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_cycles_are_collected_by_the_gui_thread_timer(qtbot) -> None:
    gc.enable()
    guard = MainThreadGC()
    # every generation due at each tick: what earlier tests left in the counts (objects
    # already moved to an older generation) cannot hide the worker's cycles from it
    guard.threshold = (1, 1, 1)
    try:
        assert not gc.isenabled()
        collected_in: list[str] = []

        def note(phase: str, info: dict) -> None:
            if phase == "stop" and info["collected"]:
                collected_in.append(threading.current_thread().name)

        gc.callbacks.append(note)
        try:
            worker = threading.Thread(target=lambda: [Node() for _ in range(5000)],
                                      name="db")
            worker.start()
            worker.join()
            qtbot.waitUntil(lambda: bool(collected_in), timeout=5000)
        finally:
            gc.callbacks.remove(note)
        assert set(collected_in) == {threading.main_thread().name}
    finally:
        guard.stop()
    assert gc.isenabled()
    gc.disable()  # as the UI tests' fixture left it
