"""The Scanner thread end to end: a real video file and image folder, faults, preview, stop."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from terminal.core.config import CameraSettings
from terminal.core.errors import MemberCodeError
from terminal.loyalty import codes
from terminal.scanner.events import CameraStatus, Event, Point, ScanEvent
from terminal.scanner.scanner import Backoff, Scanner
from tests.scanner import imaging as im

SECRET, INSTALLATION, CODES = im.member_codes(5)
FORGED = im.forge(CODES[0])
PRODUCT = "6901234567892"
FAST = Backoff(first=0.001, factor=2.0, cap=0.01)


def verify(text: str) -> str:
    return codes.verify_member_code(text, SECRET, INSTALLATION)


class Recorder:
    """Collects events from the worker thread; lets the test wait for one."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._queue: queue.Queue[Event] = queue.Queue()

    def __call__(self, event: Event) -> None:
        self.events.append(event)
        self._queue.put(event)

    def wait_for(self, match: Callable[[Event], bool], timeout: float = 10.0) -> Event:
        deadline = time.monotonic() + timeout
        while True:
            event = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            if match(event):
                return event

    def scans(self) -> list[ScanEvent]:
        return [e for e in self.events if isinstance(e, ScanEvent)]

    def states(self) -> list[str]:
        return [e.state for e in self.events if isinstance(e, CameraStatus)]


def counter_frames() -> list[np.ndarray]:
    """What a counter camera might see: codes in several conditions, each for a few frames,
    between empty and garbage frames, and the first code again at the end."""
    def qr(text: str) -> np.ndarray:
        return im.place(im.qr(text))

    def hold(frame: np.ndarray, n: int = 3) -> list[np.ndarray]:
        return [frame] * n

    return [
        *hold(im.blank(), 2),
        *hold(qr(CODES[0])),
        im.noise(),
        *hold(im.blurred(qr(CODES[1]))),
        im.blank(30),
        *hold(im.tilted(qr(CODES[2]))),
        *hold(im.dark(qr(CODES[3]))),
        *hold(im.inverted(qr(CODES[4]))),
        *hold(qr(FORGED)),
        *hold(im.place(im.ean13(PRODUCT[:12]))),
        *hold(im.blank(), 2),
        *hold(qr(CODES[0]), 2),
    ]


def expected_scans() -> set[tuple[str, str, bool, str | None]]:
    genuine = {(c, "member", True, None) for c in CODES}
    return genuine | {(FORGED, "member", False, MemberCodeError.TAMPERED),
                      (PRODUCT, "product", True, None)}


def run_until(scanner: Scanner, recorder: Recorder, until: Callable[[Event], bool],
              timeout: float = 10.0) -> None:
    """Start ``scanner``, wait until ``recorder`` saw an event ``until`` accepts, stop it."""
    scanner.start()
    try:
        recorder.wait_for(until, timeout)
    finally:
        assert scanner.stop(timeout=5)


def run_to_end(scanner: Scanner, recorder: Recorder) -> None:
    run_until(scanner, recorder, lambda e: isinstance(e, CameraStatus) and e.state != "ok", 60)


def test_video_file_through_the_real_capture_path(tmp_path: Path, backend: str) -> None:
    video = im.write_video(tmp_path / "counter.avi", counter_frames())
    recorder = Recorder()
    settings = CameraSettings(source=str(video), backend=backend, hold_seconds=2.0)
    # A frozen clock: the whole clip is "within hold", so each code must come exactly once.
    scanner = Scanner(settings, recorder, verify=verify, clock=lambda: 0.0)
    run_to_end(scanner, recorder)
    scans = recorder.scans()
    assert len(scans) == len(expected_scans())
    assert {(s.text, s.kind, s.valid, s.reason) for s in scans} == expected_scans()
    assert all(s.source == "camera" for s in scans)
    assert {s.identity for s in scans if s.valid and s.kind == "member"} == {
        c.split(".")[2] for c in CODES}
    assert [s.text for s in scans][:2] == [CODES[0], CODES[1]]  # in the order shown
    assert recorder.states() == ["ok", "finished"]
    assert not scanner.running


