"""The set-up run again from the manager's Staff tab: no owner's page, the store details
written; only an owner may change them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from terminal.core import settings_file
from terminal.core.config import config_path
from terminal.db import models as m
from terminal.ui.manager import ManagerWindow
from terminal.ui.setup.assistant import PRINTER, SetupAssistant
from tests.ui.manager.conftest import WAIT_MS, idle, runner, shop  # noqa: F401


def owner_id() -> str:
    return str(m.Staff.get((m.Staff.role == "owner") & m.Staff.active).id)


def go_through(qtbot, manager: ManagerWindow) -> SetupAssistant:
    tab = manager.staff_tab
    qtbot.mouseClick(tab.setup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(tab, "assistant", None) is not None
                    and tab.assistant.isVisible(), timeout=WAIT_MS)
    wizard = tab.assistant
    wizard.store_page.name.setText("Corner Shop")
    wizard.next()
    assert wizard.currentId() == PRINTER  # the shop has its owner: no owner's page
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.camera_page.form.looking.text().endswith("…"),
                    timeout=WAIT_MS)
    wizard.next()
    assert not wizard.data_page.demo.isEnabled()  # the shop has members
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton),
                     Qt.MouseButton.LeftButton)
    return wizard


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_set_up_again_from_the_staff_tab(qtbot, shop, runner, who) -> None:  # noqa: F811
    ctx = shop.ctx.as_staff(owner_id()) if who == "owner" else shop.ctx
    manager = ManagerWindow(ctx, runner)
    qtbot.addWidget(manager)
    manager.show()
    idle(qtbot, runner)
    wizard = go_through(qtbot, manager)
    if who == "owner":
        qtbot.waitUntil(lambda: "Set-up saved" in manager.staff_tab.list_message.text(),
                        timeout=WAIT_MS)
        assert settings_file.load(config_path()).store.name == "Corner Shop"
    else:
        qtbot.waitUntil(lambda: "only an owner" in wizard.data_page.error.text(),
                        timeout=WAIT_MS)
        assert not config_path().exists()
        wizard.reject()
    idle(qtbot, runner)
