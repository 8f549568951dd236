"""The engine's fixed messages, marked for Qt's translation: the services stay free of Qt
and speak English; the counter shows them in its language (tests/ui check the list).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ..services.coupon_templates import Worded

MESSAGES = (
    QT_TRANSLATE_NOOP("engine", "a PIN is 4 to 8 digits"),
    QT_TRANSLATE_NOOP("engine", "a backup cannot overwrite the database it copies"),
    QT_TRANSLATE_NOOP("engine", "a business date is needed"),
    QT_TRANSLATE_NOOP("engine", "a campaign needs a name of 1 to 100 characters"),
    QT_TRANSLATE_NOOP("engine", "a free-item coupon needs the product's SKU"),
    QT_TRANSLATE_NOOP("engine", "a name is needed"),
    QT_TRANSLATE_NOOP("engine", "a name of 1 to 100 characters is needed"),
    QT_TRANSLATE_NOOP("engine", "a partly refunded sale cannot be voided; refund the rest"),
    QT_TRANSLATE_NOOP("engine", "a percent coupon needs a percentage between 0 and 100"),
    QT_TRANSLATE_NOOP("engine", "a phone number is needed"),
    QT_TRANSLATE_NOOP("engine", "a points adjustment needs a reason"),
    QT_TRANSLATE_NOOP("engine", "a print job holds a dataclass instance"),
    QT_TRANSLATE_NOOP("engine", "a punch card is sold to a member: scan the member first"),
    QT_TRANSLATE_NOOP("engine", "a punch card needs a member: scan the member first"),
    QT_TRANSLATE_NOOP("engine", "a quantity to return is a whole number"),
    QT_TRANSLATE_NOOP("engine", "a shift must end after it starts (and within its day)"),
    QT_TRANSLATE_NOOP("engine", "a shift starts and ends at a time of day"),
    QT_TRANSLATE_NOOP("engine", "a void is for today's sales; refund older sales instead"),
    QT_TRANSLATE_NOOP("engine", "add_points takes a positive number of points"),
    QT_TRANSLATE_NOOP("engine", "an adjustment is a whole number of points, not zero"),
    QT_TRANSLATE_NOOP("engine", "an amount coupon needs an amount above zero"),
    QT_TRANSLATE_NOOP("engine", "an idempotency key of 8 to 100 characters is needed"),
    QT_TRANSLATE_NOOP("engine", "an in-memory database has no file to back up"),
    QT_TRANSLATE_NOOP("engine", "an item needs a SKU or an amount"),
    QT_TRANSLATE_NOOP("engine", "at least one tier is needed"),
    QT_TRANSLATE_NOOP("engine", "birthday must be a date"),
    QT_TRANSLATE_NOOP("engine", "birthday_window must be day, week or month"),
    QT_TRANSLATE_NOOP("engine", "cannot allocate an amount over lines worth nothing"),
    QT_TRANSLATE_NOOP("engine", "cannot allocate an amount over no lines"),
    QT_TRANSLATE_NOOP("engine", "could not find a free code"),
    QT_TRANSLATE_NOOP("engine", "floats are not accepted as money; pass a string or Decimal"),
    QT_TRANSLATE_NOOP("engine", "keep_days must be a whole number of days, at least 1"),
    QT_TRANSLATE_NOOP("engine", "member_days are weekdays 0 (Monday) to 6 (Sunday)"),
    QT_TRANSLATE_NOOP("engine", "more points to restore than were taken"),
    QT_TRANSLATE_NOOP("engine", "no coupon code given"),
    QT_TRANSLATE_NOOP("engine", "no database is open"),
    QT_TRANSLATE_NOOP("engine", "no such campaign"),
    QT_TRANSLATE_NOOP("engine", "no such member"),
    QT_TRANSLATE_NOOP("engine", "no such PIN lock-out"),
    QT_TRANSLATE_NOOP("engine", "no such print job"),
    QT_TRANSLATE_NOOP("engine", "no such sale"),
    QT_TRANSLATE_NOOP("engine", "no such staff member"),
    QT_TRANSLATE_NOOP("engine", "no such transaction"),
    QT_TRANSLATE_NOOP("engine", "not an amount"),
    QT_TRANSLATE_NOOP("engine", "nothing to look up"),
    QT_TRANSLATE_NOOP("engine", "only a manager or an owner approves"),
    QT_TRANSLATE_NOOP("engine",
                      "only a receipt the printer did not confirm can be marked printed"),
    QT_TRANSLATE_NOOP("engine", "only an owner adds staff"),
    QT_TRANSLATE_NOOP("engine", "only an owner clears a PIN lock-out"),
    QT_TRANSLATE_NOOP("engine", "only an owner takes someone off the staff"),
    QT_TRANSLATE_NOOP("engine", "points must be a whole number"),
    QT_TRANSLATE_NOOP("engine", "points need a member: scan the member first"),
    QT_TRANSLATE_NOOP("engine", "points to redeem cannot be negative"),
    QT_TRANSLATE_NOOP("engine", "say why the member is erased (e.g. 'their request of 1 May')"),
    QT_TRANSLATE_NOOP("engine", "someone already uses this PIN: choose another"),
    QT_TRANSLATE_NOOP("engine", "stored value cannot pay for a top-up"),
    QT_TRANSLATE_NOOP("engine", "stored value needs a member: scan the member first"),
    QT_TRANSLATE_NOOP("engine", "take_points takes a positive number of points"),
    QT_TRANSLATE_NOOP("engine", "that line is not on this sale"),
    QT_TRANSLATE_NOOP("engine", "the backup is the database itself"),
    QT_TRANSLATE_NOOP("engine", "the basket is empty"),
    QT_TRANSLATE_NOOP("engine", "the default redemption rate is a share between 0 and 1"),
    QT_TRANSLATE_NOOP("engine", "the first staff account is the owner's"),
    QT_TRANSLATE_NOOP("engine", "the hold-out group is 0 to 50 percent of the segment"),
    QT_TRANSLATE_NOOP("engine",
                      "the last owner cannot be taken off: add another owner first"),
    QT_TRANSLATE_NOOP("engine", "the lowest tier must have threshold 0"),
    QT_TRANSLATE_NOOP("engine", "the member still has stored value: cash it out first"),
    QT_TRANSLATE_NOOP("engine", "the refund is larger than what was paid"),
    QT_TRANSLATE_NOOP("engine", "there is no stored value to refund"),
    QT_TRANSLATE_NOOP("engine", "this is a coupon, not a member code"),
    QT_TRANSLATE_NOOP("engine",
                      "this job is printed or printing already: reprint the sale instead"),
    QT_TRANSLATE_NOOP("engine", "this member has been erased"),
    QT_TRANSLATE_NOOP("engine", "this member has no phone number on file"),
    QT_TRANSLATE_NOOP("engine", "this text has a broken character: type it again"),
    QT_TRANSLATE_NOOP("engine", "this member was erased already"),
    QT_TRANSLATE_NOOP("engine", "this punch card does not belong to the member"),
    QT_TRANSLATE_NOOP("engine", "tier codes must be unique"),
    QT_TRANSLATE_NOOP("engine", "wrong PIN"),
)

# The offers form's refusals (terminal/services/coupon_templates.py), with a field's name or
# a figure in them: the service keeps the words apart from the figures (``Worded``).
OFFER_MESSAGES = (
    QT_TRANSLATE_NOOP("ManagerLabels", "{0} must be an amount of money"),
    QT_TRANSLATE_NOOP("ManagerLabels", "{0} cannot be negative"),
    QT_TRANSLATE_NOOP("ManagerLabels", "{0} is too large"),
    QT_TRANSLATE_NOOP("ManagerLabels", "{0} must be a whole number from {1} to {2}"),
    QT_TRANSLATE_NOOP("ManagerLabels", "A code is 1 to 32 letters, digits, '-' or '_'."),
    QT_TRANSLATE_NOOP("ManagerLabels", "A name of 1 to 100 characters is needed."),
    QT_TRANSLATE_NOOP("ManagerLabels", "Unknown kind of offer: {0}"),
    QT_TRANSLATE_NOOP("ManagerLabels", "Unknown rule: {0}"),
    QT_TRANSLATE_NOOP("ManagerLabels", "The percent must be a number from 0 to 100."),
    QT_TRANSLATE_NOOP("ManagerLabels", "An amount-off offer needs an amount above zero."),
    QT_TRANSLATE_NOOP("ManagerLabels", "A percent-off offer needs a percent above zero."),
    QT_TRANSLATE_NOOP("ManagerLabels", "A free-item offer needs the SKU of the item."),
    QT_TRANSLATE_NOOP("ManagerLabels", "A cross-sell offer needs the category or brand bought."),
    QT_TRANSLATE_NOOP("ManagerLabels", "No product has the SKU {0}."),
    QT_TRANSLATE_NOOP("ManagerLabels", "An offer with the code {0} exists already."),
    QT_TRANSLATE_NOOP("ManagerLabels", "No offer has the code {0}."),
)
OFFER_FIELDS = (
    QT_TRANSLATE_NOOP("ManagerLabels", "The amount off"),
    QT_TRANSLATE_NOOP("ManagerLabels", "The minimum spend"),
    QT_TRANSLATE_NOOP("ManagerLabels", "The spend that earns it"),
    QT_TRANSLATE_NOOP("ManagerLabels", "Days valid"),
    QT_TRANSLATE_NOOP("ManagerLabels", "Days"),
)


def describe_worded(error: Worded) -> str:
    """A ``Worded`` refusal in the window's language: its words translated, its figures
    and codes as they are."""
    shown: tuple[object, ...] = error.args_
    if error.label is not None:
        shown = (QCoreApplication.translate("ManagerLabels", error.label), *shown)
    return QCoreApplication.translate("ManagerLabels", error.template).format(*shown)
