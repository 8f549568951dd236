"""Synthetic 720p camera frames of member QR codes at the counter, for ``bench --scan`` and
the decoder tests: a code on a phone or a card, at counter distance, blurred, tilted, dark,
photographed off a phone screen (moire), small, low in contrast, under glare, and frames
with no code at all. Every frame comes from a seeded generator: the same seed, the same
frames."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import qrcode

from ..loyalty import codes

WIDTH, HEIGHT = 1280, 720
CODE_KINDS = ("plain", "blurred", "tilted", "dark", "phone")  # the bench video's codes
EMPTY_KINDS = ("empty",)
HARD_KINDS = ("small", "blurred", "tilted", "low_contrast", "glare", "moire")


@dataclass(frozen=True)
class Frame:
    """One generated frame; ``text`` is the code it holds ("" for none)."""

    kind: str
    text: str
    image: np.ndarray  # BGR, HEIGHT x WIDTH


def sample_codes(n: int, seed: int = 1) -> list[str]:
    """``n`` well-formed, genuinely signed member codes of a made-up installation (the same
    for the same seed): for frames when no database gives real ones."""
    rng = np.random.default_rng(seed)
    secret = bytes(rng.integers(0, 256, 32, dtype=np.uint8))
    installation = "".join(rng.choice(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 5))
    out = []
    for _ in range(n):
        body = str(int(rng.integers(100_000_000, 1_000_000_000)))
        out.append(codes.member_code(secret, installation, body + codes.luhn_digit(body)))
    return out


def qr_modules(text: str) -> np.ndarray:
    """The QR code of ``text`` as a module matrix, 0 dark and 255 light, quiet zone included."""
    code = qrcode.QRCode(box_size=1, border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return np.where(np.array(code.get_matrix(), dtype=bool), 0, 255).astype(np.uint8)


def _modules_image(text: str, module_px: int) -> np.ndarray:
    cells = qr_modules(text)
    return np.repeat(np.repeat(cells, module_px, axis=0), module_px, axis=1)


def counter_scene(rng: np.random.Generator) -> np.ndarray:
    """A plain counter seen by the camera: a lit gradient, a few objects, sensor noise."""
    base = rng.uniform(120, 190)
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    gx, gy = rng.uniform(-40, 40, 2)
    scene = base + gx * (xs / WIDTH - 0.5) + gy * (ys / HEIGHT - 0.5)
    image = np.repeat(scene[:, :, None], 3, axis=2)
    for _ in range(int(rng.integers(2, 5))):  # boxes, a card reader, the till's edge
        x0, y0 = int(rng.integers(0, WIDTH - 200)), int(rng.integers(0, HEIGHT - 150))
        w, h = int(rng.integers(80, 300)), int(rng.integers(60, 200))
        cv2.rectangle(image, (x0, y0), (x0 + w, y0 + h),
                      tuple(float(v) for v in rng.uniform(40, 230, 3)), -1)
    image = cv2.GaussianBlur(image, (0, 0), 1.2)
    image += rng.normal(0, 3.0, image.shape).astype(np.float32)
    return np.clip(image, 0, 255).astype(np.uint8)


def _phone(symbol: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The symbol on a phone's white screen inside a dark body (grayscale)."""
    h, w = symbol.shape
    pad = max(6, w // 8)
    screen = np.full((h + 6 * pad, w + 2 * pad), 250, dtype=np.uint8)
    screen[3 * pad:3 * pad + h, pad:pad + w] = symbol
    body = np.full((screen.shape[0] + 2 * pad // 3 * 2, screen.shape[1] + pad // 3 * 2),
                   int(rng.integers(15, 45)), dtype=np.uint8)
    off = pad // 3
    body[off * 2:off * 2 + screen.shape[0], off:off + screen.shape[1]] = screen
    return body


def _paste(scene: np.ndarray, patch: np.ndarray, rng: np.random.Generator, *,
           tilt: float = 0.0, rotate: float = 0.0) -> np.ndarray:
    """``patch`` (grayscale) warped into the scene at a random place: ``tilt`` is the share
    of the patch's width one side is foreshortened by (a phone held at an angle), ``rotate``
    degrees in the image plane."""
    return _paste_at(scene, patch, rng, tilt=tilt, rotate=rotate)[0]


def _paste_at(scene: np.ndarray, patch: np.ndarray, rng: np.random.Generator, *,
              tilt: float = 0.0, rotate: float = 0.0) -> tuple[np.ndarray, tuple[float, float]]:
    """``_paste``, and where the patch's centre went."""
    h, w = patch.shape
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    k = tilt * w
    dst = np.array([[0, 0], [w - k, k * 0.5], [w - k, h - k * 0.5], [0, h]],
                   dtype=np.float32)
    centre = dst.mean(axis=0)
    angle = np.deg2rad(rotate)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]],
                    dtype=np.float32)
    dst = (dst - centre) @ turn.T
    span = dst.max(axis=0) - dst.min(axis=0)
    room_x = max(1.0, WIDTH - span[0] - 20)
    room_y = max(1.0, HEIGHT - span[1] - 20)
    at = np.array([rng.uniform(10, 10 + room_x), rng.uniform(10, 10 + room_y)],
                  dtype=np.float32)
    dst = dst - dst.min(axis=0) + at
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    out = scene.copy()
    warped = cv2.warpPerspective(patch, matrix, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full_like(patch, 255), matrix, (WIDTH, HEIGHT),
                               flags=cv2.INTER_LINEAR)
    alpha = (mask.astype(np.float32) / 255)[:, :, None]
    out = out.astype(np.float32) * (1 - alpha) + warped[:, :, None].astype(np.float32) * alpha
    cx, cy = dst.mean(axis=0)
    return np.clip(out, 0, 255).astype(np.uint8), (float(cx), float(cy))


