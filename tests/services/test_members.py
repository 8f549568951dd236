"""Enrolment and look-up against a real database."""

from __future__ import annotations

from datetime import date

import pytest

from terminal.core.errors import DuplicatePhone, InvalidInput, MemberCodeError
from terminal.db import models as m
from terminal.loyalty import codes
from terminal.services import members
from terminal.services.members import EnrolRequest
from tests.helpers import factory
from tests.helpers.state import snapshot


def test_enrol_without_purchase_normalises_phone_and_name(ctx):
    mb = members.enrol(ctx, EnrolRequest("  Wang   Fang 王芳 ", "138 1234 5678",
                                         birthday=date(1990, 5, 17), marketing_consent=True))
    assert mb.name == "Wang Fang 王芳"
    assert mb.phone == "+8613812345678"
    assert codes.luhn_ok(mb.card_no) and len(mb.card_no) == 10
    assert mb.tier == "standard" and mb.points_balance == 0
    assert m.Txn.select().count() == 0  # joining needs no sale
    assert members.mask_phone(mb.phone) == "138****5678"


@pytest.mark.parametrize("phone, message", [
    ("1381234abcd", "only digits"),
    ("12345", "not a valid phone number"),
    ("", "phone number is needed"),
    ("+86 999 0000 0000", "not a valid phone number"),
])
def test_bad_phone_is_refused_and_writes_nothing(ctx, phone, message):
    before = snapshot()
    with pytest.raises(InvalidInput, match=message):
        members.enrol(ctx, EnrolRequest("Li Lei", phone))
    assert snapshot() == before


def test_duplicate_phone_is_a_clear_error(ctx):
    first = members.enrol(ctx, EnrolRequest("Li Lei", "13900001111"))
    before = snapshot()
    with pytest.raises(DuplicatePhone, match=r"139\*\*\*\*1111 is already enrolled") as err:
        members.enrol(ctx, EnrolRequest("Han Meimei", "+86 139-0000-1111"))
    assert err.value.details["member_id"] == first.id
    assert snapshot() == before


@pytest.mark.parametrize("birthday", [date(2030, 1, 1), date(1800, 1, 1)])
def test_impossible_birthday_refused(ctx, birthday):
    with pytest.raises(InvalidInput, match="birthday"):
        members.enrol(ctx, EnrolRequest("Li Lei", "13900001111", birthday=birthday))


def test_referral_gives_welcome_points_and_unknown_code_is_refused(ctx):
    referrer = members.enrol(ctx, EnrolRequest("Zhao", "13900001111"))
    friend = members.enrol(ctx, EnrolRequest("Qian", "13900002222",
                                             referral_code=referrer.referral_code.lower()))
    assert friend.referred_by_id == referrer.id
    assert friend.points_balance == ctx.programme.referral.referee_points
    with pytest.raises(InvalidInput, match="referral code"):
        members.enrol(ctx, EnrolRequest("Sun", "13900003333", referral_code="RNOPE123"))


def test_welcome_coupon_issued_at_enrolment(ctx):
    mb = members.enrol(ctx, EnrolRequest("Zhou", "13900001111"))
    view = members.view(ctx, mb.id)
    assert [c.name for c in view.coupons] == ["Welcome: 10 off 50"]


def test_identify_by_code_card_and_phone(ctx):
    mb = members.enrol(ctx, EnrolRequest("Wu", "13900001111"))
    code = members.member_code(ctx, mb)
    assert members.identify(ctx, code).id == mb.id
    assert members.identify(ctx, code.lower()).id == mb.id  # scanners may send lower case
    assert members.identify(ctx, mb.card_no).id == mb.id
    assert members.identify(ctx, "139 0000 1111").id == mb.id
    assert members.identify(ctx, members.rotating_code(ctx, mb)).id == mb.id


