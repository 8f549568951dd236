"""bench --import: an import timed while another process rings up sales, leaving the
database with the members it had."""

from __future__ import annotations

import json

import pytest

from terminal.db import models as m
from terminal.services import audit_listing, import_batches, members
from terminal.services.context import Context
from terminal.services.integrity import check
from terminal.tools import bench_import


def test_bench_import_times_the_checkouts_and_leaves_nothing_behind(
        db_url: str, ctx: Context, catalogue: dict[str, m.Product],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(import_batches, "CHUNK", 100)
    # a member already holds the first generated phone number: the file skips it
    members.enrol(ctx, members.EnrolRequest("Holder", f"+86{bench_import.PHONE_START}"))

    assert bench_import.run(ctx, db_url, members=450, as_json=True) == 0

    report = json.loads(capsys.readouterr().out)
    assert {"operation", "median_ms", "max_ms", "rows", "checkouts", "import_s",
            "left_behind", "pass"} <= set(report)
    assert report["operation"] == "import_members" and report["rows"] == 450
    assert report["checkouts"] > 0 and report["max_ms"] <= report["target_ms"]
    assert report["left_behind"] == 0 and report["checkout_errors"] == 0
    assert m.Member.select().count() == 1
    assert [b.state for b in m.ImportBatch.select()] == ["failed"]  # removed, as rehearsed
    assert audit_listing.entries(action="import_members") == []
    sales = m.Txn.select().where(m.Txn.terminal_id == bench_import.TERMINAL).count()
    assert sales >= report["checkouts"]
    assert check() == []
