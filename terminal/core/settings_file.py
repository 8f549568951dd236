"""Reading the settings file: every value checked against its key's rule, every problem
reported with its file, line and key (a device key falls back alone; any other stops the
program), the result a ``config.Settings``."""

from __future__ import annotations

import json
import os
import re
import string
import tomllib
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import email_validator
import phonenumbers

from . import money
from .config import (
    CONFIG_ENV,
    DEVICE_SECTIONS,
    IDENTIFIER,
    LANGUAGES,
    SECTIONS,
    BackupSettings,
    CameraSettings,
    CouponSettings,
    DatabaseSettings,
    DisplaySettings,
    EmailSettings,
    MessagesSettings,
    PrinterSettings,
    Problem,
    Settings,
    SettingsError,
    SmsSettings,
    StoreSettings,
    WebSettings,
    config_path,
)
from .errors import RuleError
from .i18n import TERMS, Phrase
from .rules import (
    CODE_LENGTH,
    NAME_LENGTH,
    RULE,
    PointsRules,
    Programme,
    ReceiptTexts,
    ReferralRules,
    StoredValueRules,
    Tier,
    TierRules,
    TopUpBonus,
    field_name,
)

Check = Callable[[Any], str | None]  # a message when the value is out of its range
MAX_AMOUNT = 100_000_000  # major units: the largest amount a settings file may name
RECEIPT_LINE = 120  # characters of a receipt's header or footer (wrapped to the paper)
# [receipt]'s lines, in ReceiptTexts' order: offer is the customer display's, between sales
RECEIPT_KEYS = ("header", "footer", "offer")


_FATAL = object()  # marks a problem with no fallback: the program must not start


