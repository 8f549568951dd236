"""Layouts: column widths with CJK double width, wrapping, labels, receipt kinds and slips."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from printers.charset import charset
from printers.layouts import (
    LayoutOptions,
    MemberCardSlip,
    Report,
    ReportSection,
    ReportTable,
    coupon_slip,
    member_card,
    printer_test_page,
    receipt,
    report,
)
from printers.printout import QR, Drawer, Printout, Text, Typesetter
from terminal.core.config import PrinterSettings, Settings, StoreSettings
from terminal.services.receipts import Receipt, ReceiptLine

from . import samples


def cells(text: str) -> int:
    """Column count as a printer in Chinese mode sees it; written apart from printers/."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def J(left: str, right: str, columns: int) -> str:
    """``left`` and ``right`` justified to the full width, counted as the printer does."""
    return left + " " * (columns - cells(left) - cells(right)) + right


def assert_fits(doc: Printout) -> None:
    for op in doc.ops:
        if isinstance(op, Text):
            limit = doc.columns // 2 if op.double else doc.columns
            assert cells(op.text) <= limit, (op.text, cells(op.text), limit)


def texts(doc: Printout) -> list[str]:
    return doc.lines()


@pytest.mark.parametrize("paper,columns", [(58, 32), (80, 48)])
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_sale_receipt_fits_the_paper(paper: int, columns: int, language: str) -> None:
    doc = receipt(samples.sale(), LayoutOptions(paper_mm=paper, language=language))
    assert doc.columns == columns
    assert_fits(doc)
    # Key/value rows are justified to exactly the paper width, CJK counting double.
    no = next(t for t in texts(doc) if t.endswith("S001-T01-000123"))
    assert cells(no) == columns
    member = next(t for t in texts(doc) if "张三丰" in t)
    assert cells(member) == columns and member.rstrip().endswith("金卡 Gold")


def test_sale_receipt_content_80mm() -> None:
    doc = receipt(samples.sale(), LayoutOptions(paper_mm=80))
    lines = texts(doc)
    body = "\n".join(lines)
    assert lines[0] == "好邻居便利店 Good" and lines[1] == "Neighbour"  # double size: 24 cols
    assert "上海市徐汇区漕溪北路 88 号" in lines
    for expected in (J("Date", "2026-11-23 14:05", 48),
                     J("Terminal", "T01", 48),
                     J("Cashier", "alice", 48),
                     J("  2 x 2.50", "5.00", 48),
                     J("  Discount", "-0.50", 48),
                     J("Subtotal", "218.99", 48),
                     J("Line discounts", "-0.50", 48),
                     J("Member discount", "-13.00", 48),
                     J("Points", "-5.00", 48),
                     J("Stored value", "50.00", 48),
                     J("Cash", "200.00", 48),
                     J("Change", "49.51", 48),
                     J("Phone", "138****1234", 48),
                     J("Points earned", "+121", 48),
                     J("Points used", "-500", 48),
                     J("Points balance", "3,456", 48),
                     J("Stored value", "￥450.00", 48),
                     "咖啡 10 次卡 Coffee card: 3/10 visits left",
                     "  valid until 2027-01-01",
                     "200 points expire on 2026-12-01",
                     "Code: NV-7K3Q9", "Valid until 2026-12-23",
                     "Thank you for shopping with us!"):
        assert expected in lines, expected
    total = next(op for op in doc.ops if isinstance(op, Text) and op.text.startswith("TOTAL"))
    # The yuan sign is printed full width in GB18030 (U+00A5 is a 4-byte code there).
    assert total.double and total.bold and total.text == J("TOTAL", "￥200.49", 24)
    assert [op.payload for op in doc.ops if isinstance(op, QR)] == [
        samples.COUPON.payload, samples.COUPON2.payload]
    # The long Chinese name wraps inside the columns and loses nothing.
    assert "农夫山泉天然矿泉水 550ml 特惠装（整箱二十四瓶）" in body.replace("\n", "")
    assert "Very long English product name that has to wrap" in lines
    assert "over lines" in lines


def test_chinese_labels_and_utf8_yen() -> None:
    doc = receipt(samples.sale(), LayoutOptions(paper_mm=58, language="zh_CN",
                                                encoding="UTF-8"))
    lines = texts(doc)
    assert "销售小票" in lines
    assert any(t.startswith("合计") and t.endswith("¥200.49") for t in lines)
    assert any(t.startswith("找零") for t in lines)
    assert "200 积分将于 2026-12-01 过期" in lines
    assert_fits(doc)


