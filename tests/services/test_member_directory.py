"""The manager's member list and a member's history, against a real database."""

from __future__ import annotations

from datetime import date

import pytest

from terminal.core.errors import InvalidInput, MemberCodeError
from terminal.db import models as m
from terminal.loyalty.pricing import Tenders
from terminal.services import members, refunds
from terminal.services.member_care import MemberChanges, edit, give_coupon, merge, replace_card
from terminal.services.member_directory import MemberFilter, history, list_members
from tests.helpers import factory


def names(page) -> list[str]:
    return [r.name for r in page.rows]


def test_a_page_of_the_first_twenty_with_the_total(ctx):
    for i in range(25):
        factory.member(ctx, f"Zhang {i:02d}")
    factory.member(ctx, "Li Lei")
    page = list_members(ctx, MemberFilter(text="zhang"))
    assert page.total == 25 and len(page.rows) == 20 and page.offset == 0
    assert names(page) == [f"Zhang {i:02d}" for i in range(20)]
    rest = list_members(ctx, MemberFilter(text="ZHANG"), offset=20)
    assert rest.total == 25 and names(rest) == [f"Zhang {i:02d}" for i in range(20, 25)]
    assert list_members(ctx).total == 26


def test_filters_by_tier_consent_joined_and_last_visit(ctx, clock, catalogue):
    old = factory.member(ctx, "Old", marketing_consent=True)
    clock.advance(days=10)
    new = factory.member(ctx, "New")
    factory.sale(ctx, [("LATTE", 1)], member_id=new.id)
    m.Member.update(tier="gold").where(m.Member.id == old.id).execute()
    day = clock.now.date()
    assert names(list_members(ctx, MemberFilter(tier="gold"))) == ["Old"]
    assert names(list_members(ctx, MemberFilter(marketing_consent=True))) == ["Old"]
    assert names(list_members(ctx, MemberFilter(marketing_consent=False))) == ["New"]
    assert names(list_members(ctx, MemberFilter(joined_from=day))) == ["New"]
    assert names(list_members(ctx, MemberFilter(joined_to=day - date.resolution))) == ["Old"]
    assert names(list_members(ctx, MemberFilter(visited_from=day, visited_to=day))) == ["New"]
    with pytest.raises(InvalidInput, match="wrong way round"):
        list_members(ctx, MemberFilter(joined_from=day, joined_to=day - date.resolution))
    with pytest.raises(InvalidInput, match="1 to 200"):
        list_members(ctx, limit=0)


def test_filters_by_todays_segment_with_the_other_filters_and_pages(ctx, clock, catalogue):
    """The segment is the one the Members tab and the campaigns score today (RFM): a member
    who never bought is a zombie once past the new-member days; one who joined lately is new."""
    never = [factory.member(ctx, f"Never {i}", marketing_consent=i % 2 == 0) for i in range(5)]
    clock.advance(days=40)
    buyer = factory.member(ctx, "Buyer")
    factory.sale(ctx, [("LATTE", 1)], member_id=buyer.id)
    zombies = list_members(ctx, MemberFilter(segment="zombie"), limit=2)
    assert zombies.total == 5 and names(zombies) == ["Never 0", "Never 1"]
    rest = list_members(ctx, MemberFilter(segment="zombie"), offset=4, limit=2)
    assert rest.total == 5 and names(rest) == ["Never 4"]
    assert names(list_members(ctx, MemberFilter(segment="new"))) == ["Buyer"]
    both = list_members(ctx, MemberFilter(segment="zombie", marketing_consent=True))
    assert both.total == 3 and names(both) == ["Never 0", "Never 2", "Never 4"]
    assert list_members(ctx, MemberFilter(segment="champions")).total == 0
    m.Member.update(erased_at=clock.now).where(m.Member.id == never[0].id).execute()
    assert list_members(ctx, MemberFilter(segment="zombie")).total == 4
    with pytest.raises(InvalidInput, match="segment must be one of"):
        list_members(ctx, MemberFilter(segment="vip"))


