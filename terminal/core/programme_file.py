"""The programme's rules in the settings file's form ([[tiers]], [tier_rules], [points],
[stored_value], [referral], [receipt]; money in major units): read and checked (the rules
check themselves, core.rules), and written back. The database keeps them in this form; a
settings file held them before they moved there."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import money
from .config import LANGUAGES, SettingsError
from .errors import RuleError
from .file_values import (
    Reader,
    chars,
    read_amount,
    read_number,
    rule_said,
    shown,
    typed,
)
from .i18n import TERMS, Phrase
from .rules import (
    CODE_LENGTH,
    NAME_LENGTH,
    RULE,
    PointsRules,
    Programme,
    ReceiptTexts,
    ReferralRules,
    StoredValueRules,
    Tier,
    TierRules,
    TopUpBonus,
    field_name,
)

PROGRAMME_SECTIONS = ("tiers", "tier_rules", "points", "stored_value", "referral", "receipt")
RECEIPT_LINE = 120  # characters of a receipt's header or footer (wrapped to the paper)
# [receipt]'s lines, in ReceiptTexts' order: offer is the customer display's, between sales
RECEIPT_KEYS = ("header", "footer", "offer")


class ProgrammeReader(Reader):
    """Reads the programme's sections, noting every value it cannot use."""

    def field(self, table: str, key: str, index: int | None) -> str | None:
        """The name a refusal gives ``key`` of a programme section (None: not a rule's)."""
        if table not in PROGRAMME_SECTIONS or key not in TERMS[RULE]:
            return None
        tier = None
        if table == "tiers" and index:
            item = self.data["tiers"][index - 1]
            code = item.get("code") if isinstance(item, dict) else None
            tier = code if isinstance(code, str) and code.strip() else index
        return field_name(key, tier)

    def points(self, currency: str) -> PointsRules:
        table = self.table("points")
        defaults = PointsRules()
        known = [f.name for f in fields(PointsRules)]
        kw: dict[str, Any] = {}
        for key, value in table.items():
            if key not in known:
                self.bad("points", key, f"unknown setting (known: {', '.join(known)})")
                continue
            default = getattr(defaults, key)
            error: str | None = None
            if isinstance(default, Decimal):
                value, error = read_number(value)
            elif key == "category_multipliers":
                value, error = self._multipliers(value)
            elif key == "member_days":
                if not isinstance(value, list) or not all(
                        isinstance(v, int) and not isinstance(v, bool) for v in value):
                    error = Phrase("expected a list of weekdays 0-6 such as [2, 5], got {value}",
                                   value=shown(value))
                else:
                    value = tuple(value)
            else:
                value, error = typed(value, type(default))
            if error is None:
                try:
                    replace(defaults, **{key: value})
                except RuleError as exc:
                    self.bad("points", key, rule_said(exc), rule=True)
                    continue
            if error is not None:
                self.bad("points", key, error)
                continue
            kw[key] = value
        try:
            return PointsRules(**kw)
        except RuleError as exc:  # pragma: no cover - every key is checked on its own
            self.bad("points", None, rule_said(exc), rule=True)
            return defaults

    def _multipliers(self, value: Any) -> tuple[dict[str, Decimal], str | None]:
        if not isinstance(value, dict):
            return {}, Phrase("expected a table such as {{ drinks = 2 }}, got {value}",
                              value=shown(value))
        out = {}
        for category, raw in value.items():
            number, error = read_number(raw)
            if error:
                return {}, Phrase("{category}: {problem}", category=category, problem=error)
            out[str(category)] = number
        return out, None

    def tiers(self, currency: str) -> TierRules:
        extra = self.simple(_TierExtra, "tier_rules")
        if "tiers" not in self.data:
            return TierRules(**vars(extra))
        items = self.data["tiers"]
        if not isinstance(items, list) or not items or not all(
                isinstance(i, dict) for i in items):
            self.bad("tiers", None, "expected at least one [[tiers]] table with a code")
            return TierRules(**vars(extra))
        tiers = []
        for n, item in enumerate(items, start=1):
            if (tier := self._tier(n, item, currency)) is not None:
                tiers.append(tier)
        if len(tiers) < len(items):
            return TierRules(**vars(extra))  # the problems are noted; the rules are not used
        try:
            return TierRules(tuple(tiers), **vars(extra))
        except RuleError as exc:
            self.bad("tiers", exc.key, rule_said(exc), index=exc.item, rule=True)
            return TierRules(**vars(extra))

    def _tier(self, n: int, item: dict[str, Any], currency: str) -> Tier | None:
        before = len(self.problems)
        named = tuple(f"name_{language}" for language in LANGUAGES[1:])  # name_zh_CN
        known = ("code", "name", *named, "threshold", "discount_percent", "points_multiplier")
        for key in item:
            if key not in known:
                self.bad("tiers", key, f"unknown setting (known: {', '.join(known)})", index=n)
        if "code" not in item:
            self.bad("tiers", None, Phrase("each tier needs a code"), index=n, rule=True)
        for key in ("code", "name", *named):
            # the length is the rule's (core.rules); the file may also hold a number
            if key in item and not isinstance(item[key], str):
                most = CODE_LENGTH if key == "code" else NAME_LENGTH
                self.bad("tiers", key, Phrase("expected text of 1 to {most} characters, got "
                                              "{value}", most=most, value=shown(item[key])),
                         index=n)
        threshold, error = read_amount(item.get("threshold", 0), currency)
        if error:
            self.bad("tiers", "threshold", error, index=n)
        numbers = {}
        for key, default in (("discount_percent", 0), ("points_multiplier", 1)):
            numbers[key], error = read_number(item.get(key, default))
            if error:
                self.bad("tiers", key, error, index=n)
        if len(self.problems) > before:
            return None
        names = tuple((key.removeprefix("name_"), item[key]) for key in named if key in item)
        return Tier(code=item["code"], name=item.get("name", item["code"]),
                    threshold=threshold, names=names, **numbers)

    def stored_value(self, currency: str) -> StoredValueRules:
        table = self.table("stored_value")
        kw: dict[str, Any] = {}
        for key, value in table.items():
            if key == "bonuses":
                kw[key] = self._bonuses(value, currency)
            elif key in ("min_top_up", "max_balance"):
                amount, error = read_amount(value, currency)
                if error:
                    self.bad("stored_value", key, error)
                else:
                    kw[key] = amount
            else:
                self.bad("stored_value", key,
                         "unknown setting (known: bonuses, min_top_up, max_balance)")
        try:
            return replace(StoredValueRules(), **{k: v for k, v in kw.items() if v is not None})
        except RuleError as exc:
            self.bad("stored_value", exc.key, rule_said(exc), rule=True)
            return StoredValueRules()

    def _bonuses(self, value: Any, currency: str) -> tuple[TopUpBonus, ...] | None:
        shape = "expected a list of { min_paid = \"100\", bonus = \"20\" }"
        if not isinstance(value, list) or not all(
                isinstance(b, dict) and set(b) == {"min_paid", "bonus"} for b in value):
            self.bad("stored_value", "bonuses", f"{shape}, got {shown(value)}")
            return None
        out = []
        for n, b in enumerate(value, start=1):
            paid, error = read_amount(b["min_paid"], currency)
            bonus, error2 = read_amount(b["bonus"], currency)
            if error or error2:
                self.bad("stored_value", "bonuses", Phrase(
                    "{field} of top-up bonus {number}: {problem}", number=n,
                    problem=error or error2, field=field_name("min_paid" if error else "bonus")),
                    rule=True)
                return None
            out.append(TopUpBonus(paid, bonus))
        return tuple(out)

    def referral(self) -> ReferralRules:
        return self.simple(ReferralRules, "referral")

    def receipt(self) -> ReceiptTexts:
        table = self.table("receipt")
        known = [f"{line}{suffix}" for line in RECEIPT_KEYS
                 for suffix in ("", *(f"_{language}" for language in LANGUAGES[1:]))]
        lines: dict[str, list[tuple[str, str]]] = {line: [] for line in RECEIPT_KEYS}
        for key, value in table.items():
            if key not in known:
                self.bad("receipt", key, f"unknown setting (known: {', '.join(known)})")
                continue
            error = (chars(RECEIPT_LINE, blank=True)(value) if isinstance(value, str)
                     else f"expected text in quotes, got {shown(value)}")
            if error is not None:
                self.bad("receipt", key, error)
                continue
            line, _, language = key.partition("_")
            lines[line].append((language or LANGUAGES[0], value))
        return ReceiptTexts(*(tuple(lines[line]) for line in RECEIPT_KEYS))

    def programme(self, currency: str, language: str) -> Programme:
        return Programme(currency=currency, tiers=self.tiers(currency).in_language(language),
                         points=self.points(currency), stored_value=self.stored_value(currency),
                         referral=self.referral(), receipt=self.receipt())




