"""The members tab: segments, the 80/20 curve, activity, and who to win back, with CSV export."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarSet,
    QChartView,
    QLineSeries,
    QScatterSeries,
)
from PySide6.QtCore import QPointF, Qt, Slot
from PySide6.QtGui import QColor, QFont, QPen, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...services import analytics
from ...services.analytics import (
    BirthdayRow,
    ExpiringRow,
    KeptOverview,
    MemberRow,
    Overview,
    Progress,
    SegmentRow,
)
from ...services.context import Context
from ..qt.tasks import TaskRunner
from ..text import tr, trc, trn
from ..widgets import ErrorLine
from . import charts
from .common import (
    Column,
    ManagerTab,
    ProgressRelay,
    RowsModel,
    action_button,
    amount,
    percent,
    progress_label,
    segment_label,
    table_view,
    when,
)

TABLES = ("segments", "lapsed", "expiring", "birthdays")
BAR_COLOUR = QColor("#1f77b4")
REVENUE_COLOUR = QColor("#d62728")


@dataclass(frozen=True)
class Analytics:
    overview: Overview
    computed_at: datetime  # of the overview: kept, or computed just now
    seconds: float
    expiring: list[ExpiringRow]
    birthdays: list[BirthdayRow]


def _with_lists(ctx: Context, kept: KeptOverview) -> Analytics:
    return Analytics(kept.overview, kept.computed_at, kept.seconds, analytics.expiring_soon(ctx),
                     analytics.birthdays_this_week(ctx))


def member_analytics(ctx: Context, progress: Progress) -> Analytics:
    """Everything the members tab shows, computed now in one pass of the worker (and the
    overview kept for the next time the tab opens)."""
    return _with_lists(ctx, analytics.compute_overview(ctx, progress=progress))


def todays_lists(ctx: Context) -> tuple[list[ExpiringRow], list[BirthdayRow]]:
    """Today's expiring points and this week's birthdays (read after the kept overview)."""
    return analytics.expiring_soon(ctx), analytics.birthdays_this_week(ctx)


class MembersTab(ManagerTab):
    """Opens on the overview last computed (kept with its time: services.analytics), read on
    the worker; Refresh computes it again there (it reads a year of sales), with a progress
    bar, then the charts and tables fill in."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.overview: Overview | None = None
        self.busy = False
        self.asked_kept = False
        self.kept_answered = False  # the kept figures (or their absence) are known
        self.relay = ProgressRelay(self)
        self.relay.changed.connect(self.on_progress_changed)

        self.refresh_button = action_button(tr("Refresh analytics"), self.on_refresh_clicked)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setMinimumWidth(220)
        self.status = ErrorLine()
        self.status.show_info(tr("Press Refresh to analyse the members (on a big store this "
                                 "takes about half a "
            "minute)."))
        self.summary = QLabel()
        self.summary.setObjectName("analytics_summary")
        self.summary.setWordWrap(True)
        summary_font = QFont(self.font())
        summary_font.setBold(True)
        self.summary.setFont(summary_font)
        top = QHBoxLayout()
        top.addWidget(self.refresh_button)
        top.addWidget(self.progress)
        top.addWidget(self.status, 1)

        font = self.font()
        self.segment_chart = charts.make_chart(tr("Segments: members and revenue"), font)
        self.pareto_chart = charts.make_chart(tr("The 80/20 curve"), font)
        self.active_chart = charts.make_chart(tr("Active members"), font)
        self.segment_set = QBarSet(tr("Share of members"))
        self.revenue_set = QBarSet(tr("Share of revenue"))
        self.pareto_series = QLineSeries()
        self.marker_series = QScatterSeries()
        self.active_set = QBarSet(tr("Bought within"))
        self.segment_categories: list[str] = []
        self.active_categories: list[str] = []
        chart_row = QHBoxLayout()
        self.chart_views: list[QChartView] = []
        for chart, stretch in ((self.segment_chart, 5), (self.pareto_chart, 4),
                               (self.active_chart, 3)):
            view = charts.chart_view(chart, 320)
            self.chart_views.append(view)
            chart_row.addWidget(view, stretch)

        self.models: dict[str, RowsModel[Any]] = {
            "segments": RowsModel[SegmentRow]([
                Column(tr("Segment"), lambda r: segment_label(r.segment)),
                Column(tr("Members"), lambda r: f"{r.members:,}", True),
                Column(tr("Share of members"), lambda r: percent(r.share), True),
                Column(tr("Revenue (365 days)"), lambda r: amount(ctx, r.revenue), True),
                Column(tr("Share of revenue"), lambda r: percent(r.revenue_share), True),
            ], self),
            "lapsed": RowsModel[MemberRow]([
                Column(trc("member card", "Card"), lambda r: r.card_no),
                Column(tr("Name"), lambda r: r.name),
                Column(tr("Phone"), lambda r: r.phone),
                Column(tr("Segment"), lambda r: segment_label(r.segment)),
                Column(tr("Last purchase"), lambda r: when(r.last_purchase)),
                Column(tr("Purchases"), lambda r: r.purchases, True),
                Column(tr("Spend (365 days)"), lambda r: amount(ctx, r.spend), True),
            ], self),
            "expiring": RowsModel[ExpiringRow]([
                Column(trc("member card", "Card"), lambda r: r.card_no),
                Column(tr("Name"), lambda r: r.name),
                Column(tr("Phone"), lambda r: r.phone),
                Column(tr("Points expiring"), lambda r: f"{r.points:,}", True),
                Column(tr("First expiry"), lambda r: when(r.first_expiry)),
            ], self),
            "birthdays": RowsModel[BirthdayRow]([
                Column(trc("member card", "Card"), lambda r: r.card_no),
                Column(tr("Name"), lambda r: r.name),
                Column(tr("Phone"), lambda r: r.phone),
                Column(tr("Birthday"), lambda r: r.birthday.strftime("%m-%d")),
                Column(tr("Marketing consent"),
                       lambda r: tr("yes") if r.marketing_consent else tr("no")),
            ], self),
        }
        titles = {"segments": tr("Segments"), "lapsed": tr("Lapsed members"),
                  "expiring": tr("Points expiring in 30 days"),
                  "birthdays": tr("Birthdays this week")}
        self.tables = QTabWidget()
        self.views: dict[str, QTableView] = {}
        self.export_buttons: dict[str, QPushButton] = {}
        self.export_status = ErrorLine()
        for name in TABLES:
            page = QWidget()
            layout = QVBoxLayout(page)
            layout.setContentsMargins(4, 4, 4, 4)
            table = table_view(self.models[name], 0 if name == "segments" else 1)
            self.views[name] = table
            export = action_button(tr("Export CSV…"))
            export.setEnabled(False)
            export.clicked.connect(lambda _=False, n=name: self.on_export_clicked(n))
            self.export_buttons[name] = export
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(export)
            layout.addWidget(table, 1)
            layout.addLayout(row)
            self.tables.addTab(page, titles[name])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(chart_row, 5)
        layout.addWidget(self.tables, 4)
        layout.addWidget(self.export_status)
        # the window's first tab: asked now, ahead of what the other tabs read as they are
        # made (the runner answers in order)
        self.read_kept()

    # -- computing ------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.read_kept()

    def read_kept(self) -> None:
        """The figures last computed, shown at once the first time: asked as the tab is
        made (the first tab of the window, so before the other tabs' reading) or shown."""
        if not self.asked_kept:
            self.asked_kept = True
            self.run(analytics.kept_overview, self.on_kept_read, self.on_kept_failed,
                     what=tr("reading the last analysis"))

    def on_kept_read(self, kept: KeptOverview | None) -> None:
        """The kept overview at once; then today's lists, read after it."""
        if kept is None or self.overview is not None or self.busy:
            self.kept_answered = True
            return
        self.show_overview(kept.overview, kept.computed_at, kept.seconds)
        self.kept_answered = True
        ctx = self.ctx

        def lists_read(found: tuple[list[ExpiringRow], list[BirthdayRow]]) -> None:
            if not self.busy:
                self.show_lists(*found)

        self.run(lambda: todays_lists(ctx), lists_read, self.on_kept_failed,
                 what=tr("reading expiring points and birthdays"))

    def on_kept_failed(self, error: Exception) -> None:
        self.kept_answered = True
        if self.overview is None and not self.busy:
            self.status.show_error(error)

    @Slot()
    def on_refresh_clicked(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.refresh_button.setEnabled(False)
        self.progress.setValue(0)
        self.status.show_info(tr("Analysing the members…"))
        ctx, relay = self.ctx, self.relay
        self.run(lambda: member_analytics(ctx, relay), self.on_analytics_done,
                 self.on_analytics_failed, what=tr("analysing the members"))

    @Slot(int, str)
    def on_progress_changed(self, pct: int, what: str) -> None:
        if self.busy:
            self.progress.setValue(pct)
            self.status.show_info(tr("Analysing the members: {0}…").format(
                progress_label(what)))

    def on_analytics_failed(self, error: Exception) -> None:
        self.busy = False
        self.refresh_button.setEnabled(True)
        self.progress.setValue(0)
        self.status.show_error(error)

    def on_analytics_done(self, found: Analytics) -> None:
        self.busy = False
        self.refresh_button.setEnabled(True)
        self.progress.setValue(100)
        self.show_analytics(found)

    def show_analytics(self, found: Analytics) -> None:
        self.show_overview(found.overview, found.computed_at, found.seconds)
        self.show_lists(found.expiring, found.birthdays)

    def show_lists(self, expiring: list[ExpiringRow], birthdays: list[BirthdayRow]) -> None:
        self.models["expiring"].set_rows(expiring)
        self.models["birthdays"].set_rows(birthdays)

    def show_overview(self, ov: Overview, computed_at: datetime, seconds: float) -> None:
        self.overview = ov
        self.status.show_info(tr("Figures of {0}, computed in {1} s; Refresh computes them "
                                 "again.").format(when(computed_at), f"{seconds:.1f}"))
        active = {days: share for days, _, share in ov.active}
        self.summary.setText(tr("{0:,} live members on {1}. The top 20% of buyers bring {2} of "
                                "the revenue; "
            "{3} bought in the last 90 days.").format(
            ov.members, ov.as_of.isoformat(), percent(ov.top20_share),
            percent(active.get(90, 0.0))))
        self.models["segments"].set_rows(ov.segments)
        self.models["lapsed"].set_rows(ov.lapsed)
        for button in self.export_buttons.values():
            button.setEnabled(True)
        self._draw_segments(ov.segments)
        self._draw_pareto(ov)
        self._draw_active(ov.active)

    # -- charts ---------------------------------------------------------------------------
    def _draw_segments(self, rows: Sequence[SegmentRow]) -> None:
        """Horizontal bars, so the segment names read without rotation: each segment's share
        of the members beside its share of the revenue, its member count in its name."""
        chart, font = self.segment_chart, self.font()
        charts.clear_chart(chart)
        shown = list(reversed(rows))  # the first segment at the top
        self.segment_categories = [
            tr("{0} ({1:,})").format(segment_label(r.segment, short=True), r.members)
            for r in shown]
        small = charts.small_font(font)
        self.segment_set = charts.bar_set(tr("Share of members"), BAR_COLOUR,
                                   [round(r.share * 100, 1) for r in shown], small)
        self.revenue_set = charts.bar_set(tr("Share of revenue"), REVENUE_COLOUR,
                                   [round(r.revenue_share * 100, 1) for r in shown], small)
        bars = charts.bar_series(self.segment_set, self.revenue_set, labels="@value%", outside=True,
                          horizontal=True)
        bars.setBarWidth(0.9)
        top = max((max(r.share, r.revenue_share) for r in rows), default=0.0) * 100
        x = charts.value_axis("", font, min(100.0, charts.nice_top(top * 1.1)), "%d%%")
        charts.plot(chart, x, charts.category_axis(self.segment_categories, font), bars)

    def _draw_pareto(self, ov: Overview) -> None:
        chart, font = self.pareto_chart, self.font()
        charts.clear_chart(chart)
        chart.setTitle(tr("Top 20% of buyers: {0} of revenue").format(
            percent(ov.top20_share)))
        self.pareto_series = QLineSeries()
        self.pareto_series.setName(tr("Share of revenue"))
        self.pareto_series.setPen(QPen(BAR_COLOUR, 3))
        for share_members, share_revenue in ov.pareto:
            self.pareto_series.append(share_members * 100, share_revenue * 100)
        equal = QLineSeries()
        equal.setName(tr("If all spent alike"))
        equal.setPen(QPen(QColor("#999999"), 1, Qt.PenStyle.DashLine))
        equal.append(0, 0)
        equal.append(100, 100)
        self.marker_series = QScatterSeries()
        self.marker_series.setName(tr("Top 20%: {0}").format(percent(ov.top20_share)))
        self.marker_series.setColor(REVENUE_COLOUR)
        self.marker_series.setMarkerSize(12)
        self.marker_series.append(QPointF(20, ov.top20_share * 100))
        self.marker_series.setPointLabelsVisible(True)
        self.marker_series.setPointLabelsFormat(percent(ov.top20_share))
        self.marker_series.setPointLabelsFont(charts.small_font(font))
        self.marker_series.setPointLabelsClipping(False)
        x = charts.value_axis(tr("Buyers, biggest first (%)"), font, 100, "%d%%")
        y = charts.value_axis(tr("Revenue (%)"), font, 100, "%d%%")
        x.setTickCount(6)
        y.setTickCount(6)
        charts.plot(chart, x, y, equal, self.pareto_series, self.marker_series)

    def _draw_active(self, active: Sequence[tuple[int, int, float]]) -> None:
        chart, font = self.active_chart, self.font()
        charts.clear_chart(chart)
        self.active_categories = [trn("{n} day", "{n} days", days) for days, _, _ in active]
        self.active_set = charts.bar_set(tr("Bought within"), QColor("#2ca02c"),
                                  [round(share * 100, 1) for _, _, share in active],
                                  charts.small_font(font))
        charts.plot(chart, charts.category_axis(self.active_categories, font),
             charts.value_axis(tr("Members (%)"), font, 100, "%d%%"),
             charts.bar_series(self.active_set, labels="@value%", outside=True))

    # -- export ---------------------------------------------------------------------------
    def on_export_clicked(self, name: str) -> None:
        self.save_as(tr("Export CSV"), f"{name}-{self.ctx.today().isoformat()}.csv",
                     lambda path: self.export_table(name, path))

    def export_table(self, name: str, path: str | Path) -> Path | None:
        """Write the rows of table ``name`` (as shown) to ``path``; say so under the tables."""
        try:
            written = analytics.write_csv(self.models[name].rows, path)
        except OSError as exc:
            self.export_status.show_error(tr("Could not write {0}: {1}").format(
                path, exc.strerror or exc))
            return None
        self.export_status.show_info(trn("{n} row written to {0}", "{n} rows written to {0}",
                                         len(self.models[name].rows)).format(written))
        return written