def _shown(value: Any) -> str:
    """A value as it is written in TOML, for the messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return f"[{', '.join(_shown(v) for v in value)}]"
    if isinstance(value, dict):
        return f"{{ {', '.join(f'{k} = {_shown(v)}' for k, v in value.items())} }}"
    return repr(value)


def _between(low: float, high: float, what: str = "a whole number") -> Check:
    def check(value: Any) -> str | None:
        return None if low <= value <= high else \
            f"expected {what} from {low} to {high}, got {_shown(value)}"
    return check


def _one_of(*choices: Any) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else \
            f"expected one of {', '.join(_shown(c) for c in choices)}, got {_shown(value)}"
    return check


def _text(max_length: int, blank: bool = False) -> Check:
    def check(value: str) -> str | None:
        if not blank and not value.strip():
            return "expected text, got an empty value"
        if len(value) > max_length:
            return f"expected at most {max_length} characters, got {len(value)}"
        return None
    return check


def _identifier(value: str) -> str | None:
    if IDENTIFIER.fullmatch(value):
        return None
    return ("expected 1 to 32 letters, digits or dashes (it is written with every sale), "
            f"got {_shown(value)}")


def _region(value: str) -> str | None:
    if value in phonenumbers.SUPPORTED_REGIONS:
        return None
    hint = f" (write it in capitals: {_shown(value.upper())})" \
        if value.upper() in phonenumbers.SUPPORTED_REGIONS else ""
    return ("expected a region code for phone numbers such as \"CN\", \"HK\" or \"US\""
            f"{hint}, got {_shown(value)}")


def _currency(value: str) -> str | None:
    try:
        money.minor_digits(value)
    except money.MoneyError:
        return f"expected a currency code such as \"CNY\", got {_shown(value)}"
    return None


def _database_url(value: str) -> str | None:
    scheme = value.partition(":")[0].lower() if ":" in value else ""
    if not value or scheme in ("sqlite", "postgres", "postgresql"):
        return None
    return f"expected sqlite:///PATH or postgresql://USER@HOST/DB, got {_shown(value)}"


def _web_url(value: str) -> str | None:
    if not value:
        return None
    parsed = urllib.parse.urlsplit(value)
    if parsed.scheme not in ("http", "https") or not parsed.hostname or parsed.query \
            or parsed.fragment or len(value) > 200:
        return f"expected an address such as https://members.example.com, got {_shown(value)}"
    return None


def _address(value: str) -> str | None:
    if not value:
        return None
    try:
        email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        return f"expected an e-mail address such as shop@example.com, got {_shown(value)} ({exc})"
    return None


SMS_FIELDS = ("phone", "text", "id")  # what an SMS gateway's url and body may name


def _placeholders(value: str) -> tuple[set[str], str | None]:
    """The {names} a template holds, or why it is not a template."""
    try:
        names = {name for _, name, spec, conv in string.Formatter().parse(value)
                 if name is not None}
    except ValueError as exc:
        return set(), f"{exc} (write {{{{ and }}}} for a brace itself)"
    unknown = sorted(names - set(SMS_FIELDS))
    if unknown:
        return names, (f"unknown placeholder {{{unknown[0]}}} (known: "
                       f"{', '.join(f'{{{n}}}' for n in SMS_FIELDS)})")
    return names, None


def _sms_url(value: str) -> str | None:
    if not value:
        return None
    parsed = urllib.parse.urlsplit(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(value) > 1000:
        return ("expected an address such as https://sms.example.com/send?to={phone}&"
                f"text={{text}}, got {_shown(value)}")
    return _placeholders(value)[1]


def _sms_body(value: str) -> str | None:
    return _text(2000, blank=True)(value) or _placeholders(value)[1]


def _header(value: str) -> str | None:
    if not value:
        return None
    name, colon, rest = value.partition(":")
    if not colon or not re.fullmatch(r"[A-Za-z0-9-]{1,64}", name) or not rest.strip() \
            or "\n" in value or "\r" in value or len(value) > 2000:
        return f"expected one header such as \"Authorization: Bearer KEY\", got {_shown(value)}"
    return None


def _columns(value: int) -> str | None:
    return None if value == 0 or 16 <= value <= 96 else \
        f"expected 0 (from the paper width) or 16 to 96, got {value}"


CHECKS: dict[str, dict[str, Check]] = {
    "store": {"store_id": _identifier, "terminal_id": _identifier, "name": _text(200),
              "address": _text(200, blank=True), "phone": _text(40, blank=True),
              "currency": _currency, "phone_region": _region, "language": _one_of(*LANGUAGES)},
    "database": {"url": _database_url},
    "printer": {"connection": _text(200), "profile": _text(64), "encoding": _text(32),
                "paper_mm": _one_of(80, 58), "columns": _columns},
    "camera": {"source": _text(1000), "width": _between(16, 8192),
               "height": _between(16, 8192), "fps": _between(1, 240),
               "backend": _one_of("zxing", "pyzbar"),
               "hold_seconds": _between(0, 60, "a number of seconds")},
    "display": {"screen": _text(100, blank=True)},
    "web": {"local_url": _web_url, "public_url": _web_url},
    "coupons": {"valid_days": _between(1, 3650), "next_visit_template": _text(32, blank=True)},
    "backup": {"keep_days": _between(1, 3650)},
    "email": {"host": _text(253, blank=True), "port": _between(1, 65535),
              "security": _one_of("starttls", "ssl", "none"), "username": _text(200, blank=True),
              "password": _text(200, blank=True), "from_address": _address,
              "timeout_seconds": _between(1, 600)},
    "sms": {"url": _sms_url, "method": _one_of("GET", "POST"), "body": _sms_body,
            "content_type": _text(100), "header": _header, "username": _text(200, blank=True),
            "password": _text(200, blank=True), "timeout_seconds": _between(1, 600)},
    "messages": {"daily_limit": _between(1, 100), "max_attempts": _between(1, 50),
                 "retry_minutes": _between(1, 1440), "expiry_warning_days": _between(1, 365)},
    # the programme's sections ([[tiers]], [tier_rules], [points], ...) have no checks here:
    # their rules check themselves (core.rules), for the file, the database and the tab alike
}
KINDS = {int: "a whole number", float: "a number", bool: "true or false", str: "text in quotes"}
PROGRAMME_SECTIONS = ("tiers", "tier_rules", "points", "stored_value", "referral", "receipt")


def _typed(value: Any, expected: type) -> tuple[Any, str | None]:
    """The value as the field's type (an int for a float field), or why it is not one."""
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
        if expected is int:
            return value, Phrase("expected a whole number, got {value}", value=_shown(value))
        if expected is bool:
            return value, Phrase("expected true or false, got {value}", value=_shown(value))
        return value, f"expected {KINDS.get(expected, expected.__name__)}, got {_shown(value)}"
    return value, None


