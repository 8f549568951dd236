"""Sending a job: real bytes to a file, to a TCP printer and through lp, failures as
PrinterError, and what the printer really took (flushed, confirmed by DLE EOT, or not)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from escpos import printer as escpos_printer

from printers.delivery import Delivery, send_bytes
from printers.errors import PrinterError
from printers.print_jobs import PrintJob, deliver, job_bytes, print_job
from terminal.core.config import PrinterSettings, Settings

from . import samples
from .escpos_decode import decode
from .fake_printer import ONLINE, PAPER_OUT, READY, FakePrinter, closed_port


@pytest.fixture
def fake() -> Iterator[FakePrinter]:
    server = FakePrinter(status=READY)
    yield server
    server.close()


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


def _sent(job: bytes, status: dict[int, int] | None, status_timeout: float
          ) -> tuple[Delivery, FakePrinter]:
    """``job`` sent whole to a printer answering DLE EOT with ``status``; the printer closed."""
    server = FakePrinter("ok", status=status)
    try:
        return send_bytes(job, server.connection, timeout=2,
                          status_timeout=status_timeout), server
    finally:
        server.close()


def test_printer_that_reads_but_never_answers_status_is_not_confirmed(job: bytes) -> None:
    delivery, server = _sent(job, None, 0.3)
    assert server.jobs == [job] and server.status_queries == 1
    assert delivery.outcome == "unconfirmed"
    assert delivery.message.startswith(f"network printer 127.0.0.1:{server.port} took the")
    assert "did not answer" in delivery.message and "reports_status = false" in delivery.message


def test_printer_that_answers_status_confirms_the_job(job: bytes) -> None:
    delivery, server = _sent(job, READY, 2)
    assert server.jobs == [job] and server.status_queries == 2
    assert delivery.outcome == "confirmed" and delivery.message == ""
    assert (delivery.status.online, delivery.status.paper) == (True, "ok")


def test_paper_out_after_the_job_is_not_confirmed(job: bytes) -> None:
    delivery, _ = _sent(job, {1: ONLINE, 4: PAPER_OUT}, 2)
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
