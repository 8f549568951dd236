"""Small shared pieces: touch-sized buttons, the error line and parsing of typed numbers."""

from __future__ import annotations

from collections.abc import Sequence

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import logs, money
from ..core.errors import DomainError, InvalidInput
from ..services.errors import DatabaseBusy, DuplicateRecord
from ..services.staff import LockedOut
from .text import language, tr

TOUCH_PX = 48  # at least 44 px: a finger, not a mouse

# a piece of a layout: a widget or a layout, (the piece, its stretch), or a number: an empty
# stretch of that weight
Part = QWidget | QLayout | tuple[QWidget | QLayout, int] | int


def lay_out(layout: QBoxLayout, *parts: Part) -> QBoxLayout:
    """``parts`` into ``layout`` in order (see ``Part``)."""
    for part in parts:
        if isinstance(part, int):
            layout.addStretch(part)
            continue
        piece, stretch = part if isinstance(part, tuple) else (part, 0)
        if isinstance(piece, QLayout):
            layout.addLayout(piece, stretch)
        else:
            layout.addWidget(piece, stretch)
    return layout


def vbox(*parts: Part) -> QVBoxLayout:
    """``parts`` top to bottom."""
    layout = QVBoxLayout()
    lay_out(layout, *parts)
    return layout


def hbox(*parts: Part) -> QHBoxLayout:
    """``parts`` left to right."""
    layout = QHBoxLayout()
    lay_out(layout, *parts)
    return layout


# a cell of a grid: a widget, a text (shown as a label), None (left empty), or (the widget, how
# many columns it spans)
Cell = QWidget | str | None | tuple[QWidget, int]


def grid(*rows: Sequence[Cell]) -> QGridLayout:
    """``rows`` of cells, each row left to right (see ``Cell``)."""
    layout = QGridLayout()
    for row_no, cells in enumerate(rows):
        column = 0
        for cell in cells:
            piece, span = cell if isinstance(cell, tuple) else (cell, 1)
            if piece is not None:
                layout.addWidget(QLabel(piece) if isinstance(piece, str) else piece,
                                 row_no, column, 1, span)
            column += span
    return layout


def group_box(title: str, layout: QLayout) -> QGroupBox:
    """``layout`` in a frame with ``title`` on it."""
    box = QGroupBox(title)
    box.setLayout(layout)
    return box


def button(text: str, shortcut: str = "", parent: QWidget | None = None) -> QPushButton:
    """A touch-sized button; its shortcut is shown on it ("F9 Checkout") and works."""
    label = f"{shortcut}  {text}" if shortcut else text
    btn = QPushButton(label, parent)
    btn.setMinimumHeight(TOUCH_PX)
    btn.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    if shortcut:
        # a QShortcut, not setShortcut: a button's own shortcut calls animateClick(), which
        # shows the press and emits clicked() about 100 ms later (Qt's documented behaviour,
        # https://doc.qt.io/qt-6/qabstractbutton.html#animateClick, every Qt 6 version)
        QShortcut(QKeySequence(shortcut), btn).activated.connect(btn.click)
    return btn