def _number(value: Any) -> tuple[Decimal, str | None]:
    if not isinstance(value, bool) and isinstance(value, int | float | str):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            pass
        else:
            if number.is_finite():  # nan and inf would only fail later, far from the file
                return number, None
    return Decimal(0), Phrase("expected a number, got {value}", value=_shown(value))


def _amount(value: Any, currency: str) -> tuple[int, str | None]:
    """Minor units from an amount in major units ("12.50", 12.5 or 12)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return 0, Phrase("expected an amount such as \"12.50\", got {value}",
                         value=_shown(value))
    try:
        amount = money.parse(str(value) if isinstance(value, float) else value, currency)
    except money.MoneyError as exc:
        return 0, Phrase.said_by(exc)
    if amount < 0:
        return 0, Phrase("must not be negative, got {value}", value=_shown(value))
    if amount > MAX_AMOUNT * 10 ** money.minor_digits(currency):
        return 0, Phrase("expected at most {most}, got {value}", most=f"{MAX_AMOUNT:,}",
                         value=_shown(value))
    return amount, None


def _said(exc: RuleError) -> Phrase:
    """A rule's refusal as a sentence that keeps its message id (translated where read)."""
    return Phrase.said_by(exc)


class _KeyLines:
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


class _Reader:
    """Turns parsed TOML into settings, noting every value it cannot use."""

    def __init__(self, data: dict[str, Any], source: Path | None, text: str | None) -> None:
        self.data = data
        self.source = source
        self.lines = _KeyLines(text) if text else None
        self.problems: list[Problem] = []

    def bad(self, table: str, key: str | None, message: str, *, index: int | None = None,
            fallback: Any = _FATAL, ignored: bool = False, rule: bool = False) -> None:
        """Note a problem; ``rule``: ``message`` is a rule's refusal (it names its key)."""
        said = None
        if rule or not isinstance(message, Phrase):
            said = message
            if key and message.startswith(f"{key} "):  # the key is said once, by ``where``
                message = message[len(key) + 1:]
        elif key and table in PROGRAMME_SECTIONS and (name := self._field(table, key, index)):
            said = Phrase("{field}: {problem}", field=name, problem=message)
        where = f"[[{table}]]" if table == "tiers" else f"[{table}]"
        where += f" #{index}" if index else ""
        if key:
            where += f" {key}"
        note = None
        if ignored:
            note = "ignored until it is corrected"
        elif fallback is not _FATAL:
            note = f"the default {_shown(fallback)} is used until it is corrected"
        line = self.lines.find(table, key, index) if self.lines else None
        self.problems.append(Problem(where, message, self.source, line, fallback=note,
                                     said=said))

    def _field(self, table: str, key: str, index: int | None) -> str | None:
        """The name a refusal gives ``key`` of a programme section (None: not a rule's)."""
        if key not in TERMS[RULE]:
            return None
        tier = None
        if table == "tiers" and index:
            item = self.data["tiers"][index - 1]
            code = item.get("code") if isinstance(item, dict) else None
            tier = code if isinstance(code, str) and code.strip() else index
        return field_name(key, tier)

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
        checks = CHECKS.get(name, {})
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
                value, error = _typed(value, type(default))
            if error is None and key in checks:
                error = checks[key](value)
            if error is None:
                try:
                    replace(defaults, **{key: value})  # a rule checks itself (core.rules)
                except RuleError as exc:
                    self.bad(name, key, _said(exc), rule=True)
                    continue
            if error is not None:
                self.bad(name, key, error, fallback=default if device else _FATAL)
                continue
            values[key] = value
        return cls(**values)

    def points(self, currency: str) -> PointsRules:
        table = self.table("points")
        defaults = PointsRules()
        known = [f.name for f in fields(PointsRules)]
        kw: dict[str, Any] = {}
        for key, value in table.items():
            if key not in known:
                self.bad("points", key, f"unknown setting (known: {', '.join(known)})")
                continue
            default = getattr(defaults, key)
            error: str | None = None
            if isinstance(default, Decimal):
                value, error = _number(value)
            elif key == "category_multipliers":
                value, error = self._multipliers(value)
            elif key == "member_days":
                if not isinstance(value, list) or not all(
                        isinstance(v, int) and not isinstance(v, bool) for v in value):
                    error = Phrase("expected a list of weekdays 0-6 such as [2, 5], got {value}",
                                   value=_shown(value))
                else:
                    value = tuple(value)
            else:
                value, error = _typed(value, type(default))
            if error is None:
                try:
                    replace(defaults, **{key: value})
                except RuleError as exc:
                    self.bad("points", key, _said(exc), rule=True)
                    continue
            if error is not None:
                self.bad("points", key, error)
                continue
            kw[key] = value
        try:
            return PointsRules(**kw)
        except RuleError as exc:  # pragma: no cover - every key is checked on its own
            self.bad("points", None, _said(exc), rule=True)
            return defaults

    def _multipliers(self, value: Any) -> tuple[dict[str, Decimal], str | None]:
        if not isinstance(value, dict):
            return {}, Phrase("expected a table such as {{ drinks = 2 }}, got {value}",
                              value=_shown(value))
        out = {}
        for category, raw in value.items():
            number, error = _number(raw)
            if error:
                return {}, Phrase("{category}: {problem}", category=category, problem=error)
            out[str(category)] = number
        return out, None

    def tiers(self, currency: str) -> TierRules:
        extra = self.simple(_TierExtra, "tier_rules")
        if "tiers" not in self.data:
            return TierRules(**vars(extra))
        items = self.data["tiers"]
        if not isinstance(items, list) or not items or not all(
                isinstance(i, dict) for i in items):
            self.bad("tiers", None, "expected at least one [[tiers]] table with a code")
            return TierRules(**vars(extra))
        tiers = []
        for n, item in enumerate(items, start=1):
            if (tier := self._tier(n, item, currency)) is not None:
                tiers.append(tier)
        if len(tiers) < len(items):
            return TierRules(**vars(extra))  # the problems are noted; the rules are not used
        try:
            return TierRules(tuple(tiers), **vars(extra))
        except RuleError as exc:
            self.bad("tiers", None, _said(exc), rule=True)
            return TierRules(**vars(extra))

    def _tier(self, n: int, item: dict[str, Any], currency: str) -> Tier | None:
        before = len(self.problems)
        named = tuple(f"name_{language}" for language in LANGUAGES[1:])  # name_zh_CN
        known = ("code", "name", *named, "threshold", "discount_percent", "points_multiplier")
        for key in item:
            if key not in known:
                self.bad("tiers", key, f"unknown setting (known: {', '.join(known)})", index=n)
        if "code" not in item:
            self.bad("tiers", None, Phrase("each tier needs a code"), index=n, rule=True)
        for key in ("code", "name", *named):
            # the length is the rule's (core.rules); the file may also hold a number
            if key in item and not isinstance(item[key], str):
                most = CODE_LENGTH if key == "code" else NAME_LENGTH
                self.bad("tiers", key, Phrase("expected text of 1 to {most} characters, got "
                                              "{value}", most=most, value=_shown(item[key])),
                         index=n)
        threshold, error = _amount(item.get("threshold", 0), currency)
        if error:
            self.bad("tiers", "threshold", error, index=n)
        numbers = {}
        for key, default in (("discount_percent", 0), ("points_multiplier", 1)):
            numbers[key], error = _number(item.get(key, default))
            if error:
                self.bad("tiers", key, error, index=n)
        if len(self.problems) > before:
            return None
        names = tuple((key.removeprefix("name_"), item[key]) for key in named if key in item)
        return Tier(code=item["code"], name=item.get("name", item["code"]),
                    threshold=threshold, names=names, **numbers)

    def stored_value(self, currency: str) -> StoredValueRules:
        table = self.table("stored_value")
        kw: dict[str, Any] = {}
        for key, value in table.items():
            if key == "bonuses":
                kw[key] = self._bonuses(value, currency)
            elif key in ("min_top_up", "max_balance"):
                amount, error = _amount(value, currency)
                if error:
                    self.bad("stored_value", key, error)
                else:
                    kw[key] = amount
            else:
                self.bad("stored_value", key,
                         "unknown setting (known: bonuses, min_top_up, max_balance)")
        try:
            return replace(StoredValueRules(), **{k: v for k, v in kw.items() if v is not None})
        except RuleError as exc:
            self.bad("stored_value", exc.key, _said(exc), rule=True)
            return StoredValueRules()

    def _bonuses(self, value: Any, currency: str) -> tuple[TopUpBonus, ...] | None:
        shape = "expected a list of { min_paid = \"100\", bonus = \"20\" }"
        if not isinstance(value, list) or not all(
                isinstance(b, dict) and set(b) == {"min_paid", "bonus"} for b in value):
            self.bad("stored_value", "bonuses", f"{shape}, got {_shown(value)}")
            return None
        out = []
        for n, b in enumerate(value, start=1):
            paid, error = _amount(b["min_paid"], currency)
            bonus, error2 = _amount(b["bonus"], currency)
            if error or error2:
                self.bad("stored_value", "bonuses", Phrase(
                    "{field} of top-up bonus {number}: {problem}", number=n,
                    problem=error or error2, field=field_name("min_paid" if error else "bonus")),
                    rule=True)
                return None
            out.append(TopUpBonus(paid, bonus))
        return tuple(out)

    def referral(self) -> ReferralRules:
        return self.simple(ReferralRules, "referral")

    def receipt(self) -> ReceiptTexts:
        table = self.table("receipt")
        known = [f"{line}{suffix}" for line in RECEIPT_KEYS
                 for suffix in ("", *(f"_{language}" for language in LANGUAGES[1:]))]
        lines: dict[str, list[tuple[str, str]]] = {line: [] for line in RECEIPT_KEYS}
        for key, value in table.items():
            if key not in known:
                self.bad("receipt", key, f"unknown setting (known: {', '.join(known)})")
                continue
            error = (_text(RECEIPT_LINE, blank=True)(value) if isinstance(value, str)
                     else f"expected text in quotes, got {_shown(value)}")
            if error is not None:
                self.bad("receipt", key, error)
                continue
            line, _, language = key.partition("_")
            lines[line].append((language or LANGUAGES[0], value))
        return ReceiptTexts(*(tuple(lines[line]) for line in RECEIPT_KEYS))

    def email(self) -> EmailSettings:
        email = self.simple(EmailSettings, "email")
        if email.host and not email.from_address:
            self.bad("email", "from_address", "is needed with a host: the address the "
                     "messages come from")
        if email.from_address and not email.host:
            self.bad("email", "host", "is needed with a from_address: the SMTP server "
                     "that sends the messages")
        return email

    def sms(self) -> SmsSettings:
        sms = self.simple(SmsSettings, "sms")
        if sms.url:
            named = _placeholders(sms.url)[0] | _placeholders(sms.body)[0]
            for needed in ("phone", "text"):
                if needed not in named:
                    self.bad("sms", "url", f"names no {{{needed}}}: the url or the body must "
                             "say where the member's number and the message's text go")
        elif sms.body:
            self.bad("sms", "url", "is needed with a body: the gateway's address")
        if sms.body and sms.method != "POST":
            self.bad("sms", "method", "must be \"POST\" to send a body")
        return sms

    def programme(self, currency: str, language: str) -> Programme:
        return Programme(currency=currency, tiers=self.tiers(currency).in_language(language),
                         points=self.points(currency), stored_value=self.stored_value(currency),
                         referral=self.referral(), receipt=self.receipt())


