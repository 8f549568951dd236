"""Every fixed message the engine raises is in the counter's translation catalogue."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from terminal.core.errors import InvalidInput
from terminal.ui import engine_messages
from terminal.ui.i18n.build import compile_translations
from terminal.ui.language import install_translation
from terminal.ui.widgets import describe

ROOT = Path(__file__).resolve().parents[2]
# raise SomeError("a fixed sentence") or raise SomeError(SomeError.REASON, "a fixed sentence")
# (not raise _helper("…"): a helper builds a longer message with figures in it)
RAISED = re.compile(r'raise [A-Z]\w*\((?:[\w.]+, )?"([^"{]+)"[,)]')


def test_every_fixed_engine_message_is_listed() -> None:
    raised = set()
    for folder in ("terminal/services", "terminal/loyalty"):
        for path in (ROOT / folder).rglob("*.py"):
            raised |= set(RAISED.findall(path.read_text(encoding="utf-8")))
    for name in ("terminal/core/money.py", "terminal/core/rules.py"):
        raised |= set(RAISED.findall((ROOT / name).read_text(encoding="utf-8")))
    assert raised - set(engine_messages.MESSAGES) == set()
    assert set(engine_messages.MESSAGES) - raised == set()  # none left after a rewording


@pytest.fixture
def zh_cn(qapp, tmp_path: Path) -> Iterator[None]:
    compile_translations(tmp_path)
    installed, warning = install_translation(qapp, "zh_CN", tmp_path)
    assert warning is None
    yield
    for translator in installed:
        qapp.removeTranslator(translator)


def test_messages_show_in_the_counters_language(qapp, zh_cn) -> None:
    assert describe(InvalidInput("the basket is empty")) == "购物篮是空的"
    assert describe(InvalidInput("only 3 points left")) == "only 3 points left"
    assert QCoreApplication.translate("engine", "wrong PIN") == "密码错误"


def test_an_offer_refusal_shows_in_the_counters_language(qapp, zh_cn) -> None:
    from terminal.services.coupon_templates import TemplateMissing, TemplateRefused

    days = describe(TemplateRefused("{0} must be a whole number from {1} to {2}", 1, 3650,
                                    label="Days valid"))
    assert "1" in days and "3650" in days
    assert "Days valid" not in days and "whole number" not in days
    assert describe(TemplateMissing("No offer has the code {0}.", "X1")).count("X1") == 1
    assert "No offer" not in describe(TemplateMissing("No offer has the code {0}.", "X1"))
