"""Member care against a real database: edit, replace a lost card, merge two records of one
person, give a coupon by hand."""

from __future__ import annotations

import json
from datetime import date

import pytest

from terminal.core.errors import (
    Conflict,
    DuplicatePhone,
    InsufficientStoredValue,
    InvalidInput,
    MemberCodeError,
    NotFound,
    PermissionDenied,
)
from terminal.db import models as m
from terminal.loyalty.pricing import Tenders
from terminal.services import accounts, lookup, members, privacy
from terminal.services.integrity import check
from terminal.services.member_care import (
    MemberChanges,
    edit,
    give_coupon,
    merge,
    replace_card,
)
from tests.helpers import factory
from tests.helpers.state import snapshot


def last_audit(action: str) -> m.AuditEntry:
    return (m.AuditEntry.select().where(m.AuditEntry.action == action)
            .order_by(m.AuditEntry.seq.desc()).first())


# --- edit ---------------------------------------------------------------------------------

def test_edit_cleans_the_name_normalises_the_phone_and_is_audited(ctx):
    mb = factory.member(ctx, "Li Lei")
    changed = edit(ctx, mb.id, MemberChanges(name="  Wang \t Fang 王芳\x07 ",
                                             phone="138 1234 5678",
                                             birthday=date(1990, 5, 17),
                                             marketing_consent=True))
    assert changed.name == "Wang Fang 王芳" and changed.name_key == "wang fang 王芳"
    assert changed.phone == "+8613812345678"
    assert changed.birthday == date(1990, 5, 17) and changed.marketing_consent
    entry = last_audit("member_edited")
    assert entry.subject == mb.card_no and entry.staff_id == "cashier1"
    assert entry.created_at == ctx.now()
    before, after = json.loads(entry.before), json.loads(entry.after)
    assert before["name"] == "Li Lei" and after["name"] == "Wang Fang 王芳"
    assert after["phone"] == "138****5678"  # the append-only log never holds the number
    assert after["birthday"] == "1990-05-17" and after["marketing_consent"] is True
    assert members.identify(ctx, "13812345678").id == mb.id
    assert members.search(ctx, "wang f")[0].id == mb.id
    assert check() == []


def test_a_phone_another_member_has_is_refused(ctx):
    first = factory.member(ctx, "Li Lei")
    second = factory.member(ctx, "Han")
    before = snapshot()
    with pytest.raises(DuplicatePhone, match="is already enrolled") as err:
        edit(ctx, second.id, MemberChanges(phone=first.phone))
    assert err.value.details["card_no"] == first.card_no
    assert snapshot() == before
    # the member's own number again is no conflict
    edit(ctx, first.id, MemberChanges(phone=first.phone, name="Li Lei"))


@pytest.mark.parametrize("changes, message", [
    (MemberChanges(phone="1381234abcd"), "only digits"),
    (MemberChanges(name=" \t "), "a name is needed"),
    (MemberChanges(name="x" * 101), "at most 100"),
    (MemberChanges(birthday=date(2030, 1, 1)), "not possible"),
    (MemberChanges(), "nothing to change"),
])
def test_bad_edits_are_refused_and_write_nothing(ctx, changes, message):
    mb = factory.member(ctx)
    before = snapshot()
    with pytest.raises(InvalidInput, match=message):
        edit(ctx, mb.id, changes)
    assert snapshot() == before


def test_an_erased_member_cannot_be_edited(ctx):
    mb = factory.member(ctx)
    privacy.erase(ctx, mb.id, factory.manager(ctx), "their request")
    with pytest.raises(InvalidInput, match="erased"):
        edit(ctx, mb.id, MemberChanges(name="Back again"))


def test_clearing_the_birthday(ctx):
    mb = factory.member(ctx, birthday=date(1990, 1, 2))
    assert edit(ctx, mb.id, MemberChanges(clear_birthday=True)).birthday is None


# --- replace a lost card ------------------------------------------------------------------

