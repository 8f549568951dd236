"""The log: a private rotating file in the data folder, uncaught exceptions in it, `logs`."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from terminal import cli
from terminal.core import config, logs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_file(tmp_path: Path):
    path = logs.setup(tmp_path / "data" / "logs" / "member-terminal.log")
    yield path
    logs.shutdown()


def test_the_log_is_in_the_data_folder_and_private(tmp_path: Path) -> None:
    path = logs.setup()
    try:
        assert path == config.data_dir() / "logs" / "member-terminal.log"
        logging.getLogger("terminal.test").warning("a line")
        assert "a line" in path.read_text(encoding="utf-8")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        handler = next(h for h in logging.getLogger().handlers
                       if isinstance(h, logs.PrivateRotatingFileHandler))
        assert (handler.maxBytes, handler.backupCount) == (logs.MAX_BYTES, 5)
        # a second set-up moves the log; it never writes every line twice
        logs.setup()
        logging.getLogger("terminal.test").warning("once")
        assert path.read_text(encoding="utf-8").count("once") == 1
    finally:
        logs.shutdown()


def test_a_rotated_file_is_private_too(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "x.log"
    path.parent.mkdir()
    path.write_text("made by someone else\n", encoding="utf-8")
    path.chmod(0o644)
    handler = logs.PrivateRotatingFileHandler(path, maxBytes=200, backupCount=5,
                                              encoding="utf-8")
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # an older file is made private
        for i in range(20):
            handler.emit(logging.makeLogRecord({"msg": f"line {i} " + "x" * 40}))
    finally:
        handler.close()
    rotated = sorted(path.parent.iterdir())
    assert len(rotated) == 6  # the file and its 5 old ones
    assert {stat.S_IMODE(p.stat().st_mode) for p in rotated} == {0o600}


def test_an_unhandled_exception_writes_its_traceback_to_the_log(tmp_path: Path) -> None:
    env = {**os.environ, config.DATA_ENV: str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    code = ("from terminal.core import logs\n"
            "logs.setup()\n"
            "def counter():\n"
            "    raise ValueError('the drawer is stuck 42')\n"
            "counter()\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    text = (tmp_path / "data" / "logs" / "member-terminal.log").read_text(encoding="utf-8")
    assert "CRITICAL" in text and "uncaught exception" in text
    assert "Traceback (most recent call last)" in text and "in counter" in text
    assert "ValueError: the drawer is stuck 42" in text
    # the person at the terminal reads a sentence and where the details are, no traceback
    assert "Traceback" not in done.stderr
    assert "the details are in the log" in done.stderr and "member-terminal.log" in done.stderr


def test_a_threads_exception_is_logged_and_told(log_file: Path) -> None:
    told: list[BaseException] = []
    logs.on_unexpected(told.append)

    def work() -> None:
        raise RuntimeError("printer thread died")

    thread = threading.Thread(target=work, name="printer-test")
    thread.start()
    thread.join()
    text = log_file.read_text(encoding="utf-8")
    assert "uncaught exception in thread printer-test" in text
    assert "RuntimeError: printer thread died" in text and "in work" in text
    assert [str(e) for e in told] == ["printer thread died"]


def test_the_logs_command_prints_the_path_and_the_last_lines(capsys) -> None:
    assert cli.main(["logs"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == config.data_dir() / "logs" / "member-terminal.log"
    logging.getLogger("terminal.test").info("first")
    logging.getLogger("terminal.test").info("second")
    logging.getLogger("terminal.test").info("third")
    assert cli.main(["logs", "--tail", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[0].endswith("second") and out[1].endswith("third")


def test_a_data_folder_that_cannot_be_written_is_a_warning_not_a_crash(
        tmp_path: Path, monkeypatch, capsys) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setenv(config.DATA_ENV, str(not_a_folder))
    assert cli.main(["logs"]) == 0
    assert "no log is kept" in capsys.readouterr().err
