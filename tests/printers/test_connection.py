"""Connections: parsing, real bytes to a file and to a TCP printer, failures as PrinterError."""

from __future__ import annotations

import contextlib
import errno
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from escpos import printer as escpos_printer

from printers.connection import (
    Connection,
    check_ready,
    explain,
    make_printer,
    parse_connection,
    read_status,
    send_bytes,
)
from printers.errors import PrinterError
from printers.layouts import LayoutOptions, receipt
from printers.print_jobs import PrintJob, deliver, job_bytes, print_job
from printers.render import render_bytes
from terminal.core.config import PrinterSettings, Settings

from . import samples
from .escpos_decode import decode
from .fake_printer import FakePrinter, closed_port

# DLE EOT replies: 0x12 is "all fine"; bit 3 of the first is offline; 0x72 is paper out.
ONLINE, OFFLINE, PAPER_OUT, PAPER_LOW = 0x12, 0x1A, 0x72, 0x1E


@pytest.fixture
def job() -> bytes:
    return render_bytes(receipt(samples.sale(), LayoutOptions(cash_drawer=True)))


@pytest.fixture
def fake() -> Iterator[FakePrinter]:
    server = FakePrinter(status={1: ONLINE, 4: ONLINE})
    yield server
    server.close()


@pytest.mark.parametrize("text,expected", [
    ("dummy", Connection("dummy")),
    ("file:/dev/usb/lp0", Connection("file", "/dev/usb/lp0")),
    ("file:C:/odd:name", Connection("file", "C:/odd:name")),
    ("network:192.168.1.50", Connection("network", "192.168.1.50", port=9100)),
    ("network:printer.local:9101", Connection("network", "printer.local", port=9101)),
    ("network:[fe80::1]:9100", Connection("network", "fe80::1", port=9100)),
    ("usb:04b8:0e15", Connection("usb", vendor=0x04B8, product=0x0E15)),
    ("USB:0x0416:0x5011", Connection("usb", vendor=0x0416, product=0x5011)),
    ("serial:/dev/ttyUSB0", Connection("serial", "/dev/ttyUSB0", baud=9600)),
    ("serial:/dev/ttyS1:115200", Connection("serial", "/dev/ttyS1", baud=115200)),
    ("cups:TM-T20", Connection("cups", "TM-T20")),
])
def test_parse_connection(text: str, expected: Connection) -> None:
    assert parse_connection(text) == expected


@pytest.mark.parametrize("text,why", [
    ("", "unknown kind"), ("lpt1", "unknown kind"), ("file:", "no path"),
    ("network:", "expected network:HOST"), ("network:host:port", "expected network:HOST"),
    ("network:host:70000", "out of range"), ("usb:04b8", "usb:VID:PID in hex"),
    ("usb:zzzz:0001", "usb:VID:PID in hex"), ("serial:", "no serial device"),
    ("cups:", "no CUPS queue"), ("dummy:x", "unknown kind"),
])
def test_malformed_connection_is_a_config_error(text: str, why: str) -> None:
    with pytest.raises(PrinterError, match=why) as err:
        parse_connection(text)
    assert err.value.reason == "config" and not err.value.retryable
    assert "expected dummy, file:PATH" in err.value.message


@pytest.mark.parametrize("kind,cls,package", [
    ("usb:04b8:0e15", "Usb", "pyusb"), ("serial:/dev/ttyUSB0", "Serial", "pyserial"),
    ("cups:TM", "CupsPrinter", "pycups")])
def test_missing_driver_is_reported(monkeypatch: pytest.MonkeyPatch, kind: str, cls: str,
                                    package: str) -> None:
    monkeypatch.setattr(getattr(escpos_printer, cls), "is_usable", staticmethod(lambda: False))
    with pytest.raises(PrinterError, match=package) as err:
        send_bytes(b"x", kind)
    assert err.value.reason == "unsupported"


def test_make_printer_builds_the_python_escpos_class() -> None:
    net = make_printer(parse_connection("network:10.0.0.9:9101"), "TM-T88V", 3)
    assert isinstance(net, escpos_printer.Network)
    assert (net.host, net.port, net.timeout) == ("10.0.0.9", 9101, 3)
    assert net.profile.profile_data["name"] == "TM-T88V"
    assert isinstance(make_printer(parse_connection("file:/tmp/x")), escpos_printer.File)