def test_a_replaced_card_names_the_new_one_when_scanned_or_typed(ctx, catalogue):
    manager = factory.manager(ctx)
    mb = factory.member(ctx)
    factory.top_up(ctx, mb.id, 10_000)
    old_code = members.member_code(ctx, mb)
    done = replace_card(ctx, mb.id, manager, "lost on the bus")
    assert done.old_card_no == mb.card_no and done.card_no != mb.card_no
    assert done.member_code != old_code
    for entry in (mb.card_no, old_code):
        with pytest.raises(MemberCodeError, match=f"This card was replaced by card "
                                                  f"{done.card_no}.") as err:
            members.identify(ctx, entry)
        assert err.value.reason == MemberCodeError.REPLACED
        with pytest.raises(MemberCodeError, match="replaced by card"):
            lookup.lookup(ctx, entry)
    balance = m.Member.get_by_id(mb.id).stored_value_balance
    found = lookup.lookup(ctx, done.member_code)
    assert found.id == mb.id and found.stored_value_balance == balance >= 10_000
    assert members.identify(ctx, done.card_no).id == mb.id
    entry = last_audit("card_replaced")
    assert entry.approved_by == manager and entry.reason == "lost on the bus"
    assert json.loads(entry.before) == {"card": mb.card_no}
    assert json.loads(entry.after) == {"card": done.card_no}
    assert check() == []


def test_a_card_replaced_twice_points_at_the_newest(ctx):
    manager = factory.manager(ctx)
    mb = factory.member(ctx)
    first = replace_card(ctx, mb.id, manager)
    second = replace_card(ctx, mb.id, manager)
    for old in (mb.card_no, first.card_no):
        with pytest.raises(MemberCodeError, match=f"replaced by card {second.card_no}"):
            members.identify(ctx, old)


def test_replacing_a_card_needs_a_manager_and_a_live_member(ctx):
    mb = factory.member(ctx)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        replace_card(ctx, mb.id, None)
    assert snapshot() == before
    manager = factory.manager(ctx)
    privacy.erase(ctx, mb.id, manager, "their request")
    with pytest.raises(InvalidInput, match="erased"):
        replace_card(ctx, mb.id, manager)


# --- merge ----------------------------------------------------------------------------------

def two_records(ctx, catalogue):
    """One person enrolled twice: each record with stored value, points, a sale, a punch
    card, coupons; the second referred a friend."""
    keep = factory.member(ctx, "Wang Fang")
    other = factory.member(ctx, "Wang Fang 2", birthday=date(1990, 5, 17))
    friend = members.enrol(ctx, members.EnrolRequest("Friend", "13700001111",
                                                     referral_code=other.referral_code))
    factory.top_up(ctx, keep.id, 20_000)
    factory.top_up(ctx, other.id, 50_000)
    factory.sale(ctx, [("LATTE", 2)], member_id=keep.id)
    factory.sale(ctx, [("CARD10", 1), ("CAKE", 1)], member_id=other.id,
                 tenders=Tenders(stored_value=10_000, cash=100_000))
    return keep, other, friend


def test_merge_moves_everything_and_balances_add_up(ctx, catalogue):
    keep, other, friend = two_records(ctx, catalogue)
    keep, other = m.Member.get_by_id(keep.id), m.Member.get_by_id(other.id)
    expected = (keep.points_balance + other.points_balance,
                keep.sv_paid_balance + other.sv_paid_balance,
                keep.sv_bonus_balance + other.sv_bonus_balance)
    counts = {"txn": m.Txn.select().where(m.Txn.member == other.id).count(),
              "coupons": m.Coupon.select().where(m.Coupon.member == other.id).count()}
    assert other.points_balance > 0 and counts["coupons"] > 0
    manager = factory.manager(ctx)

    done = merge(ctx, keep.id, other.id, manager, "enrolled twice")

    kept, gone = m.Member.get_by_id(keep.id), m.Member.get_by_id(other.id)
    assert (kept.points_balance, kept.sv_paid_balance, kept.sv_bonus_balance) == expected
    assert (gone.points_balance, gone.sv_paid_balance, gone.sv_bonus_balance) == (0, 0, 0)
    assert gone.merged_into_id == keep.id and gone.phone is None
    assert kept.birthday == date(1990, 5, 17)  # the first had none
    for model in (m.PointsEntry, m.StoredValueEntry, m.PunchEntry, m.PunchCard, m.Coupon,
                  m.Txn):
        assert model.select().where(model.member == other.id).count() == 0, model
    assert m.PunchCard.select().where(m.PunchCard.member == keep.id).count() == 1
    assert done.sales == counts["txn"] and done.coupons == counts["coupons"]
    assert done.referrals == 1 and m.Member.get_by_id(friend.id).referred_by_id == keep.id
    assert done.points == other.points_balance and done.stored_value_paid == other.sv_paid_balance
    assert check() == []  # every balance equals its ledger
    # the merged record's card and code name the kept one
    for entry in (other.card_no, members.member_code(ctx, other)):
        with pytest.raises(MemberCodeError,
                           match=f"This card was merged into card {keep.card_no}.") as err:
            members.identify(ctx, entry)
        assert err.value.reason == MemberCodeError.MERGED
    with pytest.raises(MemberCodeError, match="no member has phone"):
        members.identify(ctx, other.phone)
    assert [x.id for x in members.search(ctx, "wang fang")] == [keep.id]
    view = members.view(ctx, keep.id)
    assert view.stored_value_balance == expected[1] + expected[2]
    assert len(view.punch_cards) == 1
    entry = last_audit("members_merged")
    assert entry.subject == keep.card_no and entry.approved_by == manager
    assert json.loads(entry.before)["merged"]["card"] == other.card_no
    assert json.loads(entry.after)["kept"]["points"] == expected[0]


