"""The programme's receipt texts: a header and a footer line per language, dated with the rules
(a sale's receipt prints the texts in force at its time), decoded back from the ESC/POS bytes."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from printers.layouts import LayoutOptions, receipt
from printers.print_jobs import PrintJob, document_for
from printers.render import render_bytes
from terminal.core import programme_file
from terminal.core.config import SettingsError
from terminal.core.rules import ReceiptTexts
from terminal.db import models as m
from terminal.services import printing, programme
from terminal.services.receipts import Receipt, receipt_for
from tests.helpers import factory

from .escpos_decode import decode

TEXTS = ReceiptTexts(header=(("en", "Open 8:00-22:00"), ("zh_CN", "营业时间 8:00-22:00")),
                     footer=(("en", "See you soon"), ("zh_CN", "欢迎再次光临本店")))


def printed(rc: Receipt, language: str) -> list[str]:
    return decode(render_bytes(receipt(rc, LayoutOptions(language=language)))).texts


def test_a_sale_after_a_change_prints_the_new_footer(ctx, clock, catalogue):
    before = factory.sale(ctx, [("LATTE", 1)])
    assert "Thank you for shopping with us!" in printed(before, "en")
    boss = factory.manager(ctx)
    clock.advance(minutes=1)
    programme.change(ctx, replace(ctx.programme, receipt=TEXTS), None, "opening hours", boss)
    after = factory.sale(ctx, [("LATTE", 1)])
    english, chinese = printed(after, "en"), printed(after, "zh_CN")
    assert english[-1] == "See you soon" and "Thank you for shopping with us!" not in english
    assert english.index("Open 8:00-22:00") < english.index("SALE")  # under the shop's name
    assert chinese[-1] == "欢迎再次光临本店" and "营业时间 8:00-22:00" in chinese
    # a reprint of the sale before the change keeps the texts of its time
    assert receipt_for(ctx, before.txn_id).texts == ReceiptTexts()
    assert "See you soon" not in printed(receipt_for(ctx, before.txn_id), "en")
    # the print queue keeps the texts with the job
    again = printing.decode(Receipt, printing.encode(after))
    assert again.texts == TEXTS
    doc = document_for(PrintJob("receipt", again), ctx.settings)
    assert doc.lines()[-1] == "See you soon"


def test_one_language_given_leaves_the_other_as_it_was(ctx, catalogue):
    rc = factory.sale(ctx, [("LATTE", 1)])
    only = replace(rc, texts=ReceiptTexts(footer=(("zh_CN", "谢谢"),), header=(("en", " "),)))
    assert printed(only, "zh_CN")[-1] == "谢谢"
    english = printed(only, "en")
    assert english[-1] == "Thank you for shopping with us!"
    assert english.index("SALE") == printed(rc, "en").index("SALE")  # no blank header line


def test_the_receipt_section_reads_back_as_written():
    data = {"receipt": {"header": "Open daily", "footer_zh_CN": "欢迎光临", "footer": ""}}
    rules = programme_file.programme_from_dict(data, "CNY")
    assert rules.receipt == ReceiptTexts((("en", "Open daily"),), (("zh_CN", "欢迎光临"),))
    written = programme_file.programme_to_dict(rules)["receipt"]
    assert written == {"header": "Open daily", "header_zh_CN": "", "footer": "",
                       "footer_zh_CN": "欢迎光临", "offer": "", "offer_zh_CN": ""}
    assert programme_file.programme_from_dict(
        programme_file.programme_to_dict(rules), "CNY") == rules


@pytest.mark.parametrize(("value", "says"), [
    ({"footer": "x" * 121}, "[receipt] footer: expected at most 120 characters"),
    ({"footer": 5}, "[receipt] footer: expected text in quotes"),
    ({"foot": "hi"}, "[receipt] foot: unknown setting"),
])
def test_a_bad_receipt_text_is_named(value, says):
    with pytest.raises(SettingsError) as caught:
        programme_file.programme_from_dict({"receipt": value}, "CNY")
    assert says in str(caught.value)


def test_a_version_saved_before_receipt_texts_reads_as_the_defaults(ctx):
    old = {"schema": 1, "currency": "CNY", "rules": {
        k: v for k, v in programme.as_dict(ctx.programme).items() if k != "receipt"}}
    m.ProgrammeVersion.create(effective_from=programme.BEGINNING, rules=json.dumps(old),
                              created_at=ctx.now(), created_by="setup", store_id="S001",
                              terminal_id="T01", reason="saved by the version before")
    programme.invalidate()
    assert programme.version_in_force(ctx) is not None
    assert programme.in_force(ctx).receipt == ReceiptTexts()
