"""The programme's rules as plain values (the settings file fills them in).

They sit in ``core``, not ``loyalty``: they are plain data checked against themselves (a
tier needs a code, a percentage is at most 100), and ``config`` reads them from the file,
so the bottom layer must hold them; ``loyalty`` holds what the rules do (pricing, tiers,
points) and takes these values in.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from decimal import Decimal

from .errors import RuleError
from .i18n import TERMS, Phrase, Term

RULE = "programme rule"  # the context of a rule's key in the catalogue (i18n.TERMS)
CODE_LENGTH, NAME_LENGTH = 32, 64  # a tier's code and name, in characters


def field_name(key: str, tier: str | int | None = None) -> str:
    """The key a refusal names (a Term: the key itself in English, a word in another
    language), of tier ``tier`` (its code, or its place in the list) if given."""
    assert key in TERMS[RULE], key
    term = Term(key, RULE)
    if tier is None:
        return term
    return Phrase("{field} of tier {code}", field=term, code=str(tier))


def _ratio(value: object, key: str, high: int | None = None, *, name: str | None = None,
           ) -> None:
    """A percentage or multiplier: an exact number (never a float), at least 0, at most high;
    ``name``: what the refusal calls it (default: the key)."""
    name = field_name(key) if name is None else name
    if (isinstance(value, bool) or not isinstance(value, int | Decimal)
            or (isinstance(value, Decimal) and not value.is_finite())):
        raise RuleError("{field} must be a whole or decimal number, not {value!r}",
                        key=key, field=name, value=value)
    if value < 0:
        raise RuleError("{field} must not be negative ({value})", key=key, field=name,
                        value=value)
    if high is not None and value > high:
        raise RuleError("{field} must be at most {high} ({value})", key=key, field=name,
                        high=high, value=value)


def _whole(value: object, key: str, low: int = 0, high: int | None = None, *,
           name: str | None = None) -> None:
    name = field_name(key) if name is None else name
    whole = not isinstance(value, bool) and isinstance(value, int)
    if high is None and (not whole or value < low):  # type: ignore[operator]
        raise RuleError("{field} must be a whole number of at least {low}, not {value!r}",
                        key=key, field=name, low=low, value=value)
    if high is not None and (not whole or not low <= value <= high):  # type: ignore[operator]
        raise RuleError("{field} must be a whole number from {low} to {high}, not {value!r}",
                        key=key, field=name, low=low, high=high, value=value)


def _text(value: object, key: str, most: int, tier: str | int) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > most:
        raise RuleError("{field} must be text of 1 to {most} characters, not {value!r}",
                        key=key, field=field_name(key, tier), most=most, value=value)


@dataclass(frozen=True)
class Tier:
    code: str
    name: str  # in the store's language (TierRules.in_language)
    threshold: int  # qualifying spend over the window, minor units
    discount_percent: Decimal = Decimal(0)
    points_multiplier: Decimal = Decimal(1)
    names: tuple[tuple[str, str], ...] = ()  # (language, name): the settings' name_zh_CN

    def name_in(self, language: str) -> str:
        """The tier's name in ``language``; its own name when it has none in that one."""
        return dict(self.names).get(language, self.name)


DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier("standard", "Standard", 0, Decimal(0), Decimal(1), (("zh_CN", "普通会员"),)),
    Tier("silver", "Silver", 200_000, Decimal(2), Decimal("1.2"), (("zh_CN", "银卡"),)),
    Tier("gold", "Gold", 500_000, Decimal(5), Decimal("1.5"), (("zh_CN", "金卡"),)),
    Tier("platinum", "Platinum", 1_500_000, Decimal(8), Decimal(2), (("zh_CN", "白金卡"),)),
)


def _tier_alone(t: Tier, n: int) -> None:
    """What one tier (the ``n``th) must hold by itself."""
    _text(t.code, "code", CODE_LENGTH, n)
    for language, name in (("", t.name), *t.names):
        key = "name" if language in ("", "en") else f"name_{language}"
        _text(name, key if key in TERMS[RULE] else "name", NAME_LENGTH, t.code)
    _whole(t.threshold, "threshold", name=field_name("threshold", t.code))
    _ratio(t.discount_percent, "discount_percent", 100,
           name=field_name("discount_percent", t.code))
    _ratio(t.points_multiplier, "points_multiplier", 100,
           name=field_name("points_multiplier", t.code))


