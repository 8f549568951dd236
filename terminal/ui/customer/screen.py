"""What the customer display shows, as words and figures, from what the counter knows: no
Qt, no database (the counter hands over what its worker read). Three moments:

* between customers: the shop's name, the offer the manager picked, a QR code to join;
* serving: the basket's lines and total as the cashier builds them, the member's greeting,
  tier and points, what this sale earns and what it uses; with no member, the QR to join;
* paid: the total paid, what points and stored value paid, "you earned 49 points,
  balance 109", until the next customer.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core import money
from ...services.checkout import Preview
from ...services.members import MemberView
from ...services.receipts import Receipt
from ..text import tr, trn

WELCOME, SERVING, PAID = "welcome", "serving", "paid"


@dataclass(frozen=True)
class Line:
    name: str
    qty: int
    amount: str


@dataclass(frozen=True)
class Screen:
    moment: str  # WELCOME, SERVING or PAID
    store: str
    greeting: str = ""  # "Welcome back, Wang Fang"
    member: str = ""  # "Gold member", "1,234 points", "stored value ¥50.00": a line each
    lines: tuple[Line, ...] = ()
    total: str = ""
    saving: str = ""  # "You save ¥12.00"
    earns: str = ""  # "This purchase earns 49 points"
    uses: str = ""  # "Paid with 200 points and ¥50.00 of stored value"
    paid: str = ""  # "You earned 49 points, balance 109"
    join_url: str = ""  # shown as a QR code, with "scan to join", when no member is known
    offer: str = ""


@dataclass(frozen=True)
class Shop:
    """What every screen names, read once by the counter (the offer from the programme)."""

    name: str
    currency: str
    offer: str = ""
    join_url: str = ""  # the join form on the shop's network; empty: no QR code


def welcome(shop: Shop) -> Screen:
    return Screen(WELCOME, shop.name, join_url=shop.join_url, offer=shop.offer)


def _amount(value: int, shop: Shop) -> str:
    return money.format_amount(value, shop.currency)


def _member_line(member: MemberView, shop: Shop) -> str:
    points = trn("{n} point", "{n} points", member.points_balance).format(
        n=f"{member.points_balance:,}")
    parts = [tr("{0} member").format(member.tier_name), points]
    if member.stored_value_balance:
        parts.append(tr("stored value {0}").format(_amount(member.stored_value_balance, shop)))
    return "\n".join(parts)


def serving(shop: Shop, member: MemberView | None, lines: tuple[Line, ...],
            preview: Preview | None, stored_value: int = 0) -> Screen:
    """The basket as it stands (``lines`` as the cashier sees them), priced by ``preview``
    when it has come back; ``stored_value``: what the checkout will take from the
    member's balance."""
    greeting = tr("Welcome, {0}").format(member.name) if member else ""
    total = saving = earns = uses = ""
    if preview is not None:
        p = preview.pricing
        total = _amount(p.total, shop)
        saved = p.subtotal - p.total - p.points_discount
        if saved > 0:
            saving = tr("You save {0}").format(_amount(saved, shop))
        if member is not None and preview.points_earned:
            earns = trn("This purchase earns {n} point", "This purchase earns {n} points",
                        preview.points_earned).format(n=f"{preview.points_earned:,}")
        used = []
        if p.points_redeemed:
            used.append(trn("{n} point used: {0} off", "{n} points used: {0} off",
                            p.points_redeemed).format(_amount(p.points_discount, shop),
                                                      n=f"{p.points_redeemed:,}"))
        if member is not None and stored_value > 0:
            used.append(tr("{0} from your stored value").format(_amount(stored_value, shop)))
        uses = "\n".join(used)
    elif lines:
        total = "…"  # priced on the worker in a moment
    return Screen(SERVING, shop.name, greeting, _member_line(member, shop) if member else "",
                  lines, total, saving, earns, uses,
                  join_url="" if member else shop.join_url, offer="")


def paid(shop: Shop, receipt: Receipt) -> Screen:
    """After the sale: what was paid and how, and the member's points now."""
    lines = tuple(Line(ln.name, ln.qty, _amount(ln.net, shop)) for ln in receipt.lines)
    member = receipt.member
    tenders = dict(receipt.tenders)
    used = []
    if member is not None and member.points_redeemed:
        used.append(trn("{n} point", "{n} points", member.points_redeemed).format(
            n=f"{member.points_redeemed:,}"))
    if tenders.get("stored_value"):
        used.append(tr("{0} of stored value").format(_amount(tenders["stored_value"], shop)))
    uses = tr("Paid with {0}").format(tr(" and ").join(used)) if used else ""
    earned = greeting = standing = ""
    if member is not None:
        greeting = tr("Thank you, {0}").format(member.name)
        earned = trn("You earned {n} point, balance {0}", "You earned {n} points, balance {0}",
                     member.points_earned).format(f"{member.points_balance:,}",
                                                  n=f"{member.points_earned:,}")
        if member.stored_value_balance or tenders.get("stored_value"):
            standing = tr("Stored value left: {0}").format(
                _amount(member.stored_value_balance, shop))
    else:
        greeting = tr("Thank you")
    return Screen(PAID, shop.name, greeting, standing, lines, _amount(receipt.total, shop),
                  "", "", uses, earned, join_url="" if member else shop.join_url)