@dataclass(frozen=True)
class _TierExtra:
    window_days: int = 365
    hold_days: int = 365

    def __post_init__(self) -> None:
        TierRules(window_days=self.window_days, hold_days=self.hold_days)  # the rule's check


def _store_money(currency: str) -> Callable[[Any], tuple[Any, str | None]]:
    def convert(value: Any) -> tuple[Any, str | None]:
        _, error = _amount(value, currency)
        return str(value), error  # the services parse it with the store's currency
    return convert


def from_dict(data: dict[str, Any], source: Path | None = None,
              text: str | None = None) -> Settings:
    """Settings from parsed TOML (``text``: the file's text, to name lines).

    Raise SettingsError listing every unusable value unless all of them are device
    settings (printer, camera): those fall back to their defaults, one key at a time, and
    are listed in ``Settings.warnings``.
    """
    r = _Reader(data, source, text)
    for name in data:
        if name not in SECTIONS:
            r.bad(name, None, f"unknown section (known: {', '.join(SECTIONS)})")
    raw_store = data.get("store", {})
    currency = raw_store.get("currency", "CNY") if isinstance(raw_store, dict) else "CNY"
    if not isinstance(currency, str) or _currency(currency):
        currency = "CNY"  # reported with [store]; the amounts are still checked
    store = r.simple(StoreSettings, "store",
                     converters={"discount_limit": _store_money(currency)})
    settings = Settings(
        store=store,
        database=r.simple(DatabaseSettings, "database"),
        printer=r.simple(PrinterSettings, "printer"),
        camera=r.simple(CameraSettings, "camera"),
        display=r.simple(DisplaySettings, "display"),
        web=r.simple(WebSettings, "web"),
        coupons=r.simple(CouponSettings, "coupons"),
        backup=r.simple(BackupSettings, "backup"),
        email=r.email(),
        sms=r.sms(),
        messages=r.simple(MessagesSettings, "messages"),
        programme=r.programme(store.currency, store.language),
        source=source,
        warnings=tuple(p for p in r.problems if p.fallback),
        programme_keys=programme_keys(data),
    )
    if any(not p.fallback for p in r.problems):
        raise SettingsError(r.problems)
    return settings


