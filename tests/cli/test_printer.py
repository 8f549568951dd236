"""The printer and print commands, wired as terminal.cli wires them."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from printers.layouts import TEST_QR_PAYLOAD
from terminal.cli import printer as cli
from terminal.core.config import Settings
from terminal.services.context import Context
from tests.helpers import factory
from tests.printers.escpos_decode import decode
from tests.printers.fake_printer import FakePrinter, closed_port

READY = {1: 0x16, 4: 0x12}


def parse(argv: list[str]) -> argparse.Namespace:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config")
    top = argparse.ArgumentParser(prog="member-terminal", parents=[common])
    sub = top.add_subparsers(dest="command")
    cli.add_parser(sub, [common])
    return top.parse_args(argv)


def test_printer_test_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, png = tmp_path / "lp0", tmp_path / "test.png"
    args = parse(["printer", "test", "--printer", f"file:{out}", "--preview", str(png)])
    assert cli.run(args, Settings()) == 0
    decoded = decode(out.read_bytes())
    assert "中文测试：会员积分" in decoded.texts
    assert decoded.texts[:2] == ["Member Terminal Demo", "Store"]  # double size wraps at 24
    assert "1234567890" * 4 + "12345678" in decoded.texts
    assert any(t.startswith("Status") and t.endswith("unknown, paper unknown")
               for t in decoded.texts)
    assert [p for p, _ in decoded.qr_codes] == [TEST_QR_PAYLOAD]
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(png))] == [TEST_QR_PAYLOAD]
    assert capsys.readouterr().out == (
        f"test page sent to printer device {out}; this printer gives no confirmation: check "
        "that it came out\n")


def test_unreachable_printer_exits_nonzero_with_a_message(
        capsys: pytest.CaptureFixture[str]) -> None:
    args = parse(["printer", "test", "--printer", f"network:127.0.0.1:{closed_port()}"])
    assert cli.run(args, Settings()) == 1
    assert "refused the connection" in capsys.readouterr().err


def test_printer_test_says_printed_and_confirmed(capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakePrinter("ok", status=READY)
    try:
        assert cli.run(parse(["printer", "test", "--printer", fake.connection]), Settings()) == 0
    finally:
        fake.close()
    assert len(fake.jobs) == 1
    assert capsys.readouterr().out == (
        f"test page printed on network printer 127.0.0.1:{fake.port}: the printer confirmed "
        "it (online, paper ok)\n")


def test_printer_test_says_not_confirmed(capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakePrinter("ok", status=None)
    try:
        args = parse(["printer", "test", "--printer", fake.connection, "--timeout", "0.5"])
        assert cli.run(args, Settings()) == 3
    finally:
        fake.close()
    assert len(fake.jobs) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"test page NOT CONFIRMED: network printer 127.0.0.1:{fake.port} "
                          "took the whole job but did not answer")
    assert "check that it came out" in out


def test_printer_test_on_a_printer_that_never_reads(capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    """The test page (under 1 KB) fits in even a tiny TCP buffer: the printer's silence to
    DLE EOT is what shows nothing was read."""
    fake = FakePrinter("deaf", rcvbuf=4096)
    try:
        args = parse(["printer", "test", "--printer", fake.connection, "--timeout", "0.5"])
        assert cli.run(args, Settings()) == 3
    finally:
        fake.close()
    out = capsys.readouterr().out
    assert out.startswith("test page NOT CONFIRMED: ") and "did not answer" in out


def test_print_receipt_says_confirmed_or_not(ctx: Context, catalogue: dict[str, object],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    sale = factory.sale(ctx, [("LATTE", 1)])
    for status, code, said in [(READY, 0, "printed on network printer"),
                               (None, 3, "NOT CONFIRMED: network printer")]:
        fake = FakePrinter("ok", status=status)
        try:
            args = parse(["print", "receipt", "--sale", "last", "--printer", fake.connection])
            assert cli.run(args, ctx.settings, lambda: ctx) == code
        finally:
            fake.close()
        assert len(fake.jobs) == 1
        assert capsys.readouterr().out.startswith(f"receipt {sale.receipt_no} {said}")


def test_malformed_connection_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(parse(["printer", "test", "--printer", "lpt1"]), Settings()) == 2
    assert "printer connection 'lpt1'" in capsys.readouterr().err


def test_print_receipt_last_and_by_id(ctx: Context, catalogue: dict[str, object],
                                      tmp_path: Path) -> None:
    member = factory.member(ctx, "王五")
    first = factory.sale(ctx, [("LATTE", 2)], member_id=member.id)
    last = factory.sale(ctx, [("TEA", 1), ("CAKE", 1)], cash=10000)
    out = tmp_path / "lp0"
    settings = replace(ctx.settings, printer=replace(ctx.settings.printer,
                                                     connection=f"file:{out}"))

    assert cli.run(parse(["print", "receipt", "--sale", "last"]), settings, lambda: ctx) == 0
    texts = decode(out.read_bytes()).texts
    assert any(t.endswith(last.receipt_no) for t in texts)
    assert any(t.startswith("Green tea 绿茶") for t in texts)
    assert "*** COPY ***" not in texts

    args = parse(["print", "receipt", "--sale", str(first.txn_id), "--copy"])
    assert cli.run(args, settings, lambda: ctx) == 0
    texts = decode(out.read_bytes()).texts
    assert any(t.endswith(first.receipt_no) for t in texts)
    assert "*** COPY ***" in texts and any(t.startswith("Member: 王五") for t in texts)


def test_print_receipt_errors(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    args = parse(["print", "receipt", "--sale", "last", "--printer", "dummy"])
    assert cli.run(args, ctx.settings, lambda: ctx) == 1
    assert "has no transactions yet" in capsys.readouterr().err
    args = parse(["print", "receipt", "--sale", "nonsense", "--printer", "dummy"])
    assert cli.run(args, ctx.settings, lambda: ctx) == 2
    assert "not a transaction id" in capsys.readouterr().err
    assert cli.run(args, ctx.settings, None) == 2