def test_file_printer_gets_exactly_the_job(tmp_path: Path, job: bytes) -> None:
    out = tmp_path / "lp0"
    send_bytes(job, f"file:{out}")
    assert out.read_bytes() == job
    assert decode(out.read_bytes()).qr_codes[0][0] == samples.COUPON.payload


def test_missing_device_file_is_not_found(tmp_path: Path, job: bytes) -> None:
    with pytest.raises(PrinterError, match="was not found: is it plugged in") as err:
        send_bytes(job, f"file:{tmp_path / 'no-such-dir' / 'lp0'}")
    assert err.value.reason == "not_found" and err.value.retryable


def test_unwritable_device_file_is_a_permission_problem(monkeypatch: pytest.MonkeyPatch,
                                                        job: bytes) -> None:
    def denied(path: str, mode: str) -> None:
        raise PermissionError(13, "Permission denied", path)

    # As python-escpos's File.open meets it for /dev/usb/lp0 without the lp group (the tests
    # may run as root, for whom chmod would not stop the write).
    monkeypatch.setattr("escpos.printer.file.open", denied, raising=False)
    with pytest.raises(PrinterError, match="no permission to use it") as err:
        send_bytes(job, "file:/dev/usb/lp0")
    assert err.value.reason == "config" and "'lp' group" in err.value.message


def test_full_device_mid_job_is_dropped(job: bytes) -> None:
    with pytest.raises(PrinterError, match="dropped in the middle of printing") as err:
        send_bytes(job, "file:/dev/full")
    assert err.value.reason == "dropped" and err.value.retryable


def test_network_printer_receives_the_whole_job(fake: FakePrinter, job: bytes) -> None:
    assert send_bytes(job, fake.connection).outcome == "confirmed"
    assert fake.jobs == [job]


def test_refused_connection_is_offline(job: bytes) -> None:
    port = closed_port()
    with pytest.raises(PrinterError, match="refused the connection: is it switched on") as err:
        send_bytes(job, f"network:127.0.0.1:{port}", timeout=2)
    assert err.value.reason == "offline" and err.value.retryable
    assert err.value.message.startswith(f"network printer 127.0.0.1:{port} refused")


def test_connection_dropped_mid_job_fails_the_job(job: bytes) -> None:
    server = FakePrinter("drop", drop_after=100)
    try:
        with pytest.raises(PrinterError, match="dropped in the middle of printing") as err:
            send_bytes(job, server.connection, timeout=5)
    finally:
        server.close()
    assert err.value.reason == "dropped" and err.value.retryable
    assert len(server.jobs[0]) == 100 < len(job)


def test_printer_that_keeps_the_socket_open_still_prints(job: bytes) -> None:
    server = FakePrinter("hold")
    try:
        delivery = send_bytes(job, server.connection, timeout=0.3, status_timeout=0.3)
    finally:
        server.close()
    assert server.jobs == [job]
    assert delivery.outcome == "unconfirmed"  # it took the job but answers no DLE EOT


def test_unknown_host_is_reported() -> None:
    with pytest.raises(PrinterError, match=r"host name is not known|did not answer") as err:
        send_bytes(b"x", "network:no-such-printer.invalid:9100", timeout=2)
    assert err.value.retryable


@pytest.mark.parametrize("replies,online,paper", [
    ({1: ONLINE, 4: ONLINE}, True, "ok"),
    ({1: OFFLINE, 4: PAPER_OUT}, False, "out"),
    ({1: ONLINE, 4: PAPER_LOW}, True, "low"),
    (None, None, "unknown"),
])
def test_status_from_dle_eot(replies: dict[int, int] | None, online: bool | None,
                             paper: str) -> None:
    server = FakePrinter(status=replies)
    try:
        # Long enough for a loaded test machine to answer; short where nothing will.
        status = read_status(server.connection, timeout=2.0 if replies else 0.3)
    finally:
        server.close()
    assert (status.online, status.paper) == (online, paper)
    assert server.status_queries == (2 if replies else 1) and server.jobs == []


def test_status_is_unknown_where_it_cannot_be_read(tmp_path: Path) -> None:
    assert read_status(f"file:{tmp_path / 'lp0'}").describe() == "unknown, paper unknown"
    assert read_status("dummy").online is None


def test_out_of_paper_fails_before_anything_is_printed(job: bytes) -> None:
    server = FakePrinter(status={1: ONLINE, 4: PAPER_OUT})
    try:
        with pytest.raises(PrinterError, match="out of paper") as err:
            deliver(job, PrinterSettings(connection=server.connection))
    finally:
        server.close()
    assert err.value.reason == "paper_out" and err.value.retryable
    assert server.jobs == []


