"""Keyboard-wedge scanner bursts against a person typing, with synthetic key timings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from terminal.scanner.wedge import WedgeParser, WedgeResult
from tests.scanner import imaging as im

_, _, (CODE,) = im.member_codes(1)


def type_keys(parser: WedgeParser, keys: list[str], gap: float,
              start: float = 10.0) -> list[WedgeResult]:
    """Feed keys ``gap`` seconds apart; return what the parser yielded."""
    results = []
    for n, key in enumerate(keys):
        result = parser.feed(key, start + n * gap)
        if result is not None:
            results.append(result)
    return results


def test_scanner_burst_is_a_scan() -> None:
    keys = [*CODE, "\r"]
    assert type_keys(WedgeParser(), keys, 0.008) == [WedgeResult("scan", CODE)]


def test_control_characters_aim_identifier_and_tab_are_stripped() -> None:
    keys = ["\x02", *"]Q1", *CODE, "\x03", "\t", "\r"]
    assert type_keys(WedgeParser(), keys, 0.01) == [WedgeResult("scan", CODE, format="qr")]


def test_aim_identifier_gives_the_format_of_products() -> None:
    results = type_keys(WedgeParser(), [*"]E06901234567892", "\n"], 0.005)
    assert results == [WedgeResult("scan", "6901234567892", format="ean13")]


def test_configured_prefix_and_suffix() -> None:
    parser = WedgeParser(prefix="#", suffix="!", aim=False)
    assert type_keys(parser, [*f"#{CODE}!", "Enter"], 0.01) == [WedgeResult("scan", CODE)]


def test_person_typing_slowly_is_typed_text() -> None:
    keys = [*"alice", "\r"]
    assert type_keys(WedgeParser(), keys, 0.15) == [WedgeResult("typed", "alice")]


def test_short_fast_input_is_typed_text() -> None:
    assert type_keys(WedgeParser(), [*"ok", "\r"], 0.02) == [WedgeResult("typed", "ok")]


def test_late_enter_after_a_fast_run_is_typed_text() -> None:
    parser = WedgeParser()
    assert type_keys(parser, list("13800"), 0.03) == []
    assert parser.feed("\r", 10.0 + 4 * 0.03 + 0.4) == WedgeResult("typed", "13800")


def test_scan_after_typing_keeps_what_was_typed() -> None:
    parser = WedgeParser()
    type_keys(parser, list("ab"), 0.2)
    results = type_keys(parser, [*CODE, "\r"], 0.01, start=20.0)
    assert results == [WedgeResult("scan", CODE, typed="ab")]


def test_pause_inside_a_burst_breaks_it() -> None:
    parser = WedgeParser()
    type_keys(parser, list("12345"), 0.01)
    results = type_keys(parser, ["6", "7", "\r"], 0.01, start=11.0)
    assert results == [WedgeResult("typed", "1234567")]


def test_modifier_keys_do_not_break_a_burst() -> None:
    keys = [k for ch in CODE for k in (("", ch) if ch.isalpha() else (ch,))] + ["\r"]
    assert type_keys(WedgeParser(), keys, 0.005) == [WedgeResult("scan", CODE)]


def test_backspace_means_a_person() -> None:
    results = type_keys(WedgeParser(), [*"abcdx", "Backspace", *"efg", "\r"], 0.01)
    assert results == [WedgeResult("typed", "abcdefg")]


def test_thresholds_are_configurable() -> None:
    parser = WedgeParser(max_gap=0.12, min_length=2)
    assert type_keys(parser, [*"42", "\r"], 0.1) == [WedgeResult("scan", "42")]


def test_parser_starts_afresh_after_each_enter() -> None:
    parser = WedgeParser()
    assert type_keys(parser, [*CODE, "\r"], 0.01) == [WedgeResult("scan", CODE)]
    assert type_keys(parser, [*"bob", "\r"], 0.3, start=30.0) == [WedgeResult("typed", "bob")]


@given(text=st.text(alphabet=st.characters(codec="ascii", categories=("L", "N", "P")),
                    min_size=1, max_size=40),
       gaps=st.lists(st.floats(min_value=0.051, max_value=2.0), min_size=41, max_size=41))
def test_slow_typing_is_never_a_scan(text: str, gaps: list[float]) -> None:
    parser = WedgeParser()
    at = 0.0
    result = None
    for key, gap in zip([*text, "\r"], gaps, strict=False):
        at += gap
        result = parser.feed(key, at)
    assert result == WedgeResult("typed", text)
