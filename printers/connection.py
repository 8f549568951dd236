"""Printer connections: the settings string parsed, the python-escpos printer for it, and
what goes wrong with one worded as a PrinterError (sending a job is ``delivery``, asking
its status ``status``)."""

from __future__ import annotations

import errno
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from escpos import printer as escpos_printer
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError

from terminal.core.i18n import Phrase

from .errors import PrinterError

Kind = Literal["dummy", "file", "network", "usb", "serial", "cups"]
DEFAULT_PORT = 9100
DEFAULT_BAUD = 9600
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

    def describe(self) -> Phrase:
        """The printer as a message names it: English as it is, translated with the message."""
        if self.kind == "network":
            return Phrase("network printer {host}:{port}", host=self.target, port=self.port)
        if self.kind == "usb":
            return Phrase("USB printer {vendor}:{product}", vendor=f"{self.vendor:04x}",
                          product=f"{self.product:04x}")
        if self.kind == "file":
            return Phrase("printer device {path}", path=self.target)
        if self.kind == "serial":
            return Phrase("serial printer {device}", device=self.target)
        if self.kind == "cups":
            return Phrase("CUPS queue {queue}", queue=self.target)
        return Phrase("dummy printer")


def _bad(text: str, why: Phrase) -> PrinterError:
    return PrinterError("printer connection {setting!r}: {why} (expected dummy, file:PATH, "
                        "network:HOST[:PORT], usb:VID:PID (hex), serial:DEVICE[:BAUD] or "
                        "cups:QUEUE)", "config", setting=text, why=why)


def parse_connection(text: str) -> Connection:
    """Parse the connection setting; PrinterError (reason "config") when malformed."""
    kind, _, rest = text.strip().partition(":")
    kind = kind.lower()
    if kind == "dummy" and not rest:
        return Connection("dummy")
    if kind == "file":
        if not rest:
            raise _bad(text, Phrase("no path"))
        return Connection("file", rest)
    if kind == "network":
        m = re.fullmatch(r"\[(?P<v6>[0-9A-Fa-f:.]+)\](?::(?P<p6>\d+))?|(?P<host>[^:\s]+)"
                         r"(?::(?P<port>\d+))?", rest)
        if not m:
            raise _bad(text, Phrase("expected network:HOST or network:HOST:PORT"))
        port = int(m["p6"] or m["port"] or DEFAULT_PORT)
        if not 0 < port < 65536:
            raise _bad(text, Phrase("port {port} is out of range", port=port))
        return Connection("network", m["v6"] or m["host"], port=port)
    if kind == "usb":
        m = re.fullmatch(r"(?:0x)?([0-9A-Fa-f]{1,4}):(?:0x)?([0-9A-Fa-f]{1,4})", rest)
        if not m:
            raise _bad(text, Phrase("expected usb:VID:PID in hex, e.g. usb:04b8:0e15"))
        return Connection("usb", vendor=int(m[1], 16), product=int(m[2], 16))
    if kind == "serial":
        m = re.fullmatch(r"(.+?)(?::(\d+))?", rest)
        if not rest or not m:
            raise _bad(text, Phrase("no serial device"))
        return Connection("serial", m[1], baud=int(m[2] or DEFAULT_BAUD))
    if kind == "cups":
        if not rest:
            raise _bad(text, Phrase("no CUPS queue name"))
        return Connection("cups", rest)
    raise _bad(text, Phrase("unknown kind {kind!r}", kind=kind))


