"""The requests a counter must refuse, for ``simulate``'s "bad_input" operation.

Each case builds a request the services must refuse with the error it names (a forged
member code, a phone already enrolled, more points than the member has, …); ``attempt``
sends one and checks that nothing was written and the member's balances did not move.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from ..core.errors import (
    Conflict,
    CouponError,
    DomainError,
    DuplicatePhone,
    InsufficientPoints,
    InsufficientStoredValue,
    InvalidInput,
    MemberCodeError,
    NotFound,
    PaymentError,
    PermissionDenied,
    PointsRuleViolation,
    PunchCardError,
    RefundError,
)
from ..db import models as m
from ..db.migrations import new_secret
from ..loyalty import codes, pricing
from ..loyalty import points as prules
from ..services import accounts, checkout, coupons, members, refunds
from ..services.ledger import live_points

if TYPE_CHECKING:
    from .simulate import Simulator

Case = tuple[type[DomainError], Callable[[], object], Any]  # expected error, request, member
CASES: dict[str, Callable[[Simulator], Case]] = {}


def _case(build: Callable[[Simulator], Case]) -> Callable[[Simulator], Case]:
    CASES[build.__name__] = build
    return build


def attempt(sim: Simulator, name: str | None = None) -> None:
    """The case ``name`` (by default one picked at random): it must be refused with the
    error it names, and leave no row written and the member's balances as they were."""
    if name is None:
        name = sim.rng.choice(sorted(CASES))
    wanted, request, member_id = CASES[name](sim)
    op = f"bad_input.{name}"
    since = sim.ctx.now()
    before = sim.written_here(since)
    state = _balances(member_id)
    try:
        sim.call(request)
    except DomainError as exc:
        if not isinstance(exc, wanted):
            sim.fail(op, f"refused with {type(exc).__name__} ({exc}), expected "
                         f"{wanted.__name__}", exc)
            return
    except Exception as exc:
        sim.fail(op, f"refused with {type(exc).__name__} ({exc}), not a DomainError", exc)
        return
    else:
        sim.fail(op, f"accepted; expected {wanted.__name__}")
        return
    if sim.written_here(since) != before:
        sim.fail(op, "refused, but rows were written")
    elif _balances(member_id) != state and not sim.raced(since, member_id):
        sim.fail(op, "refused, but the member's balances moved")
    else:
        sim.stats.refused[name] += 1


def _balances(member_id: Any) -> tuple[object, ...] | None:
    if member_id is None:
        return None
    r = m.Member.get_by_id(member_id)
    return (r.points_balance, r.sv_paid_balance, r.sv_bonus_balance, r.tier,
            r.last_visit_at)


def _sale(sim: Simulator, member_id: Any = None, **kw: Any) -> checkout.CheckoutRequest:
    items = kw.pop("items", (checkout.SaleItem(unit_price=2000, name="Amount"),))
    kw.setdefault("tenders", pricing.Tenders(cash=100_000))
    return checkout.CheckoutRequest(sim.key("bad"), tuple(items), member_id=member_id,
                                    **kw)


@_case
def tampered_code(sim: Simulator) -> Case:
    mem = sim.member()
    code = members.member_code(sim.ctx, mem)
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    return MemberCodeError, lambda: members.identify(sim.ctx, forged), None


@_case
def foreign_code(sim: Simulator) -> Case:
    mine, _ = sim.ctx.installation()
    other = "ZZZZZ" if mine != "ZZZZZ" else "YYYYY"
    code = codes.member_code(new_secret(), other, sim.member().card_no)
    return MemberCodeError, lambda: members.identify(sim.ctx, code), None


@_case
def garbage_scan(sim: Simulator) -> Case:
    junk = sim.rng.choice(("hello", "M1.???", "13800", "<script>", "M1.AB.12.C"))
    return MemberCodeError, lambda: members.identify(sim.ctx, junk), None


@_case
def unknown_card(sim: Simulator) -> Case:
    card = ""
    while not card or m.Member.select().where(m.Member.card_no == card).exists():
        body = str(sim.rng.randint(100_000_000, 999_999_999))
        card = body + codes.luhn_digit(body)
    return MemberCodeError, lambda: members.identify(sim.ctx, card), None


@_case
def enrol_invalid_phone(sim: Simulator) -> Case:
    req = members.EnrolRequest(sim.new_name(), sim.rng.choice(("12345", "999", "abc")))
    return InvalidInput, lambda: members.enrol(sim.ctx, req), None


@_case
def enrol_duplicate_phone(sim: Simulator) -> Case:
    mem = sim.rng.choice([p for p in sim.pool if p.phone] or [None])
    if mem is None:
        return enrol_invalid_phone(sim)
    req = members.EnrolRequest(sim.new_name(), sim.typed_phone(mem.phone))
    return DuplicatePhone, lambda: members.enrol(sim.ctx, req), mem.id


@_case
def enrol_future_birthday(sim: Simulator) -> Case:
    req = members.EnrolRequest(sim.new_name(), sim.new_phone(),
                               birthday=sim.ctx.today() + timedelta(days=30))
    return InvalidInput, lambda: members.enrol(sim.ctx, req), None


@_case
def points_over_balance(sim: Simulator) -> Case:
    mem = sim.member()
    pts = live_points(sim.ctx, mem.id) + 100
    req = _sale(sim, mem.id, points=pts)
    return InsufficientPoints, lambda: checkout.checkout(sim.ctx, req), mem.id


