"""Printer connections from the settings string, job sending and status, as PrinterError."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Literal

from escpos import printer as escpos_printer
from escpos.constants import (
    RT_MASK_LOWPAPER,
    RT_MASK_NOPAPER,
    RT_MASK_ONLINE,
    RT_STATUS_ONLINE,
    RT_STATUS_PAPER,
)
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError

from .errors import PrinterError

Kind = Literal["dummy", "file", "network", "usb", "serial", "cups"]
DEFAULT_PORT = 9100
DEFAULT_BAUD = 9600
FORMS = ("dummy, file:PATH, network:HOST[:PORT], usb:VID:PID (hex), serial:DEVICE[:BAUD] "
         "or cups:QUEUE")
# What python-escpos needs for each connection that has an optional dependency.
EXTRAS = {"usb": "pyusb", "serial": "pyserial", "cups": "pycups"}


@dataclass(frozen=True)
class Connection:
    """A parsed ``[printer] connection`` setting."""

    kind: Kind
    target: str = ""  # path, host, serial device or CUPS queue
    port: int = DEFAULT_PORT
    vendor: int = 0
    product: int = 0
    baud: int = DEFAULT_BAUD

    def describe(self) -> str:
        if self.kind == "network":
            return f"network printer {self.target}:{self.port}"
        if self.kind == "usb":
            return f"USB printer {self.vendor:04x}:{self.product:04x}"
        if self.kind == "file":
            return f"printer device {self.target}"
        if self.kind == "serial":
            return f"serial printer {self.target}"
        if self.kind == "cups":
            return f"CUPS queue {self.target}"
        return "dummy printer"


def _bad(text: str, why: str) -> PrinterError:
    return PrinterError(f"printer connection {text!r}: {why} (expected {FORMS})", "config")


def parse_connection(text: str) -> Connection:
    """Parse the connection setting; PrinterError (reason "config") when malformed."""
    kind, _, rest = text.strip().partition(":")
    kind = kind.lower()
    if kind == "dummy" and not rest:
        return Connection("dummy")
    if kind == "file":
        if not rest:
            raise _bad(text, "no path")
        return Connection("file", rest)
    if kind == "network":
        m = re.fullmatch(r"\[(?P<v6>[0-9A-Fa-f:.]+)\](?::(?P<p6>\d+))?|(?P<host>[^:\s]+)"
                         r"(?::(?P<port>\d+))?", rest)
        if not m:
            raise _bad(text, "expected network:HOST or network:HOST:PORT")
        port = int(m["p6"] or m["port"] or DEFAULT_PORT)
        if not 0 < port < 65536:
            raise _bad(text, f"port {port} is out of range")
        return Connection("network", m["v6"] or m["host"], port=port)
    if kind == "usb":
        m = re.fullmatch(r"(?:0x)?([0-9A-Fa-f]{1,4}):(?:0x)?([0-9A-Fa-f]{1,4})", rest)
        if not m:
            raise _bad(text, "expected usb:VID:PID in hex, e.g. usb:04b8:0e15")
        return Connection("usb", vendor=int(m[1], 16), product=int(m[2], 16))
    if kind == "serial":
        m = re.fullmatch(r"(.+?)(?::(\d+))?", rest)
        if not rest or not m:
            raise _bad(text, "no serial device")
        return Connection("serial", m[1], baud=int(m[2] or DEFAULT_BAUD))
    if kind == "cups":
        if not rest:
            raise _bad(text, "no CUPS queue name")
        return Connection("cups", rest)
    raise _bad(text, f"unknown kind {kind!r}")


class _Network(escpos_printer.Network):
    """python-escpos's Network, whose open() closes the socket when the connection fails.

    python-escpos 3.1 drops a socket that failed to connect without closing it (a
    ResourceWarning; compare upstream issue #303) and speaks IPv4 only; create_connection
    does neither.
    """

    def open(self, raise_not_found: bool = True) -> None:
        self.close()  # a no-op unless already connected
        try:
            sock = socket.create_connection((self.host, self.port), self.timeout)
        except OSError as exc:
            self.device = None
            if raise_not_found:
                raise DeviceNotFoundError(f"Could not open socket for {self.host}:\n{exc}"
                                          ) from exc
            return
        self.device = sock


def make_printer(conn: Connection, profile: str = "default", timeout: float = 10.0) -> Escpos:
    """The python-escpos printer for ``conn``, not yet opened."""
    classes: dict[str, type[Escpos]] = {
        "dummy": escpos_printer.Dummy, "file": escpos_printer.File,
        "network": escpos_printer.Network, "usb": escpos_printer.Usb,
        "serial": escpos_printer.Serial, "cups": escpos_printer.CupsPrinter}
    cls = classes[conn.kind]
    if not getattr(cls, "is_usable", lambda: True)():
        raise PrinterError(f"{conn.describe()}: this computer cannot drive {conn.kind} printers"
                           f" yet (install the Python package {EXTRAS.get(conn.kind, '?')})",
                           "unsupported")
    try:
        if conn.kind == "file":
            return escpos_printer.File(conn.target, profile=profile)
        if conn.kind == "network":
            return _Network(conn.target, conn.port, timeout=timeout, profile=profile)
        if conn.kind == "usb":
            return escpos_printer.Usb(conn.vendor, conn.product, timeout=int(timeout * 1000),
                                      profile=profile)
        if conn.kind == "serial":
            return escpos_printer.Serial(conn.target, conn.baud, timeout=timeout,
                                         profile=profile)
        if conn.kind == "cups":
            return escpos_printer.CupsPrinter(conn.target, profile=profile)
        return escpos_printer.Dummy(profile=profile)
    except KeyError:
        raise PrinterError(f"unknown printer profile {profile!r}", "config") from None


# What each socket error means, said of the printer (never "[Errno 104] Connection reset by
# peer"): while idle (a status request) and in the middle of a job.
_SOCKET_TROUBLE: tuple[tuple[type[OSError], str, str], ...] = (
    (ConnectionResetError, "reset the connection: is it switched on and not in use by "
     "another computer?", "the printer reset the connection"),
    (BrokenPipeError, "closed the connection: is it switched on and not in use by another "
     "computer?", "the printer closed the connection"),
    (ConnectionAbortedError, "could not be used: the connection was aborted on this "
     "computer; try again", "the connection was aborted on this computer"),
)


class _Stalled(TimeoutError):
    """The printer stopped taking data: ``left`` of ``total`` bytes never reached it."""

    def __init__(self, left: int, total: int) -> None:
        super().__init__(f"{left} of {total} bytes not taken")
        self.left, self.total = left, total


def explain(conn: Connection, exc: BaseException, during_job: bool, timeout: float
            ) -> PrinterError:
    """One clear sentence for the cashier, naming the printer, out of whatever the connection
    raised."""
    cause: BaseException = exc
    # python-escpos wraps the OSError of open() in DeviceNotFoundError.
    if isinstance(exc, DeviceNotFoundError) and isinstance(exc.__context__, OSError):
        cause = exc.__context__
    elif isinstance(exc, DeviceNotFoundError) and isinstance(exc.__cause__, OSError):
        cause = exc.__cause__
    where = conn.describe()
    if isinstance(cause, PermissionError):
        return PrinterError(f"{where}: no permission to use it (for a device file: add this "
                            "user to the 'lp' group)", "config")
    if during_job:
        if isinstance(cause, _Stalled):
            return PrinterError(f"{where} took no data for {timeout:g} s ({cause.left} of "
                                f"{cause.total} bytes of the job never reached it): check "
                                "that it is switched on, has paper and its cover is closed; "
                                "the whole receipt will be printed again", "timeout")
        if isinstance(cause, TimeoutError):
            return PrinterError(f"{where} took no data for {timeout:g} s in the middle of "
                                "printing: check the paper and the cover; the whole receipt "
                                "will be printed again", "timeout")
        why = next((job for kind, _, job in _SOCKET_TROUBLE if isinstance(cause, kind)),
                   _strerror(cause))
        return PrinterError(f"the connection to {where} dropped in the middle of printing "
                            f"({why}); the whole receipt will be printed again", "dropped")
    if isinstance(cause, ConnectionRefusedError):
        return PrinterError(f"{where} refused the connection: is it switched on, and is the "
                            "address right?", "offline")
    for kind, idle, _ in _SOCKET_TROUBLE:
        if isinstance(cause, kind):
            return PrinterError(f"{where} {idle}", "offline")
    if isinstance(cause, TimeoutError):
        return PrinterError(f"{where} did not answer within {timeout:g} s: is it switched on "
                            "and on the network?", "timeout")
    if isinstance(cause, socket.gaierror):
        return PrinterError(f"{where}: the host name is not known on this network",
                            "not_found")
    if isinstance(cause, OSError) and cause.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH,
                                                      errno.EHOSTDOWN):
        return PrinterError(f"{where} cannot be reached on the network: is it switched on?",
                            "offline")
    if isinstance(cause, OSError) and cause.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return PrinterError(f"{where} was not found: is it plugged in and switched on?",
                            "not_found")
    if isinstance(exc, DeviceNotFoundError):
        return PrinterError(f"{where} was not found: is it plugged in and switched on?",
                            "not_found")
    return PrinterError(f"{where} could not be used ({_strerror(cause)}): check that it is "
                        "switched on and connected, then try again", "offline")


def _strerror(exc: BaseException) -> str:
    """The system's words for an OSError without its "[Errno N]"; else the exception's."""
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    text = text or exc.__class__.__name__
    return text[:1].lower() + text[1:]


def _open(printer: Escpos, conn: Connection, timeout: float) -> None:
    try:
        printer.open()
    except PrinterError:
        raise
    # The backends raise their own types: OSError, python-escpos's, pyusb's USBError,
    # pyserial's SerialException, pycups' IPPError.
    except Exception as exc:
        raise explain(conn, exc, False, timeout) from exc


# The connections python-escpos can read a DLE EOT answer from; file, CUPS and the dummy
# cannot, and a job there can only be "sent".
ANSWERING = ("network", "usb", "serial")


def can_answer(conn: Connection, reports_status: bool = True) -> bool:
    """Whether to ask this printer for its status (``[printer] reports_status`` says no for a
    printer that never answers DLE EOT)."""
    return reports_status and conn.kind in ANSWERING


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
    """Write the whole job and wait until the printer acknowledged every byte; _Stalled
    after ``timeout`` seconds without progress."""
    sock.settimeout(timeout)  # per send(): a printer that stops reading fails after this
    view = memoryview(data)
    try:
        while view:
            view = view[sock.send(view):]
    except TimeoutError:
        raise _Stalled(len(view) + (_unacked(sock) or 0), len(data)) from None
    last, since = -1, time.monotonic()
    while True:
        _raise_pending(sock)
        left = _unacked(sock)
        if not left:  # all taken (or, off Linux, unknown: the status answer must tell)
            break
        if left != last:  # a slow printer reading as it prints is fine
            last, since = left, time.monotonic()
        elif time.monotonic() - since >= timeout:
            raise _Stalled(left, len(data))
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
        online = _query(printer, RT_STATUS_ONLINE)
        paper = _query(printer, RT_STATUS_PAPER) if online else None
    return None if online is None else _status_from(online, paper)


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
    sent = Delivery("sent", f"sent to {where}; " + (
        "the printer gives no confirmation ([printer] reports_status = false)"
        if conn.kind in ANSWERING else "this printer gives no confirmation"))
    if conn.kind == "dummy":
        return sent
    if conn.kind == "cups" and not escpos_printer.CupsPrinter.is_usable():
        _send_with_lp(data, conn, timeout)
        return sent
    printer = make_printer(conn, profile, timeout)
    _open(printer, conn, timeout)
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
    except Exception as exc:  # see _open: every backend has its own exception types
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
        return Delivery("unconfirmed", (
            f"{where} took the whole job but did not answer the status request (DLE EOT) "
            f"within {status_timeout:g} s: check that it came out. If this printer never "
            "answers status requests, set [printer] reports_status = false"))
    if status.paper == "out" or status.online is False:
        state = "out of paper" if status.paper == "out" else "offline"
        return Delivery("unconfirmed", (
            f"{where} took the whole job but says it is {state} now: the receipt may be cut "
            "short; check the paper and the receipt"), status)
    return Delivery("confirmed", "", status)


def _send_with_lp(data: bytes, conn: Connection, timeout: float) -> None:
    """A raw job into a CUPS queue through the ``lp`` command (Debian's cups-client), for
    machines without pycups, which only builds against libcups2-dev."""
    lp = shutil.which("lp")
    if lp is None:
        raise PrinterError(f"{conn.describe()}: this computer cannot print to CUPS queues yet "
                           "(install the Debian package cups-client, or the Python package "
                           "pycups)", "unsupported")
    try:
        done = subprocess.run([lp, "-d", conn.target, "-o", "raw", "-t", "member-terminal"],
                              input=data, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise PrinterError(f"{conn.describe()}: CUPS did not take the job within "
                           f"{timeout:g} s", "timeout") from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PrinterError(f"{conn.describe()}: CUPS refused the job"
                           + (f": {why[-1]}" if why else ""), "offline")


@dataclass(frozen=True)
class PrinterStatus:
    online: bool | None  # None: the printer does not report it
    paper: Literal["ok", "low", "out", "unknown"]

    def describe(self) -> str:
        online = {True: "online", False: "offline", None: "unknown"}[self.online]
        return f"{online}, paper {self.paper}"


UNKNOWN = PrinterStatus(None, "unknown")


def _query(printer: Escpos, command: bytes) -> bytes | None:
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
    _open(printer, conn, timeout)
    try:
        online = _query(printer, RT_STATUS_ONLINE)
        # A printer silent to the first query will be silent to the second: don't wait twice.
        paper = _query(printer, RT_STATUS_PAPER) if online is not None else None
    except Exception as exc:  # see _open
        raise explain(conn, exc, False, timeout) from exc
    finally:
        with contextlib.suppress(Exception):  # closing after a failed query
            printer.close()
    return UNKNOWN if online is None else _status_from(online, paper)


def _status_from(online: bytes, paper: bytes | None) -> PrinterStatus:
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


Outcome = Literal["confirmed", "sent", "unconfirmed"]


@dataclass(frozen=True)
class Delivery:
    """A job the printer took whole, and what is known about it afterwards (send_bytes)."""

    outcome: Outcome
    message: str = ""  # a sentence for the cashier; empty when confirmed
    status: PrinterStatus = UNKNOWN  # the printer's answer after the job, if it gave one


def check_ready(conn: Connection | str, *, profile: str = "default", timeout: float = 2.0
                ) -> PrinterStatus:
    """read_status, raising PrinterError when the printer says it is offline or out of paper."""
    conn = parse_connection(conn) if isinstance(conn, str) else conn
    status = read_status(conn, profile=profile, timeout=timeout)
    if status.paper == "out":
        raise PrinterError(f"{conn.describe()} is out of paper: put in a new roll",
                           "paper_out")
    if status.online is False:
        raise PrinterError(f"{conn.describe()} is offline: check the cover and the paper, "
                           "or press its feed button", "offline")
    return status