def test_copy_is_marked_and_opens_no_drawer() -> None:
    opts = LayoutOptions(cash_drawer=True)
    original = receipt(samples.sale(), opts)
    copy = receipt(samples.sale(), opts, copy=True)
    assert isinstance(original.ops[0], Drawer)
    assert not any(isinstance(op, Drawer) for op in copy.ops)
    assert "*** COPY ***" not in texts(original)
    assert texts(copy).count("*** COPY ***") == 2  # top and bottom: a torn copy still says so


def test_no_drawer_without_cash_or_when_disabled() -> None:
    card_only = samples.sale(tenders=(("card", 20049),), change=0)
    assert not any(isinstance(op, Drawer)
                   for op in receipt(card_only, LayoutOptions(cash_drawer=True)).ops)
    assert not any(isinstance(op, Drawer)
                   for op in receipt(samples.sale(), LayoutOptions(cash_drawer=False)).ops)


def test_void_and_unknown_kinds_have_titles() -> None:
    assert "VOID" in texts(receipt(samples.sale(kind="void"), LayoutOptions()))
    assert "CASHOUT" in texts(receipt(samples.sale(kind="cashout"), LayoutOptions()))


@pytest.mark.parametrize("sample,title,shown,not_shown", [
    pytest.param(samples.refund, "REFUND", [
        J("Original receipt", "S001-T01-000123", 32), J("  -1 x 28.00", "-28.00", 32),
        J("TOTAL", "-￥28.00", 16), J("Cash", "-28.00", 32)], "Member",
        id="a refund: the original and negative amounts"),
    pytest.param(samples.topup, "STORED VALUE TOP-UP", [
        J("Bonus", "100.00", 32), J("Credited", "600.00", 32), J("Card", "500.00", 32)],
        "Subtotal", id="a top-up: the bonus and the credit"),
])
def test_slips_other_than_a_sale(sample: Callable[[], Receipt], title: str, shown: list[str],
                                 not_shown: str) -> None:
    lines = texts(receipt(sample(), LayoutOptions(paper_mm=58)))
    assert title in lines
    assert all(line in lines for line in shown), lines
    assert not_shown not in "".join(lines)


def test_member_card_slip() -> None:
    slip = MemberCardSlip("好邻居便利店", "李四", "100000124", "139****0001", "银卡",
                          "M1.inst.100000124.abcdef", datetime(2026, 11, 23))
    doc = member_card(slip, LayoutOptions(paper_mm=58, language="zh_CN"))
    assert_fits(doc)
    lines = texts(doc)
    assert "会员卡" in lines and "李四" in lines
    assert J("卡号", "100000124", 32) in lines
    assert J("入会日期", "2026-11-23", 32) in lines
    assert [op.payload for op in doc.ops if isinstance(op, QR)] == ["M1.inst.100000124.abcdef"]


def test_coupon_slip() -> None:
    doc = coupon_slip(samples.COUPON, "Good Neighbour", LayoutOptions(paper_mm=80))
    assert_fits(doc)
    assert "COUPON" in texts(doc) and "Code: NV-7K3Q9" in texts(doc)
    assert [op.payload for op in doc.ops if isinstance(op, QR)] == [samples.COUPON.payload]


def test_a_coupon_prints_its_name_in_the_receipts_language() -> None:
    from dataclasses import replace

    from terminal.services import printing
    from terminal.services.receipts import ReceiptCoupon

    coupon = ReceiptCoupon("NV-7K3Q9", "C1.demo.NV-7K3Q9.Q2xGz8", "Next visit 5% off",
                           datetime(2026, 12, 23), (("zh_CN", "下次光临95折"),))
    queued = printing.decode(ReceiptCoupon, printing.encode(coupon))  # as the queue keeps it
    assert queued == coupon
    chinese = texts(coupon_slip(queued, "好邻居", LayoutOptions(language="zh_CN")))
    assert "下次光临95折" in chinese and "Next visit 5% off" not in chinese
    assert "Next visit 5% off" in texts(coupon_slip(queued, "Shop", LayoutOptions()))
    on_receipt = texts(receipt(samples.sale(coupons=(coupon,)),
                               LayoutOptions(language="zh_CN")))
    assert "下次光临95折" in on_receipt and "Next visit 5% off" not in on_receipt
    unnamed = replace(coupon, names=())  # no Chinese name given: the English one
    assert "Next visit 5% off" in texts(coupon_slip(unnamed, "好邻居",
                                                    LayoutOptions(language="zh_CN")))