def test_code_shown_again_after_hold_is_reported_again() -> None:
    clock = [0.0]

    def tick() -> None:  # one frame a second
        clock[0] += 1.0

    code, empty = im.place(im.qr(CODES[0])), im.blank()
    # seen at t=1, 2 (held), 3 (held: 1 s after the last sighting), then gone until t=7
    frames = [code, code, code, empty, empty, empty, code]
    recorder = Recorder()
    scanner = Scanner(CameraSettings(source="clip.avi", hold_seconds=2.5), recorder,
                      capture_factory=lambda spec, settings: FakeCapture(frames, on_read=tick),
                      clock=lambda: clock[0])
    run_to_end(scanner, recorder)
    assert [s.text for s in recorder.scans()] == [CODES[0], CODES[0]]


def test_image_folder_source(tmp_path: Path, backend: str) -> None:
    folder = tmp_path / "frames"
    folder.mkdir()
    cv2.imwrite(str(folder / "01.png"), im.place(im.qr(CODES[1])))
    cv2.imwrite(str(folder / "02.png"), im.blank())
    cv2.imwrite(str(folder / "03.jpg"), im.tilted(im.place(im.qr(CODES[0]))))
    cv2.imwrite(str(folder / "10.png"), im.place(im.qr(CODES[1])))
    recorder = Recorder()
    settings = CameraSettings(source=str(folder), backend=backend)
    run_to_end(Scanner(settings, recorder, verify=verify, clock=lambda: 0.0), recorder)
    assert [s.text for s in recorder.scans()] == [CODES[1], CODES[0]]
    assert recorder.states() == ["ok", "finished"]


def test_missing_file_is_an_error_not_retried(tmp_path: Path) -> None:
    recorder = Recorder()
    opened = []

    def factory(spec: str, settings: CameraSettings) -> FakeCapture:
        opened.append(spec)
        return FakeCapture([], opened=False)

    scanner = Scanner(CameraSettings(source=str(tmp_path / "missing.avi")), recorder,
                      capture_factory=factory, backoff=FAST)
    run_to_end(scanner, recorder)
    assert recorder.states() == ["error"]
    assert len(opened) == 1


class FakeCapture:
    """A VideoCapture stand-in: plays its frames, then either fails or repeats idle frames."""

    def __init__(self, frames: list[np.ndarray], opened: bool = True, idle: bool = False,
                 on_read: Callable[[], None] | None = None) -> None:
        self.frames = list(frames)
        self.opened = opened
        self.idle = idle
        self.released = False
        self.on_read = on_read

    def isOpened(self) -> bool:
        return self.opened and not self.released

    def read(self) -> tuple[bool, np.ndarray | None]:
        if self.on_read:
            self.on_read()
        if self.frames:
            return True, self.frames.pop(0)
        if self.idle:
            time.sleep(0.002)  # a camera delivers frames at its own pace
            return True, np.full((240, 320, 3), 128, dtype=np.uint8)
        return False, None

    def release(self) -> None:
        self.released = True


def scripted(captures: list[FakeCapture]) -> tuple[Callable[..., FakeCapture], list[FakeCapture]]:
    """A capture factory handing out the given captures in turn (the last one for ever)."""
    handed: list[FakeCapture] = []

    def factory(spec: str, settings: CameraSettings) -> FakeCapture:
        cap = captures.pop(0) if len(captures) > 1 else captures[0]
        handed.append(cap)
        return cap

    return factory, handed


def test_camera_that_fails_to_open_is_reported_once_and_retried() -> None:
    delays: list[int] = []

    class Recording(Backoff):
        def delay(self, attempt: int) -> float:
            delays.append(attempt)
            return 0.001

    failing = [FakeCapture([], opened=False) for _ in range(3)]
    working = FakeCapture([im.place(im.qr(CODES[0]))], idle=True)
    factory, handed = scripted([*failing, working])
    recorder = Recorder()
    scanner = Scanner(CameraSettings(source="0"), recorder, verify=verify,
                      capture_factory=factory, backoff=Recording())
    run_until(scanner, recorder, lambda e: isinstance(e, ScanEvent))
    assert recorder.states() == ["missing", "ok"]  # never opened: none plugged in yet
    assert [s.text for s in recorder.scans()] == [CODES[0]]
    assert delays == [0, 1, 2]  # exponential: one attempt number per failed open
    assert all(cap.released for cap in handed)


