"""The member privacy tab: find a member, reveal their phone, export their data, erase them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from ...core import money
from ...services import members, privacy
from ...services.context import Context
from ..qt.tasks import TaskRunner
from ..text import language, tr, trc
from ..widgets import ErrorLine, grid, group_box, vbox
from .common import Column, ManagerTab, RowsModel, action_button, hint_label, table_view


@dataclass(frozen=True)
class MemberHit:
    id: uuid.UUID
    name: str
    card_no: str
    phone_masked: str
    tier: str
    stored_value: int
    points: int


def find_members(ctx: Context, text: str) -> list[MemberHit]:
    """The members a search finds, as the list shows them (phones masked)."""
    region = ctx.settings.store.phone_region
    return [MemberHit(r.id, r.name, r.card_no, members.mask_phone(r.phone, region), r.tier,
                      r.stored_value_balance, r.points_balance)
            for r in members.search(ctx, text)]


class PrivacyTab(ManagerTab):
    """Each action needs a manager (the one signed in approves) and is audited."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.member: MemberHit | None = None
        self.copies_box: QMessageBox | None = None  # after an erasure: what still holds it
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("Phone, card number, member code or the start of "
                                               "a name"))
        self.search_edit.returnPressed.connect(self.on_find_clicked)
        self.find_button = action_button(tr("Find"), self.on_find_clicked)
        self.search_message = ErrorLine()
        search = QHBoxLayout()
        search.addWidget(self.search_edit, 1)
        search.addWidget(self.find_button)
        self.model = RowsModel[MemberHit]([
            Column(tr("Name"), lambda r: r.name),
            Column(trc("member card", "Card"), lambda r: r.card_no),
            Column(tr("Phone"), lambda r: r.phone_masked),
            Column(tr("Tier"),
                   lambda r: ctx.programme.tiers.by_code(r.tier).name_in(language())),
            Column(tr("Points"), lambda r: f"{r.points:,}", True),
            Column(tr("Stored value"),
                   lambda r: money.format_amount(r.stored_value, ctx.currency), True),
        ], self)
        self.table = table_view(self.model)
        self.table.selectionModel().selectionChanged.connect(self.on_selection_changed)

        self.selected_label = QLabel(tr("Find a member and pick them in the list."))
        self.selected_label.setObjectName("selected_member")
        self.selected_label.setStyleSheet("font-weight: bold;")
        self.reveal_button = action_button(tr("Show the full phone number"), self.on_reveal_clicked)
        self.phone_label = QLabel()
        self.phone_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reveal_message = ErrorLine()
        self.export_button = action_button(tr("Export their data…"), self.on_export_clicked)
        self.export_message = ErrorLine()
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(tr("Why, e.g. the member's written request of 1 March"))
        self.erase_button = action_button(tr("Erase the member…"))
        self.erase_button.setStyleSheet(
            "QPushButton:enabled { color: #b00020; font-weight: bold; }")
        self.erase_button.clicked.connect(self.on_erase_clicked)
        self.erase_message = ErrorLine()
        explain = hint_label(tr("Erasing removes the name, phone and birthday for good; the "
                                "member's sales stay in the books under a pseudonym. Stored "
                                "value must be cashed out first; points, coupons and punch "
                                "cards lapse."))

        actions = grid([(self.reveal_button, 2), self.phone_label],
                       [(self.reveal_message, 3)],
                       [(self.export_button, 2), self.export_message],
                       [tr("Reason"), (self.reason_edit, 2)],
                       [(self.erase_button, 2), self.erase_message],
                       [(explain, 3)])
        actions.setColumnStretch(2, 1)
        box = group_box(tr("The member's data"), vbox(self.selected_label, actions))
        self.setLayout(vbox(search, self.search_message, (self.table, 1), box))
        self._enable(False)

    def _enable(self, on: bool) -> None:
        for widget in (self.reveal_button, self.export_button, self.erase_button,
                       self.reason_edit):
            widget.setEnabled(on)

    # -- finding --------------------------------------------------------------------------
    @Slot()
    def on_find_clicked(self) -> None:
        text = self.search_edit.text().strip()
        if not text:
            self.search_message.show_error(tr("Type a phone, card or name first."))
            return
        ctx = self.ctx
        self.search_message.show_info(tr("Searching…"))
        self.run(lambda: find_members(ctx, text), self.show_found,
                 self.on_find_failed, what=tr("finding members"))

    def on_find_failed(self, error: Exception) -> None:
        self.model.set_rows([])
        self.search_message.show_error(error)

    def show_found(self, found: list[MemberHit]) -> None:
        self.model.set_rows(found)
        self._select(None)
        if not found:
            self.search_message.show_error(tr("No member found."))
            return
        self.search_message.show_info(tr("{0} found.").format(len(found)))
        self.table.selectRow(0)

    @Slot()
    def on_selection_changed(self) -> None:
        self._select(self.model.picked(self.table))

    def _select(self, member: MemberHit | None) -> None:
        self.member = member
        for line in (self.reveal_message, self.export_message, self.erase_message):
            line.clear()
        self.phone_label.clear()
        self._enable(member is not None)
        if member is None:
            self.selected_label.setText(tr("Find a member and pick them in the list."))
        else:
            self.selected_label.setText(tr("{0} — card {1}, phone {2}").format(
                member.name, member.card_no, member.phone_masked))

    # -- actions --------------------------------------------------------------------------
    @Slot()
    def on_reveal_clicked(self) -> None:
        member = self.member
        if member is None:
            return
        ctx = self.ctx

        def shown(phone: str) -> None:
            if self.member == member:
                self.phone_label.setText(phone)
                self.reveal_message.show_info(tr("Shown to you: this is written in the audit log."))

        self.run(lambda: privacy.reveal_phone(ctx, member.id, ctx.staff_id), shown,
                 self.reveal_message.show_error, what=tr("showing a phone number"))

    def on_export_clicked(self) -> None:
        if self.member is None:
            return
        self.save_as(tr("Export the member's data"), f"member-{self.member.card_no}.json",
                     self.export_data_to, "JSON (*.json);;CSV (*.csv)")

    def export_data_to(self, path: str | Path) -> None:
        """Everything held about the member, as JSON (.json) or CSV (audited)."""
        member = self.member
        if member is None:
            self.export_message.show_error(tr("Pick a member first."))
            return
        ctx = self.ctx

        def export() -> Path:
            return privacy.write_member_data(
                privacy.member_data(ctx, member.id, ctx.staff_id), path)

        self.export_message.show_info(tr("Writing…"))
        self.run(export, lambda written: self.export_message.show_info(
            tr("Written to {0}").format(written)),
            self.export_message.show_error, what=tr("exporting a member's data"))

    @Slot()
    def on_erase_clicked(self) -> None:
        member = self.member
        if member is None:
            return
        if not self.reason_edit.text().strip():
            self.erase_message.show_error(tr("Say why the member is erased (e.g. their request "
                                             "and its date)."))
            self.reason_edit.setFocus()
            return
        self.confirm(QMessageBox.Icon.Warning, tr("Erase a member"), tr("Erase {0} (card {1}) "
                                                  "for good? This cannot be undone.").format(
            member.name, member.card_no), tr("Erase"), tr("Keep the member"),
            lambda yes: self.on_confirm_finished(yes, member))

    def on_confirm_finished(self, yes: bool, member: MemberHit) -> None:
        if not yes or self.member != member:
            self.erase_message.show_info(tr("Not erased."))
            return
        ctx, reason = self.ctx, self.reason_edit.text()
        self.erase_button.setEnabled(False)
        self.erase_message.show_info(tr("Erasing…"))

        def failed(error: Exception) -> None:
            self.erase_button.setEnabled(self.member is not None)
            self.erase_message.show_error(error)

        self.run(lambda: privacy.erase(ctx, member.id, ctx.staff_id, reason),
                 lambda erasure: self.on_erased(member, erasure), failed,
                 what=tr("erasing a member"))

    def on_erased(self, member: MemberHit, erasure: privacy.Erasure) -> None:
        self.model.set_rows([r for r in self.model.rows if r.id != member.id])
        self._select(None)
        self.reason_edit.clear()
        done = tr("{0} (card {1}) was erased.").format(member.name, member.card_no)
        if erasure.server_backups:
            held = tr("Backups of the database server made before now still hold their "
                           "data until they are deleted.")
        elif erasure.copies:
            held = tr("Backups made before now that still hold their data: {0}.").format(
                len(erasure.copies))
        else:
            held = tr("No backup of this database holds their data.")
        self.erase_message.show_info(f"{done} {held}")
        if erasure.copies or not erasure.journal_cleared:
            self.show_copies(member, erasure)

    def show_copies(self, member: MemberHit, erasure: privacy.Erasure) -> None:
        """Which copies still hold the erased member's data, and until when."""
        lines = []
        if erasure.copies:
            lines.append(tr("The database no longer holds the data of {0} (card {1}), "
                                 "but the copies listed below, made before the erasure, "
                                 "still do.").format(member.name, member.card_no))
        automatic = [c.deleted_on for c in erasure.copies if c.deleted_on is not None]
        if automatic:
            lines.append(tr("Automatic backups are kept {0} days: the last of these is deleted "
                            "on {1}.")
                .format(erasure.keep_days, max(automatic).isoformat()))
        if len(automatic) < len(erasure.copies):
            lines.append(tr("The others are never deleted automatically: delete them by hand if "
                            "the "
                "member's data must go from them too (and any copy kept elsewhere)."))
        if not erasure.journal_cleared:
            lines.append(tr("Another terminal was using the database: its journal file (-wal) "
                            "still "
                "holds the data until it is emptied, at the latest when every terminal has "
                "closed the database."))
        details = [tr("{0} — deleted on {1}").format(c.path, c.deleted_on.isoformat())
                   if c.deleted_on else tr("{0} — kept until deleted by hand").format(
                       c.path) for c in erasure.copies]
        box = QMessageBox(QMessageBox.Icon.Information, tr("Copies that still hold it"),
                          "\n\n".join(lines), QMessageBox.StandardButton.Ok, self)
        if details:
            box.setInformativeText("\n".join(details))
        box.finished.connect(lambda _result: setattr(self, "copies_box", None))
        self.copies_box = box
        box.open()  # window-modal, not blocking: the worker's results keep coming
