"""The engine's messages show in the counter's language: by their id, through gettext."""

from __future__ import annotations

import pytest

from terminal.core.errors import InsufficientPoints, InvalidInput, PunchCardError
from terminal.db.database import DatabaseMissing
from terminal.ui.text import language
from terminal.ui.widgets import describe


def test_the_window_without_a_translation_speaks_english(qapp) -> None:
    assert language() == "en"
    error = InsufficientPoints("only {balance} live points; {requested} needed",
                               balance=3, requested=500)
    assert describe(error) == str(error) == "only 3 live points; 500 needed"


def test_messages_show_in_the_counters_language(qapp, zh_cn) -> None:
    assert language() == "zh_CN"
    assert describe(InvalidInput("the basket is empty")) == "购物篮是空的"
    # a message with figures in it: its id and arguments, not the English sentence
    error = InsufficientPoints("only {balance} live points; {requested} needed",
                               balance=3, requested=500)
    assert str(error) == "only 3 live points; 500 needed"  # the log keeps the English
    assert describe(error) == "有效积分只有 3；需要 500"
    used_up = PunchCardError("the {name} card has {n} visit left",
                             plural="the {name} card has {n} visits left", n=0, name="咖啡")
    assert describe(used_up) == "咖啡剩余 0 次"
    missing = DatabaseMissing("the database file {path} does not exist: check --db or "
                              "[database] url (the counter or `member-terminal demo` creates "
                              "a new database)", path="/x.sqlite")
    assert describe(missing).startswith("数据库文件 /x.sqlite 不存在")


def test_a_message_the_catalogue_lacks_shows_as_written(qapp, zh_cn) -> None:
    # (tests/locale keeps the catalogue complete: this is a message from elsewhere)
    assert describe(InvalidInput("not in the catalogue: {x}", x=1)) == "not in the catalogue: 1"


def test_the_windows_own_refusals_are_message_ids_too(qapp, zh_cn) -> None:
    from terminal.ui.widgets import parse_amount, parse_count

    with pytest.raises(InvalidInput) as negative:
        parse_amount("-5", "CNY")
    assert str(negative.value) == "an amount cannot be negative: -5"  # the log's English
    assert describe(negative.value) == "金额不能为负数：-5"
    with pytest.raises(InvalidInput) as letters:
        parse_count("12a", "数量")
    assert describe(letters.value) == "数量必须是整数，不能是 12a"


def test_an_offer_refusal_shows_in_the_counters_language(qapp, zh_cn) -> None:
    from terminal.core.i18n import Term
    from terminal.services.coupon_templates import TemplateMissing, TemplateRefused

    days = describe(TemplateRefused("{field} must be a whole number from {low} to {high}",
                                    field=Term("Days valid", "offer field"), low=1, high=3650))
    assert days == "有效天数必须是 1 到 3650 之间的整数"
    missing = describe(TemplateMissing("No offer has the code {code}.", code="X1"))
    assert missing == "没有代码为 X1 的优惠。"


def test_a_printer_error_shows_in_the_counters_language(qapp, zh_cn) -> None:
    from printers.connection import parse_connection
    from printers.errors import PrinterError

    error = PrinterError("{printer} is out of paper: put in a new roll", "paper_out",
                         printer=parse_connection("network:10.0.0.5").describe())
    assert str(error) == "network printer 10.0.0.5:9100 is out of paper: put in a new roll"
    assert describe(error) == "网络打印机 10.0.0.5:9100 缺纸：请装上新纸卷"
