"""The member list tab: search and filter the members a page at a time, open one member's
history (sales with refunds, both ledgers, coupons, punch cards) and look after them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import InvalidInput
from ...core.rules import Tier
from ...loyalty.segments import SEGMENTS
from ...services import member_directory as directory
from ...services import members
from ...services.context import Context
from ...services.member_directory import MemberFilter, MemberHistory, MemberPage, MemberRow
from ..qt.tasks import TaskRunner
from ..text import language, tr, trc, trn
from ..widgets import ErrorLine, combo_box
from .common import (
    Column,
    ManagerTab,
    RowsModel,
    action_button,
    amount,
    segment_label,
    table_view,
    when,
)
from .directory_dialogs import (
    parse_day,
)
from .member_actions import MemberActions

PAGE_SIZE = 50


@dataclass(frozen=True)
class MemberFile:
    """One member as the tab shows them: their history and what the actions need."""

    history: MemberHistory
    birthday: date | None
    sv_paid: int
    sv_bonus: int
    member_code: str  # the code on their card, for the QR code and the card slip
    page_url: str = ""  # their own page, printed on the card slip when the shop has one

    @property
    def row(self) -> MemberRow:
        return self.history.member


def member_file(ctx: Context, member_id: uuid.UUID) -> MemberFile:
    """Read on the worker: the member's history and balances."""
    history = directory.history(ctx, member_id)
    member = members.get_member(member_id)
    return MemberFile(history, member.birthday, int(member.sv_paid_balance),
                      int(member.sv_bonus_balance), members.member_code(ctx, member),
                      members.page_url(ctx, member))


def word(code: str) -> str:
    """A transaction's, a ledger row's or a coupon's kind or status, in words."""
    words = {
        "sale": tr("Sale"), "refund": tr("Refund"), "void": tr("Void"),
        "voided": trc("sale status", "voided"), "completed": trc("sale status", "completed"),
        "topup": tr("Top-up"), "visit": tr("Punch card visit"),
        "topup_reversal": tr("Top-up reversal"), "cash_out": tr("Stored value refund"),
        "adjust": tr("Points adjustment"), "earn": trc("ledger", "earned"),
        "redeem": trc("ledger", "used"), "expire": trc("ledger", "expired"),
        "welcome": trc("ledger", "welcome"), "referral": trc("ledger", "referral"),
        "import": trc("ledger", "imported"), "refund_earn": trc("ledger", "refund"),
        "refund_redeem": trc("ledger", "given back"), "erase": trc("ledger", "erased"),
        "spend": trc("ledger", "spent"), "issued": trc("coupon status", "not used yet"),
        "redeemed": trc("coupon status", "used"), "expired": trc("coupon status", "expired"),
        "active": trc("punch card status", "active"),
        "used_up": trc("punch card status", "used up"),
    }
    return words.get(code, code)


class DayEdit(QLineEdit):
    """A typed date, as wide as a date or its hint in the font it is shown in."""

    def __init__(self) -> None:
        super().__init__()
        self.setPlaceholderText(tr("yyyy-mm-dd"))
        self._fit()

    def _fit(self) -> None:
        metrics = self.fontMetrics()
        need = max(metrics.horizontalAdvance("2026-03-01"),
                   metrics.horizontalAdvance(self.placeholderText()))
        self.setFixedWidth(need + 24)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the window sets its font after
            self._fit()


def yes_no(value: bool) -> str:
    return trc("consent", "yes") if value else trc("consent", "no")


