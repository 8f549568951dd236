"""The staff tab: only an owner adds a person; PINs typed twice; the lock-out state."""

from __future__ import annotations

from datetime import timedelta

import pytest

from terminal.db import models as m
from terminal.services import staff
from terminal.ui.manager import ManagerWindow
from tests.ui.manager.conftest import WAIT_MS, idle


def owner_id() -> str:
    return str(m.Staff.get((m.Staff.role == "owner") & m.Staff.active).id)


def add(qtbot, runner, tab, name: str, role: str, pin: str, again: str | None = None) -> None:
    tab.name_edit.setText(name)
    tab.role_combo.setCurrentIndex(tab.role_combo.findData(role))
    tab.pin_edit.setText(pin)
    tab.pin_again_edit.setText(pin if again is None else again)
    tab.form_message.clear()
    tab.add_button.click()
    qtbot.waitUntil(lambda: tab.form_message.text() not in ("", "Adding…"), timeout=WAIT_MS)
    idle(qtbot, runner)


@pytest.fixture
def owner_window(qtbot, shop, runner) -> ManagerWindow:
    win = ManagerWindow(shop.ctx.as_staff(owner_id()), runner)
    qtbot.addWidget(win)
    win.show()
    idle(qtbot, runner)
    return win


def test_the_owner_adds_a_cashier(qtbot, owner_window, runner, shop):
    tab = owner_window.staff_tab
    assert sorted(s.role for s in tab.model.rows) == ["manager", "owner"]
    add(qtbot, runner, tab, "小李", "cashier", "1357", again="1358")
    assert "differ" in tab.form_message.text()
    assert tab.pin_again_edit.text() == ""
    add(qtbot, runner, tab, "小李", "cashier", "12")
    assert "4 to 8 digits" in tab.form_message.text()
    tab.pin_edit.clear()
    qtbot.keyClicks(tab.pin_edit, "12ab")  # the field takes digits only
    assert tab.pin_edit.text() == "12"

    add(qtbot, runner, tab, "小李", "cashier", "1357")
    assert tab.form_message.text() == "小李 was added as Cashier."
    row = m.Staff.get(m.Staff.name == "小李")
    assert row.role == "cashier" and row.active
    assert staff.sign_in(shop.ctx, row.id, "1357").name == "小李"
    qtbot.waitUntil(lambda: "小李" in [s.name for s in tab.model.rows], timeout=WAIT_MS)
    assert tab.name_edit.text() == "" and tab.pin_edit.text() == ""
    entry = m.AuditEntry.select().where(m.AuditEntry.action == "staff_added").order_by(
        m.AuditEntry.seq.desc()).first()
    assert entry.approved_by == owner_id()

    add(qtbot, runner, tab, "小王", "cashier", "1357")  # 小李's PIN
    assert "someone already uses this PIN: choose another" in tab.form_message.text()
    assert m.Staff.get_or_none(m.Staff.name == "小王") is None


def test_a_manager_is_refused(qtbot, window, runner, shop):
    tab = window.staff_tab
    add(qtbot, runner, tab, "小李", "cashier", "1357")
    assert "only an owner adds staff: ask the owner" in tab.form_message.text()
    assert "color: #b00020" in tab.form_message.styleSheet()
    assert m.Staff.get_or_none(m.Staff.name == "小李") is None
    assert tab.name_edit.text() == "小李"  # nothing typed is lost
    assert tab.add_button.isEnabled()


def test_shows_the_lock_out_and_the_owner_clears_it(qtbot, window, owner_window, runner,
                                                    shop):
    for _ in range(staff.FREE_TRIES + 1):
        with pytest.raises(staff.PermissionDenied):
            staff.sign_in(shop.ctx, shop.manager_id, "0000")
    tab = window.staff_tab
    tab.refresh_button.click()
    qtbot.waitUntil(lambda: tab.lock_model.rowCount() == 2, timeout=WAIT_MS)
    idle(qtbot, runner)
    assert tab.lock_model.text(0, 0) == "Manager Wang 王"
    assert tab.lock_model.text(0, 1) == str(staff.FREE_TRIES + 1)
    until = shop.ctx.now() + timedelta(seconds=staff.FIRST_DELAY)
    assert tab.lock_model.text(0, 2) == f"waits until {until:%H:%M:%S}"
    assert tab.lock_model.text(1, 0) == f"Terminal {shop.ctx.terminal_id}"
    assert tab.lock_model.text(1, 2) == "not waiting"
    tab.clear_button.click()
    assert tab.lock_message.text() == "Select the person or terminal first."
    tab.lock_table.selectRow(0)
    tab.clear_button.click()  # a manager may not
    qtbot.waitUntil(lambda: "owner" in tab.lock_message.text(), timeout=WAIT_MS)
    mine = owner_window.staff_tab
    mine.refresh_button.click()
    qtbot.waitUntil(lambda: mine.lock_model.rowCount() == 2, timeout=WAIT_MS)
    mine.lock_table.selectRow(0)
    mine.clear_button.click()
    qtbot.waitUntil(lambda: mine.lock_model.rowCount() == 1, timeout=WAIT_MS)
    assert mine.lock_message.text() == "The wrong PINs are forgotten."
    assert staff.sign_in(shop.ctx, shop.manager_id, "9999").role == "manager"


