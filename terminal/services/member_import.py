"""Import members from another system's CSV (exports: ``csv_export``; the reading,
encodings, headers and row errors: ``csv_import``).

Header names in English or Chinese (simplified or traditional, see ``HEADER_ALIASES``):
name 姓名, phone 手机, birthday 生日, marketing consent 同意营销, tier 等级, points 积分,
stored value 储值 (the paid part), card number 卡号, e-mail 邮箱. Name and phone are required; other
columns are optional. Money as ``12.50``, ``¥12.50`` / ``￥12.50`` or ``1,234.00``
(full-width characters are read as their ASCII forms); dates as ``YYYY-MM-DD``,
``YYYY/MM/DD`` or ``YYYYMMDD``; consent as yes/no (``csv_import.parse_flag``; empty: no);
the tier as its code or its name in the settings (empty: the base tier).

Every row is checked and every problem reported with its line number. A dry run only
checks; a real run writes everything or nothing at all: one batch in short transactions,
hidden from the counter until it is complete and removed whole if it fails
(``import_batches``). Opening points
and stored value are ledger rows of kind ``import`` (points expire ``expiry_months`` after
the import), so ``check`` holds. Imported members get no welcome coupon: they are not new
to the shop.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import peewee as pw

from ..core import excel_csv, money
from ..core.errors import Conflict, InvalidInput
from ..core.i18n import Term
from ..db import models as m
from ..db.database import is_sqlite, proxy
from ..loyalty import codes
from ..loyalty import points as prules
from . import audit, import_batches, staff
from .context import Context
from .csv_import import (
    ImportFileError,
    ImportResult,
    Layout,
    Refused,
    RowError,
    chunks,
    parse_flag,
    read_rows,
)
from .members import clean_name, mask_phone, name_key, normalize_email, normalize_phone

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
    "email": ("email", "e-mail", "mail", "email address", "e-mail address", "邮箱",
              "电子邮箱", "电子邮件", "邮件地址", "郵箱", "電子郵件", "電郵"),
    "card_no": ("card", "card no", "card_no", "card number", "member card", "卡号",
                "会员卡号", "卡號", "會員卡號"),
}  # Chinese headers in simplified and traditional (a Big5 file's) characters
REQUIRED = ("name", "phone")
MAX_POINTS = 10**12
PAGE = 2000  # rows per statement when importing
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{4})(\d{2})(\d{2})")
# the longest text read for each column: the model's column sizes (a card number, a tier),
# a name's maximum, and generous room for a phone, a date or an amount as people type them;
# anything longer is that row's error, never copied into the report
CELL_MAX = {"name": m.Member.name.max_length, "phone": 40, "birthday": 20, "marketing_consent": 20,
            "tier": max(100, m.Member.tier.max_length), "points": 30, "stored_value": 30,
            "card_no": max(100, m.Member.card_no.max_length), "email": 300}


@dataclass
class MemberImportResult(ImportResult):
    points: int = 0  # opening points of the valid rows
    stored_value: int = 0  # opening stored value (minor units) of the valid rows


LAYOUT = Layout(HEADER_ALIASES, REQUIRED, CELL_MAX, frozenset({"name"}), "a member's data")


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
    email: str | None = None


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


def _tier_index(ctx: Context) -> dict[str, str]:
    index: dict[str, str] = {}
    for tier in ctx.programme.tiers.tiers:
        for name in (tier.name, *(n for _, n in tier.names)):
            index[name.strip().casefold()] = tier.code
        index[tier.code.strip().casefold()] = tier.code
    return index


T = TypeVar("T")


def _parsed(raw: str, parse: Callable[[str], T], default: T, line: int,
            errors: list[RowError]) -> T:
    """``parse(raw)``; ``default`` for an empty cell, and for one ``parse`` refuses (the
    refusal noted against ``line``)."""
    if not raw:
        return default
    try:
        return parse(raw)
    except InvalidInput as exc:
        errors.append(RowError(line, str(exc)))
        return default


def _read(ctx: Context, path: Path, result: MemberImportResult,
          encoding: str | None = None) -> list[_Row]:
    """Parse and check every row on its own and against the rest of the file."""
    region = ctx.settings.store.phone_region
    currency = ctx.currency
    today = ctx.today()
    tiers = _tier_index(ctx)
    base_tier = ctx.programme.tiers.base.code
    max_sv = ctx.programme.stored_value.max_balance
    seen_phones: dict[str, int] = {}
    seen_cards: dict[str, int] = {}
    rows: list[_Row] = []
    errors = result.errors
    for line, cell in read_rows(path, result, LAYOUT, encoding):
        before = len(errors)
        name = phone = ""
        try:
            name = clean_name(excel_csv.unguard(cell("name")))
        except InvalidInput as exc:
            errors.append(RowError(line, "no name" if "needed" in str(exc) else str(exc)))
        raw_phone = cell("phone")
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
        birthday: date | None = _parsed(cell("birthday"), lambda raw: _parse_date(raw, today),
                                        None, line, errors)
        raw = cell("marketing_consent")
        consent = parse_flag(raw)
        if consent is None:
            errors.append(RowError(line, str(InvalidInput(
                "marketing consent {text!r} is neither yes nor no", text=raw))))
        tier = base_tier
        raw = cell("tier")
        if raw:
            found = tiers.get(raw.casefold())
            if found is None:
                errors.append(RowError(line, f"unknown tier {raw!r} (known: "
                                             f"{', '.join(sorted(set(tiers.values())))})"))
            else:
                tier = found
        pts = _parsed(cell("points"), _parse_points, 0, line, errors)
        sv = 0
        raw = cell("stored_value")
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
        raw = cell("card_no")
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
        email: str | None = _parsed(cell("email"), normalize_email, None, line, errors)
        if len(errors) == before:
            rows.append(_Row(line, name, phone, birthday, bool(consent), tier, pts, max(sv, 0),
                             card, email))
    if not result.rows and not errors:
        raise ImportFileError("{name}: the file has a header but no members", name=path.name)
    return rows


def _taken(field_: pw.Field, values: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(values):
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


class _Writer:
    """Writes the rows as one import batch (``import_batches``), a chunk per transaction."""

    def __init__(self, ctx: Context, source: str, result: MemberImportResult) -> None:
        self.ctx = ctx
        self.origin = ctx.origin()
        self.now = ctx.now()
        self.expires = prules.expiry_for(self.now, ctx.programme.points)
        self.source = source
        self.reason = f"opening balance imported from {source}"[:200]
        self.result = result
        self.cards_used: set[str] = set()
        self.referrals_used: set[str] = set()
        self.bulk = _Bulk()

    def chunk(self, batch: object, rows: Sequence[_Row]) -> None:
        # checked again inside the write lock: another terminal may have enrolled
        _check_database(self.ctx, list(rows), self.result)
        if self.result.errors:
            raise Refused
        self.cards_used.update(r.card_no for r in rows if r.card_no)
        new_cards = iter(_new_codes(sum(1 for r in rows if not r.card_no),
                                    codes.new_card_number, m.Member.card_no, self.cards_used))
        referral = iter(_new_codes(len(rows), _referral_code, m.Member.referral_code,
                                   self.referrals_used))
        members, pts, svs = [], [], []
        for row in rows:
            member_id = m.new_id()
            members.append(dict(
                id=member_id, **self.origin, card_no=row.card_no or next(new_cards),
                name=row.name, name_key=name_key(row.name), phone=row.phone,
                birthday=row.birthday, marketing_consent=row.consent,
                referral_code=next(referral), referred_by=None, tier=row.tier,
                tier_since=self.now, points_balance=row.points,
                sv_paid_balance=row.stored_value, sv_bonus_balance=0, last_visit_at=None,
                erased_at=None, note=f"imported from {self.source}"[:200],
                import_batch=batch, link_version=0, email=row.email))
            if row.points:
                pts.append(dict(id=m.new_id(), **self.origin, member=member_id, kind="import",
                                delta=row.points, remaining=row.points,
                                expires_at=self.expires, txn=None, reverses=None,
                                reason=self.reason))
            if row.stored_value:
                svs.append(dict(id=m.new_id(), **self.origin, member=member_id, kind="import",
                                delta_paid=row.stored_value, delta_bonus=0, txn=None,
                                reason=self.reason))
        self.bulk.insert(m.Member, members)
        self.bulk.insert(m.PointsEntry, pts)
        self.bulk.insert(m.StoredValueEntry, svs)


def _write(ctx: Context, rows: list[_Row], source: str, approver: staff.StaffView,
           result: MemberImportResult, rehearse: bool) -> None:
    """All the rows or none: chunks of one batch, hidden until ``publish`` shows them
    together; any failure (a row another terminal enrolled meanwhile, Ctrl-C) removes the
    batch. A killed import is removed by the next one (``import_batches.settle``)."""
    import_batches.settle(ctx)
    writer = _Writer(ctx, source, result)
    batch = import_batches.begin(ctx, source, len(rows))
    try:
        for chunk in chunks(rows, import_batches.CHUNK):
            import_batches.write(ctx, batch, functools.partial(writer.chunk, batch, chunk))
        if rehearse:
            import_batches.remove(ctx, batch)
            return
        import_batches.publish(ctx, batch, lambda: audit.record(
            ctx, "import_members", source, approved_by=approver.id,
            after={"rows": len(rows), "points": result.points,
                   "stored_value": result.stored_value}))
    except BaseException:
        import_batches.remove(ctx, batch)
        raise


def import_members(ctx: Context, path: str | os.PathLike[str], *, dry_run: bool,
                   approved_by: object, encoding: str | None = None,
                   rehearse: bool = False) -> MemberImportResult:
    """Members from another system's CSV: every row checked, then all written or none.

    Whole-file problems raise ImportFileError; row problems are in ``errors`` (nothing is
    written then). Needs a manager's approval, dry run or not (the report tells which
    phones are members here). ``encoding`` (a codec name) reads the file in that encoding
    instead of finding it. ``rehearse`` writes the whole batch and then removes it, as a
    failed import would (``bench --import`` times an import that leaves nothing behind).
    """
    approver = staff.require_approver(approved_by, Term("importing members", "approval"))
    started = time.perf_counter()
    source = Path(path)
    result = MemberImportResult(str(source), dry_run, "", ",", {}, [])
    rows = _read(ctx, source, result, encoding)
    result.points = sum(r.points for r in rows)
    result.stored_value = sum(r.stored_value for r in rows)
    if dry_run or result.errors:  # nothing will be written: the report is complete anyway
        _check_database(ctx, rows, result)
    else:
        _check_database(ctx, rows, result)  # each chunk checks its rows again as it writes
        try:
            if result.errors:
                raise Refused
            _write(ctx, rows, source.name, approver, result, rehearse)
        except Refused:
            pass
        except (pw.IntegrityError, import_batches.BatchGone) as exc:
            raise Conflict("{name}: another terminal enrolled one of these members during "
                           "the import, or removed it; nothing was imported, try again "
                           "({exc})", name=source.name, exc=exc) from None
        else:
            result.imported = 0 if rehearse else len(rows)
    result.sort()
    result.seconds = time.perf_counter() - started
    return result
