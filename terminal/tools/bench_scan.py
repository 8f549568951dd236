"""Benchmark: the whole camera path, scan to member (issue 14). A generated 720p video of
real members' QR codes at counter distance (plain, blurred, tilted, dark, off a phone
screen) and of empty frames is played through the counter's camera path: the capture
(``open_capture``), decoding, verification of the signed code on the scanner's thread, the
queued signal to the GUI thread, the counter's look-up (``lookup.lookup``, on a database
thread) and its answer back on the GUI thread. For each backend: decoding time per frame,
frame arrival to the member on the GUI thread, and the read rate per kind of frame."""

from __future__ import annotations

import json
import queue
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ..core.config import CameraSettings
from ..db import models as m
from ..db.database import is_sqlite
from ..loyalty import codes
from ..scanner.decoders import BACKENDS, Decoded, Decoder, DecoderError, make_decoder
from ..services import lookup, members
from ..services.context import Context
from . import scan_frames as sf
from .bench import _masked, _say
from .till import percentile, sample_members

KINDS = (*sf.CODE_KINDS, "empty")  # the video's frames cycle through these
FPS = 30
DECODE_TARGET_MS = 10.0  # p95 per 720p frame
PATH_TARGET_MS = 100.0  # p95, frame arrival to the member on the GUI thread


@dataclass(frozen=True)
class Clip:
    path: Path
    kinds: tuple[str, ...]  # of each frame, in order
    texts: tuple[str, ...]  # the code each frame holds ("" for none)
    card_of: dict[str, str]  # code -> the member's card number


class TimedDecoder:
    """A decoder that notes, frame by frame, how long decoding took and what it found."""

    def __init__(self, inner: Decoder) -> None:
        self.inner = inner
        self.seconds: list[float] = []
        self.found: list[list[Decoded]] = []
        self._lock = threading.Lock()

    def decode(self, frame: np.ndarray) -> list[Decoded]:
        started = time.perf_counter()
        found = self.inner.decode(frame)
        elapsed = time.perf_counter() - started
        with self._lock:
            self.seconds.append(elapsed)
            self.found.append(found)
        return found


@dataclass
class Result:
    backend: str
    decode_seconds: list[float]
    path_seconds: list[float]  # arrival to the member on the GUI thread, per member shown
    measured_to: str
    read: Counter[str] = field(default_factory=Counter)
    frames: Counter[str] = field(default_factory=Counter)
    wrong_reads: int = 0  # codes reported that the frame does not hold
    members_shown: int = 0
    wrong_members: int = 0  # a look-up that answered with someone else
    refused: int = 0  # codes the scanner or the look-up refused
    second_passes: int | None = None  # auto: frames a second pass was tried on ...
    second_reads: int | None = None  # ... and read


def make_clip(ctx: Context, folder: Path, frames: int, seed: int) -> Clip:
    """A 720p MJPG video of ``frames`` frames; each code frame shows another member's code,
    made as the member's card and screen show it (``members.member_code``)."""
    codes_wanted = sum(1 for i in range(frames) if KINDS[i % len(KINDS)] != "empty")
    people = sample_members(random.Random(seed), codes_wanted)
    card_of = {members.member_code(ctx, p): p.card_no for p in people}
    made = sf.frames(list(card_of), KINDS, frames, seed=seed)
    path = folder / "scan-bench.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS,
                             (sf.WIDTH, sf.HEIGHT))
    try:
        if not writer.isOpened():
            raise RuntimeError(f"cannot write {path}")
        for frame in made:
            writer.write(frame.image)
    finally:
        writer.release()
    return Clip(path, tuple(f.kind for f in made), tuple(f.text for f in made), card_of)


def _counter_path(ctx: Context) -> tuple[Any, Any]:
    """The counter's verifier (on the scanner's thread, without the database) and look-up."""
    installation, secret = ctx.installation()

    def verify(text: str) -> object:
        return codes.verify_member_code(text, secret, installation)

    def look_up(text: str) -> object:
        return lookup.lookup(ctx, text)

    return verify, look_up


