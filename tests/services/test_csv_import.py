"""Importing members from another system's CSV."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest

from terminal.core.errors import PermissionDenied
from terminal.db import models as m
from terminal.services import audit_listing, integrity, member_import, members
from terminal.services.csv_import import ImportFileError
from tests.helpers import factory
from tests.helpers.state import snapshot

VALID_CARD = "1234567897"  # Luhn-valid


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


ENGLISH = (
    "Name,Phone,Birthday,Marketing consent,Tier,Points,Stored value,Card number\n"
    "Alice Chen,13800138000,1990-01-05,yes,Gold,1200,¥12.50,1234567897\n"
    "Bob Li,+86 139 0013 9000,,no,,0,\"1,234.00\",12345\n"
    "\n"
    "Carol Wu,13700137000,19851231,1,silver,\"2,000\",0,\n"
)


def test_dry_run_checks_everything_and_writes_nothing(ctx, tmp_path) -> None:
    manager = factory.manager(ctx)
    path = write(tmp_path / "old.csv", ENGLISH)
    before = snapshot()
    result = member_import.import_members(ctx, path, dry_run=True, approved_by=manager)
    assert snapshot() == before
    assert result.ok and result.dry_run and result.imported == 0
    assert result.rows == 3 and result.points == 3200 and result.stored_value == 124_650
    assert result.encoding == "utf-8-sig" and result.delimiter == ","
    assert result.columns["stored_value"] == "Stored value"
    assert [str(w) for w in result.warnings] == [
        "line 3: card '12345' is not a valid card number: a new one is given"]


def test_import_writes_members_with_opening_balances_through_the_ledgers(ctx, tmp_path):
    manager = factory.manager(ctx)
    path = write(tmp_path / "old.csv", ENGLISH)
    result = member_import.import_members(ctx, path, dry_run=False, approved_by=manager)
    assert result.ok and result.imported == 3, result.errors
    assert integrity.check() == []
    alice = members.identify(ctx, "138 0013 8000")
    assert (alice.name, alice.tier, alice.card_no) == ("Alice Chen", "gold", VALID_CARD)
    assert alice.birthday == date(1990, 1, 5) and alice.marketing_consent
    assert (alice.points_balance, alice.sv_paid_balance, alice.sv_bonus_balance) == \
        (1200, 1250, 0)
    view = members.view(ctx, alice.id)
    assert view.points_balance == 1200 and view.stored_value_balance == 1250
    bob = members.identify(ctx, "13900139000")
    assert bob.card_no != "12345" and members.identify(ctx, bob.card_no).id == bob.id
    assert (bob.points_balance, bob.sv_paid_balance, bob.tier) == (0, 123_400, "standard")
    assert not bob.marketing_consent and bob.birthday is None
    carol = members.identify(ctx, "13700137000")
    assert carol.birthday == date(1985, 12, 31) and carol.tier == "silver"
    entries = list(m.PointsEntry.select().where(m.PointsEntry.kind == "import"))
    assert sorted(e.delta for e in entries) == [1200, 2000]
    assert all(e.remaining == e.delta and e.expires_at > ctx.now() for e in entries)
    sv = list(m.StoredValueEntry.select().where(m.StoredValueEntry.kind == "import"))
    assert sorted((e.delta_paid, e.delta_bonus) for e in sv) == [(1250, 0), (123_400, 0)]
    assert m.Coupon.select().count() == 0  # no welcome coupons for members we already had
    [entry] = audit_listing.entries(action="import_members")
    assert entry.subject == "old.csv" and entry.approved_by == "Manager Wang 王"
    assert json.loads(entry.after) == {"rows": 3, "points": 3200, "stored_value": 124_650}


GBK_CHINESE = (
    "姓名,手机,生日,积分,储值,等级,同意营销\n"
    "张三,１３８００１３８００１,1990/01/05,100,￥12.50,Gold,是\n"
    "李四,13800138002,1991-2-3,0,\"1,234.00\",标准,否\n"
)


def test_gbk_file_with_chinese_headers(ctx, tmp_path) -> None:
    manager = factory.manager(ctx)
    path = write(tmp_path / "excel.csv", GBK_CHINESE.replace("标准", "standard"), "gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8
    result = member_import.import_members(ctx, path, dry_run=False, approved_by=manager)
    assert result.ok, result.errors
    assert result.encoding == "gb18030" and result.imported == 2
    zhang = members.identify(ctx, "13800138001")
    assert zhang.name == "张三" and zhang.tier == "gold" and zhang.marketing_consent
    assert zhang.birthday == date(1990, 1, 5) and zhang.sv_paid_balance == 1250
    li = members.identify(ctx, "13800138002")
    assert li.name == "李四" and li.sv_paid_balance == 123_400 and li.birthday == date(1991, 2, 3)
    assert integrity.check() == []


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_bom_and_semicolon_or_tab_delimited(ctx, tmp_path, delimiter) -> None:
    manager = factory.manager(ctx)
    text = ("\ufeff" + "会员姓名;手机号码;出生日期;积分余额;储值余额;会员等级;接收营销\n"
            "王五;13800138003;19900105;1,234;12,50;silver;同意\n").replace(";", delimiter)
    # a European Excel writes a decimal comma: not an amount here, whatever the delimiter
    result = member_import.import_members(ctx, write(tmp_path / "a.csv", text), dry_run=True,
                                     approved_by=manager)
    assert [e.line for e in result.errors] == [2]
    assert "',' may only separate thousands" in result.errors[0].message
    text = text.replace("12,50", "12.50")
    result = member_import.import_members(ctx, write(tmp_path / "b.csv", text), dry_run=False,
                                     approved_by=manager)
    assert result.ok, result.errors
    assert result.delimiter == delimiter and result.encoding == "utf-8-sig"
    wang = members.identify(ctx, "13800138003")
    assert (wang.name, wang.points_balance, wang.sv_paid_balance, wang.tier) == \
        ("王五", 1234, 1250, "silver")


BAD = (
    "name,phone,birthday,tier,points,stored value,consent\n"
    "Good One,13800138010,,,10,1.00,\n"          # 2: fine
    "Bad Phone,12345,,,,,\n"                     # 3
    "Dup Phone,13800138010,,,,,\n"               # 4: same phone as line 2
    "Enrolled,13900000001,,,,,\n"                # 5: already a member
    "Tier,13800138011,,diamond,,,\n"             # 6
    "Negative,13800138012,,,-5,,\n"              # 7
    "NaN,13800138013,,,,abc,\n"                  # 8
    "Broken,13800138014,,,\n"                    # 9: too few fields
    ",13800138015,,,,,\n"                        # 10: no name
    "Neg SV,13800138016,,,,-1.00,\n"             # 11
    "Date,13800138017,2099-01-01,,,,maybe\n"     # 12: two problems
    "Good Two,13800138018,,,,,\n"                # 13: fine
)


def test_row_errors_are_reported_and_nothing_is_imported(ctx, tmp_path) -> None:
    manager = factory.manager(ctx)
    members.enrol(ctx, members.EnrolRequest("Already", "13900000001"))
    path = write(tmp_path / "bad.csv", BAD)
    before = snapshot()
    result = member_import.import_members(ctx, path, dry_run=False, approved_by=manager)
    assert snapshot() == before
    assert result.imported == 0 and not result.ok and result.rows == 12
    report = [(e.line, e.message) for e in result.errors]
    assert report == [
        (3, "'12345' is not a valid phone number"),
        (4, "phone 138****8010 is also on line 2"),
        (5, "phone 139****0001 is already enrolled"),
        (6, "unknown tier 'diamond' (known: gold, platinum, silver, standard)"),
        (7, "points '-5' must not be negative"),
        (8, "stored value: not an amount: 'abc'"),
        (9, "the row has 5 fields, the header 7: a broken row (a stray delimiter or quote?)"),
        (10, "no name"),
        (11, "stored value '-1.00' must not be negative"),
        (12, "birthday '2099-01-01' is not possible"),
        (12, "marketing consent 'maybe' is neither yes nor no"),
    ]
    assert audit_listing.entries(action="import_members") == []
    dry = member_import.import_members(ctx, path, dry_run=True, approved_by=manager)
    assert [(e.line, e.message) for e in dry.errors] == report


def test_a_file_in_neither_encoding_is_refused_whole(ctx, tmp_path) -> None:
    manager = factory.manager(ctx)
    path = tmp_path / "binary.csv"
    path.write_bytes(b"name,phone\nAl\x80\x81\x8d,13800138000\n")
    with pytest.raises(ImportFileError, match="not text in any encoding"):
        member_import.import_members(ctx, path, dry_run=True, approved_by=manager)
    utf16 = write(tmp_path / "unicode.txt", "name\tphone\nAl\t13800138000\n", "utf-16-le")
    with pytest.raises(ImportFileError, match="NUL bytes"):
        member_import.import_members(ctx, utf16, dry_run=True, approved_by=manager)


def test_whole_file_problems(ctx, tmp_path) -> None:
    manager = factory.manager(ctx)
    cases = {
        "": "the file is empty",
        "name,mobile phone of member\nA,1\n": "no column for the phone",
        "name,phone\n": "a header but no members",
        "姓名,手机,电话\nA,1,2\n": "both hold the phone",
    }
    for i, (text, message) in enumerate(cases.items()):
        with pytest.raises(ImportFileError, match=message):
            member_import.import_members(ctx, write(tmp_path / f"{i}.csv", text), dry_run=True,
                                    approved_by=manager)
    with pytest.raises(ImportFileError, match="cannot be read"):
        member_import.import_members(ctx, tmp_path / "missing.csv", dry_run=True,
                                approved_by=manager)


def test_import_needs_a_manager(ctx, tmp_path) -> None:
    factory.manager(ctx)
    path = write(tmp_path / "old.csv", ENGLISH)
    before = snapshot()
    for who in (None, "cashier1", str(m.Staff.get(m.Staff.role == "owner").id) + "x"):
        with pytest.raises(PermissionDenied, match="importing members needs a manager"):
            member_import.import_members(ctx, path, dry_run=False, approved_by=who)
    assert snapshot() == before


def test_card_numbers_already_used_get_new_ones(ctx, tmp_path) -> None:
    manager = factory.manager(ctx)
    existing = factory.member(ctx)
    text = ("name,phone,card\n"
            f"A,13800138020,{existing.card_no}\n"
            f"B,13800138021,{VALID_CARD}\n"
            f"C,13800138022,{VALID_CARD}\n")
    result = member_import.import_members(ctx, write(tmp_path / "c.csv", text), dry_run=False,
                                     approved_by=manager)
    assert result.ok and [str(w) for w in result.warnings] == [
        f"line 2: card {existing.card_no} is already used here: a new one is given",
        f"line 4: card {VALID_CARD} is also on line 3: a new one is given"]
    cards = [members.identify(ctx, p).card_no for p in
             ("13800138020", "13800138021", "13800138022")]
    assert cards[1] == VALID_CARD and len(set(cards) | {existing.card_no}) == 4
    assert integrity.check() == []


def test_a_larger_file_imports_quickly(ctx, tmp_path) -> None:
    manager = factory.manager(ctx)
    n = 5000
    lines = ["name,phone,points,stored value,tier"]
    lines += [f"Member {i},138{i:08d},{i % 500},{i % 300}.50,silver" for i in range(n)]
    path = write(tmp_path / "big.csv", "\n".join(lines) + "\n")
    started = time.perf_counter()
    result = member_import.import_members(ctx, path, dry_run=False, approved_by=manager)
    elapsed = time.perf_counter() - started
    assert result.ok and result.imported == n, result.errors[:3]
    assert m.Member.select().count() == n
    assert integrity.check() == []
    assert elapsed < 15, f"{n} rows took {elapsed:.1f} s"


def test_a_stray_quote_is_one_broken_row_with_where_it_starts(ctx, tmp_path) -> None:
    manager = factory.manager(ctx)
    text = 'name,phone\nGood,13800138030\n"Unclosed,13800138031\nNext,13800138032\n'
    result = member_import.import_members(ctx, write(tmp_path / "q.csv", text), dry_run=False,
                                     approved_by=manager)
    assert [str(e) for e in result.errors] == [
        "line 3: the row has 1 fields, the header 2: a broken row (a stray delimiter or "
        "quote?) (it runs to line 4)"]
    assert result.imported == 0 and m.Member.select().count() == 0


def test_an_email_column_is_read_checked_and_written_back(ctx, tmp_path) -> None:
    from terminal.services import csv_export

    manager = factory.manager(ctx)
    text = ("姓名,手机,邮箱\n张伟,13800138000,Zhang.Wei@Example.COM\n李娜,13900139000,\n")
    result = member_import.import_members(ctx, write(tmp_path / "a.csv", text), dry_run=False,
                                          approved_by=manager)
    assert result.errors == [] and result.imported == 2
    by_name = {mb.name: mb.email for mb in m.Member.select()}
    assert by_name == {"张伟": "Zhang.Wei@example.com", "李娜": None}
    bad = member_import.import_members(
        ctx, write(tmp_path / "b.csv", "name,phone,e-mail\nX,13700137000,x@\n"),
        dry_run=True, approved_by=manager)
    assert [e.line for e in bad.errors] == [2] and "e-mail" in bad.errors[0].message
    out = tmp_path / "members.csv"
    csv_export.export_members(ctx, out, approved_by=manager)
    masked = out.read_text(encoding="utf-8-sig")
    assert masked.splitlines()[0].endswith(",email") and "Z***@example.com" in masked
    csv_export.export_members(ctx, out, reveal_phones=True, approved_by=manager)
    assert "Zhang.Wei@example.com" in out.read_text(encoding="utf-8-sig")
