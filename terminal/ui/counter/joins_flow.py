"""Joins from phones at the counter (services.joins): the waiting ones read every
``POLL_MS``, listed in the member panel when no member is here, and confirmed with F2: the
one scanned from a phone (or whose number was typed), else the one marked, which stays
marked while it waits, so that a join arriving just before F2 never changes whom it
confirms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot

from ...services import joins, members
from ...services.members import MemberView
from ..text import tr

if TYPE_CHECKING:
    from .window import CounterWindow

POLL_MS = 10_000  # how often the counter looks for joins from phones


class JoinsFlow(QObject):
    def __init__(self, window: CounterWindow) -> None:
        super().__init__(window)
        self.window = window
        self.picked: joins.Waiting | None = None  # scanned or typed: F2 confirms this one
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.read)

    def start(self) -> None:
        self.read()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    @property
    def marked(self) -> joins.Waiting | None:
        """The join F2 confirms now (none while a member is at the counter, or a phone
        nobody has was just typed: F2 enrols that)."""
        w = self.window
        if w.member is not None or w.unknown_phone:
            return None
        return w.member_panel.chosen

    @Slot()
    def read(self) -> None:
        w = self.window
        ctx = w.ctx
        w.tasks.run(lambda: joins.waiting(ctx), self.on_read, w.on_task_failed,
                    what=tr("reading the joins from phones"))

    def on_read(self, waiting: tuple[list[joins.Waiting], int]) -> None:
        shown, total = waiting
        panel = self.window.member_panel
        before = panel.chosen
        still = next((j for j in shown if before is not None and j.id == before.id), None)
        panel.show_joins(shown, total, self.picked or still or (shown[0] if shown else None))
        self.label()

    def label(self) -> None:
        """F2 says what it does now."""
        self.window.enrol_button.setText(
            "F2  " + (tr("Confirm join") if self.marked is not None else tr("Enrol")))

    def pick(self, join: joins.Waiting | None) -> None:
        """A join scanned from a phone (or its number typed); None: forget it."""
        self.picked = join
        if join is not None:
            self.window.show_member(None)
            self.window.message.show_info(
                tr("Waiting to join: {0}. F2 confirms.").format(join.name))
        self.on_read(self.window.member_panel.waiting)

    def confirm(self, join: joins.Waiting) -> None:
        w = self.window
        ctx = w.ctx

        def confirmed(member: MemberView) -> None:
            self.pick(None)
            w.on_enrolled(member)
            self.read()

        def refused(error: Exception) -> None:
            self.pick(None)
            w.message.show_error(error)
            self.read()

        w.tasks.run(lambda: members.view(ctx, joins.confirm(ctx, join.id).id), confirmed,
                    refused, what=tr("confirming the join"))