def _play(ctx: Context, clip: Clip, backend: str, decoder: Decoder) -> Result:
    settings = CameraSettings(source=str(clip.path), fps=FPS, backend=backend)
    timed = TimedDecoder(decoder)
    verify, look_up = _counter_path(ctx)
    scans: Sequence[Any]  # scan_timing.Timed, or _Scan without Qt
    try:
        from ..ui.counter.scan_timing import time_scans
    except ImportError:  # no Qt: the same path, timed up to the look-up's answer
        scans, measured_to = _play_without_qt(settings, timed, verify, look_up), "service"
    else:
        scans, measured_to = time_scans(settings, decoder=timed, verify=verify,
                                        look_up=look_up), "gui_thread"
    result = Result(backend, list(timed.seconds), [], measured_to,
                    second_passes=getattr(decoder, "second_passes", None),
                    second_reads=getattr(decoder, "second_reads", None))
    for kind, text, found in zip(clip.kinds, clip.texts, timed.found, strict=False):
        result.frames[kind] += 1
        result.read[kind] += any(d.text == text for d in found) if text else 0
        result.wrong_reads += sum(1 for d in found if d.text != text)
    for scan in scans:
        member = scan.result
        if not scan.valid or not isinstance(member, members.MemberView) or not scan.answered:
            result.refused += 1
            continue
        result.members_shown += 1
        result.wrong_members += member.card_no != clip.card_of.get(scan.text)
        result.path_seconds.append(scan.answered - scan.arrived)
    return result


@dataclass(frozen=True)
class _Scan:
    text: str
    valid: bool
    arrived: float
    answered: float | None
    result: object


def _play_without_qt(settings: CameraSettings, decoder: Decoder, verify: Any,
                     look_up: Any) -> list[_Scan]:
    """The camera path without Qt: the scanner's thread hands each code to this thread,
    which looks it up, as the GUI thread hands it to the database thread."""
    from ..scanner.capture import Capture, StampedCapture, open_capture
    from ..scanner.events import ScanEvent
    from ..scanner.scanner import Scanner

    handed: queue.Queue[tuple[ScanEvent, float] | None] = queue.Queue()
    stamped: list[StampedCapture] = []

    def factory(spec: str, options: CameraSettings) -> Capture:
        stamped.append(StampedCapture(open_capture(spec, options)))
        return stamped[-1]

    def on_event(event: object) -> None:  # the scanner's thread
        if isinstance(event, ScanEvent):
            handed.put((event, stamped[-1].arrived))

    scanner = Scanner(settings, on_event, verify=verify, decoder=decoder,
                      capture_factory=factory, realtime=True)
    def ended() -> None:  # the video has played: the last code is in the queue
        scanner.join()
        handed.put(None)

    scanner.start()
    threading.Thread(target=ended, name="bench-scan-end", daemon=True).start()
    out: list[_Scan] = []
    while (item := handed.get()) is not None:
        event, arrived = item
        result: object = None
        if event.valid:
            try:
                result = look_up(event.text)
            except Exception as exc:  # the counter shows it as an error; counted refused
                result = exc
        out.append(_Scan(event.text, event.valid, arrived, time.perf_counter(), result))
    return out