def test_report_rows_and_tables_align() -> None:
    rep = Report(
        title="日结报表 End of day", subtitle="2026-11-23 08:00 - 22:00", store_name="Store",
        printed_at=datetime(2026, 11, 23, 22, 5),
        sections=(
            ReportSection("Sales", rows=(("Transactions", "123"), ("净销售额 Net", "¥9,876.50"))),
            ReportSection("By cashier", table=ReportTable(
                ("Cashier", "Txns", "Amount"),
                (("alice", "80", "6,000.00"),
                 ("王小明 with a really long display name", "43", "3,876.50"))))))
    doc = report(rep, LayoutOptions(paper_mm=58))
    assert_fits(doc)
    lines = texts(doc)
    assert J("Transactions", "123", 32) in lines
    assert J("净销售额 Net", "￥9,876.50", 32) in lines
    header = next(t for t in lines if t.startswith("Cashier"))
    assert header.endswith("Txns   Amount")
    long_row = next(t for t in lines if t.startswith("王小明"))
    assert long_row.endswith(" 43 3,876.50") and "~" in long_row  # the name is cut, not the sum
    assert cells(long_row) == 32
    assert "alice" + " " * 16 + "80 6,000.00" in lines


def test_test_page_ruler_is_exactly_the_column_count() -> None:
    for paper, cols in ((58, 32), (80, 48)):
        doc = printer_test_page("Store", LayoutOptions(paper_mm=paper))
        lines = texts(doc)
        assert "中文测试：会员积分" in lines
        assert "123456789012345678901234567890"[:cols] in "".join(lines)
        ruler = next(t for t in lines if t.startswith("1234567890"))
        assert len(ruler) == cols and ruler.endswith(str(cols % 10))
        assert "中" * (cols // 2) in lines


def test_unprintable_characters_become_question_marks_in_the_layout() -> None:
    rc = samples.sale(lines=(ReceiptLine("Café 😀 €5 咖啡\x1b@", 1, 100, 100, 0, 100),))
    gbk = texts(receipt(rc, LayoutOptions(encoding="GBK")))
    # GBK has é (pinyin) but no euro sign; no printer has the emoji; ESC is never text.
    assert "Café ? ?5 咖啡?@" in gbk
    cp = texts(receipt(rc, LayoutOptions(encoding="CP858")))
    assert "Café ? €5 ???@" in cp


def test_layout_options_from_settings() -> None:
    settings = Settings(store=StoreSettings(language="zh_CN"),
                        printer=PrinterSettings(paper_mm=58, columns=30, encoding="Big5",
                                                cash_drawer=False))
    opts = LayoutOptions.from_settings(settings)
    assert (opts.paper_mm, opts.columns, opts.encoding, opts.language, opts.cash_drawer) == (
        58, 30, "Big5", "zh_CN", False)
    assert receipt(samples.sale(), opts).columns == 30


@given(st.text(alphabet=st.sampled_from("ab xyz中文字，。"), max_size=80),
       st.integers(min_value=4, max_value=48))
def test_wrap_never_overflows_and_keeps_every_character(text: str, cols: int) -> None:
    t = Typesetter(charset("GB18030"), cols)
    lines = t.wrap(text, cols)
    assert all(cells(line) <= cols for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_table_too_wide_for_the_paper_is_cut_not_overflowed() -> None:
    table = ReportTable(tuple(f"列{i}" for i in range(6)), (("1,234,567.89",) * 6,))
    doc = report(Report("R", sections=(ReportSection(table=table),)), LayoutOptions(paper_mm=58))
    assert_fits(doc)
    assert any("~" in t and t.startswith("1") for t in texts(doc))


@given(st.text(alphabet=st.sampled_from("ab x中文，"), max_size=60),
       st.text(alphabet=st.sampled_from("0123456789.,-￥"), min_size=1, max_size=20),
       st.sampled_from([16, 24, 32, 48]))
def test_pair_puts_the_value_flush_right_within_the_columns(left: str, right: str,
                                                             cols: int) -> None:
    lines = Typesetter(charset("GB18030"), cols).pair(left, right, cols)
    assert all(cells(line) <= cols for line in lines)
    if cells(right) < cols:
        assert lines[-1].endswith(right) and cells(lines[-1]) == cols
    else:  # a value wider than the paper wraps like text
        assert "".join(lines).endswith(right[-4:])
