"""The Member list tab's actions on the member picked: edit, replace a card, merge, cash out,
adjust points, give a coupon, the QR code and the member card; each in its dialog, then the
tab reads the member again (DirectoryTab.refresh)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QGridLayout, QMessageBox, QWidget

from printers.layouts import MemberCardSlip

from ...services import coupon_templates, member_care, printing
from ...services.coupon_templates import TemplateChoice
from ...services.member_directory import MemberRow
from ..text import tr
from .common import action_button, amount, when
from .directory_dialogs import (
    AdjustPointsDialog,
    CashOutDialog,
    EditDialog,
    GiveCouponDialog,
    MergePicker,
    QrDialog,
    ReplaceCardDialog,
)

if TYPE_CHECKING:
    from .directory_tab import DirectoryTab, MemberFile


class MemberActions(QWidget):
    """The action buttons, in two columns beside the member's history, and what they do."""

    def __init__(self, tab: DirectoryTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.dialog: QDialog | None = None  # the action's dialog, while open
        self.edit_button = action_button(tr("Edit details…"), self.on_edit_clicked)
        self.replace_button = action_button(tr("Replace a lost card…"),
                                            self.on_replace_clicked)
        self.merge_button = action_button(tr("Merge with another record…"),
                                          self.on_merge_clicked)
        self.cash_out_button = action_button(tr("Cash out stored value…"),
                                             self.on_cash_out_clicked)
        self.points_button = action_button(tr("Adjust points…"), self.on_points_clicked)
        self.coupon_button = action_button(tr("Give a coupon…"), self.on_coupon_clicked)
        self.qr_button = action_button(tr("Show the QR code"), self.on_qr_clicked)
        self.reprint_button = action_button(tr("Reprint the member card"),
                                            self.on_reprint_clicked)
        self.action_buttons = (self.edit_button, self.replace_button, self.merge_button,
                               self.cash_out_button, self.points_button, self.coupon_button,
                               self.qr_button, self.reprint_button)
        self.action_column = QGridLayout(self)  # two columns: the list keeps its height
        self.action_column.setContentsMargins(0, 0, 0, 0)
        for i, btn in enumerate(self.action_buttons):
            self.action_column.addWidget(btn, i // 2, i % 2)
        self.action_column.setRowStretch(len(self.action_buttons) // 2, 1)

    def show_member(self, file: MemberFile | None) -> None:
        """The buttons for ``file`` (None: nobody picked, all off)."""
        for btn in self.action_buttons:
            btn.setEnabled(file is not None)
        self.cash_out_button.setEnabled(file is not None and file.sv_paid + file.sv_bonus > 0)

    def open_dialog(self, dialog: QDialog, completed: Callable[[Any], None] | None = None
                    ) -> None:
        """Window-modal, not blocking: the worker's results keep coming."""
        self.tab.action_message.clear()
        self.dialog = dialog
        if completed is not None:
            dialog.completed.connect(completed)  # type: ignore[attr-defined]
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        dialog.open()

    @Slot()
    def on_edit_clicked(self) -> None:
        if self.tab.file is not None:
            file = self.tab.file
            self.open_dialog(EditDialog(self.tab.runner, self.tab.ctx, file.row, file.birthday,
                                        self.tab),
                             lambda _member: self.tab.refresh(file.row.id, lambda f: tr(
                                 "Saved: {0}, card {1}.").format(f.row.name, f.row.card_no)))

    @Slot()
    def on_replace_clicked(self) -> None:
        if self.tab.file is None:
            return
        dialog = ReplaceCardDialog(self.tab.runner, self.tab.ctx, self.tab.file.row, self.tab)
        printed = dialog.print_box.isChecked

        def replaced(done: member_care.CardReplaced) -> None:
            self.tab.refresh(done.member_id, lambda f: tr(
                "Card {0} is replaced by card {1}: give the member the new card.").format(
                    done.old_card_no, done.card_no),
                self.print_card if printed() else None)

        self.open_dialog(dialog, replaced)

    @Slot()
    def on_merge_clicked(self) -> None:
        if self.tab.file is not None:
            keep = self.tab.file.row
            picker = MergePicker(self.tab.runner, self.tab.ctx, keep, self.tab)
            picker.picked.connect(lambda other: self.confirm_merge(keep, other))
            self.open_dialog(picker)

    def confirm_merge(self, keep: MemberRow, other: MemberRow) -> None:
        ctx = self.tab.ctx

        def described(row: MemberRow) -> str:
            return tr("{0} (card {1}: {2} points, stored value {3})").format(
                row.name, row.card_no, f"{row.points_balance:,}",
                amount(ctx, row.stored_value_balance))

        text = tr("Merge {0} into {1}? {2} then holds {3} points and {4} stored value, and "
                  "card {5} stops working. This cannot be undone.").format(
            described(other), described(keep), keep.name,
            f"{keep.points_balance + other.points_balance:,}",
            amount(ctx, keep.stored_value_balance + other.stored_value_balance), other.card_no)
        self.tab.confirm(QMessageBox.Icon.Warning, tr("Merge two records"), text,
                     tr("Merge"), tr("Keep both"), lambda yes: self.merge(yes, keep, other))

    def merge(self, yes: bool, keep: MemberRow, other: MemberRow) -> None:
        if not yes:
            self.tab.action_message.show_info(tr("Not merged."))
            return
        ctx = self.tab.ctx
        self.tab.action_message.show_info(tr("Merging…"))

        def merged(done: member_care.Merged) -> None:
            self.tab.refresh(done.keep_id, lambda f: tr(
                "Card {0} was merged into card {1}, which now holds {2} points and {3} stored "
                "value.").format(done.merged_card_no, done.card_no, f"{f.row.points_balance:,}",
                                 amount(ctx, f.row.stored_value_balance)))

        self.tab.run(lambda: member_care.merge(ctx, keep.id, other.id, ctx.staff_id), merged,
                 self.tab.action_message.show_error, what=tr("merging two members"))

    @Slot()
    def on_cash_out_clicked(self) -> None:
        if self.tab.file is not None:
            file, ctx = self.tab.file, self.tab.ctx
            self.open_dialog(
                CashOutDialog(self.tab.runner, ctx, file.row, file.sv_paid, file.sv_bonus,
                              self.tab),
                lambda _receipt: self.tab.refresh(file.row.id, lambda f: tr(
                    "{0} given back to {1} in cash.").format(amount(ctx, file.sv_paid),
                                                             f.row.name)))

    @Slot()
    def on_points_clicked(self) -> None:
        if self.tab.file is not None:
            member_id = self.tab.file.row.id
            self.open_dialog(AdjustPointsDialog(self.tab.runner, self.tab.ctx, self.tab.file.row,
                                                self.tab),
                             lambda _receipt: self.tab.refresh(member_id, lambda f: tr(
                                 "Points adjusted: {0} now has {1} points.").format(
                                     f.row.name, f"{f.row.points_balance:,}")))

    @Slot()
    def on_coupon_clicked(self) -> None:
        if self.tab.file is None:
            return
        row = self.tab.file.row

        def offers(found: list[TemplateChoice]) -> None:
            if self.tab.file is None or self.tab.file.row.id != row.id:
                return

            def given(done: member_care.CouponGiven) -> None:
                self.tab.refresh(row.id, lambda f: tr(
                    "Coupon {0} given to {1}, valid until {2}.").format(
                        done.code, f.row.name, when(done.valid_until.date())))

            self.open_dialog(GiveCouponDialog(self.tab.runner, self.tab.ctx, row, found, self.tab),
                             given)

        self.tab.run(coupon_templates.active_templates, offers, self.tab.action_message.show_error,
                 what=tr("listing the offers"))

    @Slot()
    def on_qr_clicked(self) -> None:
        if self.tab.file is not None:
            self.open_dialog(QrDialog(self.tab.file.row, self.tab.file.member_code, self.tab))

    @Slot()
    def on_reprint_clicked(self) -> None:
        if self.tab.file is not None:
            self.print_card(self.tab.file)

    def print_card(self, file: MemberFile) -> None:
        """The member card slip (with its QR code) to this terminal's printer."""
        ctx, row = self.tab.ctx, file.row
        slip = MemberCardSlip(ctx.settings.store.name, row.name, row.card_no, row.phone_masked,
                              self.tab.tier_names.get(row.tier_code, row.tier_name),
                              file.member_code, row.joined_at, file.page_url)
        self.tab.run(lambda: printing.enqueue(ctx, "member_card", slip),
                 lambda _job: self.tab.action_message.show_info(tr(
                     "The member card of card {0} is queued for the printer.").format(
                         row.card_no)),
                 self.tab.action_message.show_error, what=tr("printing the member card"))