def _hard_set(backend: str, decoder: Decoder, texts: list[str], per_kind: int,
              base: dict[str, Any]) -> dict[str, Any]:
    """The decoder alone on the generated hard frames (small, blurred, tilted, low contrast,
    glare, moire): time per frame and what it read (no video: the frames as generated)."""
    frames = sf.hard_frames(texts, per_kind)
    seconds, read, wrong = [], Counter[str](), 0
    for frame in frames:
        started = time.perf_counter()
        found = decoder.decode(frame.image)
        seconds.append(time.perf_counter() - started)
        read[frame.kind] += any(d.text == frame.text for d in found)
        wrong += sum(1 for d in found if d.text != frame.text)
    line = {**base, "operation": f"hard_{backend}", "backend": backend,
            "label": f"decode one hard frame, {backend}", **_ms(seconds),
            "frames": len(frames), "rows": sum(read.values()),
            "read_rate": round(sum(read.values()) / len(frames), 3),
            "read_by_kind": {k: {"frames": per_kind, "read": read[k],
                                 "rate": round(read[k] / per_kind, 3)}
                             for k in sf.HARD_KINDS},
            "wrong_reads": wrong, "target": "p95", "target_ms": DECODE_TARGET_MS}
    line["pass"] = line["p95_ms"] is not None and line["p95_ms"] <= DECODE_TARGET_MS
    return line


def _ms(seconds: Sequence[float]) -> dict[str, float | None]:
    if not seconds:
        return {"median_ms": None, "p95_ms": None, "max_ms": None}
    return {"median_ms": round(percentile(seconds, 50) * 1000, 2),
            "p95_ms": round(percentile(seconds, 95) * 1000, 2),
            "max_ms": round(max(seconds) * 1000, 2)}


def _lines(r: Result, base: dict[str, Any]) -> list[dict[str, Any]]:
    decode = _ms(r.decode_seconds)
    path = _ms(r.path_seconds)
    codes_in = sum(n for k, n in r.frames.items() if k != "empty")
    read = {k: {"frames": r.frames[k], "read": r.read[k],
                "rate": round(r.read[k] / r.frames[k], 3) if r.frames[k] else None}
            for k in KINDS if k != "empty"}
    decode_line = {**base, "operation": f"decode_{r.backend}", "backend": r.backend,
                   "label": f"decode one 720p frame, {r.backend}", **decode,
                   "frames": len(r.decode_seconds), "rows": sum(r.read.values()),
                   "read_rate": round(sum(r.read.values()) / codes_in, 3) if codes_in else None,
                   "read_by_kind": read, "empty_frames": r.frames["empty"],
                   "wrong_reads": r.wrong_reads, "second_passes": r.second_passes,
                   "second_reads": r.second_reads, "target": "p95",
                   "target_ms": DECODE_TARGET_MS}
    decode_line["pass"] = decode["p95_ms"] is not None and decode["p95_ms"] <= DECODE_TARGET_MS
    path_line = {**base, "operation": f"scan_to_member_{r.backend}", "backend": r.backend,
                 "label": f"frame to member on the GUI thread, {r.backend}"
                 if r.measured_to == "gui_thread" else
                 f"frame to member (service answer, no Qt), {r.backend}",
                 **path, "frames": len(r.decode_seconds), "rows": r.members_shown,
                 "members_found": r.members_shown, "wrong_members": r.wrong_members,
                 "refused": r.refused, "measured_to": r.measured_to, "target": "p95",
                 "target_ms": PATH_TARGET_MS}
    path_line["pass"] = (path["p95_ms"] is not None and path["p95_ms"] <= PATH_TARGET_MS
                         and r.wrong_members == 0 and r.wrong_reads == 0)
    return [decode_line, path_line]


