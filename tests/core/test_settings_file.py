"""terminal.core.config: settings from a TOML file, with defaults, strict names and types."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import platformdirs
import pytest

from terminal.core import config, settings_file
from terminal.core.config import Settings, SettingsError
from terminal.core.rules import DEFAULT_TIERS, Programme, TopUpBonus

FULL = """
[store]
store_id = "S042"
terminal_id = "T07"
name = "小店 Corner Café"
address = "1 Main St"
phone = "+86 10 1234 5678"
currency = "CNY"
phone_region = "CN"
language = "zh_CN"

[database]
url = "postgresql://pos@db.example/pos"

[printer]
connection = "network:192.168.1.50:9100"
profile = "TM-T88V"
encoding = "GB18030"
paper_mm = 58
columns = 32
cash_drawer = false

[camera]
source = "/dev/video2"
width = 640
height = 480
fps = 15
backend = "pyzbar"
hold_seconds = 3

[coupons]
valid_days = 14
next_visit_template = "NEXT10"

[points]
earn_per_unit = 2
category_multipliers = { drinks = 2, care = "1.5" }
member_days = [2, 5]
member_day_multiplier = 3
birthday_multiplier = "2.5"
birthday_window = "week"
earn_on_points_paid = true
earn_on_stored_value_paid = false
redeem_points_per_unit = 150
redeem_min_points = 300
redeem_max_share_percent = 30
expiry_months = 12

[tier_rules]
window_days = 180
hold_days = 90

[[tiers]]
code = "basic"
name = "Basic"
threshold = 0

[[tiers]]
code = "vip"
name = "VIP"
threshold = "2000"
discount_percent = "7.5"
points_multiplier = 1.5

[[tiers]]
code = "svip"
threshold = 12.50
discount_percent = 10
points_multiplier = 2

[stored_value]
bonuses = [{ min_paid = "100", bonus = "20" }, { min_paid = 500, bonus = "150.50" }]
min_top_up = "50"
max_balance = 20000

