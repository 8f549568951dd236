"""Member codes: compact signed payloads for QR codes, card numbers with a check digit.

Static code:   M1.<installation>.<card number>.<mac>
Rotating code: M2.<installation>.<card number>.<time step>.<mac>   (shown on a phone; a
screenshot stops working after ``ROTATING_STEP`` x ``ROTATING_SKEW`` seconds)
Coupon code:   C1.<coupon code>

Every character is in the QR alphanumeric set (0-9, A-Z, '.'), so a static code of
~30 characters fits a version-2 QR code. The MAC is HMAC-SHA256 over the other fields with
the installation's secret, truncated to 50 bits (10 base32 characters): enough against
guessing at a counter, where every try is a scan.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from ..core.errors import MemberCodeError
from ..core.i18n import Term

MAC_CHARS = 10
ROTATING_STEP = 30  # seconds
ROTATING_SKEW = 2  # steps either side still accepted
_INSTALLATION = re.compile(r"^[A-Z2-7]{5}$")
_CARD = re.compile(r"^[0-9]{10}$")
_MAC = re.compile(rf"^[A-Z2-7]{{{MAC_CHARS}}}$")
_COUPON = re.compile(r"^[A-Z2-9]{10,16}$")  # new_coupon_code's alphabet uses 8 and 9 too


def luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    # isascii: str.isdigit() is also true of digits such as "²" that int() refuses
    return (number.isascii() and number.isdigit() and len(number) >= 2
            and luhn_digit(number[:-1]) == number[-1])


def new_card_number(rng: secrets.SystemRandom | None = None) -> str:
    """Ten digits: nine random (no leading zero) and a Luhn check digit against typos."""
    r = rng or secrets.SystemRandom()
    body = str(r.randint(100_000_000, 999_999_999))
    return body + luhn_digit(body)


def new_coupon_code(rng: secrets.SystemRandom | None = None) -> str:
    r = rng or secrets.SystemRandom()
    return "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10))


def _mac(secret: bytes, *fields: str) -> str:
    digest = hmac.new(secret, ".".join(fields).encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:MAC_CHARS]


def member_code(secret: bytes, installation: str, card_no: str) -> str:
    return f"M1.{installation}.{card_no}.{_mac(secret, 'M1', installation, card_no)}"


def rotating_member_code(secret: bytes, installation: str, card_no: str, now: datetime) -> str:
    step = int(now.timestamp()) // ROTATING_STEP
    mac = _mac(secret, "M2", installation, card_no, str(step))
    return f"M2.{installation}.{card_no}.{step}.{mac}"


def coupon_payload(code: str) -> str:
    return f"C1.{code}"


@dataclass(frozen=True)
class MemberCode:
    installation: str
    card_no: str
    rotating: bool


def _malformed(why: Term) -> MemberCodeError:
    return MemberCodeError(MemberCodeError.MALFORMED, "not a member code: {why}", why=why)


def parse_member_code(payload: str) -> MemberCode:
    """Split a payload into its fields; say what is wrong with a malformed one. No MAC check."""
    if not isinstance(payload, str):
        raise _malformed(Term("not text", "member code problem"))
    text = payload.strip()
    if len(text) > 64:
        raise _malformed(Term("too long", "member code problem"))
    # QR alphanumeric only: upper() would otherwise turn e.g. "ſ" into "S" and accept it
    if not text.isascii():
        raise _malformed(Term("unexpected characters", "member code problem"))
    text = text.upper()
    parts = text.split(".")
    if parts[0] not in ("M1", "M2"):
        raise _malformed(Term("unknown prefix", "member code problem"))
    want = 4 if parts[0] == "M1" else 5
    if len(parts) != want:
        raise _malformed(Term("wrong number of fields", "member code problem"))
    # fullmatch: "$" alone also matches before a trailing newline
    if not _INSTALLATION.fullmatch(parts[1]):
        raise _malformed(Term("bad installation id", "member code problem"))
    if not _CARD.fullmatch(parts[2]) or not luhn_ok(parts[2]):
        raise _malformed(Term("bad card number", "member code problem"))
    if not _MAC.fullmatch(parts[-1]):
        raise _malformed(Term("bad signature field", "member code problem"))
    if parts[0] == "M2" and not re.fullmatch(r"[0-9]{1,12}", parts[3]):
        raise _malformed(Term("bad time step", "member code problem"))
    return MemberCode(parts[1], parts[2], parts[0] == "M2")


def verify_member_code(payload: str, secret: bytes, installation: str,
                       now: datetime | None = None) -> str:
    """Return the card number of a genuine code of this installation, or raise
    MemberCodeError with reason malformed, foreign_installation, tampered or expired."""
    code = parse_member_code(payload)
    parts = payload.strip().upper().split(".")
    if code.installation != installation:
        raise MemberCodeError(MemberCodeError.FOREIGN,
                              "this member code comes from another shop's system")
    if code.rotating:
        expected = _mac(secret, "M2", code.installation, code.card_no, parts[3])
    else:
        expected = _mac(secret, "M1", code.installation, code.card_no)
    if not hmac.compare_digest(expected, parts[-1]):
        raise MemberCodeError(MemberCodeError.TAMPERED,
                              "this member code is not genuine (signature does not match)")
    if code.rotating:
        moment = now or datetime.now().astimezone()
        step = int(moment.timestamp()) // ROTATING_STEP
        if abs(step - int(parts[3])) > ROTATING_SKEW:
            raise MemberCodeError(MemberCodeError.EXPIRED,
                                  "this member code has expired: ask for a fresh one")
    return code.card_no


JOIN_PREFIX = "J1."  # the code on a phone that joined online (services.joins)


def classify(payload: str) -> str:
    """member | coupon | join | card | product | unknown — by shape only, no
    verification."""
    text = payload.strip().upper() if isinstance(payload, str) else ""
    if text.startswith(("M1.", "M2.")):
        return "member"
    if text.startswith(JOIN_PREFIX):
        return "join"
    if text.startswith("C1.") and _COUPON.fullmatch(text[3:]):
        return "coupon"
    if _CARD.fullmatch(text) and luhn_ok(text):
        return "card"
    if text.isascii() and text.isdigit() and len(text) in (8, 12, 13):
        return "product"
    return "unknown"