@_case
def points_over_cap(sim: Simulator) -> Case:
    # the cap is a share of a 20-yuan bill: a member with fewer points gets a balance error
    mem = sim.member()
    cap = prules.max_redeemable(2000, 10**9, sim.ctx.programme.points, sim.ctx.currency)
    req = _sale(sim, mem.id, points=cap + 100)
    wanted = (PointsRuleViolation if live_points(sim.ctx, mem.id) >= cap + 100
              else InsufficientPoints)
    return wanted, lambda: checkout.checkout(sim.ctx, req), mem.id


@_case
def points_anonymous(sim: Simulator) -> Case:
    req = _sale(sim, None, points=100)
    return InvalidInput, lambda: checkout.checkout(sim.ctx, req), None


@_case
def stored_value_over_balance(sim: Simulator) -> Case:
    mem = sim.member()
    view = members.view(sim.ctx, mem.id)
    sv = view.stored_value_balance + 100
    req = _sale(sim, mem.id, items=(checkout.SaleItem(unit_price=sv + 5000, name="Amount"),),
                     tenders=pricing.Tenders(stored_value=sv, cash=10_000))
    return InsufficientStoredValue, lambda: checkout.checkout(sim.ctx, req), mem.id


@_case
def cash_short(sim: Simulator) -> Case:
    req = _sale(sim, None, tenders=pricing.Tenders(cash=1999))
    return PaymentError, lambda: checkout.checkout(sim.ctx, req), None


@_case
def empty_basket(sim: Simulator) -> Case:
    req = _sale(sim, None, items=())
    return InvalidInput, lambda: checkout.checkout(sim.ctx, req), None


@_case
def zero_quantity(sim: Simulator) -> Case:
    req = _sale(sim, None, items=(checkout.SaleItem(unit_price=500, name="x", qty=0),))
    return InvalidInput, lambda: checkout.checkout(sim.ctx, req), None


@_case
def unknown_sku(sim: Simulator) -> Case:
    req = _sale(sim, None, items=(checkout.SaleItem(sku="NO-SUCH-SKU-" + sim.run_id),))
    return NotFound, lambda: checkout.checkout(sim.ctx, req), None


@_case
def unknown_coupon(sim: Simulator) -> Case:
    mem = sim.member()
    req = _sale(sim, mem.id, coupon_code="C1.ZZZZZZZZZZ")
    return CouponError, lambda: checkout.checkout(sim.ctx, req), mem.id


@_case
def used_coupon(sim: Simulator) -> Case:
    used = [c for c in sim.redeemed_coupons if coupons.find(c).status == "redeemed"]
    if not used:
        return unknown_coupon(sim)
    code = sim.rng.choice(used)
    owner = coupons.find(code).member_id
    req = _sale(sim, owner, items=(checkout.SaleItem(unit_price=50_000, name="Amount"),),
                     coupon_code=code)
    return CouponError, lambda: checkout.checkout(sim.ctx, req), owner


@_case
def refund_unapproved(sim: Simulator) -> Case:
    sale = sim.rng.choice(sim.sales) if sim.sales else None
    txn_id = sale.txn_id if sale else uuid.uuid4()
    req = refunds.RefundRequest(sim.key("bad"), txn_id, approved_by=None)
    return PermissionDenied, lambda: refunds.refund(sim.ctx, req), None


@_case
def refund_too_many(sim: Simulator) -> Case:
    for sale in sim.rng.sample(sim.sales, len(sim.sales)):
        left = refunds.refundable(sale.txn_id)
        if any(left.values()):
            lid = next(lid for lid, q in left.items() if q > 0)
            req = refunds.RefundRequest(sim.key("bad"), sale.txn_id, sim.manager,
                                        lines={lid: left[lid] + 1})
            return RefundError, partial(refunds.refund, sim.ctx, req), sale.member_id
    return refund_unapproved(sim)


@_case
def top_up_below_minimum(sim: Simulator) -> Case:
    mem = sim.member()
    paid = max(0, sim.ctx.programme.stored_value.min_top_up - 1)
    key = sim.key("bad")
    return InvalidInput, lambda: accounts.top_up(
        sim.ctx, key, mem.id, paid, pricing.Tenders(cash=paid)), mem.id


@_case
def top_up_with_stored_value(sim: Simulator) -> Case:
    mem = sim.member()
    key = sim.key("bad")
    return InvalidInput, lambda: accounts.top_up(
        sim.ctx, key, mem.id, 10_000, pricing.Tenders(stored_value=10_000)), mem.id


@_case
def key_reused(sim: Simulator) -> Case:
    # a sale's key sent again as a top-up: a client bug, never a second transaction
    sale_keys = [k for k in sim.keys if k.endswith(":sale")]
    if not sale_keys or not sim.sales:
        return cash_short(sim)
    key = sim.rng.choice(sale_keys)
    done = m.Txn.get_or_none(m.Txn.idempotency_key == key)
    if done is None:  # that sale was refused
        return cash_short(sim)
    mem = sim.member()
    return Conflict, lambda: accounts.top_up(
        sim.ctx, key, mem.id, 10_000, pricing.Tenders(cash=10_000)), mem.id


@_case
def punch_card_of_another(sim: Simulator) -> Case:
    card = (m.PunchCard.select().where(m.PunchCard.status == "active")
            .order_by(m.PunchCard.created_at.desc()).first())
    others = [p for p in sim.pool if card is None or p.id != card.member_id]
    if card is None or not others:
        return empty_basket(sim)
    mem = sim.rng.choice(others)
    key = sim.key("bad")
    return PunchCardError, lambda: accounts.use_punch(sim.ctx, key, mem.id,
                                                      card.id), mem.id


@_case
def adjust_unapproved(sim: Simulator) -> Case:
    mem = sim.member()
    key = sim.key("bad")
    return PermissionDenied, lambda: accounts.adjust_points(
        sim.ctx, key, mem.id, 100, "no manager", None), mem.id
