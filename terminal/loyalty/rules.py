"""The programme's rules as plain values (the settings file fills them in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Tier:
    code: str
    name: str
    threshold: int  # qualifying spend over the window, minor units
    discount_percent: Decimal = Decimal(0)
    points_multiplier: Decimal = Decimal(1)


DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier("standard", "Standard", 0, Decimal(0), Decimal(1)),
    Tier("silver", "Silver", 200_000, Decimal(2), Decimal("1.2")),
    Tier("gold", "Gold", 500_000, Decimal(5), Decimal("1.5")),
    Tier("platinum", "Platinum", 1_500_000, Decimal(8), Decimal(2)),
)


@dataclass(frozen=True)
class TierRules:
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    window_days: int = 365  # rolling window of qualifying spend
    hold_days: int = 365  # an upgraded member keeps the tier at least this long

    def __post_init__(self) -> None:
        if not self.tiers:
            raise ValueError("at least one tier is needed")
        ordered = sorted(self.tiers, key=lambda t: t.threshold)
        if ordered[0].threshold != 0:
            raise ValueError("the lowest tier must have threshold 0")
        codes = [t.code for t in ordered]
        if len(set(codes)) != len(codes):
            raise ValueError("tier codes must be unique")
        object.__setattr__(self, "tiers", tuple(ordered))

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
        if self.redeem_points_per_unit <= 0:
            raise ValueError("redeem_points_per_unit must be positive")
        if not 0 <= self.redeem_max_share_percent <= 100:
            raise ValueError("redeem_max_share_percent must be between 0 and 100")
        if self.birthday_window not in ("day", "week", "month"):
            raise ValueError("birthday_window must be day, week or month")
        if any(not 0 <= d <= 6 for d in self.member_days):
            raise ValueError("member_days are weekdays 0 (Monday) to 6 (Sunday)")
        if self.expiry_months < 1:
            raise ValueError("expiry_months must be at least 1")


@dataclass(frozen=True)
class TopUpBonus:
    min_paid: int
    bonus: int


@dataclass(frozen=True)
class StoredValueRules:
    bonuses: tuple[TopUpBonus, ...] = (
        TopUpBonus(10_000, 2_000),
        TopUpBonus(50_000, 15_000),
    )
    min_top_up: int = 100
    max_balance: int = 10_000_000


@dataclass(frozen=True)
class ReferralRules:
    referrer_points: int = 500  # given when the referred member's first sale is recorded
    referee_points: int = 200  # given at enrolment


@dataclass(frozen=True)
class Programme:
    """Everything the rules need, in one value."""

    currency: str = "CNY"
    tiers: TierRules = field(default_factory=TierRules)
    points: PointsRules = field(default_factory=PointsRules)
    stored_value: StoredValueRules = field(default_factory=StoredValueRules)
    referral: ReferralRules = field(default_factory=ReferralRules)
