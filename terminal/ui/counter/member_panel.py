"""The member panel: who is at the counter and what they are owed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ...core import money
from ...core.rules import Programme
from ...services import joins
from ...services.members import MemberView
from ..text import language, tr, trn


def _label(object_name: str, *, bold: bool = False, size: int = 0) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # a name with "<b>" in it is that text
    style = ("font-weight: bold;" if bold else "") + (f"font-size: {size}pt;" if size else "")
    if style:
        label.setStyleSheet(style)
    return label


class MemberPanel(QFrame):
    """Shows a MemberView; ``member`` is None when no member is at the counter."""

    def __init__(self, programme: Programme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.programme = programme
        self.member: MemberView | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = _label("member_name", bold=True, size=20)
        self.identity = _label("member_identity")
        self.flags = _label("member_flags", bold=True)
        self.hint = _label("member_hint", bold=True)
        self.hint.setStyleSheet("color: #1d4ed8;")
        self.tier = _label("member_tier", bold=True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.next_tier = _label("member_next_tier")
        self.points = _label("member_points", size=16)
        self.stored_value = _label("member_stored_value", size=16)
        self.expiring = _label("member_expiring")
        self.expiring.setStyleSheet("color: #b45309;")
        self.punch = _label("member_punch")
        self.coupons = _label("member_coupons")
        self.joins_title = _label("joins_title", bold=True)
        self.joins = _label("joins")
        self.joins_hint = _label("joins_hint")
        self.joins_hint.setStyleSheet("color: #1d4ed8;")
        layout = QVBoxLayout(self)
        for w in (self.name, self.identity, self.flags, self.hint, self.tier, self.progress,
                  self.next_tier, self.points, self.stored_value, self.expiring, self.punch,
                  self.coupons, self.joins_title, self.joins, self.joins_hint):
            layout.addWidget(w)
        layout.addStretch(1)
        self.waiting: tuple[list[joins.Waiting], int] = ([], 0)
        self.chosen: joins.Waiting | None = None
        self.show_member(None)

    def show_joins(self, shown: list[joins.Waiting], total: int,
                   chosen: joins.Waiting | None) -> None:
        """The joins from phones waiting for the counter (seen when no member is here);
        ``chosen`` is the one F2 confirms."""
        self.waiting, self.chosen = (shown, total), chosen
        visible = self.member is None and chosen is not None
        for w in (self.joins_title, self.joins, self.joins_hint):
            w.setVisible(visible)
        if not visible or chosen is None:
            return
        self.joins_title.setText(trn("{n} waiting to join", "{n} waiting to join",
                                     max(total, 1)))
        people = shown if any(j.id == chosen.id for j in shown) else [chosen, *shown]
        self.joins.setText("\n".join(
            ("▶ " if j.id == chosen.id else "    ") + f"{j.created_at:%H:%M}  {j.name}  "
            f"{j.phone_masked}" for j in people))
        self.joins_hint.setText(tr("F2 confirms ▶ (ask their name). Scan the code on "
                                   "their phone to pick another."))

    def suggestion_text(self, member: MemberView) -> str:
        """What to say to the member: the rules' suggestion, in the counter's language."""
        hint = member.suggestion
        fmt = lambda v: money.format_amount(v, self.programme.currency)  # noqa: E731
        if hint is None:
            return ""
        if hint.kind == "use_expiring_points" and hint.when is not None:
            return tr("Suggest: use the {0} points that expire on {1}").format(
                f"{hint.points:,}", hint.when.strftime("%Y-%m-%d"))
        if hint.kind == "use_coupon":
            return trn("Suggest: the member has {n} coupon to use today",
                       "Suggest: the member has {n} coupons to use today", hint.count)
        if hint.kind == "tier_close":
            return tr("Suggest: {0} more reaches {1}").format(fmt(hint.amount),
                                                                   hint.name)
        if hint.kind == "redeem_points":
            return tr("Suggest: {0} points can pay {1}").format(f"{hint.points:,}",
                                                                      fmt(hint.amount))
        return ""

    def show_member(self, member: MemberView | None) -> None:
        self.member = member
        details = (self.identity, self.flags, self.hint, self.tier, self.progress, self.next_tier,
                   self.points, self.stored_value, self.expiring, self.punch, self.coupons)
        for w in details:
            w.setVisible(member is not None)
        self.show_joins(*self.waiting, self.chosen)
        if member is None:
            self.name.setText(tr("No member"))
            self.name.setAlignment(Qt.AlignmentFlag.AlignLeft)
            return
        cur = self.programme.currency
        fmt = lambda v: money.format_amount(v, cur)  # noqa: E731
        self.name.setText(member.name)
        self.identity.setText(tr("Card {0}   Phone {1}\nReferral code {2}").format(
            member.card_no, member.phone_masked, member.referral_code))
        flags = []
        if member.birthday_this_week:
            flags.append(tr("Birthday this week"))
        if member.new_member:
            flags.append(tr("New member"))
        if member.lapsed:
            flags.append(tr("Lapsed: welcome back"))
        self.flags.setText("  ·  ".join(flags))
        self.flags.setVisible(bool(flags))
        self.hint.setText(self.suggestion_text(member))
        self.hint.setVisible(bool(self.hint.text()))
        self.tier.setText(tr("{0} member, {1}% off").format(
            member.tier_name, member.tier_discount_percent))
        if member.next_tier_name:
            threshold = member.next_tier_threshold
            self.progress.setRange(0, max(1, threshold))
            self.progress.setValue(max(0, threshold - member.spend_to_next_tier))
            self.next_tier.setText(tr("Spend {0} more for {1}").format(
                fmt(member.spend_to_next_tier), member.next_tier_name))
        else:
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
            self.next_tier.setText(tr("Top tier"))
        self.points.setText(trn("{n} point (worth {0})", "{n} points (worth {0})",
                                member.points_balance).format(fmt(member.points_value)))
        self.stored_value.setText(tr("Stored value {0}").format(
            fmt(member.stored_value_balance)))
        self.expiring.setText("\n".join(
            trn("{n} point expires on {0}", "{n} points expire on {0}", e.points).format(
                e.expires_at.strftime("%Y-%m-%d")) for e in member.expiring))
        self.expiring.setVisible(bool(member.expiring))
        self.punch.setText("\n".join(
            trn("{0}: {n}/{1} visit left", "{0}: {n}/{1} visits left", c.visits_left).format(
                c.name, c.visits_total)
            for c in member.punch_cards))
        self.punch.setVisible(bool(member.punch_cards))
        self.coupons.setText("\n".join(
            tr("Coupon {0} until {1}").format(c.name_in(language()),
                                                   c.valid_until.strftime("%m-%d"))
            for c in member.coupons))
        self.coupons.setVisible(bool(member.coupons))
