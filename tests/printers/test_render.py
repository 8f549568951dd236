"""ESC/POS bytes from python-escpos's Dummy, read back by the independent test decoder."""

from __future__ import annotations

import pytest
import zxingcpp

from printers.errors import PrinterError
from printers.layouts import LayoutOptions, coupon_slip, receipt
from printers.printout import Text
from printers.render import render_bytes
from terminal.services.receipts import ReceiptLine

from . import samples
from .escpos_decode import decode


def test_gb18030_sale_round_trips_through_the_decoder() -> None:
    doc = receipt(samples.sale(), LayoutOptions(paper_mm=80, cash_drawer=True))
    data = render_bytes(doc)
    assert data.startswith(b"\x1b@\x1c&")  # initialise, then Chinese mode
    out = decode(data, "gb18030")
    assert out.texts == doc.lines()
    assert "农夫山泉天然矿泉水 550ml 特惠装（整箱二十四瓶）" in "".join(out.texts)
    assert [p for p, _ in out.qr_codes] == [samples.COUPON.payload, samples.COUPON2.payload]
    assert all(size == 6 for _, size in out.qr_codes)
    assert not out.images  # the default profile prints QR natively
    assert out.cuts == 1 and out.events[-1] == "cut"
    assert out.drawer_kicks == 1 and out.events.index("drawer") < out.events.index("line")
    total = next(ln for ln in out.lines if ln.text.startswith("TOTAL"))
    assert (total.width, total.height, total.bold) == (2, 2, True)
    title = next(ln for ln in out.lines if ln.text == "SALE")
    assert (title.align, title.bold, title.width) == ("center", True, 1)
    qr_title = out.events.index("qr")
    assert out.lines[out.events[:qr_title].count("line") - 1].text.startswith("下次光临")


def test_raw_bytes_of_a_chinese_line_are_gb18030() -> None:
    data = render_bytes(receipt(samples.sale(), LayoutOptions(language="zh_CN")))
    assert "合计".encode("gb18030") in data
    assert "￥200.49".encode("gb18030") in data
    assert "¥".encode("gb18030") not in data  # the 4-byte yuan sign never reaches the printer


def test_profile_without_native_qr_prints_qr_images_that_decode() -> None:
    doc = receipt(samples.sale(), LayoutOptions(paper_mm=58))
    out = decode(render_bytes(doc, "ZJ-5870"), "gb18030")  # a 58 mm Chinese printer
    assert not out.qr_codes
    assert len(out.images) == 2
    for img, coupon in zip(out.images, (samples.COUPON, samples.COUPON2), strict=True):
        assert img.width == 384
        assert [r.text for r in zxingcpp.read_barcodes(img)] == [coupon.payload]
    assert out.texts == doc.lines()


def test_native_qr_can_be_forced_off() -> None:
    doc = coupon_slip(samples.COUPON, "Store", LayoutOptions())
    from escpos.printer import Dummy

    from printers.render import render_into
    dummy = Dummy()
    render_into(dummy, doc, native_qr=False)
    out = decode(dummy.output)
    assert not out.qr_codes and len(out.images) == 1


def test_unencodable_characters_print_as_question_marks() -> None:
    rc = samples.sale(lines=(ReceiptLine("Café 😀 €5 咖啡\x1b@", 1, 100, 100, 0, 100),))
    out = decode(render_bytes(receipt(rc, LayoutOptions(encoding="GBK"))), "gbk")
    assert "Café ? ?5 咖啡?@" in out.texts
    # The ESC in the product name did not become a command: one initialise only.
    assert out.events.count("line") == len(out.texts)


def test_big5_round_trip() -> None:
    rc = samples.sale(lines=(ReceiptLine("會員積分 拿鐵", 1, 100, 100, 0, 100),),
                      store_name="好鄰居", store_address="台北市")
    doc = receipt(rc, LayoutOptions(encoding="Big5", paper_mm=58))
    out = decode(render_bytes(doc), "big5")
    assert "會員積分 拿鐵" in out.texts
    assert out.texts == doc.lines()


def test_utf8_printer_gets_plain_utf8_without_chinese_mode() -> None:
    doc = receipt(samples.sale(), LayoutOptions(encoding="UTF-8"))
    data = render_bytes(doc)
    assert b"\x1c&" not in data
    out = decode(data, plain_codec="utf-8")
    assert out.texts == doc.lines()
    assert any(t.endswith("¥200.49") for t in out.texts)


def test_code_page_printer_goes_through_python_escpos_encoder() -> None:
    rc = samples.sale(lines=(ReceiptLine("Café crème €5 咖啡", 1, 100, 100, 0, 100),),
                      store_name="Le Bon Coin", store_address="Paris", member=None,
                      coupons=())
    doc = receipt(rc, LayoutOptions(encoding="CP858"))
    data = render_bytes(doc)
    assert b"\x1bt\x13" in data  # ESC t 19: code page 858
    out = decode(data)
    assert "Café crème €5 ??" in out.texts
    assert out.texts == doc.lines()


def test_every_text_line_is_within_the_columns_on_paper() -> None:
    for paper, cols in ((58, 32), (80, 48)):
        doc = receipt(samples.sale(), LayoutOptions(paper_mm=paper, language="zh_CN"))
        for line in decode(render_bytes(doc)).lines:
            assert doc.charset.width(line.text) * line.width <= cols, line


def test_unknown_profile_and_encoding_are_config_errors() -> None:
    doc = receipt(samples.sale(), LayoutOptions())
    with pytest.raises(PrinterError, match="profile 'nope'") as err:
        render_bytes(doc, "nope")
    assert not err.value.retryable
    with pytest.raises(PrinterError, match="encoding 'KOI9'"):
        receipt(samples.sale(), LayoutOptions(encoding="KOI9"))


def test_document_ops_are_what_the_bytes_show() -> None:
    doc = receipt(samples.refund(), LayoutOptions(paper_mm=58))
    out = decode(render_bytes(doc))
    bold = [op.text for op in doc.ops if isinstance(op, Text) and op.bold]
    assert bold == [ln.text for ln in out.lines if ln.bold]
