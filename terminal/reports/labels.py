"""Every word of the manager's reports, in English; the gettext catalogue (core.i18n) has
the other languages, one context per label."""

from __future__ import annotations

from ..core import i18n

EN: dict[str, str] = {
    # end of day
    "eod.title": "End-of-day report", "eod.shift_title": "Shift report",
    "eod.all_terminals": "all terminals", "eod.terminal": "terminal {terminal}",
    "eod.cashier": "cashier {name}",
    "eod.closed": "Closed {at} by {name} at {terminal}",
    "eod.audit_head": "Audit log at closing: entry {seq} of {count}, {hash}",
    "eod.open": "Not closed yet: the figures may still change",
    "sec.sales": "Sales", "sales.count": "Sales", "sales.gross": "Gross sales",
    "sales.refunds": "Refunds", "sales.voids": "Voids", "sales.revenue": "Net revenue",
    "sales.net_count": "Sales less voids", "sales.refunded": "Refunded",
    "sales.voided": "Voided",
    "sec.discounts": "Discounts", "disc.line": "Line discounts", "disc.tier": "Tier discounts",
    "disc.coupon": "Coupons", "disc.points": "Points", "total": "Total",
    "sec.tenders": "Tenders (sales, refunds, voids)", "tender.cash": "Cash kept",
    "tender.card": "Card", "tender.other": "Other", "tender.stored_value": "Stored value",
    "sec.takings": "Money taken (stored-value top-ups included)",
    "sec.members": "Members", "mem.sales": "Member sales", "mem.revenue": "Member revenue",
    "mem.new": "New members", "mem.sales_share": "Share of sales",
    "mem.revenue_share": "Share of revenue",
    "sec.points": "Points", "pts.issued": "Issued", "pts.redeemed": "Redeemed",
    "pts.expired": "Expired", "pts.restored": "Given back by refunds",
    "pts.clawed_back": "Taken back by refunds", "pts.adjusted_out": "Taken off by hand",
    "pts.net": "Net change",
    "sec.stored_value": "Stored value", "sv.topped_up": "Topped up (paid)",
    "sv.bonus": "Bonus given", "sv.spent": "Spent", "sv.refunded": "Put back by refunds",
    "sv.reversed": "Top-ups reversed", "sv.cashed_out": "Cashed out",
    "sv.other": "Adjustments", "sv.outstanding": "Outstanding at {at}",
    "sec.coupons": "Coupons", "cpn.issued": "Issued", "cpn.redeemed": "Redeemed",
    "sec.punch": "Punch cards", "punch.visits": "Visits", "punch.sold": "Cards sold",
    "sec.cashiers": "By cashier", "col.cashier": "Cashier", "col.sales": "Sales",
    "col.revenue": "Revenue", "col.refunds": "Refunds", "col.refunded": "Refunded",
    "sec.terminals": "By terminal", "col.terminal": "Terminal", "col.cash": "Cash",
    "meta.store": "Store", "meta.generated": "Generated", "meta.period": "Period",
    # a cash-drawer shift, and the day's shifts on the end-of-day report
    "shift.opened": "Opened {at} by {name}", "shift.closed": "Closed {at} by {name}",
    "shift.open": "Still open: the figures may still change",
    "sec.shift_cash": "Cash drawer", "shift.float": "Opening float",
    "shift.cash_sales": "Cash sales", "shift.cash_refunds": "Cash refunds and voids",
    "shift.cash_top_ups": "Cash top-ups", "shift.cash_outs": "Cash-outs",
    "shift.cash_other": "Other cash", "shift.expected": "Expected in the drawer",
    "shift.counted": "Counted", "shift.over_short": "Over (+) / short (-)",
    "shift.sales": "Sales",
    "sec.shifts": "Shifts", "col.opened": "Opened", "col.closed": "Closed",
    "col.expected": "Expected", "col.counted": "Counted", "col.over_short": "+/-",
    # economics
    "econ.title": "Programme economics",
    "econ.period": "{start} to {end} ({months} months)",
    "sec.econ_summary": "Summary", "econ.revenue": "Revenue",
    "econ.cost": "Programme cost", "econ.cost_share": "Cost as a share of revenue",
    "econ.verdict": "Your programme costs {share} of revenue; a typical programme costs "
                    "about 1% (1–2% abroad).",
    "econ.verdict.below": "That is below the usual cost.",
    "econ.verdict.about": "That is about the usual cost.",
    "econ.verdict.above": "That is above the usual cost: check the discounts and bonuses "
                          "below.",
    "econ.no_revenue": "No revenue in the period: the cost share cannot be worked out.",
    "sec.econ_costs": "Costs (what members were given)", "econ.tier": "Tier discounts",
    "econ.coupon": "Coupon discounts", "econ.points": "Points redeemed (value)",
    "econ.sv_bonus": "Stored-value bonus",
    "sec.econ_points": "Points", "econ.issued": "Issued", "econ.redeemed": "Redeemed",
    "econ.expired": "Expired", "econ.breakage": "Breakage (expired / issued)",
    "sec.econ_liability": "Outstanding points", "econ.live": "Live points",
    "econ.liability": "Liability at the redemption rate ({rate} points = {one})",
    "econ.rate": "Expected redemption rate",
    "econ.rate_learned": "learned from {points} points of closed-out batches",
    "econ.rate_default": "default: no batch has closed out yet",
    "econ.expected": "Expected liability", "econ.expected_breakage": "Expected breakage",
    "sec.econ_months": "By month", "col.month": "Month", "col.issued": "Issued",
    "col.redeemed": "Redeemed", "col.expired": "Expired", "col.cost": "Cost",
    "col.share": "Cost %",
}

# labels with a count: (singular, plural), the form gettext picks by the value ``n``
PLURALS: dict[str, tuple[str, str]] = {
    "eod.after_close": ("{n} transaction recorded on this date after closing is not included",
                        "{n} transactions recorded on this date after closing are not "
                        "included"),
}

LANGUAGES = ("en", "zh_CN")
CONTEXT = "report"


def catalogue() -> list[tuple[str, str | tuple[str, str]]]:
    """(context, English) of every label, (singular, plural) for one with a count: the
    gettext catalogue translates them."""
    return [*((f"{CONTEXT}:{key}", text) for key, text in EN.items()),
            *((f"{CONTEXT}:{key}", forms) for key, forms in PLURALS.items())]


def label(key: str, language: str = "en", **values: object) -> str:
    """The label in ``language`` (English when it has none), with ``values`` filled in (a
    label of PLURALS in the form of its ``n``)."""
    if key in PLURALS:
        n = values["n"]
        assert isinstance(n, int), key
        text = i18n.npgettext(language, f"{CONTEXT}:{key}", *PLURALS[key], n)
    else:
        text = i18n.pgettext(language, f"{CONTEXT}:{key}", EN.get(key, key))
    return text.format(**values) if values else text
