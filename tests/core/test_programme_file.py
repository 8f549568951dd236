"""terminal.core.programme_file: the programme's rules in the settings file's form, read
with every problem named by its section, key and line (the rules' own checks, core.rules),
and written back to the same value."""

from __future__ import annotations

import tomllib

import pytest

from terminal.core import programme_file
from terminal.core.config import SettingsError
from terminal.core.rules import Programme


def read(text: str, language: str = "en") -> Programme:
    return programme_file.programme_from_dict(tomllib.loads(text), "CNY", language, None, text)


@pytest.mark.parametrize(("text", "message"), [
    ("points = 1\n", r"\[points\]: expected a table"),
    ("[points]\nearn_per_unit = 'lots'\n", r"\[points\] earn_per_unit: expected a number"),
    ("[points]\nearn_per_unit = true\n", r"\[points\] earn_per_unit: expected a number"),
    ("[points]\nearn_per_unit = nan\n", r"\[points\] earn_per_unit: expected a number"),
    ("[points]\nearn_per_unit = -1\n",
     r"\[points\] earn_per_unit: must not be negative \(-1\)$"),
    ("[points]\nearn_per_unit = 5000\n",
     r"\[points\] earn_per_unit: must be at most 1000 \(5000\)"),
    ("[points]\nredeem_points_per_unit = 1.5\n",
     r"\[points\] redeem_points_per_unit: expected a whole number, got 1.5"),
    ("[points]\nredeem_points_per_unit = 0\n",
     r"\[points\] redeem_points_per_unit: must be a whole number from 1 to"),
    ("[points]\nredeem_max_share_percent = 120\n",
     r"\[points\] redeem_max_share_percent: must be at most 100 \(120\)"),
    ("[points]\nexpiry_months = 0\n",
     r"\[points\] expiry_months: must be a whole number from 1 to 1200"),
    ("[points]\nearn_on_points_paid = 'no'\n",
     r"\[points\] earn_on_points_paid: expected true or false"),
    ("[points]\nmember_days = 3\n", r"\[points\] member_days: expected a list of weekdays"),
    ("[points]\nmember_days = [true]\n",
     r"\[points\] member_days: expected a list of weekdays .*, got \[true\]"),
    ("[points]\nmember_days = [7]\n",
     r"\[points\] member_days: are weekdays 0 \(Monday\) to 6 \(Sunday\), not \[7\]"),
    ("[points]\ncategory_multipliers = 2\n",
     r"\[points\] category_multipliers: expected a table"),
    ("[points]\ncategory_multipliers = { drinks = 'x' }\n",
     r"\[points\] category_multipliers: drinks: expected a number"),
    ("[points]\ncategory_multipliers = { drinks = -2 }\n",
     r"\[points\] category_multipliers: the multiplier of category drinks must not be "
     r"negative \(-2\)"),
    ("[points]\nbirthday_window = 'year'\n",
     r"\[points\] birthday_window: must be day, week or month, not 'year'"),
    ("tiers = 1\n", r"\[\[tiers\]\]: expected at least one \[\[tiers\]\] table"),
    ("tiers = []\n", r"\[\[tiers\]\]: expected at least one \[\[tiers\]\] table"),
    ("[[tiers]]\nname = 'x'\n", r"line 1: \[\[tiers\]\] #1: each tier needs a code"),
    ("[[tiers]]\ncode = 5\n", r"line 2: \[\[tiers\]\] #1 code: expected text of 1 to 32"),
    ("[[tiers]]\ncode = 'a'\nname = false\n", r"\[\[tiers\]\] #1 name: expected text"),
    ("[[tiers]]\ncode = 'a'\nname_zh_CN = ''\n",
     r"line 3: \[\[tiers\]\] #1: name_zh_CN of tier a must be text of 1 to 64 characters"),
    ("[[tiers]]\ncode = 'a'\nname_fr = 'x'\n", r"\[\[tiers\]\] #1 name_fr: unknown setting"),
    ("[[tiers]]\ncode = 'a'\nthreshold = 'x'\n", r"\[\[tiers\]\] #1 threshold: not an amount"),
    ("[[tiers]]\ncode = 'a'\nthreshold = 5\n",
     r"line 3: \[\[tiers\]\] #1 threshold: the lowest tier must have threshold 0"),
    ("[[tiers]]\ncode = 'a'\n[[tiers]]\ncode = 'a'\nthreshold = 1\n",
     r"line 4: \[\[tiers\]\] #2 code: two tiers have the code a"),
    ("[[tiers]]\ncode = 'a'\n[[tiers]]\ncode = 'b'\n",
     r"line 3: \[\[tiers\]\] #2 threshold: tiers a and b have the same threshold"),
    ("[[tiers]]\ncode = 'a'\ndiscount_percent = 'x'\n",
     r"\[\[tiers\]\] #1 discount_percent: expected a number"),
    ("[[tiers]]\ncode = 'a'\ndiscount_percent = 150\n",
     r"line 3: \[\[tiers\]\] #1: discount_percent of tier a must be at most 100 \(150\)"),
    ("[[tiers]]\ncode = 'a'\npoints_multiplier = -1\n",
     r"line 3: \[\[tiers\]\] #1: points_multiplier of tier a must not be negative"),
    ("[tier_rules]\nwindow_days = 0\n",
     r"\[tier_rules\] window_days: must be a whole number from 1"),
    ("[tier_rules]\nhold_days = '1'\n", r"\[tier_rules\] hold_days: expected a whole number"),
    ("stored_value = 'x'\n", r"\[stored_value\]: expected a table"),
    ("[stored_value]\nbonuses = 5\n", r"\[stored_value\] bonuses: expected a list of"),
    ("[stored_value]\nbonuses = [1, 2]\n", r"\[stored_value\] bonuses: expected a list of"),
    ("[stored_value]\nbonuses = [{ min_paid = 1 }]\n",
     r"\[stored_value\] bonuses: expected a list of"),
    ("[stored_value]\nbonuses = [{ min_paid = 'x', bonus = 1 }]\n",
     r"\[stored_value\] bonuses: min_paid of top-up bonus 1: not an amount"),
    ("[stored_value]\nmin_top_up = 500\nmax_balance = 100\n",
     r"\[stored_value\] min_top_up: is more than max_balance"),
    ("[stored_value]\nmax_balance = 1000000000\n",
     r"\[stored_value\] max_balance: expected at most 100,000,000"),
    ("referral = 3\n", r"\[referral\]: expected a table"),
    ("[referral]\nreferrer_points = '5'\n", r"\[referral\] referrer_points: expected a whole"),
    ("[referral]\nreferrer_points = -5\n",
     r"\[referral\] referrer_points: must be a whole number from 0 to 1000000, not -5"),
    ("[referral]\nreferrer_points = true\n", r"\[referral\] referrer_points: expected a whole"),
])
def test_wrong_values_refused(text: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message) as info:
        read(text)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].fallback is None