def test_offline_printer_fails_before_printing() -> None:
    server = FakePrinter(status={1: OFFLINE, 4: ONLINE})
    try:
        with pytest.raises(PrinterError, match="is offline"):
            check_ready(server.connection, timeout=2.0)
    finally:
        server.close()


def test_print_job_end_to_end_over_tcp(tmp_path: Path) -> None:
    server = FakePrinter(status={1: ONLINE, 4: ONLINE})
    settings = Settings()
    try:
        printed = print_job(PrintJob("receipt", samples.sale(), copy=True), settings,
                            connection=server.connection, preview_path=tmp_path / "r.png")
    finally:
        server.close()
    assert printed.delivery.outcome == "confirmed"
    assert server.jobs == [job_bytes(printed.document, settings.printer)]
    assert "*** COPY ***" in decode(server.jobs[0]).texts
    assert (tmp_path / "r.png").stat().st_size > 1000


def test_cups_queue_through_lp_when_pycups_is_missing(tmp_path: Path, job: bytes,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Debian's ``lp`` stands in for pycups; a fake ``lp`` on PATH records what it gets."""
    monkeypatch.setattr(escpos_printer.CupsPrinter, "is_usable", staticmethod(lambda: False))
    spool = tmp_path / "spool.bin"
    fake = tmp_path / "bin" / "lp"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\n[ "$2" = "TM_T20" ] || {{ echo "lp: The printer or class does '
                    f'not exist." >&2; exit 1; }}\ncat > {spool}\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    send_bytes(job, "cups:TM_T20")
    assert spool.read_bytes() == job
    with pytest.raises(PrinterError, match="CUPS refused the job: lp: The printer or class"):
        send_bytes(job, "cups:NOPE")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PrinterError, match="cups-client") as err:
        send_bytes(job, "cups:TM_T20")
    assert err.value.reason == "unsupported"


# --- What the printer really took: flushed, confirmed by DLE EOT, or not -------------------

READY = {1: ONLINE, 4: ONLINE}  # DLE EOT 1: online; DLE EOT 4: paper present
BIG = 300_000  # more than the deaf printer's receive buffer, less than this side's send buffer


@pytest.mark.parametrize("size", [BIG, 8_000_000])  # sits in our buffer / send() blocks
def test_printer_that_accepts_and_never_reads_times_out(size: int) -> None:
    server = FakePrinter("deaf", rcvbuf=4096)
    started = time.monotonic()
    try:
        with pytest.raises(PrinterError) as err:
            send_bytes(b"\x1b@" + b"x" * size, server.connection, timeout=0.5,
                       status_timeout=0.3)
    finally:
        server.close()
    assert err.value.reason == "timeout" and err.value.retryable
    assert err.value.message.startswith(f"network printer 127.0.0.1:{server.port} ")
    assert "took no data for 0.5 s" in err.value.message
    assert time.monotonic() - started < 5


def test_a_timed_out_job_is_not_delivered_later_behind_our_back() -> None:
    """The bytes left in the kernel are dropped with a reset, not sent once the printer
    wakes up (and then again by the retry)."""
    server = FakePrinter("deaf", rcvbuf=4096)
    try:
        with pytest.raises(PrinterError):
            send_bytes(b"y" * BIG, server.connection, timeout=0.3, status_timeout=0.3)
        (held,) = server.held
        held.settimeout(2)  # the printer wakes up and reads what reached it
        got = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := held.recv(65536):
                got += chunk
        assert len(got) < BIG  # a plain close() would let the kernel deliver all of it
    finally:
        server.close()


def test_printer_that_reads_but_never_answers_status_is_not_confirmed(job: bytes) -> None:
    server = FakePrinter("ok", status=None)
    try:
        delivery = send_bytes(job, server.connection, timeout=2, status_timeout=0.3)
    finally:
        server.close()
    assert server.jobs == [job] and server.status_queries == 1
    assert delivery.outcome == "unconfirmed"
    assert delivery.message.startswith(f"network printer 127.0.0.1:{server.port} took the")
    assert "did not answer" in delivery.message and "reports_status = false" in delivery.message


def test_printer_that_answers_status_confirms_the_job(job: bytes) -> None:
    server = FakePrinter("ok", status=READY)
    try:
        delivery = send_bytes(job, server.connection, timeout=2, status_timeout=2)
    finally:
        server.close()
    assert server.jobs == [job] and server.status_queries == 2
    assert delivery.outcome == "confirmed" and delivery.message == ""
    assert (delivery.status.online, delivery.status.paper) == (True, "ok")


def test_paper_out_after_the_job_is_not_confirmed(job: bytes) -> None:
    server = FakePrinter("ok", status={1: ONLINE, 4: PAPER_OUT})
    try:
        delivery = send_bytes(job, server.connection, timeout=2, status_timeout=2)
    finally:
        server.close()
    assert delivery.outcome == "unconfirmed" and "out of paper" in delivery.message


@pytest.mark.parametrize("status", [READY, None])
def test_reset_half_way_is_a_sentence_and_not_printed(job: bytes,
                                                      status: dict[int, int] | None) -> None:
    server = FakePrinter("drop", drop_after=len(job) // 2, status=status)
    try:
        with pytest.raises(PrinterError) as err:
            send_bytes(job, server.connection, timeout=2, status_timeout=0.5)
    finally:
        server.close()
    assert err.value.reason == "dropped" and err.value.retryable
    assert err.value.message == (
        f"the connection to network printer 127.0.0.1:{server.port} dropped in the middle of "
        "printing (the printer reset the connection); the whole receipt will be printed again")


def test_reset_during_a_status_request_is_a_sentence() -> None:
    server = FakePrinter("drop", drop_after=3)  # DLE EOT 1 is three bytes
    try:
        with pytest.raises(PrinterError) as err:
            read_status(server.connection, timeout=2)
    finally:
        server.close()
    assert err.value.message == (f"network printer 127.0.0.1:{server.port} reset the "
                                 "connection: is it switched on and not in use by another "
                                 "computer?")
    assert "Errno" not in err.value.message and err.value.retryable


@pytest.mark.parametrize("exc,during,expected", [
    (ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"), False,
     "network printer 10.0.0.9:9100 reset the connection"),
    (BrokenPipeError(errno.EPIPE, "Broken pipe"), False,
     "network printer 10.0.0.9:9100 closed the connection"),
    (ConnectionAbortedError(errno.ECONNABORTED, "Software caused connection abort"), True,
     "the connection to network printer 10.0.0.9:9100 dropped in the middle of printing "
     "(the connection was aborted on this computer)"),
    (BrokenPipeError(errno.EPIPE, "Broken pipe"), True,
     "the connection to network printer 10.0.0.9:9100 dropped in the middle of printing "
     "(the printer closed the connection)"),
    (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), False,
     "network printer 10.0.0.9:9100 refused the connection"),
    (TimeoutError("timed out"), False, "network printer 10.0.0.9:9100 did not answer within"),
    (OSError(errno.EIO, "Input/output error"), False,
     "network printer 10.0.0.9:9100 could not be used (input/output error)"),
])
def test_socket_errors_become_sentences(exc: OSError, during: bool, expected: str) -> None:
    err = explain(parse_connection("network:10.0.0.9"), exc, during, 10)
    assert err.message.startswith(expected) and "Errno" not in err.message


@pytest.mark.parametrize("text", ["dummy", "file", "cups"])
def test_connections_that_cannot_answer_are_sent_without_confirmation(
        text: str, tmp_path: Path, job: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    if text == "file":
        text = f"file:{tmp_path / 'lp0'}"
    if text == "cups":
        monkeypatch.setattr(escpos_printer.CupsPrinter, "is_usable",
                            staticmethod(lambda: False))
        lp = tmp_path / "bin" / "lp"
        lp.parent.mkdir()
        lp.write_text("#!/bin/sh\ncat > /dev/null\n", encoding="utf-8")
        lp.chmod(0o755)
        monkeypatch.setenv("PATH", f"{lp.parent}:/usr/bin:/bin")
        text = "cups:TM"
    delivery = send_bytes(job, text)
    assert delivery.outcome == "sent" and "gives no confirmation" in delivery.message


def test_a_printer_set_to_have_no_status_is_not_asked(job: bytes) -> None:
    server = FakePrinter("ok", status=READY)
    try:
        delivery = deliver(job, PrinterSettings(connection=server.connection,
                                                reports_status=False), timeout=2)
    finally:
        server.close()
    assert server.jobs == [job] and server.status_queries == 0
    assert delivery.outcome == "sent" and "reports_status = false" in delivery.message
