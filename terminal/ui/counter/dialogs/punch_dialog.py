"""The punch card dialog: use one visit of one of the member's cards, with no sale."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QWidget

from ....core.errors import InvalidInput
from ....services import accounts
from ....services.context import Context
from ....services.members import MemberView
from ...qt.tasks import TaskRunner
from ...text import tr, trn
from ...widgets import touch_list
from .task_dialog import TaskDialog


class PunchDialog(TaskDialog):
    """``completed`` carries the visit's Receipt."""

    def __init__(self, runner: TaskRunner, ctx: Context, member: MemberView,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, ctx, parent, title=tr("Use a punch card visit"), width=480)
        self.member = member
        self.cards = touch_list("cards")
        for c in member.punch_cards:
            self.cards.addItem(trn("{0}: {n}/{1} visit left", "{0}: {n}/{1} visits left",
                                   c.visits_left).format(c.name, c.visits_total))
        self.cards.setCurrentRow(0)
        self.make_buttons(tr("Use one visit"))
        self.stack(QLabel(member.name), self.cards)
        self.cards.itemActivated.connect(self.on_confirm_clicked)

    @Slot()
    def on_confirm_clicked(self) -> None:
        row = self.cards.currentRow()
        if not 0 <= row < len(self.member.punch_cards):
            self.error.show_error(InvalidInput("the member has no punch card"))
            return
        ctx, key = self.ctx, self.key
        member_id, card_id = self.member.id, self.member.punch_cards[row].id
        self.submit(lambda: accounts.use_punch(ctx, key, member_id, card_id),
                    tr("Recording the visit"))
