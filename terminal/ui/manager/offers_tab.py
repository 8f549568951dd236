"""The offers tab: the coupon templates, and the rules that give them out by themselves."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core import money
from ...core.errors import InvalidInput
from ...services import coupon_templates as templates
from ...services.context import Context
from ...services.coupon_templates import RULE_FIELDS, TemplateFields
from ..qt.tasks import TaskRunner
from ..text import language, tr, trc
from ..widgets import ErrorLine, check_box, combo_box
from .common import Column, ManagerTab, RowsModel, action_button, amount, hint_label, table_view


def kind_label(kind: str) -> str:
    labels = {
        "amount": tr("Amount off"),
        "percent": tr("Percent off"),
        "free_item": tr("Free item"),
    }
    return labels.get(kind, kind)


def rule_label(rule: str | None, long: bool = False) -> str:
    short = {
        None: tr("none"),
        "welcome": tr("welcome"),
        "next_visit": tr("next visit"),
        "cross_sell": tr("cross-sell"),
        "birthday": tr("birthday"),
        "win_back": tr("win back"),
    }
    explained = {
        None: tr("None: by hand or by a campaign"),
        "welcome": tr("Welcome: on joining"),
        "next_visit": tr(
            "Next visit: after a sale of a minimum spend"),
        "cross_sell": tr(
            "Cross-sell: bought a category or brand"),
        "birthday": tr("Birthday: scanned in the birthday week"),
        "win_back": tr("Win back: scanned after days away"),
    }
    return (explained if long else short).get(rule, rule or "")


class OffersTab(ManagerTab):
    """Pick an offer in the list to change it, or press New offer. Saving needs a manager
    (the one signed in) and is written in the audit log with the fields before and after."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.editing: str | None = None  # the code of the offer in the form; None: a new one
        self.busy = False
        self.keep_message = False
        cur = ctx.currency

        def value(t: TemplateFields) -> str:
            if t.kind == "amount":
                return amount(ctx, t.amount)
            if t.kind == "percent":
                return f"{t.percent.normalize():f}%"
            return t.sku or ""

        def money_or_blank(value: int) -> str:
            return money.format_amount(value, cur) if value else ""

        self.model = RowsModel[TemplateFields]([
            Column(tr("Code"), lambda t: t.code),
            Column(trc("name of a thing", "Name"), lambda t: t.name_in(language())),
            Column(tr("Kind"), lambda t: kind_label(t.kind)),
            Column(tr("Off / item"), value, True),
            Column(tr("Min. spend"), lambda t: money_or_blank(t.min_spend), True),
            Column(tr("Categories / brands"),
                   lambda t: " / ".join(x for x in (t.categories, t.brands) if x)),
            Column(tr("Valid days"), lambda t: t.valid_days, True),
            Column(tr("Rule"), lambda t: rule_label(t.auto_rule)),
            Column(tr("Rule spend"), lambda t: money_or_blank(t.auto_min_spend), True),
            Column(tr("Rule category"), lambda t: t.auto_category or ""),
            Column(tr("Rule days"), lambda t: t.auto_days or "", True),
            Column(tr("Active"), lambda t: tr("yes") if t.active else tr("no")),
        ], self)
        self.table = table_view(self.model, 1)
        self.shrink_font(self.table)  # twelve columns
        self.table.selectionModel().selectionChanged.connect(self.on_selection_changed)
        self.list_message = ErrorLine()

        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(32)
        self.code_edit.setPlaceholderText(tr("e.g. CARE10"))
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(100)
        self.name_edit.setPlaceholderText(tr("e.g. Bought shampoo: 10 off conditioner"))
        self.name_zh_edit = QLineEdit()
        self.name_zh_edit.setObjectName("name_zh_edit")
        self.name_zh_edit.setMaxLength(100)
        self.name_zh_edit.setPlaceholderText(tr("empty: the English name"))
        self.active_box = check_box(tr("Active"))
        self.active_box.setChecked(True)
        self.kind_combo = combo_box()
        for kind in templates.KINDS:
            self.kind_combo.addItem(kind_label(kind), kind)
        self.kind_combo.currentIndexChanged.connect(self.on_kind_or_rule_changed)
        self.amount_edit = QLineEdit()
        self.amount_edit.setPlaceholderText("10.00")
        self.percent_edit = QLineEdit()
        self.percent_edit.setPlaceholderText("5")
        self.sku_edit = QLineEdit()
        self.sku_edit.setPlaceholderText("SKU")
        self.min_spend_edit = QLineEdit()
        self.min_spend_edit.setPlaceholderText("0.00")
        self.categories_edit = QLineEdit()
        self.categories_edit.setPlaceholderText(tr("any; or e.g. care, drinks"))
        self.brands_edit = QLineEdit()
        self.brands_edit.setPlaceholderText(tr("e.g. BrandB"))
        self.valid_days_spin = QSpinBox()
        self.valid_days_spin.setRange(1, templates.MAX_VALID_DAYS)
        self.valid_days_spin.setValue(30)
        self.rule_combo = combo_box()
        for rule in (None, *templates.RULES):
            self.rule_combo.addItem(rule_label(rule, long=True), rule)
        self.rule_combo.currentIndexChanged.connect(self.on_kind_or_rule_changed)
        self.auto_min_spend_edit = QLineEdit()
        self.auto_min_spend_edit.setPlaceholderText("0.00")
        self.auto_category_edit = QLineEdit()
        self.auto_category_edit.setPlaceholderText(tr("e.g. care"))
        self.auto_days_spin = QSpinBox()
        self.auto_days_spin.setRange(0, templates.MAX_VALID_DAYS)

        grid = QGridLayout()
        cells = (  # (row, column, label, field, columns the field spans)
            (0, 0, tr("Code"), self.code_edit, 1),
            (0, 2, trc("name of a thing", "Name"), self.name_edit, 1),
            (0, 4, tr("Name in Chinese"), self.name_zh_edit, 1),
            (1, 0, tr("Kind"), self.kind_combo, 1),
            (1, 2, tr("Amount off"), self.amount_edit, 1),
            (1, 4, tr("Percent off"), self.percent_edit, 1),
            (2, 0, tr("Free item"), self.sku_edit, 1),
            (2, 2, tr("Minimum spend"), self.min_spend_edit, 1),
            (2, 4, tr("Days valid"), self.valid_days_spin, 1),
            (3, 0, tr("Categories"), self.categories_edit, 1),
            (3, 2, tr("Brands"), self.brands_edit, 1),
            (3, 4, "", self.active_box, 1),
            (4, 0, tr("Given"), self.rule_combo, 1),
            (4, 2, tr("Spend that earns it"), self.auto_min_spend_edit, 1),
            (4, 4, tr("Category or brand bought"), self.auto_category_edit, 1),
            (5, 2, tr("Days (back / away)"), self.auto_days_spin, 1),
        )
        for row, column, text, widget, span in cells:
            if text:
                grid.addWidget(QLabel(text), row, column)
            grid.addWidget(widget, row, column + 1, 1, span)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        self.rule_hint = hint_label()
        self.new_button = action_button(tr("New offer"), self.on_new_clicked)
        self.save_button = action_button(tr("Save the offer"), self.on_save_clicked)
        self.active_button = action_button(tr("Switch off"), self.on_active_clicked)
        self.form_message = ErrorLine()
        buttons = QHBoxLayout()
        buttons.addWidget(self.form_message, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.active_button)
        buttons.addWidget(self.save_button)
        self.form_box = QGroupBox(tr("New offer"))
        form_layout = QVBoxLayout(self.form_box)
        form_layout.addLayout(grid)
        form_layout.addWidget(self.rule_hint)
        form_layout.addLayout(buttons)

        intro = QLabel(tr("Offers are coupon templates: a campaign or the counter issues "
                          "coupons from "
            "them; with a rule the counter gives them out by itself."))
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.list_message)
        layout.addWidget(self.form_box)
        self.on_new_clicked()
        self.reload()

    # -- the list ----------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        def loaded(rows: list[TemplateFields]) -> None:
            self.model.set_rows(rows)
            for row, t in enumerate(rows):
                if t.code == select:
                    self.keep_message = True  # the form says what was just saved
                    try:
                        self.table.selectRow(row)
                    finally:
                        self.keep_message = False

        self.run(templates.all_templates, loaded, self.list_message.show_error,
                 what=tr("reading the offers"))

    @Slot()
    def on_selection_changed(self) -> None:
        offer = self.model.picked(self.table)
        if offer is not None:
            self.fill(offer, keep_message=self.keep_message)

    # -- the form ----------------------------------------------------------------------------
    def fill(self, t: TemplateFields, keep_message: bool = False) -> None:
        """The offer in the form, to change it (its code stays)."""
        cur = self.ctx.currency
        self.editing = t.code
        self.form_box.setTitle(tr("Change the offer {0}").format(t.code))
        self.code_edit.setText(t.code)
        self.code_edit.setReadOnly(True)
        self.name_edit.setText(t.name)
        self.name_zh_edit.setText(t.name_zh_cn)
        self.active_box.setChecked(t.active)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(t.kind)))
        self.amount_edit.setText(str(money.to_decimal(t.amount, cur)) if t.amount else "")
        self.percent_edit.setText(f"{t.percent.normalize():f}" if t.percent else "")
        self.sku_edit.setText(t.sku or "")
        self.min_spend_edit.setText(str(money.to_decimal(t.min_spend, cur))
                                    if t.min_spend else "")
        self.categories_edit.setText(t.categories)
        self.brands_edit.setText(t.brands)
        self.valid_days_spin.setValue(t.valid_days)
        self.rule_combo.setCurrentIndex(max(0, self.rule_combo.findData(t.auto_rule)))
        self.auto_min_spend_edit.setText(str(money.to_decimal(t.auto_min_spend, cur))
                                         if t.auto_min_spend else "")
        self.auto_category_edit.setText(t.auto_category or "")
        self.auto_days_spin.setValue(t.auto_days)
        self.active_button.setEnabled(True)
        self.active_button.setText(tr("Switch off") if t.active else tr("Switch on"))
        if not keep_message:
            self.form_message.clear()
        self.on_kind_or_rule_changed()

    @Slot()
    def on_new_clicked(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self.form_box.setTitle(tr("New offer"))
        self.code_edit.setReadOnly(False)
        for edit in (self.code_edit, self.name_edit, self.name_zh_edit, self.amount_edit,
                     self.percent_edit, self.sku_edit, self.min_spend_edit, self.categories_edit,
                     self.brands_edit, self.auto_min_spend_edit, self.auto_category_edit):
            edit.clear()
        self.active_box.setChecked(True)
        self.kind_combo.setCurrentIndex(0)
        self.valid_days_spin.setValue(30)
        self.rule_combo.setCurrentIndex(0)
        self.auto_days_spin.setValue(0)
        self.active_button.setEnabled(False)
        self.active_button.setText(tr("Switch off"))
        self.form_message.clear()
        self.on_kind_or_rule_changed()

    @Slot()
    def on_kind_or_rule_changed(self) -> None:
        """Only the fields the kind and the rule use can be typed in."""
        kind = self.kind_combo.currentData()
        self.amount_edit.setEnabled(kind == "amount")
        self.percent_edit.setEnabled(kind == "percent")
        self.sku_edit.setEnabled(kind == "free_item")
        used = RULE_FIELDS.get(self.rule_combo.currentData(), ())
        self.auto_min_spend_edit.setEnabled("auto_min_spend" in used)
        self.auto_category_edit.setEnabled("auto_category" in used)
        self.auto_days_spin.setEnabled("auto_days" in used)
        hints = {
            None: tr("Given only by hand or by a campaign."),
            "welcome": tr("Every new member gets one when they join."),
            "next_visit": tr("A member gets one for a sale of at least the spend that "
                                  "earns it, for their next visit."),
            "cross_sell": tr("A member gets one for buying the category or brand (in "
                                  "this sale, or within the days back), once until used."),
            "birthday": tr("A member scanned in their birthday week gets one, once a "
                                "year."),
            "win_back": tr("A member scanned after the days away (90 if 0) gets one, "
                                "once per absence."),
        }
        self.rule_hint.setText(hints.get(self.rule_combo.currentData(), ""))

    def _money(self, edit: QLineEdit, what: str) -> int:
        text = edit.text().strip()
        if not edit.isEnabled() or not text:
            return 0
        try:
            return money.parse(text, self.ctx.currency)
        except InvalidInput:
            raise InvalidInput("{field}: not an amount: {text}", field=what,
                               text=text[:20]) from None

    def _percent(self) -> Decimal:
        text = self.percent_edit.text().strip().removesuffix("%").strip()
        if not self.percent_edit.isEnabled() or not text:
            return Decimal(0)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise InvalidInput("The percent must be a number from 0 to 100.") from None
        if not value.is_finite():
            raise InvalidInput("The percent must be a number from 0 to 100.")
        return value

    def fields(self) -> TemplateFields:
        """What the form holds; the worker checks the rules (templates.check_template)."""
        return TemplateFields(
            code=self.code_edit.text(), name=self.name_edit.text(),
            name_zh_cn=self.name_zh_edit.text(),
            kind=self.kind_combo.currentData(),
            amount=self._money(self.amount_edit, tr("Amount off")),
            percent=self._percent(),
            sku=self.sku_edit.text() if self.sku_edit.isEnabled() else None,
            min_spend=self._money(self.min_spend_edit, tr("Minimum spend")),
            categories=self.categories_edit.text(), brands=self.brands_edit.text(),
            valid_days=self.valid_days_spin.value(), auto_rule=self.rule_combo.currentData(),
            auto_min_spend=self._money(self.auto_min_spend_edit,
                                       tr("Spend that earns it")),
            auto_category=self.auto_category_edit.text()
            if self.auto_category_edit.isEnabled() else None,
            auto_days=self.auto_days_spin.value() if self.auto_days_spin.isEnabled() else 0,
            active=self.active_box.isChecked())

    @Slot()
    def on_save_clicked(self) -> None:
        if self.busy:
            return
        try:
            found = self.fields()
        except InvalidInput as exc:
            self.form_message.show_error(exc)
            return
        ctx, creating = self.ctx, self.editing is None
        self._busy(True)
        self.form_message.show_info(tr("Saving…"))

        def saved(clean: TemplateFields) -> None:
            self._busy(False)
            self.form_message.show_info(tr("Offer {0} saved.").format(clean.code))
            self.editing = clean.code
            self.code_edit.setReadOnly(True)
            self.form_box.setTitle(tr("Change the offer {0}").format(clean.code))
            self.reload(select=clean.code)

        self.run(lambda: templates.save_template(ctx, found, ctx.staff_id, creating=creating),
                 saved, self._failed, what=tr("saving an offer"))

    @Slot()
    def on_active_clicked(self) -> None:
        code = self.editing
        if code is None or self.busy:
            return
        row = next((t for t in self.model.rows if t.code == code), None)
        active = not (row.active if row is not None else self.active_box.isChecked())
        ctx = self.ctx
        self._busy(True)

        def done(t: TemplateFields) -> None:
            self._busy(False)
            self.form_message.show_info(
                tr("Offer {0} is on.").format(t.code) if t.active
                else tr("Offer {0} is off: no new coupons of it are given.").format(
                    t.code))
            self.reload(select=t.code)

        self.run(lambda: templates.set_active(ctx, code, active, ctx.staff_id), done,
                 self._failed, what=tr("switching an offer"))

    def _failed(self, error: Exception) -> None:
        self._busy(False)
        self.form_message.show_error(error)

    def _busy(self, busy: bool) -> None:
        self.busy = busy
        self.save_button.setEnabled(not busy)
        self.active_button.setEnabled(not busy and self.editing is not None)
