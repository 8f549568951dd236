"""Typed settings with every default in one place (core.settings_file reads them from a
TOML file).

The file is found at ``--config``, else ``$MEMBER_TERMINAL_CONFIG``, else
``<user config dir>/member-terminal/config.toml``. Data (the SQLite file, backups) lives in
``$MEMBER_TERMINAL_DATA`` or the user data dir. Money in the file is written in major units
("2000" or "12.50"); the program keeps it in minor units.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from .rules import (
    Programme,
)

APP = "member-terminal"
CONFIG_ENV = "MEMBER_TERMINAL_CONFIG"
# ``bench --startup``: the window started with these times itself and writes the figures
# to the file named (terminal/ui/startup_probe.py); a shop never sets them
STARTUP_PROBE_ENV = "MEMBER_TERMINAL_STARTUP_PROBE"  # the file for the figures (JSON)
STARTUP_LAUNCHED_ENV = "MEMBER_TERMINAL_STARTUP_LAUNCHED"  # time.time() at the launch
DATA_ENV = "MEMBER_TERMINAL_DATA"
LANGUAGES = ("en", "zh_CN")


# a bad value here falls back for that key alone
DEVICE_SECTIONS = ("printer", "camera", "display")
SECTIONS = ("store", "database", *DEVICE_SECTIONS, "web", "coupons", "backup", "email", "sms",
            "messages", "points", "tiers", "tier_rules", "stored_value", "referral",
            "receipt")
IDENTIFIER = re.compile(r"[A-Za-z0-9-]{1,32}")  # store and terminal ids: written with every row


@dataclass(frozen=True)
class Problem:
    """One value of the settings file the program cannot use, and where it is."""

    where: str  # "[printer] paper_mm", "[[tiers]] #2 threshold"; "" for the file itself
    message: str
    file: Path | None = None
    line: int | None = None  # found by scanning the text: tomllib gives no positions
    column: int | None = None
    fallback: str | None = None  # a device setting: what the program does instead
    # the problem in a sentence that names its setting (a Phrase, translated for a reader
    # who never sees the file's keys: the programme tab); None: ``message`` does
    said: str | None = None

    @property
    def place(self) -> str:
        place = str(self.file) if self.file else ""
        if self.line:
            place += f"{', ' if place else ''}line {self.line}"
            place += f", column {self.column}" if self.column else ""
        return place

    def __str__(self) -> str:
        text = ": ".join(part for part in (self.place, self.where, self.message) if part)
        return f"{text}; {self.fallback}" if self.fallback else text


class SettingsError(ValueError):
    """The settings file is missing, unreadable or holds values the program cannot use;
    ``problems`` lists every one of them (device settings' too)."""

    def __init__(self, problems: str | Problem | list[Problem]) -> None:
        if isinstance(problems, str):
            problems = Problem("", problems)
        self.problems = tuple(problems) if isinstance(problems, list) else (problems,)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class StoreSettings:
    store_id: str = "S001"
    terminal_id: str = "T01"
    name: str = "Member Terminal Demo Store"
    address: str = ""
    phone: str = ""
    currency: str = "CNY"
    phone_region: str = "CN"  # default region for phone numbers typed without +country
    language: str = "en"
    # a price change or line discount worth more than this, on one sale, needs a manager
    discount_limit: str = "20.00"


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = ""  # empty: a SQLite file in the data dir


@dataclass(frozen=True)
class PrinterSettings:
    connection: str = "dummy"  # dummy | file:PATH | network:HOST:PORT | usb:VID:PID | ...
    profile: str = "default"
    encoding: str = "GB18030"
    paper_mm: int = 80
    columns: int = 0  # 0: from the paper width (48 for 80 mm, 32 for 58 mm)
    cash_drawer: bool = True
    # false: the printer never answers status requests (DLE EOT); its jobs show as "sent"
    reports_status: bool = True


@dataclass(frozen=True)
class CameraSettings:
    source: str = "0"  # camera index, device path, video file, image folder or URL
    width: int = 1280
    height: int = 720
    fps: int = 30
    backend: str = "zxing"  # zxing | pyzbar | auto (zxing, then a second pass)
    hold_seconds: float = 2.0


@dataclass(frozen=True)
class DisplaySettings:
    """The customer display: a second window, on the screen facing the customer."""

    enabled: bool = False
    # the screen: its number (1 is the first) or its name as the system gives it ("HDMI-1");
    # empty: the second screen, or the only one
    screen: str = ""
    full_screen: bool = True


@dataclass(frozen=True)
class WebSettings:
    """Where the member's page (``member-terminal serve``) is reached."""

    # on the shop's network (the customer display's QR to join): http://192.168.1.20:8080
    local_url: str = ""
    # where the shop or chain publishes it behind TLS, for links that leave the shop
    # (a receipt read at home, an e-mail): https://members.example.com
    public_url: str = ""


@dataclass(frozen=True)
class CouponSettings:
    valid_days: int = 30
    next_visit_template: str = "NEXTVISIT"  # issued automatically at checkout, if active


@dataclass(frozen=True)
class BackupSettings:
    auto: bool = True  # a dated copy of the SQLite database once a day, at the counter's start
    folder: str = ""  # empty: the "backups" folder in the data dir
    keep_days: int = 14  # dated copies older than this are deleted

    def path(self) -> Path:
        return Path(self.folder) if self.folder else data_dir() / "backups"


@dataclass(frozen=True)
class EmailSettings:
    """The SMTP server the messages members agreed to are sent through (services.messages);
    no host: no e-mail."""

    host: str = ""
    port: int = 587
    security: str = "starttls"  # starttls | ssl (SMTP over TLS, port 465) | none
    username: str = ""  # empty: the server takes mail without logging in
    password: str = ""
    from_address: str = ""  # shop@example.com: the sender, with the shop's name
    timeout_seconds: int = 30

    @property
    def configured(self) -> bool:
        return bool(self.host and self.from_address)


@dataclass(frozen=True)
class SmsSettings:
    """An SMS gateway reached over HTTP: ``url`` (and ``body`` for a POST) with the
    placeholders {phone} (E.164), {text} and {id} (the message's, for a gateway that drops
    repeats), each URL-encoded; no url: no SMS."""

    url: str = ""  # https://sms.example.com/send?to={phone}&text={text}
    method: str = "GET"  # GET | POST
    body: str = ""  # a POST's form: to={phone}&message={text}
    content_type: str = "application/x-www-form-urlencoded"
    header: str = ""  # one more request header, e.g. "Authorization: Bearer KEY"
    username: str = ""  # HTTP basic authentication, if given
    password: str = ""
    timeout_seconds: int = 30

    @property
    def configured(self) -> bool:
        return bool(self.url)


@dataclass(frozen=True)
class MessagesSettings:
    """What the outbox sends and how (services.messages)."""

    daily_limit: int = 2  # messages a member gets in a day at most; the rest wait a day
    max_attempts: int = 5  # tries of a message the server turned away for now
    retry_minutes: int = 5  # the first wait after such a try; doubled each time
    expiry_warning_days: int = 14  # points that expire this soon are a reason to write
    points_expiring: bool = True  # the kinds ``messages queue`` makes
    birthday: bool = True
    tier_change: bool = True


@dataclass(frozen=True)
class Settings:
    store: StoreSettings = field(default_factory=StoreSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    camera: CameraSettings = field(default_factory=CameraSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    web: WebSettings = field(default_factory=WebSettings)
    coupons: CouponSettings = field(default_factory=CouponSettings)
    backup: BackupSettings = field(default_factory=BackupSettings)
    email: EmailSettings = field(default_factory=EmailSettings)
    sms: SmsSettings = field(default_factory=SmsSettings)
    messages: MessagesSettings = field(default_factory=MessagesSettings)
    programme: Programme = field(default_factory=Programme)
    source: Path | None = None  # the file these came from
    # device settings that were not usable and fell back to their defaults: the counter's
    # window and every command say so
    warnings: tuple[Problem, ...] = ()
    # the programme's sections and keys the file names ("points", "points.earn_per_unit"):
    # the rules live in the database, which takes them from the file once
    # (services.programme.adopt) and ignores them afterwards
    programme_keys: frozenset[str] = frozenset()

    @property
    def currency(self) -> str:
        return self.store.currency

    def database_url(self) -> str:
        return self.database.url or f"sqlite:///{data_dir() / 'member-terminal.sqlite'}"


def data_dir() -> Path:
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / "config.toml"
