"""Realistic counter traffic through the services, for soak tests and several terminals at once."""

from __future__ import annotations

import dataclasses
import random
import statistics
import sys
import time
from datetime import date
from typing import Any

import peewee as pw

from ..core.errors import CouponError, DuplicatePhone
from ..db import models as m
from ..loyalty import points as prules
from ..loyalty import pricing
from ..loyalty import stored_value as sv_rules
from ..services import accounts, checkout, coupons, members, refunds
from ..services.context import Context
from ..services.ledger import live_points
from ..services.receipts import Receipt
from . import refusals
from .till import REPORTED_FAILURES, Sale, Till, percentile

# (operation, weight): roughly what a busy café counter does in a day
MIX: tuple[tuple[str, float], ...] = (
    ("checkout", 48), ("lookup_code", 8), ("lookup_phone", 6), ("lookup_name", 5),
    ("lookup_card", 1), ("top_up", 7), ("enrol", 7), ("refund", 6), ("punch_visit", 3),
    ("issue_coupon", 2), ("adjust_points", 1), ("bad_input", 6),
)
# Mobile prefixes that phonenumbers accepts as valid CN mobile numbers.
CN_MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
                      "151", "152", "153", "155", "156", "157", "158", "159", "176", "177",
                      "180", "181", "182", "183", "185", "186", "187", "188", "189", "198")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩然子轩欣怡"
LATIN = ("Alice", "Ben", "Chloe", "David", "Emma", "Frank", "Grace", "Henry", "Ivy", "Jack",
         "Lily", "Max", "Nina", "Oscar", "Ruby", "Sam", "Tina", "Victor", "Wendy", "Zoe")