@dataclass(frozen=True)
class TierRules:
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    window_days: int = 365  # rolling window of qualifying spend
    hold_days: int = 365  # an upgraded member keeps the tier at least this long

    def __post_init__(self) -> None:
        if not self.tiers:
            raise RuleError("at least one tier is needed", key=None)
        codes: dict[str, Tier] = {}
        for n, t in enumerate(self.tiers, start=1):
            try:
                _tier_alone(t, n)
            except RuleError as exc:
                exc.item = n  # the settings file's reader points at that tier's line
                raise
            if t.code in codes:
                raise RuleError("two tiers have the code {code}: each needs its own", key="code",
                                item=n, code=t.code)
            codes[t.code] = t
        ordered = sorted(self.tiers, key=lambda t: t.threshold)
        number = {id(t): n for n, t in enumerate(self.tiers, start=1)}
        if ordered[0].threshold != 0:
            raise RuleError("the lowest tier must have threshold 0: the tier every "
                            "member starts in", key="threshold", item=number[id(ordered[0])])
        for lower, higher in itertools.pairwise(ordered):
            if lower.threshold == higher.threshold:
                raise RuleError("tiers {first} and {second} have the same "
                                "threshold: one of them could never be reached",
                                key="threshold", item=number[id(higher)],
                                first=lower.code, second=higher.code)
        _whole(self.window_days, "window_days", 1, 3660)
        _whole(self.hold_days, "hold_days", 0, 3660)
        object.__setattr__(self, "tiers", tuple(ordered))

    def in_language(self, language: str) -> TierRules:
        """These rules with every tier named in ``language`` (the English name kept in
        ``names``, so an imported file may still name a tier in English)."""
        if all(t.name_in(language) == t.name for t in self.tiers):
            return self
        return replace(self, tiers=tuple(
            replace(t, name=t.name_in(language),
                    names=(*(n for n in t.names if n[0] != "en"), ("en", t.name_in("en"))))
            for t in self.tiers))

    def by_code(self, code: str) -> Tier:
        for tier in self.tiers:
            if tier.code == code:
                return tier
        return self.tiers[0]

    @property
    def base(self) -> Tier:
        return self.tiers[0]


@dataclass(frozen=True)
class PointsRules:
    earn_per_unit: Decimal = Decimal(1)  # points per major currency unit spent
    category_multipliers: dict[str, Decimal] = field(default_factory=dict)
    member_days: tuple[int, ...] = ()  # weekdays 0=Monday .. 6=Sunday
    member_day_multiplier: Decimal = Decimal(2)
    birthday_multiplier: Decimal = Decimal(2)
    birthday_window: str = "day"  # day | week | month
    earn_on_points_paid: bool = False  # earn on the part of the bill paid with points
    earn_on_stored_value_paid: bool = True  # earn on the part paid with stored value
    redeem_points_per_unit: int = 100  # points that pay one major currency unit
    redeem_min_points: int = 100
    redeem_max_share_percent: Decimal = Decimal(50)  # of the bill after coupons
    expiry_months: int = 24

    def __post_init__(self) -> None:
        _whole(self.redeem_points_per_unit, "redeem_points_per_unit", 1, 1_000_000)
        _whole(self.redeem_min_points, "redeem_min_points", 0, 100_000_000)
        _ratio(self.earn_per_unit, "earn_per_unit", 1000)
        _ratio(self.member_day_multiplier, "member_day_multiplier", 100)
        _ratio(self.birthday_multiplier, "birthday_multiplier", 100)
        for category, multiplier in self.category_multipliers.items():
            if not str(category).strip():
                raise RuleError("a category that earns more needs a name",
                                key="category_multipliers")
            _ratio(multiplier, "category_multipliers", 100, name=Phrase(
                "the multiplier of category {category}", category=category))
        _ratio(self.redeem_max_share_percent, "redeem_max_share_percent", 100)
        if self.birthday_window not in ("day", "week", "month"):
            raise RuleError("{field} must be day, week or month, not {value!r}",
                            key="birthday_window", field=field_name("birthday_window"),
                            value=self.birthday_window)
        if any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6
               for d in self.member_days):
            raise RuleError("{field} are weekdays 0 (Monday) to 6 (Sunday), not "
                          "{value}", key="member_days", field=field_name("member_days"),
                          value=list(self.member_days))
        _whole(self.expiry_months, "expiry_months", 1, 1200)


