"""Preview: the same Printout drawn on paper-sized images with real, decodable QR codes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from printers import preview as preview_mod
from printers.layouts import LayoutOptions, MemberCardSlip, member_card, receipt
from printers.preview import preview
from printers.print_jobs import save_preview
from printers.printout import Text

from . import samples


@pytest.mark.parametrize("paper,width", [(80, 576), (58, 384)])
def test_preview_is_paper_width_and_qr_codes_decode(tmp_path: Path, paper: int,
                                                    width: int) -> None:
    doc = receipt(samples.sale(), LayoutOptions(paper_mm=paper, language="zh_CN"))
    path = tmp_path / "receipt.png"
    save_preview(doc, path)
    img = Image.open(path)
    assert img.width == width
    assert img.height > 40 * len(doc.lines()) // 2
    found = sorted(r.text for r in zxingcpp.read_barcodes(img))
    assert found == sorted([samples.COUPON.payload, samples.COUPON2.payload])


def test_member_card_preview_qr_decodes() -> None:
    slip = MemberCardSlip("Store", "李四", "100000124", "139****0001", "银卡",
                          "M1.inst.100000124.abcdef")
    img = preview(member_card(slip, LayoutOptions(paper_mm=58)))
    assert [r.text for r in zxingcpp.read_barcodes(img)] == ["M1.inst.100000124.abcdef"]


def test_chinese_preview_uses_a_cjk_font() -> None:
    face = preview_mod.font(24)
    assert face.getname()[0] == "Noto Sans Mono CJK SC"  # fonts-noto-cjk is a dependency
    # A real glyph, not the same empty box for every character.
    assert face.getmask("中").getbbox() != face.getmask("文").getbbox() or (
        bytes(face.getmask("中")) != bytes(face.getmask("文")))


def test_text_stays_inside_the_paper_and_columns_line_up() -> None:
    doc = receipt(samples.sale(), LayoutOptions(paper_mm=58, language="zh_CN"))
    img = np.array(preview(doc))
    assert img.shape[1] == 384
    ink_columns = np.nonzero((img < 128).any(axis=0))[0]
    assert ink_columns.min() >= 0 and ink_columns.max() <= 383
    # A justified row ends at the right edge whether its label is Chinese or not.
    one = Text("合计金额" + " " * 19 + "12.50")
    two = Text("Total" + " " * 22 + "12.50")
    assert doc.charset.width(one.text) == doc.charset.width(two.text) == 32
    a = np.array(preview(type(doc)((one,), 32, 58, doc.charset)))
    b = np.array(preview(type(doc)((two,), 32, 58, doc.charset)))
    right = slice(384 - 5 * 12, 384)
    assert (a[:, right] == b[:, right]).all()
    assert (a[:, right] < 128).any()
