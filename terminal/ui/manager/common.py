"""Pieces the manager's tabs share: a tab that runs work on the worker, tables, labels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from ...core import money
from ...services.context import Context
from ..qt.signals import emit
from ..qt.tasks import TaskRunner
from ..text import language, tr, trc
from ..widgets import TOUCH_PX

T = TypeVar("T")
AnyIndex = QModelIndex | QPersistentModelIndex


def segment_label(segment: str, short: bool = False) -> str:
    labels = {
        "champions": tr("Champions"),
        "loyal": tr("Loyal"),
        "potential": tr("Potential"),
        "new": tr("New"),
        "at_risk": tr("At risk"),
        "hibernating": tr("Hibernating"),
        "zombie": tr("Zombie (never bought)"),
        "lost": tr("Lost"),
    }
    if short and segment == "zombie":
        return tr("Zombie")
    return labels.get(segment, segment)


def progress_label(what: str) -> str:
    """The services' progress notes, in the manager's language."""
    labels = {
        "reading a year of sales":
            tr("reading a year of sales"),
        "scoring members": tr("scoring members"),
        "counting segments": tr("counting segments"),
        "listing lapsed members":
            tr("listing lapsed members"),
        "finding the segment's members":
            tr("finding the segment's members"),
        "done": tr("done"),
    }
    if what.startswith("issuing ") and what.endswith(" coupons"):
        return tr("issuing {0} coupons").format(
            what[len("issuing "):-len(" coupons")])
    return labels.get(what, what)


def action_label(action: str) -> str:
    """An audit action in words, with its code (the code is what the filters and CSV use)."""
    labels = {
        "refund": trc("audit action", "Refund"),
        "void": tr("Void"),
        "topup_reversal": tr("Top-up reversed"),
        "cash_out": tr("Stored value cashed out"),
        "adjust_points": tr("Points adjusted by hand"),
        "reveal_phone": tr("Full phone number shown"),
        "export_member_data": tr("Member's data exported"),
        "erase_member": tr("Member erased"),
        "staff_added": tr("Staff account added"),
        "approval_refused": tr("Manager PIN refused"),
        "campaign_created": tr("Campaign created"),
        "export_contacts": tr("Contact list exported"),
        "import_members": tr("Members imported"),
        "export_members": tr("Members exported"),
        "export_sales": tr("Sales exported"),
        "export_ledgers": tr("Ledgers exported"),
        "close_day": tr("Day closed"),
        "shift_opened": tr("Shift opened"),
        "shift_closed": tr("Shift closed"),
        "pin_changed": tr("PIN changed"),
        "pin_reset": tr("PIN reset by the owner"),
        "template_saved": tr("Offer saved"),
        "campaign_messages": tr("Campaign's messages queued"),
        "member_unsubscribed": tr("Member unsubscribed"),
        "message_resolved": tr("Message settled by hand"),
    }
    return f"{labels[action]} ({action})" if action in labels else action


REPORT_LANGUAGES = ("en", "zh_CN")


def report_language() -> str:
    """The language of the reports on screen and in files (terminal/reports/labels.py has
    their words): the window's own, when the reports have it."""
    code = language()
    return code if code in REPORT_LANGUAGES else "en"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.1f}%"


def when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def amount(ctx: Context, value: float | int) -> str:
    return money.format_amount(round(value), ctx.currency)


def hint_label(text: str = "") -> QLabel:
    """A grey note that wraps: what a form, a rule or a figure means."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555555;")
    return label


def action_button(text: str, clicked: Callable[[], None] | None = None) -> QPushButton:
    """A button of a tab; ``clicked``: what pressing it does."""
    btn = QPushButton(text)
    btn.setMinimumHeight(TOUCH_PX - 8)
    if clicked is not None:
        btn.clicked.connect(clicked)
    return btn


class ProgressRelay(QObject):
    """Carries a service's ``progress(percent, what)`` from the worker to the GUI thread:
    the signal is emitted on the worker, and Qt queues it to this object's (GUI) thread."""

    changed = Signal(int, str)

    def __call__(self, pct: int, what: str) -> None:
        if shiboken6.isValid(self):  # the window may have been closed meanwhile
            emit(self.changed, pct, what)


TABLE_SCALE = 0.85


class ManagerTab(QWidget):
    """A tab whose database work runs on the worker; results land only while it exists."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.small_tables: list[QTableView] = []
        self.confirm_box: QMessageBox | None = None
        self.confirm_yes: QAbstractButton | None = None

    def shrink_font(self, table: QTableView) -> None:
        """Show ``table`` a size smaller than the tab (a wide table beside other things);
        the window, which sets every widget's font, leaves it to the tab."""
        table.setProperty("keep_font", True)
        self.small_tables.append(table)
        self._shrink_tables()

    def _shrink_tables(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * TABLE_SCALE)
        for table in getattr(self, "small_tables", ()):  # none while QWidget is made
            table.setFont(font)
            table.horizontalHeader().setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._shrink_tables()

    def save_as(self, title: str, suggested: str, then: Callable[[str], object],
                kinds: str = "") -> None:
        """Ask where to save (``kinds``: the file types offered, CSV unless named);
        ``then(path)`` unless the manager cancels."""
        path, _ = QFileDialog.getSaveFileName(self, title, suggested,
                                              kinds or tr("CSV files (*.csv)"))
        if path:
            then(path)

    def confirm(self, icon: QMessageBox.Icon, title: str, text: str, yes: str, no: str,
                answered: Callable[[bool], None]) -> None:
        """Ask before something that cannot be undone: window-modal, not blocking (the
        worker's results keep coming); ``answered(True)`` only for the ``yes`` button, with
        no default button, so Enter does not say yes. ``confirm_box`` and ``confirm_yes``
        are the open box and its yes button."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, self)
        self.confirm_yes = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(QMessageBox.StandardButton.NoButton)

        def finished(_result: int) -> None:
            self.confirm_box = None
            answered(box.clickedButton() is self.confirm_yes)

        box.finished.connect(finished)
        self.confirm_box = box
        box.open()

    def run(self, fn: Callable[[], Any], done: Callable[[Any], None],
            failed: Callable[[Exception], None], what: str) -> None:
        def on_done(value: Any) -> None:
            if shiboken6.isValid(self):
                done(value)

        def on_error(error: Exception) -> None:
            if shiboken6.isValid(self):
                failed(error)

        self.runner.run(fn, on_done, on_error, what=what)


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    value: Callable[[T], Any]
    numeric: bool = False


class RowsModel(QAbstractTableModel, Generic[T]):
    """A read-only table of plain rows (dataclasses), one getter per column."""

    def __init__(self, columns: Sequence[Column[T]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def picked(self, table: QTableView) -> T | None:
        """The row selected in ``table`` (which shows this model); None if none is."""
        rows = table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008  # Qt's API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(self.rows[index.row()])
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return None

    def text(self, row: int, column: int) -> str:
        return str(self.data(self.index(row, column)))


def table_view(model: QAbstractTableModel, stretch: int = 0) -> QTableView:
    """A read-only, row-selecting table; column ``stretch`` takes the spare width."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view
