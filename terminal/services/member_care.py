"""Member care: edit a member's details, replace a lost card, merge two records of one
person, give a coupon by hand. Each change is one write transaction with its audit entry."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import peewee as pw

from ..core.errors import Conflict, DuplicatePhone, InvalidInput, NotFound
from ..core.i18n import Term
from ..db import models as m
from ..db.database import write_transaction
from ..loyalty import codes
from . import audit, coupons
from .context import Context
from .ledger import current_holder, lock_member
from .members import (
    clean_name,
    mask_email,
    mask_phone,
    member_code,
    name_key,
    normalize_email,
    normalize_phone,
)
from .staff import require_approver


def _usable(member: m.Member) -> m.Member:
    """``member``, if it is a live record one may change (not erased, not merged)."""
    if member.erased_at is not None:
        raise InvalidInput("this member has been erased")
    if member.merged_into_id is not None:
        raise InvalidInput("This member was merged into card {card}.",
                           card=current_holder(member).card_no)
    return member


def _check_birthday(birthday: object, today: date) -> date:
    if not isinstance(birthday, date) or isinstance(birthday, datetime):
        raise InvalidInput("birthday must be a date")
    if birthday > today or birthday.year < 1900:
        raise InvalidInput("birthday {birthday} is not possible", birthday=birthday)
    return birthday


@dataclass(frozen=True)
class MemberChanges:
    """What to change; ``None`` keeps a field as it is (``clear_birthday`` removes it, and
    an empty ``email`` the address)."""

    name: str | None = None
    phone: str | None = None
    birthday: date | None = None
    clear_birthday: bool = False
    marketing_consent: bool | None = None
    email: str | None = None


def _details(member: m.Member, region: str) -> dict[str, Any]:
    # the audit log is append-only and outlives an erasure: the phone goes in masked
    return {"name": member.name, "phone": mask_phone(member.phone, region),
            "birthday": member.birthday.isoformat() if member.birthday else None,
            "marketing_consent": bool(member.marketing_consent),
            "email": mask_email(member.email) or None}


def edit(ctx: Context, member_id: uuid.UUID | str, changes: MemberChanges) -> m.Member:
    """Change a member's name, phone, e-mail address, birthday or marketing consent."""
    region = ctx.settings.store.phone_region
    fields: dict[pw.Field, object] = {}
    if changes.name is not None:
        name = clean_name(changes.name)
        fields[m.Member.name] = name
        fields[m.Member.name_key] = name_key(name)
    phone = normalize_phone(changes.phone, region) if changes.phone is not None else None
    if phone is not None:
        fields[m.Member.phone] = phone
    if changes.email is not None:
        fields[m.Member.email] = normalize_email(changes.email) if changes.email.strip() \
            else None
    if changes.clear_birthday:
        fields[m.Member.birthday] = None
    elif changes.birthday is not None:
        fields[m.Member.birthday] = _check_birthday(changes.birthday, ctx.today())
    if changes.marketing_consent is not None:
        if not isinstance(changes.marketing_consent, bool):
            raise InvalidInput("marketing consent is yes or no")
        fields[m.Member.marketing_consent] = changes.marketing_consent
    if not fields:
        raise InvalidInput("nothing to change")
    try:
        with write_transaction():
            member = _usable(lock_member(member_id))
            if phone is not None:
                _phone_free(phone, member.id)
            before = _details(member, region)
            m.Member.update(fields).where(m.Member.id == member.id).execute()
            changed = m.Member.get_by_id(member.id)
            after = _details(changed, region)
            if before != after:
                audit.record(ctx, "member_edited", member.card_no,
                             before={k: v for k, v in before.items() if after[k] != v},
                             after={k: v for k, v in after.items() if before[k] != v})
    except pw.IntegrityError:
        if phone is None:
            raise
        # another terminal gave the number to someone between our check and our update
        _phone_free(phone, member_id)
        raise
    return changed


def _phone_free(phone: str, member_id: object) -> None:
    other = m.Member.get_or_none((m.Member.phone == phone) & (m.Member.id != member_id))
    if other is not None:
        raise DuplicatePhone("{phone} is already enrolled (card {card_no})",
                             member_id=other.id, phone=mask_phone(phone),
                             card_no=current_holder(other).card_no)


@dataclass(frozen=True)
class CardReplaced:
    member_id: uuid.UUID
    old_card_no: str
    card_no: str
    member_code: str  # for the new card, its QR code


