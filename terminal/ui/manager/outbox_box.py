"""The Campaigns tab's outbox box: how many messages are in each state, and those whose fate
is unknown (the sending job stopped mid-send) for a person to settle."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...services import outbox
from ..text import tr, trc
from ..widgets import ErrorLine
from .common import Column, ManagerTab, RowsModel, action_button, table_view, when


class OutboxBox(QGroupBox):
    """The outbox in its tab: read and settled on the tab's worker, through ``tab.run``."""

    def __init__(self, tab: ManagerTab) -> None:
        super().__init__(tr("Outbox"), tab)
        self.tab = tab
        self.outbox: outbox.Outbox | None = None
        self.outbox_counts = QLabel("–")
        self.outbox_counts.setWordWrap(True)
        self.unknown_model = RowsModel[outbox.MessageView]([
            Column(trc("member card", "Card"), lambda v: v.card_no),
            Column(tr("Sent to"), lambda v: v.address),
            Column(tr("Since"), lambda v: when(v.created_at)),
        ], self)
        self.unknown_table = table_view(self.unknown_model, 1)
        self.unknown_table.setFixedHeight(70)
        self.unknown_table.setToolTip(tr("Not known whether these arrived: the sending job "
                                         "stopped before the server answered. Ask the member, "
                                         "then say which."))
        tab.shrink_font(self.unknown_table)
        self.unknown_table.selectionModel().selectionChanged.connect(
            self.on_unknown_selected)
        self.arrived_button = action_button(tr("It arrived"),
                                            lambda: self.settle_unknown("sent"))
        self.again_button = action_button(tr("Send again"),
                                          lambda: self.settle_unknown("retry"))
        self.outbox_refresh = action_button(tr("Refresh"), self.reload)
        for b in (self.arrived_button, self.again_button):
            b.setEnabled(False)
        self.outbox_message = ErrorLine()
        self.outbox_message.setWordWrap(True)
        self.outbox_message.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(self.outbox_counts, 1)
        top.addWidget(self.outbox_refresh)
        # shown only while some message's fate is unknown: most days the outbox is one line
        self.unknown_part = QWidget()
        part = QVBoxLayout(self.unknown_part)
        part.setContentsMargins(0, 0, 0, 0)
        unknown = QHBoxLayout()
        unknown.addWidget(self.unknown_table, 1)
        settle = QVBoxLayout()
        settle.addWidget(self.arrived_button)
        settle.addWidget(self.again_button)
        unknown.addLayout(settle)
        part.addLayout(unknown)
        self.unknown_part.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.unknown_part)
        layout.addWidget(self.outbox_message)

    def reload(self) -> None:
        ctx = self.tab.ctx
        self.tab.run(lambda: outbox.overview(ctx), self.show_outbox,
                 self.on_outbox_failed, what=tr("reading the outbox"))

    def show_outbox(self, box: outbox.Outbox) -> None:
        self.outbox = box
        c = box.counts
        text = tr("Waiting {0:,} · sending {1:,} · sent {2:,} · failed {3:,} · unknown {4:,} · "
                  "cancelled {5:,}").format(c["queued"], c["sending"], c["sent"], c["failed"],
                                            c["unknown"], c["cancelled"])
        self.outbox_counts.setText(text)
        self.unknown_model.set_rows(box.unknown)
        self.unknown_part.setVisible(bool(box.unknown))
        self.on_unknown_selected()
        self.outbox_message.setVisible(not box.channels)
        if not box.channels:
            self.outbox_message.show_info(tr("No e-mail or SMS is set up in the settings "
                                             "([email], [sms]): nothing can be sent."))

    def on_outbox_failed(self, error: Exception) -> None:
        self.outbox_message.setVisible(True)
        self.outbox_message.show_error(error)

    def selected_unknown(self) -> outbox.MessageView | None:
        return self.unknown_model.picked(self.unknown_table)

    @Slot()
    def on_unknown_selected(self) -> None:
        picked = self.selected_unknown() is not None
        self.arrived_button.setEnabled(picked)
        self.again_button.setEnabled(picked)

    def settle_unknown(self, how: str) -> None:
        """A person says whether a message whose fate is unknown arrived (audited)."""
        picked = self.selected_unknown()
        if picked is None:
            return
        ctx = self.tab.ctx

        def settle() -> outbox.Outbox:
            outbox.resolve(ctx, picked.id, how, ctx.staff_id)
            return outbox.overview(ctx)

        self.tab.run(settle, self.show_outbox, self.on_outbox_failed,
                 what=tr("settling a message"))
