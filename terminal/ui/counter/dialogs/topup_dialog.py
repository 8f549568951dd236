"""The top-up dialog: money into stored value, showing the bonus the rules give."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from ....core import money
from ....core.errors import DomainError
from ....loyalty import stored_value as sv_rules
from ....loyalty.pricing import Tenders
from ....services import accounts
from ....services.context import Context
from ....services.members import MemberView
from ...qt.tasks import TaskRunner
from ...text import tr
from ...widgets import TOUCH_PX, big_label, parse_amount, touch_edit
from .task_dialog import TaskDialog


class TopUpDialog(TaskDialog):
    """``completed`` carries the top-up's Receipt."""

    def __init__(self, runner: TaskRunner, ctx: Context, member: MemberView,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, parent, title=tr("Top up stored value"), width=520)
        self.member = member
        cur = ctx.currency
        self.fmt = lambda v: money.format_amount(v, cur)
        rules = ctx.programme.stored_value
        offers = "\n".join(tr("pay {0}, get {1} extra").format(
            self.fmt(b.min_paid), self.fmt(b.bonus)) for b in rules.bonuses)
        self.amount_edit = touch_edit("amount_edit")
        self.bonus_label = big_label("bonus", 16)
        self.method = QComboBox()
        self.method.setMinimumHeight(TOUCH_PX)
        for label, key in ((tr("Cash"), "cash"), (tr("Card"), "card"),
                           (tr("Other"), "other")):
            self.method.addItem(label, key)
        self.make_buttons(tr("Top up"))
        form = QFormLayout()
        form.addRow(QLabel(tr("{0}: balance {1}").format(
            member.name, self.fmt(member.stored_value_balance))))
        if offers:
            form.addRow(QLabel(offers))
        form.addRow(tr("Amount paid"), self.amount_edit)
        form.addRow(tr("Paid by"), self.method)
        form.addRow(self.bonus_label)
        self.stack(form)
        self.amount_edit.textEdited.connect(self.on_amount_edited)
        self.amount_edit.setFocus()

    def _paid(self) -> int:
        return parse_amount(self.amount_edit.text(), self.ctx.currency, allow_zero=False)

    @Slot()
    def on_amount_edited(self) -> None:
        try:
            paid = self._paid()
        except DomainError as exc:
            self.bonus_label.clear()
            if self.amount_edit.text().strip():
                self.error.show_error(exc)
            return
        self.error.clear()
        bonus = sv_rules.bonus_for(paid, self.ctx.programme.stored_value)
        self.bonus_label.setText(tr("Bonus {0}: the member gets {1}").format(
            self.fmt(bonus), self.fmt(paid + bonus)))

    @Slot()
    def on_confirm_clicked(self) -> None:
        try:
            paid = self._paid()
        except DomainError as exc:
            self.error.show_error(exc)
            return
        tenders = Tenders(**{self.method.currentData(): paid})
        ctx, key, member_id = self.ctx, self.key, self.member.id
        self.submit(lambda: accounts.top_up(ctx, key, member_id, paid, tenders),
                    tr("Recording the top-up"))
