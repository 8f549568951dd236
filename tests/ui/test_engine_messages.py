"""The engine's messages show in the counter's language: by their id, through gettext."""

from __future__ import annotations

from terminal.core.errors import InsufficientPoints, InvalidInput, PunchCardError
from terminal.db.database import DatabaseMissing
from terminal.ui import engine_messages
from terminal.ui.widgets import describe


def test_the_window_without_a_translation_speaks_english(qapp) -> None:
    assert engine_messages.language() == "en"
    error = InsufficientPoints("only {balance} live points; {requested} needed",
                               balance=3, requested=500)
    assert describe(error) == str(error) == "only 3 live points; 500 needed"


def test_messages_show_in_the_counters_language(qapp, zh_cn) -> None:
    assert engine_messages.language() == "zh_CN"
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
    # (the UI's own refusals are worded by Qt already; tests/locale keeps the engine's
    # catalogue complete)
    assert describe(InvalidInput("金额不能为负数：{0}")) == "金额不能为负数：{0}"


def test_an_offer_refusal_shows_in_the_counters_language(qapp, zh_cn) -> None:
    from terminal.core.i18n import Term
    from terminal.services.coupon_templates import TemplateMissing, TemplateRefused

    days = describe(TemplateRefused("{field} must be a whole number from {low} to {high}",
                                    field=Term("Days valid", "offer field"), low=1, high=3650))
    assert days == "有效天数必须是 1 到 3650 之间的整数"
    missing = describe(TemplateMissing("No offer has the code {code}.", code="X1"))
    assert missing == "没有代码为 X1 的优惠。"
