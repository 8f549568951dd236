"""The counter's side of the customer display: it tells the display what the cashier's
window holds (the member, the basket and its pricing, the sale just paid) as screens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ...services.checkout import Preview
from ...services.receipts import Receipt
from . import screen
from .display import CustomerDisplay

if TYPE_CHECKING:
    from ..counter.window import CounterWindow


def join_url(local_url: str) -> str:
    """The join form on the shop's network (``[web] local_url``); empty without one."""
    return f"{local_url.rstrip('/')}/join" if local_url else ""


class CustomerFeed(QObject):
    def __init__(self, window: CounterWindow) -> None:
        super().__init__(window)
        self.window = window
        settings = window.settings
        self.shop = screen.Shop(settings.store.name, settings.currency,
                                join_url=join_url(settings.web.local_url))
        self.display = CustomerDisplay(settings.display)
        self.paid: screen.Screen | None = None  # shown until the next customer

    def start(self) -> str | None:
        """Open the display on its screen; what to tell the cashier, if anything."""
        note = self.display.place()
        self.display.show_screen(screen.welcome(self.shop))
        return note

    def set_offer(self, offer: str) -> None:
        """The offer the manager picked (read by the counter's worker)."""
        self.shop = screen.Shop(self.shop.name, self.shop.currency, offer, self.shop.join_url)
        self.update()

    def update(self) -> None:
        """The member and the basket as the counter's window holds them now."""
        w = self.window
        panel = w.sale_panel
        if panel.entries:
            self.paid = None
        if self.paid is not None:
            self.display.show_screen(self.paid)
        elif not panel.entries and w.member is None:
            self.display.show_screen(screen.welcome(self.shop))
        else:
            lines = tuple(screen.Line(name, int(qty), amount)
                          for name, qty, _, _, amount in panel.rows())
            preview = panel.preview if panel.entries else None
            self.display.show_screen(screen.serving(self.shop, w.member, lines, preview))

    def on_checkout_choice(self, preview: Preview, stored_value: int) -> None:
        """In the checkout dialog: the sale priced with the points the cashier typed, and
        the stored value to be used."""
        w = self.window
        lines = tuple(screen.Line(name, int(qty), amount)
                      for name, qty, _, _, amount in w.sale_panel.rows())
        self.display.show_screen(screen.serving(self.shop, w.member, lines, preview,
                                                stored_value))

    def on_paid(self, receipt: Receipt) -> None:
        if receipt.kind == "sale":
            self.paid = screen.paid(self.shop, receipt)
        self.update()

    def next_customer(self) -> None:
        self.paid = None
        self.update()

    def shut(self) -> None:
        self.display.shut()
