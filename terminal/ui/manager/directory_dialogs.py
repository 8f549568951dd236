"""The member list's dialogs: edit a member, replace a lost card, pick the record to merge,
cash out stored value, adjust points, give a coupon by hand, show the member's QR code.

Each dialog that changes something is a TaskDialog (one idempotency key, the work on the
worker, a refusal shown in the dialog with everything typed kept); the window's manager
(``ctx.staff_id``) approves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...core import money
from ...core.errors import DomainError, InvalidInput
from ...services import accounts, member_care
from ...services import member_directory as directory
from ...services.context import Context
from ...services.coupon_templates import TemplateChoice
from ...services.member_directory import MemberFilter, MemberRow
from ..counter.dialogs.task_dialog import TaskDialog
from ..qt.signals import emit
from ..qt.tasks import TaskRunner
from ..text import language, tr, trc
from ..widgets import (
    TOUCH_PX,
    ErrorLine,
    button,
    check_box,
    combo_box,
    parse_count,
    qr_pixmap,
    touch_edit,
)
from .common import Column, RowsModel, action_button, amount, table_view


def parse_day(text: str) -> date | None:
    """A typed date (2026-03-01); empty is none."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("a date is needed, such as 2026-03-01") from None


class CareDialog(TaskDialog):
    """A form, a reason when asked for, Cancel and the confirm button; ``work()`` gives
    what to run on the worker (or raises a refusal, shown in the dialog)."""

    def __init__(self, runner: TaskRunner, ctx: Context, title: str, confirm: str,
                 parent: QWidget | None = None, *, reason: str = "") -> None:
        super().__init__(runner, ctx, parent, title=title, width=520)
        self.form = QFormLayout()
        self.reason_edit = touch_edit("reason_edit", reason)
        self.make_buttons(confirm, shortcut="")
        self.title = title

    def finish(self, *intro: QWidget, reason: bool = True) -> None:
        if reason:
            self.form.addRow(tr("Reason"), self.reason_edit)
        self.stack(*intro, self.form)

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def work(self) -> Callable[[], Any]:
        raise NotImplementedError

    @Slot()
    def on_confirm_clicked(self) -> None:
        if self.busy:
            return
        try:
            fn = self.work()
        except DomainError as error:
            self.error.show_error(error)
            return
        self.submit(fn, self.title)


