"""The audit log tab: filter the sensitive actions, export them, and verify the hash chain."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...core.i18n import Phrase
from ...services import audit, audit_listing
from ...services.audit_listing import AuditView
from ...services.context import Context
from ..qt.tasks import TaskRunner
from ..text import language, tr, trn
from ..widgets import ErrorLine, combo_box
from .common import (
    Column,
    ManagerTab,
    RowsModel,
    action_button,
    action_label,
    table_view,
    when,
)

DEFAULT_DAYS = 30


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class AuditTab(ManagerTab):
    """Newest first; the date range includes both ends."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.message = ErrorLine()
        self.verify_result = ErrorLine()
        self.verify_result.setObjectName("verify_result")
        self.action_combo = combo_box()
        self.action_combo.addItem(tr("All actions"), "")
        self.action_combo.setMinimumWidth(260)
        self.staff_combo = combo_box()
        self.staff_combo.addItem(tr("All staff"), "")
        self.staff_combo.setMinimumWidth(160)
        today = ctx.today()
        self.since_edit = QDateEdit(_qdate(today - timedelta(days=DEFAULT_DAYS)))
        self.until_edit = QDateEdit(_qdate(today))
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.search_button = action_button(tr("Show"), self.on_search_clicked)
        self.export_button = action_button(tr("Export CSV…"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.on_export_clicked)
        self.verify_button = action_button(tr("Verify the log"), self.on_verify_clicked)
        filters = QHBoxLayout()
        for label, widget in ((tr("Action"), self.action_combo),
                              (tr("Staff"), self.staff_combo),
                              (tr("From"), self.since_edit),
                              (tr("To"), self.until_edit)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.search_button)
        filters.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.verify_result, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.verify_button)

        self.model = RowsModel[AuditView]([
            Column("#", lambda r: r.seq, True),
            Column(tr("Time"), lambda r: when(r.created_at)),
            Column(tr("Staff"), lambda r: r.staff),
            Column(tr("Approved by"), lambda r: r.approved_by),
            Column(tr("Action"), lambda r: action_label(r.action)),
            Column(tr("Subject"), lambda r: r.subject),
            Column(tr("Reason"), lambda r: r.reason),
            Column(tr("Details"), lambda r: " → ".join(x for x in (r.before, r.after)
                                                             if x)),
            Column(tr("Terminal"), lambda r: r.terminal_id),
        ], self)
        self.table = table_view(self.model, 7)
        header = self.table.horizontalHeader()
        for column, width in ((5, 200), (6, 200)):  # ids and reasons can be long: scroll
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.on_search_clicked()

    def load_choices(self) -> None:
        self.run(audit_listing.audit_choices, self.on_choices_loaded, self.message.show_error,
                 what=tr("reading the audit filters"))

    def on_choices_loaded(self, choices: audit_listing.AuditChoices) -> None:
        action, person = self.action_combo.currentData(), self.staff_combo.currentData()
        for combo in (self.action_combo, self.staff_combo):
            while combo.count() > 1:
                combo.removeItem(1)
        for name in choices.actions:
            self.action_combo.addItem(action_label(name), name)
        for view in choices.staff:
            self.staff_combo.addItem(view.name, str(view.id))
        self.action_combo.setCurrentIndex(max(0, self.action_combo.findData(action)))
        self.staff_combo.setCurrentIndex(max(0, self.staff_combo.findData(person)))

    def range(self) -> tuple[datetime, datetime]:
        since = _pydate(self.since_edit.date())
        until = _pydate(self.until_edit.date())
        return datetime.combine(since, time.min), datetime.combine(until + timedelta(days=1),
                                                                   time.min)

    @Slot()
    def on_search_clicked(self) -> None:
        since, until = self.range()
        if since >= until:
            self.message.show_error(tr("The start date is after the end date."))
            return
        action = self.action_combo.currentData() or None
        person = self.staff_combo.currentData() or None
        self.load_choices()  # actions new since the last look join the list
        self.message.show_info(tr("Reading the audit log…"))
        self.run(lambda: audit_listing.entries(action=action, staff_id=person, since=since,
                                       until=until),
                 self.show_entries, self.message.show_error,
                 what=tr("reading the audit log"))

    def show_entries(self, rows: list[AuditView]) -> None:
        self.model.set_rows(rows)
        self.export_button.setEnabled(bool(rows))
        self.message.show_info(trn("{n} entry.", "{n} entries (newest first).", len(rows))
                               if rows else tr("No entry matches these filters."))

    @Slot()
    def on_verify_clicked(self) -> None:
        self.verify_button.setEnabled(False)
        self.verify_result.show_info(tr("Checking every entry of the log…"))

        def failed(error: Exception) -> None:
            self.verify_button.setEnabled(True)
            self.verify_result.show_error(error)

        self.run(audit.verify, self.show_verified, failed, what=tr("verifying the log"))

    def show_verified(self, problems: list[Phrase]) -> None:
        self.verify_button.setEnabled(True)
        if not problems:
            self.verify_result.show_info(tr("Chain intact: no entry was changed, inserted or "
                                            "deleted."))
            return
        shown = problems[:10]
        more = len(problems) - len(shown)
        text = tr("The log was tampered with. Problems found: {0}").format(len(problems))
        text += "\n" + "\n".join(p.text(language()) for p in shown)
        if more:
            text += "\n" + tr("… and {0} more").format(more)
        self.verify_result.show_error(text)

    def on_export_clicked(self) -> None:
        self.save_as(tr("Export CSV"), f"audit-{self.ctx.today().isoformat()}.csv",
                     self.export_to)

    def export_to(self, path: str | Path) -> Path | None:
        """The entries shown, as CSV with a BOM."""
        try:
            written = audit_listing.write_audit_csv(self.model.rows, path)
        except OSError as exc:
            self.message.show_error(tr("Could not write {0}: {1}").format(
                path, exc.strerror or exc))
            return None
        self.message.show_info(trn("{n} entry written to {0}", "{n} entries written to {0}",
                                   len(self.model.rows)).format(written))
        return written
