"""The catalogue tab: find products, add and change them, switch them off and on, scan a
barcode to find or add an item."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core import money
from ...core.errors import InvalidInput
from ...services import catalogue
from ...services.catalogue import ProductFields
from ...services.context import Context
from ..counter.scan_field import ScanField
from ..qt.tasks import TaskRunner
from ..text import language, tr, trc
from ..widgets import ErrorLine, check_box, combo_box
from .common import Column, ManagerTab, RowsModel, action_button, amount, table_view

_SPLIT = re.compile(r"[\s,;，；]+")  # barcodes typed one after another


@dataclass(frozen=True)
class Found:
    """What a search shows: the products, and the categories for the filter."""

    products: list[ProductFields]
    categories: list[str]


def find(text: str, category: str | None) -> Found:
    return Found(catalogue.search(text, category=category), catalogue.categories())


def by_barcode(code: str) -> tuple[str, ProductFields | None]:
    """The scanned code as a barcode is stored, and the product that has it (or the SKU)."""
    clean = catalogue.check_barcode(code)
    hits = catalogue.search(clean, limit=1000)
    return clean, next((p for p in hits if clean in p.barcodes), None) or next(
        (p for p in hits if p.sku == clean), None)


def save(ctx: Context, fields: ProductFields, creating: bool) -> ProductFields:
    """Add the product, or change its fields and barcodes; the rules are checked before
    anything is written, the barcodes added before the fields are stored."""
    catalogue.check_product(fields)
    if creating:
        return catalogue.add(ctx, fields, ctx.staff_id)
    before = catalogue.get(fields.sku)
    wanted = set(fields.barcodes)
    for code in fields.barcodes:
        if code not in before.barcodes:
            catalogue.add_barcode(ctx, fields.sku, code, ctx.staff_id)
    for code in before.barcodes:
        if code not in wanted:
            catalogue.remove_barcode(ctx, fields.sku, code, ctx.staff_id)
    return catalogue.edit(ctx, fields, ctx.staff_id)


def chosen(sku: str) -> tuple[ProductFields, bool]:
    """The product as stored now, and whether a sale, punch card or offer names it."""
    return catalogue.get(sku), catalogue.was_sold(sku)


class CatalogueTab(ManagerTab):
    """Pick a product in the list to change it, press New product, or scan a barcode.
    Every change needs a manager (the one signed in) and is in the audit log."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.editing: str | None = None  # the SKU in the form; None: a new product
        self.sold = True  # the product in the form is named by a sale (no Delete)
        self.stored_active = True  # the product in the form, as stored (not the check box)
        self.busy = False
        self.keep_message = False

        def punch(p: ProductFields) -> str:
            if not p.punch_visits:
                return ""
            days = tr("{0} days").format(p.punch_valid_days) if p.punch_valid_days else ""
            return " / ".join(x for x in (str(p.punch_visits), days) if x)

        self.model = RowsModel[ProductFields]([
            Column(tr("SKU"), lambda p: p.sku),
            Column(trc("name of a thing", "Name"), lambda p: p.name_in(language())),
            Column(tr("Category"), lambda p: p.category),
            Column(tr("Brand"), lambda p: p.brand),
            Column(tr("Price"), lambda p: amount(ctx, p.price), True),
            Column(tr("Member price"), lambda p: "" if p.member_price is None
                   else amount(ctx, p.member_price), True),
            Column(tr("Barcodes"), lambda p: ", ".join(p.barcodes)),
            Column(tr("Punch visits"), punch, True),
            Column(tr("Active"), lambda p: tr("yes") if p.active else tr("no")),
        ], self)
        self.table = table_view(self.model, 1)
        self.shrink_font(self.table)
        self.table.selectionModel().selectionChanged.connect(self.on_selection_changed)

        self.scan_edit = ScanField()
        self.scan_edit.setObjectName("catalogue_scan")
        self.scan_edit.setPlaceholderText(tr("Scan a barcode to find or add an item"))
        self.scan_edit.submitted.connect(self.on_scan_submitted)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("SKU, barcode or name (English or Chinese)"))
        self.search_edit.returnPressed.connect(self.on_search_clicked)
        self.category_filter = combo_box(10)
        self.category_filter.addItem(tr("All categories"), None)
        self.category_filter.activated.connect(self.on_search_clicked)
        self.search_button = action_button(tr("Search"), self.on_search_clicked)
        self.list_message = ErrorLine()
        top = QGridLayout()  # the scan field, the search and its filter in one row
        for column, (widget, stretch) in enumerate(((self.scan_edit, 2), (self.search_edit, 3),
                                                    (self.category_filter, 1),
                                                    (self.search_button, 0))):
            top.addWidget(widget, 0, column)
            top.setColumnStretch(column, stretch)

        def line(most: int, hint: str = "") -> QLineEdit:
            edit = QLineEdit()
            edit.setMaxLength(most)
            edit.setPlaceholderText(hint)
            return edit

        self.sku_edit = line(64, tr("e.g. LATTE"))
        self.name_edit = line(200)
        self.name_zh_edit = line(200, tr("empty: the English name"))
        self.category_edit = line(64)
        self.brand_edit = line(64)
        self.price_edit = line(24, "28.00")
        self.member_price_edit = line(24, tr("empty: the price"))
        self.barcodes_edit = line(400, tr("one or more, separated by spaces"))
        self.visits_spin = QSpinBox()
        self.visits_spin.setRange(0, catalogue.MAX_PUNCH_VISITS)
        self.visits_spin.setSpecialValueText(tr("not a punch card"))
        self.visits_spin.valueChanged.connect(self.on_visits_changed)
        self.days_spin = QSpinBox()
        self.days_spin.setRange(0, catalogue.MAX_PUNCH_DAYS)
        self.days_spin.setSpecialValueText(tr("no end"))
        self.discountable_box = check_box(tr("Discountable"))
        self.active_box = check_box(tr("Active"))

        grid = QGridLayout()
        cells = (  # (row, column, label, field)
            (0, 0, tr("SKU"), self.sku_edit),
            (0, 2, trc("name of a thing", "Name"), self.name_edit),
            (0, 4, tr("Name in Chinese"), self.name_zh_edit),
            (1, 0, tr("Category"), self.category_edit),
            (1, 2, tr("Brand"), self.brand_edit),
            (1, 4, tr("Barcodes"), self.barcodes_edit),
            (2, 0, tr("Price"), self.price_edit),
            (2, 2, tr("Member price"), self.member_price_edit),
            (2, 4, "", self.discountable_box),
            (3, 0, tr("Punch visits"), self.visits_spin),
            (3, 2, tr("Valid days"), self.days_spin),
            (3, 4, "", self.active_box),
        )
        for row, column, text, widget in cells:
            if text:
                grid.addWidget(QLabel(text), row, column)
            grid.addWidget(widget, row, column + 1)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        self.form_message = ErrorLine()
        self.new_button = action_button(tr("New product"), self.on_new_clicked)
        self.delete_button = action_button(tr("Delete"), self.on_delete_clicked)
        self.active_button = action_button(tr("Deactivate"), self.on_active_clicked)
        self.save_button = action_button(tr("Save the product"), self.on_save_clicked)
        buttons = QGridLayout()  # on the right, below the message
        buttons.setColumnStretch(0, 1)
        for column, btn in enumerate((self.new_button, self.delete_button, self.active_button,
                                      self.save_button), start=1):
            buttons.addWidget(btn, 0, column)
        self.form_box = QGroupBox(tr("New product"))
        form_layout = QVBoxLayout(self.form_box)
        form_layout.addLayout(grid)
        form_layout.addWidget(self.form_message)
        form_layout.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for widget, stretch in ((self.table, 1), (self.list_message, 0), (self.form_box, 0)):
            layout.addWidget(widget, stretch)
        self.on_new_clicked()
        self.reload()

    # -- the list ----------------------------------------------------------------------------
    @Slot()
    def on_search_clicked(self) -> None:
        self.reload()

    def reload(self, select: str | None = None) -> None:
        text, category = self.search_edit.text(), self.category_filter.currentData()

        def loaded(found: Found) -> None:
            self.model.set_rows(found.products)
            self._set_categories(found.categories)
            n = len(found.products)
            if n >= catalogue.SEARCH_LIMIT:
                self.list_message.show_info(tr("The first {0} products; type more to narrow "
                                               "the search.").format(n))
            elif n == 0:
                self.list_message.show_info(tr("No product matches."))
            else:
                self.list_message.clear()
            skus = [p.sku for p in found.products]
            if select in skus:
                self.keep_message = True  # the form says what was just done
                try:
                    self.table.selectRow(skus.index(select))
                finally:
                    self.keep_message = False

        self.run(lambda: find(text, category), loaded, self.list_message.show_error,
                 what=tr("reading the catalogue"))

    def _set_categories(self, categories: list[str]) -> None:
        current = self.category_filter.currentData()
        self.category_filter.blockSignals(True)
        try:
            while self.category_filter.count() > 1:
                self.category_filter.removeItem(1)
            for name in categories:
                self.category_filter.addItem(name, name)
            self.category_filter.setCurrentIndex(max(0, self.category_filter.findData(current)))
        finally:
            self.category_filter.blockSignals(False)

    @Slot()
    def on_selection_changed(self) -> None:
        product = self.model.picked(self.table)
        if product is not None:
            self.show_product(product.sku, self.keep_message)

    def show_product(self, sku: str, keep_message: bool = False) -> None:
        """The product as stored, in the form; Delete only for one nothing refers to."""
        def shown(result: tuple[ProductFields, bool]) -> None:
            self.fill(*result, keep_message=keep_message)

        self.run(lambda: chosen(sku), shown, self.form_message.show_error,
                 what=tr("reading a product"))

    # -- scanning ----------------------------------------------------------------------------
    @Slot(str, bool)
    def on_scan_submitted(self, text: str, _typed: bool) -> None:
        self.scan_edit.clear()
        if not text.strip():
            return

        def found(result: tuple[str, ProductFields | None]) -> None:
            code, product = result
            if product is None:
                self.on_new_clicked()
                self.barcodes_edit.setText(code)
                self.form_message.show_info(tr("No product has the barcode {0}: enter the "
                                               "new product and save it.").format(code))
                self.sku_edit.setFocus()
                return
            self.fill(product, True)  # Delete waits for the list's look at its sales
            self.search_edit.setText(code)
            self.reload(select=product.sku)

        self.run(lambda: by_barcode(text), found, self.form_message.show_error,
                 what=tr("looking up a barcode"))

    # -- the form ----------------------------------------------------------------------------
    def fill(self, p: ProductFields, sold: bool, keep_message: bool = False) -> None:
        cur = self.ctx.currency
        self.editing, self.sold, self.stored_active = p.sku, sold, p.active
        self.form_box.setTitle(tr("Change the product {0}").format(p.sku))
        self.sku_edit.setText(p.sku)
        self.sku_edit.setReadOnly(True)
        for edit, value in ((self.name_edit, p.name), (self.name_zh_edit, p.name_zh_cn),
                            (self.category_edit, p.category), (self.brand_edit, p.brand),
                            (self.barcodes_edit, " ".join(p.barcodes))):
            edit.setText(value)
        self.price_edit.setText(str(money.to_decimal(p.price, cur)))
        self.member_price_edit.setText("" if p.member_price is None
                                       else str(money.to_decimal(p.member_price, cur)))
        self.visits_spin.setValue(p.punch_visits or 0)
        self.days_spin.setValue(p.punch_valid_days or 0)
        self.discountable_box.setChecked(p.discountable)
        self.active_box.setChecked(p.active)
        self.active_button.setText(tr("Deactivate") if p.active else tr("Reactivate"))
        self.delete_button.setToolTip(
            "" if not sold else tr("Sales, punch cards or offers name it: deactivate it."))
        if not keep_message:
            self.form_message.clear()
        self._busy(False)

    def _busy(self, busy: bool) -> None:
        self.busy = busy
        editing = self.editing is not None
        self.save_button.setEnabled(not busy)
        self.active_button.setEnabled(not busy and editing)
        self.delete_button.setEnabled(not busy and editing and not self.sold)

    @Slot()
    def on_new_clicked(self) -> None:
        self.editing, self.sold = None, True
        self.table.clearSelection()
        self.form_box.setTitle(tr("New product"))
        self.sku_edit.setReadOnly(False)
        for edit in (self.sku_edit, self.name_edit, self.name_zh_edit, self.category_edit,
                     self.brand_edit, self.price_edit, self.member_price_edit,
                     self.barcodes_edit):
            edit.clear()
        self.visits_spin.setValue(0)
        self.days_spin.setValue(0)
        self.discountable_box.setChecked(True)
        self.active_box.setChecked(True)
        self.active_button.setText(tr("Deactivate"))
        self.delete_button.setToolTip("")
        self.form_message.clear()
        self._busy(False)

    @Slot(int)
    def on_visits_changed(self, visits: int) -> None:
        self.days_spin.setEnabled(visits > 0)

    def _price(self, edit: QLineEdit, what: str) -> int | None:
        """The amount typed (negative too: the catalogue says why it is refused)."""
        text = edit.text().strip()
        try:
            return money.parse(text, self.ctx.currency) if text else None
        except InvalidInput:
            raise InvalidInput("{field}: not an amount: {text}", field=what,
                               text=text[:20]) from None

    def fields(self) -> ProductFields:
        """What the form holds; the worker checks the rules (catalogue.check_product)."""
        visits = self.visits_spin.value() or None
        return ProductFields(
            sku=self.sku_edit.text(), name=self.name_edit.text(),
            price=self._price(self.price_edit, tr("Price")) or 0,
            name_zh_cn=self.name_zh_edit.text(), category=self.category_edit.text(),
            brand=self.brand_edit.text(),
            member_price=self._price(self.member_price_edit, tr("Member price")),
            discountable=self.discountable_box.isChecked(), punch_visits=visits,
            punch_valid_days=(self.days_spin.value() or None) if visits else None,
            active=self.active_box.isChecked(),
            barcodes=tuple(b for b in _SPLIT.split(self.barcodes_edit.text()) if b))

    def _typed(self) -> ProductFields | None:
        """The form's fields, or None with the reason shown (an amount that is no amount)."""
        try:
            return self.fields()
        except InvalidInput as exc:
            self.form_message.show_error(exc)
            return None

    @Slot()
    def on_save_clicked(self) -> None:
        wanted = None if self.busy else self._typed()
        if wanted is None:
            return
        ctx, creating = self.ctx, self.editing is None
        if not creating:
            wanted = replace(wanted, sku=self.editing or "")
        self._busy(True)
        self.form_message.show_info(tr("Saving…"))

        def saved(p: ProductFields) -> None:
            self.form_message.show_info(tr("Product {0} saved.").format(p.sku))
            self.fill(p, not creating and self.sold, keep_message=True)
            self.reload(select=p.sku)

        self.run(lambda: save(ctx, wanted, creating), saved, self._failed,
                 what=tr("saving a product"))

    @Slot()
    def on_active_clicked(self) -> None:
        sku = self.editing
        if sku is None or self.busy:
            return
        active, ctx = not self.stored_active, self.ctx
        self._busy(True)

        def done(p: ProductFields) -> None:
            self.form_message.show_info(
                tr("Product {0} is active again.").format(p.sku) if p.active
                else tr("Product {0} is deactivated: the counter no longer sells it.").format(
                    p.sku))
            self.fill(p, self.sold, keep_message=True)
            self.reload(select=p.sku)

        self.run(lambda: catalogue.set_active(ctx, sku, active, ctx.staff_id), done,
                 self._failed, what=tr("switching a product"))

    @Slot()
    def on_delete_clicked(self) -> None:
        sku = self.editing
        if sku is None or self.busy:
            return
        self.confirm(QMessageBox.Icon.Warning, tr("Delete a product"), tr(
            "Delete the product {0} for good? Only a product entered by mistake, never "
            "sold, can be deleted.").format(sku), tr("Delete"), tr("Keep the product"),
            lambda yes: self.on_delete_answered(yes, sku))

    def on_delete_answered(self, yes: bool, sku: str) -> None:
        if yes:
            self._delete(sku)
        else:
            self.form_message.show_info(tr("The product was not deleted."))

    def _delete(self, sku: str) -> None:
        ctx = self.ctx
        self._busy(True)

        def deleted(_none: None) -> None:
            self.on_new_clicked()
            self.form_message.show_info(tr("Product {0} deleted.").format(sku))
            self.reload()

        self.run(lambda: catalogue.delete(ctx, sku, ctx.staff_id), deleted, self._failed,
                 what=tr("deleting a product"))

    def _failed(self, error: Exception) -> None:
        self._busy(False)
        self.form_message.show_error(error)
