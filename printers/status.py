"""A printer's status by DLE EOT (online, paper), where its connection can read one."""

from __future__ import annotations

import contextlib
import errno
from dataclasses import dataclass
from typing import Literal

from escpos.constants import (
    RT_MASK_LOWPAPER,
    RT_MASK_NOPAPER,
    RT_MASK_ONLINE,
    RT_STATUS_ONLINE,
    RT_STATUS_PAPER,
)
from escpos.escpos import Escpos

from .connection import Connection, explain, make_printer, open_printer, parse_connection
from .errors import PrinterError


@dataclass(frozen=True)
class PrinterStatus:
    online: bool | None  # None: the printer does not report it
    paper: Literal["ok", "low", "out", "unknown"]

    def describe(self) -> str:
        online = {True: "online", False: "offline", None: "unknown"}[self.online]
        return f"{online}, paper {self.paper}"


UNKNOWN = PrinterStatus(None, "unknown")


def read_reply(printer: Escpos, command: bytes) -> bytes | None:
    """The printer's answer to a DLE EOT ``command``; None when it cannot or does not answer."""
    try:
        reply = printer.query_status(command)
    except (NotImplementedError, TimeoutError):
        return None  # this connection cannot read, or the printer does not answer DLE EOT
    except OSError as exc:  # pyusb's USBTimeoutError is an OSError, not a TimeoutError
        if exc.errno == errno.ETIMEDOUT or type(exc).__name__ == "USBTimeoutError":
            return None
        raise
    return bytes(reply) if reply else None


def read_status(conn: Connection | str, *, profile: str = "default", timeout: float = 2.0
                ) -> PrinterStatus:
    """Online and paper state by DLE EOT where the connection can read; "unknown" otherwise.

    Raises PrinterError when the printer cannot even be reached.
    """
    conn = parse_connection(conn) if isinstance(conn, str) else conn
    if conn.kind in ("dummy", "file", "cups"):
        # python-escpos cannot read back from these (CUPS reports only the queue state).
        return UNKNOWN
    printer = make_printer(conn, profile, timeout)
    open_printer(printer, conn, timeout)
    try:
        online = read_reply(printer, RT_STATUS_ONLINE)
        # A printer silent to the first query will be silent to the second: don't wait twice.
        paper = read_reply(printer, RT_STATUS_PAPER) if online is not None else None
    except Exception as exc:  # see open_printer
        raise explain(conn, exc, False, timeout) from exc
    finally:
        with contextlib.suppress(Exception):  # closing after a failed query
            printer.close()
    return UNKNOWN if online is None else status_from(online, paper)


def status_from(online: bytes, paper: bytes | None) -> PrinterStatus:
    """The status the DLE EOT answers ``online`` and ``paper`` (None: not asked) tell."""
    # Bit masks as python-escpos's own is_online()/paper_status(), which cannot tell
    # "no answer" from "plenty of paper".
    paper_state: Literal["ok", "low", "out", "unknown"] = "unknown"
    if paper is not None:
        if paper[0] & RT_MASK_NOPAPER == RT_MASK_NOPAPER:
            paper_state = "out"
        elif paper[0] & RT_MASK_LOWPAPER == RT_MASK_LOWPAPER:
            paper_state = "low"
        else:
            paper_state = "ok"
    return PrinterStatus(not online[0] & RT_MASK_ONLINE, paper_state)


def check_ready(conn: Connection | str, *, profile: str = "default", timeout: float = 2.0
                ) -> PrinterStatus:
    """read_status, raising PrinterError when the printer says it is offline or out of paper."""
    conn = parse_connection(conn) if isinstance(conn, str) else conn
    status = read_status(conn, profile=profile, timeout=timeout)
    if status.paper == "out":
        raise PrinterError("{printer} is out of paper: put in a new roll", "paper_out",
                           printer=conn.describe())
    if status.online is False:
        raise PrinterError("{printer} is offline: check the cover and the paper, or press its "
                           "feed button", "offline", printer=conn.describe())
    return status
