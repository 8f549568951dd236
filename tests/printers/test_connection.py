"""Connections: the setting parsed, the python-escpos printer made, failures worded."""

from __future__ import annotations

import errno
import re

import pytest
from escpos import printer as escpos_printer

from printers.connection import Connection, explain, make_printer, parse_connection
from printers.delivery import send_bytes
from printers.errors import PrinterError


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


# What the printer says to the cashier, in Chinese (the Chinese counter shows no English).
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize("exc,during", [
    (ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"), False),
    (BrokenPipeError(errno.EPIPE, "Broken pipe"), False),
    (ConnectionAbortedError(errno.ECONNABORTED, "Software caused connection abort"), False),
    (ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"), True),
    (BrokenPipeError(errno.EPIPE, "Broken pipe"), True),
    (ConnectionAbortedError(errno.ECONNABORTED, "Software caused connection abort"), True),
    (TimeoutError("timed out"), True),
    (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), False),
    (TimeoutError("timed out"), False),
    (OSError(errno.EHOSTUNREACH, "No route to host"), False),
    (PermissionError(errno.EACCES, "Permission denied"), False),
])
def test_a_printer_error_keeps_its_message_id_and_reads_in_chinese(exc: OSError, during: bool
                                                                   ) -> None:
    from terminal.core.errors import DomainError

    err = explain(parse_connection("network:10.0.0.9"), exc, during, 10)
    assert isinstance(err, DomainError) and err.code == "printer"
    assert "{printer}" in err.message_id and str(err) == err.message
    zh = err.text("zh_CN")
    assert "网络打印机 10.0.0.9:9100" in zh
    assert "network printer" not in zh
    # no English word left but the group name of a device file
    assert ENGLISH_WORD.findall(zh.replace("lp", "")) == [], zh


@pytest.mark.parametrize("conn,english,chinese", [
    (Connection("network", "10.0.0.5", 9100), "network printer 10.0.0.5:9100",
     "网络打印机 10.0.0.5:9100"),
    (Connection("usb", vendor=0x04B8, product=0x0E15), "USB printer 04b8:0e15",
     "USB 打印机 04b8:0e15"),
    (Connection("file", "/dev/usb/lp0"), "printer device /dev/usb/lp0",
     "打印机设备 /dev/usb/lp0"),
    (Connection("serial", "/dev/ttyUSB0"), "serial printer /dev/ttyUSB0",
     "串口打印机 /dev/ttyUSB0"),
    (Connection("cups", "TM-T20"), "CUPS queue TM-T20", "CUPS 队列 TM-T20"),
    (Connection("dummy"), "dummy printer", "虚拟打印机"),
])
def test_a_connection_describes_itself_in_either_language(conn: Connection, english: str,
                                                          chinese: str) -> None:
    from terminal.core.i18n import Phrase

    where = conn.describe()
    assert isinstance(where, Phrase) and where == english and where.text("zh_CN") == chinese