def test_forged_foreign_and_malformed_codes(ctx):
    mb = members.enrol(ctx, EnrolRequest("Wu", "13900001111"))
    installation, _secret = ctx.installation()
    code = members.member_code(ctx, mb)
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(MemberCodeError) as err:
        members.identify(ctx, forged)
    assert err.value.reason == MemberCodeError.TAMPERED
    # another member's card number with this member's signature: tampered, not a match
    other = codes.new_card_number()
    with pytest.raises(MemberCodeError) as err:
        members.identify(ctx, code.replace(mb.card_no, other))
    assert err.value.reason == MemberCodeError.TAMPERED
    foreign = codes.member_code(b"x" * 32, "ZZZZZ" if installation != "ZZZZZ" else "YYYYY",
                                mb.card_no)
    with pytest.raises(MemberCodeError) as err:
        members.identify(ctx, foreign)
    assert err.value.reason == MemberCodeError.FOREIGN
    for junk in ("M1.", "M1.ABCDE.123.XYZ", "'; DROP TABLE member; --", "\x00\x1b[2J", "x" * 500):
        with pytest.raises((MemberCodeError, InvalidInput)):
            members.identify(ctx, junk)


def test_unknown_and_erased_members(ctx):
    installation, secret = ctx.installation()
    ghost = codes.member_code(secret, installation, codes.new_card_number())
    with pytest.raises(MemberCodeError) as err:
        members.identify(ctx, ghost)
    assert err.value.reason == MemberCodeError.UNKNOWN_MEMBER
    mb = members.enrol(ctx, EnrolRequest("Wu", "13900001111"))
    code = members.member_code(ctx, mb)
    m.Member.update(erased_at=ctx.now(), phone=None, name="(erased)").where(
        m.Member.id == mb.id).execute()
    with pytest.raises(MemberCodeError) as err:
        members.identify(ctx, code)
    assert err.value.reason == MemberCodeError.ERASED


def test_search_by_name_prefix_is_case_insensitive_and_skips_erased(ctx):
    for i, name in enumerate(["Zhang Wei", "zhang li", "Zhao Min", "张伟", "张丽"]):
        members.enrol(ctx, EnrolRequest(name, f"1390000{i:04d}"))
    assert sorted(x.name for x in members.search(ctx, "ZHANG")) == ["Zhang Wei", "zhang li"]
    assert sorted(x.name for x in members.search(ctx, "张")) == ["张丽", "张伟"]
    assert [x.name for x in members.search(ctx, "Zhao")] == ["Zhao Min"]
    assert members.search(ctx, "%") == [] and members.search(ctx, "_") == []
    assert members.search(ctx, "   ") == []
    gone = members.search(ctx, "Zhao")[0]
    m.Member.update(erased_at=ctx.now()).where(m.Member.id == gone.id).execute()
    assert members.search(ctx, "Zhao") == []


def test_member_view_flags(ctx, clock):
    mb = members.enrol(ctx, EnrolRequest("Wu", "13900001111", birthday=date(1990, 3, 12)))
    view = members.view(ctx, mb.id)
    assert view.new_member and view.birthday_this_week and not view.lapsed
    assert view.phone_masked == "139****1111"
    assert view.next_tier_name == "Silver" and view.spend_to_next_tier == 200_000
    assert view.next_tier_threshold == 200_000


def test_member_view_names_tiers_in_the_counters_language(ctx, clock):
    """A Chinese counter reads 普通会员, not "Standard会员"."""
    import dataclasses

    settings = dataclasses.replace(ctx.settings, store=dataclasses.replace(
        ctx.settings.store, language="zh_CN"))
    chinese = dataclasses.replace(ctx, settings=settings)
    mb = members.enrol(ctx, EnrolRequest("Wu", "13900001112"))
    view = members.view(chinese, mb.id)
    assert (view.tier_code, view.tier_name, view.next_tier_name) == ("standard", "普通会员", "银卡")
    assert members.view(ctx, mb.id).tier_name == "Standard"


