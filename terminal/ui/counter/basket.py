"""The sale panel: the basket with quantities, a quick amount entry and running totals."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import money
from ...core.errors import InvalidInput
from ...loyalty.pricing import MAX_QTY
from ...services.checkout import Preview, SaleItem
from ...services.lookup import ProductView
from ..qt.signals import emit
from ..text import tr, trn
from ..widgets import TOUCH_PX, ErrorLine, button, fill_table, parse_amount, parse_count


@dataclass(frozen=True)
class Entry:
    item: SaleItem
    unit_price: int  # for display before the preview comes back


class SalePanel(QWidget):
    """Holds the basket; emits ``changed`` so the window can price it on the worker."""

    changed = Signal()

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self.entries: list[Entry] = []
        self.preview: Preview | None = None
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("basket")
        self.table.setHorizontalHeaderLabels([
            tr("Item"), tr("Qty"), tr("Price"), tr("Discount"),
            tr("Amount")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(TOUCH_PX)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus

        self.plus_button = button("+1", "F8")
        self.minus_button = button("−1", "F7")
        self.remove_button = button(tr("Remove"), "F6")
        self.qty_edit = QLineEdit()
        self.qty_edit.setObjectName("qty_edit")
        self.qty_edit.setPlaceholderText(tr("Qty"))
        self.qty_edit.setMaximumWidth(90)
        self.qty_button = button(tr("Set qty"))
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("amount_edit")
        self.amount_edit.setPlaceholderText(tr("Quick amount, e.g. 25.50"))
        self.amount_edit.setMinimumWidth(120)  # its hint readable on a 1024-pixel screen
        self.amount_button = button(tr("Add amount"), "F3")
        self.discount_edit = QLineEdit()
        self.discount_edit.setObjectName("discount_edit")
        self.discount_edit.setPlaceholderText(tr("Line discount"))
        self.discount_edit.setMaximumWidth(150)
        self.discount_button = button(tr("Discount"))
        for edit in (self.qty_edit, self.amount_edit, self.discount_edit):
            edit.setMinimumHeight(TOUCH_PX)
        self.error = ErrorLine()
        self.totals = QLabel()
        self.totals.setObjectName("totals")
        self.totals.setWordWrap(True)
        self.totals.setStyleSheet("font-size: 16pt;")
        self.total = QLabel()
        self.total.setObjectName("total")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.total.setStyleSheet("font-size: 26pt; font-weight: bold;")

        row = QHBoxLayout()
        for w in (self.minus_button, self.plus_button, self.remove_button, self.qty_edit,
                  self.qty_button):
            row.addWidget(w)
        quick = QHBoxLayout()
        quick.addWidget(self.amount_edit, 1)
        quick.addWidget(self.amount_button)
        quick.addWidget(self.discount_edit)
        quick.addWidget(self.discount_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addLayout(quick)
        layout.addWidget(self.error)
        layout.addWidget(self.totals)
        layout.addWidget(self.total)
        for b in (self.plus_button, self.minus_button, self.remove_button, self.qty_button,
                  self.amount_button, self.discount_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.plus_button.clicked.connect(self.on_plus_clicked)
        self.minus_button.clicked.connect(self.on_minus_clicked)
        self.remove_button.clicked.connect(self.on_remove_clicked)
        self.qty_button.clicked.connect(self.on_qty_submitted)
        self.qty_edit.returnPressed.connect(self.on_qty_submitted)
        self.amount_button.clicked.connect(self.on_amount_submitted)
        self.amount_edit.returnPressed.connect(self.on_amount_submitted)
        self.discount_button.clicked.connect(self.on_discount_submitted)
        self.discount_edit.returnPressed.connect(self.on_discount_submitted)
        self.refresh()

    # -- the basket -----------------------------------------------------------------------
    def items(self) -> tuple[SaleItem, ...]:
        return tuple(e.item for e in self.entries)

    def add_product(self, product: ProductView) -> None:
        for i, e in enumerate(self.entries):
            if e.item.sku == product.sku and e.item.unit_price is None:
                self._set_qty(i, e.item.qty + 1)
                return
        self.entries.append(Entry(SaleItem(sku=product.sku, name=product.name),
                                  product.price))
        self._changed(len(self.entries) - 1)

    def add_amount(self, amount: int) -> None:
        self.entries.append(Entry(SaleItem(unit_price=amount, name=tr("Amount")), amount))
        self._changed(len(self.entries) - 1)

    def clear(self) -> None:
        self.entries.clear()
        self.error.clear()
        self._changed(-1)

    def selected_row(self) -> int:
        """The selected line, else the last one (the item just scanned), else -1."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else len(self.entries) - 1

    def _set_qty(self, row: int, qty: int) -> None:
        if qty > MAX_QTY:  # the + button, or the same item scanned once more
            self.error.show_error(tr("at most {0} of one item on a line").format(
                f"{MAX_QTY:,}"))
            return
        e = self.entries[row]
        self.entries[row] = replace(e, item=replace(e.item, qty=qty))
        self._changed(row)

    def _changed(self, row: int) -> None:
        self.preview = None
        self.refresh()
        if 0 <= row < len(self.entries):
            self.table.selectRow(row)
        emit(self.changed)

    # -- slots ----------------------------------------------------------------------------
    @Slot()
    def on_plus_clicked(self) -> None:
        row = self.selected_row()
        if row >= 0:
            self._set_qty(row, self.entries[row].item.qty + 1)

    @Slot()
    def on_minus_clicked(self) -> None:
        row = self.selected_row()
        if row < 0:
            return
        if self.entries[row].item.qty > 1:
            self._set_qty(row, self.entries[row].item.qty - 1)
        else:
            self.on_remove_clicked()

    @Slot()
    def on_remove_clicked(self) -> None:
        row = self.selected_row()
        if row >= 0:
            del self.entries[row]
            self._changed(min(row, len(self.entries) - 1))

    @Slot()
    def on_qty_submitted(self) -> None:
        row = self.selected_row()
        try:
            if row < 0:
                raise InvalidInput("the basket is empty: scan an item first")
            qty = parse_count(self.qty_edit.text(), tr("a quantity"), minimum=1,
                              maximum=MAX_QTY)
        except InvalidInput as exc:
            self.error.show_error(exc)
            return
        self.error.clear()
        self.qty_edit.clear()
        self._set_qty(row, qty)

    @Slot()
    def on_amount_submitted(self) -> None:
        if not self.amount_edit.text().strip() and not self.amount_edit.hasFocus():
            self.amount_edit.setFocus()  # F3 from the scan field: go and type the amount
            return
        try:
            amount = parse_amount(self.amount_edit.text(), self.currency, allow_zero=False)
        except InvalidInput as exc:
            self.error.show_error(exc)
            return
        self.error.clear()
        self.amount_edit.clear()
        self.add_amount(amount)

    @Slot()
    def on_discount_submitted(self) -> None:
        """Take an amount off the selected line (its whole quantity); 0 removes it."""
        row = self.selected_row()
        try:
            if row < 0:
                raise InvalidInput("the basket is empty: scan an item first")
            amount = parse_amount(self.discount_edit.text(), self.currency)
            e = self.entries[row]
            if amount > e.unit_price * e.item.qty:
                raise InvalidInput("a discount cannot be more than the line")
        except InvalidInput as exc:
            self.error.show_error(exc)
            return
        self.error.clear()
        self.discount_edit.clear()
        self.entries[row] = replace(e, item=replace(e.item, line_discount=amount))
        self._changed(row)

    def manual_discount(self) -> int:
        """What the cashier has taken off by hand (a manager approves above the limit)."""
        return sum(e.item.line_discount for e in self.entries)

    # -- display --------------------------------------------------------------------------
    def set_preview(self, preview: Preview | None) -> None:
        self.preview = preview
        self.refresh()

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """Each line as the basket shows it: item, quantity, price, discount, amount (the
        customer display shows the same)."""
        fmt = lambda v: money.format_amount(v, self.currency)  # noqa: E731
        priced = self.preview.pricing.lines if self.preview is not None else None
        out = []
        for i, e in enumerate(self.entries):
            gross = e.unit_price * e.item.qty
            if priced is not None and i < len(priced):
                pl = priced[i]
                discount, amount = pl.gross - pl.net, fmt(pl.net)
                unit = pl.line.unit_price
            else:
                discount, amount, unit = 0, fmt(gross), e.unit_price
            out.append((e.item.name or e.item.sku or "", str(e.item.qty), fmt(unit),
                        f"-{fmt(discount)}" if discount else "", amount))
        return out

    def refresh(self) -> None:
        fmt = lambda v: money.format_amount(v, self.currency)  # noqa: E731
        selected = self.selected_row() if self.table.selectionModel().selectedRows() else -1
        fill_table(self.table, self.rows())
        if 0 <= selected < len(self.entries):
            self.table.selectRow(selected)
        if not self.entries:
            self.totals.setText(tr("Scan an item, or type a quick amount"))
            self.total.setText(fmt(0))
        elif self.preview is None:
            self.totals.setText(tr("Pricing…"))
            self.total.setText(fmt(sum(e.unit_price * e.item.qty for e in self.entries)))
        else:
            p = self.preview.pricing
            discounts = p.subtotal - p.total
            self.totals.setText(trn("{n} item   Subtotal {0}   Discounts -{1}",
                                    "{n} items   Subtotal {0}   Discounts -{1}",
                                    sum(e.item.qty for e in self.entries)).format(
                fmt(p.subtotal), fmt(discounts)))
            self.total.setText(tr("Total {0}").format(fmt(p.total)))
