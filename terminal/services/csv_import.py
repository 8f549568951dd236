"""Import members from another system's CSV (exports: ``csv_export``).

The file is a CSV as another system or Excel writes it:

* encoding: UTF-8 (with or without the BOM Excel writes), UTF-16 with its BOM, GBK/GB18030
  (Excel on a Chinese Windows), Big5 or Windows-1252, found by ``encodings.decode``; a file
  two of them read differently is refused unless the encoding is given (``encoding=``);
* fields: a field longer than csv's limit, or a column's value longer than it can hold,
  is that row's error;
* delimiter: comma, semicolon or tab, whichever the header line holds most of (Excel saves
  "CSV" with Windows' list separator, a semicolon where the decimal sign is a comma, and
  "Unicode text" as UTF-16 with tabs);
* header names in English or Chinese (simplified or traditional), matched without regard
  to case, spaces, ``_``, ``-`` and brackets (see ``HEADER_ALIASES``): name 姓名, phone
  手机, birthday 生日, marketing consent 同意营销, tier 等级, points 积分, stored value
  储值 (the paid part), card number 卡号. Name and phone are required; other columns are
  optional, unknown ones are ignored (and listed in the report);
* money as ``12.50``, ``¥12.50`` / ``￥12.50`` or ``1,234.00`` (full-width characters are
  read as their ASCII forms); dates as ``YYYY-MM-DD``, ``YYYY/MM/DD``
  or ``YYYYMMDD``; consent as yes/no, y/n, true/false, 1/0, 是/否, 同意/不同意 (empty: no);
  the tier as its code or its name in the settings (empty: the base tier).

Every row is checked and every problem reported with its line number. A dry run only
checks; a real run writes everything in one transaction or nothing at all. Opening points
and stored value are ledger rows of kind ``import`` (points expire ``expiry_months`` after
the import), so ``check`` holds. Imported members get no welcome coupon: they are not new
to the shop.
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import peewee as pw

from ..core import excel_csv, money
from ..core.errors import Conflict, InvalidInput
from ..core.i18n import Term
from ..db import models as m
from ..db.database import is_sqlite, proxy, write_transaction
from ..loyalty import codes
from ..loyalty import points as prules
from . import audit, encodings, staff
from .context import Context
from .members import clean_name, mask_phone, name_key, normalize_phone

# field -> header names accepted for it (compared after _header_key)
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "member name", "full name", "姓名", "会员姓名", "名字", "客户姓名",
             "會員姓名", "客戶姓名"),
    "phone": ("phone", "mobile", "phone number", "mobile number", "tel", "telephone",
              "手机", "手机号", "手机号码", "电话", "电话号码", "联系电话",
              "手機", "手機號碼", "電話", "電話號碼", "聯絡電話"),
    "birthday": ("birthday", "date of birth", "birth date", "dob", "生日", "出生日期"),
    "marketing_consent": ("marketing consent", "marketing_consent", "consent", "marketing",
                          "同意营销", "营销同意", "接收营销", "接受营销", "同意行銷"),
    "tier": ("tier", "level", "member level", "grade", "等级", "会员等级", "级别",
             "等級", "會員等級"),
    "points": ("points", "opening points", "points balance", "积分", "积分余额", "剩余积分",
               "積分", "點數"),
    "stored_value": ("stored value", "stored_value", "balance", "stored value balance",
                     "储值", "储值余额", "余额", "卡内余额", "儲值", "儲值餘額", "餘額"),
    "card_no": ("card", "card no", "card_no", "card number", "member card", "卡号",
                "会员卡号", "卡號", "會員卡號"),
}  # Chinese headers in simplified and traditional (a Big5 file's) characters
REQUIRED = ("name", "phone")
TRUE_WORDS = frozenset({"1", "y", "yes", "true", "t", "x", "是", "同意", "有", "√", "✓", "✔"})
FALSE_WORDS = frozenset({"", "0", "n", "no", "false", "f", "否", "不同意", "无", "×"})
MAX_POINTS = 10**12
PAGE = 2000  # rows per statement when importing
LOOKUP_CHUNK = 500  # values per IN (...) when checking the file against the database
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{4})(\d{2})(\d{2})")
SAMPLE_ROWS = 3  # data rows shown as read, so the dry run shows the encoding is right
SAMPLE_CELL = 40  # characters of each cell shown
# the longest text read for each column: the model's column sizes (a card number, a tier),
# a name's maximum, and generous room for a phone, a date or an amount as people type them;
# anything longer is that row's error, never copied into the report
CELL_MAX = {"name": m.Member.name.max_length, "phone": 40, "birthday": 20, "marketing_consent": 20,
            "tier": max(100, m.Member.tier.max_length), "points": 30, "stored_value": 30,
            "card_no": max(100, m.Member.card_no.max_length)}


class ImportFileError(InvalidInput):
    """The file as a whole cannot be imported (encoding, header, empty)."""

    code = "import_file"


@dataclass(frozen=True)
class RowError:
    line: int  # the line of the file (the header is line 1)
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ImportResult:
    path: str
    dry_run: bool
    encoding: str  # the Python codec the file was read with
    delimiter: str
    columns: dict[str, str]  # field -> the header it was read from
    ignored_columns: list[str]
    rows: int = 0  # data rows read
    imported: int = 0  # members written (0 on a dry run or when any row is wrong)
    points: int = 0  # opening points of the valid rows
    stored_value: int = 0  # opening stored value (minor units) of the valid rows
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    seconds: float = 0.0
    encoding_reason: str = ""  # how the encoding was found (or that it was given)
    samples: list[list[str]] = field(default_factory=list)  # the first data rows as read

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    line: int
    name: str
    phone: str
    birthday: date | None
    consent: bool
    tier: str
    points: int
    stored_value: int
    card_no: str | None  # as given, if it is a well-formed card number


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-()（）]", "", unicodedata.normalize("NFKC", text).casefold())


_ALIAS_INDEX = {_header_key(a): f for f, aliases in HEADER_ALIASES.items() for a in aliases}


def _decode(data: bytes, name: str, encoding: str | None) -> encodings.Decoded:
    try:
        return encodings.decode(data, name, encoding)
    except encodings.EncodingError as exc:
        raise ImportFileError.like(exc) from None


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _parse_date(text: str, today: date) -> date:
    match = _DATE.fullmatch(text)
    if not match:
        raise InvalidInput("birthday {text!r} is not a date (YYYY-MM-DD, YYYY/MM/DD or "
                           "YYYYMMDD)", text=text)
    parts = [g for g in match.groups() if g is not None]
    try:
        value = date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise InvalidInput("birthday {text!r} is not a date", text=text) from None
    if value > today or value.year < 1900:
        raise InvalidInput("birthday {text!r} is not possible", text=text)
    return value


def _parse_points(text: str) -> int:
    cleaned = text.replace(",", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput("points {text!r} is not a whole number", text=text) from None
    if not value.is_finite() or value != value.to_integral_value():
        raise InvalidInput("points {text!r} is not a whole number", text=text)
    if value < 0:
        raise InvalidInput("points {text!r} must not be negative", text=text)
    if value > MAX_POINTS:
        raise InvalidInput("points {text!r} is too large", text=text)
    return int(value)


def _parse_consent(text: str) -> bool:
    word = text.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InvalidInput("marketing consent {text!r} is neither yes nor no", text=text)


def _tier_index(ctx: Context) -> dict[str, str]:
    index: dict[str, str] = {}
    for tier in ctx.programme.tiers.tiers:
        for name in (tier.name, *(n for _, n in tier.names)):
            index[name.strip().casefold()] = tier.code
        index[tier.code.strip().casefold()] = tier.code
    return index


def _read(ctx: Context, path: Path, result: ImportResult,
          encoding: str | None = None) -> list[_Row]:
    """Parse and check every row on its own and against the rest of the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError("{name}: cannot be read: {reason}", name=path.name,
                              reason=exc.strerror or exc) from None
    decoded = _decode(data, path.name, encoding)
    text, result.encoding, result.encoding_reason = (decoded.text, decoded.encoding,
                                                     decoded.reason)
    first = text.split("\n", 1)[0]
    result.delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=result.delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("{name}: the file is empty", name=path.name) from None
    except csv.Error as exc:
        raise ImportFileError("{name}: the header line cannot be read: {exc}", name=path.name,
                              exc=exc) from None
    columns: dict[str, int] = {}
    for i, raw in enumerate(header):
        title = raw.strip()
        target = _ALIAS_INDEX.get(_header_key(title))
        if target is None:
            if title:
                result.ignored_columns.append(title)
            continue
        if target in columns:
            raise ImportFileError(
                "{name}: the columns {first!r} and {title!r} both hold the {field}",
                name=path.name, first=header[columns[target]].strip(), title=title,
                field=target.replace('_', ' '))
        columns[target] = i
        result.columns[target] = title
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        known = "; ".join(f"{f}: {', '.join(HEADER_ALIASES[f][:3])}…" for f in missing)
        raise ImportFileError(
            "{name}: no column for the {fields} (header names accepted: {known}); the header "
            "read was {header!r}", name=path.name, fields=' and the '.join(missing), known=known,
            header=[h.strip() for h in header])

    region = ctx.settings.store.phone_region
    currency = ctx.currency
    today = ctx.today()
    tiers = _tier_index(ctx)
    base_tier = ctx.programme.tiers.base.code
    max_sv = ctx.programme.stored_value.max_balance
    seen_phones: dict[str, int] = {}
    seen_cards: dict[str, int] = {}
    rows: list[_Row] = []
    width = len(header)
    errors = result.errors

    def cell(values: Sequence[str], name: str) -> str:
        index = columns.get(name)
        if index is None:
            return ""
        # NFKC: Chinese input methods type full-width digits and "￥"
        text = values[index] if name == "name" else unicodedata.normalize("NFKC", values[index])
        return text.strip()

    while True:
        line = reader.line_num + 1  # where the record starts (a quoted field may span lines)
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.rows += 1
            # csv's own bound (https://docs.python.org/3/library/csv.html#csv.field_size_limit,
            # 131,072 characters by default): an export gone wrong, or no CSV. csv raises
            # the one csv.Error for every problem, so only its text, "field larger than
            # field limit (N)", tells this one apart; it is the same in CPython's
            # Modules/_csv.c since the limit came in with Python 2.5
            # (https://www.python.org/pipermail/python-checkins/2005-January/044615.html)
            # to 3.11 at least. test_csv_import_encoding's long field fails if it changes.
            if "field limit" in str(exc):
                errors.append(RowError(line, f"a field is more than "
                                             f"{csv.field_size_limit():,} characters long: "
                                             "not a member's data"))
            else:
                errors.append(RowError(line, f"the row cannot be read: {exc}"))
            continue
        if not any(v.strip() for v in values):
            continue  # blank line
        result.rows += 1
        if len(result.samples) < SAMPLE_ROWS:
            result.samples.append([v[:SAMPLE_CELL] for v in values])
        if len(values) != width:
            through = f" (it runs to line {reader.line_num})" if reader.line_num > line else ""
            errors.append(RowError(line, f"the row has {len(values)} fields, the header "
                                         f"{width}: a broken row (a stray delimiter or quote?)"
                                         f"{through}"))
            continue
        long = [(f, len(values[i].strip())) for f, i in columns.items()
                if len(values[i].strip()) > CELL_MAX[f]]
        if long:
            errors.append(RowError(line, "; ".join(
                f"the {f.replace('_', ' ')} is {n:,} characters long (at most {CELL_MAX[f]})"
                for f, n in long)))
            continue
        before = len(errors)
        name = phone = ""
        try:
            name = clean_name(excel_csv.unguard(cell(values, "name")))
        except InvalidInput as exc:
            errors.append(RowError(line, "no name" if "needed" in str(exc) else str(exc)))
        raw_phone = cell(values, "phone")
        try:
            phone = normalize_phone(raw_phone, region)
        except InvalidInput as exc:
            errors.append(RowError(line, "no phone number" if not raw_phone else str(exc)))
        if phone:
            if phone in seen_phones:
                errors.append(RowError(line, f"phone {mask_phone(phone, region)} is also on "
                                             f"line {seen_phones[phone]}"))
            else:
                seen_phones[phone] = line
        birthday = None
        raw = cell(values, "birthday")
        if raw:
            try:
                birthday = _parse_date(raw, today)
            except InvalidInput as exc:
                errors.append(RowError(line, str(exc)))
        consent = False
        try:
            consent = _parse_consent(cell(values, "marketing_consent"))
        except InvalidInput as exc:
            errors.append(RowError(line, str(exc)))
        tier = base_tier
        raw = cell(values, "tier")
        if raw:
            found = tiers.get(raw.casefold())
            if found is None:
                errors.append(RowError(line, f"unknown tier {raw!r} (known: "
                                             f"{', '.join(sorted(set(tiers.values())))})"))
            else:
                tier = found
        pts = 0
        raw = cell(values, "points")
        if raw:
            try:
                pts = _parse_points(raw)
            except InvalidInput as exc:
                errors.append(RowError(line, str(exc)))
        sv = 0
        raw = cell(values, "stored_value")
        if raw:
            try:
                sv = money.parse(raw, currency)
            except money.MoneyError as exc:
                errors.append(RowError(line, f"stored value: {exc}"))
            else:
                if sv < 0:
                    errors.append(RowError(line, f"stored value {raw!r} must not be negative"))
                elif sv > max_sv:
                    errors.append(RowError(
                        line, f"stored value {raw!r} is above the maximum balance "
                              f"{money.format_amount(max_sv, currency)}"))
        card = None
        raw = cell(values, "card_no")
        if raw:
            if codes.classify(raw) != "card":
                result.warnings.append(RowError(
                    line, f"card {raw!r} is not a valid card number: a new one is given"))
            elif raw in seen_cards:
                result.warnings.append(RowError(
                    line, f"card {raw} is also on line {seen_cards[raw]}: a new one is given"))
            else:
                seen_cards[raw] = line
                card = raw
        if len(errors) == before:
            rows.append(_Row(line, name, phone, birthday, consent, tier, pts, max(sv, 0),
                             card))
    if not result.rows and not errors:
        raise ImportFileError("{name}: the file has a header but no members", name=path.name)
    return rows


