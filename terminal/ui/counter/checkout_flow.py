"""Checkout from the counter: an empty basket refused, a big discount approved by a
manager's PIN, then the checkout dialog; the basket is cleared once the sale is made."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from ...core import money
from ...services import checkout
from ...services.receipts import Receipt
from ..text import tr
from .dialogs.checkout_dialog import CheckoutDialog
from .dialogs.manager_pin import ManagerPinDialog

if TYPE_CHECKING:
    from .window import CounterWindow


class CheckoutFlow(QObject):
    """Started by the Checkout button; ``completed`` carries the sale's receipt."""

    completed = Signal(object)

    def __init__(self, window: CounterWindow) -> None:
        super().__init__(window)
        self.window = window

    def start(self) -> None:
        window = self.window
        items = window.sale_panel.items()
        if not items:
            window.message.show_error(tr("The basket is empty: scan an item or type an "
                                              "amount."))
            return
        limit = checkout.discount_limit(window.ctx)
        if window.sale_panel.manual_discount() > limit:
            approval = ManagerPinDialog(
                window.tasks, window.ctx, window.approve,
                "a discount or price change above the limit",
                tr("Discounts above {0} need a manager's PIN.").format(
                    money.format_amount(limit, window.ctx.currency)),
                window)
            # once the PIN dialog has closed, or its closing takes the focus back
            approval.completed.connect(lambda manager: QTimer.singleShot(
                0, lambda: self._open_checkout(items, str(manager.id))))
            window.open_dialog(approval)
            return
        self._open_checkout(items, None)

    def _open_checkout(self, items: tuple[Any, ...], approved_by: str | None) -> None:
        window = self.window
        dialog = CheckoutDialog(window.tasks, window.ctx, items, window.member,
                                window.coupon_code, window, approved_by=approved_by)
        dialog.completed.connect(self.on_sale_completed)
        feed = window.customer
        if feed is not None:  # the customer sees the points and stored value chosen
            dialog.choice_changed.connect(feed.on_checkout_choice)
            dialog.rejected.connect(feed.update)
        window.open_dialog(dialog)

    def on_sale_completed(self, receipt: Receipt) -> None:
        self.window.sale_panel.clear()
        self.window.coupon_code = ""
        self.completed.emit(receipt)
