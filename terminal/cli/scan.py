"""The ``scan`` command: decode images, a video or a camera and print what was found."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from terminal.core.config import CameraSettings, Settings

from .common import Invocation

if TYPE_CHECKING:  # cv2 and the decoders load only when the command runs, not for --help
    import numpy as np

    from ..scanner.decoders import Decoded, Decoder


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``scan`` to the command line's sub-parsers (add_subparsers()'s result)."""
    scan = subparsers.add_parser(
        "scan", parents=parents,
        help="decode QR codes and barcodes from images, a video, a camera or a source")
    what = scan.add_mutually_exclusive_group()
    what.add_argument("--image", nargs="+", metavar="FILE", help="image files to decode")
    what.add_argument("--video", metavar="FILE", help="a video file")
    what.add_argument("--camera", metavar="N", help="a camera index such as 0, or /dev/videoN")
    what.add_argument("--source", metavar="SPEC",
                      help="anything [camera] source accepts: index, device, video file, "
                           "image folder or URL (default: the settings' source)")
    scan.add_argument("--backend", choices=("zxing", "pyzbar", "auto"),
                      help="decoder (default: the settings' backend)")
    scan.add_argument("--json", action="store_true",
                      help="one JSON object per line per file or frame")
    scan.add_argument("--frames", type=int, metavar="N", help="stop after N frames")
    scan.add_argument("--seconds", type=float, metavar="S", help="stop after S seconds")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``scan``: 0 when every input was read (with or without codes), 1 otherwise,
    2 when the decoder cannot be used."""
    import cv2

    from ..scanner.decoders import DecoderError, make_decoder

    # Our messages name the file and the problem; OpenCV's own warnings would repeat them.
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
    camera = settings.camera
    if args.backend:
        camera = replace(camera, backend=args.backend)
    try:
        decoder = make_decoder(camera.backend)
    except DecoderError as exc:
        print(f"member-terminal scan: {exc}", file=sys.stderr)
        return 2
    if args.image:
        return _images(args.image, decoder, args.json)
    source = args.video or args.camera or args.source or camera.source
    return _stream(replace(camera, source=source), decoder, args)


def _timed(decoder: Decoder, frame: np.ndarray) -> tuple[list[Decoded], float]:
    start = time.perf_counter()
    found = decoder.decode(frame)
    return found, (time.perf_counter() - start) * 1000


def _codes(found: list[Decoded]) -> list[dict[str, str]]:
    from terminal.loyalty.codes import classify

    return [{"text": d.text, "format": d.format, "kind": classify(d.text)} for d in found]


def _images(paths: list[str], decoder: Decoder, as_json: bool) -> int:
    import cv2

    status = 0
    for path in paths:
        image = cv2.imread(path, cv2.IMREAD_COLOR) if Path(path).is_file() else None
        if image is None:
            why = "cannot read this file as an image" if Path(path).exists() else "no such file"
            print(f"member-terminal scan: {path}: {why}", file=sys.stderr)
            status = 1
            continue
        found, ms = _timed(decoder, image)
        if as_json:
            print(json.dumps({"file": path, "codes": _codes(found), "ms": round(ms, 2)}),
                  flush=True)
        elif not found:
            print(f"{path}: no code found ({ms:.1f} ms)")
        else:
            for code in _codes(found):
                print(f"{path}: {code['text']} [{code['format']}, {code['kind']}] "
                      f"({ms:.1f} ms)")
    return status


def _stream(camera: CameraSettings, decoder: Decoder, args: argparse.Namespace) -> int:
    from ..scanner.capture import open_capture, source_kind

    cap = open_capture(camera.source, camera)
    try:
        if not cap.isOpened():
            print(f"member-terminal scan: cannot open {source_kind(camera.source)} "
                  f"{camera.source}", file=sys.stderr)
            return 1
        deadline = None if args.seconds is None else time.monotonic() + args.seconds
        frames, total_ms = 0, 0.0
        while args.frames is None or frames < args.frames:
            if deadline is not None and time.monotonic() >= deadline:
                break
            try:
                ok, frame = cap.read()
                if not ok or frame is None:
                    break
                found, ms = _timed(decoder, frame)
            except KeyboardInterrupt:  # Ctrl-C ends a camera run with its summary
                break
            frames += 1
            total_ms += ms
            if args.json:
                print(json.dumps({"frame": frames, "codes": _codes(found), "ms": round(ms, 2)}),
                      flush=True)
            else:
                for code in _codes(found):
                    print(f"frame {frames}: {code['text']} [{code['format']}, {code['kind']}] "
                          f"({ms:.1f} ms)", flush=True)
        if not args.json:
            mean = total_ms / frames if frames else 0.0
            print(f"{frames} frames, {mean:.1f} ms decode per frame on average")
        return 0
    finally:
        cap.release()


def command(inv: Invocation) -> int:
    """``scan`` from the command line: it needs no database."""
    return run(inv.args, inv.settings)
