"""The ``scan`` command, through a parser built as terminal.cli builds it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import cv2
import pytest

from terminal.cli import scan as cli
from terminal.core.config import CameraSettings, Settings
from tests.scanner import imaging as im

_, _, (CODE,) = im.member_codes(1)


def scan(argv: list[str], settings: Settings | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config")
    parser = argparse.ArgumentParser(prog="member-terminal", parents=[common])
    sub = parser.add_subparsers(dest="command")
    cli.add_parser(sub, [common])
    args = parser.parse_args(["scan", *argv])
    assert args.command == "scan"
    return cli.run(args, settings or Settings())


@pytest.fixture
def images(tmp_path: Path) -> dict[str, str]:
    paths = {"member": tmp_path / "member.png", "product": tmp_path / "product.jpg",
             "empty": tmp_path / "empty.png", "bad": tmp_path / "bad.png"}
    cv2.imwrite(str(paths["member"]), im.inverted(im.place(im.qr(CODE))))
    cv2.imwrite(str(paths["product"]), im.place(im.ean13("690123456789")))
    cv2.imwrite(str(paths["empty"]), im.blank())
    paths["bad"].write_bytes(b"\x89PNG but not really")
    return {k: str(v) for k, v in paths.items()}


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_images_json(images: dict[str, str], backend: str,
                     capsys: pytest.CaptureFixture[str]) -> None:
    paths = [images["member"], images["product"], images["empty"]]
    assert scan(["--image", *paths, "--json", "--backend", backend]) == 0
    lines = json_lines(capsys.readouterr().out)
    assert [line["file"] for line in lines] == paths
    assert [line["codes"] for line in lines] == [
        [{"text": CODE, "format": "qr", "kind": "member"}],
        [{"text": "6901234567892", "format": "ean13", "kind": "product"}],
        [],
    ]
    assert all(set(line) == {"file", "codes", "ms"} for line in lines)
    assert all(isinstance(line["ms"], float) and line["ms"] >= 0 for line in lines)


def test_bad_image_fails_but_the_others_are_read(images: dict[str, str],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(Path(images["bad"]).with_name("missing.png"))
    assert scan(["--image", images["bad"], images["member"], missing]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"member-terminal scan: {images['bad']}: cannot read this file as an image",
        f"member-terminal scan: {missing}: no such file"]
    assert f"{images['member']}: {CODE} [qr, member]" in out


def test_image_without_code_text(images: dict[str, str],
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert scan(["--image", images["empty"]]) == 0
    assert f"{images['empty']}: no code found" in capsys.readouterr().out


def test_video_json_with_frame_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frames = [im.blank(), im.place(im.qr(CODE)), im.blank(), im.blank()]
    video = im.write_video(tmp_path / "clip.avi", frames)
    assert scan(["--video", str(video), "--json", "--frames", "3"]) == 0
    lines = json_lines(capsys.readouterr().out)
    assert [line["frame"] for line in lines] == [1, 2, 3]
    assert [line["codes"] != [] for line in lines] == [False, True, False]
    assert all(set(line) == {"frame", "codes", "ms"} for line in lines)


def test_video_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    video = im.write_video(tmp_path / "clip.avi", [im.blank(), im.place(im.qr(CODE))])
    assert scan(["--video", str(video)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"frame 2: {CODE} [qr, member] (")
    assert out[-1].startswith("2 frames, ")


def test_seconds_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    video = im.write_video(tmp_path / "clip.avi", [im.blank()] * 3)
    assert scan(["--video", str(video), "--seconds", "0"]) == 0
    assert capsys.readouterr().out.startswith("0 frames")


def test_source_folder_and_settings_default(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    cv2.imwrite(str(tmp_path / "a.png"), im.place(im.qr(CODE)))
    assert scan(["--source", str(tmp_path), "--json"]) == 0
    from_flag = json_lines(capsys.readouterr().out)
    settings = Settings(camera=CameraSettings(source=str(tmp_path)))
    assert scan(["--json"], settings) == 0
    assert json_lines(capsys.readouterr().out)[0]["codes"] == from_flag[0]["codes"] == [
        {"text": CODE, "format": "qr", "kind": "member"}]


def test_unopenable_video(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert scan(["--video", str(tmp_path / "missing.avi")]) == 1
    assert f"cannot open file {tmp_path / 'missing.avi'}" in capsys.readouterr().err


def test_sources_are_mutually_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        scan(["--image", "a.png", "--camera", "0"])
    assert "not allowed with" in capsys.readouterr().err


def test_unusable_backend_exits_2(monkeypatch: pytest.MonkeyPatch, images: dict[str, str],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "pyzbar", None)
    assert scan(["--image", images["member"], "--backend", "pyzbar"]) == 2
    assert "libzbar0" in capsys.readouterr().err


@pytest.mark.parametrize("index", ["99", "2147483648", "99999999999", "9" * 40, "9" * 5000])
def test_a_camera_that_is_not_there_exits_1_with_a_sentence(
        index: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert scan(["--camera", index]) == 1
    err = capsys.readouterr().err
    assert f"cannot open camera {index}" in err and "error" not in err.lower()


def test_the_combined_backend_is_selectable(images: dict[str, str],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert scan(["--image", images["member"], images["empty"], "--json",
                 "--backend", "auto"]) == 0
    lines = json_lines(capsys.readouterr().out)
    assert [line["codes"] for line in lines] == [
        [{"text": CODE, "format": "qr", "kind": "member"}], []]
