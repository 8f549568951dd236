"""The programme tab: the rules in force and their versions, and a new version from a form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, Slot
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QWidget,
)

from ...services import programme, staff
from ...services.context import Context
from ..qt.tasks import TaskRunner
from ..text import tr
from ..widgets import ErrorLine, grid, vbox
from .common import Column, ManagerTab, RowsModel, action_button, hint_label, table_view, when
from .programme_form import RulesForm

ZH = "zh_CN"
TIER_COLUMNS = 6  # code, English name, Chinese name, threshold, discount %, multiplier


@dataclass(frozen=True)
class VersionRow:
    version: int
    effective_from: datetime
    saved_at: datetime
    saved_by: str
    approved_by: str
    reason: str


@dataclass(frozen=True)
class Snapshot:
    """What the tab shows: the version in force (None: the settings' rules, none saved yet),
    its rules in the settings file's form, the next version if one is waiting, every
    version."""

    in_force: VersionRow | None
    rules: dict[str, Any]
    next_one: VersionRow | None
    history: list[VersionRow]


def _row(v: programme.Version) -> VersionRow:
    return VersionRow(v.version, v.effective_from, v.created_at, staff.name_of(v.created_by),
                      staff.name_of(v.approved_by), v.reason)


def snapshot(ctx: Context) -> Snapshot:
    """On the worker: the rules in force now and the versions."""
    now = ctx.now()
    current = programme.version_in_force(ctx, now)
    history = programme.history(ctx)
    waiting = [v for v in history if v.effective_from > now]
    return Snapshot(_row(current) if current else None,
                    programme.as_dict(programme.in_force(ctx, now)),
                    _row(min(waiting, key=lambda v: v.effective_from)) if waiting else None,
                    [_row(v) for v in history])


def _reason(text: str) -> str:
    """The reason as the tab shows it: the rules moved from the file in the reader's words."""
    return tr("moved from the settings file") if text == programme.MOVED else text


class ProgrammeTab(ManagerTab):
    """The rules every terminal applies: shown as they are in force, changed as a new version
    from a given time with a reason, approved by the manager signed in (audited)."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.shown: Snapshot | None = None
        self.busy = False
        self.shown_from: QDateTime | None = None  # the default "from": now, when the form filled

        self.in_force_label = QLabel()
        self.in_force_label.setWordWrap(True)
        offers = hint_label(tr("Coupon templates and the rules that give them out are in the "
                               "Offers tab."))

        self.sections = RulesForm(ctx.currency)
        self.sections.addTab(self._history_page(), tr("Versions"))

        self.from_edit = QDateTimeEdit()
        self.from_edit.setCalendarPopup(True)
        self.from_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setPlaceholderText(tr("e.g. double points in the spring week"))
        self.reset_button = action_button(tr("Undo my changes"), self.on_reset_clicked)
        self.save_button = action_button(tr("Save the rules"), self.on_save_clicked)
        self.form_message = ErrorLine()
        bottom = grid([tr("Takes effect from"), self.from_edit, tr("Reason"), self.reason_edit,
                       self.reset_button, self.save_button], [(self.form_message, 6)])
        bottom.setColumnStretch(3, 1)

        self.setLayout(vbox(self.in_force_label, offers, (self.sections, 1), bottom))
        self.reload()

    def _history_page(self) -> QWidget:
        self.history_model = RowsModel[VersionRow]([
            Column(tr("Version"), lambda v: v.version, True),
            Column(tr("In force from"), lambda v: when(v.effective_from)),
            Column(tr("Saved"), lambda v: when(v.saved_at)),
            Column(tr("Saved by"), lambda v: v.saved_by),
            Column(tr("Approved by"), lambda v: v.approved_by),
            Column(tr("Reason"), lambda v: _reason(v.reason)),
        ], self)
        self.history_table = table_view(self.history_model, 5)
        return self.history_table

    # -- loading -------------------------------------------------------------------------------
    def reload(self, said: str = "") -> None:
        ctx = self.ctx

        def loaded(shown: Snapshot) -> None:
            self.fill(shown)
            if said:
                self.form_message.show_info(said)

        self.run(lambda: snapshot(ctx), loaded, self.form_message.show_error,
                 what=tr("reading the programme's rules"))

    def fill(self, shown: Snapshot) -> None:
        """The rules in force in the form, the versions in the list."""
        self.shown = shown
        v = shown.in_force
        text = (tr("In force now: version {0}, since {1} ({2}).").format(
                    v.version, when(v.effective_from), _reason(v.reason)) if v
                else tr("In force now: the settings file's rules (no version saved yet)."))
        if shown.next_one is not None:
            text += " " + tr("Version {0} takes effect on {1}.").format(
                shown.next_one.version, when(shown.next_one.effective_from))
        self.in_force_label.setText(text)
        self.history_model.set_rows(shown.history)
        self.sections.show_rules(shown.rules)
        self.shown_from = QDateTime(self.ctx.now().replace(second=0, microsecond=0))
        self.from_edit.setDateTime(self.shown_from)
        self.reason_edit.clear()

    @Slot()
    def on_reset_clicked(self) -> None:
        if self.shown is not None:
            self.fill(self.shown)
            self.form_message.clear()

    def effective_from(self) -> datetime | None:
        """None (now) while the time is the one the form was filled with."""
        chosen = self.from_edit.dateTime()
        if self.shown_from is not None and chosen == self.shown_from:
            return None
        value: datetime = chosen.toPython()  # type: ignore[assignment]
        return value.replace(second=0, microsecond=0)

    @Slot()
    def on_save_clicked(self) -> None:
        if self.busy:
            return
        data = self.sections.rules_data()
        ctx, effective, reason = self.ctx, self.effective_from(), self.reason_edit.text()
        self._busy(True)
        self.form_message.show_info(tr("Saving…"))

        def work() -> programme.Version:
            rules = programme.from_dict(ctx, data)
            return programme.change(ctx, rules, effective, reason, ctx.staff_id)

        def saved(version: programme.Version) -> None:
            self._busy(False)
            self.reload(tr("Version {0} saved: in force from {1}.").format(
                version.version, when(version.effective_from)))

        def failed(error: Exception) -> None:
            self._busy(False)
            self.form_message.show_error(error)

        self.run(work, saved, failed, what=tr("saving the programme's rules"))

    def _busy(self, busy: bool) -> None:
        self.busy = busy
        self.save_button.setEnabled(not busy)
        self.reset_button.setEnabled(not busy)
