"""terminal.loyalty.codes: signed member codes, rotating codes, card numbers, classify()."""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.core.errors import MemberCodeError
from terminal.loyalty import codes

SECRET = bytes(range(32))
OTHER_SECRET = bytes(range(1, 33))
INST = "ABCDE"
CARD = "1234567897"  # Luhn-valid
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # a multiple of 30 s: step boundary

CODE = codes.member_code(SECRET, INST, CARD)
ROTATING = codes.rotating_member_code(SECRET, INST, CARD, NOW)
REASONS = {MemberCodeError.MALFORMED, MemberCodeError.TAMPERED, MemberCodeError.FOREIGN,
           MemberCodeError.EXPIRED}


def refusal(payload: object, now: datetime = NOW, secret: bytes = SECRET,
            installation: str = INST) -> str:
    with pytest.raises(MemberCodeError) as info:
        codes.verify_member_code(payload, secret, installation, now)  # type: ignore[arg-type]
    assert info.value.code == "member_code"
    assert info.value.details["reason"] == info.value.reason
    return info.value.reason


# --- shape -----------------------------------------------------------------------------


def test_static_code_shape() -> None:
    prefix, inst, card, mac = CODE.split(".")
    assert (prefix, inst, card) == ("M1", INST, CARD)
    assert len(mac) == codes.MAC_CHARS
    assert set(mac) <= set(string.ascii_uppercase + "234567")
    assert len(CODE) == 30
    assert set(CODE) <= set(string.ascii_uppercase + string.digits + ".")  # QR alphanumeric
    assert codes.member_code(SECRET, INST, CARD) == CODE  # deterministic


def test_rotating_code_shape() -> None:
    prefix, inst, card, step, mac = ROTATING.split(".")
    assert (prefix, inst, card) == ("M2", INST, CARD)
    assert int(step) == int(NOW.timestamp()) // codes.ROTATING_STEP
    assert len(mac) == codes.MAC_CHARS


def test_parse_member_code() -> None:
    assert codes.parse_member_code(CODE) == codes.MemberCode(INST, CARD, False)
    assert codes.parse_member_code(ROTATING) == codes.MemberCode(INST, CARD, True)
    assert codes.parse_member_code(f"  {CODE.lower()}\r\n") == codes.MemberCode(INST, CARD,
                                                                                False)


def test_new_ids() -> None:
    coupon = codes.new_coupon_code()
    assert len(coupon) == 10
    assert not set(coupon) & set("01IO")  # no look-alike characters


# --- verification ----------------------------------------------------------------------


def test_genuine_code_verifies() -> None:
    assert codes.verify_member_code(CODE, SECRET, INST, NOW) == CARD
    assert codes.verify_member_code(CODE, SECRET, INST) == CARD  # static codes need no clock


def test_scanner_noise_is_tolerated() -> None:
    # keyboard-wedge scanners add Enter, caps lock flips the case: the same code
    assert codes.verify_member_code(CODE + "\n", SECRET, INST) == CARD
    assert codes.verify_member_code(" " + CODE + "\t", SECRET, INST) == CARD
    assert codes.verify_member_code(CODE.lower(), SECRET, INST) == CARD


def test_wrong_secret_is_tampered() -> None:
    assert refusal(CODE, secret=OTHER_SECRET) == MemberCodeError.TAMPERED


def test_foreign_installation() -> None:
    foreign = codes.member_code(OTHER_SECRET, "QWERT", CARD)
    with pytest.raises(MemberCodeError) as info:
        codes.verify_member_code(foreign, SECRET, INST, NOW)
    assert info.value.reason == MemberCodeError.FOREIGN
    assert str(info.value) == "this member code comes from another shop's system"
    # same secret, other installation id: still foreign, not silently accepted
    assert refusal(codes.member_code(SECRET, "QWERT", CARD)) == MemberCodeError.FOREIGN


def test_tampered_message() -> None:
    forged = CODE[:-1] + ("A" if CODE[-1] != "A" else "B")
    with pytest.raises(MemberCodeError) as info:
        codes.verify_member_code(forged, SECRET, INST, NOW)
    assert info.value.reason == MemberCodeError.TAMPERED
    assert str(info.value) == "this member code is not genuine (signature does not match)"


