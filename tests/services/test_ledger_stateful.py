"""Random sequences of counter operations keep every ledger invariant after every step."""

from __future__ import annotations

import itertools
import os
import tempfile
from datetime import datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from terminal.core.config import Settings
from terminal.core.errors import DomainError
from terminal.core.money import MoneyError
from terminal.db import models as m
from terminal.db.database import close_database, open_database, proxy
from terminal.loyalty.pricing import Tenders
from terminal.services import accounts, checkout, integrity, members, nightly, refunds
from terminal.services.checkout import CheckoutRequest, SaleItem
from terminal.services.context import Context
from terminal.services.coupons import ensure_default_templates
from tests.conftest import PG_URL, Clock, reset_postgres
from tests.helpers import factory
from tests.helpers.state import snapshot

SKUS = ["LATTE", "TEA", "CAKE", "CARD10"]


class CounterMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        if PG_URL:
            reset_postgres(PG_URL)
            url = PG_URL
        else:
            url = f"sqlite:///{os.path.join(self.tmp.name, 'state.sqlite')}"
        open_database(url)
        ensure_default_templates()
        for sku, price, visits in (("LATTE", 2800, None), ("TEA", 1850, None),
                                   ("CAKE", 3333, None), ("CARD10", 25_000, 10)):
            m.Product.create(sku=sku, name=sku, category=sku.lower(), price=price,
                             punch_visits=visits, punch_valid_days=180 if visits else None)
        self.clock = Clock(datetime(2026, 1, 5, 9, 0))
        self.ctx = Context(Settings(), staff_id="prop", clock=self.clock)
        self.manager = factory.manager(self.ctx)
        self.keys = itertools.count()
        self.members: list[object] = []
        self.sales: list[object] = []
        self.phones = itertools.count(1)

    def teardown(self) -> None:
        close_database()
        proxy.initialize(None)
        self.tmp.cleanup()

    def key(self) -> str:
        return f"prop-{next(self.keys):08d}"

    def attempt(self, fn) -> object:
        """Run an operation; a refusal must be a domain error and must write nothing."""
        before = snapshot()
        try:
            return fn()
        except (DomainError, MoneyError):
            assert snapshot() == before
            return None

    @rule(consent=st.booleans(), referred=st.booleans())
    def enrol(self, consent: bool, referred: bool) -> None:
        code = None
        if referred and self.members:
            code = m.Member.get_by_id(self.members[-1]).referral_code
        mb = self.attempt(lambda: members.enrol(self.ctx, members.EnrolRequest(
            "Member", f"1391{next(self.phones):07d}", marketing_consent=consent,
            referral_code=code)))
        if mb is not None:
            self.members.append(mb.id)  # type: ignore[attr-defined]

    @precondition(lambda self: bool(self.members))
    @rule(data=st.data(), items=st.lists(st.tuples(st.sampled_from(SKUS),
                                                   st.integers(1, 3)), max_size=3),
          points=st.sampled_from([0, 0, 100, 250, 5000]), sv=st.integers(0, 6000),
          use_coupon=st.booleans(), use_card=st.booleans(), anonymous=st.booleans())
    def sale(self, data, items, points, sv, use_coupon, use_card, anonymous) -> None:
        member_id = None if anonymous else data.draw(st.sampled_from(self.members))
        coupon = card = None
        if member_id is not None:
            view = members.view(self.ctx, member_id)
            if use_coupon and view.coupons:
                coupon = view.coupons[0].code
            if use_card and view.punch_cards:
                card = view.punch_cards[0].id
        req = CheckoutRequest(self.key(), tuple(SaleItem(s, q) for s, q in items),
                              member_id=member_id, coupon_code=coupon, points=points,
                              punch_card_id=card,
                              tenders=Tenders(stored_value=sv, cash=200_000))
        r = self.attempt(lambda: checkout.checkout(self.ctx, req))
        if r is not None:
            self.sales.append(r.txn_id)  # type: ignore[attr-defined]
            assert checkout.checkout(self.ctx, req).txn_id == r.txn_id  # a retry is a no-op

    @precondition(lambda self: bool(self.sales))
    @rule(data=st.data(), whole=st.booleans(), void=st.booleans())
    def refund(self, data, whole: bool, void: bool) -> None:
        txn_id = data.draw(st.sampled_from(self.sales))
        lines = None
        if not whole:
            left = refunds.refundable(txn_id)
            lines = {lid: data.draw(st.integers(0, q)) for lid, q in left.items() if q}
        self.attempt(lambda: refunds.refund(self.ctx, refunds.RefundRequest(
            self.key(), txn_id, self.manager, lines=lines, void=void)))

    @precondition(lambda self: bool(self.members))
    @rule(data=st.data(), paid=st.sampled_from([50, 5000, 10_000, 50_000]))
    def top_up(self, data, paid: int) -> None:
        member_id = data.draw(st.sampled_from(self.members))
        r = self.attempt(lambda: accounts.top_up(self.ctx, self.key(), member_id, paid,
                                                 Tenders(card=paid)))
        if r is not None:
            self.sales.append(r.txn_id)  # type: ignore[attr-defined]

    @precondition(lambda self: bool(self.members))
    @rule(data=st.data(), delta=st.sampled_from([-500, -50, 80, 1000]))
    def adjust(self, data, delta: int) -> None:
        member_id = data.draw(st.sampled_from(self.members))
        self.attempt(lambda: accounts.adjust_points(self.ctx, self.key(), member_id, delta,
                                                    "correction", self.manager))

    @rule(days=st.sampled_from([1, 30, 200, 800]))
    def time_passes_and_jobs_run(self, days: int) -> None:
        self.clock.advance(days=days)
        nightly.expire_points(self.ctx)
        nightly.review_tiers(self.ctx)

    @invariant()
    def ledgers_agree(self) -> None:
        assert integrity.check() == []


TestCounterMachine = CounterMachine.TestCase
TestCounterMachine.settings = settings(
    max_examples=int(os.environ.get("STATEFUL_EXAMPLES", "20")), stateful_step_count=25,
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