class DirectoryTab(ManagerTab):
    """The list on top, the picked member's history and the actions on them below."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.page_size = PAGE_SIZE
        self.page: MemberPage | None = None
        self.filter = MemberFilter()
        self.file: MemberFile | None = None  # the member picked, once read
        self.tier_names: dict[str, str] = {}  # code: name, read on the worker

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("Phone, card number, member code or the start of "
                                               "a name"))
        self.search_edit.returnPressed.connect(self.on_search_clicked)
        self.tier_combo = combo_box(11)
        self.tier_combo.addItem(tr("Every tier"), None)
        self.consent_combo = combo_box(14)
        for label, value in ((tr("Any consent"), None),
                             (tr("Consent to offers"), True), (tr("No consent"), False)):
            self.consent_combo.addItem(label, value)
        self.segment_combo = combo_box(14)
        self.segment_combo.addItem(tr("Every segment"), None)
        for code in SEGMENTS:
            self.segment_combo.addItem(segment_label(code), code)
        self.segment_combo.setToolTip(tr("Today's segment, as on the Members tab"))
        self.search_button = action_button(tr("Search"), self.on_search_clicked)
        self.joined_from, self.joined_to = DayEdit(), DayEdit()
        self.visited_from, self.visited_to = DayEdit(), DayEdit()
        first_row = QHBoxLayout()
        first_row.addWidget(self.search_edit, 1)
        first_row.addWidget(self.tier_combo)
        first_row.addWidget(self.consent_combo)
        first_row.addWidget(self.segment_combo)
        first_row.addWidget(self.search_button)
        days = QHBoxLayout()
        for label, start, end in ((tr("Joined"), self.joined_from, self.joined_to),
                                  (tr("Last visit"), self.visited_from, self.visited_to)):
            for widget in (QLabel(label), start, QLabel(tr("to")), end):
                days.addWidget(widget)
            days.addSpacing(24)
        days.addStretch(1)
        filters = QVBoxLayout()
        filters.addLayout(first_row)
        filters.addLayout(days)

        self.count_label = QLabel()
        self.count_label.setObjectName("member_count")
        self.previous_button = action_button(tr("Previous page"), self.on_previous_clicked)
        self.next_button = action_button(tr("Next page"), self.on_next_clicked)
        self.list_message = ErrorLine()
        paging = QHBoxLayout()
        paging.addWidget(self.count_label)
        paging.addWidget(self.list_message, 1)
        paging.addWidget(self.previous_button)
        paging.addWidget(self.next_button)

        self.model = RowsModel[MemberRow]([
            Column(tr("Name"), lambda r: r.name),
            Column(trc("member card", "Card"), lambda r: r.card_no),
            Column(tr("Phone"), lambda r: r.phone_masked),
            Column(tr("Tier"), lambda r: self.tier_names.get(r.tier_code, r.tier_name)),
            Column(tr("Points"), lambda r: f"{r.points_balance:,}", True),
            Column(tr("Stored value"), lambda r: amount(ctx, r.stored_value_balance), True),
            Column(tr("Joined"), lambda r: when(r.joined_at.date())),
            Column(tr("Last visit"), lambda r: when(r.last_visit_at)),
            Column(tr("Consent to offers"), lambda r: yes_no(r.marketing_consent)),
        ], self)
        self.table = table_view(self.model)
        self.shrink_font(self.table)
        self.table.selectionModel().selectionChanged.connect(self.on_selection_changed)

        self.member_label = QLabel(tr("Pick a member in the list to see their history."))
        self.member_label.setObjectName("selected_member")
        self.member_label.setStyleSheet("font-weight: bold;")
        self.member_label.setWordWrap(True)
        self.history_tabs = QTabWidget()
        self.sales_model = RowsModel[directory.SaleRow]([
            Column(tr("Receipt"), lambda r: r.receipt_no),
            Column(tr("Kind"), lambda r: word(r.kind) if r.status != "voided"
                   else f"{word(r.kind)} ({word(r.status)})"),
            Column(tr("When"), lambda r: when(r.at)),
            Column(tr("Total"), lambda r: amount(ctx, r.total), True),
            Column(tr("Refunded"), lambda r: amount(ctx, r.refunded) if r.refunded else "",
                   True),
            Column(tr("Stored value"),
                   lambda r: amount(ctx, r.stored_value) if r.stored_value else "", True),
            Column(tr("Points earned"), lambda r: f"{r.points_earned:,}", True),
            Column(tr("Points used"), lambda r: f"{r.points_redeemed:,}", True),
            Column(tr("For receipt"), lambda r: r.original_receipt_no),
        ], self)
        self.points_model = RowsModel[directory.PointsRow]([
            Column(tr("When"), lambda r: when(r.at)),
            Column(tr("Kind"), lambda r: word(r.kind)),
            Column(tr("Points"), lambda r: f"{r.delta:+,}", True),
            Column(tr("Still to use"), lambda r: f"{r.remaining:,}" if r.delta > 0 else "",
                   True),
            Column(tr("Expires"), lambda r: when(r.expires_at)),
            Column(tr("Receipt"), lambda r: r.receipt_no),
            Column(tr("Reason"), lambda r: r.reason),
        ], self)
        self.stored_model = RowsModel[directory.StoredValueRow]([
            Column(tr("When"), lambda r: when(r.at)),
            Column(tr("Kind"), lambda r: word(r.kind)),
            Column(tr("Paid part"), lambda r: amount(ctx, r.delta_paid), True),
            Column(tr("Bonus part"), lambda r: amount(ctx, r.delta_bonus), True),
            Column(tr("Receipt"), lambda r: r.receipt_no),
            Column(tr("Reason"), lambda r: r.reason),
        ], self)
        self.coupons_model = RowsModel[directory.CouponRow]([
            Column(tr("Coupon"), lambda r: r.code),
            Column(tr("Offer"), lambda r: r.name),
            Column(tr("Status"), lambda r: word(r.status)),
            Column(tr("Valid until"), lambda r: when(r.valid_until)),
            Column(tr("Used"), lambda r: when(r.redeemed_at)),
            Column(tr("Campaign"), lambda r: r.campaign),
        ], self)
        self.punch_model = RowsModel[directory.PunchRow]([
            Column(tr("Punch card"), lambda r: r.name),
            Column(tr("Visits left"), lambda r: f"{r.visits_left} / {r.visits_total}", True),
            Column(tr("Status"), lambda r: word(r.status)),
            Column(tr("Expires"), lambda r: when(r.expires_at)),
        ], self)
        self.history_tables: list[QTableView] = []
        for model, label in ((self.sales_model, tr("Sales")),
                             (self.points_model, tr("Points")),
                             (self.stored_model, tr("Stored value")),
                             (self.coupons_model, tr("Coupons")),
                             (self.punch_model, tr("Punch cards"))):
            view = table_view(model, stretch=len(model.columns) - 1)
            self.shrink_font(view)
            self.history_tables.append(view)
            self.history_tabs.addTab(view, label)
        self.action_message = ErrorLine()

        self.member_actions = MemberActions(self)
        history = QHBoxLayout()
        history.addWidget(self.history_tabs, 1)
        history.addWidget(self.member_actions)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(paging)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.member_label)
        layout.addLayout(history, 4)
        layout.addWidget(self.action_message)
        self._show_page(None)
        self.show_member(None)
        # the programme's rules may read the database: on the worker, like everything else
        self.run(lambda: ctx.programme.tiers.tiers, self._show_tiers,
                 self.list_message.show_error, what=tr("listing members"))
        self.load(0)

    def _show_tiers(self, tiers: tuple[Tier, ...]) -> None:
        self.tier_names = {t.code: t.name_in(language()) for t in tiers}
        for tier in tiers:
            self.tier_combo.addItem(self.tier_names[tier.code], tier.code)

    # -- the list -------------------------------------------------------------------------
    @Slot()
    def on_search_clicked(self) -> None:
        try:
            self.filter = MemberFilter(
                text=self.search_edit.text().strip(), tier=self.tier_combo.currentData(),
                marketing_consent=self.consent_combo.currentData(),
                segment=self.segment_combo.currentData(),
                joined_from=parse_day(self.joined_from.text()),
                joined_to=parse_day(self.joined_to.text()),
                visited_from=parse_day(self.visited_from.text()),
                visited_to=parse_day(self.visited_to.text()))
        except InvalidInput as error:
            self.list_message.show_error(error)
            return
        self.load(0)

    @Slot()
    def on_previous_clicked(self) -> None:
        if self.page is not None:
            self.load(max(0, self.page.offset - self.page_size))

    @Slot()
    def on_next_clicked(self) -> None:
        if self.page is not None:
            self.load(self.page.offset + self.page_size)

    def load(self, offset: int) -> None:
        ctx, f, size = self.ctx, self.filter, self.page_size
        self.list_message.show_info(tr("Searching…"))
        self.previous_button.setEnabled(False)
        self.next_button.setEnabled(False)

        def failed(error: Exception) -> None:
            self._show_page(self.page)
            self.list_message.show_error(error)

        self.run(lambda: directory.list_members(ctx, f, offset=offset, limit=size),
                 self._show_page, failed, what=tr("listing members"))

    def _show_page(self, page: MemberPage | None) -> None:
        self.page = page
        self.list_message.clear()
        self.model.set_rows(page.rows if page else [])
        shown = len(page.rows) if page else 0
        if page is None:
            self.count_label.setText("")
        elif page.total == 0:
            self.count_label.setText(tr("No member matches."))
        elif page.offset == 0 and shown == page.total:
            self.count_label.setText(trn("{n} member", "{n} members", page.total))
        elif page.offset == 0:
            self.count_label.setText(tr("The first {0} of {1}").format(
                f"{shown:,}", f"{page.total:,}"))
        else:
            self.count_label.setText(tr("Members {0} to {1} of {2}").format(
                f"{page.offset + 1:,}", f"{page.offset + shown:,}", f"{page.total:,}"))
        self.previous_button.setEnabled(page is not None and page.offset > 0)
        self.next_button.setEnabled(page is not None and page.offset + shown < page.total)
        picked = self.file.row.id if self.file else None
        ids = [r.id for r in self.model.rows]
        if picked in ids:
            self.table.selectRow(ids.index(picked))

    # -- the member picked ----------------------------------------------------------------
    @Slot()
    def on_selection_changed(self) -> None:
        row = self.model.picked(self.table)
        if row is not None and (self.file is None or self.file.row.id != row.id):
            self.open_member(row.id)

    def open_member(self, member_id: uuid.UUID,
                    then: Callable[[MemberFile], None] | None = None) -> None:
        """Read the member's history on the worker and show it; ``then``: what to do next
        with it (e.g. print their new card)."""
        ctx = self.ctx

        def shown(file: MemberFile) -> None:
            self.show_member(file)
            if then is not None:
                then(file)

        self.run(lambda: member_file(ctx, member_id), shown, self.action_message.show_error,
                 what=tr("reading a member's history"))

    def show_member(self, file: MemberFile | None) -> None:
        self.file = file
        self.member_actions.show_member(file)
        history = file.history if file else None
        self.sales_model.set_rows(history.sales if history else [])
        self.points_model.set_rows(history.points if history else [])
        self.stored_model.set_rows(history.stored_value if history else [])
        self.coupons_model.set_rows(history.coupons if history else [])
        self.punch_model.set_rows(history.punch_cards if history else [])
        if file is None:
            self.member_label.setText(tr("Pick a member in the list to see their history."))
            return
        row = file.row
        self.member_label.setText(
            tr("{0} — card {1}, phone {2}: {3} points, stored value {4} (paid {5})").format(
                row.name, row.card_no, row.phone_masked or "–", f"{row.points_balance:,}",
                amount(self.ctx, row.stored_value_balance), amount(self.ctx, file.sv_paid)))
        ids = [r.id for r in self.model.rows]
        if row.id in ids:  # the list's row too, after a change
            rows = list(self.model.rows)
            rows[ids.index(row.id)] = row
            self.model.set_rows(rows)
            self.table.selectRow(ids.index(row.id))

    # -- after an action (ui.manager.member_actions) --------------------------------------
    def refresh(self, member_id: uuid.UUID, said: Callable[[MemberFile], str],
                then: Callable[[MemberFile], None] | None = None) -> None:
        """After a change: the member and the page read again, and ``said`` shown."""
        if self.page is not None:
            self.load(self.page.offset)

        def shown(file: MemberFile) -> None:
            self.action_message.show_info(said(file))
            if then is not None:
                then(file)

        self.open_member(member_id, shown)