def test_a_merged_record_takes_no_more_sales_or_top_ups(ctx, catalogue):
    keep, other, _ = two_records(ctx, catalogue)
    merge(ctx, keep.id, other.id, factory.manager(ctx))
    before = snapshot()
    with pytest.raises(InvalidInput, match=f"merged into card {keep.card_no}"):
        factory.top_up(ctx, other.id, 1_000)
    with pytest.raises(InvalidInput, match="merged into card"):
        factory.sale(ctx, [("LATTE", 1)], member_id=other.id)
    with pytest.raises(InvalidInput, match="merged into card"):
        edit(ctx, other.id, MemberChanges(name="x"))
    assert snapshot() == before


def test_a_replaced_card_of_a_merged_record_names_the_kept_card(ctx, catalogue):
    manager = factory.manager(ctx)
    keep, other = factory.member(ctx), factory.member(ctx)
    replaced = replace_card(ctx, other.id, manager)
    merge(ctx, keep.id, other.id, manager)
    with pytest.raises(MemberCodeError, match=f"replaced by card {keep.card_no}"):
        members.identify(ctx, other.card_no)
    with pytest.raises(MemberCodeError, match=f"merged into card {keep.card_no}"):
        members.identify(ctx, replaced.card_no)
    # merged again: the chain is followed to the newest record
    third = factory.member(ctx)
    merge(ctx, third.id, keep.id, manager)
    with pytest.raises(MemberCodeError, match=f"merged into card {third.card_no}"):
        members.identify(ctx, replaced.card_no)


def test_merging_refuses_itself_erased_and_merged_members(ctx, catalogue):
    manager = factory.manager(ctx)
    a, b, c = factory.member(ctx), factory.member(ctx), factory.member(ctx)
    with pytest.raises(InvalidInput, match="into itself"):
        merge(ctx, a.id, a.id, manager)
    with pytest.raises(InvalidInput, match="into itself"):
        merge(ctx, a.id, str(a.id).upper(), manager)
    with pytest.raises(PermissionDenied):
        merge(ctx, a.id, b.id, None)
    privacy.erase(ctx, c.id, manager, "their request")
    before = snapshot()
    for keep, other in ((a, c), (c, a)):
        with pytest.raises(InvalidInput, match="has been erased"):
            merge(ctx, keep.id, other.id, manager)
    assert snapshot() == before
    merge(ctx, a.id, b.id, manager)
    before = snapshot()
    for keep, other in ((a, b), (b, a)):
        with pytest.raises(Conflict, match=f"was merged into card {a.card_no} already"):
            merge(ctx, keep.id, other.id, manager)
    with pytest.raises(NotFound):
        merge(ctx, a.id, "00000000-0000-0000-0000-000000000000", manager)
    assert snapshot() == before


def test_after_a_merge_the_kept_member_can_spend_the_whole_balance(ctx, catalogue):
    keep, other, _ = two_records(ctx, catalogue)
    merge(ctx, keep.id, other.id, factory.manager(ctx))
    total = m.Member.get_by_id(keep.id).stored_value_balance
    with pytest.raises(InsufficientStoredValue):
        factory.sale(ctx, [("SHAMPOO-A", 100)], member_id=keep.id,
                     tenders=Tenders(stored_value=total + 1, cash=1_000_000))
    receipt = accounts.cash_out(ctx, factory.key("co"), keep.id, factory.manager(ctx))
    assert m.Member.get_by_id(keep.id).stored_value_balance == 0
    assert receipt.total < 0
    assert check() == []


