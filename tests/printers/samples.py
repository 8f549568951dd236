"""Hand-built receipts for printer tests (no database)."""

from __future__ import annotations

import uuid
from datetime import datetime

from terminal.services.receipts import (
    Receipt,
    ReceiptCoupon,
    ReceiptLine,
    ReceiptMember,
    ReceiptPunch,
)

COUPON = ReceiptCoupon("NV-7K3Q9", "C1.demo.NV-7K3Q9.Q2xGz8", "下次光临 95 折 Next visit 5% off",
                       datetime(2026, 12, 23))
COUPON2 = ReceiptCoupon("BD-22XY", "C1.demo.BD-22XY.Hh71kQ", "生日礼券 Birthday 20 off",
                        datetime(2027, 1, 6))
MEMBER = ReceiptMember(
    name="张三丰", card_no="100000123", phone_masked="138****1234", tier="金卡 Gold",
    points_earned=121, points_redeemed=500, points_balance=3456, stored_value_balance=45000,
    punch_cards=(ReceiptPunch("咖啡 10 次卡 Coffee card", 3, 10, datetime(2027, 1, 1)),),
    expiring_points=200, expiring_on=datetime(2026, 12, 1))
LINES = (
    ReceiptLine("农夫山泉天然矿泉水 550ml 特惠装（整箱二十四瓶）", 2, 250, 500, 50, 450),
    ReceiptLine("Very long English product name that has to wrap over lines", 1, 12999,
                12999, 1300, 11699),
    ReceiptLine("拿铁 Latte", 3, 2800, 8400, 0, 8400),
)


def sale(**changes: object) -> Receipt:
    base = dict(
        txn_id=uuid.UUID("01930000-0000-7000-8000-000000000001"), kind="sale",
        receipt_no="S001-T01-000123", created_at=datetime(2026, 11, 23, 14, 5),
        store_name="好邻居便利店 Good Neighbour", store_address="上海市徐汇区漕溪北路 88 号",
        terminal_id="T01", cashier="alice", currency="CNY", lines=LINES, subtotal=21899,
        discounts=(("line", 50), ("tier", 1300), ("points", 500)), total=20049,
        tenders=(("stored_value", 5000), ("cash", 20000)), change=4951, member=MEMBER,
        coupons=(COUPON, COUPON2), original_receipt_no=None, note="")
    base.update(changes)
    return Receipt(**base)  # type: ignore[arg-type]


def refund() -> Receipt:
    return sale(kind="refund", receipt_no="S001-T01-000130", lines=(
        ReceiptLine("拿铁 Latte", -1, 2800, -2800, 0, -2800),), subtotal=-2800, discounts=(),
        total=-2800, tenders=(("cash", -2800),), change=0, coupons=(),
        original_receipt_no="S001-T01-000123", member=None)


def topup() -> Receipt:
    return sale(kind="topup", receipt_no="S001-T01-000131", lines=(), subtotal=0,
                discounts=(), total=50000, tenders=(("card", 50000),), change=0, coupons=(),
                sv_bonus=10000)
