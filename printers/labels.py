"""Every word printed on paper, in English and Simplified Chinese, behind one function."""

from __future__ import annotations

EN: dict[str, str] = {
    "sale": "SALE", "refund": "REFUND", "void": "VOID", "topup": "STORED VALUE TOP-UP",
    "topup_reversal": "TOP-UP REVERSAL", "copy": "*** COPY ***",
    "receipt_no": "Receipt", "date": "Date", "terminal": "Terminal", "cashier": "Cashier",
    "original": "Original receipt",
    "subtotal": "Subtotal", "total": "TOTAL", "change": "Change",
    "line_discount": "Discount",
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
    "test_page": "PRINTER TEST", "chinese_sample": "中文测试：会员积分",
    "ruler": "Column ruler", "status": "Status", "online": "Online", "paper": "Paper",
    "connection": "Connection", "encoding": "Encoding", "columns": "Columns",
    "printed_at": "Printed", "qr_test": "QR test",
}

ZH_CN: dict[str, str] = {
    "sale": "销售小票", "refund": "退货单", "void": "作废单", "topup": "储值充值",
    "topup_reversal": "充值冲正", "copy": "*** 补打 ***",
    "receipt_no": "单号", "date": "日期", "terminal": "终端", "cashier": "收银员",
    "original": "原单号",
    "subtotal": "小计", "total": "合计", "change": "找零",
    "line_discount": "优惠",
    "discount.line": "单品优惠", "discount.tier": "会员折扣",
    "discount.coupon": "优惠券", "discount.points": "积分抵扣",
    "tender.stored_value": "储值支付", "tender.cash": "现金", "tender.card": "银行卡",
    "tender.other": "其他",
    "member": "会员", "card_no": "卡号", "phone": "手机", "tier": "等级",
    "points_earned": "本次积分", "points_redeemed": "使用积分",
    "points_balance": "积分余额", "sv_balance": "储值余额",
    "visits_left": "{name}：剩余 {left}/{total} 次",
    "visits_until": "  有效期至 {date}",
    "points_expire": "{points} 积分将于 {date} 过期",
    "coupons_issued": "赠送优惠券", "coupon": "优惠券", "coupon_code": "券码",
    "valid_until": "有效期至 {date}",
    "sv_paid": "实付", "sv_bonus": "赠送", "sv_credited": "到账",
    "note": "备注", "thanks": "谢谢惠顾，欢迎再次光临！",
    "member_card": "会员卡", "enrolled": "入会日期", "show_code": "结账时请出示此码",
    "test_page": "打印机测试", "chinese_sample": "中文测试：会员积分",
    "ruler": "列宽标尺", "status": "状态", "online": "在线", "paper": "纸张",
    "connection": "连接", "encoding": "编码", "columns": "列数",
    "printed_at": "打印时间", "qr_test": "二维码测试",
}

TABLES: dict[str, dict[str, str]] = {"en": EN, "zh_CN": ZH_CN}


def label(key: str, language: str = "en", **values: object) -> str:
    """The printed word for ``key``; English when the language or the key is missing."""
    text = TABLES.get(language, EN).get(key) or EN.get(key, key)
    return text.format(**values) if values else text