class _Network(escpos_printer.Network):
    """python-escpos's Network, whose open() closes the socket when the connection fails.

    python-escpos 3.1 drops a socket that failed to connect without closing it (a
    ResourceWarning) and speaks IPv4 only; create_connection does neither. Upstream, the
    nearest report is python-escpos issue #303, "using Network printer and catching socket
    errors" (https://github.com/python-escpos/python-escpos/issues/303, 2018): the
    socket of a failed connection is left to close() in __del__, which then fails; no report
    of the unclosed socket itself was found. Seen with python-escpos 3.1 (the pinned version).
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
        raise PrinterError("{printer}: this computer cannot drive {kind} printers yet (install "
                           "the Python package {package})", "unsupported",
                           printer=conn.describe(), kind=conn.kind,
                           package=EXTRAS.get(conn.kind, "?"))
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
        raise PrinterError("unknown printer profile {profile!r}", "config",
                           profile=profile) from None


class Stalled(TimeoutError):
    """The printer stopped taking data: ``left`` of ``total`` bytes never reached it."""

    def __init__(self, left: int, total: int) -> None:
        super().__init__(f"{left} of {total} bytes not taken")
        self.left, self.total = left, total


# What each socket error means, said of the printer (never "[Errno 104] Connection reset
# by peer"): the first kind the cause is wins.
_SOCKET_ERRORS: tuple[tuple[type[OSError], Callable[[str, float], PrinterError]], ...] = (
    (ConnectionRefusedError, lambda where, _: PrinterError(
        "{printer} refused the connection: is it switched on, and is the address right?",
        "offline", printer=where)),
    (ConnectionResetError, lambda where, _: PrinterError(
        "{printer} reset the connection: is it switched on and not in use by another "
        "computer?", "offline", printer=where)),
    (BrokenPipeError, lambda where, _: PrinterError(
        "{printer} closed the connection: is it switched on and not in use by another "
        "computer?", "offline", printer=where)),
    (ConnectionAbortedError, lambda where, _: PrinterError(
        "{printer} could not be used: the connection was aborted on this computer; try again",
        "offline", printer=where)),
    (TimeoutError, lambda where, timeout: PrinterError(
        "{printer} did not answer within {seconds:g} s: is it switched on and on the network?",
        "timeout", printer=where, seconds=timeout)),
)


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
        return PrinterError("{printer}: no permission to use it (for a device file: add this "
                            "user to the 'lp' group)", "config", printer=where)
    if during_job:
        if isinstance(cause, Stalled):
            return PrinterError("{printer} took no data for {seconds:g} s ({left} of {total} "
                                "bytes of the job never reached it): check that it is switched "
                                "on, has paper and its cover is closed; the whole receipt will "
                                "be printed again", "timeout", printer=where, seconds=timeout,
                                left=cause.left, total=cause.total)
        if isinstance(cause, TimeoutError):
            return PrinterError("{printer} took no data for {seconds:g} s in the middle of "
                                "printing: check the paper and the cover; the whole receipt "
                                "will be printed again", "timeout", printer=where,
                                seconds=timeout)
        return PrinterError("the connection to {printer} dropped in the middle of printing "
                            "({why}); the whole receipt will be printed again", "dropped",
                            printer=where, why=_dropped_why(cause))
    for kind, said in _SOCKET_ERRORS:
        if isinstance(cause, kind):
            return said(where, timeout)
    if isinstance(cause, socket.gaierror):
        return PrinterError("{printer}: the host name is not known on this network",
                            "not_found", printer=where)
    if isinstance(cause, OSError) and cause.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH,
                                                      errno.EHOSTDOWN):
        return PrinterError("{printer} cannot be reached on the network: is it switched on?",
                            "offline", printer=where)
    if isinstance(cause, OSError) and cause.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return PrinterError("{printer} was not found: is it plugged in and switched on?",
                            "not_found", printer=where)
    if isinstance(exc, DeviceNotFoundError):
        return PrinterError("{printer} was not found: is it plugged in and switched on?",
                            "not_found", printer=where)
    return PrinterError("{printer} could not be used ({error}): check that it is switched on "
                        "and connected, then try again", "offline", printer=where,
                        error=_strerror(cause))


def _dropped_why(cause: BaseException) -> Phrase | str:
    """Why a connection broke in the middle of a job, said of the printer."""
    if isinstance(cause, ConnectionResetError):
        return Phrase("the printer reset the connection")
    if isinstance(cause, BrokenPipeError):
        return Phrase("the printer closed the connection")
    if isinstance(cause, ConnectionAbortedError):
        return Phrase("the connection was aborted on this computer")
    return _strerror(cause)


def _strerror(exc: BaseException) -> str:
    """The system's words for an OSError without its "[Errno N]"; else the exception's."""
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    text = text or exc.__class__.__name__
    return text[:1].lower() + text[1:]


def open_printer(printer: Escpos, conn: Connection, timeout: float) -> None:
    """``printer.open()``, whatever its backend raises worded by ``explain``."""
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


