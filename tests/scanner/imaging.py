"""Synthetic camera frames for the scanner tests: codes drawn, blurred, tilted, dark, inverted."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import qrcode

from terminal.db.migrations import new_installation_id, new_secret
from terminal.loyalty import codes

WIDTH, HEIGHT = 1280, 720


def member_codes(n: int) -> tuple[bytes, str, list[str]]:
    """A secret, an installation id and n genuine member codes of that installation."""
    secret, installation = new_secret(), new_installation_id()
    return secret, installation, [codes.member_code(secret, installation, codes.new_card_number())
                                  for _ in range(n)]


def forge(code: str) -> str:
    """The same code with one MAC character changed: well-formed, but not genuine."""
    last = code[-1]
    return code[:-1] + ("A" if last != "A" else "B")


def qr(text: str, box: int = 8) -> np.ndarray:
    """A grayscale QR code (dark on light, with its quiet zone)."""
    code = qrcode.QRCode(box_size=box, border=4)
    code.add_data(text)
    code.make(fit=True)
    return np.array(code.make_image().convert("L"), dtype=np.uint8)


def ean13(digits12: str, module: int = 4, height: int = 160) -> np.ndarray:
    """A grayscale EAN-13 barcode drawn from the standard patterns (no library writes one)."""
    digits = digits12 + _ean_check(digits12)
    left_l = ["0001101", "0011001", "0010011", "0111101", "0100011",
              "0110001", "0101111", "0111011", "0110111", "0001011"]
    left_g = ["".join("1" if c == "0" else "0" for c in p)[::-1] for p in left_l]
    right = ["".join("1" if c == "0" else "0" for c in p) for p in left_l]
    parity = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
              "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"][int(digits[0])]
    bits = "101"
    for d, p in zip(digits[1:7], parity, strict=True):
        bits += (left_l if p == "L" else left_g)[int(d)]
    bits += "01010"
    for d in digits[7:]:
        bits += right[int(d)]
    bits += "101"
    quiet = 11
    row = np.array([255] * quiet + [0 if b == "1" else 255 for b in bits] + [255] * quiet,
                   dtype=np.uint8)
    return np.repeat(np.repeat(row[None, :], height, axis=0), module, axis=1)


def _ean_check(digits12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits12))
    return str((10 - total % 10) % 10)


def blank(value: int = 200) -> np.ndarray:
    return np.full((HEIGHT, WIDTH, 3), value, dtype=np.uint8)


def place(symbol: np.ndarray, x: int = 420, y: int = 160, background: int = 200) -> np.ndarray:
    """A BGR camera-sized frame with the symbol pasted on a plain background."""
    frame = blank(background)
    h, w = symbol.shape[:2]
    frame[y:y + h, x:x + w] = symbol[:, :, None]
    return frame


def blurred(frame: np.ndarray) -> np.ndarray:
    return cv2.GaussianBlur(frame, (0, 0), 2.0)


def tilted(frame: np.ndarray) -> np.ndarray:
    """A perspective warp, as when the phone is held at an angle to the camera."""
    h, w = frame.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[w * 0.12, h * 0.05], [w * 0.9, h * 0.15],
                      [w * 0.85, h * 0.9], [w * 0.05, h * 0.95]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(frame, matrix, (w, h), borderValue=(200, 200, 200))


def dark(frame: np.ndarray) -> np.ndarray:
    """Low light: the whole frame squeezed into the bottom sixth of the brightness range."""
    return (frame.astype(np.float32) * 0.16 + 4).astype(np.uint8)


def inverted(frame: np.ndarray) -> np.ndarray:
    """Light-on-dark, as a phone in dark mode shows it."""
    return 255 - frame


def noise(seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)


def write_video(path: Path, frames: list[np.ndarray], fps: int = 10) -> Path:
    """Frames into an MJPG .avi, which the headless OpenCV build writes without codecs."""
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (w, h))
    try:
        if not writer.isOpened():
            raise RuntimeError(f"cannot write {path}")
        for frame in frames:
            writer.write(frame)
    finally:
        writer.release()
    return path
