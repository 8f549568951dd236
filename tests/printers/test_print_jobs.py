"""Jobs and labels: every kind lays out, mismatched data is refused, Chinese labels complete."""

from __future__ import annotations

from datetime import datetime

import pytest

from printers import labels
from printers.errors import PrinterError
from printers.layouts import MemberCardSlip, Report, ReportSection, TestPage
from printers.print_jobs import DATA_TYPES, PrintJob, document_for, job_bytes
from printers.printout import QR
from terminal.core.config import PrinterSettings, Settings, StoreSettings
from terminal.services import printing

from . import samples
from .escpos_decode import decode

SETTINGS = Settings(store=StoreSettings(name="好邻居", language="zh_CN"),
                    printer=PrinterSettings(paper_mm=58))


@pytest.mark.parametrize("job,expected", [
    (PrintJob("receipt", samples.sale()), "销售小票"),
    (PrintJob("receipt", samples.sale(), copy=True), "*** 补打 ***"),
    (PrintJob("coupon", samples.COUPON), "优惠券"),
    (PrintJob("member_card", MemberCardSlip("好邻居", "李四", "1", "", "银卡", "M1.x.1.y",
                                            datetime(2026, 1, 1))), "会员卡"),
    (PrintJob("report", Report("日结", sections=(ReportSection("A", (("k", "v"),)),))), "日结"),
    (PrintJob("test", TestPage("好邻居", (("状态", "在线"),))), "中文测试：会员积分"),
])
def test_every_job_kind_renders_and_decodes(job: PrintJob, expected: str) -> None:
    doc = document_for(job, SETTINGS)
    assert doc.columns == 32
    out = decode(job_bytes(doc, SETTINGS.printer))
    assert expected in out.texts
    assert [p for p, _ in out.qr_codes] == [op.payload for op in doc.ops if isinstance(op, QR)]


def test_data_types_cover_every_kind() -> None:
    assert set(DATA_TYPES) == set(printing.KINDS)


def test_job_with_the_wrong_data_is_refused() -> None:
    with pytest.raises(TypeError, match="a coupon job cannot print Receipt"):
        document_for(PrintJob("coupon", samples.sale()), SETTINGS)


def test_chinese_labels_cover_every_english_label() -> None:
    # (the catalogue's own test checks every label has a translation)
    for key, text in labels.EN.items():
        # Same placeholders, so a translation can never break str.format at print time.
        zh = labels.label(key, "zh_CN")
        assert sorted(_fields(zh)) == sorted(_fields(text)), key
        assert zh != text or key in labels.FIXED, key


def test_label_falls_back_to_english() -> None:
    assert labels.label("total", "fr") == "TOTAL"
    assert labels.label("points_expire", "zh_CN", points=5, date="2026-12-01") == (
        "5 积分将于 2026-12-01 过期")


def test_printer_error_retryable_by_reason() -> None:
    assert PrinterError("x", "paper_out").retryable
    assert PrinterError("x", "dropped").retryable
    assert not PrinterError("x", "config").retryable
    assert not PrinterError("x", "unsupported").retryable
    assert str(PrinterError("out of paper", "paper_out")) == "out of paper"


def _fields(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]
