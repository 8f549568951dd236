"""Reading the settings file: every value checked against its key's rule, every problem
reported with its file, line and key (a device key falls back alone; any other stops the
program), the result a ``config.Settings``. The programme's sections, which a settings
file held before they moved to the database, are read by core.programme_file."""

from __future__ import annotations

import os
import re
import string
import tomllib
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import email_validator
import phonenumbers

from . import money
from .config import (
    CONFIG_ENV,
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
from .file_values import Check, between, chars, one_of, read_amount, shown
from .programme_file import ProgrammeReader, programme_keys


def _identifier(value: str) -> str | None:
    if IDENTIFIER.fullmatch(value):
        return None
    return ("expected 1 to 32 letters, digits or dashes (it is written with every sale), "
            f"got {shown(value)}")


def _region(value: str) -> str | None:
    if value in phonenumbers.SUPPORTED_REGIONS:
        return None
    hint = f" (write it in capitals: {shown(value.upper())})" \
        if value.upper() in phonenumbers.SUPPORTED_REGIONS else ""
    return ("expected a region code for phone numbers such as \"CN\", \"HK\" or \"US\""
            f"{hint}, got {shown(value)}")


def _currency(value: str) -> str | None:
    try:
        money.minor_digits(value)
    except money.MoneyError:
        return f"expected a currency code such as \"CNY\", got {shown(value)}"
    return None


def _database_url(value: str) -> str | None:
    scheme = value.partition(":")[0].lower() if ":" in value else ""
    if not value or scheme in ("sqlite", "postgres", "postgresql"):
        return None
    return f"expected sqlite:///PATH or postgresql://USER@HOST/DB, got {shown(value)}"


def _web_url(value: str) -> str | None:
    if not value:
        return None
    parsed = urllib.parse.urlsplit(value)
    if parsed.scheme not in ("http", "https") or not parsed.hostname or parsed.query \
            or parsed.fragment or len(value) > 200:
        return f"expected an address such as https://members.example.com, got {shown(value)}"
    return None


def _address(value: str) -> str | None:
    if not value:
        return None
    try:
        email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        return f"expected an e-mail address such as shop@example.com, got {shown(value)} ({exc})"
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
                f"text={{text}}, got {shown(value)}")
    return _placeholders(value)[1]


def _sms_body(value: str) -> str | None:
    return chars(2000, blank=True)(value) or _placeholders(value)[1]


def _header(value: str) -> str | None:
    if not value:
        return None
    name, colon, rest = value.partition(":")
    if not colon or not re.fullmatch(r"[A-Za-z0-9-]{1,64}", name) or not rest.strip() \
            or "\n" in value or "\r" in value or len(value) > 2000:
        return f"expected one header such as \"Authorization: Bearer KEY\", got {shown(value)}"
    return None


def _columns(value: int) -> str | None:
    return None if value == 0 or 16 <= value <= 96 else \
        f"expected 0 (from the paper width) or 16 to 96, got {value}"


CHECKS: dict[str, dict[str, Check]] = {
    "store": {"store_id": _identifier, "terminal_id": _identifier, "name": chars(200),
              "address": chars(200, blank=True), "phone": chars(40, blank=True),
              "currency": _currency, "phone_region": _region, "language": one_of(*LANGUAGES)},
    "database": {"url": _database_url},
    "printer": {"connection": chars(200), "profile": chars(64), "encoding": chars(32),
                "paper_mm": one_of(80, 58), "columns": _columns},
    "camera": {"source": chars(1000), "width": between(16, 8192),
               "height": between(16, 8192), "fps": between(1, 240),
               "backend": one_of("zxing", "pyzbar"),
               "hold_seconds": between(0, 60, "a number of seconds")},
    "display": {"screen": chars(100, blank=True)},
    "web": {"local_url": _web_url, "public_url": _web_url},
    "coupons": {"valid_days": between(1, 3650), "next_visit_template": chars(32, blank=True)},
    "backup": {"keep_days": between(1, 3650)},
    "email": {"host": chars(253, blank=True), "port": between(1, 65535),
              "security": one_of("starttls", "ssl", "none"), "username": chars(200, blank=True),
              "password": chars(200, blank=True), "from_address": _address,
              "timeout_seconds": between(1, 600)},
    "sms": {"url": _sms_url, "method": one_of("GET", "POST"), "body": _sms_body,
            "content_type": chars(100), "header": _header, "username": chars(200, blank=True),
            "password": chars(200, blank=True), "timeout_seconds": between(1, 600)},
    "messages": {"daily_limit": between(1, 100), "max_attempts": between(1, 50),
                 "retry_minutes": between(1, 1440), "expiry_warning_days": between(1, 365)},
    # the programme's sections ([[tiers]], [tier_rules], [points], ...) have no checks here:
    # their rules check themselves (core.rules), for the file, the database and the tab alike
}

class _Reader(ProgrammeReader):
    """Turns parsed TOML into settings, noting every value it cannot use."""

    checks = CHECKS

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


def _store_money(currency: str) -> Callable[[Any], tuple[Any, str | None]]:
    def convert(value: Any) -> tuple[Any, str | None]:
        _, error = read_amount(value, currency)
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