def _chunks(values: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _taken(field_: pw.Field, values: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(values):
        found.update(r[0] for r in m.Member.select(field_).where(field_.in_(list(chunk)))
                     .tuples())
    return found


def _check_database(ctx: Context, rows: list[_Row], result: ImportResult) -> None:
    """Phones already enrolled are errors; card numbers already used get a new one."""
    region = ctx.settings.store.phone_region
    enrolled = _taken(m.Member.phone, [r.phone for r in rows])
    cards = _taken(m.Member.card_no, [r.card_no for r in rows if r.card_no])
    for row in rows:
        if row.phone in enrolled:
            result.errors.append(RowError(
                row.line, f"phone {mask_phone(row.phone, region)} is already enrolled"))
        if row.card_no in cards:
            result.warnings.append(RowError(
                row.line, f"card {row.card_no} is already used here: a new one is given"))
            row.card_no = None


def _new_codes(count: int, make: Any, field_: pw.Field, used: set[str]) -> list[str]:
    """``count`` codes from ``make()`` free in the database and not in ``used``."""
    fresh: list[str] = []
    while len(fresh) < count:
        batch: list[str] = []
        while len(batch) < count - len(fresh):
            code = make()
            if code not in used:
                used.add(code)
                batch.append(code)
        taken = _taken(field_, batch)
        fresh += [c for c in batch if c not in taken]
    return fresh


class _Bulk:
    """Inserts of many rows per call on the DB-API cursor, balances written with the member
    row and their ledger rows beside them. The per-row service path (enrol-style unique
    code look-ups, ``ledger.add_points``, ``ledger.move_stored_value``) measured ~1 ms a
    member on SQLite, this ~0.12 ms: 100,000 members in ~12 s instead of ~100 s."""

    def __init__(self) -> None:
        self.db = proxy.obj
        self.sqlite = is_sqlite()

    def insert(self, model: type[m.BaseModel], rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        fields_ = [model._meta.fields[name] for name in rows[0]]
        columns = ", ".join(f'"{f.column_name}"' for f in fields_)
        table = model._meta.table_name
        converters = [f.db_value for f in fields_]
        values = [tuple(to_db(v) for to_db, v in zip(converters, row.values(), strict=True))
                  for row in rows]
        cursor = self.db.cursor()
        if self.sqlite:
            marks = ", ".join("?" * len(fields_))
            cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', values)
        else:
            from psycopg2.extras import execute_values

            execute_values(cursor, f'INSERT INTO "{table}" ({columns}) VALUES %s', values,
                           page_size=PAGE)


_CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # codes.new_coupon_code's 32 characters


def _referral_code() -> str:
    """What ``members.enrol`` makes ("R" and 7 characters of a coupon code), ten times
    faster: one call for the random bytes, and 256 is a multiple of 32, so no bias."""
    return "R" + "".join(_CODE_CHARS[b % 32] for b in secrets.token_bytes(7))


def _write(ctx: Context, rows: list[_Row], source: str) -> None:
    origin = ctx.origin()
    now = ctx.now()
    cards_used = {r.card_no for r in rows if r.card_no}
    new_cards = iter(_new_codes(sum(1 for r in rows if not r.card_no), codes.new_card_number,
                                m.Member.card_no, cards_used))
    referral = iter(_new_codes(len(rows), _referral_code, m.Member.referral_code, set()))
    expires = prules.expiry_for(now, ctx.programme.points)
    reason = f"opening balance imported from {source}"[:200]
    bulk = _Bulk()
    for chunk in _chunks(rows, PAGE):
        members, pts, svs = [], [], []
        for row in chunk:
            member_id = m.new_id()
            members.append(dict(
                id=member_id, **origin, card_no=row.card_no or next(new_cards),
                name=row.name, name_key=name_key(row.name), phone=row.phone,
                birthday=row.birthday, marketing_consent=row.consent,
                referral_code=next(referral), referred_by=None, tier=row.tier,
                tier_since=now, points_balance=row.points, sv_paid_balance=row.stored_value,
                sv_bonus_balance=0, last_visit_at=None, erased_at=None,
                note=f"imported from {source}"[:200]))
            if row.points:
                pts.append(dict(id=m.new_id(), **origin, member=member_id, kind="import",
                                delta=row.points, remaining=row.points, expires_at=expires,
                                txn=None, reverses=None, reason=reason))
            if row.stored_value:
                svs.append(dict(id=m.new_id(), **origin, member=member_id, kind="import",
                                delta_paid=row.stored_value, delta_bonus=0, txn=None,
                                reason=reason))
        bulk.insert(m.Member, members)
        bulk.insert(m.PointsEntry, pts)
        bulk.insert(m.StoredValueEntry, svs)


class _Refused(Exception):
    """Rolls the import's transaction back: a row is wrong."""


def import_members(ctx: Context, path: str | os.PathLike[str], *, dry_run: bool,
                   approved_by: object, encoding: str | None = None) -> ImportResult:
    """Members from another system's CSV: every row checked, then all written or none.

    Whole-file problems raise ImportFileError; row problems are in ``errors`` (nothing is
    written then). Needs a manager's approval, dry run or not (the report tells which
    phones are members here). ``encoding`` (a codec name) reads the file in that encoding
    instead of finding it.
    """
    approver = staff.require_approver(approved_by, Term("importing members", "approval"))
    started = time.perf_counter()
    source = Path(path)
    result = ImportResult(str(source), dry_run, "", ",", {}, [])
    rows = _read(ctx, source, result, encoding)
    result.points = sum(r.points for r in rows)
    result.stored_value = sum(r.stored_value for r in rows)
    if dry_run or result.errors:  # nothing will be written: the report is complete anyway
        _check_database(ctx, rows, result)
    else:
        try:
            with write_transaction():
                # checked again inside the write lock: another terminal may have enrolled
                _check_database(ctx, rows, result)
                if result.errors:
                    raise _Refused
                _write(ctx, rows, source.name)
                audit.record(ctx, "import_members", source.name, approved_by=approver.id,
                             after={"rows": len(rows), "points": result.points,
                                    "stored_value": result.stored_value})
        except _Refused:
            pass
        except pw.IntegrityError as exc:
            raise Conflict("{name}: another terminal enrolled one of these members during "
                           "the import; nothing was imported, try again ({exc})",
                           name=source.name, exc=exc) from None
        else:
            result.imported = len(rows)
    result.errors.sort(key=lambda e: e.line)
    result.warnings.sort(key=lambda e: e.line)
    result.seconds = time.perf_counter() - started
    return result
