"""Frame sources in settings form: kinds, image folders, video files through OpenCV."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from terminal.core.config import CameraSettings
from terminal.scanner.capture import FolderCapture, open_capture, source_kind
from tests.scanner import imaging as im


@pytest.mark.parametrize(("spec", "kind"), [
    ("0", "camera"), (" 2 ", "camera"), ("/dev/video0", "camera"),
    ("rtsp://10.0.0.5/stream1", "stream"), ("http://cam.local/video.mjpg", "stream"),
    ("counter.avi", "file"), ("/nowhere/clip.mp4", "file"),
])
def test_source_kind(spec: str, kind: str) -> None:
    assert source_kind(spec) == kind


def test_folder_kind(tmp_path: Path) -> None:
    assert source_kind(str(tmp_path)) == "folder"


def test_folder_reads_images_sorted_and_skips_others(tmp_path: Path) -> None:
    for name, value in [("10.png", 30), ("02.jpg", 20), ("01.png", 10)]:
        cv2.imwrite(str(tmp_path / name), np.full((40, 60, 3), value, dtype=np.uint8))
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "03.png").write_bytes(b"not a png")  # unreadable: skipped, not fatal
    cap = open_capture(str(tmp_path), CameraSettings())
    try:
        assert isinstance(cap, FolderCapture) and cap.isOpened()
        seen = []
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            assert frame is not None
            seen.append(int(frame[0, 0, 0]))
    finally:
        cap.release()
    assert seen == [10, 20, 30]
    assert not cap.isOpened()


def test_empty_folder_does_not_open(tmp_path: Path) -> None:
    cap = FolderCapture(tmp_path)
    assert not cap.isOpened()
    assert cap.read() == (False, None)


def test_video_file_through_opencv(tmp_path: Path) -> None:
    frames = [im.blank(v) for v in (0, 120, 250)]
    path = im.write_video(tmp_path / "clip.avi", frames)
    cap = open_capture(str(path), CameraSettings())
    try:
        assert cap.isOpened()
        means = []
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            assert frame is not None and frame.shape == (im.HEIGHT, im.WIDTH, 3)
            means.append(float(frame.mean()))
    finally:
        cap.release()
    assert means == pytest.approx([0, 120, 250], abs=3)


def test_missing_file_does_not_open(tmp_path: Path) -> None:
    cap = open_capture(str(tmp_path / "missing.avi"), CameraSettings())
    try:
        assert not cap.isOpened()
    finally:
        cap.release()


@pytest.mark.parametrize("index", ["2147483648", "99999999999", "9" * 40])
def test_a_camera_index_opencv_cannot_take_does_not_open(index: str) -> None:
    # cv2.VideoCapture takes a C int: a larger index raised cv2.error instead
    cap = open_capture(index, CameraSettings())
    try:
        assert source_kind(index) == "camera" and not cap.isOpened()
        assert cap.read() == (False, None)
    finally:
        cap.release()


def test_a_digit_that_is_not_ascii_is_no_camera_index() -> None:
    assert source_kind("²") == "file"  # "²".isdigit() is True, int("²") is an error
