"""The day tab: a day's end-of-day report (close it, print it, export it) and the loyalty
programme's economics by month."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCharts import QBarSet
from PySide6.QtCore import QDate, Qt, Slot
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from printers import paper

from ...core import money
from ...loyalty.economics import cost_share, percent_text
from ...reports import csv_export, pdf, text
from ...reports.document import eod_document
from ...reports.labels import label
from ...services import economics, eod
from ...services.context import Context
from ...services.economics import EconomicsReport, Month
from ...services.eod import EodReport
from ..qt.tasks import TaskRunner
from ..text import tr, trn
from ..widgets import ErrorLine
from . import charts
from .common import (
    Column,
    ManagerTab,
    RowsModel,
    action_button,
    amount,
    hint_label,
    report_language,
    table_view,
)

MONTHS = 12
ISSUED_COLOUR = QColor("#1f77b4")
REDEEMED_COLOUR = QColor("#ff7f0e")
# monospaced, with Chinese characters exactly two columns wide: the text report lines up
MONO_FAMILIES = ("Noto Sans Mono CJK SC", "Noto Sans Mono CJK TC", "Noto Sans Mono CJK JP",
                 "Sarasa Mono SC", "WenQuanYi Zen Hei Mono")
MONO_POINTS = 10


def report_font() -> QFont:
    families = set(QFontDatabase.families())
    for family in MONO_FAMILIES:
        if family in families:
            font = QFont(family, MONO_POINTS)
            break
    else:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(MONO_POINTS)
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    return font


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


@dataclass(frozen=True)
class Shown:
    """The report on screen and the language it is shown in (exports use the same)."""

    report: EodReport
    language: str


class DayTab(ManagerTab):
    """Pick a day: its report is added up on the worker and shown as text. Closing it keeps
    the figures for good (a manager's approval: the one signed in)."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.shown: Shown | None = None
        self.economics: EconomicsReport | None = None
        self.asked_for: date | None = None  # the day whose report is on its way

        self.day_edit = QDateEdit(_qdate(ctx.today()))
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.setMaximumDate(_qdate(ctx.today()))
        self.day_edit.dateChanged.connect(self.on_day_changed)
        self.show_button = action_button(tr("Show"), self.on_show_clicked)
        self.close_button = action_button(tr("Close the day…"), self.on_close_clicked)
        self.print_button = action_button(tr("Print"), self.on_print_clicked)
        self.csv_button = action_button(tr("Export CSV…"), self.on_csv_clicked)
        self.pdf_button = action_button(tr("Export PDF…"), self.on_pdf_clicked)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Day")))
        top.addWidget(self.day_edit)
        top.addWidget(self.show_button)
        top.addStretch(1)
        for btn in (self.close_button, self.print_button, self.csv_button, self.pdf_button):
            top.addWidget(btn)
        self.message = ErrorLine()

        self.report_text = QPlainTextEdit()
        self.report_text.setObjectName("eod_text")
        self.report_text.setReadOnly(True)
        self.report_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report_text.setProperty("keep_font", True)  # the window sets no font on it
        self.report_text.setFont(report_font())
        self._fit_report_width(text.MIN_WIDTH + 8)
        report_box = QGroupBox(tr("End-of-day report"))
        report_layout = QVBoxLayout(report_box)
        report_layout.addWidget(self.report_text)

        self.economics_message = ErrorLine()
        self.headline = {key: QLabel("–") for key in
                         ("period", "cost", "liability", "expected", "breakage")}
        self.headline_names = {key: QLabel() for key in self.headline}
        headline = QFormLayout()
        headline.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        for key, value_label in self.headline.items():
            value_label.setObjectName(f"econ_{key}")
            value_label.setWordWrap(True)  # long figures wrap rather than widen the window
            self.headline_names[key].setWordWrap(True)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            headline.addRow(self.headline_names[key], value_label)
        self.verdict = hint_label()
        self.verdict.setObjectName("econ_verdict")
        self.model = RowsModel[Month]([
            Column(tr("Month"), lambda r: f"{r.month:%Y-%m}"),
            Column(tr("Issued"), lambda r: f"{r.points_issued:,}", True),
            Column(tr("Redeemed"), lambda r: f"{r.points_redeemed:,}", True),
            Column(tr("Expired"), lambda r: f"{r.points_expired:,}", True),
            Column(tr("Revenue"), lambda r: amount(ctx, r.revenue), True),
            Column(tr("Cost share"),
                   lambda r: percent_text(cost_share(r.costs, r.revenue), 1), True),
        ], self)
        self.table = table_view(self.model, 0)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.shrink_font(self.table)  # its columns and the chart share the width
        self.chart = charts.make_chart(tr("Points by month"), self.font())
        self.issued_set = QBarSet(tr("Issued"))
        self.redeemed_set = QBarSet(tr("Redeemed"))
        self.chart_categories: list[str] = []
        points_chart = charts.chart_view(self.chart, 220)
        economics_box = QGroupBox(tr("Programme economics (last 12 months)"))
        economics_layout = QVBoxLayout(economics_box)
        economics_layout.addWidget(self.economics_message)
        economics_layout.addLayout(headline)
        economics_layout.addWidget(self.verdict)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 3)
        middle.addWidget(points_chart, 2)
        economics_layout.addLayout(middle, 1)

        panes = QHBoxLayout()
        panes.addWidget(report_box)
        panes.addWidget(economics_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(panes, 1)
        self._enable_actions()
        self.load_report()
        self.load_economics()

    def _fit_report_width(self, columns: int) -> None:
        """As wide as the report's lines (within reason): the economics get the rest."""
        metrics = QFontMetrics(self.report_text.font())
        chars = min(max(columns, text.MIN_WIDTH), 72)
        frame = 2 * self.report_text.frameWidth() + 12  # the document's margins
        scroll = self.report_text.verticalScrollBar().sizeHint().width()
        self.report_text.setFixedWidth(metrics.horizontalAdvance("0") * chars + frame + scroll)

    def day(self) -> date:
        return _pydate(self.day_edit.date())

    def _enable_actions(self) -> None:
        shown = self.shown is not None and self.shown.report.period.day == self.day()
        for btn in (self.print_button, self.csv_button, self.pdf_button):
            btn.setEnabled(shown)
        self.close_button.setEnabled(
            shown and self.shown is not None and not self.shown.report.closed)

    # -- the day's report ---------------------------------------------------------------
    @Slot()
    def on_day_changed(self) -> None:
        self.load_report()

    @Slot()
    def on_show_clicked(self) -> None:
        self.load_report()
        self.load_economics()

    def load_report(self, after: str = "") -> None:
        """Add up the day's report on the worker; ``after`` is said once it is shown."""
        ctx, day = self.ctx, self.day()
        self.asked_for = day
        self._enable_actions()
        self.message.show_info(tr("Adding up {0}…").format(day.isoformat()))

        def failed(error: Exception) -> None:
            if self.asked_for == day:
                self.message.show_error(error)

        self.run(lambda: eod.report(ctx, day), lambda rep: self.show_report(rep, after),
                 failed, what=tr("adding up the day"))

    def show_report(self, rep: EodReport, after: str = "") -> None:
        if rep.period.day != self.asked_for:
            return  # another day was picked meanwhile: its report is on its way
        language = report_language()
        self.shown = Shown(rep, language)
        rendered = text.render(eod_document(rep, language))
        self.report_text.setPlainText(rendered)
        self._fit_report_width(max(text.width(line) for line in rendered.splitlines()))
        self._enable_actions()
        if after:
            self.message.show_info(after)
        elif rep.closed and rep.closing is not None:
            self.message.show_info(tr("{0} is closed: these are the figures kept at "
                                           "closing.").format(rep.period.day.isoformat()))
        else:
            self.message.show_info(trn(
                "{0}: {n} sale. The day is open: the figures may still change.",
                "{0}: {n} sales. The day is open: the figures may still change.",
                rep.sales.count).format(rep.period.day.isoformat()))

    # -- closing ---------------------------------------------------------------------------
    @Slot()
    def on_close_clicked(self) -> None:
        shown = self.shown
        if shown is None:
            return
        day = shown.report.period.day
        self.confirm(QMessageBox.Icon.Question, tr("Close the day"), tr(
            "Close {0} for good? Its report is kept as it stands now ({1} sales, revenue "
            "{2}); what is recorded on this date later is not added to it.").format(
            day.isoformat(), shown.report.sales.count,
            money.format_amount(shown.report.sales.revenue, shown.report.currency)),
            tr("Close the day"), tr("Keep it open"),
            lambda yes: self.on_confirm_finished(yes, day))

    def on_confirm_finished(self, yes: bool, day: date) -> None:
        if not yes:
            self.message.show_info(tr("The day was not closed."))
            return
        ctx = self.ctx
        self.close_button.setEnabled(False)
        self.message.show_info(tr("Closing {0}…").format(day.isoformat()))

        def failed(error: Exception) -> None:
            self.message.show_error(error)
            self._enable_actions()

        def closed(rep: EodReport) -> None:
            self.asked_for = rep.period.day
            self.day_edit.blockSignals(True)  # the report is here already
            self.day_edit.setDate(_qdate(rep.period.day))
            self.day_edit.blockSignals(False)
            self.show_report(rep, tr("{0} is closed. Its figures are kept as shown.")
                             .format(rep.period.day.isoformat()))

        self.run(lambda: eod.close_day(ctx, day, approved_by=ctx.staff_id), closed, failed,
                 what=tr("closing the day"))

    # -- printing and exporting ------------------------------------------------------------
    @Slot()
    def on_print_clicked(self) -> None:
        shown = self.shown
        if shown is None:
            return
        ctx, rep = self.ctx, shown.report
        self.message.show_info(tr("Sending to the printer…"))
        self.run(lambda: paper.print_eod(ctx, rep),
                 lambda _job: self.message.show_info(tr("The report of {0} is queued for the "
                                                        "receipt printer.").format(
                     rep.period.day.isoformat())),
                 self.message.show_error, what=tr("queueing the report for printing"))

    def _file_name(self, suffix: str) -> str:
        return f"eod-{self.day().isoformat()}.{suffix}"

    @Slot()
    def on_csv_clicked(self) -> None:
        self.save_as(tr("Export CSV"), self._file_name("csv"), self.export_csv_to)

    @Slot()
    def on_pdf_clicked(self) -> None:
        self.save_as(tr("Export PDF"), self._file_name("pdf"), self.export_pdf_to,
                     tr("PDF files (*.pdf)"))

    def export_csv_to(self, path: str | Path) -> Path | None:
        """The report shown, as CSV with a BOM (plain numbers, for a spreadsheet)."""
        shown = self.shown
        if shown is None:
            self.message.show_error(tr("No report to export yet."))
            return None
        return self._write(path, lambda target: csv_export.write(
            eod_document(shown.report, shown.language, plain=True), target))

    def export_pdf_to(self, path: str | Path) -> Path | None:
        """The report shown, as an A4 PDF. Laid out here, on the GUI thread: QTextDocument
        and QPdfWriter are not for worker threads (the figures were read on the worker)."""
        shown = self.shown
        if shown is None:
            self.message.show_error(tr("No report to export yet."))
            return None
        return self._write(path, lambda target: pdf.write(
            eod_document(shown.report, shown.language), target))

    def _write(self, path: str | Path, write: Callable[[Path], None]) -> Path | None:
        target = Path(path)
        try:
            write(target)
        except OSError as exc:
            self.message.show_error(tr("Could not write {0}: {1}").format(
                target, exc.strerror or exc))
            return None
        self.message.show_info(tr("Written to {0}").format(target))
        return target

    # -- programme economics ---------------------------------------------------------------
    def load_economics(self) -> None:
        ctx = self.ctx
        self.economics_message.show_info(tr("Adding up the programme's months…"))
        self.run(lambda: economics.report(ctx, months=MONTHS), self.show_economics,
                 self.economics_message.show_error, what=tr("adding up the programme"))

    def show_economics(self, rep: EconomicsReport) -> None:
        self.economics = rep
        self.economics_message.clear()
        self.economics_message.hide()
        lang = report_language()

        def L(key: str, **values: object) -> str:  # the reports' own words
            return label(key, lang, **values)

        def share(value: object) -> str:
            return percent_text(value, 1)  # type: ignore[arg-type]

        unit = 10 ** money.minor_digits(rep.currency)
        names = {
            "period": tr("Period"),
            "cost": L("econ.cost"),
            "liability": L("econ.liability", rate=f"{rep.points_per_unit:,}",
                           one=money.format_amount(unit, rep.currency)),
            "expected": L("econ.expected"),
            "breakage": L("econ.breakage"),
        }
        values = {
            "period": L("econ.period", start=rep.start.isoformat(), end=rep.end.isoformat(),
                        months=len(rep.months)),
            "cost": tr("{0} = {1} of revenue ({2}); typical: about 1%").format(
                amount(self.ctx, rep.cost), share(rep.cost_share),
                amount(self.ctx, rep.total.revenue)),
            "liability": tr("{0} ({1:,} live points)").format(
                amount(self.ctx, rep.liability), rep.live_points),
            "expected": tr("{0} (redemption rate {1})").format(
                amount(self.ctx, rep.expected_liability), share(rep.redemption.rate)),
            "breakage": share(rep.breakage),
        }
        for key, value_label in self.headline.items():
            self.headline_names[key].setText(names[key])
            value_label.setText(values[key])
        gap = "" if lang.startswith("zh") else " "  # Chinese sentences run on
        verdict = (L("econ.verdict", share=share(rep.cost_share)) + gap
                   + L(f"econ.verdict.{rep.verdict}")) if rep.cost_share is not None \
            else L("econ.no_revenue")
        self.verdict.setText(verdict)
        self.model.set_rows(list(reversed(rep.months)))  # the current month first
        self._draw(rep.months)

    def _draw(self, months: tuple[Month, ...]) -> None:
        chart, font = self.chart, self.font()
        charts.clear_chart(chart)
        self.chart_categories = [f"{mo.month:%y-%m}" for mo in months]
        self.issued_set = charts.bar_set(tr("Issued"), ISSUED_COLOUR,
                                  [mo.points_issued for mo in months])
        self.redeemed_set = charts.bar_set(tr("Redeemed"), REDEEMED_COLOUR,
                                    [mo.points_redeemed for mo in months])
        x = charts.category_axis(self.chart_categories, font)
        x.setLabelsAngle(-90)  # twelve months side by side fit only standing up
        top = max([0, *(max(mo.points_issued, mo.points_redeemed) for mo in months)])
        # no axis title: the chart's title says "points"
        y = charts.value_axis("", font, charts.nice_top(top), "%d")
        charts.plot(chart, x, y, charts.bar_series(self.issued_set, self.redeemed_set))
