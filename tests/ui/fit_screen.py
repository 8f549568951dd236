"""Run alone (python tests/ui/fit_screen.py DB PNG) on an offscreen screen of any size: open
the counter and the manager's window, print their sizes and the screen's, save a PNG."""

from __future__ import annotations

import dataclasses
import json
import sys

from PySide6.QtWidgets import QApplication

from terminal.core.config import BackupSettings, Settings
from terminal.ui.counter.window import CounterWindow
from terminal.ui.fonts import pick_font
from terminal.ui.manager.window import ManagerWindow

app = QApplication(sys.argv[:1])
app.setFont(pick_font())
settings = dataclasses.replace(Settings(), backup=BackupSettings(auto=False))
counter = CounterWindow(settings, sys.argv[1])
counter.show()
while not counter.ready:
    app.processEvents()
manager = ManagerWindow(counter.ctx, counter.tasks)
manager.show()
app.processEvents()
screen = app.primaryScreen().availableGeometry()
print(json.dumps({
    "screen": [screen.width(), screen.height()],
    "counter": [counter.frameGeometry().width(), counter.frameGeometry().height()],
    "counter_needs": [counter.minimumSizeHint().width(), counter.minimumSizeHint().height()],
    "manager": [manager.frameGeometry().width(), manager.frameGeometry().height()],
    "manager_needs": [manager.minimumSizeHint().width(), manager.minimumSizeHint().height()],
}))
counter.grab().save(sys.argv[2])
for i in range(manager.tabs.count()):  # each tab's own needs, one by one
    manager.tabs.setCurrentIndex(i)
    app.processEvents()
    need = manager.tabs.currentWidget().minimumSizeHint()
    print(json.dumps({"tab": i, "needs": [need.width(), need.height()]}))
    manager.grab().save(sys.argv[2].replace(".png", f"-manager{i}.png"))
manager.close()
counter.close()