def test_the_owner_takes_someone_off_the_staff(qtbot, owner_window, runner, shop):
    tab = owner_window.staff_tab
    tab.remove_button.click()
    assert tab.list_message.text() == "Select the person first."
    manager_row = next(i for i, s in enumerate(tab.model.rows) if s.role == "manager")
    name = tab.model.rows[manager_row].name
    tab.table.selectRow(manager_row)
    tab.remove_button.click()
    qtbot.waitUntil(lambda: name not in [s.name for s in tab.model.rows], timeout=WAIT_MS)
    assert not m.Staff.get(m.Staff.name == name).active
    owner_row = next(i for i, s in enumerate(tab.model.rows) if s.role == "owner")
    tab.table.selectRow(owner_row)
    tab.remove_button.click()
    qtbot.waitUntil(lambda: "last owner" in tab.list_message.text(), timeout=WAIT_MS)


def test_the_list_says_who_is_at_the_counter_and_who_opened_this_window(qtbot, shop, runner):
    cashier = staff.create(shop.ctx, "小王", "cashier", "4680", approved_by=owner_id())
    win = ManagerWindow(shop.ctx.as_staff(str(shop.manager_id)), runner,
                        at_counter=str(cashier.id))
    qtbot.addWidget(win)
    win.show()
    idle(qtbot, runner)
    tab = win.staff_tab
    qtbot.waitUntil(lambda: "小王" in [s.name for s in tab.model.rows], timeout=WAIT_MS)
    said = {tab.model.rows[r].name: tab.model.index(r, 2).data()
            for r in range(len(tab.model.rows))}
    manager = m.Staff.get_by_id(shop.manager_id).name
    assert said["小王"] == "at the counter"
    assert said[manager] == "this window"
    assert all(v == "" for k, v in said.items() if k not in ("小王", manager))


def test_the_owner_gives_a_forgetful_manager_a_new_pin(qtbot, owner_window, window, runner,
                                                       shop):
    """The PIN typed twice in its dialog; a PIN someone else has is refused; the manager's
    wrong PINs are forgotten and the old PIN stops working; a manager cannot do it."""
    from pathlib import Path

    from terminal.core.errors import PermissionDenied

    tab = owner_window.staff_tab
    tab.new_pin_button.click()
    assert tab.list_message.text() == "Select the person first."
    row = next(i for i, s in enumerate(tab.model.rows) if s.role == "manager")
    manager = tab.model.rows[row]
    for _ in range(2):
        with pytest.raises(PermissionDenied):
            staff.sign_in(shop.ctx, manager.id, "0000")
    tab.table.selectRow(row)

    def give(pin: str, again: str) -> None:
        tab.new_pin_button.click()
        dialog = tab.pin_dialog
        qtbot.waitUntil(lambda: dialog.isVisible(), timeout=WAIT_MS)
        dialog.pin_edit.setText(pin)
        dialog.pin_again_edit.setText(again)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    give("2468", "2469")
    assert "differ" in tab.pin_dialog.message.text() and tab.pin_dialog.isVisible()
    Path("/tmp/ui-shots").mkdir(exist_ok=True)
    assert tab.pin_dialog.grab().save("/tmp/ui-shots/manager-staff-new-pin-en.png")
    tab.pin_dialog.reject()
    tab.list_message.clear()
    give("8888", "8888")  # the owner's PIN: nobody shares one
    qtbot.waitUntil(lambda: "already uses this PIN" in tab.list_message.text(),
                    timeout=WAIT_MS)
    give("2468", "2468")
    qtbot.waitUntil(lambda: "new PIN" in tab.list_message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    assert staff.sign_in(shop.ctx, manager.id, "2468").name == manager.name
    with pytest.raises(PermissionDenied):
        staff.sign_in(shop.ctx, manager.id, "9999")
    entry = m.AuditEntry.select().where(m.AuditEntry.action == "pin_reset").order_by(
        m.AuditEntry.seq.desc()).first()
    assert entry.approved_by == owner_id()
    # a manager's window: the same button, refused by the service
    mine = window.staff_tab
    idle(qtbot, runner)
    mine.table.selectRow(0)
    mine.new_pin_button.click()
    dialog = mine.pin_dialog
    dialog.pin_edit.setText("3579")
    dialog.pin_again_edit.setText("3579")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: "only an owner" in mine.list_message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
