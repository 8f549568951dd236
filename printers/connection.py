"""Printer connections: the settings string parsed, the python-escpos printer for it, and
what goes wrong with one worded as a PrinterError (sending a job is ``delivery``, asking
its status ``status``)."""

from __future__ import annotations

import errno
import re
import socket
from dataclasses import dataclass
from typing import Literal

from escpos import printer as escpos_printer
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


class Stalled(TimeoutError):
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
        if isinstance(cause, Stalled):
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


