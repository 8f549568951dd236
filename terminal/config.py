"""Typed settings with every default in one place, read from a TOML file.

The file is found at ``--config``, else ``$MEMBER_TERMINAL_CONFIG``, else
``<user config dir>/member-terminal/config.toml``. Data (the SQLite file, backups) lives in
``$MEMBER_TERMINAL_DATA`` or the user data dir. Money in the file is written in major units
("2000" or "12.50"); the program keeps it in minor units.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import platformdirs

from . import money
from .loyalty.rules import (
    PointsRules,
    Programme,
    ReferralRules,
    StoredValueRules,
    Tier,
    TierRules,
    TopUpBonus,
)

APP = "member-terminal"
CONFIG_ENV = "MEMBER_TERMINAL_CONFIG"
DATA_ENV = "MEMBER_TERMINAL_DATA"
LANGUAGES = ("en", "zh_CN")


class SettingsError(ValueError):
    """The settings file is unreadable or holds a value the program cannot use."""


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
    backend: str = "zxing"  # zxing | pyzbar
    hold_seconds: float = 2.0


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
class Settings:
    store: StoreSettings = field(default_factory=StoreSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    camera: CameraSettings = field(default_factory=CameraSettings)
    coupons: CouponSettings = field(default_factory=CouponSettings)
    backup: BackupSettings = field(default_factory=BackupSettings)
    programme: Programme = field(default_factory=Programme)
    source: Path | None = None  # the file these came from

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


def _money(value: Any, where: str, currency: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise SettingsError(f"{where}: expected an amount such as \"12.50\", got {value!r}")
    try:
        amount = money.parse(str(value) if isinstance(value, float) else value, currency)
    except money.MoneyError as exc:
        raise SettingsError(f"{where}: {exc}") from None
    if amount < 0:
        raise SettingsError(f"{where}: must not be negative, got {value!r}")
    return amount


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool):
        raise SettingsError(f"{where}: expected a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise SettingsError(f"{where}: expected a number, got {value!r}") from None
    if not number.is_finite():  # nan and inf would only fail later, far from the file
        raise SettingsError(f"{where}: expected a number, got {value!r}")
    return number


def _simple(cls: type, table: Any, where: str) -> Any:
    """Fill a dataclass of plain fields from a TOML table, checking names and types."""
    if not isinstance(table, dict):
        raise SettingsError(f"[{where}] must be a table")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise SettingsError(f"[{where}]: unknown setting(s) {', '.join(unknown)}")
    defaults = cls()
    values = {}
    for name, value in table.items():
        expected = type(getattr(defaults, name))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
            raise SettingsError(
                f"[{where}] {name}: expected {expected.__name__}, got {value!r}")
        values[name] = value
    return cls(**values)


def _points(table: Any, currency: str) -> PointsRules:
    if not isinstance(table, dict):
        raise SettingsError("[points] must be a table")
    d = PointsRules()
    known = {f.name for f in fields(PointsRules)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise SettingsError(f"[points]: unknown setting(s) {', '.join(unknown)}")
    kw: dict[str, Any] = {}
    for name, value in table.items():
        where = f"[points] {name}"
        default = getattr(d, name)
        if isinstance(default, Decimal):
            kw[name] = _decimal(value, where)
        elif name == "category_multipliers":
            if not isinstance(value, dict):
                raise SettingsError(f"{where}: expected a table such as {{ drinks = 2 }}")
            kw[name] = {str(k): _decimal(v, f"{where}.{k}") for k, v in value.items()}
        elif name == "member_days":
            if not isinstance(value, list) or not all(
                    isinstance(v, int) and not isinstance(v, bool) for v in value):
                raise SettingsError(f"{where}: expected a list of weekdays 0-6")
            kw[name] = tuple(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise SettingsError(f"{where}: expected true or false")
            kw[name] = value
        elif isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, int):
                raise SettingsError(f"{where}: expected a whole number")
            kw[name] = value
        else:
            kw[name] = str(value)
    try:
        return PointsRules(**kw)
    except ValueError as exc:
        raise SettingsError(f"[points]: {exc}") from None


def _tiers(items: Any, extra: dict[str, Any], currency: str) -> TierRules:
    if not isinstance(items, list) or not items:
        raise SettingsError("[[tiers]]: expected at least one tier")
    tiers = []
    for i, item in enumerate(items, start=1):
        where = f"[[tiers]] #{i}"
        if not isinstance(item, dict) or "code" not in item:
            raise SettingsError(f"{where}: each tier needs a code")
        for key in ("code", "name"):
            if key in item and (not isinstance(item[key], str) or not item[key].strip()):
                raise SettingsError(f"{where} {key}: expected text, got {item[key]!r}")
        unknown = sorted(set(item) - {"code", "name", "threshold", "discount_percent",
                                      "points_multiplier"})
        if unknown:
            raise SettingsError(f"{where}: unknown setting(s) {', '.join(unknown)}")
        tiers.append(Tier(
            code=str(item["code"]), name=str(item.get("name", item["code"])),
            threshold=_money(item.get("threshold", 0), f"{where} threshold", currency),
            discount_percent=_decimal(item.get("discount_percent", 0), f"{where} discount"),
            points_multiplier=_decimal(item.get("points_multiplier", 1),
                                       f"{where} points_multiplier")))
    try:
        return TierRules(tuple(tiers), **extra)
    except (ValueError, TypeError) as exc:
        raise SettingsError(f"[[tiers]]: {exc}") from None


def _stored_value(table: Any, currency: str) -> StoredValueRules:
    if not isinstance(table, dict):
        raise SettingsError("[stored_value] must be a table")
    d = StoredValueRules()
    kw: dict[str, Any] = {}
    for name, value in table.items():
        if name == "bonuses":
            shape = "{ min_paid = \"100\", bonus = \"20\" }"
            if not isinstance(value, list) or not all(
                    isinstance(b, dict) and set(b) == {"min_paid", "bonus"} for b in value):
                raise SettingsError(f"[stored_value] bonuses: expected a list of {shape}")
            kw["bonuses"] = tuple(
                TopUpBonus(_money(b["min_paid"], "[stored_value] bonuses min_paid", currency),
                           _money(b["bonus"], "[stored_value] bonuses bonus", currency))
                for b in value)
        elif name in ("min_top_up", "max_balance"):
            kw[name] = _money(value, f"[stored_value] {name}", currency)
        else:
            raise SettingsError(f"[stored_value]: unknown setting {name}")
    try:
        return replace(d, **kw)
    except ValueError as exc:
        raise SettingsError(f"[stored_value]: {exc}") from None


def from_dict(data: dict[str, Any], source: Path | None = None) -> Settings:
    """Settings from parsed TOML; raise SettingsError naming the first bad value."""
    known = {"store", "database", "printer", "camera", "coupons", "backup", "points", "tiers",
             "tier_rules", "stored_value", "referral"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingsError(f"unknown section(s): {', '.join(unknown)}")
    store = _simple(StoreSettings, data.get("store", {}), "store")
    try:
        money.minor_digits(store.currency)
    except money.MoneyError as exc:
        raise SettingsError(f"[store] currency: {exc}") from None
    try:
        money.parse(store.discount_limit, store.currency)
    except money.MoneyError as exc:
        raise SettingsError(f"[store] discount_limit: {exc}") from None
    if store.language not in LANGUAGES:
        raise SettingsError(f"[store] language: expected one of {', '.join(LANGUAGES)}")
    cur = store.currency
    tier_extra = _simple(_TierExtra, data.get("tier_rules", {}), "tier_rules")
    if "tiers" in data:
        tiers = _tiers(data["tiers"], vars(tier_extra), cur)
    else:
        try:
            tiers = TierRules(**vars(tier_extra))
        except ValueError as exc:
            raise SettingsError(f"[tier_rules]: {exc}") from None
    backup = _simple(BackupSettings, data.get("backup", {}), "backup")
    if backup.keep_days < 1:
        raise SettingsError("[backup] keep_days: keep at least 1 day")
    referral = data.get("referral", {})
    if not isinstance(referral, dict):
        raise SettingsError("[referral] must be a table")
    programme = Programme(
        currency=cur,
        tiers=tiers,
        points=_points(data.get("points", {}), cur),
        stored_value=_stored_value(data.get("stored_value", {}), cur),
        referral=ReferralRules(**{k: _whole(v, f"[referral] {k}") for k, v in referral.items()
                                  if _known(k, ReferralRules, "referral")}),
    )
    return Settings(
        store=store,
        database=_simple(DatabaseSettings, data.get("database", {}), "database"),
        printer=_simple(PrinterSettings, data.get("printer", {}), "printer"),
        camera=_simple(CameraSettings, data.get("camera", {}), "camera"),
        coupons=_simple(CouponSettings, data.get("coupons", {}), "coupons"),
        backup=backup,
        programme=programme,
        source=source,
    )


@dataclass(frozen=True)
class _TierExtra:
    window_days: int = 365
    hold_days: int = 365


def _known(name: str, cls: type, where: str) -> bool:
    if name not in {f.name for f in fields(cls)}:
        raise SettingsError(f"[{where}]: unknown setting {name}")
    return True


def _whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SettingsError(f"{where}: expected a whole number")
    return value


def load(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read the settings file; a missing file gives the defaults."""
    target = config_path(path)
    if not target.exists():
        if path or os.environ.get(CONFIG_ENV):
            raise SettingsError(f"settings file {target} does not exist")
        return Settings(source=None)
    try:
        with target.open("rb") as fh:
            data = tomllib.load(fh)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{target}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise SettingsError(f"{target}: cannot be read: {exc}") from None
    try:
        return from_dict(data, target)
    except SettingsError as exc:
        raise SettingsError(f"{target}: {exc}") from None


def load_or_defaults(path: str | os.PathLike[str] | None = None) -> tuple[Settings, str | None]:
    """Settings and a warning: a broken file gives safe defaults and says why."""
    try:
        return load(path), None
    except SettingsError as exc:
        return Settings(), f"{exc} — starting with default settings"
