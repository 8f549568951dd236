"""Joining from a phone (services.joins): a join waits for the counter, one key confirms
it, it never takes a member's phone number, a flood is held off and a day later it is
gone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from terminal.core.errors import DuplicatePhone, InvalidInput
from terminal.db import models as m
from terminal.services import joins, lookup, members
from terminal.services.lookup import UnknownPhone


def form(name: str = "李娜", phone: str = "13900001234", **kw) -> joins.JoinForm:
    return joins.JoinForm(name, phone, **kw)


def test_a_join_waits_for_the_counter_and_becomes_a_member_when_confirmed(ctx):
    friend = members.enrol(ctx, members.EnrolRequest("Friend", "13800000001"))
    token = joins.submit(ctx, form(birthday="1990-05-04", consent=True,
                                   referral_code=friend.referral_code.lower()), "10.0.0.7")
    assert token.startswith("J1.") and len(token) == 27
    assert m.Member.select().where(m.Member.phone == "+8613900001234").count() == 0
    state = joins.state(ctx, token)
    assert state.name == "李娜" and state.member_link is None and state.code == token
    assert m.PendingJoin.get().token_hash != token  # only its hash is kept
    [waiting], total = joins.waiting(ctx)
    assert total == 1 and waiting.phone_masked == "139****1234"
    # the cashier scans the phone's code (or types the number): the same join
    assert lookup.lookup(ctx, token.lower()) == waiting
    assert lookup.lookup(ctx, "139 0000 1234") == waiting

    member = joins.confirm(ctx, waiting.id)
    assert (member.name, member.phone, member.birthday, member.marketing_consent) == (
        "李娜", "+8613900001234", date(1990, 5, 4), True)
    assert member.referred_by_id == friend.id
    assert members.view(ctx, member.id).points_balance == ctx.programme.referral.referee_points
    # the phone's page now opens the member's own
    assert joins.state(ctx, token).member_link is not None
    assert joins.waiting(ctx) == ([], 0)
    with pytest.raises(joins.JoinRefused):
        joins.confirm(ctx, waiting.id)  # once only
    with pytest.raises(joins.JoinRefused):
        lookup.lookup(ctx, token)


def test_a_join_never_takes_a_members_phone(ctx):
    member = members.enrol(ctx, members.EnrolRequest("Owner of the number", "13900001234"))
    # the form says nothing about who is enrolled: the join waits like any other
    token = joins.submit(ctx, form("Someone else"), "10.0.0.8")
    [waiting], _ = joins.waiting(ctx)
    # typing the number at the counter finds the member, not the join
    assert lookup.lookup(ctx, "13900001234").id == member.id
    with pytest.raises(DuplicatePhone) as refused:
        joins.confirm(ctx, waiting.id)
    assert member.card_no in str(refused.value)
    assert members.get_member(member.id).name == "Owner of the number"
    assert joins.waiting(ctx) == ([], 0)  # it can never be confirmed: gone
    with pytest.raises(joins.JoinRefused):
        joins.state(ctx, token)


def test_the_same_phone_waits_once_and_a_join_is_dropped_after_a_day(ctx, clock):
    first = joins.submit(ctx, form("First try"), "10.0.0.9")
    second = joins.submit(ctx, form("Second try"), "10.0.0.10")
    [waiting], total = joins.waiting(ctx)
    assert (waiting.name, total) == ("Second try", 1)
    with pytest.raises(joins.JoinRefused):
        joins.state(ctx, first)
    clock.advance(hours=23, minutes=59)
    assert joins.state(ctx, second).name == "Second try"
    clock.advance(minutes=2)
    assert joins.waiting(ctx) == ([], 0)
    with pytest.raises(joins.JoinRefused):
        joins.confirm(ctx, waiting.id)
    with pytest.raises(joins.JoinRefused):
        joins.state(ctx, second)
    assert joins.drop_stale(ctx) == 1
    with pytest.raises(UnknownPhone):
        lookup.lookup(ctx, "13900001234")


def test_a_flood_of_joins_is_held_off(ctx, monkeypatch):
    for i in range(joins.PER_CLIENT):
        joins.submit(ctx, form(f"Flood {i}", f"1370000{i:04d}"), "203.0.113.5")
    with pytest.raises(joins.JoinsFull):
        joins.submit(ctx, form("One more", "13799999999"), "203.0.113.5")
    joins.submit(ctx, form("Another phone", "13799999999"), "203.0.113.6")  # others still can
    monkeypatch.setattr(joins, "MOST", joins.PER_CLIENT + 1)
    with pytest.raises(joins.JoinsFull):
        joins.submit(ctx, form("Full", "13799999998"), "203.0.113.7")
    assert joins.waiting(ctx)[1] == joins.PER_CLIENT + 1


@pytest.mark.parametrize("bad, field", [
    (dict(name="   "), "name"),
    (dict(phone="13800abc123"), "phone"),
    (dict(phone=""), "phone"),
    (dict(birthday="2099-01-01"), "birthday"),
    (dict(birthday="yesterday"), "birthday"),
    (dict(referral_code="RNOSUCH1"), "referral"),
    (dict(name="x" * 101), "name"),
])
def test_bad_forms_are_refused_with_what_is_wrong(ctx, bad, field):
    values = dict(name="王芳", phone="13900004321") | bad
    with pytest.raises(InvalidInput) as refused:
        joins.submit(ctx, joins.JoinForm(**values), "10.0.0.11")
    assert refused.value.text("zh_CN") != str(refused.value)  # translated
    assert m.PendingJoin.select().count() == 0


def test_html_in_a_name_is_kept_as_text(ctx):
    joins.submit(ctx, form("<script>alert(1)</script>"), "10.0.0.12")
    [waiting], _ = joins.waiting(ctx)
    assert joins.confirm(ctx, waiting.id).name == "<script>alert(1)</script>"


def test_a_stale_join_does_not_count_against_its_address(ctx, clock):
    for i in range(joins.PER_CLIENT):
        joins.submit(ctx, form(f"Old {i}", f"1360000{i:04d}"), "10.0.0.13")
    clock.advance(days=1, seconds=1)
    joins.submit(ctx, form("New", "13612345678"), "10.0.0.13")
    assert joins.waiting(ctx)[1] == 1
    assert timedelta(days=1) == joins.KEPT
