"""bench --scan: a generated video of the demo members' codes played through the counter's
camera path (capture, decoding, verification, the queued signal to the GUI thread, the
look-up on the database thread); the figures are the run's own."""

from __future__ import annotations

import json
import sys

import pytest

from terminal.db import models as m
from terminal.scanner.decoders import DecoderError, make_decoder
from terminal.services.context import Context
from terminal.services.integrity import check
from terminal.tools import bench_scan, demo
from terminal.tools import scan_frames as sf

FRAMES = 40
CODE_FRAMES = sum(1 for i in range(FRAMES)
                  if bench_scan.KINDS[i % len(bench_scan.KINDS)] != "empty")


def _usable() -> list[str]:
    out = []
    for backend in ("zxing", "pyzbar", "auto"):
        try:
            make_decoder(backend)
        except DecoderError:
            continue
        out.append(backend)
    return out


@pytest.fixture
def shop(ctx: Context, db_url: str, qapp: object) -> None:
    # qapp: the tests' QApplication, so the bench's event loop does not make a core one
    assert demo.run(ctx, db_url, members=80, days=3, seed=3, if_empty=False) == 0


def test_scan_bench_json(ctx: Context, db_url: str, shop: None,
                         capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_scan.run(ctx, db_url, frames=FRAMES, as_json=True, hard_per_kind=2) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by = {r["operation"]: r for r in lines}
    backends = _usable()
    assert len(by) == len(lines) == 3 * len(backends)
    assert set(by) == {f"{op}_{b}" for b in backends
                       for op in ("decode", "scan_to_member", "hard")}
    live = m.Member.select().where(m.Member.live()).count()
    for r in lines:
        assert {"operation", "median_ms", "p95_ms", "max_ms", "frames", "rows", "target_ms",
                "pass", "members"} <= set(r)
        hard = r["operation"].startswith("hard_")
        assert r["frames"] == (2 * len(sf.HARD_KINDS) if hard else FRAMES)
        assert r["members"] == live
        assert 0 <= r["median_ms"] <= r["p95_ms"] <= r["max_ms"]
    for b in backends:
        decode, path = by[f"decode_{b}"], by[f"scan_to_member_{b}"]
        kinds = decode["read_by_kind"]
        assert set(kinds) == set(bench_scan.KINDS) - {"empty"}
        assert sum(k["frames"] for k in kinds.values()) == CODE_FRAMES
        assert decode["empty_frames"] == FRAMES - CODE_FRAMES
        assert decode["rows"] == sum(k["read"] for k in kinds.values()) > 0
        assert kinds["plain"]["rate"] == 1.0  # a code held flat at the counter is read
        assert decode["wrong_reads"] == 0
        # each code frame shows another member: every code read is a member found, the
        # right one, through the look-up on the database thread
        assert path["measured_to"] == "gui_thread"
        assert path["members_found"] == path["rows"] == decode["rows"]
        assert path["wrong_members"] == 0 and path["refused"] == 0
        hard = by[f"hard_{b}"]
        assert set(hard["read_by_kind"]) == set(sf.HARD_KINDS)
        assert hard["rows"] == sum(k["read"] for k in hard["read_by_kind"].values())
        assert hard["wrong_reads"] == 0
    if "auto" in by and "zxing" in by:
        assert by["decode_auto"]["rows"] >= by["decode_zxing"]["rows"]
        assert by["decode_auto"]["second_passes"] is not None
    assert check() == []


def test_scan_bench_table(ctx: Context, db_url: str, shop: None,
                          capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_scan.run(ctx, db_url, frames=12, as_json=False, backends=("zxing",),
                          hard_per_kind=0) == 0
    out = capsys.readouterr().out
    assert "decode one 720p frame, zxing" in out
    assert "frame to member on the GUI thread, zxing" in out
    assert "read rate per kind of frame" in out
    assert "p95 <= 10" in out and "p95 <= 100" in out
    assert out.count(" PASS") + out.count(" FAIL") == 2  # a verdict per line


def test_scan_bench_refuses_without_members(ctx: Context, db_url: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_scan.run(ctx, db_url, frames=FRAMES, as_json=True) == 2
    assert "needs members" in capsys.readouterr().err
    assert bench_scan.run(ctx, db_url, frames=3, as_json=True) == 2


def test_without_qt_the_path_is_timed_to_the_service_answer(
        ctx: Context, db_url: str, shop: None, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # a None entry in sys.modules makes the import raise ImportError, as a missing Qt does
    monkeypatch.setitem(sys.modules, "terminal.ui.counter.scan_timing", None)
    assert bench_scan.run(ctx, db_url, frames=FRAMES, as_json=True, backends=("zxing",),
                          hard_per_kind=0) == 0
    by = {r["operation"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    path = by["scan_to_member_zxing"]
    assert path["measured_to"] == "service" and "service answer" in path["label"]
    assert path["members_found"] == by["decode_zxing"]["rows"] > 0
    assert path["wrong_members"] == 0
    assert 0 <= path["median_ms"] <= path["p95_ms"] <= path["max_ms"]
