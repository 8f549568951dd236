"""Coupon templates: checked, saved with a manager's approval, refused in words the window
can translate (the template and the field's name apart from the figures)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from terminal.core.errors import Conflict, InvalidInput, PermissionDenied
from terminal.db import models as m
from terminal.services import coupon_templates as templates
from terminal.services.coupon_templates import TemplateFields, TemplateRefused
from tests.helpers import factory


def test_save_template_checks(ctx, catalogue):
    manager_id = factory.manager(ctx)
    good = TemplateFields("X1", "x", "percent", percent=Decimal("12.5"), auto_rule="birthday")
    with pytest.raises(InvalidInput, match="Unknown rule"):
        templates.check_template(TemplateFields("X1", "x", "amount", 100, auto_rule="weekly"))
    with pytest.raises(InvalidInput, match="percent"):
        templates.check_template(TemplateFields("X1", "x", "percent", percent=Decimal("-1")))
    with pytest.raises(PermissionDenied, match="changing offers"):
        templates.save_template(ctx, good, "cashier1", creating=True)
    saved = templates.save_template(ctx, good, manager_id, creating=True)
    assert saved.percent == Decimal("12.50")
    assert m.CouponTemplate.get_by_id("X1").auto_rule == "birthday"
    with pytest.raises(Conflict) as taken:
        templates.save_template(ctx, good, manager_id, creating=True)
    assert (taken.value.message_id, taken.value.details) == (
        "An offer with the code {code} exists already.", {"code": "X1"})


def test_a_refusal_keeps_its_words_apart_from_its_figures():
    with pytest.raises(TemplateRefused) as refused:
        templates.check_template(TemplateFields("X1", "x", "amount", 100, valid_days=0))
    error = refused.value
    assert (error.message_id, error.details) == (
        "{field} must be a whole number from {low} to {high}",
        {"field": "Days valid", "low": 1, "high": templates.MAX_VALID_DAYS})
    assert error.details["field"].context == "offer field"  # translated with the message
    assert str(error) == f"Days valid must be a whole number from 1 to {templates.MAX_VALID_DAYS}"


def test_active_templates_are_listed_by_name(ctx, catalogue):
    manager_id = factory.manager(ctx)
    for code, name in (("B2", "Beta"), ("A1", "Alpha")):
        templates.save_template(ctx, TemplateFields(code, name, "amount", 100), manager_id,
                                creating=True)
    templates.set_active(ctx, "B2", False, manager_id)
    names = [t.name for t in templates.active_templates()]
    assert "Alpha" in names and "Beta" not in names


def test_a_template_has_a_chinese_name_beside_the_english_one(ctx, catalogue):
    manager_id = factory.manager(ctx)
    fields = TemplateFields("CN1", "Ten off", "amount", 1000, name_zh_cn="  立减10元 ")
    saved = templates.save_template(ctx, fields, manager_id, creating=True)
    assert (saved.name, saved.name_zh_cn) == ("Ten off", "立减10元")
    assert m.CouponTemplate.get_by_id("CN1").name_zh_cn == "立减10元"
    assert [t.name_zh_cn for t in templates.all_templates() if t.code == "CN1"] == ["立减10元"]
    entry = m.AuditEntry.select().where(m.AuditEntry.subject == "CN1").get()
    assert json.loads(entry.after)["name_zh_cn"] == "立减10元"
    choice = next(t for t in templates.active_templates() if t.code == "CN1")
    assert (choice.name_in("zh_CN"), choice.name_in("en")) == ("立减10元", "Ten off")
    with pytest.raises(TemplateRefused) as too_long:
        templates.check_template(TemplateFields("CN2", "x", "amount", 100, name_zh_cn="长" * 101))
    assert too_long.value.text("zh_CN") != str(too_long.value)  # worded in Chinese too


def test_a_template_without_a_chinese_name_shows_its_english_one(ctx, catalogue):
    manager_id = factory.manager(ctx)
    templates.save_template(ctx, TemplateFields("EN1", "Only English", "amount", 100),
                            manager_id, creating=True)
    choice = next(t for t in templates.active_templates() if t.code == "EN1")
    assert choice.name_in("zh_CN") == "Only English"


def test_changing_offers_without_a_manager_is_refused_in_chinese(ctx):
    with pytest.raises(PermissionDenied) as refused:
        templates.set_active(ctx, "WELCOME", False, "cashier1")
    assert refused.value.details["action"].context == "approval"
    chinese = refused.value.text("zh_CN")
    assert "changing offers" not in chinese and "offers" not in chinese


def test_the_counter_and_the_receipt_name_a_coupon_in_the_readers_language(ctx, catalogue):
    from terminal.services import checkout, lookup, members
    from terminal.services.checkout import SaleItem

    mb = factory.member(ctx, "Zhou")
    (welcome,) = members.view(ctx, mb.id).coupons  # the member panel, the checkout's picker
    assert (welcome.name_in("en"), welcome.name_in("zh_CN")) == ("Welcome: 10 off 50",
                                                                  "新会员礼：满50减10")
    found = lookup.lookup(ctx, f"C1.{welcome.code}")  # its QR code scanned at the counter
    assert isinstance(found, lookup.CouponFound)
    assert (found.name, found.name_in("zh_CN")) == ("Welcome: 10 off 50", "新会员礼：满50减10")
    preview = checkout.preview(ctx, (SaleItem("CAKE", 4),), mb.id, welcome.code)
    assert preview.coupon_name_in("zh_CN") == "新会员礼：满50减10"
    assert preview.coupon_name_in("en") == preview.coupon_name == "Welcome: 10 off 50"
    receipt = factory.sale(ctx, [("CAKE", 4)], mb.id, coupon_code=welcome.code)
    (next_visit,) = receipt.coupons  # earned by this sale, printed on its receipt
    assert (next_visit.name_in("en"), next_visit.name_in("zh_CN")) == (
        "Next visit 5% off", "下次光临95折")
