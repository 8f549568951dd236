"""The windows fit the screen they open on (1366x768 and 1024x768 counters) and remember
their size between runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize

from terminal.ui import geometry
from tests.ui.conftest import SCREENS

ROOT = Path(__file__).resolve().parents[2]


def test_a_window_is_no_bigger_than_the_screen_and_centred_on_it() -> None:
    assert geometry.fitted(QSize(1280, 800), QRect(0, 0, 1920, 1080)) == QRect(320, 140, 1280, 800)
    assert geometry.fitted(QSize(1280, 800), QRect(0, 0, 1024, 728)) == QRect(0, 0, 1024, 728)


@pytest.mark.parametrize("screen", ["1024x768", "1366x768"])
def test_both_windows_fit_the_screen(store, tmp_path: Path, screen: str) -> None:
    # a screen of its own size: Qt's offscreen platform reads it from a file at start
    shot = tmp_path / f"counter-{screen}.png"
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "QT_QPA_PLATFORM": f"offscreen:configfile={SCREENS / f'screen-{screen}.json'}"}
    run = subprocess.run([sys.executable, str(ROOT / "tests" / "ui" / "fit_screen.py"),
                          store.url, str(shot)], env=env, capture_output=True, text=True,
                         timeout=120, check=True)
    figures = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    sizes, tabs = figures[0], figures[1:]
    width, height = sizes["screen"]
    assert [width, height] == [int(n) for n in screen.split("x")]
    for window in ("counter", "manager"):
        assert sizes[window][0] <= width and sizes[window][1] <= height, sizes
        assert sizes[f"{window}_needs"][0] <= width, sizes  # nothing squeezed off the edge
        assert sizes[f"{window}_needs"][1] <= height, sizes
    assert len(tabs) >= 7 and all(t["needs"][0] <= width for t in tabs), tabs
    assert shot.stat().st_size > 10_000


def test_the_counter_opens_as_it_was_left(qtbot, make_window) -> None:
    first = make_window()
    first.showNormal()
    first.resize(1100, 700)
    qtbot.waitUntil(lambda: first.size() == QSize(1100, 700))
    first.close()
    second = make_window()
    assert second.size() == QSize(1100, 700)
    assert (geometry.data_dir() / "window.ini").is_file()