def test_swapping_the_card_number_breaks_the_signature() -> None:
    other_card = "123456788" + codes.luhn_digit("123456788")
    assert codes.luhn_ok(other_card) and other_card != CARD
    forged = CODE.replace(CARD, other_card)
    assert refusal(forged) == MemberCodeError.TAMPERED


def test_static_mac_does_not_sign_a_rotating_code() -> None:
    mac = CODE.split(".")[-1]
    step = int(NOW.timestamp()) // codes.ROTATING_STEP
    assert refusal(f"M2.{INST}.{CARD}.{step}.{mac}") == MemberCodeError.TAMPERED


def substitutions(code: str) -> list[tuple[int, str, str]]:
    alphabet = (string.ascii_uppercase + string.digits + ".-_ /:\n\t\x00"
                + "aeiou"  # lowercase of other letters
                + "ſıİＡ０²٣é€中")  # upper() maps ſ -> S, ı -> I: must not be accepted
    out = []
    for i, old in enumerate(code):
        for new in alphabet:
            if new != old:
                out.append((i, old, code[:i] + new + code[i + 1:]))
    return out


@pytest.mark.parametrize("genuine", [CODE, ROTATING], ids=["static", "rotating"])
def test_every_single_character_change_is_refused(genuine: str) -> None:
    inst_start = 3
    inst_end = inst_start + len(INST)
    checked = 0
    for i, old, changed in substitutions(genuine):
        if changed[i].upper() == old and changed[i].isascii():
            # only the case differs: the same code, read case-insensitively
            assert codes.verify_member_code(changed, SECRET, INST, NOW) == CARD
            continue
        reason = refusal(changed)
        if inst_start <= i < inst_end and reason == MemberCodeError.FOREIGN:
            continue  # a changed installation id is another shop's code
        assert reason in (MemberCodeError.TAMPERED, MemberCodeError.MALFORMED), (i, changed)
        checked += 1
    assert checked > 30 * len(genuine)


@pytest.mark.parametrize("genuine", [CODE, ROTATING], ids=["static", "rotating"])
def test_deletions_insertions_and_swaps_are_refused(genuine: str) -> None:
    variants = {genuine[:i] + genuine[i + 1:] for i in range(len(genuine))}
    for i in range(1, len(genuine)):  # not at the ends: whitespace there is stripped
        for ch in "A7.\n ":
            variants.add(genuine[:i] + ch + genuine[i:])
    for i in range(len(genuine) - 1):
        variants.add(genuine[:i] + genuine[i + 1] + genuine[i] + genuine[i + 2:])
    variants.discard(genuine)
    for v in sorted(variants):
        assert refusal(v) in REASONS - {MemberCodeError.EXPIRED}, v


def test_newline_inside_a_field_is_malformed() -> None:
    # "$" also matches before a trailing newline: "ABCDE\n" used to pass as an installation id
    with_newline = CODE.replace(f".{INST}.", f".{INST}\n.")
    assert refusal(with_newline) == MemberCodeError.MALFORMED


@pytest.mark.parametrize(("payload", "why"), [
    ("", "unknown prefix"),
    ("M3.ABCDE.1234567897.AAAAAAAAAA", "unknown prefix"),
    ("M1.ABCDE.1234567897", "wrong number of fields"),
    ("M1.ABCDE.1234567897.AAAAAAAAAA.X", "wrong number of fields"),
    ("M2.ABCDE.1234567897.AAAAAAAAAA", "wrong number of fields"),
    ("M1.ABCD.1234567897.AAAAAAAAAA", "bad installation id"),
    ("M1.ABCD1.1234567897.AAAAAAAAAA", "bad installation id"),  # 1 is not base32
    ("M1.ABCDE.1234567890.AAAAAAAAAA", "bad card number"),  # Luhn
    ("M1.ABCDE.123456789.AAAAAAAAAA", "bad card number"),
    ("M1.ABCDE.1234567897.AAAAAAAAA", "bad signature field"),
    ("M1.ABCDE.1234567897.AAAAAAAAA1", "bad signature field"),
    ("M2.ABCDE.1234567897.12X.AAAAAAAAAA", "bad time step"),
    ("M2.ABCDE.1234567897.-5.AAAAAAAAAA", "bad time step"),
    ("M2.ABCDE.1234567897.٣٣.AAAAAAAAAA", "unexpected characters"),
    ("M1.ABCDE.1234567897.AAAAAAAAAA" + "A" * 40, "too long"),
    ("M1.ＡBCDE.1234567897.AAAAAAAAAA", "unexpected characters"),
])
def test_malformed(payload: str, why: str) -> None:
    with pytest.raises(MemberCodeError) as info:
        codes.parse_member_code(payload)
    assert info.value.reason == MemberCodeError.MALFORMED
    assert str(info.value) == f"not a member code: {why}"
    assert refusal(payload) == MemberCodeError.MALFORMED


