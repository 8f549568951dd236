"""Every word printed on paper, in English; the gettext catalogue (core.i18n) has the
other languages, one context per label (the same English word may print two ways)."""

from __future__ import annotations

from terminal.core import i18n

EN: dict[str, str] = {
    "sale": "SALE", "refund": "REFUND", "void": "VOID", "topup": "STORED VALUE TOP-UP",
    "topup_reversal": "TOP-UP REVERSAL", "copy": "*** COPY ***",
    "receipt_no": "Receipt", "date": "Date", "terminal": "Terminal", "cashier": "Cashier",
    "original": "Original receipt",
    "subtotal": "Subtotal", "total": "TOTAL", "change": "Change",
    "line_discount": "Discount",
    "member_price": "Member price (price {price})",
    "member_saving": "Member prices saved you",
    "discount.line": "Line discounts", "discount.tier": "Member discount",
    "discount.coupon": "Coupon", "discount.points": "Points",
    "tender.stored_value": "Stored value", "tender.cash": "Cash", "tender.card": "Card",
    "tender.other": "Other",
    "member": "Member", "card_no": "Card", "phone": "Phone", "tier": "Tier",
    "points_earned": "Points earned", "points_redeemed": "Points used",
    "points_balance": "Points balance", "sv_balance": "Stored value",
    "visits_left": "{name}: {left}/{total} visits left",
    "visits_until": "  valid until {date}",
    "points_expire": "{points} points expire on {date}",
    "coupons_issued": "YOUR COUPONS", "coupon": "COUPON", "coupon_code": "Code",
    "valid_until": "Valid until {date}",
    "sv_paid": "Paid", "sv_bonus": "Bonus", "sv_credited": "Credited",
    "note": "Note", "thanks": "Thank you for shopping with us!",
    "member_card": "MEMBER CARD", "enrolled": "Member since", "show_code":
        "Show this code at the counter",
    "page_link": "Scan: your points and coupons",
    "test_page": "PRINTER TEST", "chinese_sample": "中文测试：会员积分",
    "ruler": "Column ruler", "status": "Status", "online": "Online", "paper": "Paper",
    "connection": "Connection", "encoding": "Encoding", "columns": "Columns",
    "printed_at": "Printed", "qr_test": "QR test",
}

# printed as it is whatever the language: the test page's sample of Chinese print
FIXED = frozenset({"chinese_sample"})
CONTEXT = "receipt"


def catalogue() -> list[tuple[str, str]]:
    """(context, English) of every label: the gettext catalogue translates them."""
    return [(f"{CONTEXT}:{key}", text) for key, text in EN.items() if key not in FIXED]


def label(key: str, language: str = "en", **values: object) -> str:
    """The printed word for ``key``; English when the language or the key is missing."""
    english = EN.get(key, key)
    text = english if key in FIXED else i18n.pgettext(language, f"{CONTEXT}:{key}", english)
    return text.format(**values) if values else text