def run(ctx: Context, url: str, *, frames: int, as_json: bool,
        backends: Sequence[str] = BACKENDS, seed: int = 1, hard_per_kind: int = 10) -> int:
    """Generate the clip, play it once per backend through the camera path, then decode the
    hard frames (``hard_per_kind`` of each kind; 0 skips them) with each backend; print the
    figures as a table, or with ``as_json`` one object per line."""
    if frames < len(KINDS):
        print(f"bench: --frames must be at least {len(KINDS)}", file=sys.stderr)
        return 2
    count = m.Member.select().where(m.Member.live()).count()
    if not count:
        print("bench: --scan needs members to scan: fill the database with demo first",
              file=sys.stderr)
        return 2
    decoders: dict[str, Decoder] = {}
    for backend in backends:
        try:
            decoders[backend] = make_decoder(backend)
        except DecoderError as exc:
            _say(f"{backend} left out: {exc}")
    if not decoders:
        print("bench: no decoder backend can be used", file=sys.stderr)
        return 2
    database = "sqlite" if is_sqlite() else "postgresql"
    results = []
    with tempfile.TemporaryDirectory(prefix="scan-bench-") as folder:
        _say(f"{database}: {count} members; making a {frames}-frame 720p video")
        clip = make_clip(ctx, Path(folder), frames, seed)
        _say(f"{len(clip.card_of)} members' codes in {clip.path.stat().st_size // 1024} KiB "
             f"of MJPG at {FPS} fps")
        for backend, decoder in decoders.items():
            _say(f"playing it through the camera path with {backend}")
            results.append(_play(ctx, clip, backend, decoder))
    base = {"database": database, "url": _masked(url), "members": count}
    lines = [line for r in results for line in _lines(r, base)]
    if hard_per_kind > 0:
        texts = list(clip.card_of)
        for backend in decoders:
            _say(f"decoding the hard frames with {backend}")
            # a fresh decoder: the second passes counted above stay the clip's
            lines.append(_hard_set(backend, make_decoder(backend), texts, hard_per_kind,
                                   base))
    if as_json:
        for line in lines:
            print(json.dumps(line))
        return 0
    _table(lines, database, url, count, frames)
    return 0


def _table(lines: list[dict[str, Any]], database: str, url: str, count: int,
           frames: int) -> None:
    def num(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}"

    print(f"bench --scan: {database} {_masked(url)}: {count:,} members; {frames} frames of "
          f"720p video at {FPS} fps, {', '.join(KINDS)} in turn; times in ms")
    print(f"{'operation':<46}{'p50':>8}{'p95':>8}{'max':>8}{'rows':>7}   target")
    for r in lines:
        verdict = "PASS" if r["pass"] else "FAIL"
        print(f"{r['label']:<46}{num(r['median_ms']):>8}{num(r['p95_ms']):>8}"
              f"{num(r['max_ms']):>8}{r['rows']:>7}   p95 <= {r['target_ms']:g} {verdict}")
    print()
    print("read rate per kind of frame (codes read / frames holding one):")
    decode_lines = [r for r in lines if r["operation"].startswith("decode_")]
    _rates(decode_lines, [k for k in KINDS if k != "empty"])
    hard_lines = [r for r in lines if r["operation"].startswith("hard_")]
    if hard_lines:
        print(f"the hard frames, {hard_lines[0]['frames']} of them:")
        _rates(hard_lines, list(sf.HARD_KINDS))
    path_lines = [r for r in lines if r["operation"].startswith("scan_to_member_")]
    if path_lines and path_lines[0]["measured_to"] == "gui_thread":
        print("frame to member: from the frame out of the capture to the look-up's answer "
              "back on the GUI thread (Qt event loop offscreen; painting the panel not "
              "included)")
    else:
        print("frame to member: up to the look-up service's answer (Qt not available)")
    for r in path_lines:
        print(f"{r['backend']}: {r['members_found']} members found, "
              f"{r['wrong_members']} wrong, {r['refused']} refused")
    for r in decode_lines:
        if r["second_passes"] is not None:
            print(f"{r['backend']}: a second pass on {r['second_passes']} frames, "
                  f"{r['second_reads']} of them read")


def _rates(lines: list[dict[str, Any]], kinds: list[str]) -> None:
    print(f"{'backend':<10}" + "".join(f"{k[:12]:>13}" for k in kinds)
          + f"{'all':>8}{'wrong':>7}")
    for r in lines:
        cells = "".join(f"{_rate(r['read_by_kind'][k]['rate']):>13}" for k in kinds)
        print(f"{r['backend']:<10}{cells}{_rate(r['read_rate']):>8}{r['wrong_reads']:>7}")


def _rate(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.0f}%"
