"""Status by DLE EOT: online and paper read from a TCP printer, unknown where it cannot be
read, and a printer not ready refused before anything is printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from printers.errors import PrinterError
from printers.print_jobs import deliver
from printers.status import check_ready, read_status
from terminal.core.config import PrinterSettings

from .fake_printer import OFFLINE, ONLINE, PAPER_LOW, PAPER_OUT, FakePrinter


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
