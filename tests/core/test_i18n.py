"""The gettext catalogue: messages by id with their arguments, plural forms, terms, and
the catalogue read from its .mo or, before `make translations`, from its .po."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from terminal.core import i18n
from terminal.core.errors import InsufficientPoints, NotFound, RefundError
from terminal.core.i18n import Term
from terminal.db import models as m
from terminal.services.backup import BackupError

POINTS = "only {balance} live points; {requested} needed"


def test_an_error_keeps_its_id_and_arguments_and_reads_in_english() -> None:
    error = InsufficientPoints(POINTS, balance=3, requested=500)
    assert error.message_id == POINTS
    assert error.args_dict == {"balance": 3, "requested": 500}
    assert str(error) == error.text("en") == "only 3 live points; 500 needed"
    assert error.text("zh_CN") == "有效积分只有 3；需要 500"
    assert error.text("fr") == str(error)  # no catalogue: the English


def test_a_fixed_message_with_a_brace_is_kept_as_written() -> None:
    assert str(NotFound("no such {thing}")) == "no such {thing}"


def test_plural_forms_follow_each_languages_rules() -> None:
    one, many = "only {n} {name} card is still active", "only {n} {name} cards are still active"
    assert str(RefundError(one, plural=many, n=1, name="Coffee")) == (
        "only 1 Coffee card is still active")
    assert str(RefundError(one, plural=many, n=2, name="Coffee")) == (
        "only 2 Coffee cards are still active")
    assert RefundError(one, plural=many, n=2, name="咖啡").text("zh_CN") == "只有 2 张咖啡仍然有效"


def test_a_term_is_translated_with_its_message() -> None:
    error = RefundError("a {kind} cannot be refunded", kind=Term("topup", "transaction kind"))
    assert str(error) == "a topup cannot be refunded"
    assert error.text("zh_CN") == "充值不能退款"
    assert i18n.term("zh_CN", "sale status", "completed") == "已完成"
    assert i18n.term("en", "sale status", "completed") == "completed"


def test_an_error_reworded_as_another_kind_keeps_its_message() -> None:
    error = BackupError.like(NotFound("no member has card {card}", card="1"))
    assert isinstance(error, BackupError)
    assert error.text("zh_CN") == "没有会员使用卡号 1"


def test_the_transaction_kinds_are_the_databases() -> None:
    assert i18n.TERMS["transaction kind"] == m.Txn.KINDS


def test_the_print_job_kinds_are_the_queues() -> None:
    from terminal.services.printing import KINDS

    assert i18n.TERMS["print job kind"] == KINDS
    assert i18n.term("zh_CN", "print job kind", "member_card") != "member_card"


@pytest.fixture
def locale_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    po = i18n.po_path("zh_CN")
    copy = tmp_path / "zh_CN" / "LC_MESSAGES" / po.name
    copy.parent.mkdir(parents=True)
    shutil.copy(po, copy)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translation.cache_clear()
    yield tmp_path
    i18n.translation.cache_clear()


def test_without_a_built_mo_the_po_is_compiled_in_memory(locale_dir: Path) -> None:
    assert not list(locale_dir.rglob("*.mo"))
    assert i18n.gettext_("zh_CN", "wrong PIN") == "密码错误"
    assert not list(locale_dir.rglob("*.mo"))


def test_a_built_mo_is_read(locale_dir: Path) -> None:
    po = locale_dir / "zh_CN" / "LC_MESSAGES" / "member_terminal.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "密码错误"', 'msgstr "PIN!"'),
                  encoding="utf-8")
    po.with_suffix(".mo").write_bytes(i18n.compile_po(po))
    assert i18n.gettext_("zh_CN", "wrong PIN") == "PIN!"
    assert i18n.pgettext("zh", "receipt:total", "TOTAL") == "合计"  # "zh" is zh_CN


def test_a_phrase_is_english_text_that_translates_with_its_arguments() -> None:
    where = i18n.Phrase("the closing of {day}", day="2026-12-01")
    found = i18n.Phrase("audit log: entry {seq} is not the one {where} recorded: the log was "
                        "cut short at entry {seq} and written again from there",
                        seq=7, where=where)
    assert found.startswith("audit log: entry 7 is not the one the closing of 2026-12-01")
    assert found.text("zh_CN").startswith("审计日志：第 7 条记录不是2026-12-01 的日结所记录的")


def test_the_catalogue_ships_with_the_package() -> None:
    # `pip install` copies package data only: without the .po a plain install is English
    import tomllib

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "*/LC_MESSAGES/*.po" in data["package-data"]["terminal.locale"]
    assert i18n.po_path("zh_CN").is_file()


def test_the_tenders_are_the_refunds() -> None:
    from terminal.services.refunds import TENDER_WORDS, TENDERS

    assert tuple(TENDER_WORDS) == TENDERS
    assert i18n.TERMS["tender"] == tuple(TENDER_WORDS.values())
    assert i18n.term("zh_CN", "tender", "stored value") == "储值"


def test_the_message_states_are_the_outboxs() -> None:
    assert i18n.TERMS["message state"] == m.Message.STATES
