"""Reading a table of parsed TOML: every value typed and checked against its key's rule,
every problem noted with its file, line and key. Shared by the settings file (the device
settings, core.settings_file) and the programme's rules (core.programme_file)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, ClassVar

from . import money
from .config import DEVICE_SECTIONS, Problem
from .errors import RuleError
from .i18n import Phrase

Check = Callable[[Any], str | None]  # a message when the value is out of its range
MAX_AMOUNT = 100_000_000  # major units: the largest amount a settings file may name
FATAL = object()  # marks a problem with no fallback: the program must not start


def shown(value: Any) -> str:
    """A value as it is written in TOML, for the messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return f"[{', '.join(shown(v) for v in value)}]"
    if isinstance(value, dict):
        return f"{{ {', '.join(f'{k} = {shown(v)}' for k, v in value.items())} }}"
    return repr(value)


def between(low: float, high: float, what: str = "a whole number") -> Check:
    def check(value: Any) -> str | None:
        return None if low <= value <= high else \
            f"expected {what} from {low} to {high}, got {shown(value)}"
    return check


def one_of(*choices: Any) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else \
            f"expected one of {', '.join(shown(c) for c in choices)}, got {shown(value)}"
    return check


def chars(max_length: int, blank: bool = False) -> Check:
    def check(value: str) -> str | None:
        if not blank and not value.strip():
            return "expected text, got an empty value"
        if len(value) > max_length:
            return f"expected at most {max_length} characters, got {len(value)}"
        return None
    return check


KINDS = {int: "a whole number", float: "a number", bool: "true or false", str: "text in quotes"}


def typed(value: Any, expected: type) -> tuple[Any, str | None]:
    """The value as the field's type (an int for a float field), or why it is not one."""
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
        if expected is int:
            return value, Phrase("expected a whole number, got {value}", value=shown(value))
        if expected is bool:
            return value, Phrase("expected true or false, got {value}", value=shown(value))
        return value, f"expected {KINDS.get(expected, expected.__name__)}, got {shown(value)}"
    return value, None


def read_number(value: Any) -> tuple[Decimal, str | None]:
    if not isinstance(value, bool) and isinstance(value, int | float | str):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            pass
        else:
            if number.is_finite():  # nan and inf would only fail later, far from the file
                return number, None
    return Decimal(0), Phrase("expected a number, got {value}", value=shown(value))


def read_amount(value: Any, currency: str) -> tuple[int, str | None]:
    """Minor units from an amount in major units ("12.50", 12.5 or 12)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return 0, Phrase("expected an amount such as \"12.50\", got {value}",
                         value=shown(value))
    try:
        amount = money.parse(str(value) if isinstance(value, float) else value, currency)
    except money.MoneyError as exc:
        return 0, Phrase.said_by(exc)
    if amount < 0:
        return 0, Phrase("must not be negative, got {value}", value=shown(value))
    if amount > MAX_AMOUNT * 10 ** money.minor_digits(currency):
        return 0, Phrase("expected at most {most}, got {value}", most=f"{MAX_AMOUNT:,}",
                         value=shown(value))
    return amount, None


def rule_said(exc: RuleError) -> Phrase:
    """A rule's refusal as a sentence that keeps its message id (translated where read)."""
    return Phrase.said_by(exc)


class KeyLines:
    """Where each ``key =`` line of each ``[section]`` is in the text (best effort: the
    parser gives no positions; a key inside a multi-line string may be missed)."""

    HEADER = re.compile(r"\s*(\[\[?)\s*([^\]#]+?)\s*\]\]?\s*(?:#.*)?$")
    KEY = re.compile(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str, int | None, str | None], int] = {}
        table, index = "", None
        counts: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if header := self.HEADER.match(line):
                table = header[2].strip("\"'")
                index = None
                if header[1] == "[[":
                    index = counts[table] = counts.get(table, 0) + 1
                self.lines.setdefault((table, index, None), number)
            elif key := self.KEY.match(line):
                self.lines.setdefault((table, index, key[1].strip("\"'")), number)

    def find(self, table: str, key: str | None, index: int | None) -> int | None:
        return (self.lines.get((table, index, key))
                or self.lines.get(("", None, f"{table}.{key}" if key else table))
                or self.lines.get((table, index, None))
                or self.lines.get((table, 1, None)))  # an array of tables: the first


class Reader:
    """Turns parsed TOML into values, noting every one it cannot use; ``checks``: each
    table's checks of its keys' ranges, by table and key."""

    checks: ClassVar[dict[str, dict[str, Check]]] = {}

    def __init__(self, data: dict[str, Any], source: Path | None, text: str | None) -> None:
        self.data = data
        self.source = source
        self.lines = KeyLines(text) if text else None
        self.problems: list[Problem] = []

    def bad(self, table: str, key: str | None, message: str, *, index: int | None = None,
            fallback: Any = FATAL, ignored: bool = False, rule: bool = False) -> None:
        """Note a problem; ``rule``: ``message`` is a rule's refusal (it names its key)."""
        said = None
        named = False  # the message names the key itself ("discount_percent of tier a …")
        if rule or not isinstance(message, Phrase):
            said = message
            if key and message.startswith(f"{key} "):  # the key is said once
                if index:
                    named = True
                else:  # by ``where``
                    message = message[len(key) + 1:]
        elif key and (name := self.field(table, key, index)):
            said = Phrase("{field}: {problem}", field=name, problem=message)
        where = f"[[{table}]]" if table == "tiers" else f"[{table}]"
        where += f" #{index}" if index else ""
        if key and not named:
            where += f" {key}"
        note = None
        if ignored:
            note = "ignored until it is corrected"
        elif fallback is not FATAL:
            note = f"the default {shown(fallback)} is used until it is corrected"
        line = self.lines.find(table, key, index) if self.lines else None
        self.problems.append(Problem(where, message, self.source, line, fallback=note,
                                     said=said))

    def field(self, table: str, key: str, index: int | None) -> str | None:
        """The name a sentence gives ``key`` of ``table`` (None: none, the file's key is said
        by ``where`` alone)."""
        return None

    def table(self, name: str, default: Any = None) -> dict[str, Any]:
        value = self.data.get(name, {} if default is None else default)
        if isinstance(value, dict):
            return value
        device = name in DEVICE_SECTIONS
        self.bad(name, None, f"expected a table ([{name}] and key = value lines under it)",
                 ignored=device)
        return {}

    def simple(self, cls: type, name: str, table: dict[str, Any] | None = None,
               converters: dict[str, Callable[[Any], tuple[Any, str | None]]] | None = None,
               ) -> Any:
        """A dataclass of plain fields from a table, each key checked on its own."""
        device = name in DEVICE_SECTIONS
        table = self.table(name) if table is None else table
        defaults = cls()
        known = [f.name for f in fields(cls)]
        checks = self.checks.get(name, {})
        values = {}
        for key, value in table.items():
            if key not in known:
                self.bad(name, key, f"unknown setting (known: {', '.join(known)})",
                         ignored=device)
                continue
            default = getattr(defaults, key)
            if converters and key in converters:
                value, error = converters[key](value)
            else:
                value, error = typed(value, type(default))
            if error is None and key in checks:
                error = checks[key](value)
            if error is None:
                try:
                    replace(defaults, **{key: value})  # a rule checks itself (core.rules)
                except RuleError as exc:
                    self.bad(name, key, rule_said(exc), rule=True)
                    continue
            if error is not None:
                self.bad(name, key, error, fallback=default if device else FATAL)
                continue
            values[key] = value
        return cls(**values)