def test_unplugged_camera_comes_back() -> None:
    first = FakeCapture([im.place(im.qr(CODES[0]))])  # then read() fails: unplugged
    gone = [FakeCapture([], opened=False), FakeCapture([], opened=False)]
    back = FakeCapture([im.place(im.qr(CODES[1]))], idle=True)
    factory, handed = scripted([first, *gone, back])
    recorder = Recorder()
    scanner = Scanner(CameraSettings(source="/dev/video0"), recorder, verify=verify,
                      capture_factory=factory, backoff=FAST)
    run_until(scanner, recorder, lambda e: isinstance(e, ScanEvent) and e.text == CODES[1])
    kinds = [e.state if isinstance(e, CameraStatus) else e.text for e in recorder.events]
    assert kinds == ["ok", CODES[0], "lost", "ok", CODES[1]]
    assert len(handed) == 4
    assert all(cap.released for cap in handed)


def test_factory_exception_counts_as_a_failed_open() -> None:
    calls = []

    def factory(spec: str, settings: CameraSettings) -> FakeCapture:
        calls.append(spec)
        if len(calls) < 3:
            raise OSError("device busy")
        return FakeCapture([], idle=True)

    recorder = Recorder()
    scanner = Scanner(CameraSettings(source="rtsp://cam/1"), recorder,
                      capture_factory=factory, backoff=FAST)
    run_until(scanner, recorder, lambda e: isinstance(e, CameraStatus) and e.state == "ok")
    assert recorder.states() == ["missing", "ok"]


def test_stop_interrupts_the_backoff_wait() -> None:
    recorder = Recorder()
    scanner = Scanner(CameraSettings(source="0"), recorder,
                      capture_factory=lambda spec, settings: FakeCapture([], opened=False),
                      backoff=Backoff(first=10.0))
    scanner.start()
    recorder.wait_for(lambda e: isinstance(e, CameraStatus))
    started = time.monotonic()
    assert scanner.stop(timeout=5)
    assert time.monotonic() - started < 1.0
    assert not scanner.running


def test_backoff_grows_to_its_cap() -> None:
    assert [Backoff().delay(n) for n in range(7)] == [0.5, 1, 2, 4, 8, 10, 10]


def test_start_twice_runs_one_worker_and_stop_is_idempotent() -> None:
    scanner = Scanner(CameraSettings(source="0"), Recorder(),
                      capture_factory=lambda spec, settings: FakeCapture([], idle=True))
    scanner.start()
    scanner.start()
    names = [t.name for t in threading.enumerate()]
    assert names.count("scanner") == 1
    assert scanner.stop(timeout=5)
    assert scanner.stop(timeout=5)


def test_failing_callback_does_not_stop_capture() -> None:
    seen: list[Event] = []

    def grumpy(event: Event) -> None:
        seen.append(event)
        raise RuntimeError("UI is gone")

    frames = [im.place(im.qr(c)) for c in CODES[:2]]
    scanner = Scanner(CameraSettings(source="clip.avi"), grumpy,
                      capture_factory=lambda spec, settings: FakeCapture(frames))
    scanner.start()
    assert scanner.join(timeout=10)
    assert [getattr(e, "text", getattr(e, "state", None)) for e in seen] == [
        "ok", CODES[0], CODES[1], "finished"]


def test_preview_is_rate_limited_scaled_and_outlined() -> None:
    clock = [0.0]

    def tick() -> None:  # a 30 fps camera: each read is 1/30 s later
        clock[0] += 1 / 30

    symbol = im.qr(CODES[0])
    frames = [im.place(symbol)] * 30
    previews: list[tuple[tuple[int, ...], list[tuple[Point, ...]]]] = []
    recorder = Recorder()
    scanner = Scanner(CameraSettings(source="clip.avi"), recorder,
                      on_preview=lambda frame, outlines: previews.append((frame.shape, outlines)),
                      capture_factory=lambda spec, settings: FakeCapture(frames, on_read=tick),
                      clock=lambda: clock[0], preview_fps=10)
    run_to_end(scanner, recorder)
    assert 9 <= len(previews) <= 11  # 1 s of frames at 10 previews a second
    shape, outlines = previews[0]
    assert shape == (360, 640, 3)
    (outline,) = outlines
    scale = 640 / im.WIDTH
    assert all(abs(x - (420 + symbol.shape[1] / 2) * scale) <= symbol.shape[1] * scale / 2 + 4
               and abs(y - (160 + symbol.shape[0] / 2) * scale) <= symbol.shape[0] * scale / 2 + 4
               for x, y in outline)
    assert [s.text for s in recorder.scans()] == [CODES[0]]