def programme_keys(data: dict[str, Any]) -> frozenset[str]:
    """The programme's sections a settings file names ("points") and their keys
    ("points.earn_per_unit"): what moved to the database (services.programme)."""
    keys = set()
    for name in PROGRAMME_SECTIONS:
        if name in data:
            keys.add(name)
            if isinstance(data[name], dict):
                keys.update(f"{name}.{key}" for key in data[name])
    return frozenset(keys)


def programme_from_dict(data: dict[str, Any], currency: str, language: str = "en",
                        source: Path | None = None, text: str | None = None) -> Programme:
    """The programme's rules from TOML- or JSON-shaped sections ([[tiers]], [tier_rules],
    [points], [stored_value], [referral], [receipt]: the settings file's form, money in
    major units), checked exactly as the settings file is; SettingsError lists every unusable value
    (another section is one of them)."""
    r = _Reader(data, source, text)
    for name in data:
        if name not in PROGRAMME_SECTIONS:
            r.bad(name, None, f"unknown section (known: {', '.join(PROGRAMME_SECTIONS)})")
    programme = r.programme(currency, language)
    if r.problems:
        raise SettingsError(r.problems)
    return programme


def _major(amount: int, currency: str) -> str:
    digits = money.minor_digits(currency)
    if not digits:
        return str(amount)
    return str((Decimal(amount) / 10 ** digits).quantize(Decimal(1).scaleb(-digits)))