@pytest.mark.parametrize("payload", [None, 123, b"M1.ABCDE", ["M1"]])
def test_not_text(payload: object) -> None:
    assert refusal(payload) == MemberCodeError.MALFORMED
    assert codes.classify(payload) == "unknown"  # type: ignore[arg-type]


# --- rotating codes --------------------------------------------------------------------


def test_rotating_within_skew() -> None:
    for seconds in (0, 29, 30, 89, -1, -60):
        assert codes.verify_member_code(ROTATING, SECRET, INST,
                                        NOW + timedelta(seconds=seconds)) == CARD


@pytest.mark.parametrize("seconds", [90, 91, 3600, -61, -3600])
def test_rotating_outside_skew_expired(seconds: int) -> None:
    with pytest.raises(MemberCodeError) as info:
        codes.verify_member_code(ROTATING, SECRET, INST, NOW + timedelta(seconds=seconds))
    assert info.value.reason == MemberCodeError.EXPIRED
    assert str(info.value) == "this member code has expired: ask for a fresh one"


def test_rotating_screenshot_from_yesterday() -> None:
    old = codes.rotating_member_code(SECRET, INST, CARD, NOW - timedelta(days=1))
    assert refusal(old) == MemberCodeError.EXPIRED


def test_rotating_signature_checked_before_expiry() -> None:
    old = codes.rotating_member_code(SECRET, INST, CARD, NOW - timedelta(days=1))
    assert refusal(old, secret=OTHER_SECRET) == MemberCodeError.TAMPERED


def test_rotating_step_cannot_be_moved_forward() -> None:
    old = codes.rotating_member_code(SECRET, INST, CARD, NOW - timedelta(days=1))
    prefix, inst, card, _step, mac = old.split(".")
    step = int(NOW.timestamp()) // codes.ROTATING_STEP
    assert refusal(f"{prefix}.{inst}.{card}.{step}.{mac}") == MemberCodeError.TAMPERED


def test_rotating_uses_the_clock_when_no_time_given() -> None:
    fresh = codes.rotating_member_code(SECRET, INST, CARD, datetime.now(UTC))
    assert codes.verify_member_code(fresh, SECRET, INST) == CARD


# --- card numbers ----------------------------------------------------------------------


def test_luhn_known_values() -> None:
    assert codes.luhn_digit("7992739871") == "3"  # the textbook example
    assert codes.luhn_ok("79927398713")
    assert not codes.luhn_ok("79927398710")
    assert codes.luhn_digit("123456789") == "7"
    assert codes.luhn_ok(CARD)


@pytest.mark.parametrize("text", ["", "0", "12a4", " 79927398713", "7992739871３", "1²",
                                  "٣٣", "-18"])
def test_luhn_ok_refuses_non_ascii_digits(text: str) -> None:
    # "1²" used to raise ValueError: "²".isdigit() is true but int("²") fails
    assert codes.luhn_ok(text) is False


def test_new_card_numbers() -> None:
    rng = random.Random(1234)
    for _ in range(300):
        number = codes.new_card_number(rng)  # type: ignore[arg-type]
        assert len(number) == 10 and number.isdigit() and number[0] != "0"
        assert codes.luhn_ok(number)
    assert codes.luhn_ok(codes.new_card_number())


def test_every_single_digit_typo_is_detected() -> None:
    rng = random.Random(99)
    for _ in range(50):
        number = codes.new_card_number(rng)  # type: ignore[arg-type]
        for i in range(len(number)):
            for d in "0123456789":
                if d != number[i]:
                    assert not codes.luhn_ok(number[:i] + d + number[i + 1:])


