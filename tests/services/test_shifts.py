"""Cash-drawer shifts: the float, the cash each kind of transaction moves, expected, counted,
over/short; one open shift per terminal, closed once, audited."""

from __future__ import annotations

from dataclasses import replace

import pytest

from terminal.core.config import Settings
from terminal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from terminal.db import models as m
from terminal.loyalty.pricing import Tenders
from terminal.services import accounts, refunds, shifts, staff
from terminal.services.context import Context
from terminal.services.integrity import check
from tests.helpers import factory


@pytest.fixture
def cashier(ctx: Context) -> Context:
    """The context of a signed-in cashier (an owner and a manager exist too)."""
    factory.manager(ctx)
    owner = m.Staff.get(m.Staff.role == "owner")
    person = staff.create(ctx, "Cashier Li 李", "cashier", "1357", approved_by=owner.id)
    return ctx.as_staff(str(person.id))


def at_terminal(ctx: Context, terminal_id: str) -> Context:
    settings = ctx.settings
    return replace(ctx, settings=replace(settings, store=replace(settings.store,
                                                                 terminal_id=terminal_id)))


def test_the_report_adds_up_every_cash_movement_of_the_shift(cashier, catalogue, clock):
    manager = factory.manager(cashier)
    outside = factory.sale(cashier, [("LATTE", 1)], cash=2800)  # before the shift: not in it
    opened = shifts.open_shift(cashier, 20_000)
    assert opened.expected == 20_000 and opened.counted is None and not opened.closed
    mb = factory.member(cashier)
    clock.advance(minutes=5)
    sold = factory.sale(cashier, [("LATTE", 2)], cash=5600)  # 56.00 cash
    factory.sale(cashier, [("TEA", 1)], tenders=Tenders(card=1800))  # card: no cash
    factory.sale(cashier, [("CAKE", 1)], tenders=Tenders(cash=5000))  # 50 given, 18 change
    refunds.refund(cashier, refunds.RefundRequest(factory.key("r"), sold.txn_id, manager))
    factory.top_up(cashier, mb.id, 10_000)
    accounts.cash_out(cashier, factory.key("co"), mb.id, manager)
    now = shifts.current(cashier)
    assert now is not None
    assert (now.sales, now.cash_sales, now.cash_refunds, now.cash_top_ups, now.cash_outs,
            now.cash_other) == (3, 5600 + 3200, 5600, 10_000, 10_000, 0)
    assert now.expected == 20_000 + 3200

    clock.advance(hours=8)
    closed = shifts.close_shift(cashier, 23_000)
    assert closed.expected == 23_200 and closed.counted == 23_000
    assert closed.over_short == -200 and closed.closed
    assert closed.staff_name == closed.closed_by_name == "Cashier Li 李"
    assert m.Txn.get_by_id(outside.txn_id).shift_id is None
    assert m.Txn.get_by_id(sold.txn_id).shift_id == closed.shift_id
    row = m.Shift.get_by_id(closed.shift_id)
    assert (row.expected, row.counted, row.closed_by) == (23_200, 23_000, cashier.staff_id)

    after = factory.sale(cashier, [("LATTE", 1)], cash=2800)  # after the close: no shift
    assert m.Txn.get_by_id(after.txn_id).shift_id is None
    assert shifts.report(cashier, closed.shift_id) == closed  # kept, not recomputed
    assert shifts.report(cashier) == closed  # the last one of this terminal
    entries = [(e.action, e.subject) for e in m.AuditEntry.select()
               .where(m.AuditEntry.action.startswith("shift_")).order_by(m.AuditEntry.seq)]
    assert entries == [("shift_opened", str(closed.shift_id)),
                       ("shift_closed", str(closed.shift_id))]
    assert check() == []


def test_one_open_shift_per_terminal_and_a_shift_closes_once(cashier, clock):
    first = shifts.open_shift(cashier, 10_000)
    with pytest.raises(Conflict, match="open at this terminal"):
        shifts.open_shift(cashier, 5_000)
    other = shifts.open_shift(at_terminal(cashier, "T02"), 0)  # another drawer
    assert other.terminal_id == "T02"
    shifts.close_shift(cashier, 10_000)
    with pytest.raises(NotFound, match="no shift is open"):
        shifts.close_shift(cashier, 10_000)
    with pytest.raises(Conflict, match="closed already"):
        shifts.close_shift(cashier, 10_000, shift_id=first.shift_id)
    # a manager closes T02's shift from T01 by its id
    closed = shifts.close_shift(cashier, 100, shift_id=other.shift_id)
    assert (closed.terminal_id, closed.over_short) == ("T02", 100)
    again = shifts.open_shift(cashier, 1)  # a new shift at T01 after the close
    assert again.shift_id != first.shift_id


def test_amounts_and_who_are_checked(cashier, ctx):
    for bad in (-1, 1.5, True, "100", shifts.MAX_CASH + 1):
        with pytest.raises(InvalidInput):
            shifts.open_shift(cashier, bad)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied, match="sign in"):
        shifts.open_shift(ctx, 100)  # "cashier1" is nobody on the staff
    shifts.open_shift(cashier, 100)
    with pytest.raises(InvalidInput):
        shifts.close_shift(cashier, -5)
    with pytest.raises(NotFound):
        shifts.report(cashier, "not-a-shift")
    with pytest.raises(NotFound, match="no shift was ever opened"):
        shifts.report(at_terminal(cashier, "T09"))


def test_the_days_shifts(cashier, clock):
    shifts.open_shift(cashier, 100)
    clock.advance(hours=4)
    shifts.close_shift(cashier, 100)
    shifts.open_shift(at_terminal(cashier, "T02"), 200)
    clock.advance(days=1)
    shifts.open_shift(cashier, 300)  # the next day
    day = [(s.terminal_id, s.opening_float, s.over_short)
           for s in shifts.of_day(cashier, clock.now.date().replace(day=10))]
    assert day == [("T01", 100, 0), ("T02", 200, None)]
    assert [s.terminal_id for s in shifts.of_day(
        cashier, clock.now.date().replace(day=10), terminal="T02")] == ["T02"]
    assert Settings().store.terminal_id == "T01"