def _free_card_number() -> str:
    for _ in range(20):
        card = codes.new_card_number()
        if (not m.Member.select().where(m.Member.card_no == card).exists()
                and not m.RetiredCard.select().where(m.RetiredCard.card_no == card).exists()):
            return card
    raise RuntimeError("could not find a free card number")  # pragma: no cover


def replace_card(ctx: Context, member_id: uuid.UUID | str, approved_by: object,
                 reason: str = "") -> CardReplaced:
    """A new card number (and so a new member code) for a lost card; the old one, scanned
    or typed, then says which card replaced it."""
    with write_transaction():
        require_approver(approved_by, Term("replacing a member card", "approval"))
        member = _usable(lock_member(member_id))
        old, new = member.card_no, _free_card_number()
        m.RetiredCard.create(card_no=old, member=member.id, retired_at=ctx.now(),
                             staff_id=ctx.staff_id)
        m.Member.update(card_no=new).where(m.Member.id == member.id).execute()
        audit.record(ctx, "card_replaced", new, approved_by=approved_by,
                     reason=(reason or "").strip(), before={"card": old}, after={"card": new})
        fresh = m.Member.get_by_id(member.id)
    return CardReplaced(fresh.id, old, new, member_code(ctx, fresh))


@dataclass(frozen=True)
class Merged:
    """What a merge moved from the second record onto the first."""

    keep_id: uuid.UUID
    card_no: str  # the kept record's card
    merged_card_no: str
    points: int  # moved
    stored_value_paid: int
    stored_value_bonus: int
    sales: int  # transactions of every kind
    coupons: int
    punch_cards: int
    referrals: int


_RANK_FALLBACK = -1


def _member_uuid(member_id: object) -> uuid.UUID:
    try:
        return member_id if isinstance(member_id, uuid.UUID) else uuid.UUID(str(member_id))
    except ValueError:
        raise NotFound("no such member") from None


def merge(ctx: Context, keep_id: uuid.UUID | str, other_id: uuid.UUID | str,
          approved_by: object, reason: str = "") -> Merged:
    """Move ``other``'s ledgers, coupons, punch cards, sales and referrals onto ``keep``
    (balances add up), and mark ``other`` merged: its card then names ``keep``'s."""
    keep_uuid, other_uuid = _member_uuid(keep_id), _member_uuid(other_id)
    if keep_uuid == other_uuid:
        raise InvalidInput("a member cannot be merged into itself")
    with write_transaction():
        require_approver(approved_by, Term("merging two members", "approval"))
        # both rows locked, always in the same order: two terminals merging the pair either
        # way round wait for each other instead of deadlocking
        locked = {mb.id: mb for mb in (lock_member(i) for i in sorted((keep_uuid, other_uuid)))}
        keep, other = locked[keep_uuid], locked[other_uuid]
        for member in (keep, other):
            if member.erased_at is not None:
                raise InvalidInput("the member with card {card} has been erased",
                                   card=member.card_no)
            if member.merged_into_id is not None:
                raise Conflict("the member with card {card} was merged into card {into} "
                               "already", card=member.card_no,
                               into=current_holder(member).card_no)
        audited = _audited_money(other)
        moved = _move_records(keep, other)
        rules = ctx.programme.tiers
        ranks = {t.code: t.threshold for t in rules.tiers}
        better = other if ranks.get(other.tier, _RANK_FALLBACK) > ranks.get(
            keep.tier, _RANK_FALLBACK) else keep
        visits = [v for v in (keep.last_visit_at, other.last_visit_at) if v is not None]
        referrer = keep.referred_by_id
        if referrer == other.id:
            referrer = other.referred_by_id if other.referred_by_id != keep.id else None
        m.Member.update(
            points_balance=m.Member.points_balance + other.points_balance,
            sv_paid_balance=m.Member.sv_paid_balance + other.sv_paid_balance,
            sv_bonus_balance=m.Member.sv_bonus_balance + other.sv_bonus_balance,
            tier=better.tier, tier_since=better.tier_since,
            last_visit_at=max(visits) if visits else None,
            birthday=keep.birthday or other.birthday, referred_by=referrer,
            email=keep.email or other.email,
        ).where(m.Member.id == keep.id).execute()
        m.Member.update(points_balance=0, sv_paid_balance=0, sv_bonus_balance=0, phone=None,
                        email=None, marketing_consent=False, referred_by=None,
                        merged_into=keep.id).where(
            m.Member.id == other.id).execute()
        if keep.phone is None and other.phone is not None:  # after other's is freed
            m.Member.update(phone=other.phone).where(m.Member.id == keep.id).execute()
        for txn_id, receipt_no in audited:  # their money now names the kept record
            audit.record(ctx, "merge_moved", receipt_no, approved_by=approved_by,
                         after={"member": keep.card_no}, txn=txn_id)
        result = Merged(keep.id, keep.card_no, other.card_no, other.points_balance,
                        other.sv_paid_balance, other.sv_bonus_balance, **moved)
        audit.record(
            ctx, "members_merged", keep.card_no, approved_by=approved_by,
            reason=(reason or "").strip(),
            before={"kept": _balances(keep), "merged": {"card": other.card_no,
                                                        **_balances(other)}},
            after={"kept": _balances(m.Member.get_by_id(keep.id)), **moved})
    return result


