"""The checkout dialog: points, coupon, stored value and tenders, then one recorded sale."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ....core import money
from ....core.errors import DomainError
from ....loyalty.pricing import Tenders
from ....services import checkout
from ....services.checkout import CheckoutRequest, SaleItem
from ....services.context import Context
from ....services.members import MemberView
from ...qt.tasks import TaskRunner
from ...text import language, tr, trn
from ...widgets import (
    TOUCH_PX,
    big_label,
    button,
    check_box,
    combo_box,
    parse_amount,
    parse_count,
    touch_edit,
)
from .task_dialog import TaskDialog


class CheckoutDialog(TaskDialog):
    # the sale as it is being settled: its Preview (with the points typed) and the stored
    # value typed, for the customer display
    choice_changed = Signal(object, int)

    def __init__(self, runner: TaskRunner, ctx: Context, items: tuple[SaleItem, ...],
                 member: MemberView | None, coupon_code: str = "",
                 parent: QWidget | None = None, approved_by: str | None = None) -> None:
        """``approved_by``: the manager who allowed the basket's discounts above the limit."""
        super().__init__(runner, ctx, parent, title=tr("Checkout"), width=640)
        self.approved_by = approved_by
        self.items = items
        self.member = member
        self.preview: checkout.Preview | None = None
        cur = ctx.currency
        self.fmt = lambda v: money.format_amount(v, cur)

        self.total_label = big_label("total_due", 24)
        self.breakdown = QLabel()
        self.breakdown.setWordWrap(True)
        self.points_edit = touch_edit("points_edit", "0")
        self.points_max = button(tr("Use most"), "F6")
        self.points_info = QLabel()
        self.points_info.setWordWrap(True)
        self.coupon_edit = touch_edit("coupon_edit", tr("Scan or type a coupon code"))
        self.coupon_edit.setText(coupon_code)
        self.coupon_pick = combo_box(18)
        self.coupon_pick.setMinimumHeight(TOUCH_PX)
        self.coupon_pick.addItem(tr("Pick one of the member's coupons…"), "")
        for c in member.coupons if member else ():
            self.coupon_pick.addItem(
                tr("{0} (until {1})").format(c.name_in(language()),
                                                  c.valid_until.strftime("%Y-%m-%d")),
                c.code)
        self.sv_edit = touch_edit("sv_edit", "0.00")
        self.sv_all = button(tr("Use balance"), "F7")
        self.cash_edit = touch_edit("cash_edit", "0.00")
        self.cash_exact = button(tr("Exact cash"), "F8")
        self.card_edit = touch_edit("card_edit", "0.00")
        self.other_edit = touch_edit("other_edit", "0.00")
        self.change_label = big_label("change", 18)
        self.make_buttons(tr("Confirm"))
        # on request: the member's own page as a QR code on the receipt
        self.page_link = check_box(tr("Their page's link on the receipt"))
        self.page_link.setObjectName("page_link")
        self.can_link = member is not None and bool(ctx.settings.web.public_url)
        self.page_link.setVisible(self.can_link)

        form = QFormLayout()
        form.addRow(self.total_label)
        form.addRow(self.breakdown)
        form.addRow(tr("Points"), self._row(self.points_edit, self.points_max))
        form.addRow("", self.points_info)
        # a code and the member's own coupons side by side, the balance beside its field:
        # the whole form fits a 768-pixel screen with a coupon and points (it did not)
        form.addRow(tr("Coupon"), self._row(self.coupon_edit, self.coupon_pick))
        sv_balance = member.stored_value_balance if member else 0
        self.sv_balance = QLabel(tr("Balance {0}").format(self.fmt(sv_balance)))
        form.addRow(tr("Stored value"), self._row(self.sv_edit, self.sv_balance, self.sv_all))
        form.addRow(tr("Cash given"), self._row(self.cash_edit, self.cash_exact))
        form.addRow(tr("Card"), self.card_edit)
        form.addRow(tr("Other"), self.other_edit)
        form.addRow(self.change_label)
        buttons = self._row(self.page_link, self.cancel_button, self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        for edit in (self.points_edit, self.sv_edit, self.cash_edit, self.card_edit,
                     self.other_edit):
            edit.textEdited.connect(self.on_tenders_edited)
        for b in (self.points_max, self.sv_all, self.cash_exact):
            b.setAutoDefault(False)
        for b in (self.points_max, self.sv_all, self.cash_exact):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # their F-keys work from any field
        # Tab from the cash field (where the cursor starts) reaches the points and the
        # stored value first, then the other tenders, then the coupon
        chain = (self.cash_edit, self.points_edit, self.sv_edit, self.card_edit,
                 self.other_edit, self.coupon_edit, self.coupon_pick, self.confirm_button)
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        member_only = (self.points_edit, self.points_max, self.sv_edit, self.sv_all,
                       self.coupon_pick)
        for w in member_only:
            w.setEnabled(member is not None)
        self.points_edit.textEdited.connect(self.on_pricing_edited)
        self.coupon_edit.textEdited.connect(self.on_pricing_edited)
        self.coupon_pick.currentIndexChanged.connect(self.on_coupon_pick_changed)
        self.points_max.clicked.connect(self.on_points_max_clicked)
        self.sv_all.clicked.connect(self.on_sv_all_clicked)
        self.cash_exact.clicked.connect(self.on_cash_exact_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.reprice_timer = QTimer(self)
        self.reprice_timer.setSingleShot(True)
        self.reprice_timer.setInterval(200)  # one preview per pause in typing
        self.reprice_timer.timeout.connect(self.on_reprice_timer_timeout)
        self.on_reprice_timer_timeout()
        self.cash_edit.setFocus()

    def _row(self, *widgets: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for w in widgets:
            row.addWidget(w, 1 if isinstance(w, QLineEdit) else 0)
        return box

    # -- pricing --------------------------------------------------------------------------
    def _points(self) -> int:
        return parse_count(self.points_edit.text(), tr("points"))

    @Slot()
    def on_pricing_edited(self) -> None:
        self.reprice_timer.start()

    @Slot(int)
    def on_coupon_pick_changed(self, index: int) -> None:
        code = self.coupon_pick.itemData(index)
        if code:
            self.coupon_edit.setText(code)
            self.on_pricing_edited()

    @Slot()
    def on_reprice_timer_timeout(self) -> None:
        try:
            pts = self._points()
        except DomainError as exc:
            self.error.show_error(exc)
            return
        items, member_id = self.items, self.member.id if self.member else None
        coupon, ctx = self.coupon_edit.text(), self.ctx
        self.runner.run_latest("checkout", lambda: checkout.preview(
            ctx, items, member_id, coupon, pts), self.on_preview_ready, self.error.show_error,
            what=tr("pricing the sale"))

    def on_preview_ready(self, preview: checkout.Preview) -> None:
        self.preview = preview
        if not self.busy:
            self.error.clear()
        p = preview.pricing
        self.total_label.setText(tr("Total due {0}").format(self.fmt(p.total)))
        parts = [tr("Subtotal {0}").format(self.fmt(p.subtotal))]
        for label, amount in ((tr("member discount"), p.tier_discount),
                              (tr("line discounts"), p.line_discount),
                              (tr("coupon {0}").format(preview.coupon_name_in(language())),
                               p.coupon_discount),
                              (trn("{n} point", "{n} points", p.points_redeemed),
                               p.points_discount)):
            if amount:
                parts.append(f"{label} -{self.fmt(amount)}")
        if p.member_saving:  # already in the subtotal: the member prices paid
            parts.append(tr("member prices saved {0}").format(self.fmt(p.member_saving)))
        self.breakdown.setText("   ".join(parts))
        if self.member is not None:
            self.points_info.setText(tr("The member has {0} points; at most {1} can be used on "
                                        "this bill").format(
                f"{preview.points_balance:,}", f"{p.max_points:,}"))
        self.on_tenders_edited()

    @Slot()
    def on_tenders_edited(self) -> None:
        if self.preview is None:
            return
        try:
            sv, cash, card, other = self._tenders()
        except DomainError as exc:
            self.error.show_error(exc)
            return
        self.choice_changed.emit(self.preview, sv)
        left = self.preview.pricing.total - sv - card - other - cash
        if left > 0:
            self.change_label.setText(tr("Left to pay {0}").format(self.fmt(left)))
        else:
            self.change_label.setText(tr("Change {0}").format(self.fmt(-left)))

    def _tenders(self) -> tuple[int, int, int, int]:
        cur = self.ctx.currency
        edits = (self.sv_edit, self.cash_edit, self.card_edit, self.other_edit)
        # a tender pays a bill, which may be more than one typed price
        return tuple(parse_amount(e.text(), cur, maximum=money.MAX_BILL)  # type: ignore[return-value]
                     for e in edits)

    def _left_before(self, edit: QLineEdit) -> int:
        """What is still due with every tender but ``edit``'s."""
        if self.preview is None:
            return 0
        sv, cash, card, other = self._tenders()
        paid = {self.sv_edit: sv, self.cash_edit: cash, self.card_edit: card,
                self.other_edit: other}
        return self.preview.pricing.total - sum(v for e, v in paid.items() if e is not edit)

    def _fill(self, edit: QLineEdit, amount: int) -> None:
        edit.setText(str(money.to_decimal(max(0, amount), self.ctx.currency)))
        self.on_tenders_edited()

    @Slot()
    def on_points_max_clicked(self) -> None:
        if self.preview is not None:
            self.points_edit.setText(str(self.preview.pricing.max_points))
            self.on_reprice_timer_timeout()

    @Slot()
    def on_sv_all_clicked(self) -> None:
        try:
            left = self._left_before(self.sv_edit)
        except DomainError as exc:
            self.error.show_error(exc)
            return
        balance = self.member.stored_value_balance if self.member else 0
        self._fill(self.sv_edit, min(balance, left))

    @Slot()
    def on_cash_exact_clicked(self) -> None:
        try:
            self._fill(self.cash_edit, self._left_before(self.cash_edit))
        except DomainError as exc:
            self.error.show_error(exc)

    # -- confirm --------------------------------------------------------------------------
    @Slot()
    def on_confirm_clicked(self) -> None:
        try:
            pts = self._points()
            sv, cash, card, other = self._tenders()
        except DomainError as exc:
            self.error.show_error(exc)
            return
        req = CheckoutRequest(
            idempotency_key=self.key, items=self.items,
            member_id=self.member.id if self.member else None,
            coupon_code=self.coupon_edit.text().strip() or None, points=pts,
            tenders=Tenders(stored_value=sv, cash=cash, card=card, other=other),
            approved_by=self.approved_by,
            page_link=self.can_link and self.page_link.isChecked())
        ctx = self.ctx
        self.submit(lambda: checkout.checkout(ctx, req), tr("Recording the sale"))
