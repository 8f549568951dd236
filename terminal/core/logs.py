"""The program's log: a rotating private file in the data folder, and the hooks that fill it."""

from __future__ import annotations

import io
import logging
import os
import sys
import threading
from collections import deque
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

from . import config

FILE_NAME = "member-terminal.log"
MAX_BYTES = 2 * 1024 * 1024  # per file; with BACKUPS old ones, ~12 MB of history at most
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s [%(process)d %(threadName)s] %(name)s: %(message)s"

log = logging.getLogger("member_terminal")

_handler: RotatingFileHandler | None = None
_listeners: list[Callable[[BaseException], None]] = []
_previous: dict[str, Any] = {}


def default_path() -> Path:
    """Where the log is: ``<data folder>/logs/member-terminal.log``."""
    return config.data_dir() / "logs" / FILE_NAME


def current_path() -> Path:
    """The file being written to (after ``setup``), else where it would be."""
    return Path(_handler.baseFilename) if _handler is not None else default_path()


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files only their owner can read (0600): the log names
    members and staff, like the database."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)  # a file made before, by another umask or version
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def setup(path: str | os.PathLike[str] | None = None, level: int = logging.INFO) -> Path:
    """Log to ``path`` (default: ``default_path()``) from now on, and route uncaught
    exceptions of the main thread and of every other thread to it. Calling it again moves
    the log; it never adds a second handler. Returns the log file's path."""
    global _handler
    target = Path(path) if path is not None else default_path()
    for folder in (target.parent.parent, target.parent):  # mkdir(parents=) ignores mode
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(target.parent, 0o700)
    handler = PrivateRotatingFileHandler(target, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                         encoding="utf-8", delay=False)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    _handler = handler
    if "sys" not in _previous:
        _previous.update(sys=sys.excepthook, threading=threading.excepthook,
                         level=root.level)
    root.setLevel(level)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
    return target


def start() -> tuple[Path, str | None]:
    """``setup()`` for a program's start: the log's path, and a warning instead of a crash
    when the log cannot be written (a read-only data folder must not stop the counter)."""
    try:
        return setup(), None
    except OSError as exc:
        return default_path(), (f"no log is kept: {default_path()} cannot be written "
                                f"({exc.strerror or exc})")


def shutdown() -> None:
    """Stop logging to the file and give the hooks back (tests; the end of the program)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
    if "sys" in _previous:
        sys.excepthook = _previous.pop("sys")
        threading.excepthook = _previous.pop("threading")
        logging.getLogger().setLevel(_previous.pop("level"))
    _listeners.clear()


def on_unexpected(listener: Callable[[BaseException], None]) -> Callable[[], None]:
    """Call ``listener`` (on the failing thread) after an uncaught exception is logged: the
    GUI shows the cashier a sentence. Returns what stops it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def sentence(what: str = "") -> str:
    """What to tell someone after an unexpected error (translated by the caller)."""
    return (f"Something unexpected went wrong{f' ({what})' if what else ''}; the details "
            f"are in the log: {current_path()}")


def _notify(exc: BaseException) -> None:
    for listener in list(_listeners):
        try:
            listener(exc)
        except Exception:  # the one telling must not hide what it tells
            log.exception("showing an unexpected error failed")


def _excepthook(kind: type[BaseException], exc: BaseException,
                tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        _previous.get("sys", sys.__excepthook__)(kind, exc, tb)
        return
    log.critical("uncaught exception", exc_info=(kind, exc, tb))
    _notify(exc)
    if not _listeners:  # a command line: a sentence, not a traceback
        print(f"member-terminal: {sentence(kind.__name__)}", file=sys.stderr)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    log.critical("uncaught exception in thread %s", name,
                 exc_info=(args.exc_type, args.exc_value or args.exc_type(),
                           args.exc_traceback))
    if args.exc_value is not None:
        _notify(args.exc_value)


def tail(path: str | os.PathLike[str], lines: int) -> list[str]:
    """The last ``lines`` lines of the log file (without their line ends)."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        return [line.rstrip("\n") for line in deque(fh, maxlen=max(0, lines))]