def touch_edit(name: str, placeholder: str = "", *, secret: bool = False,
               max_length: int = 0) -> QLineEdit:
    """A finger-high line edit named ``name`` (tests find it by that name); ``secret`` shows
    dots, as for a PIN."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumHeight(TOUCH_PX)
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    if max_length:
        edit.setMaxLength(max_length)
    return edit


def touch_list(name: str) -> QListWidget:
    """A list whose rows a finger can pick; ``name`` as in ``touch_edit``."""
    rows = QListWidget()
    rows.setObjectName(name)
    rows.setStyleSheet(f"QListWidget::item {{ min-height: {TOUCH_PX}px; }}")
    return rows


def big_label(name: str, points: int) -> QLabel:
    """A figure the cashier reads from a step away: a total, the change, a bonus."""
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet(f"font-size: {points}pt; font-weight: bold;")
    return label


def check_box(text: str, parent: QWidget | None = None) -> QCheckBox:
    """A check box whose box, not only its label, is big enough for a finger."""
    box = QCheckBox(text, parent)
    box.setMinimumHeight(TOUCH_PX)
    box.setStyleSheet("QCheckBox::indicator { width: 28px; height: 28px; }")
    return box


def combo_box(chars: int = 16, parent: QWidget | None = None) -> QComboBox:
    """A drop-down about ``chars`` characters wide whatever its longest item, so a long offer
    name does not widen the form past a 1024-pixel screen (its list still shows it whole)."""
    combo = QComboBox(parent)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
    return combo


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """``rows`` into ``table``, one cell a text: the first column as text reads, the others
    (quantities and amounts) right-aligned."""
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)


def describe(error: BaseException) -> str:
    """A sentence for the cashier: the rule's own message, never a stack trace."""
    if isinstance(error, DatabaseBusy):
        return tr(
            "The database is busy (another terminal is writing). Nothing was "
            "saved; try again.")
    if isinstance(error, DuplicateRecord):
        return tr(
            "Another terminal or window saved the same record at the same moment. "
            "Nothing was saved; try again.")
    if isinstance(error, LockedOut):
        if error.scope == "terminal":
            return tr(
                "Too many wrong PINs at this terminal: try again in {0} s."
            ).format(error.seconds)
        return tr(
            "Too many wrong PINs for this person: try again in {0} s."
        ).format(error.seconds)
    if isinstance(error, DomainError):  # the printer's PrinterError too
        # its message id and arguments, worded by the gettext catalogue (core.i18n)
        return error.text(language())
    # not the exception's own text: it means nothing to a cashier; the log has it, with
    # its traceback (the task runner and the exception hooks write it there)
    return tr(
        "Something unexpected went wrong; nothing typed is lost. The details are "
        "in the log: {0}").format(logs.current_path())


class ErrorLine(QLabel):
    """The message under the thing that caused it: red for errors, plain for information."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setObjectName("error_line")

    def show_error(self, error: BaseException | str) -> None:
        self.setStyleSheet("color: #b00020; font-weight: bold;")
        self.setText(error if isinstance(error, str) else describe(error))

    def show_info(self, text: str) -> None:
        self.setStyleSheet("color: #1b5e20;")
        self.setText(text)

    def clear(self) -> None:
        self.setText("")


def parse_amount(text: str, currency: str, *, allow_zero: bool = True,
                 maximum: int = money.MAX_ENTRY) -> int:
    """Typed money to minor units; empty is zero; negative, malformed or above ``maximum``
    (one amount; a tender paying a bill may be up to money.MAX_BILL) is InvalidInput."""
    if not text.strip():
        if allow_zero:
            return 0
        raise InvalidInput("an amount is needed")
    amount = money.parse(text, currency)
    if amount < 0:
        raise InvalidInput("an amount cannot be negative: {text}", text=text.strip())
    if amount == 0 and not allow_zero:
        raise InvalidInput("an amount must be more than zero")
    if amount > maximum:
        raise InvalidInput("an amount can be at most {maximum}",
                           maximum=money.format_amount(maximum, currency))
    return amount


def parse_count(text: str, what: str, *, minimum: int = 0,
                maximum: int = money.MAX_ENTRY) -> int:
    """A typed whole number (quantity, points) from ``minimum`` to ``maximum``."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        if minimum <= 0:
            return 0
        raise InvalidInput("{what} is needed", what=what)
    try:
        value = int(cleaned)
    except ValueError:
        raise InvalidInput("{what} must be a whole number, not {text}", what=what,
                           text=cleaned[:20]) from None
    if value < minimum:
        raise InvalidInput("{what} must be at least {minimum}", what=what, minimum=minimum)
    if value > maximum:
        raise InvalidInput("{what} must be at most {maximum}", what=what,
                           maximum=f"{maximum:,}")
    return value


def qr_pixmap(payload: str, size: int = 320) -> QPixmap:
    """``payload`` as a QR code (python-escpos's own QR library), black on white."""
    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    scale = max(1, size // len(matrix))
    image = QImage(len(matrix) * scale, len(matrix) * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    for y, line in enumerate(matrix):
        for x, dark in enumerate(line):
            if dark:
                painter.fillRect(x * scale, y * scale, scale, scale, QColor("black"))
    painter.end()
    return QPixmap.fromImage(image)
