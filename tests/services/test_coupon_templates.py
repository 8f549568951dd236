"""Coupon templates: checked, saved with a manager's approval, refused in words the window
can translate (the template and the field's name apart from the figures)."""

from __future__ import annotations

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