@dataclass(frozen=True)
class _TierExtra:
    window_days: int = 365
    hold_days: int = 365

    def __post_init__(self) -> None:
        TierRules(window_days=self.window_days, hold_days=self.hold_days)  # the rule's check



def programme_keys(data: dict[str, Any]) -> frozenset[str]:
    """The programme's sections a settings file names ("points") and their keys
    ("points.earn_per_unit"): what moved to the database (services.programme)."""
    keys = set()
    for name in PROGRAMME_SECTIONS:
        if name in data:
            keys.add(name)
            if isinstance(data[name], dict):
                keys.update(f"{name}.{key}" for key in data[name])
    return frozenset(keys)


def programme_from_dict(data: dict[str, Any], currency: str, language: str = "en",
                        source: Path | None = None, text: str | None = None) -> Programme:
    """The programme's rules from TOML- or JSON-shaped sections ([[tiers]], [tier_rules],
    [points], [stored_value], [referral], [receipt]: the settings file's form, money in
    major units), checked exactly as the settings file is; SettingsError lists every unusable value
    (another section is one of them)."""
    r = ProgrammeReader(data, source, text)
    for name in data:
        if name not in PROGRAMME_SECTIONS:
            r.bad(name, None, f"unknown section (known: {', '.join(PROGRAMME_SECTIONS)})")
    programme = r.programme(currency, language)
    if r.problems:
        raise SettingsError(r.problems)
    return programme