[referral]
referrer_points = 800
referee_points = 0
"""


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str) -> Settings:
    return settings_file.load(write(tmp_path, text))


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(config.CONFIG_ENV, raising=False)
    monkeypatch.delenv(config.DATA_ENV, raising=False)


# --- defaults --------------------------------------------------------------------------


def test_missing_file_named_by_the_environment_is_an_error(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    monkeypatch.setenv(config.CONFIG_ENV, str(tmp_path / "absent.toml"))
    with pytest.raises(config.SettingsError, match=r"absent\.toml does not exist"):
        settings_file.load()


def test_missing_default_file_gives_defaults(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    monkeypatch.delenv(config.CONFIG_ENV, raising=False)
    monkeypatch.setattr(config.platformdirs, "user_config_dir",
                        lambda *a, **k: str(tmp_path / "cfg"))
    settings = settings_file.load()
    assert settings == Settings()
    assert settings.source is None
    assert settings.currency == "CNY"
    assert settings.programme == Programme()
    assert settings.programme.tiers.tiers == DEFAULT_TIERS


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(SettingsError, match=f"settings file {missing} does not exist"):
        settings_file.load(missing)


def test_empty_file_gives_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    settings = settings_file.load(path)
    assert settings == Settings(source=path)


def test_defaults() -> None:
    s = Settings()
    assert s.store.store_id == "S001"
    assert s.store.language == "en"
    assert s.printer.paper_mm == 80
    assert s.printer.cash_drawer is True
    assert s.camera.hold_seconds == 2.0
    assert s.coupons.valid_days == 30
    assert s.programme.points.redeem_points_per_unit == 100
    assert s.programme.stored_value.bonuses == (TopUpBonus(10_000, 2_000),
                                                TopUpBonus(50_000, 15_000))


# --- every section ---------------------------------------------------------------------


def test_every_section_parsed(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    s = settings_file.load(path)
    assert s.source == path
    assert s.store.store_id == "S042"
    assert s.store.terminal_id == "T07"
    assert s.store.name == "小店 Corner Café"
    assert s.store.language == "zh_CN"
    assert s.currency == "CNY"
    assert s.database.url == "postgresql://pos@db.example/pos"
    assert s.database_url() == "postgresql://pos@db.example/pos"
    assert s.printer.connection == "network:192.168.1.50:9100"
    assert s.printer.profile == "TM-T88V"
    assert s.printer.paper_mm == 58
    assert s.printer.columns == 32
    assert s.printer.cash_drawer is False
    assert s.camera.source == "/dev/video2"
    assert (s.camera.width, s.camera.height, s.camera.fps) == (640, 480, 15)
    assert s.camera.backend == "pyzbar"
    assert s.camera.hold_seconds == 3.0 and isinstance(s.camera.hold_seconds, float)
    assert s.coupons.valid_days == 14
    assert s.coupons.next_visit_template == "NEXT10"

    p = s.programme.points
    assert p.earn_per_unit == Decimal(2)
    assert p.category_multipliers == {"drinks": Decimal(2), "care": Decimal("1.5")}
    assert p.member_days == (2, 5)
    assert p.member_day_multiplier == Decimal(3)
    assert p.birthday_multiplier == Decimal("2.5")
    assert p.birthday_window == "week"
    assert p.earn_on_points_paid is True
    assert p.earn_on_stored_value_paid is False
    assert p.redeem_points_per_unit == 150
    assert p.redeem_min_points == 300
    assert p.redeem_max_share_percent == Decimal(30)
    assert p.expiry_months == 12

    t = s.programme.tiers
    assert t.window_days == 180
    assert t.hold_days == 90
    # sorted by threshold, whatever the order in the file
    assert [(x.code, x.name, x.threshold) for x in t.tiers] == [
        ("basic", "Basic", 0),
        ("svip", "svip", 1250),  # 12.50 as a TOML float, name defaults to the code
        ("vip", "VIP", 200000),  # "2000" major units
    ]
    assert t.by_code("vip").discount_percent == Decimal("7.5")
    assert t.by_code("vip").points_multiplier == Decimal("1.5")
    assert t.by_code("svip").discount_percent == Decimal(10)
    assert t.by_code("basic").discount_percent == Decimal(0)
    assert t.by_code("basic").points_multiplier == Decimal(1)

    sv = s.programme.stored_value
    assert sv.bonuses == (TopUpBonus(10000, 2000), TopUpBonus(50000, 15050))
    assert sv.min_top_up == 5000
    assert sv.max_balance == 2_000_000
    assert s.programme.referral.referrer_points == 800
    assert s.programme.referral.referee_points == 0
    assert s.programme.currency == "CNY"


@pytest.mark.parametrize(("written", "expected"), [
    ('"2000"', 200000), ('"12.50"', 1250), ("2000", 200000), ("12.5", 1250),
    ('"1,000"', 100000), ('"¥3"', 300), ("0", 0),
])
def test_money_in_major_units(tmp_path: Path, written: str, expected: int) -> None:
    s = load_text(tmp_path, f"[stored_value]\nmin_top_up = {written}\n")
    assert s.programme.stored_value.min_top_up == expected


def test_money_follows_the_store_currency(tmp_path: Path) -> None:
    s = load_text(tmp_path, '[store]\ncurrency = "JPY"\n[stored_value]\nmin_top_up = 1000\n')
    assert s.programme.currency == "JPY"
    assert s.programme.stored_value.min_top_up == 1000
    with pytest.raises(SettingsError, match=r"\[stored_value\] min_top_up: .*decimal places"):
        load_text(tmp_path, '[store]\ncurrency = "JPY"\n[stored_value]\nmin_top_up = "10.5"\n')


@pytest.mark.parametrize(("written", "message"), [
    ('"12.505"', "more than 2 decimal places"),
    ('"abc"', "not an amount"),
    ("true", "expected an amount"),
    ("[1]", "expected an amount"),
    ('"-5"', "must not be negative"),  # used to be accepted
    ("-5", "must not be negative"),
    ("nan", "not an amount"),
    ("inf", "not an amount"),
])
def test_bad_money(tmp_path: Path, written: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message) as info:
        load_text(tmp_path, f"[stored_value]\nmax_balance = {written}\n")
    assert "[stored_value] max_balance" in str(info.value)


# --- unknown names ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "named"), [
    ("[shop]\nname = 'x'\n", "line 1: [shop]: unknown section"),
    ("colour = 'red'\n", "line 1: [colour]: unknown section"),
    ("[store]\nnmae = 'x'\n", "line 2: [store] nmae: unknown setting"),
    ("[databse]\nurl = 'sqlite:///x'\n", "line 1: [databse]: unknown section"),
    ("[database]\nhost = 'x'\n", "line 2: [database] host: unknown setting"),
    ("[coupons]\nvalid = 1\n", "line 2: [coupons] valid: unknown setting"),
    ("[points]\nearn_rate = 1\n", "line 2: [points] earn_rate: unknown setting"),
    ("[tier_rules]\nwindow = 1\n", "line 2: [tier_rules] window: unknown setting"),
    ("[[tiers]]\ncode = 'a'\nlimit = 1\n", "line 3: [[tiers]] #1 limit: unknown setting"),
    ("[stored_value]\nbonus = 1\n", "line 2: [stored_value] bonus: unknown setting"),
    ("[referral]\nfriend_points = 1\n", "line 2: [referral] friend_points: unknown setting"),
    ("[backup]\nkeep = 3\n", "line 2: [backup] keep: unknown setting"),
    ("[stored_value]\nbonuses = [{ min_paid = 1, bonus = 1, extra = 1 }]\n",
     "line 2: [stored_value] bonuses: expected a list of"),
])
def test_unknown_names_refused(tmp_path: Path, text: str, named: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as info:
        settings_file.load(path)
    assert f"{path}, {named}" in str(info.value)  # the file, the line and the key


def test_every_unknown_name_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as info:
        load_text(tmp_path, "[shop]\n[tills]\n[store]\nnmae = 'x'\n")
    assert [(p.where, p.line) for p in info.value.problems] == [
        ("[shop]", 1), ("[tills]", 2), ("[store] nmae", 4)]


@pytest.mark.parametrize(("text", "named"), [
    ("[printer]\npaper = 58\n", "line 2: [printer] paper: unknown setting"),
    ("[camera]\nfocus = 1\n", "line 2: [camera] focus: unknown setting"),
    ("printer = 5\n", "line 1: [printer]: expected a table"),
])
def test_unknown_device_names_are_ignored_and_reported(tmp_path: Path, text: str,
                                                       named: str) -> None:
    s = load_text(tmp_path, text)
    assert (s.printer, s.camera) == (Settings().printer, Settings().camera)
    assert [str(w).endswith("ignored until it is corrected") for w in s.warnings] == [True]
    assert named in str(s.warnings[0])


# --- wrong types and ranges: anything but a device setting stops the program -----------


@pytest.mark.parametrize(("text", "message"), [
    ("store = 5\n", r"line 1: \[store\]: expected a table"),
    ("[store]\nname = 5\n", r"\[store\] name: expected text in quotes, got 5$"),
    ("[store]\nname = ''\n", r"\[store\] name: expected text, got an empty value"),
    ("[store]\ncurrency = 'XXX'\n", r"\[store\] currency: expected a currency code"),
    ("[store]\nlanguage = 'fr'\n", r'\[store\] language: expected one of "en", "zh_CN"'),
    ("[store]\nterminal_id = 'T 01'\n", r"\[store\] terminal_id: expected 1 to 32 letters"),
    ("[store]\nterminal_id = ''\n", r"\[store\] terminal_id: expected 1 to 32 letters"),
    (f"[store]\nterminal_id = '{'T' * 33}'\n", r"\[store\] terminal_id: expected 1 to 32"),
    ("[store]\nstore_id = 'S/1'\n", r"\[store\] store_id: expected 1 to 32 letters"),
    ("[store]\nphone_region = 'XX'\n", r"\[store\] phone_region: expected a region code"),
    ("[store]\nphone_region = 'cn'\n", r'phone_region: .*write it in capitals: "CN"'),
    ("[store]\nphone_region = 86\n", r"\[store\] phone_region: expected text in quotes"),
    ("[store]\ndiscount_limit = '-1'\n", r"\[store\] discount_limit: must not be negative"),
    ("[store]\ndiscount_limit = 'lots'\n", r"\[store\] discount_limit: not an amount"),
    ("[store]\ndiscount_limit = true\n", r"\[store\] discount_limit: expected an amount"),
    ("[database]\nurl = ['x']\n", r"\[database\] url: expected text in quotes"),
    ("[database]\nurl = 'mysql://x'\n", r"\[database\] url: expected sqlite:///PATH or"),
    ("[coupons]\nvalid_days = '30'\n", r"\[coupons\] valid_days: expected a whole number"),
    ("[coupons]\nvalid_days = 0\n", r"\[coupons\] valid_days: expected a whole number from 1"),
    ("[backup]\nkeep_days = 0\n", r"\[backup\] keep_days: expected a whole number from 1"),
    ("[backup]\nauto = 'yes'\n", r"\[backup\] auto: expected true or false"),
])
def test_wrong_types_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message) as info:
        load_text(tmp_path, text)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].fallback is None  # nothing falls back: the program stops


@pytest.mark.parametrize(("text", "message", "default"), [
    ("[printer]\npaper_mm = '80'\n", 'line 2: [printer] paper_mm: expected a whole number, '
                                     'got "80"', ("printer", "paper_mm", 80)),
    ("[printer]\npaper_mm = 80.0\n", "paper_mm: expected a whole number, got 80.0",
     ("printer", "paper_mm", 80)),
    ("[printer]\npaper_mm = 76\n", "paper_mm: expected one of 80, 58, got 76",
     ("printer", "paper_mm", 80)),
    ("[printer]\ncolumns = 5\n", "columns: expected 0 (from the paper width) or 16 to 96",
     ("printer", "columns", 0)),
    ("[printer]\ncash_drawer = 1\n", "cash_drawer: expected true or false, got 1",
     ("printer", "cash_drawer", True)),
    ("[printer]\nconnection = ''\n", "connection: expected text, got an empty value",
     ("printer", "connection", "dummy")),
    ("[camera]\nhold_seconds = '2'\n", 'hold_seconds: expected a number, got "2"',
     ("camera", "hold_seconds", 2.0)),
    ("[camera]\nhold_seconds = -1\n", "hold_seconds: expected a number of seconds from 0",
     ("camera", "hold_seconds", 2.0)),
    ("[camera]\nsource = 0\n", "[camera] source: expected text in quotes, got 0",
     ("camera", "source", "0")),
    ("[camera]\nfps = 0\n", "[camera] fps: expected a whole number from 1 to 240",
     ("camera", "fps", 30)),
    ("[camera]\nbackend = 'zbar'\n", '[camera] backend: expected one of "zxing", "pyzbar"',
     ("camera", "backend", "zxing")),
])
def test_a_bad_device_setting_falls_back_for_that_key_alone(
        tmp_path: Path, text: str, message: str, default: tuple[str, str, object]) -> None:
    section, key, value = default
    other = "width = 640" if section == "camera" else "profile = 'TM-T88V'"
    s = load_text(tmp_path, f"{text}{other}\n[database]\nurl = 'sqlite:///shop.sqlite'\n")
    assert getattr(getattr(s, section), key) == value
    kept = ("width", 640) if section == "camera" else ("profile", "TM-T88V")
    assert getattr(getattr(s, section), kept[0]) == kept[1]  # the good key next to it stays
    assert s.database.url == "sqlite:///shop.sqlite"
    [warning] = s.warnings
    assert message in str(warning)
    assert str(warning).endswith("is used until it is corrected")


def test_every_bad_key_is_reported_with_file_and_line(tmp_path: Path) -> None:
    """The case from the issue: one typo must not move the sales to another database."""
    path = write(tmp_path, """# the shop