# --- classify --------------------------------------------------------------------------


@pytest.mark.parametrize(("payload", "kind"), [
    (CODE, "member"),
    (ROTATING, "member"),
    (CODE.lower(), "member"),
    ("M1.rubbish", "member"),  # by shape only: verification says what is wrong
    ("C1.ABCDEFGHJK", "coupon"),
    (" c1.abcdefghjk \n", "coupon"),
    ("C1.ABCDEFGHJKLMNPQR", "coupon"),  # 16 characters
    ("C1.ABCDEFGHJKLMNPQRS", "unknown"),  # 17 characters: too long for a coupon
    ("C1.ABCDEFGH89", "coupon"),  # 8 and 9 are in every generated code's alphabet
    ("C1.RABCDEF8", "unknown"),  # 8 characters
    ("C1.ABC", "unknown"),
    ("C1.ABCDEFGHJ1", "unknown"),
    (CARD, "card"),
    ("1234567890", "unknown"),  # ten digits, wrong check digit
    ("6901234567892", "product"),  # EAN-13
    ("012345678905", "product"),  # UPC-A
    ("96385074", "product"),  # EAN-8
    ("1234567", "unknown"),
    ("١٢٣٤٥٦٧٨", "unknown"),  # Arabic-Indic digits are not a barcode
    ("", "unknown"),
    ("hello", "unknown"),
    ("'; DROP TABLE member; --", "unknown"),
])
def test_classify(payload: str, kind: str) -> None:
    assert codes.classify(payload) == kind


def test_coupon_payload() -> None:
    assert codes.coupon_payload("ABCDEFGHJK") == "C1.ABCDEFGHJK"


def test_every_generated_coupon_code_classifies_as_coupon() -> None:
    # codes with an 8 or a 9 (about half of them) used to classify as "unknown"
    rng = random.Random(7)
    for _ in range(300):
        code = codes.new_coupon_code(rng)  # type: ignore[arg-type]
        assert codes.classify(codes.coupon_payload(code)) == "coupon", code
    assert codes.classify("C1.2345678923") == "coupon"


# --- fuzzing ---------------------------------------------------------------------------

NASTY = [
    "'; DROP TABLE member; --", "\" OR 1=1 --", "M1.ABCDE.1234567897.AAAAAAAAAA' OR '1'='1",
    "\x00", "\x1b[2J", "M1.\x00BCDE.1234567897.AAAAAAAAAA", "\u202eM1", "\ufeffM1.ABCDE",
    "M1." * 30, "." * 64, "M2.ABCDE.1234567897.99999999999999999999.AAAAAAAAAA",
    "%s%s%n", "${jndi:ldap://x}", "\ud800", "M1.ABCDE.1234567897.\udcff" * 2,
]


@st.composite
def code_like(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["M1", "M2", "m1", "C1", "M1 "]))
    field = st.text(alphabet=string.ascii_uppercase + string.digits + "ſı²", max_size=14)
    card = draw(st.one_of(st.just(CARD), field))
    parts = [prefix, draw(st.one_of(st.just(INST), field)), card]
    if prefix.startswith("M2"):
        parts.append(draw(st.one_of(st.integers(0, 10**12).map(str), field)))
    parts.append(draw(field))
    return ".".join(parts)


payloads = st.one_of(
    st.text(max_size=80),
    st.binary(max_size=80).map(lambda b: b.decode("utf-8", errors="replace")),
    st.binary(max_size=80).map(lambda b: b.decode("latin-1")),
    st.binary(max_size=80).map(lambda b: b.decode("utf-8", errors="surrogateescape")),
    st.text(min_size=65, max_size=5000),
    st.sampled_from(NASTY),
    code_like(),
)


@settings(max_examples=300, deadline=None)
@given(payloads)
def test_fuzz_never_raises_anything_else_and_never_verifies(payload: str) -> None:
    try:
        codes.parse_member_code(payload)
    except MemberCodeError as exc:
        assert exc.reason == MemberCodeError.MALFORMED
    with pytest.raises(MemberCodeError) as info:
        codes.verify_member_code(payload, SECRET, INST, NOW)
    assert info.value.reason in REASONS
    assert codes.classify(payload) in {"member", "coupon", "card", "product", "unknown"}