def _major(amount: int, currency: str) -> str:
    digits = money.minor_digits(currency)
    if not digits:
        return str(amount)
    return str((Decimal(amount) / 10 ** digits).quantize(Decimal(1).scaleb(-digits)))


def _exact(value: Decimal) -> int | str:
    """A number as programme_from_dict reads it back exactly: an int, or its text."""
    return int(value) if value == value.to_integral_value() else str(value)


def programme_to_dict(programme: Programme) -> dict[str, Any]:
    """The rules in the settings file's form (what ``programme_from_dict`` reads back to
    the same value): plain JSON and TOML values, money in major units as text."""
    cur = programme.currency
    rules, points, sv = programme.tiers, programme.points, programme.stored_value
    tiers = []
    for tier in rules.tiers:
        item: dict[str, Any] = {"code": tier.code, "name": tier.name_in("en"),
                                "threshold": _major(tier.threshold, cur),
                                "discount_percent": _exact(tier.discount_percent),
                                "points_multiplier": _exact(tier.points_multiplier)}
        for language in LANGUAGES[1:]:
            if language in dict(tier.names) or tier.name_in(language) != tier.name_in("en"):
                item[f"name_{language}"] = tier.name_in(language)
        tiers.append(item)
    return {
        "tiers": tiers,
        "tier_rules": {"window_days": rules.window_days, "hold_days": rules.hold_days},
        "points": {
            "earn_per_unit": _exact(points.earn_per_unit),
            "category_multipliers": {k: _exact(v)
                                     for k, v in points.category_multipliers.items()},
            "member_days": list(points.member_days),
            "member_day_multiplier": _exact(points.member_day_multiplier),
            "birthday_multiplier": _exact(points.birthday_multiplier),
            "birthday_window": points.birthday_window,
            "earn_on_points_paid": points.earn_on_points_paid,
            "earn_on_stored_value_paid": points.earn_on_stored_value_paid,
            "redeem_points_per_unit": points.redeem_points_per_unit,
            "redeem_min_points": points.redeem_min_points,
            "redeem_max_share_percent": _exact(points.redeem_max_share_percent),
            "expiry_months": points.expiry_months},
        "stored_value": {
            "bonuses": [{"min_paid": _major(b.min_paid, cur), "bonus": _major(b.bonus, cur)}
                        for b in sv.bonuses],
            "min_top_up": _major(sv.min_top_up, cur),
            "max_balance": _major(sv.max_balance, cur)},
        "referral": {"referrer_points": programme.referral.referrer_points,
                     "referee_points": programme.referral.referee_points},
        "receipt": {f"{line}{'' if language == LANGUAGES[0] else f'_{language}'}":
                    getattr(programme.receipt, f"{line}_in")(language)
                    for line in RECEIPT_KEYS for language in LANGUAGES},
    }