def test_text_finds_by_phone_card_old_card_and_code_and_skips_erased_and_merged(ctx):
    manager = factory.manager(ctx)
    a = factory.member(ctx, "Alpha")
    b = factory.member(ctx, "Beta")
    c = factory.member(ctx, "Gamma")
    assert names(list_members(ctx, MemberFilter(text=a.phone[3:]))) == ["Alpha"]
    assert names(list_members(ctx, MemberFilter(text=b.card_no))) == ["Beta"]
    assert names(list_members(ctx, MemberFilter(text=members.member_code(ctx, b)))) == ["Beta"]
    replace_card(ctx, a.id, manager)
    assert names(list_members(ctx, MemberFilter(text=a.card_no))) == ["Alpha"]
    merge(ctx, a.id, c.id, manager)
    assert names(list_members(ctx)) == ["Alpha", "Beta"]
    every = list_members(ctx, MemberFilter(include_erased=True))
    gamma = next(r for r in every.rows if r.name == "Gamma")
    assert gamma.merged_into_card == m.Member.get_by_id(a.id).card_no
    with pytest.raises(MemberCodeError):
        list_members(ctx, MemberFilter(text="M1.XXXXX.forged"))


def test_the_list_uses_indexes_not_a_scan_of_every_member(ctx):
    """At 200k members the list must not read them all: the name, phone, card and date
    filters each have an index (SQLite's plan names it)."""
    from terminal.db.database import is_sqlite, proxy

    if not is_sqlite():
        pytest.skip("the plan is checked on SQLite")
    from terminal.services.member_directory import _conditions

    for f in (MemberFilter(text="wang"), MemberFilter(text="13900001111"),
              MemberFilter(visited_from=date(2026, 1, 1)),
              MemberFilter(joined_from=date(2026, 1, 1))):
        query = m.Member.select().where(*_conditions(ctx, f)[:1])
        sql, params = query.sql()
        plan = " ".join(str(r[-1]) for r in proxy.execute_sql("EXPLAIN QUERY PLAN " + sql,
                                                                params))
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, (f, plan)


def test_history_shows_sales_with_refunds_ledgers_coupons_and_punch_cards(ctx, catalogue):
    manager = factory.manager(ctx)
    mb = factory.member(ctx)
    factory.top_up(ctx, mb.id, 20_000)
    sale = factory.sale(ctx, [("LATTE", 2), ("CARD10", 1)], member_id=mb.id,
                        tenders=Tenders(stored_value=5_000, cash=100_000))
    line = m.TxnLine.get((m.TxnLine.txn == sale.txn_id) & (m.TxnLine.sku == "LATTE"))
    refund = refunds.refund(ctx, refunds.RefundRequest(factory.key("rf"), sale.txn_id,
                                                       manager, lines={str(line.id): 1}))
    give_coupon(ctx, mb.id, "BIRTHDAY", manager, "a gift")
    edit(ctx, mb.id, MemberChanges(name="Renamed"))

    h = history(ctx, mb.id)
    assert h.member.name == "Renamed"
    kinds = [s.kind for s in h.sales]
    assert kinds == ["refund", "sale", "topup"]
    sold = next(s for s in h.sales if s.kind == "sale")
    assert sold.receipt_no == sale.receipt_no and sold.refunded == -refund.total > 0
    assert next(s for s in h.sales if s.kind == "refund").original_receipt_no == sale.receipt_no
    assert {p.kind for p in h.points} >= {"earn", "refund_earn"}
    assert sum(p.delta for p in h.points) == m.Member.get_by_id(mb.id).points_balance
    assert [s.kind for s in h.stored_value][-1] == "topup"
    assert (sum(s.delta_paid + s.delta_bonus for s in h.stored_value)
            == m.Member.get_by_id(mb.id).stored_value_balance)
    assert "BIRTHDAY" in {c.template_code for c in h.coupons}
    assert [p.visits_left for p in h.punch_cards] == [10]
