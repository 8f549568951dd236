"""Importing members from another system's CSV, and exporting members, sales and ledgers."""

from __future__ import annotations

import csv
import json
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from terminal.core.errors import PermissionDenied
from terminal.db import models as m
from terminal.services import audit, integrity, members, transfer
from terminal.services.transfer import ImportFileError
from tests.helpers import factory
from tests.helpers.state import snapshot

VALID_CARD = "1234567897"  # Luhn-valid


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


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
    result = transfer.import_members(ctx, path, dry_run=True, approved_by=manager)
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
    result = transfer.import_members(ctx, path, dry_run=False, approved_by=manager)
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
    [entry] = audit.entries(action="import_members")
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
    result = transfer.import_members(ctx, path, dry_run=False, approved_by=manager)
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
    result = transfer.import_members(ctx, write(tmp_path / "a.csv", text), dry_run=True,
                                     approved_by=manager)
    assert [e.line for e in result.errors] == [2]
    assert "',' may only separate thousands" in result.errors[0].message
    text = text.replace("12,50", "12.50")
    result = transfer.import_members(ctx, write(tmp_path / "b.csv", text), dry_run=False,
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
    result = transfer.import_members(ctx, path, dry_run=False, approved_by=manager)
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
    assert audit.entries(action="import_members") == []
    dry = transfer.import_members(ctx, path, dry_run=True, approved_by=manager)
    assert [(e.line, e.message) for e in dry.errors] == report


def test_a_file_in_neither_encoding_is_refused_whole(ctx, tmp_path) -> None:
    manager = factory.manager(ctx)
    path = tmp_path / "binary.csv"
    path.write_bytes(b"name,phone\nAl\x80\x81\x8d,13800138000\n")
    with pytest.raises(ImportFileError, match="not text in any encoding"):
        transfer.import_members(ctx, path, dry_run=True, approved_by=manager)
    utf16 = write(tmp_path / "unicode.txt", "name\tphone\nAl\t13800138000\n", "utf-16-le")
    with pytest.raises(ImportFileError, match="NUL bytes"):
        transfer.import_members(ctx, utf16, dry_run=True, approved_by=manager)


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
            transfer.import_members(ctx, write(tmp_path / f"{i}.csv", text), dry_run=True,
                                    approved_by=manager)
    with pytest.raises(ImportFileError, match="cannot be read"):
        transfer.import_members(ctx, tmp_path / "missing.csv", dry_run=True,
                                approved_by=manager)


def test_import_needs_a_manager(ctx, tmp_path) -> None:
    factory.manager(ctx)
    path = write(tmp_path / "old.csv", ENGLISH)
    before = snapshot()
    for who in (None, "cashier1", str(m.Staff.get(m.Staff.role == "owner").id) + "x"):
        with pytest.raises(PermissionDenied, match="importing members needs a manager"):
            transfer.import_members(ctx, path, dry_run=False, approved_by=who)
    assert snapshot() == before


def test_card_numbers_already_used_get_new_ones(ctx, tmp_path) -> None:
    manager = factory.manager(ctx)
    existing = factory.member(ctx)
    text = ("name,phone,card\n"
            f"A,13800138020,{existing.card_no}\n"
            f"B,13800138021,{VALID_CARD}\n"
            f"C,13800138022,{VALID_CARD}\n")
    result = transfer.import_members(ctx, write(tmp_path / "c.csv", text), dry_run=False,
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
    result = transfer.import_members(ctx, path, dry_run=False, approved_by=manager)
    elapsed = time.perf_counter() - started
    assert result.ok and result.imported == n, result.errors[:3]
    assert m.Member.select().count() == n
    assert integrity.check() == []
    assert elapsed < 15, f"{n} rows took {elapsed:.1f} s"


# --- export -------------------------------------------------------------------------


@pytest.fixture
def shop(ctx, catalogue, clock):
    manager = factory.manager(ctx)
    alice = factory.member(ctx, "Alice", marketing_consent=True)
    bob = factory.member(ctx, "=HYPERLINK(\"x\")")
    factory.sale(ctx, [("LATTE", 2), ("CAKE", 1)], member_id=alice.id)
    factory.top_up(ctx, bob.id, 10_000)
    clock.advance(days=2)
    factory.sale(ctx, [("TEA", 1)], member_id=bob.id)
    return manager, alice, bob


def test_export_members_masks_phones_unless_revealed(ctx, shop, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(transfer, "PAGE", 1)
    manager, alice, bob = shop
    out = tmp_path / "members.csv"
    result = transfer.export_members(ctx, out, approved_by=manager)
    rows = read_csv(out)
    assert result.rows == 2 and len(rows) == 2
    by_card = {r["card_no"]: r for r in rows}
    assert by_card[alice.card_no]["phone"] == members.mask_phone(alice.phone)
    assert "*" in by_card[alice.card_no]["phone"]
    assert by_card[bob.card_no]["name"] == "'=HYPERLINK(\"x\")"  # not a formula in Excel
    assert by_card[bob.card_no]["stored_value"] == "100.00"
    assert by_card[bob.card_no]["stored_value_bonus"] == "20.00"
    assert by_card[alice.card_no]["marketing_consent"] == "yes"
    assert int(by_card[alice.card_no]["points"]) == m.Member.get_by_id(alice.id).points_balance

    transfer.export_members(ctx, out, reveal_phones=True, consenting_only=True,
                            approved_by=manager)
    rows = read_csv(out)
    assert [(r["card_no"], r["phone"]) for r in rows] == [(alice.card_no, alice.phone)]
    log = audit.entries(action="export_members")
    assert [json.loads(e.after) for e in log] == [
        {"rows": 1, "consenting_only": True, "reveal_phones": True},
        {"rows": 2, "consenting_only": False, "reveal_phones": False}]
    assert log[0].approved_by == "Manager Wang 王" and log[0].subject == "members.csv"
    assert not list(tmp_path.glob("*.partial"))


def test_exported_members_read_back_as_an_import(ctx, shop, tmp_path) -> None:
    manager, alice, bob = shop
    out = tmp_path / "members.csv"
    transfer.export_members(ctx, out, reveal_phones=True, approved_by=manager)
    result = transfer.import_members(ctx, out, dry_run=True, approved_by=manager)
    assert result.rows == 2 and result.ignored_columns == [
        "stored_value_bonus", "referral_code", "enrolled_at", "last_visit_at"]
    assert sorted(e.message for e in result.errors) == sorted(
        f"phone {members.mask_phone(p)} is already enrolled" for p in (alice.phone, bob.phone))
    assert sorted(str(w).split(": ", 1)[1] for w in result.warnings) == sorted(
        f"card {c} is already used here: a new one is given"
        for c in (alice.card_no, bob.card_no))


def test_every_export_needs_a_manager(ctx, shop, tmp_path) -> None:
    out = tmp_path / "x.csv"
    day = date(2026, 3, 10)
    with pytest.raises(PermissionDenied):
        transfer.export_members(ctx, out)
    with pytest.raises(PermissionDenied, match="phone numbers"):
        transfer.export_members(ctx, out, reveal_phones=True, approved_by="cashier1")
    with pytest.raises(PermissionDenied):
        transfer.export_sales(ctx, out, day, day)
    with pytest.raises(PermissionDenied):
        transfer.export_ledgers(ctx, out, day, day, approved_by="nobody")
    assert not out.exists()


def test_export_sales_with_lines_for_a_date_range(ctx, shop, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(transfer, "PAGE", 2)  # several pages, even with these few rows
    manager, alice, bob = shop
    out = tmp_path / "sales.csv"
    result = transfer.export_sales(ctx, out, date(2026, 3, 10), date(2026, 3, 10),
                                   approved_by=manager)
    rows = read_csv(out)
    assert result.rows == 3
    assert [(r["kind"], r["sku"], r["qty"]) for r in rows] == [
        ("sale", "LATTE", "2"), ("sale", "CAKE", "1"), ("topup", "", "")]
    sale = [r for r in rows if r["kind"] == "sale"]
    assert {r["member_card"] for r in sale} == {alice.card_no}
    total = m.Txn.get(m.Txn.kind == "sale").total
    assert sum(int(r["line_net"].replace(".", "")) for r in sale) == total
    assert sale[0]["total"] == f"{total / 100:.2f}" and sale[0]["staff"] == "cashier1"
    assert rows[2]["sv_bonus"] == "20.00" and rows[2]["member_card"] == bob.card_no
    transfer.export_sales(ctx, out, date(2026, 3, 10), date(2026, 3, 12), approved_by=manager)
    assert len(read_csv(out)) == 4
    transfer.export_sales(ctx, out, date(2026, 3, 11), date(2026, 3, 11), approved_by=manager)
    assert read_csv(out) == []
    with pytest.raises(transfer.InvalidInput, match="starts"):
        transfer.export_sales(ctx, out, date(2026, 3, 12), date(2026, 3, 11),
                              approved_by=manager)
    assert [json.loads(e.after)["rows"] for e in audit.entries(action="export_sales")] == \
        [0, 4, 3]


def test_export_ledgers(ctx, shop, tmp_path, catalogue, monkeypatch) -> None:
    monkeypatch.setattr(transfer, "PAGE", 2)
    manager, alice, bob = shop
    factory.sale(ctx, [("CARD10", 1)], member_id=alice.id)  # a punch card sold: +10 visits
    out = tmp_path / "ledgers.csv"
    transfer.export_ledgers(ctx, out, date(2026, 3, 1), date(2026, 3, 31), approved_by=manager)
    rows = read_csv(out)
    points = [r for r in rows if r["ledger"] == "points"]
    assert sum(int(r["points"]) for r in points) == sum(
        mb.points_balance for mb in m.Member.select())
    assert {r["member_card"] for r in points} == {alice.card_no, bob.card_no}
    sv = [r for r in rows if r["ledger"] == "stored_value"]
    assert [(r["kind"], r["stored_value_paid"], r["stored_value_bonus"]) for r in sv] == [
        ("topup", "100.00", "20.00")]
    assert all(r["receipt_no"] for r in sv)
    punch = [r for r in rows if r["ledger"] == "punch"]
    assert [(r["kind"], r["visits"]) for r in punch] == [("sell", "10")]
    assert punch[0]["punch_card_id"] == str(m.PunchCard.get().id)
    created = [datetime.fromisoformat(r["created_at"]) for r in points]
    assert created == sorted(created)


def test_a_stray_quote_is_one_broken_row_with_where_it_starts(ctx, tmp_path) -> None:
    manager = factory.manager(ctx)
    text = 'name,phone\nGood,13800138030\n"Unclosed,13800138031\nNext,13800138032\n'
    result = transfer.import_members(ctx, write(tmp_path / "q.csv", text), dry_run=False,
                                     approved_by=manager)
    assert [str(e) for e in result.errors] == [
        "line 3: the row has 1 fields, the header 2: a broken row (a stray delimiter or "
        "quote?) (it runs to line 4)"]
    assert result.imported == 0 and m.Member.select().count() == 0


def test_an_export_that_cannot_be_saved_leaves_no_file_and_no_audit_entry(ctx, shop,
                                                                          tmp_path) -> None:
    manager = shop[0]
    target = tmp_path / "taken"
    target.mkdir()  # a folder where the file should go: the final rename fails
    with pytest.raises(OSError):
        transfer.export_members(ctx, target, reveal_phones=True, approved_by=manager)
    assert audit.entries(action="export_members") == []
    assert not list(tmp_path.glob("*.partial")) and not list(target.iterdir())