def _balances(member: m.Member) -> dict[str, object]:
    return {"points": member.points_balance, "sv_paid": member.sv_paid_balance,
            "sv_bonus": member.sv_bonus_balance, "tier": member.tier}


def _audited_money(other: m.Member) -> list[tuple[uuid.UUID, str]]:
    """The transactions whose money the audit log hashed with ``other``'s id (theirs, and
    those whose ledger rows are theirs), as (id, receipt number); refused if one no longer
    matches its latest entry: the merge must not re-record money changed behind the log."""
    mine = (m.Txn.select(m.Txn.id).where(m.Txn.member == other.id)
            | m.PointsEntry.select(m.PointsEntry.txn).where(
                (m.PointsEntry.member == other.id) & m.PointsEntry.txn.is_null(False))
            | m.StoredValueEntry.select(m.StoredValueEntry.txn).where(
                (m.StoredValueEntry.member == other.id) & m.StoredValueEntry.txn.is_null(False)))
    latest: dict[uuid.UUID, str | None] = {}
    for entry in (m.AuditEntry.select(m.AuditEntry.txn_id, m.AuditEntry.money_hash)
                  .where(m.AuditEntry.txn_id.in_(mine)).order_by(m.AuditEntry.seq)):
        latest[entry.txn_id] = entry.money_hash
    found = []
    for txn in m.Txn.select().where(m.Txn.id.in_(list(latest))).order_by(m.Txn.id):
        if audit.money_hash(txn.id) != latest[txn.id]:
            raise Conflict("the audit log shows that {receipt_no} was changed after it was "
                           "recorded: run 'check' and settle that before merging",
                           receipt_no=txn.receipt_no)
        found.append((txn.id, txn.receipt_no))
    return found


def _move_records(keep: m.Member, other: m.Member) -> dict[str, int]:
    """Every row of ``other`` re-pointed at ``keep``; how many of each."""
    to_keep = {"member": keep.id}
    for model in (m.PointsEntry, m.StoredValueEntry, m.PunchEntry):
        model.update(to_keep).where(model.member == other.id).execute()
    sales = m.Txn.update(to_keep).where(m.Txn.member == other.id).execute()
    coupon_count = m.Coupon.update(to_keep).where(m.Coupon.member == other.id).execute()
    cards = m.PunchCard.update(to_keep).where(m.PunchCard.member == other.id).execute()
    referrals = m.Member.update(referred_by=keep.id).where(
        (m.Member.referred_by == other.id) & (m.Member.id != keep.id)).execute()
    # a campaign that reached both records keeps the first's row (one per member)
    both = m.CampaignMember.select(m.CampaignMember.campaign).where(
        m.CampaignMember.member == keep.id)
    m.CampaignMember.update(to_keep).where(
        (m.CampaignMember.member == other.id) & m.CampaignMember.campaign.not_in(both)
    ).execute()
    return {"sales": sales, "coupons": coupon_count, "punch_cards": cards,
            "referrals": referrals}


@dataclass(frozen=True)
class CouponGiven:
    code: str
    template_code: str
    valid_until: datetime


def give_coupon(ctx: Context, member_id: uuid.UUID | str, template_code: str,
                approved_by: object, reason: str) -> CouponGiven:
    """One coupon from a template, given by hand to one member (a manager approves)."""
    if not reason or not reason.strip():
        raise InvalidInput("a coupon given by hand needs a reason")
    with write_transaction():
        require_approver(approved_by, Term("giving a coupon by hand", "approval"))
        member = _usable(lock_member(member_id))
        coupon = coupons.issue(ctx, (template_code or "").strip(), member.id)
        audit.record(ctx, "coupon_given", member.card_no, approved_by=approved_by,
                     reason=reason.strip(),
                     after={"coupon": coupon.code, "template": coupon.template_id})
    return CouponGiven(coupon.code, coupon.template_id, coupon.valid_until)
