"""``report eod`` and ``report economics``: outputs, closing with a manager's PIN, exit codes."""

from __future__ import annotations

import argparse
import csv
import io
import json

import pytest

from terminal.cli import report as cli
from terminal.db import models as m
from terminal.reports.json_export import eod_from_json
from terminal.services import eod
from tests.reports.conftest import DAY


def parse(*argv: str) -> argparse.Namespace:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="member-terminal")
    sub = parser.add_subparsers(dest="command")
    cli.add_parser(sub, [common])
    return parser.parse_args(["report", *argv])


def run(ctx, *argv: str) -> int:
    return cli.run(parse(*argv), ctx)


@pytest.fixture
def pin(monkeypatch):
    """What the manager types when getpass asks; records the prompts."""
    typed = {"pin": "9999", "prompts": []}

    def getpass(prompt: str = "") -> str:
        typed["prompts"].append(prompt)
        return typed["pin"]

    monkeypatch.setattr("getpass.getpass", getpass)
    return typed


def test_text_to_the_screen(ctx, recorded_day, capsys):
    assert run(ctx, "eod", "--date", "2026-03-10") == 0
    out = capsys.readouterr().out
    assert "End-of-day report" in out and "2026-03-10 · all terminals" in out
    assert "Net revenue" in out and "¥28.00" in out and "Cashier Li 李" in out


def test_the_date_defaults_to_today(ctx, recorded_day, capsys):
    assert run(ctx, "eod", "--language", "zh_CN") == 0
    out = capsys.readouterr().out
    assert "日结报表" in out and "2026-03-10 · 全部终端" in out


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "10/03/2026", ""])
def test_a_bad_date_is_refused(ctx, capsys, bad):
    assert run(ctx, "eod", "--date", bad) == 2
    err = capsys.readouterr().err
    assert "is not a date (YYYY-MM-DD)" in err and "Traceback" not in err


def test_pdf_needs_an_output_file(ctx, capsys):
    assert run(ctx, "eod", "--format", "pdf") == 2
    assert "--format pdf needs --output PATH" in capsys.readouterr().err


def test_an_output_folder_that_does_not_exist(ctx, tmp_path, capsys):
    assert run(ctx, "eod", "--output", str(tmp_path / "no" / "such.txt")) == 2
    assert "does not exist" in capsys.readouterr().err


def test_pdf_file(qapp, ctx, recorded_day, tmp_path, capsys):
    path = tmp_path / "z.pdf"
    assert run(ctx, "eod", "--date", "2026-03-10", "--format", "pdf", "--output",
               str(path)) == 0
    assert path.read_bytes().startswith(b"%PDF-")
    assert f"wrote {path}" in capsys.readouterr().out


def test_csv_file_and_screen(ctx, recorded_day, tmp_path, capsysbinary):
    path = tmp_path / "z.csv"
    assert run(ctx, "eod", "--format", "csv", "--output", str(path)) == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert ["Net revenue", "28.00"] in rows
    capsysbinary.readouterr()
    assert run(ctx, "eod", "--format", "csv") == 0
    assert capsysbinary.readouterr().out == data


def test_json(ctx, recorded_day, capsys):
    assert run(ctx, "eod", "--format", "json", "--terminal", "T01") == 0
    rep = eod_from_json(capsys.readouterr().out)
    assert rep.period.terminal == "T01" and rep.sales.revenue == 2800


def test_a_shift(ctx, recorded_day, capsys):
    assert run(ctx, "eod", "--from", "10:00", "--to", "12:00", "--cashier",
               recorded_day["li"], "--format", "json") == 0
    rep = eod_from_json(capsys.readouterr().out)
    assert rep.period.shift and rep.returns.refunds == 1 and rep.sales.count == 0
    assert run(ctx, "eod", "--from", "25:00") == 2
    assert "--from: '25:00' is not a time of day" in capsys.readouterr().err
    assert run(ctx, "eod", "--from", "12:00", "--to", "09:00") == 2
    assert "end after it starts" in capsys.readouterr().err


def test_print_queues_the_report(ctx, recorded_day, capsys):
    assert run(ctx, "eod", "--print") == 0
    assert "queued for the printer of terminal T01" in capsys.readouterr().out
    job = m.PrintJob.get()
    assert (job.kind, job.status) == ("report", "pending")


def test_close_with_a_managers_pin(ctx, recorded_day, pin, capsys):
    assert run(ctx, "eod", "--close", "--approver-pin", "--manager", "Manager Wang 王") == 0
    out, err = capsys.readouterr()
    assert pin["prompts"] == ["Manager Wang 王's PIN for closing the day: "]
    assert "Closed 2026-03-10 20:00 by Manager Wang 王 at T01" in out
    assert "closed 2026-03-10" in err
    closing = eod.closing(ctx, DAY)
    assert closing is not None and closing.closed_by == recorded_day["manager"]
    # the second time: refused before anyone is asked for a PIN
    assert run(ctx, "eod", "--close", "--date", "2026-03-10") == 1
    assert "2026-03-10 is closed already" in capsys.readouterr().err
    assert len(pin["prompts"]) == 1
    assert m.DayClose.select().count() == 1


def test_close_with_a_wrong_pin(ctx, recorded_day, pin, capsys):
    pin["pin"] = "1111"  # the cashier's
    assert run(ctx, "eod", "--close", "--manager", str(recorded_day["manager"])) == 1
    assert "wrong PIN: closing the day was not approved" in capsys.readouterr().err
    assert m.DayClose.select().count() == 0


def test_close_refuses_the_future_and_a_part_of_the_day(ctx, recorded_day, pin, capsys):
    assert run(ctx, "eod", "--close", "--date", "2026-03-11") == 2
    assert "has not begun" in capsys.readouterr().err
    assert run(ctx, "eod", "--close", "--terminal", "T01") == 2
    assert "closes the whole store's day" in capsys.readouterr().err
    assert pin["prompts"] == [] and m.DayClose.select().count() == 0


def test_economics(ctx, recorded_day, capsys):
    assert run(ctx, "economics", "--months", "3") == 0
    out = capsys.readouterr().out
    assert "Programme economics" in out
    assert "Your programme costs 71.4% of revenue; a typical programme costs about 1%" in out
    assert run(ctx, "economics", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["months"]) == 12 and data["derived"]["cost_share_percent"] == "71.43"
    assert run(ctx, "economics", "--months", "0") == 2
    assert "months must be a whole number" in capsys.readouterr().err


def test_economics_csv(ctx, recorded_day, tmp_path):
    path = tmp_path / "e.csv"
    assert run(ctx, "economics", "--format", "csv", "--output", str(path),
               "--language", "zh_CN") == 0
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["会员计划成本分析"]
    assert ["月份", "营业额", "发放", "兑换", "过期", "成本", "成本占比"] in rows
    assert ["2026-03", "28.00", "28", "0", "0", "20.00", "71.4%"] in rows


def test_unknown_subcommand_is_an_error(ctx):
    with pytest.raises(ValueError):
        cli.run(argparse.Namespace(report_command="nope"), ctx)
