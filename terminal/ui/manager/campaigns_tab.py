"""The campaigns tab: a coupon for a segment with a hold-out group, the contact list, the uplift."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QSpinBox,
    QWidget,
)

from ...core import money
from ...loyalty.segments import SEGMENTS
from ...services import campaigns, coupon_templates, messages, outbox
from ...services.campaigns import CampaignView, Results
from ...services.context import Context
from .. import geometry
from ..qt.tasks import TaskRunner
from ..text import language, tr, trc, trn
from ..widgets import ErrorLine, combo_box, group_box, hbox, vbox
from . import charts
from .common import (
    Column,
    ManagerTab,
    ProgressRelay,
    RowsModel,
    action_button,
    amount,
    hint_label,
    percent,
    progress_label,
    segment_label,
    table_view,
    when,
)
from .outbox_box import OutboxBox


class CampaignsTab(ManagerTab):
    """Create a campaign from the form (coupons issued on the worker, with progress); pick
    one in the list to see its results or export its contact list."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.busy = False
        self.results: Results | None = None
        self.relay = ProgressRelay(self)
        self.relay.changed.connect(self.on_progress_changed)

        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(100)
        self.name_edit.setPlaceholderText(tr("e.g. March win-back"))
        self.segment_combo = combo_box()
        for segment in SEGMENTS:
            self.segment_combo.addItem(segment_label(segment), segment)
        self.segment_combo.setCurrentIndex(SEGMENTS.index("at_risk"))
        self.template_combo = combo_box()
        self.message_edit = QPlainTextEdit()
        self.message_edit.setPlaceholderText(tr("The text for the SMS or e-mail, e.g. We miss "
                                                "you: 10 yuan off your next visit"))
        self.message_edit.setFixedHeight(72)
        self.holdout_spin = QSpinBox()
        self.holdout_spin.setRange(0, 50)
        self.holdout_spin.setValue(10)
        self.holdout_spin.setSuffix(" %")
        self.create_button = action_button(tr("Create campaign and issue coupons"))
        self.create_button.clicked.connect(self.on_create_clicked)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.form_message = ErrorLine()
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # wide fields go below
        form.addRow(trc("name of a thing", "Name"), self.name_edit)
        form.addRow(tr("Segment"), self.segment_combo)
        form.addRow(tr("Coupon"), self.template_combo)
        form.addRow(tr("Message"), self.message_edit)
        form.addRow(tr("Hold-out"), self.holdout_spin)
        hint = hint_label(tr("The hold-out group gets nothing: comparing it with the members "
                             "who got the coupon shows what the campaign really changed."))
        box = group_box(tr("New campaign"), vbox(
            form, hint, self.create_button, self.progress, self.form_message, 1))
        box.setFixedWidth(geometry.side_width(self, most=420, least=330, share=3))

        self.model = RowsModel[CampaignView]([
            Column(trc("name of a thing", "Name"), lambda c: c.name),
            Column(tr("Segment"), lambda c: segment_label(c.segment)),
            Column(tr("Coupon"), lambda c: c.template),
            Column(tr("Created"), lambda c: when(c.created_at)),
            Column(tr("Coupons issued"), lambda c: f"{c.targeted:,}", True),
            Column(tr("Hold-out"), lambda c: f"{c.control:,}", True),
        ], self)
        self.table = table_view(self.model, 0)
        self.table.selectionModel().selectionChanged.connect(self.on_selection_changed)
        self.export_button = action_button(tr("Export contacts…"), self.on_export_clicked)
        self.export_button.setEnabled(False)
        self.send_button = action_button(tr("Send by message"), self.on_send_clicked)
        self.send_button.setEnabled(False)
        self.list_message = ErrorLine()
        self.list_message.setWordWrap(True)
        buttons = hbox((self.list_message, 1), self.send_button, self.export_button)

        self.result_labels = {key: QLabel("–") for key in
                              ("days", "redeemed", "target", "control", "uplift", "extra")}
        results_form = QFormLayout()
        for key, text in (("days", tr("Days since the start")),
                          ("redeemed", tr("Coupons redeemed")),
                          ("target", tr("Revenue per member, coupon group")),
                          ("control", tr("Revenue per member, hold-out group")),
                          ("uplift", tr("Uplift")),
                          ("extra", tr("Extra revenue from the campaign"))):
            results_form.addRow(text, self.result_labels[key])
        self.result_labels["uplift"].setObjectName("uplift")
        self.chart = charts.make_chart(tr("Revenue per member since the start"), self.font())
        self.chart.legend().hide()
        results_chart = charts.chart_view(self.chart, 220)
        results_chart.setMinimumWidth(220)
        results_box = group_box(tr("Results of the selected campaign"),
                                hbox((results_form, 3), (results_chart, 2)))
        self.outbox_box = OutboxBox(self)
        right = vbox(QLabel(tr("Campaigns")), (self.table, 1), buttons, self.outbox_box,
                       results_box)
        self.setLayout(hbox(box, (right, 1)))
        self.reload()

    # -- loading --------------------------------------------------------------------------
    def reload(self) -> None:
        """The coupon templates for the form and the list of campaigns, read on the worker."""
        def read() -> tuple[list[coupon_templates.TemplateChoice], list[CampaignView]]:
            return coupon_templates.active_templates(), campaigns.all_campaigns()

        self.run(read, self.on_loaded, self.list_message.show_error,
                 what=tr("reading the campaigns"))
        self.outbox_box.reload()

    def on_loaded(self, loaded: tuple[list[coupon_templates.TemplateChoice], list[CampaignView]]
                  ) -> None:
        templates, found = loaded
        current = self.template_combo.currentData()
        self.template_combo.clear()
        for t in templates:
            self.template_combo.addItem(trn("{0} (valid {n} day)", "{0} (valid {n} days)",
                                            t.valid_days).format(t.name_in(language())), t.code)
        if current is not None and self.template_combo.findData(current) >= 0:
            self.template_combo.setCurrentIndex(self.template_combo.findData(current))
        self.show_campaigns(found)

    def show_campaigns(self, found: list[CampaignView], select: object = None) -> None:
        self.model.set_rows(found)
        self.export_button.setEnabled(False)
        self.send_button.setEnabled(False)
        for row, campaign in enumerate(found):
            if campaign.id == select:
                self.table.selectRow(row)

    def selected(self) -> CampaignView | None:
        return self.model.picked(self.table)

    # -- creating -------------------------------------------------------------------------
    @Slot()
    def on_create_clicked(self) -> None:
        if self.busy:  # no idempotency key in campaigns.create: one at a time
            return
        template = self.template_combo.currentData()
        if template is None:
            self.form_message.show_error(tr("Pick a coupon (no active coupon template "
                                                 "was found)."))
            return
        ctx, name = self.ctx, self.name_edit.text()
        segment, holdout = str(self.segment_combo.currentData()), self.holdout_spin.value()
        self.busy = True
        self.create_button.setEnabled(False)
        self.form_message.show_info(tr("Counting the segment's members…"))
        self.run(lambda: campaigns.plan(ctx, segment, str(template), name=name,
                                        control_percent=holdout),
                 lambda plan: self.on_planned(plan, str(template)), self.on_create_failed,
                 what=tr("planning a campaign"))

    def on_planned(self, plan: campaigns.Plan, template: str) -> None:
        """How many get the coupon, how many are held out, what it may cost: then ask."""
        def fmt(value: int) -> str:
            return money.format_amount(value, self.ctx.currency)

        lines = [trn("{n} member is in the segment.", "{n} members are in the segment.",
                     plan.segment_members),
                 trn("{n} gets the coupon", "{n} get the coupon", plan.targeted) + tr("; ")
                 + trn("{n} is held out and gets nothing.", "{n} are held out and get nothing.",
                       plan.held_out)]
        if plan.most_cost is not None:
            lines.append(tr("If every coupon is used it costs {0} ({1} each).").format(
                fmt(plan.most_cost), fmt(plan.value_each or 0)))
        else:
            lines.append(tr("A percent-off coupon costs what the members buy with it."))
        if plan.redemption_rate is not None:
            lines.append(tr("Earlier campaigns with this offer: {0} of the coupons used{1}.")
                         .format(percent(plan.redemption_rate),
                                 "" if plan.expected_cost is None else
                                 tr(", so about {0}").format(fmt(plan.expected_cost))))
        self.form_message.show_info("")
        self.confirm(QMessageBox.Icon.Question, tr("Create the campaign"), "\n".join(lines),
                     trn("Issue {n} coupon", "Issue {n} coupons", plan.targeted),
                     tr("Cancel"), lambda yes: self.on_confirmed(yes, template))

    def on_confirmed(self, yes: bool, template: str) -> None:
        if not yes:
            self.busy = False
            self.create_button.setEnabled(True)
            self.form_message.show_info(tr("No campaign was created."))
            return
        ctx, relay = self.ctx, self.relay
        name, segment = self.name_edit.text(), str(self.segment_combo.currentData())
        message, holdout = self.message_edit.toPlainText(), self.holdout_spin.value()
        self.progress.setValue(0)
        self.form_message.show_info(tr("Creating the campaign…"))

        def create() -> tuple[CampaignView, list[CampaignView]]:
            made = campaigns.create(ctx, name, segment, str(template), message,
                                    control_percent=holdout, approved_by=ctx.staff_id,
                                    progress=relay)
            return made, campaigns.all_campaigns()

        self.run(create, self.on_created, self.on_create_failed,
                 what=tr("creating a campaign"))

    @Slot(int, str)
    def on_progress_changed(self, pct: int, what: str) -> None:
        if self.busy:
            self.progress.setValue(pct)
            self.form_message.show_info(tr("Creating the campaign: {0}…").format(
                progress_label(what)))

    def on_create_failed(self, error: Exception) -> None:
        self.busy = False
        self.create_button.setEnabled(True)
        self.progress.setValue(0)
        self.form_message.show_error(error)

    def on_created(self, made: tuple[CampaignView, list[CampaignView]]) -> None:
        campaign, found = made
        self.busy = False
        self.create_button.setEnabled(True)
        self.progress.setValue(100)
        self.form_message.show_info(tr("Campaign \u201c{0}\u201d created: {1:,} coupons issued, "
                                       "a control group of {2:,} "
            "held out.").format(campaign.name, campaign.targeted, campaign.control))
        self.name_edit.clear()
        self.show_campaigns(found, select=campaign.id)

    # -- results and contacts -------------------------------------------------------------
    @Slot()
    def on_selection_changed(self) -> None:
        campaign = self.selected()
        self.export_button.setEnabled(campaign is not None)
        self.send_button.setEnabled(campaign is not None)
        if campaign is None:
            return
        ctx = self.ctx
        self.list_message.show_info(tr("Reading the results of {0}…").format(
            campaign.name))
        self.run(lambda: campaigns.results(ctx, campaign.id), self.show_results,
                 self.list_message.show_error, what=tr("reading a campaign's results"))

    def show_results(self, found: Results) -> None:
        if self.selected() is None or self.selected() != found.campaign:
            return  # another campaign was picked meanwhile
        self.results = found
        self.list_message.clear()
        labels = self.result_labels
        labels["days"].setText(f"{found.days:,}")
        labels["redeemed"].setText(tr("{0:,} of {1:,} ({2})").format(
            found.redeemed, found.campaign.targeted, percent(found.redemption_rate)))
        labels["target"].setText(amount(self.ctx, found.target_revenue_per_member))
        labels["control"].setText(
            amount(self.ctx, found.control_revenue_per_member) if found.campaign.control
            else tr("no hold-out group"))
        labels["uplift"].setText(
            percent(found.uplift) if found.uplift is not None
            else tr("not measurable yet (the hold-out group has spent nothing)"))
        labels["uplift"].setWordWrap(True)
        labels["extra"].setText(money.format_amount(found.extra_revenue, self.ctx.currency))
        self._draw_results(found)

    def _draw_results(self, found: Results) -> None:
        charts.clear_chart(self.chart)
        unit = 10 ** money.minor_digits(self.ctx.currency)
        per_member = [found.target_revenue_per_member / unit,
                      found.control_revenue_per_member / unit]
        values = charts.bar_set(tr("Revenue per member"), QColor("#1f77b4"), per_member,
                         charts.small_font(self.font()))
        x = charts.category_axis([tr("Coupon group"), tr("Hold-out")], self.font())
        y = charts.value_axis(self.ctx.currency, self.font(),
                              charts.nice_top(max(per_member)), "%.0f")
        y.setTickCount(3)
        charts.plot(self.chart, x, y, charts.bar_series(values, labels="@value"))

    def on_export_clicked(self) -> None:
        campaign = self.selected()
        if campaign is None:
            return
        self.save_as(tr("Export contacts"), f"contacts-{campaign.name}.csv",
                     self.export_contacts_to)

    def export_contacts_to(self, path: str | Path) -> None:
        """The selected campaign's consenting members with full phone numbers (audited)."""
        campaign = self.selected()
        if campaign is None:
            self.list_message.show_error(tr("Pick a campaign first."))
            return
        ctx = self.ctx
        self.list_message.show_info(tr("Writing the contact list…"))
        self.run(lambda: campaigns.export_contacts(ctx, campaign.id, path, ctx.staff_id),
                 lambda n: self.list_message.show_info(tr("{0:,} contacts written to "
                                                          "{1}").format(n, path)),
                 self.list_message.show_error, what=tr("exporting contacts"))

    # -- sending a campaign's message ---------------------------------------------------------
    @Slot()
    def on_send_clicked(self) -> None:
        """Queue the selected campaign's message for its coupon group (those who consent);
        the sending job (``messages send``) takes it from there."""
        campaign = self.selected()
        if campaign is None:
            self.list_message.show_error(tr("Pick a campaign first."))
            return
        ctx = self.ctx
        self.send_button.setEnabled(False)
        self.list_message.show_info(tr("Queueing the messages…"))

        def queue() -> tuple[messages.Queued, outbox.Outbox]:
            return messages.queue_campaign(ctx, campaign.id, ctx.staff_id), outbox.overview(ctx)

        self.run(queue, self.on_queued, self.on_send_failed, what=tr("queueing messages"))

    def on_queued(self, done: tuple[messages.Queued, outbox.Outbox]) -> None:
        queued, box = done
        self.send_button.setEnabled(self.selected() is not None)
        lines = [trn("{n} message queued", "{n} messages queued", queued.queued)]
        if queued.already:
            lines.append(trn("{n} was queued before", "{n} were queued before", queued.already))
        lines.append(trn("{n} member gave no consent", "{n} members gave no consent",
                         queued.no_consent))
        if queued.no_address:
            lines.append(trn("{n} has no address", "{n} have no address", queued.no_address))
        lines.append(trn("{n} held out gets nothing", "{n} held out get nothing",
                         queued.held_out))
        self.list_message.show_info(tr("; ").join(lines) + tr("."))
        self.outbox_box.show_outbox(box)

    def on_send_failed(self, error: Exception) -> None:
        self.send_button.setEnabled(self.selected() is not None)
        self.list_message.show_error(error)
