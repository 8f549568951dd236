"""The manager's window: one tab per screen, all database work on the caller's TaskRunner."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from ...services.context import Context
from .. import geometry
from ..fonts import pick_font
from ..qt.fonts import give_font
from ..qt.tasks import TaskRunner
from ..text import tr
from .audit_tab import AuditTab
from .campaigns_tab import CampaignsTab
from .catalogue_tab import CatalogueTab
from .day_tab import DayTab
from .devices_tab import DevicesTab
from .directory_tab import DirectoryTab
from .members_tab import MembersTab
from .offers_tab import OffersTab
from .privacy_tab import PrivacyTab
from .programme_tab import ProgrammeTab
from .staff_tab import StaffTab


def manager_font() -> QFont:
    """The counter's CJK font."""
    return pick_font()


class ManagerWindow(QMainWindow):
    """Members (analytics), campaigns, the audit log, member privacy, the day's report and the
    programme's economics, offers and staff for the signed-in manager
    (``ctx.staff_id`` approves what needs a manager). The runner belongs to the caller and
    its worker must already have the database open."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None, *,
                 at_counter: str | None = None) -> None:
        """``at_counter``: the staff id signed in at the counter that opened this window
        (``ctx.staff_id`` is the manager who opened it)."""
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        font = manager_font()
        self.setFont(font)
        self.setWindowTitle(tr("Manager — {0}").format(ctx.settings.store.name))
        self.members_tab = MembersTab(ctx, runner, self)
        self.campaigns_tab = CampaignsTab(ctx, runner, self)
        self.audit_tab = AuditTab(ctx, runner, self)
        self.privacy_tab = PrivacyTab(ctx, runner, self)
        self.day_tab = DayTab(ctx, runner, self)
        self.offers_tab = OffersTab(ctx, runner, self)
        self.catalogue_tab = CatalogueTab(ctx, runner, self)
        self.directory_tab = DirectoryTab(ctx, runner, self)
        self.staff_tab = StaffTab(ctx, runner, self, at_counter=at_counter)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.members_tab, tr("Members"))
        self.tabs.addTab(self.campaigns_tab, tr("Campaigns"))
        self.tabs.addTab(self.audit_tab, tr("Audit log"))
        self.tabs.addTab(self.privacy_tab, tr("Member privacy"))
        self.tabs.addTab(self.day_tab, tr("Day and economics"))
        self.tabs.addTab(self.offers_tab, tr("Offers"))
        self.tabs.addTab(self.catalogue_tab, tr("Catalogue"))
        self.tabs.addTab(self.directory_tab, tr("Member list"))
        self.tabs.addTab(self.staff_tab, tr("Staff"))
        self.tabs.addTab(ProgrammeTab(ctx, runner, self), tr("Programme"))
        self.tabs.addTab(DevicesTab(ctx, runner, self), tr("This terminal"))
        self.setCentralWidget(self.tabs)
        give_font(self, font)  # past the style sheet font rule: see ui.qt.fonts
        self.status_line = QLabel()
        self.statusBar().addWidget(self.status_line, 1)
        runner.busy_changed.connect(self.on_runner_busy_changed)
        geometry.restore(self, "manager")

    def closeEvent(self, event: QCloseEvent) -> None:
        geometry.remember(self, "manager")
        super().closeEvent(event)

    def on_runner_busy_changed(self, busy: bool) -> None:
        self.status_line.setText(tr("Working: {0}…").format(self.runner.waiting_for)
                                 if busy else "")
