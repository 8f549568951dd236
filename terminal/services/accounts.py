"""Stored value top-ups and cash-outs, standalone punch visits and manual points adjustments."""

from __future__ import annotations

import uuid

from ..core import money
from ..core.errors import InsufficientPoints, InvalidInput, PunchCardError
from ..core.i18n import Term
from ..db import models as m
from ..db.database import write_transaction
from ..loyalty import punch as punch_rules
from ..loyalty import stored_value as sv_rules
from ..loyalty.pricing import Settlement, Tenders, settle
from . import audit, ledger
from .checkout import check_key, once, replay
from .context import Context
from .printing import recorded
from .receipts import Receipt, receipt_for
from .staff import require_approver


def _live_member(member_id: object) -> m.Member:
    member = ledger.lock_member(member_id)
    if member.erased_at is not None:
        raise InvalidInput("this member has been erased")
    return ledger.refuse_merged(member)


def top_up(ctx: Context, key: str, member_id: uuid.UUID | str, paid: int,
           tenders: Tenders) -> Receipt:
    """Pay ``paid`` (cash/card/other) into stored value; the bonus rule adds its bonus."""
    key = check_key(key)
    done = replay(key, "topup")
    if done is not None:
        return receipt_for(ctx, done.id)
    money.check(paid, "top-up", limit=money.MAX_ENTRY)
    if tenders.stored_value:
        raise InvalidInput("stored value cannot pay for a top-up")
    settlement = settle(paid, tenders, 0, ctx.currency)
    return once(ctx, key, "topup", lambda: _top_up(ctx, key, member_id, paid, settlement))


def _top_up(ctx: Context, key: str, member_id: object, paid: int,
            settlement: Settlement) -> Receipt:
    rules = ctx.programme.stored_value
    with write_transaction():
        member = _live_member(member_id)
        # after the member's lock: a retry committed by another terminal meanwhile
        done = replay(key, "topup")
        if done is not None:
            return receipt_for(ctx, done.id)
        bonus = sv_rules.bonus_for(paid, rules)
        sv_rules.check_top_up(paid, member.stored_value_balance, bonus, rules,
                              currency=ctx.currency)
        txn = ledger.new_txn(ctx, key, "topup", member=member.id, subtotal=paid, total=paid,
                             cash=settlement.cash, card=settlement.card,
                             other=settlement.other, change=settlement.change, sv_bonus=bonus)
        ledger.move_stored_value(ctx, member.id, paid, bonus, "topup", txn=txn)
        receipt = recorded(ctx, receipt_for(ctx, txn.id))
    return receipt


def cash_out(ctx: Context, key: str, member_id: uuid.UUID | str, approved_by: str | None,
             reason: str = "") -> Receipt:
    """Give back the paid part of the balance in cash; the bonus part is forfeited."""
    key = check_key(key)
    done = replay(key, "cash_out")
    if done is not None:
        return receipt_for(ctx, done.id)
    return once(ctx, key, "cash_out", lambda: _cash_out(ctx, key, member_id, approved_by,
                                                          reason))


def _cash_out(ctx: Context, key: str, member_id: object, approved_by: str | None,
              reason: str) -> Receipt:
    with write_transaction():
        require_approver(approved_by, Term("refunding stored value", "approval"))
        member = _live_member(member_id)
        # after the member's lock: a retry committed by another terminal meanwhile is
        # replayed, not refused for the balance it just paid out
        done = replay(key, "cash_out")
        if done is not None:
            return receipt_for(ctx, done.id)
        paid, bonus = member.sv_paid_balance, member.sv_bonus_balance
        if paid + bonus == 0:
            raise InvalidInput("there is no stored value to refund")
        txn = ledger.new_txn(ctx, key, "cash_out", member=member.id, total=-paid, cash=-paid,
                             sv_bonus=-bonus, approved_by=approved_by, note=reason[:500])
        ledger.move_stored_value(ctx, member.id, -paid, -bonus, "cash_out", txn=txn, reason=reason)
        receipt = recorded(ctx, receipt_for(ctx, txn.id))
        audit.record(ctx, "cash_out", member.card_no, approved_by=approved_by, reason=reason,
                     before={"paid": paid, "bonus": bonus}, after={"paid": 0, "bonus": 0},
                     txn=txn.id)
    return receipt


def use_punch(ctx: Context, key: str, member_id: uuid.UUID | str,
              card_id: uuid.UUID | str) -> Receipt:
    """One visit on a punch card, with no sale."""
    key = check_key(key)
    done = replay(key, "visit")
    if done is not None:
        return receipt_for(ctx, done.id)
    with write_transaction():
        member = _live_member(member_id)
        card = m.PunchCard.get_or_none(m.PunchCard.id == card_id)
        if card is None or card.member_id != member.id:
            raise PunchCardError("this punch card does not belong to the member",
                                 reason="other_member")
        punch_rules.check_usable(punch_rules.PunchState(
            card.name, card.visits_left, card.expires_at, card.status), ctx.now())
        txn = ledger.new_txn(ctx, key, "visit", member=member.id)
        ledger.move_punch(ctx, card, -1, "use", txn=txn)
        m.Member.update(last_visit_at=ctx.now()).where(m.Member.id == member.id).execute()
        receipt = recorded(ctx, receipt_for(ctx, txn.id))
    return receipt


def adjust_points(ctx: Context, key: str, member_id: uuid.UUID | str, delta: int, reason: str,
                  approved_by: str | None) -> Receipt:
    """A manual correction of a member's points, with the reason on the ledger."""
    key = check_key(key)
    done = replay(key, "adjust")
    if done is not None:
        return receipt_for(ctx, done.id)
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise InvalidInput("an adjustment is a whole number of points, not zero")
    if abs(delta) > money.MAX_ENTRY:
        raise InvalidInput("an adjustment is at most {limit:,} points",
                           limit=money.MAX_ENTRY)
    if not reason or not reason.strip():
        raise InvalidInput("a points adjustment needs a reason")
    with write_transaction():
        require_approver(approved_by, Term("a points adjustment", "approval"))
        member = _live_member(member_id)
        txn = ledger.new_txn(ctx, key, "adjust", member=member.id, points_earned=delta,
                             approved_by=approved_by, note=reason.strip()[:500])
        if delta > 0:
            ledger.add_points(ctx, member.id, delta, "adjust", txn=txn, reason=reason.strip())
        else:
            if ledger.live_points(ctx, member.id) < -delta:
                raise InsufficientPoints(
                    "the member has {points_balance} points; cannot take {taken}",
                    points_balance=member.points_balance, taken=-delta)
            ledger.take_points(ctx, member.id, -delta, "adjust", txn=txn, reason=reason.strip())
        receipt = recorded(ctx, receipt_for(ctx, txn.id))
        audit.record(ctx, "adjust_points", member.card_no, approved_by=approved_by,
                     reason=reason.strip(), before={"points": member.points_balance},
                     after={"points": member.points_balance + delta}, txn=txn.id)
    return receipt