def test_another_section_is_refused() -> None:
    with pytest.raises(SettingsError, match=r"\[printer\]: unknown section \(known: tiers, "):
        read("[printer]\npaper_mm = 58\n")


def test_the_rules_written_read_back_the_same() -> None:
    for language in ("en", "zh_CN"):
        rules = programme_file.programme_from_dict({}, "CNY", language)
        assert rules == Programme(tiers=Programme().tiers.in_language(language))
        again = programme_file.programme_from_dict(programme_file.programme_to_dict(rules),
                                                   "CNY", language)
        assert again == rules


def test_a_tier_has_a_name_per_language() -> None:
    text = ("[[tiers]]\ncode = 'std'\nname = 'Standard'\n"
            "[[tiers]]\ncode = 'silver'\nname = 'Silver'\nname_zh_CN = '银卡'\n"
            "threshold = '2000'\n")
    english = read(text).tiers
    assert [t.name for t in english.tiers] == ["Standard", "Silver"]
    assert english.by_code("silver").name_in("zh_CN") == "银卡"
    chinese = read(text, "zh_CN").tiers
    # the store's language names the tier (a tier without a Chinese name keeps its own)
    assert [t.name for t in chinese.tiers] == ["Standard", "银卡"]
    assert chinese.by_code("silver").name_in("en") == "Silver"


def test_a_rules_problem_is_also_said_for_a_reader_without_the_file() -> None:
    """The programme tab shows the sentence (its key named, in the reader's language); the
    file's reader the key and line, as before."""
    with pytest.raises(SettingsError) as info:
        read("[points]\nearn_per_unit = 'lots'\nexpiry_months = 0\n")
    typed, rule = info.value.problems
    assert typed.message == 'expected a number, got "lots"'
    assert typed.said.text("zh_CN") == '每单位消费获得积分：应为数字，实际为 "lots"'
    assert rule.message == "must be a whole number from 1 to 1200, not 0"
    assert rule.said.text("zh_CN") == "积分有效期（月）必须是 1 到 1200 之间的整数，而不是 0"