def intro(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class EditDialog(CareDialog):
    """Name, phone, e-mail, birthday and consent; ``completed`` carries the changed member."""

    def __init__(self, runner: TaskRunner, ctx: Context, row: MemberRow,
                 birthday: date | None, parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, tr("Edit a member"), tr("Save"), parent)
        self.row, self.birthday = row, birthday
        self.name_edit = QLineEdit(row.name)
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText(
            tr("{0}: type a new number to change it").format(row.phone_masked)
            if row.phone_masked else tr("No phone number: type one to add it"))
        self.email_edit = QLineEdit()
        self.email_edit.setPlaceholderText(
            tr("{0}: type a new address to change it").format(row.email_masked)
            if row.email_masked else tr("No e-mail address: type one to add it"))
        self.clear_email_box = check_box(tr("Remove the e-mail address"))
        self.clear_email_box.setVisible(bool(row.email_masked))
        self.birthday_edit = QLineEdit(birthday.isoformat() if birthday else "")
        self.birthday_edit.setPlaceholderText(tr("year-month-day"))
        self.consent_box = check_box(tr("Agrees to receive offers"))
        self.consent_box.setChecked(row.marketing_consent)
        for label, widget in ((tr("Name"), self.name_edit), (tr("Phone"), self.phone_edit),
                              (tr("E-mail"), self.email_edit),
                              (tr("Birthday"), self.birthday_edit)):
            widget.setMinimumHeight(TOUCH_PX - 8)
            self.form.addRow(label, widget)
            if widget is self.email_edit:
                self.form.addRow("", self.clear_email_box)
        self.form.addRow("", self.consent_box)
        self.finish(intro(tr("Card {0}").format(row.card_no)), reason=False)

    def work(self) -> Callable[[], Any]:
        name = self.name_edit.text().strip()
        birthday = parse_day(self.birthday_edit.text())
        consent = self.consent_box.isChecked()
        email = "" if self.clear_email_box.isChecked() else (
            self.email_edit.text().strip() or None)
        changes = member_care.MemberChanges(
            name=name if name != self.row.name else None,
            phone=self.phone_edit.text().strip() or None,
            birthday=birthday if birthday != self.birthday else None,
            clear_birthday=birthday is None and self.birthday is not None,
            marketing_consent=consent if consent != self.row.marketing_consent else None,
            email=email)
        ctx, member_id = self.ctx, self.row.id
        return lambda: member_care.edit(ctx, member_id, changes)


class ReplaceCardDialog(CareDialog):
    """A new card number for a lost card; ``completed`` carries CardReplaced."""

    def __init__(self, runner: TaskRunner, ctx: Context, row: MemberRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, tr("Replace a lost card"), tr("Replace the card"),
                         parent, reason=tr("e.g. lost on 1 March"))
        self.row = row
        self.print_box = check_box(tr("Print the new member card"))
        self.print_box.setChecked(True)
        self.form.addRow("", self.print_box)
        self.finish(intro(tr("{0} gets a new card number and a new QR code; card {1} then "
                             "stops working and, scanned, names the new card.").format(
                                 row.name, row.card_no)))

    def work(self) -> Callable[[], Any]:
        ctx, member_id, reason = self.ctx, self.row.id, self.reason()
        return lambda: member_care.replace_card(ctx, member_id, ctx.staff_id, reason)


class CashOutDialog(CareDialog):
    """The paid part of the stored value back in cash; ``completed`` carries the Receipt."""

    def __init__(self, runner: TaskRunner, ctx: Context, row: MemberRow, paid: int,
                 bonus: int, parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, tr("Cash out stored value"), tr("Give back {0}").format(
            amount(ctx, paid)), parent, reason=tr("e.g. the member is moving away"))
        self.row = row
        self.finish(intro(tr("Give {0} {1} in cash: the part they paid. The bonus part, {2}, "
                             "is forfeited. Their stored value is then zero.").format(
                                 row.name, amount(ctx, paid), amount(ctx, bonus))))

    def work(self) -> Callable[[], Any]:
        ctx, key, member_id, reason = self.ctx, self.key, self.row.id, self.reason()
        return lambda: accounts.cash_out(ctx, key, member_id, ctx.staff_id, reason)


class AdjustPointsDialog(CareDialog):
    """Points added or taken by hand, with the reason; ``completed`` carries the Receipt."""

    def __init__(self, runner: TaskRunner, ctx: Context, row: MemberRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, tr("Adjust points"), tr("Adjust"), parent,
                         reason=tr("e.g. points missed on receipt T01-000123"))
        self.row = row
        self.points_edit = QLineEdit()
        self.points_edit.setMinimumHeight(TOUCH_PX - 8)
        self.points_edit.setPlaceholderText(tr("+100 to add, -50 to take"))
        self.form.addRow(tr("Points"), self.points_edit)
        self.finish(intro(tr("{0} has {1} points.").format(row.name,
                                                          f"{row.points_balance:,}")))

    def delta(self) -> int:
        return parse_count(self.points_edit.text(), tr("the points"),
                           minimum=-money.MAX_ENTRY)

    def work(self) -> Callable[[], Any]:
        ctx, key, member_id = self.ctx, self.key, self.row.id
        delta, reason = self.delta(), self.reason()
        return lambda: accounts.adjust_points(ctx, key, member_id, delta, reason,
                                              ctx.staff_id)


class GiveCouponDialog(CareDialog):
    """One coupon from an active offer; ``completed`` carries CouponGiven."""

    def __init__(self, runner: TaskRunner, ctx: Context, row: MemberRow,
                 offers: list[TemplateChoice], parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, tr("Give a coupon"), tr("Give the coupon"), parent,
                         reason=tr("e.g. sorry for the long wait"))
        self.row = row
        self.offer_combo = combo_box(20)
        self.offer_combo.setMinimumHeight(TOUCH_PX - 8)
        for offer in offers:
            self.offer_combo.addItem(tr("{0} (valid {1} days)").format(
                offer.name_in(language()), offer.valid_days), offer.code)
        self.form.addRow(tr("Offer"), self.offer_combo)
        self.finish(intro(tr("A coupon for {0} (card {1}).").format(row.name, row.card_no)))

    def work(self) -> Callable[[], Any]:
        code = self.offer_combo.currentData()
        if not code:
            raise InvalidInput("no active offer: add one in the Offers tab first")
        ctx, member_id, reason = self.ctx, self.row.id, self.reason()
        return lambda: member_care.give_coupon(ctx, member_id, code, ctx.staff_id, reason)


class MergePicker(QDialog):
    """Find the other record of the same person; ``picked`` carries its MemberRow."""

    picked = Signal(object)

    def __init__(self, runner: TaskRunner, ctx: Context, keep: MemberRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.ctx, self.keep = runner, ctx, keep
        self.setWindowTitle(tr("Merge two records"))
        self.setMinimumWidth(640)
        self.search_edit = QLineEdit()
        self.search_edit.setMinimumHeight(TOUCH_PX - 8)
        self.search_edit.setPlaceholderText(tr("Phone, card number, member code or the start "
                                               "of a name"))
        self.search_edit.returnPressed.connect(self.on_find_clicked)
        self.find_button = action_button(tr("Find"), self.on_find_clicked)
        self.message = ErrorLine()
        self.model = RowsModel[MemberRow]([
            Column(tr("Name"), lambda r: r.name),
            Column(trc("member card", "Card"), lambda r: r.card_no),
            Column(tr("Phone"), lambda r: r.phone_masked),
            Column(tr("Points"), lambda r: f"{r.points_balance:,}", True),
            Column(tr("Stored value"), lambda r: amount(ctx, r.stored_value_balance), True),
        ], self)
        self.table = table_view(self.model)
        self.table.doubleClicked.connect(self.on_merge_clicked)
        self.merge_button = button(tr("Merge into {0}…").format(keep.name))
        self.merge_button.clicked.connect(self.on_merge_clicked)
        self.cancel_button = button(tr("Cancel"), "Esc")
        self.cancel_button.clicked.connect(self.reject)
        find = QHBoxLayout()
        find.addWidget(self.search_edit, 1)
        find.addWidget(self.find_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.merge_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro(tr("Pick the other record of {0} (card {1}): its points, stored "
                                  "value, sales, coupons and punch cards move onto card {1}, "
                                  "and its own card stops working.").format(
                                      keep.name, keep.card_no)))
        layout.addLayout(find)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    @Slot()
    def on_find_clicked(self) -> None:
        text = self.search_edit.text().strip()
        if not text:
            self.message.show_error(tr("Type a phone, card or name first."))
            return
        ctx, keep = self.ctx, self.keep.id

        def found(page: directory.MemberPage) -> None:
            rows = [r for r in page.rows if r.id != keep]
            self.model.set_rows(rows)
            if rows:
                self.message.clear()
                self.table.selectRow(0)
            else:
                self.message.show_error(tr("No other member found."))

        self.message.show_info(tr("Searching…"))
        self.runner.run(lambda: directory.list_members(ctx, MemberFilter(text=text)), found,
                        self.message.show_error, what=tr("finding members"))

    @Slot()
    def on_merge_clicked(self) -> None:
        other = self.model.picked(self.table)
        if other is None:
            self.message.show_error(tr("Pick the other record in the list first."))
            return
        emit(self.picked, other)
        self.accept()


class QrDialog(QDialog):
    """The member's code as a QR code on screen, to scan from the screen or a photo."""

    def __init__(self, row: MemberRow, member_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Member QR code"))
        self.payload = member_code
        self.code_label = QLabel()
        self.code_label.setPixmap(qr_pixmap(member_code))
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        close = button(tr("Close"), "Esc")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro(tr("{0} — card {1}").format(row.name, row.card_no)))
        layout.addWidget(self.code_label)
        layout.addWidget(close)