[database]
url = "postgresql://pos@db/pos"

[printer]
paper_mm = "80"    # a device: falls back

[store]
terminal_id = "TILL-ONE-AT-THE-FRONT-DOOR-NEAR-THE-WINDOW"
discount_limit = -5
phone_region = "ZZ"

[points]
redeem_max_share_percent = 150
""")
    with pytest.raises(SettingsError) as info:
        settings_file.load(path)
    found = [(p.file, p.line, p.where, p.fallback is not None) for p in info.value.problems]
    assert sorted(found, key=lambda x: x[1]) == [
        (path, 6, "[printer] paper_mm", True),
        (path, 9, "[store] terminal_id", False),
        (path, 10, "[store] discount_limit", False),
        (path, 11, "[store] phone_region", False),
        (path, 14, "[points] redeem_max_share_percent", False),
    ]
    text = str(info.value)
    assert f"{path}, line 9: [store] terminal_id: expected 1 to 32 letters" in text
    assert f"{path}, line 6: [printer] paper_mm: expected a whole number" in text


def test_lines_of_dotted_inline_and_quoted_keys(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as info:
        load_text(tmp_path, 'store.language = "fr"\n[backup]\n"keep_days" = 0\n'
                            '[[tiers]]\ncode = "a"\n[[tiers]]\ncode = "b"\nthreshold = "x"\n')
    assert sorted((p.line, p.where) for p in info.value.problems) == [
        (1, "[store] language"), (3, "[backup] keep_days"), (8, "[[tiers]] #2 threshold")]


def test_terminal_and_store_ids_of_32_characters_are_fine(tmp_path: Path) -> None:
    s = load_text(tmp_path, f"[store]\nterminal_id = '{'T-9' * 10}ab'\nstore_id = 'shop-2'\n"
                            "phone_region = 'HK'\ndiscount_limit = 50\n")
    assert len(s.store.terminal_id) == 32 and s.store.store_id == "shop-2"
    assert s.store.phone_region == "HK"
    assert s.store.discount_limit == "50"  # the services parse it with the store's currency


def test_from_dict_without_a_file() -> None:
    s = settings_file.from_dict({"store": {"currency": "USD"}})
    assert s.currency == "USD"
    assert s.programme.currency == "USD"
    assert s.source is None
    with pytest.raises(SettingsError, match="unknown section"):
        settings_file.from_dict({"x": {}})


# --- files that are not TOML -----------------------------------------------------------


@pytest.mark.parametrize("content", [
    b"[store\nname = 'x'\n",
    b"name = \n",
    b"this is not toml",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",  # not even UTF-8: used to escape as
                                                     # UnicodeDecodeError
])
def test_not_toml(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.toml"
    path.write_bytes(content)
    with pytest.raises(SettingsError, match="not valid TOML") as info:
        settings_file.load(path)
    assert str(path) in str(info.value)


def test_a_directory_is_not_a_settings_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot be read") as info:
        settings_file.load(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_toml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as info:
        load_text(tmp_path, "[store]\nname = 'ok'\n[printer\npaper_mm = 58\n")
    [problem] = info.value.problems
    assert (problem.line, problem.column) == (3, 9)
    assert str(problem).startswith(f"{tmp_path / 'config.toml'}, line 3, column 9: not valid TOML")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeff[store]\nname = 'Notepad'\n".encode())
    assert settings_file.load(path).store.name == "Notepad"


# --- paths -----------------------------------------------------------------------------


def test_config_path_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    default = Path(platformdirs.user_config_dir("member-terminal", appauthor=False))
    assert config.config_path() == default / "config.toml"
    assert config.config_path(None) == default / "config.toml"
    assert config.config_path("") == default / "config.toml"

    monkeypatch.setenv(config.CONFIG_ENV, str(tmp_path / "env.toml"))
    assert config.config_path() == tmp_path / "env.toml"
    assert config.config_path(tmp_path / "explicit.toml") == tmp_path / "explicit.toml"
    assert config.config_path(str(tmp_path / "explicit.toml")) == tmp_path / "explicit.toml"

    monkeypatch.setenv(config.CONFIG_ENV, "")
    assert config.config_path() == default / "config.toml"


def test_load_reads_the_env_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env_file = write(tmp_path, '[store]\nname = "From env"\n', "env.toml")
    explicit = write(tmp_path, '[store]\nname = "Explicit"\n', "explicit.toml")
    monkeypatch.setenv(config.CONFIG_ENV, str(env_file))
    assert settings_file.load().store.name == "From env"
    assert settings_file.load().source == env_file
    assert settings_file.load(explicit).store.name == "Explicit"


def test_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    default = Path(platformdirs.user_data_dir("member-terminal", appauthor=False))
    assert config.data_dir() == default
    monkeypatch.setenv(config.DATA_ENV, str(tmp_path / "data"))
    assert config.data_dir() == tmp_path / "data"


def test_database_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(config.DATA_ENV, str(tmp_path))
    assert Settings().database_url() == f"sqlite:///{tmp_path / 'member-terminal.sqlite'}"
    s = settings_file.from_dict({"database": {"url": "sqlite:////srv/pos.sqlite"}})
    assert s.database_url() == "sqlite:////srv/pos.sqlite"


def test_documented_example_file_loads_and_matches_the_defaults() -> None:
    """docs/config.example.toml documents every section; it must stay loadable."""
    example = Path(__file__).resolve().parents[2] / "docs" / "config.example.toml"
    settings = settings_file.load(example)
    defaults = Settings()
    assert settings.store == defaults.store
    assert (settings.email, settings.sms, settings.messages) == (
        defaults.email, defaults.sms, defaults.messages)
    assert settings.programme.tiers == defaults.programme.tiers
    assert settings.programme.stored_value == defaults.programme.stored_value
    assert settings.programme.points.member_days == (2,)
    assert settings.programme.points.category_multipliers == {"drinks": Decimal("1.5")}


def test_backup_settings(tmp_path) -> None:
    from terminal.core import config

    s = settings_file.from_dict({"backup": {"folder": str(tmp_path / "b"), "keep_days": 3,
                                     "auto": False}})
    assert (s.backup.auto, s.backup.keep_days, s.backup.path()) == (False, 3, tmp_path / "b")
    assert config.Settings().backup.path() == config.data_dir() / "backups"
    with pytest.raises(config.SettingsError, match=r"\[backup\] keep_days: expected a whole"):
        settings_file.from_dict({"backup": {"keep_days": 0}})
    with pytest.raises(config.SettingsError, match="unknown setting"):
        settings_file.from_dict({"backup": {"keep": 3}})


def test_the_default_tiers_have_chinese_names(tmp_path: Path) -> None:
    tiers = load_text(tmp_path, "[store]\nlanguage = 'zh_CN'\n").programme.tiers.tiers
    assert [t.name for t in tiers] == ["普通会员", "银卡", "金卡", "白金卡"]


def test_the_customer_display_and_the_web_addresses_are_read_and_checked(tmp_path) -> None:
    settings = load_text(tmp_path, '[display]\nenabled = true\nscreen = "HDMI-1"\n'
                                   '[web]\nlocal_url = "http://192.168.1.20:8080"\n'
                                   'public_url = "https://members.example.com"\n')
    assert settings.display == config.DisplaySettings(True, "HDMI-1", True)
    assert settings.web.local_url == "http://192.168.1.20:8080"
    # a device setting falls back, said so; a wrong address stops the program
    settings = load_text(tmp_path, "[display]\nenabled = true\nscreen = 2\n")
    assert settings.display.screen == "" and "[display] screen" in str(settings.warnings[0])
    for bad in ("members.example.com", "ftp://x.example.com", "https://x.example.com/?a=1"):
        with pytest.raises(SettingsError, match=r"\[web\] public_url: expected an address"):
            load_text(tmp_path, f'[web]\npublic_url = "{bad}"\n')


MESSAGING = """
[web]
public_url = "https://members.example.com"