def test_member_view_shows_only_points_that_can_still_be_used(ctx, clock):
    from terminal.services import accounts
    from tests.helpers import factory

    mb = members.enrol(ctx, EnrolRequest("Wu", "13900001111"))
    accounts.adjust_points(ctx, factory.key(), mb.id, 500, "goodwill", factory.manager(ctx))
    clock.advance(days=800)  # past expiry, before the expiry job has run
    view = members.view(ctx, mb.id)
    assert view.points_balance == 0 and view.points_value == 0


def test_coupon_status_has_no_index_of_its_own(db):
    from terminal.db.migrations import SCHEMA_VERSION, current_version

    assert current_version(db) == SCHEMA_VERSION >= 5  # later migrations keep this one
    names = {ix.name for ix in db.get_indexes("coupon")}
    assert "coupon_status" not in names and "coupon_member_id" in names


def test_the_panel_suggests_what_matters_most(ctx, catalogue, clock):
    mb = factory.member(ctx)
    assert members.view(ctx, mb.id).suggestion.kind == "use_coupon"  # the welcome coupon
    factory.sale(ctx, [("LATTE", 4)], member_id=mb.id)
    clock.advance(days=715)  # those points now expire within the month
    hint = members.view(ctx, mb.id).suggestion
    assert (hint.kind, hint.points) == ("use_expiring_points", 112)


def test_a_name_search_at_the_counter_lists_the_first_and_counts_them_all(ctx):
    from terminal.services import lookup

    for i in range(lookup.SHOWN + 5):
        members.enrol(ctx, EnrolRequest(f"Wang {i:02d}", f"1390000{i:04d}"))
    members.enrol(ctx, EnrolRequest("Wu Fang", "13900009999"))
    found = lookup.lookup(ctx, "wang")
    assert isinstance(found, lookup.Candidates)
    assert (len(found.shown), found.total) == (lookup.SHOWN, lookup.SHOWN + 5)
    assert found.shown[0].name == "Wang 00"
    few = lookup.lookup(ctx, "Wang 1")  # Wang 10 to Wang 19: all of them shown
    assert isinstance(few, lookup.Candidates) and len(few.shown) == few.total == 10
    m.Member.update(erased_at=ctx.now()).where(m.Member.name == "Wang 24").execute()
    assert lookup.lookup(ctx, "wang").total == lookup.SHOWN + 4  # the erased are not counted


@pytest.mark.parametrize("typed", ["139 1234 5678", "+86 139-1234-5678"])
def test_a_phone_nobody_has_is_offered_for_enrolment(ctx, typed):
    from terminal.services import lookup

    with pytest.raises(lookup.UnknownPhone) as unknown:
        lookup.lookup(ctx, typed)
    assert unknown.value.details["phone"] == typed  # as typed, to fill the enrol form
    assert unknown.value.text("zh_CN").startswith(f"没有会员使用手机号 {typed}")
    with pytest.raises(Exception) as letters:  # not a phone: no offer to enrol it
        lookup.lookup(ctx, "139abc")
    assert not isinstance(letters.value, lookup.UnknownPhone)


def test_a_stored_number_is_masked_as_a_full_parse_would_mask_it():
    """The quick read of an E.164 number's country code agrees with phonenumbers on every
    region's example mobile and landline; a number that is not E.164 still masks."""
    import phonenumbers
    from phonenumbers import PhoneNumberFormat, PhoneNumberType

    checked = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            e164 = phonenumbers.format_number(example, PhoneNumberFormat.E164)
            national = str(phonenumbers.parse(e164).national_number)
            assert members._national_digits(e164, "CN") == national, (region, e164)
            checked += 1
    assert checked > 400
    assert members.mask_phone("+39 06 1234 5678") == "6****5678"  # spaced: a full parse
    assert members.mask_phone("0086-139-0001-2345", "CN") == "139****2345"
    assert members.mask_phone("+999123") == "**9123"  # no such country code: its digits