class Simulator(Till):
    """One terminal's cashier: picks an operation, builds a valid (or a bad) request from
    what the counter would see, sends it through the services and checks the answer."""

    def __init__(self, ctx: Context, rng: random.Random) -> None:
        super().__init__(ctx, rng)
        self.products = [p for p in m.Product.select().where(m.Product.active == True)  # noqa: E712
                         .order_by(m.Product.sku)]
        self.regular = [p for p in self.products if not p.punch_visits]
        self.barcodes = {sku: code for code, sku in m.ProductBarcode.select(
            m.ProductBarcode.code, m.ProductBarcode.product).tuples()}
        self.punch_products = [p for p in self.products if p.punch_visits]
        self.templates = [t.code for t in m.CouponTemplate.select().where(
            m.CouponTemplate.active & m.CouponTemplate.auto_rule.is_null())
            .order_by(m.CouponTemplate.code)]
        self.card_holders: list[Any] = [r.member_id for r in m.PunchCard.select(
            m.PunchCard.member).where((m.PunchCard.status == "active")
                                      & (m.PunchCard.visits_left > 0))
            .order_by(m.PunchCard.created_at.desc()).limit(100)]
        self.sales: list[Sale] = []
        self.top_ups: list[tuple[Any, Any]] = []  # (txn id, member id)
        self.redeemed_coupons: list[str] = []
        self.phones: set[str] = set()

    def step(self) -> None:
        ops, weights = zip(*MIX, strict=True)
        op = self.rng.choices(ops, weights)[0] if self.pool else "enrol"
        self.attempt(op, getattr(self, f"op_{op}"))

    # -- look-ups ---------------------------------------------------------------------------

    def op_lookup_code(self) -> None:
        mem = self.member()
        rotating = self.rng.random() < 0.2  # shown on the member's phone
        code = (members.rotating_code(self.ctx, mem) if rotating
                else members.member_code(self.ctx, mem))
        found = self.call(members.identify, self.ctx, code)
        self._same("lookup_code", found, mem)
        self.call(members.view, self.ctx, found.id)

    def op_lookup_card(self) -> None:
        mem = self.member()
        self._same("lookup_card", self.call(members.identify, self.ctx, mem.card_no), mem)

    def op_lookup_phone(self) -> None:
        mem = self.rng.choice([p for p in self.pool if p.phone] or self.pool)
        if mem.phone:
            found = self.call(members.identify, self.ctx, self.typed_phone(mem.phone))
            self._same("lookup_phone", found, mem)
        else:
            self.op_lookup_card()

    def typed_phone(self, e164: str) -> str:
        national = e164[3:] if e164.startswith("+86") else e164
        style = self.rng.random()
        if style < 0.6 or len(national) != 11:
            return national if style < 0.9 else e164
        return f"{national[:3]} {national[3:7]} {national[7:]}"

    def op_lookup_name(self) -> None:
        mem = self.member()
        key = members.name_key(mem.name)
        # what the cashier types; search() strips it, so "su " means "su"
        prefix = key[:self.rng.randint(1, min(3, len(key)))].rstrip()
        found = self.call(members.search, self.ctx, prefix)
        if any(not r.name_key.startswith(prefix) for r in found):
            self.fail("lookup_name", f"search {prefix!r} returned a member not starting so")
        elif len(found) < 20 and mem.id not in {r.id for r in found}:
            self.fail("lookup_name", f"search {prefix!r} missed card {mem.card_no}")
        else:
            self.stats.ok["lookup_name"] += 1

    def _same(self, op: str, found: m.Member, wanted: m.Member) -> None:
        if found.id != wanted.id:
            self.fail(op, f"looked up card {wanted.card_no}, got card {found.card_no}")
        else:
            self.stats.ok[op] += 1

    # -- sales ------------------------------------------------------------------------------

    def items(self, member: bool) -> list[checkout.SaleItem]:
        count = self.rng.choices((1, 2, 3, 4, 5), (35, 30, 20, 10, 5))[0]
        items = []
        for _ in range(count):
            if self.regular and self.rng.random() > 0.1:
                p = self.rng.choice(self.regular)
                code = self.barcodes.get(p.sku)
                ref = code if code and self.rng.random() < 0.5 else p.sku  # scanned
                qty = self.rng.choices((1, 2, 3), (85, 12, 3))[0]
                items.append(checkout.SaleItem(sku=ref, qty=qty))
            else:
                items.append(checkout.SaleItem(
                    unit_price=self.rng.randint(3, 300) * 100 + self.rng.choice((0, 50)),
                    name=self.rng.choice(("Amount", "Service", "Misc"))))
        if member and self.punch_products and self.rng.random() < 0.05:
            items.append(checkout.SaleItem(sku=self.rng.choice(self.punch_products).sku))
        return items

    def tenders(self, total: int, sv_balance: int) -> pricing.Tenders:
        sv = 0
        if sv_balance > 0 and total > 0 and self.rng.random() < 0.5:
            sv = min(sv_balance, total)
            if self.rng.random() < 0.3:
                sv = self.rng.randint(0, sv)
        rest = total - sv
        how = self.rng.random()
        if how < 0.55:
            note = 1000 if self.rng.random() < 0.6 else 100  # 10-yuan note or exact coins
            return pricing.Tenders(stored_value=sv, cash=-(-rest // note) * note)
        if how < 0.9:
            return pricing.Tenders(stored_value=sv, card=rest)
        return pricing.Tenders(stored_value=sv, other=rest)

    def op_checkout(self) -> None:
        ctx = self.ctx
        anonymous = not self.pool or self.rng.random() < 0.2
        items = self.items(member=not anonymous)
        key = self.key("sale")
        if anonymous:
            lines, _ = checkout.basket(tuple(items))
            priced = pricing.price(lines, rules=ctx.programme.points, currency=ctx.currency)
            req = checkout.CheckoutRequest(key, tuple(items),
                                           tenders=self.tenders(priced.total, 0))
            if self._checkout(req, priced.total) is not None:
                self.stats.features["anonymous"] += 1
            return
        mem = self.member()
        self.about(mem.id)
        code = (members.member_code(ctx, mem) if self.rng.random() < 0.8
                else self.typed_phone(mem.phone) if mem.phone else mem.card_no)
        member = self.call(members.identify, ctx, code)
        view = self.call(members.view, ctx, member.id)
        tier = ctx.programme.tiers.by_code(view.tier_code)
        # the counter shows the cached balance; checkout spends live (unexpired) batches
        balance = min(view.points_balance, self.call(live_points, ctx, member.id))
        lines, _ = checkout.basket(tuple(items))

        def quote(coupon: str | None, pts: int) -> pricing.Pricing:
            terms = coupons.terms(coupons.find(coupon).template) if coupon else None
            return pricing.price(lines, tier_percent=tier.discount_percent, coupon=terms,
                                 coupon_code=coupon or "", points_requested=pts,
                                 points_balance=balance, rules=ctx.programme.points,
                                 currency=ctx.currency)

        coupon = None
        if view.coupons and self.rng.random() < 0.5:
            coupon = self.rng.choice(view.coupons).code
            try:
                quote(coupon, 0)
            except CouponError:  # minimum spend not reached: the cashier leaves it
                coupon = None
        bill = quote(coupon, 0).total
        most = prules.max_redeemable(bill, balance, ctx.programme.points, ctx.currency)
        pts = 0
        if most and self.rng.random() < 0.35:
            pts = most if self.rng.random() < 0.5 else self.rng.randint(
                ctx.programme.points.redeem_min_points, most)
        total = quote(coupon, pts).total
        card = None
        if view.punch_cards and self.rng.random() < 0.3:
            card = self.rng.choice(view.punch_cards).id
        req = checkout.CheckoutRequest(
            key, tuple(items), member_id=member.id, coupon_code=coupon, points=pts,
            tenders=self.tenders(total, view.stored_value_balance), punch_card_id=card)
        receipt = self._checkout(req, total)
        if receipt is not None:
            sold_card = any(i.sku in {p.sku for p in self.punch_products} for i in items)
            if coupon:
                self.redeemed_coupons.append(coupon)
            if sold_card:
                self.card_holders.append(member.id)
            self.stats.features.update(name for name, used in (
                ("points", pts), ("coupon", coupon), ("stored value", req.tenders.stored_value),
                ("punch visit", card), ("punch card sold", sold_card)) if used)

    def _checkout(self, req: checkout.CheckoutRequest,
                  expected_total: int) -> Receipt | None:
        started = time.perf_counter()
        receipt = self.call(checkout.checkout, self.ctx, req)
        self.stats.checkout_s.append(time.perf_counter() - started)
        self.stats.sales += 1
        self.sales.append(Sale(receipt.txn_id, req.member_id, receipt.created_at.date()))
        if receipt.total != expected_total and not self.raced(receipt.created_at,
                                                              req.member_id):
            self.fail("checkout", f"total {receipt.total}, the quote said {expected_total}")
            return None
        self.stats.ok["checkout"] += 1
        return receipt

    # -- stored value, punch cards, coupons, points ------------------------------------------

    def op_top_up(self) -> None:
        ctx = self.ctx
        mem = self.member()
        view = self.call(members.view, ctx, mem.id)
        rules = ctx.programme.stored_value
        fits = [a for a in (5_000, 10_000, 20_000, 30_000, 50_000, 100_000)
                if view.stored_value_balance + a + sv_rules.bonus_for(a, rules)
                <= rules.max_balance]
        if not fits:
            self.op_lookup_code()
            return
        paid = self.rng.choice(fits)
        tenders = (pricing.Tenders(cash=paid) if self.rng.random() < 0.5
                   else pricing.Tenders(card=paid))
        self.about(mem.id)
        receipt = self.call(accounts.top_up, ctx, self.key("topup"), mem.id, paid, tenders)
        self.top_ups.append((receipt.txn_id, mem.id))
        self.stats.ok["top_up"] += 1

    def op_punch_visit(self) -> None:
        while self.card_holders:
            member_id = self.rng.choice(self.card_holders)
            view = self.call(members.view, self.ctx, member_id)
            if view.punch_cards:
                card = self.rng.choice(view.punch_cards)
                self.about(member_id)
                self.call(accounts.use_punch, self.ctx, self.key("visit"), member_id, card.id)
                self.stats.ok["punch_visit"] += 1
                return
            self.card_holders.remove(member_id)
        self.op_checkout()  # nobody holds a card yet

    def op_issue_coupon(self) -> None:
        if not self.templates:
            self.op_lookup_name()
            return
        mem = self.member()
        # issue() takes no idempotency key: a retry after a lost answer may give a second
        # coupon, which no ledger counts
        self.call(coupons.issue, self.ctx, self.rng.choice(self.templates), mem.id,
                  campaign="simulate")
        self.stats.ok["issue_coupon"] += 1

    def op_adjust_points(self) -> None:
        mem = self.member()
        live = self.call(live_points, self.ctx, mem.id)
        delta = self.rng.randint(10, 500)
        if live >= delta and self.rng.random() < 0.4:
            delta = -delta
        self.about(mem.id)
        self.call(accounts.adjust_points, self.ctx, self.key("adjust"), mem.id, delta,
                  "simulated correction", self.manager)
        self.stats.ok["adjust_points"] += 1

    # -- enrolment --------------------------------------------------------------------------

    def new_phone(self) -> str:
        while True:
            national = self.rng.choice(CN_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            e164 = members.normalize_phone(national, "CN")
            if e164 not in self.phones and not m.Member.select().where(
                    m.Member.phone == e164).exists():
                self.phones.add(e164)
                return national

    def new_name(self) -> str:
        if self.rng.random() < 0.8:
            return self.rng.choice(SURNAMES) + "".join(
                self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
        return f"{self.rng.choice(LATIN)} {self.rng.choice(LATIN)}son"

    def op_enrol(self) -> None:
        ctx = self.ctx
        birthday = None
        if self.rng.random() < 0.6:
            birthday = date(self.rng.randint(1950, 2008), self.rng.randint(1, 12),
                            self.rng.randint(1, 28))
        referral = None
        if self.pool and self.rng.random() < 0.15:
            referral = self.member().referral_code
        phone = self.new_phone()
        req = members.EnrolRequest(self.new_name(), phone, birthday,
                                   marketing_consent=self.rng.random() < 0.6,
                                   referral_code=referral)
        retries = self.stats.retries
        try:
            member = self.call(members.enrol, ctx, req)
        except DuplicatePhone as exc:
            # enrol has no idempotency key: after a retry, "already enrolled" by this very
            # terminal means the first attempt did commit
            mine = m.Member.get_or_none((m.Member.phone == members.normalize_phone(phone))
                                        & (m.Member.terminal_id == ctx.terminal_id))
            if mine is None or self.stats.retries == retries:
                self.about(exc.details.get("member_id"))
                raise
            member = mine
        self.pool.append(member)
        self.stats.ok["enrol"] += 1

    # -- refunds and voids ------------------------------------------------------------------

    def older_sale(self) -> Sale | None:
        """A completed sale from the database's history, found through the created_at index
        alone (a filter on kind would let the planner pick the kind index and sort every
        sale of a two-year history)."""
        lo = m.Txn.select(pw.fn.MIN(m.Txn.created_at)).scalar()
        hi = m.Txn.select(pw.fn.MAX(m.Txn.created_at)).scalar()
        if lo is None:
            return None
        moment = lo + (hi - lo) * self.rng.random()
        window = (m.Txn.select(m.Txn.id, m.Txn.member, m.Txn.business_date, m.Txn.kind,
                               m.Txn.status)
                  .where(m.Txn.created_at >= moment).order_by(m.Txn.created_at).limit(50))
        for txn in window:
            if txn.kind == "sale" and txn.status == "completed":
                return Sale(txn.id, txn.member_id, txn.business_date)
        return None

    def op_refund(self) -> None:
        if self.top_ups and self.rng.random() < 0.15 and self._reverse_top_up():
            return
        own = bool(self.sales) and self.rng.random() < 0.85
        sale = self.rng.choice(self.sales) if own else self.older_sale()
        if sale is None:
            self.op_checkout()
            return
        left = self.call(refunds.refundable, sale.txn_id)
        if not any(left.values()):
            if own:
                self.sales.remove(sale)
            self.op_checkout()
            return
        prior = m.Txn.select().where(m.Txn.original == sale.txn_id).exists()
        choice = self.rng.random()
        lines: dict[str, int] | None = None
        if own and not prior and sale.day == self.ctx.today() and choice < 0.25:
            kind = "void"
        elif choice < 0.6:
            kind = "full"
        else:
            kind = "partial"
            open_lines = [lid for lid, q in left.items() if q > 0]
            picked = self.rng.sample(open_lines, self.rng.randint(1, len(open_lines)))
            lines = {lid: self.rng.randint(1, left[lid]) for lid in picked}
        req = refunds.RefundRequest(self.key(kind), sale.txn_id, approved_by=self.manager,
                                    lines=lines, reason=f"simulated {kind}",
                                    void=kind == "void")
        self.about(sale.member_id, sale.txn_id)
        self.call(refunds.refund, self.ctx, req)
        if own and kind != "partial":
            self.sales.remove(sale)
        self.stats.ok[f"refund.{kind}"] += 1

    def _reverse_top_up(self) -> bool:
        txn_id, member_id = self.top_ups.pop(self.rng.randrange(len(self.top_ups)))
        original = m.Txn.get_by_id(txn_id)
        mem = members.get_member(member_id)
        if mem.sv_paid_balance < original.total or mem.sv_bonus_balance < original.sv_bonus:
            return False  # partly spent already: the rules refuse, the manager would not ask
        self.about(member_id, txn_id)
        self.call(refunds.refund, self.ctx, refunds.RefundRequest(
            self.key("topup-rev"), txn_id, approved_by=self.manager, reason="simulated"))
        self.stats.ok["refund.top_up"] += 1
        return True

    # -- bad input (the cases are refusals.py's) -------------------------------------------

    def op_bad_input(self) -> None:
        refusals.attempt(self)



def run(ctx: Context, *, sales: int, terminal: str | None, seed: int | None) -> int:
    """Run ``sales`` counter transactions, print a summary; 0 unless something unexpected."""
    if sales < 0:
        print("simulate: --sales must be 0 or more", file=sys.stderr)
        return 2
    settings = ctx.settings
    if terminal:
        terminal = terminal.strip()
        if not terminal or len(terminal) > 32:
            print("simulate: a terminal id has 1 to 32 characters", file=sys.stderr)
            return 2
        settings = dataclasses.replace(
            settings, store=dataclasses.replace(settings.store, terminal_id=terminal))
    sim_ctx = Context(settings, staff_id=ctx.staff_id, clock=ctx.clock)
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
    # mixed with the terminal id, so terminals started with one seed do not enrol one phone
    rng = random.Random(f"{seed}:{sim_ctx.terminal_id}")
    sim = Simulator(sim_ctx, rng)
    started = time.perf_counter()
    for _ in range(sales):
        sim.step()
    elapsed = time.perf_counter() - started
    sim.finish()
    print_summary(sim, seed, sales, elapsed)
    return 1 if sim.stats.failures else 0


def print_summary(sim: Simulator, seed: int, sales: int, elapsed: float) -> None:
    s = sim.stats
    print(f"simulate: terminal {sim.ctx.terminal_id}, seed {seed}, {sales} transactions in "
          f"{elapsed:.2f} s ({sales / elapsed if elapsed else 0:.1f} per second)")
    print(f"  {'operation':<22}{'ok':>7}{'lost race':>11}")
    for op in sorted(set(s.ok) | set(s.races)):
        print(f"  {op:<22}{s.ok[op]:>7}{s.races[op]:>11}")
    total_refused = sum(s.refused.values())
    print(f"refused as expected: {total_refused}"
          + (f" ({', '.join(f'{k} {v}' for k, v in sorted(s.refused.items()))})"
             if total_refused else ""))
    if s.features:
        print("sales with: " + ", ".join(f"{k} {v}" for k, v in sorted(s.features.items())))
    print(f"retries: {s.retries}")
    print(f"sales recorded: {s.sales}")
    if s.checkout_s:
        print(f"checkout time: median {statistics.median(s.checkout_s) * 1000:.1f} ms, "
              f"p99 {percentile(s.checkout_s, 99) * 1000:.1f} ms (n={len(s.checkout_s)})")
    print(f"unexpected failures: {len(s.failures)}")
    for text in s.failures[:REPORTED_FAILURES]:
        print("  " + text.replace("\n", "\n    "))