def _exact(value: Decimal) -> int | str:
    """A number as programme_from_dict reads it back exactly: an int, or its text."""
    return int(value) if value == value.to_integral_value() else str(value)


def programme_to_dict(programme: Programme) -> dict[str, Any]:
    """The rules in the settings file's form (what ``programme_from_dict`` reads back to
    the same value): plain JSON and TOML values, money in major units as text."""
    cur = programme.currency
    rules, points, sv = programme.tiers, programme.points, programme.stored_value
    tiers = []
    for tier in rules.tiers:
        item: dict[str, Any] = {"code": tier.code, "name": tier.name_in("en"),
                                "threshold": _major(tier.threshold, cur),
                                "discount_percent": _exact(tier.discount_percent),
                                "points_multiplier": _exact(tier.points_multiplier)}
        for language in LANGUAGES[1:]:
            if language in dict(tier.names) or tier.name_in(language) != tier.name_in("en"):
                item[f"name_{language}"] = tier.name_in(language)
        tiers.append(item)
    return {
        "tiers": tiers,
        "tier_rules": {"window_days": rules.window_days, "hold_days": rules.hold_days},
        "points": {
            "earn_per_unit": _exact(points.earn_per_unit),
            "category_multipliers": {k: _exact(v)
                                     for k, v in points.category_multipliers.items()},
            "member_days": list(points.member_days),
            "member_day_multiplier": _exact(points.member_day_multiplier),
            "birthday_multiplier": _exact(points.birthday_multiplier),
            "birthday_window": points.birthday_window,
            "earn_on_points_paid": points.earn_on_points_paid,
            "earn_on_stored_value_paid": points.earn_on_stored_value_paid,
            "redeem_points_per_unit": points.redeem_points_per_unit,
            "redeem_min_points": points.redeem_min_points,
            "redeem_max_share_percent": _exact(points.redeem_max_share_percent),
            "expiry_months": points.expiry_months},
        "stored_value": {
            "bonuses": [{"min_paid": _major(b.min_paid, cur), "bonus": _major(b.bonus, cur)}
                        for b in sv.bonuses],
            "min_top_up": _major(sv.min_top_up, cur),
            "max_balance": _major(sv.max_balance, cur)},
        "referral": {"referrer_points": programme.referral.referrer_points,
                     "referee_points": programme.referral.referee_points},
        "receipt": {f"{line}{'' if language == LANGUAGES[0] else f'_{language}'}":
                    getattr(programme.receipt, f"{line}_in")(language)
                    for line in RECEIPT_KEYS for language in LANGUAGES},
    }


_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def load(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read the settings file. No file at the default place gives the defaults; a file
    named by --config or $MEMBER_TERMINAL_CONFIG must exist. SettingsError lists what
    cannot be used (see ``from_dict``)."""
    target = config_path(path)
    if not target.exists():
        if path or os.environ.get(CONFIG_ENV):
            raise SettingsError(Problem("", f"settings file {target} does not exist"))
        return Settings(source=None)
    try:
        raw = target.read_bytes()
    except OSError as exc:
        raise SettingsError(Problem("", f"cannot be read: {exc.strerror or exc}",
                                    target)) from None
    try:
        text = raw.decode("utf-8-sig")  # Windows' Notepad may start the file with a BOM
    except UnicodeDecodeError as exc:
        raise SettingsError(Problem(
            "", f"not valid TOML: a settings file is UTF-8 text, and byte "
                f"{raw[exc.start]:#04x} at offset {exc.start} is not", target)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _POSITION.search(message)
        raise SettingsError(Problem(
            "", f"not valid TOML: {_POSITION.sub('', message)}", target,
            int(where[1]) if where else None, int(where[2]) if where else None)) from None
    return from_dict(data, target, text)