def test_preview_outline_fades_when_the_code_leaves() -> None:
    clock = [0.0]
    frames = [im.place(im.qr(CODES[0]))] + [im.blank()] * 20
    previews: list[list[tuple[Point, ...]]] = []

    def tick() -> None:
        clock[0] += 0.1

    scanner = Scanner(CameraSettings(source="clip.avi"), Recorder(),
                      on_preview=lambda frame, outlines: previews.append(outlines),
                      capture_factory=lambda spec, settings: FakeCapture(frames, on_read=tick),
                      clock=lambda: clock[0])
    scanner.start()
    assert scanner.join(timeout=20)
    assert previews[0] and previews[1]  # shown, and kept briefly so the box does not flicker
    assert previews[-1] == []


def test_wedge_payload_takes_the_same_path() -> None:
    recorder = Recorder()
    frames = [im.place(im.qr(CODES[0]))]
    scanner = Scanner(CameraSettings(source="clip.avi"), recorder, verify=verify,
                      capture_factory=lambda spec, settings: FakeCapture(frames),
                      clock=lambda: 0.0)
    event = scanner.wedge(FORGED, "qr")
    assert event is not None and (event.source, event.valid, event.reason) == (
        "wedge", False, MemberCodeError.TAMPERED)
    assert scanner.wedge(FORGED) is None  # held
    assert scanner.wedge(CODES[0]) is not None
    run_to_end(scanner, recorder)
    # The camera then sees the code the handheld scanner just read: not reported again.
    assert [(s.text, s.source) for s in recorder.scans()] == [(FORGED, "wedge"),
                                                              (CODES[0], "wedge")]


def test_unknown_backend_fails_on_the_callers_thread() -> None:
    from terminal.scanner.decoders import DecoderError

    with pytest.raises(DecoderError):
        Scanner(CameraSettings(backend="zbar"), Recorder())


def test_realtime_plays_files_at_the_settings_fps() -> None:
    frames = [im.blank()] * 6
    scanner = Scanner(CameraSettings(source="clip.avi", fps=50), Recorder(), realtime=True,
                      capture_factory=lambda spec, settings: FakeCapture(frames))
    started = time.monotonic()
    scanner.start()
    assert scanner.join(timeout=10)
    assert time.monotonic() - started >= 6 / 50 - 0.005


def test_driver_error_on_read_is_a_lost_camera() -> None:
    class Raising(FakeCapture):
        def read(self) -> tuple[bool, np.ndarray | None]:
            raise cv2.error("VIDIOC_DQBUF: No such device")

    back = FakeCapture([im.place(im.qr(CODES[0]))], idle=True)
    factory, handed = scripted([Raising([]), back])
    recorder = Recorder()
    scanner = Scanner(CameraSettings(source="0"), recorder, capture_factory=factory,
                      backoff=FAST)
    run_until(scanner, recorder, lambda e: isinstance(e, ScanEvent))
    assert recorder.states() == ["lost", "ok"]
    assert all(cap.released for cap in handed)


def test_a_decoder_that_fails_is_logged_once_and_shown(caplog) -> None:
    class Broken:
        calls = 0

        def decode(self, frame: np.ndarray) -> list:
            Broken.calls += 1
            if Broken.calls <= 6:
                raise ValueError("zxing: bad frame layout")
            return []

    recorder = Recorder()
    frames = [im.blank()] * 10
    scanner = Scanner(CameraSettings(source="clip.avi"), recorder, decoder=Broken(),
                      capture_factory=lambda spec, settings: FakeCapture(frames))
    with caplog.at_level("DEBUG", logger="terminal.scanner.scanner"):
        scanner.start()
        assert scanner.join(timeout=10)  # a file ends by itself
    # shown once when it starts failing, and "ok" again when it works again
    assert recorder.states() == ["ok", "failing", "ok", "finished"]
    failing = next(e for e in recorder.events
                   if isinstance(e, CameraStatus) and e.state == "failing")
    assert "codes cannot be read" in failing.message
    logged = [r for r in caplog.records if r.exc_info and r.levelname == "ERROR"]
    assert len(logged) == 1 and "zxing: bad frame layout" in str(logged[0].exc_info[1])
