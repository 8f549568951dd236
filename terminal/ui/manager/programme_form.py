"""The programme's rules as a form, one tab a section (tiers, points, stored value,
referral, receipt): filled from the rules in the settings file's form, and read back in that
form as it is typed, for services.programme to check (what the rules refuse is said in the
reader's words under the form)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from ...core import money
from ...core.rules import LEGAL_MAX_BALANCE
from ..text import tr, trc
from ..widgets import check_box, combo_box, grid, hbox, lay_out, vbox
from .common import action_button, hint_label

ZH = "zh_CN"


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text().strip() if item is not None else ""


def _typed_number(text: str) -> str:
    """A typed number as the settings file's text ("5 %" is 5): the rules check its range."""
    return text.strip().removesuffix("%").strip()


def _shown(value: object) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def editable_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def add_row(table: QTableWidget, values: list[str]) -> None:
    row = table.rowCount()
    table.insertRow(row)
    for column, value in enumerate(values):
        table.setItem(row, column, QTableWidgetItem(value))


def scrolled(page: QWidget) -> QScrollArea:
    """A section that scrolls rather than stretch the window past a small screen."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(page)
    return area


def spin(high: int, low: int = 0) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setGroupSeparatorShown(True)
    return box


class RulesForm(QTabWidget):
    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self.addTab(scrolled(self._tiers_page()), tr("Tiers"))
        self.addTab(scrolled(self._points_page()), tr("Points"))
        self.addTab(scrolled(self._stored_value_page()), tr("Stored value"))
        self.addTab(scrolled(self._referral_page()), tr("Referral"))
        self.addTab(scrolled(self._receipt_page()), tr("Receipt"))

    def _tiers_page(self) -> QWidget:
        page = QWidget()
        self.tiers_table = editable_table([
            tr("Code"), tr("Name in English"), tr("Name in Chinese"), tr("Spend to reach it"),
            tr("Discount %"), tr("Points multiplier")])
        self.add_tier_button = action_button(
            tr("Add a tier"), lambda: add_row(self.tiers_table, ["", "", "", "", "0", "1"]))
        self.remove_tier_button = action_button(tr("Remove the tier"),
                                                lambda: self._remove(self.tiers_table))
        self.window_spin = spin(3660, 1)
        self.hold_spin = spin(3660)
        review = hbox(QLabel(tr("Spend counted over (days)")), self.window_spin)
        review.addSpacing(16)
        lay_out(review, QLabel(tr("A tier reached is kept at least (days)")), self.hold_spin, 1)
        about = hint_label(tr("A member's tier follows their spend over the days counted; "
                              "the tier of spend 0 is where every member starts. The "
                              "review moves members up or down."))
        top = hbox((about, 1), self.add_tier_button, self.remove_tier_button)
        page.setLayout(vbox(top, (self.tiers_table, 1), review))
        return page

    def _points_page(self) -> QWidget:
        page = QWidget()
        self.earn_edit = QLineEdit()
        self.categories_table = editable_table([tr("Category"), tr("Multiplier")])
        self.categories_table.setMinimumHeight(110)
        self.add_category_button = action_button(
            tr("Add a category"), lambda: add_row(self.categories_table, ["", "2"]))
        self.remove_category_button = action_button(
            tr("Remove the category"), lambda: self._remove(self.categories_table))
        self.redeem_per_unit_spin = spin(1_000_000, 1)
        self.redeem_min_spin = spin(100_000_000)
        self.redeem_share_edit = QLineEdit()
        self.expiry_spin = spin(1200, 1)
        names = (trc("weekday", "Mon"), trc("weekday", "Tue"), trc("weekday", "Wed"),
                 trc("weekday", "Thu"), trc("weekday", "Fri"), trc("weekday", "Sat"),
                 trc("weekday", "Sun"))
        self.day_boxes: list[QCheckBox] = [check_box(name) for name in names]
        self.member_day_edit = QLineEdit()
        self.birthday_edit = QLineEdit()
        self.birthday_combo = combo_box(10)
        for value, text in (("day", tr("on the day")), ("week", tr("in the birthday week")),
                            ("month", tr("in the birthday month"))):
            self.birthday_combo.addItem(text, value)
        self.on_points_box = check_box(tr("Earn on the part paid with points"))
        self.on_stored_value_box = check_box(tr("Earn on the part paid with stored value"))

        cur = self.currency.upper()
        one = f"{money.SYMBOLS.get(cur, cur + ' ')}1"  # one major unit: "¥1"
        fields = grid(
            [tr("Points per {0} spent").format(one), self.earn_edit,
             tr("Points expire after (months)"), self.expiry_spin],
            [tr("Points that pay {0}").format(one), self.redeem_per_unit_spin,
             tr("Fewest points paid with"), self.redeem_min_spin],
            [tr("Points pay at most (% of the bill)"), self.redeem_share_edit,
             (self.on_points_box, 2)],
            [tr("Member-day multiplier"), self.member_day_edit, (self.on_stored_value_box, 2)],
            [tr("Birthday multiplier"), self.birthday_edit, tr("Birthday counts"),
             self.birthday_combo])
        days = hbox(QLabel(tr("Member days")), *self.day_boxes, 1)
        categories = grid([tr("Categories that earn more"), None, self.add_category_button,
                           self.remove_category_button], [(self.categories_table, 4)])
        categories.setColumnStretch(1, 1)
        page.setLayout(vbox(fields, days, (categories, 1)))
        return page

    def _stored_value_page(self) -> QWidget:
        page = QWidget()
        self.bonuses_table = editable_table([tr("Top-up of at least"), tr("Bonus")])
        self.add_bonus_button = action_button(tr("Add a bonus"),
                                              lambda: add_row(self.bonuses_table, ["", ""]))
        self.remove_bonus_button = action_button(tr("Remove the bonus"),
                                                 lambda: self._remove(self.bonuses_table))
        self.min_top_up_edit = QLineEdit()
        self.max_balance_edit = QLineEdit()
        legal = money.format_amount(LEGAL_MAX_BALANCE, "CNY")
        limits = grid([tr("Smallest top-up"), self.min_top_up_edit, tr("Largest balance"),
                       self.max_balance_edit],
                      [tr("Top-up bonuses"), None, self.add_bonus_button,
                       self.remove_bonus_button])
        page.setLayout(vbox(limits, (self.bonuses_table, 1), hint_label(tr(
            "The largest balance counts the whole balance, bonus included. In China a "
            "named prepaid card may hold at most {0} (单用途商业预付卡管理办法, the "
            "rules for single-purpose prepaid cards); a new shop starts with that limit.")
            .format(legal))))
        return page

    def _referral_page(self) -> QWidget:
        page = QWidget()
        self.referrer_spin = spin(1_000_000)
        self.referee_spin = spin(1_000_000)
        fields = grid([tr("Points for the member who refers"), self.referrer_spin,
                       hint_label(tr("given at the new member's first sale"))],
                      [tr("Points for the member referred"), self.referee_spin,
                       hint_label(tr("given when they join"))])
        fields.setColumnStretch(2, 1)
        fields.setRowStretch(2, 1)
        page.setLayout(fields)
        return page

    def _receipt_page(self) -> QWidget:
        page = QWidget()
        self.receipt_edits: dict[str, QLineEdit] = {}
        rows = (("header", tr("Line under the shop's name, English")),
                (f"header_{ZH}", tr("Line under the shop's name, Chinese")),
                ("footer", tr("Last line, English")),
                (f"footer_{ZH}", tr("Last line, Chinese")),
                ("offer", tr("Customer display between customers, English")),
                (f"offer_{ZH}", tr("Customer display between customers, Chinese")))
        for key, _text in rows:
            edit = QLineEdit()
            edit.setMaxLength(120)
            edit.setObjectName(f"receipt_{key}")
            self.receipt_edits[key] = edit
        self.receipt_edits["footer"].setPlaceholderText(tr("empty: “Thank you for shopping "
                                                           "with us!”"))
        self.receipt_edits[f"footer_{ZH}"].setPlaceholderText(tr("empty: the Chinese "
                                                                 "“thank you”"))
        self.receipt_edits["offer"].setPlaceholderText(tr("e.g. Double points every "
                                                          "Wednesday"))
        about = hint_label(tr("Each receipt prints the lines of its language: the store's "
                              "language. An empty line prints as before. The customer "
                              "display shows the offer in the store's language while no "
                              "one is being served."))
        fields = grid(*((text, self.receipt_edits[key]) for key, text in rows), [(about, 2)])
        fields.setColumnStretch(1, 1)
        fields.setRowStretch(len(rows) + 1, 1)
        page.setLayout(fields)
        return page

    def _remove(self, table: QTableWidget) -> None:
        row = table.currentRow()
        if row >= 0:
            table.removeRow(row)

    def show_rules(self, rules: dict[str, Any]) -> None:
        """``rules`` (the settings file's form) in the fields."""
        self.tiers_table.setRowCount(0)
        for t in rules["tiers"]:
            add_row(self.tiers_table, [t["code"], t.get("name", ""), t.get(f"name_{ZH}", ""),
                                       t["threshold"], _shown(t["discount_percent"]),
                                       _shown(t["points_multiplier"])])
        self.window_spin.setValue(rules["tier_rules"]["window_days"])
        self.hold_spin.setValue(rules["tier_rules"]["hold_days"])
        points = rules["points"]
        self.earn_edit.setText(_shown(points["earn_per_unit"]))
        self.categories_table.setRowCount(0)
        for category, multiplier in points["category_multipliers"].items():
            add_row(self.categories_table, [category, _shown(multiplier)])
        self.redeem_per_unit_spin.setValue(points["redeem_points_per_unit"])
        self.redeem_min_spin.setValue(points["redeem_min_points"])
        self.redeem_share_edit.setText(_shown(points["redeem_max_share_percent"]))
        self.expiry_spin.setValue(points["expiry_months"])
        for day, box in enumerate(self.day_boxes):
            box.setChecked(day in points["member_days"])
        self.member_day_edit.setText(_shown(points["member_day_multiplier"]))
        self.birthday_edit.setText(_shown(points["birthday_multiplier"]))
        self.birthday_combo.setCurrentIndex(
            max(0, self.birthday_combo.findData(points["birthday_window"])))
        self.on_points_box.setChecked(points["earn_on_points_paid"])
        self.on_stored_value_box.setChecked(points["earn_on_stored_value_paid"])
        sv = rules["stored_value"]
        self.bonuses_table.setRowCount(0)
        for bonus in sv["bonuses"]:
            add_row(self.bonuses_table, [bonus["min_paid"], bonus["bonus"]])
        self.min_top_up_edit.setText(sv["min_top_up"])
        self.max_balance_edit.setText(sv["max_balance"])
        self.referrer_spin.setValue(rules["referral"]["referrer_points"])
        self.referee_spin.setValue(rules["referral"]["referee_points"])
        for key, edit in self.receipt_edits.items():
            edit.setText(rules.get("receipt", {}).get(key, ""))

    def _tiers(self) -> list[dict[str, Any]]:
        table, out = self.tiers_table, []
        for row in range(table.rowCount()):
            item: dict[str, Any] = {"code": _cell(table, row, 0)}
            for column, key in ((1, "name"), (2, f"name_{ZH}")):
                if name := _cell(table, row, column):
                    item[key] = name
            item["threshold"] = _cell(table, row, 3)
            item["discount_percent"] = _typed_number(_cell(table, row, 4))
            item["points_multiplier"] = _typed_number(_cell(table, row, 5))
            out.append(item)
        return out

    def _categories(self) -> dict[str, str]:
        table = self.categories_table
        return {_cell(table, row, 0): _typed_number(_cell(table, row, 1))
                for row in range(table.rowCount())}

    def _bonuses(self) -> list[dict[str, str]]:
        table = self.bonuses_table
        return [{"min_paid": _cell(table, row, 0), "bonus": _cell(table, row, 1)}
                for row in range(table.rowCount())]

    def rules_data(self) -> dict[str, Any]:
        """The form as the settings file's sections (the worker checks them)."""
        return {
            "tiers": self._tiers(),
            "tier_rules": {"window_days": self.window_spin.value(),
                           "hold_days": self.hold_spin.value()},
            "points": {
                "earn_per_unit": _typed_number(self.earn_edit.text()),
                "category_multipliers": self._categories(),
                "member_days": [d for d, box in enumerate(self.day_boxes) if box.isChecked()],
                "member_day_multiplier": _typed_number(self.member_day_edit.text()),
                "birthday_multiplier": _typed_number(self.birthday_edit.text()),
                "birthday_window": self.birthday_combo.currentData(),
                "earn_on_points_paid": self.on_points_box.isChecked(),
                "earn_on_stored_value_paid": self.on_stored_value_box.isChecked(),
                "redeem_points_per_unit": self.redeem_per_unit_spin.value(),
                "redeem_min_points": self.redeem_min_spin.value(),
                "redeem_max_share_percent": _typed_number(self.redeem_share_edit.text()),
                "expiry_months": self.expiry_spin.value()},
            "stored_value": {"bonuses": self._bonuses(),
                             "min_top_up": self.min_top_up_edit.text().strip(),
                             "max_balance": self.max_balance_edit.text().strip()},
            "referral": {"referrer_points": self.referrer_spin.value(),
                         "referee_points": self.referee_spin.value()},
            "receipt": {key: edit.text().strip() for key, edit in self.receipt_edits.items()},
        }
