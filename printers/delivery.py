"""Sending one rendered job to the printer, and what became of it (a Delivery).

Over the network the job goes through the socket itself rather than python-escpos, so the
printer's acknowledgements, resets and silences are seen (``_send_network``); a CUPS queue
without pycups gets it through ``lp``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Literal

from escpos import printer as escpos_printer
from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER
from escpos.escpos import Escpos

from terminal.core.i18n import Phrase

from .connection import (
    ANSWERING,
    Connection,
    Stalled,
    can_answer,
    explain,
    make_printer,
    open_printer,
    parse_connection,
)
from .errors import PrinterError
from .status import UNKNOWN, PrinterStatus, read_reply, status_from

Outcome = Literal["confirmed", "sent", "unconfirmed"]


@dataclass(frozen=True)
class Delivery:
    """A job the printer took whole, and what is known about it afterwards (send_bytes)."""

    outcome: Outcome
    message: str = ""  # a sentence for the cashier (a Phrase); empty when confirmed
    status: PrinterStatus = UNKNOWN  # the printer's answer after the job, if it gave one


def _unacked(sock: socket.socket) -> int | None:
    """Bytes written to the printer that it has not acknowledged yet; None where unknown.

    sendall() returns as soon as the job is in this computer's send buffer (megabytes on
    Linux), so a printer that accepts the connection and never reads looks, to sendall(),
    like one that printed. Linux's SIOCOUTQ (= TIOCOUTQ) counts what is still unacknowledged.
    """
    if not sys.platform.startswith("linux"):
        return None
    import fcntl
    import termios

    try:
        buf = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
    except OSError:
        return None
    return int(struct.unpack("i", buf)[0])


def _raise_pending(sock: socket.socket) -> None:
    """Raise the error a reset left on the socket (a reset also empties the send queue, so
    "nothing unacknowledged" alone does not mean "taken")."""
    err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if err:
        raise OSError(err, os.strerror(err))  # OSError picks ConnectionResetError etc.


def _send_network(sock: socket.socket, data: bytes, timeout: float) -> None:
    """Write the whole job and wait until the printer acknowledged every byte; Stalled
    after ``timeout`` seconds without progress."""
    sock.settimeout(timeout)  # per send(): a printer that stops reading fails after this
    view = memoryview(data)
    try:
        while view:
            view = view[sock.send(view):]
    except TimeoutError:
        raise Stalled(len(view) + (_unacked(sock) or 0), len(data)) from None
    last, since = -1, time.monotonic()
    while True:
        _raise_pending(sock)
        left = _unacked(sock)
        if not left:  # all taken (or, off Linux, unknown: the status answer must tell)
            break
        if left != last:  # a slow printer reading as it prints is fine
            last, since = left, time.monotonic()
        elif time.monotonic() - since >= timeout:
            raise Stalled(left, len(data))
        time.sleep(0.01)
    _raise_pending(sock)


def _ask_network(sock: socket.socket, command: bytes, timeout: float) -> bytes | None:
    """Send DLE EOT n and wait for its byte; None when the printer keeps silent."""
    sock.setblocking(False)
    try:  # automatic status bytes sent before the question are not its answer
        while sock.recv(4096):
            pass
    except BlockingIOError:
        pass
    sock.settimeout(timeout)
    sock.sendall(command)
    try:
        reply = sock.recv(16)
    except TimeoutError:
        return None
    return reply or None  # b"": it closed its side, no answer will come


def _ask_after(printer: Escpos, conn: Connection, timeout: float) -> PrinterStatus | None:
    """The printer's status right after the job, or None when it did not answer.

    DLE EOT is a real-time command: the printer answers when the request reaches it, which
    is after every byte of the job before it. The answer proves the printer is reading and
    took the whole job, and says whether it is online with paper; it cannot see the paper
    come out (nothing in plain ESC/POS can).
    """
    if conn.kind == "network":
        sock = printer.device
        assert isinstance(sock, socket.socket)
        online = _ask_network(sock, RT_STATUS_ONLINE, timeout)
        paper = _ask_network(sock, RT_STATUS_PAPER, timeout) if online else None
    else:
        online = read_reply(printer, RT_STATUS_ONLINE)
        paper = read_reply(printer, RT_STATUS_PAPER) if online else None
    return None if online is None else status_from(online, paper)


def _close_network(sock: socket.socket, linger: float) -> None:
    """Half-close and wait a little for the printer to close: a reset here means it dropped
    the job (a raw port printer closes after the job; some keep the socket open)."""
    sock.shutdown(socket.SHUT_WR)
    sock.settimeout(linger)
    try:
        while sock.recv(4096):  # automatic status bytes, if the printer sends any
            pass
    except TimeoutError:
        pass  # the printer keeps the connection open after a job: nothing went wrong


def _abort_network(printer: Escpos) -> None:
    """Close with a reset, throwing away what the printer has not taken: a plain close()
    leaves it in the kernel, which would deliver it if the printer woke up, and the retry
    would then print the receipt a second time."""
    sock = printer.device
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()


def send_bytes(data: bytes, conn: Connection | str, *, profile: str = "default",
               timeout: float = 10.0, ask_status: bool = True, status_timeout: float = 2.0
               ) -> Delivery:
    """Write one whole rendered job and say what became of it.

    PrinterError when the printer did not take all of it (refused, reset, or took no data
    for ``timeout`` seconds); otherwise a Delivery: "confirmed" when it answered DLE EOT
    afterwards (online, with paper), "unconfirmed" when it could have but did not (no answer
    within ``status_timeout``, or offline / out of paper), "sent" when the connection or
    ``ask_status=False`` (``[printer] reports_status = false``) allows no question.
    """
    conn = parse_connection(conn) if isinstance(conn, str) else conn
    where = conn.describe()
    ask = can_answer(conn, ask_status)
    sent = Delivery("sent", Phrase(
        "sent to {printer}; the printer gives no confirmation ([printer] reports_status = "
        "false)", printer=where) if conn.kind in ANSWERING else Phrase(
        "sent to {printer}; this printer gives no confirmation", printer=where))
    if conn.kind == "dummy":
        return sent
    if conn.kind == "cups" and not escpos_printer.CupsPrinter.is_usable():
        _send_with_lp(data, conn, timeout)
        return sent
    printer = make_printer(conn, profile, timeout)
    open_printer(printer, conn, timeout)
    status: PrinterStatus | None = None
    try:
        sock = printer.device if conn.kind == "network" else None
        if isinstance(sock, socket.socket):
            _send_network(sock, data, timeout)
        else:
            printer._raw(data)
        if ask:
            status = _ask_after(printer, conn, status_timeout)
        if isinstance(sock, socket.socket):
            if status is None:
                _close_network(sock, min(timeout, 2.0))
            else:  # it answered after the whole job: how it closes changes nothing
                with contextlib.suppress(OSError):
                    _close_network(sock, min(timeout, 2.0))
        # Inside the try: CUPS submits the job and File flushes here, and either can fail.
        printer.close()
    except PrinterError:
        raise
    except Exception as exc:  # see open_printer: every backend has its own exception types
        if conn.kind == "network":
            _abort_network(printer)
        raise explain(conn, exc, True, timeout) from exc
    finally:
        # Already closed, or already failed: the first error is the one to report.
        with contextlib.suppress(Exception):
            printer.close()
    if not ask:
        return sent
    if status is None:
        return Delivery("unconfirmed", Phrase(
            "{printer} took the whole job but did not answer the status request (DLE EOT) "
            "within {seconds:g} s: check that it came out. If this printer never answers "
            "status requests, set [printer] reports_status = false", printer=where,
            seconds=status_timeout))
    if status.paper == "out":
        return Delivery("unconfirmed", Phrase(
            "{printer} took the whole job but says it is out of paper now: the receipt may be "
            "cut short; check the paper and the receipt", printer=where), status)
    if status.online is False:
        return Delivery("unconfirmed", Phrase(
            "{printer} took the whole job but says it is offline now: the receipt may be cut "
            "short; check the paper and the receipt", printer=where), status)
    return Delivery("confirmed", "", status)


def _send_with_lp(data: bytes, conn: Connection, timeout: float) -> None:
    """A raw job into a CUPS queue through the ``lp`` command (Debian's cups-client), for
    machines without pycups, which only builds against libcups2-dev."""
    lp = shutil.which("lp")
    if lp is None:
        raise PrinterError("{printer}: this computer cannot print to CUPS queues yet (install "
                           "the Debian package cups-client, or the Python package pycups)",
                           "unsupported", printer=conn.describe())
    try:
        done = subprocess.run([lp, "-d", conn.target, "-o", "raw", "-t", "member-terminal"],
                              input=data, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise PrinterError("{printer}: CUPS did not take the job within {seconds:g} s",
                           "timeout", printer=conn.describe(), seconds=timeout) from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if why:
            raise PrinterError("{printer}: CUPS refused the job: {why}", "offline",
                               printer=conn.describe(), why=why[-1])
        raise PrinterError("{printer}: CUPS refused the job", "offline",
                           printer=conn.describe())