[email]
host = "smtp.example.com"
port = 465
security = "ssl"
username = "shop"
password = "secret"
from_address = "shop@example.com"
timeout_seconds = 10

[sms]
url = "https://sms.example.com/send?to={phone}&id={id}"
method = "POST"
body = "message={text}"
header = "Authorization: Bearer KEY"
username = "u"
password = "p"

[messages]
daily_limit = 1
max_attempts = 3
retry_minutes = 2
expiry_warning_days = 7
birthday = false
"""


def test_the_messages_sections_are_read(tmp_path: Path) -> None:
    settings = load_text(tmp_path, MESSAGING)
    assert settings.email == config.EmailSettings(
        "smtp.example.com", 465, "ssl", "shop", "secret", "shop@example.com", 10)
    assert settings.email.configured and settings.sms.configured
    assert settings.sms.url.endswith("{id}") and settings.sms.method == "POST"
    assert settings.sms.header == "Authorization: Bearer KEY"
    assert settings.messages == config.MessagesSettings(1, 3, 2, 7, True, False, True)
    # without the sections nothing is sent, and the defaults hold
    plain = load_text(tmp_path, "")
    assert not plain.email.configured and not plain.sms.configured
    assert plain.messages.daily_limit == 2 and plain.email.security == "starttls"


@pytest.mark.parametrize(("text", "said"), [
    ("[email]\nport = 0\n", r"\[email\] port: expected a whole number from 1 to 65535"),
    ("[email]\nsecurity = 'tls'\n", r"\[email\] security: expected one of \"starttls\""),
    ("[email]\nhost = 'smtp.example.com'\nfrom_address = 'not an address'\n",
     r"\[email\] from_address: expected an e-mail address"),
    ("[email]\nhost = 'smtp.example.com'\n", r"\[email\] from_address: is needed with a host"),
    ("[email]\nfrom_address = 'shop@example.com'\n", r"\[email\] host: is needed"),
    ("[email]\nsender = 'x'\n", r"\[email\] sender: unknown setting"),
    ("[sms]\nurl = 'sms.example.com/?to={phone}&t={text}'\n", r"\[sms\] url: expected an addr"),
    ("[sms]\nurl = 'https://sms.example.com/?to={phone}&t={txt}'\n",
     r"\[sms\] url: unknown placeholder \{txt\}"),
    ("[sms]\nurl = 'https://sms.example.com/?to={phone}'\n", r"\[sms\] url: names no \{text\}"),
    ("[sms]\nurl = 'https://sms.example.com/?to={phone'\n", r"\[sms\] url: .*brace"),
    ("[sms]\nurl = 'https://x.example.com/{phone}'\nbody = 't={text}'\n",
     r"\[sms\] method: must be \"POST\""),
    ("[sms]\nbody = 't={text}'\n", r"\[sms\] url: is needed with a body"),
    ("[sms]\nmethod = 'PUT'\n", r"\[sms\] method: expected one of"),
    ("[sms]\nheader = 'Bearer KEY'\n", r"\[sms\] header: expected one header"),
    ("[messages]\ndaily_limit = 0\n", r"\[messages\] daily_limit: expected a whole number"),
    ("[messages]\nretry_minutes = 'soon'\n", r"\[messages\] retry_minutes: expected a whole"),
    ("[messages]\nbirthday = 'yes'\n", r"\[messages\] birthday: expected true or false"),
])
def test_a_bad_messages_setting_stops_the_program_with_its_key(tmp_path: Path, text: str,
                                                                said: str) -> None:
    # like [web]: a wrong sender or gateway must not send members' messages somewhere else
    with pytest.raises(SettingsError, match=said) as info:
        load_text(tmp_path, text)
    assert info.value.problems[0].fallback is None and info.value.problems[0].line