# --- a coupon by hand -------------------------------------------------------------------

def test_a_coupon_given_by_hand_is_approved_and_audited(ctx):
    manager = factory.manager(ctx)
    mb = factory.member(ctx)
    given = give_coupon(ctx, mb.id, "BIRTHDAY", manager, "sorry for the wait")
    coupon = m.Coupon.get(m.Coupon.code == given.code)
    assert coupon.member_id == mb.id and coupon.template_id == "BIRTHDAY"
    assert given.code in {c.code for c in members.view(ctx, mb.id).coupons}
    entry = last_audit("coupon_given")
    assert entry.approved_by == manager and entry.reason == "sorry for the wait"
    assert json.loads(entry.after) == {"coupon": given.code, "template": "BIRTHDAY"}
    before = snapshot()
    with pytest.raises(InvalidInput, match="needs a reason"):
        give_coupon(ctx, mb.id, "BIRTHDAY", manager, " ")
    with pytest.raises(PermissionDenied):
        give_coupon(ctx, mb.id, "BIRTHDAY", None, "why not")
    with pytest.raises(NotFound, match="no active coupon template"):
        give_coupon(ctx, mb.id, "NOPE", manager, "why not")
    assert snapshot() == before


def test_merging_a_record_with_audited_money_keeps_the_audit_log_whole(ctx, catalogue):
    """An approved cash-out or points adjustment hashes its transaction's money with the
    member's id; moving it to the kept record re-records that money, so check passes."""
    manager = factory.manager(ctx)
    keep, other, _ = two_records(ctx, catalogue)
    accounts.adjust_points(ctx, factory.key("adj"), other.id, 50, "goodwill", manager)
    accounts.cash_out(ctx, factory.key("co"), other.id, manager)
    assert check() == []
    merge(ctx, keep.id, other.id, manager)
    assert check() == []
    moved = list(m.AuditEntry.select().where(m.AuditEntry.action == "merge_moved"))
    assert len(moved) == 2 and {e.subject for e in moved} <= {
        t.receipt_no for t in m.Txn.select().where(m.Txn.member == keep.id)}


def test_a_merge_refuses_to_re_record_money_changed_behind_the_audit_log(ctx, catalogue):
    manager = factory.manager(ctx)
    keep, other, _ = two_records(ctx, catalogue)
    receipt = accounts.cash_out(ctx, factory.key("co"), other.id, manager)
    m.Txn.update(cash=m.Txn.cash - 100, total=m.Txn.total - 100).where(
        m.Txn.id == receipt.txn_id).execute()  # forged behind the program's back
    before = snapshot()
    with pytest.raises(Conflict, match=f"{receipt.receipt_no} was changed"):
        merge(ctx, keep.id, other.id, manager)
    assert snapshot() == before


def test_a_sale_of_the_merged_record_is_refunded_to_the_kept_one(ctx, catalogue):
    from terminal.services import refunds

    manager = factory.manager(ctx)
    keep, other = factory.member(ctx), factory.member(ctx)
    factory.top_up(ctx, other.id, 20_000)
    sale = factory.sale(ctx, [("LATTE", 1)], member_id=other.id,
                        tenders=Tenders(stored_value=2_800))
    merge(ctx, keep.id, other.id, manager)
    held = m.Member.get_by_id(keep.id).stored_value_balance
    refunds.refund(ctx, refunds.RefundRequest(factory.key("rf"), sale.txn_id, manager,
                                              void=True))
    assert m.Member.get_by_id(keep.id).stored_value_balance == held + 2_800
    assert m.Member.get_by_id(other.id).stored_value_balance == 0
    assert check() == []


def test_a_merged_record_is_no_longer_counted_exported_or_analysed(ctx, catalogue, tmp_path):
    from terminal.services import analytics, csv_export

    keep, other, _ = two_records(ctx, catalogue)
    manager = factory.manager(ctx)
    before = m.Member.select().where(m.Member.live()).count()
    merge(ctx, keep.id, other.id, manager, "enrolled twice")
    assert m.Member.select().where(m.Member.live()).count() == before - 1
    assert other.id not in {f.member_id for f in analytics.member_figures(ctx, ctx.now().date())}
    out = tmp_path / "members.csv"
    csv_export.export_members(ctx, out, approved_by=manager)
    assert other.card_no not in out.read_text(encoding="utf-8-sig")
    assert keep.card_no in out.read_text(encoding="utf-8-sig")
