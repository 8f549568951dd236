"""Finding the cameras OpenCV can open, and probing a video file or image folder."""

from __future__ import annotations

from pathlib import Path

import cv2

from terminal.core.config import CameraSettings
from terminal.scanner import devices
from terminal.scanner.capture import ClosedCapture
from tests.scanner import imaging as im


def test_a_video_file_and_a_folder_are_sources(tmp_path: Path) -> None:
    video = im.write_video(tmp_path / "clip.avi", [im.place(im.qr("X"))] * 2)
    seen = devices.probe(str(video))
    assert seen is not None and seen.kind == "file" and seen.width > 0
    folder = tmp_path / "pictures"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.png"), im.blank())
    assert devices.probe(str(folder)) == devices.Source(str(folder), "folder", im.WIDTH,
                                                        im.HEIGHT)
    assert devices.probe(str(tmp_path / "missing.avi")) is None


def test_find_cameras_keeps_those_that_give_a_frame(tmp_path: Path) -> None:
    video = im.write_video(tmp_path / "clip.avi", [im.blank()])

    def factory(spec: str, settings: CameraSettings):
        if spec == "1":
            raise RuntimeError("driver fault")
        return cv2.VideoCapture(str(video)) if spec == "2" else ClosedCapture()

    found = devices.find_cameras(["0", "1", "2"], factory=factory)
    assert [s.spec for s in found] == ["2"]


def test_candidates_are_numbers_then_other_devices() -> None:
    assert devices.candidates(2)[:2] == ["0", "1"]