@dataclass(frozen=True)
class TopUpBonus:
    min_paid: int
    bonus: int


# A new installation's cap on a member's whole stored-value balance, bonus included:
# ¥5,000, the most a named (记名) single-purpose prepaid card may hold in China
# (单用途商业预付卡管理办法（试行）, article 18). In minor units of the store's currency.
LEGAL_MAX_BALANCE = 500_000
# the default cap before the rules moved to the database: an existing shop keeps it
LEGACY_MAX_BALANCE = 10_000_000


@dataclass(frozen=True)
class StoredValueRules:
    bonuses: tuple[TopUpBonus, ...] = (
        TopUpBonus(10_000, 2_000),
        TopUpBonus(50_000, 15_000),
    )
    min_top_up: int = 100
    max_balance: int = LEGAL_MAX_BALANCE  # the whole balance, paid and bonus

    def __post_init__(self) -> None:
        for n, bonus in enumerate(self.bonuses, start=1):
            _whole(bonus.min_paid, "bonuses", name=Phrase("{field} of top-up bonus {number}",
                                                          field=field_name("min_paid"), number=n))
            _whole(bonus.bonus, "bonuses", name=Phrase("{field} of top-up bonus {number}",
                                                       field=field_name("bonus"), number=n))
        _whole(self.min_top_up, "min_top_up")
        _whole(self.max_balance, "max_balance")
        if self.min_top_up > self.max_balance:
            raise RuleError("{field} is more than {most}: no top-up could ever be "
                          "taken", key="min_top_up", field=field_name("min_top_up"),
                          most=field_name("max_balance"))


@dataclass(frozen=True)
class ReferralRules:
    referrer_points: int = 500  # given when the referred member's first sale is recorded
    referee_points: int = 200  # given at enrolment

    def __post_init__(self) -> None:
        _whole(self.referrer_points, "referrer_points", 0, 1_000_000)
        _whole(self.referee_points, "referee_points", 0, 1_000_000)


Texts = tuple[tuple[str, str], ...]  # (language, line): only the languages given


@dataclass(frozen=True)
class ReceiptTexts:
    """A line under the shop's name and a line at the foot of every receipt, per language;
    none in the receipt's language: no header line, and the "thank you" foot as before.
    ``offer``: what the customer display shows between customers (the manager's pick of
    the moment, "Double points every Wednesday"); none: the shop's name alone."""

    header: Texts = ()
    footer: Texts = ()
    offer: Texts = ()

    def __post_init__(self) -> None:
        for name in ("header", "footer", "offer"):
            # a blank line is the same as none: the default
            kept = tuple((lang, text.strip()) for lang, text in getattr(self, name)
                         if text.strip())
            object.__setattr__(self, name, kept)

    def header_in(self, language: str) -> str:
        return dict(self.header).get(language, "")

    def footer_in(self, language: str) -> str:
        return dict(self.footer).get(language, "")

    def offer_in(self, language: str) -> str:
        return dict(self.offer).get(language, "")


@dataclass(frozen=True)
class Programme:
    """Everything the rules need, in one value."""

    currency: str = "CNY"
    tiers: TierRules = field(default_factory=TierRules)
    points: PointsRules = field(default_factory=PointsRules)
    stored_value: StoredValueRules = field(default_factory=StoredValueRules)
    referral: ReferralRules = field(default_factory=ReferralRules)
    receipt: ReceiptTexts = field(default_factory=ReceiptTexts)