def _noisy(image: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    noisy = image.astype(np.float32) + rng.normal(0, sigma, image.shape).astype(np.float32)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _screen_photo(text: str, rng: np.random.Generator, *, pixel: float,
                  rotate: float, focus: float) -> np.ndarray:
    """The code as a phone screen shows it (RGB sub-pixel stripes with dark gaps between
    the pixels), photographed: softened by the lens (``focus``, in camera pixels) and
    sampled at about ``pixel`` camera pixels per screen pixel, which aliases what is left of
    the pixel grid into moire."""
    cells = qr_modules(text)
    screen_px_per_module = int(rng.integers(6, 9))
    screen = np.repeat(np.repeat(cells, screen_px_per_module, axis=0),
                       screen_px_per_module, axis=1).astype(np.float32) / 255
    light = 0.12 + 0.88 * screen  # a lit screen's black is not black
    sub = 3  # each screen pixel as 3 x 3 sub-pixels: R, G, B columns, a dark bottom row
    big = np.repeat(np.repeat(light, sub, axis=0), sub, axis=1)
    stripes = np.zeros((sub, sub, 3), dtype=np.float32)
    for c in range(3):  # BGR order: column 0 red, 1 green, 2 blue
        stripes[:sub - 1, c, 2 - c] = 1.0
    tile = np.tile(stripes, (big.shape[0] // sub, big.shape[1] // sub, 1))
    rgb: np.ndarray = big[:, :, None] * tile * 255 * 1.4
    h, w = big.shape
    scale = pixel / sub
    rgb = cv2.GaussianBlur(rgb, (0, 0), focus / scale)
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), rotate, scale)
    out_w, out_h = int(w * scale * 1.2) + 8, int(h * scale * 1.2) + 8
    matrix[0, 2] += out_w / 2 - w / 2
    matrix[1, 2] += out_h / 2 - h / 2
    shot = cv2.warpAffine(np.clip(rgb, 0, 255).astype(np.uint8), matrix, (out_w, out_h),
                          flags=cv2.INTER_LINEAR, borderValue=(30, 30, 30))
    return cv2.cvtColor(shot, cv2.COLOR_BGR2GRAY)


# -- the frame kinds: each (text, rng) -> BGR frame ---------------------------------------

def plain(text: str, rng: np.random.Generator) -> np.ndarray:
    """A phone held flat at counter distance: 4 to 6 pixels a module."""
    symbol = _modules_image(text, int(rng.integers(4, 7)))
    return _paste(counter_scene(rng), _phone(symbol, rng), rng,
                  rotate=float(rng.uniform(-12, 12)))


def blurred(text: str, rng: np.random.Generator, sigma: tuple[float, float] = (1.6, 2.4)
            ) -> np.ndarray:
    """Out of focus, or moving."""
    frame = plain(text, rng)
    return cv2.GaussianBlur(frame, (0, 0), float(rng.uniform(*sigma)))


def tilted(text: str, rng: np.random.Generator, tilt: tuple[float, float] = (0.25, 0.35)
           ) -> np.ndarray:
    """The phone held at an angle to the camera."""
    symbol = _modules_image(text, int(rng.integers(5, 7)))
    return _paste(counter_scene(rng), _phone(symbol, rng), rng, tilt=float(rng.uniform(*tilt)),
                  rotate=float(rng.uniform(-30, 30)))


def dark(text: str, rng: np.random.Generator) -> np.ndarray:
    """Low light: everything in the bottom sixth of the range, and noisier."""
    frame = plain(text, rng).astype(np.float32) * float(rng.uniform(0.12, 0.2)) + 4
    return _noisy(frame.astype(np.uint8), rng, 2.0)


def phone(text: str, rng: np.random.Generator) -> np.ndarray:
    """The code photographed off a phone screen at counter distance (mild moire)."""
    shot = _screen_photo(text, rng, pixel=float(rng.uniform(0.8, 1.1)),
                         rotate=float(rng.uniform(-10, 10)), focus=0.6)
    return _noisy(_paste(counter_scene(rng), shot, rng), rng, 2.0)


def small(text: str, rng: np.random.Generator) -> np.ndarray:
    """Far from the camera: about two pixels a module, a little soft."""
    module = float(rng.uniform(1.6, 2.1))
    cells = qr_modules(text)
    size = round(cells.shape[0] * module)
    symbol = cv2.resize(cells, (size, size), interpolation=cv2.INTER_AREA)
    frame = _paste(counter_scene(rng), symbol, rng, rotate=float(rng.uniform(-8, 8)))
    return cv2.GaussianBlur(frame, (0, 0), 0.6)


def hard_blurred(text: str, rng: np.random.Generator) -> np.ndarray:
    return blurred(text, rng, sigma=(2.2, 3.2))


def hard_tilted(text: str, rng: np.random.Generator) -> np.ndarray:
    return tilted(text, rng, tilt=(0.6, 0.7))


def low_contrast(text: str, rng: np.random.Generator) -> np.ndarray:
    """A dim, washed-out screen: dark and light modules 20 to 30 levels apart, noisy."""
    symbol = _modules_image(text, int(rng.integers(4, 6))).astype(np.float32)
    low = float(rng.uniform(115, 130))
    span = float(rng.uniform(18, 28))
    squeezed = (low + span * symbol / 255).astype(np.uint8)
    frame = _paste(counter_scene(rng), squeezed, rng, rotate=float(rng.uniform(-10, 10)))
    return _noisy(cv2.GaussianBlur(frame, (0, 0), 1.0), rng, 4.0)


def glare(text: str, rng: np.random.Generator) -> np.ndarray:
    """A ceiling light reflected on the phone: a bright blob washes part of the code out."""
    module = int(rng.integers(4, 7))
    symbol = _modules_image(text, module)
    frame, (cx, cy) = _paste_at(counter_scene(rng), _phone(symbol, rng), rng,
                                rotate=float(rng.uniform(-12, 12)))
    side = symbol.shape[0]
    cx += float(rng.uniform(-0.25, 0.25)) * side
    cy += float(rng.uniform(-0.25, 0.25)) * side
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    radius = float(rng.uniform(0.25, 0.35)) * side
    blob = np.exp(-(((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius ** 2)))
    lit = frame.astype(np.float32) + (blob * float(rng.uniform(230, 260)))[:, :, None]
    return _noisy(np.clip(lit, 0, 255).astype(np.uint8), rng, 2.0)


def moire(text: str, rng: np.random.Generator) -> np.ndarray:
    """A phone screen photographed close to one camera pixel per screen pixel: strong
    moire."""
    shot = _screen_photo(text, rng, pixel=float(rng.uniform(0.85, 1.15)),
                         rotate=float(rng.uniform(-20, 20)), focus=0.18)
    return _noisy(_paste(counter_scene(rng), shot, rng), rng, 3.0)


def empty(text: str, rng: np.random.Generator) -> np.ndarray:
    """The counter with nothing held up to the camera."""
    return counter_scene(rng)


def noise(text: str, rng: np.random.Generator) -> np.ndarray:
    """Pure random pixels."""
    return rng.integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)


Maker = Callable[[str, np.random.Generator], np.ndarray]
MAKERS: dict[str, Maker] = {
    "plain": plain, "blurred": blurred, "tilted": tilted, "dark": dark, "phone": phone,
    "empty": empty, "noise": noise,
}
HARD_MAKERS: dict[str, Maker] = {
    "small": small, "blurred": hard_blurred, "tilted": hard_tilted,
    "low_contrast": low_contrast, "glare": glare, "moire": moire,
}


def frames(texts: Sequence[str], kinds: Sequence[str], count: int, *, seed: int = 1,
           makers: dict[str, Maker] | None = None) -> list[Frame]:
    """``count`` frames cycling through ``kinds``; code frames take the next of ``texts``
    in turn (empty and noise frames hold none)."""
    makers = makers or MAKERS
    rng = np.random.default_rng(seed)
    out, used = [], 0
    for i in range(count):
        kind = kinds[i % len(kinds)]
        holds = kind not in ("empty", "noise")
        text = texts[used % len(texts)] if holds and texts else ""
        used += holds
        out.append(Frame(kind, text, makers[kind](text, rng)))
    return out


def hard_frames(texts: Sequence[str], per_kind: int, seed: int = 7) -> list[Frame]:
    """The hard set: ``per_kind`` frames of each of HARD_KINDS."""
    return frames(texts, HARD_KINDS, per_kind * len(HARD_KINDS), seed=seed,
                  makers=HARD_MAKERS)
