"""``bench --startup`` (issue 14): the real counter, started by ``main.py gui`` in its own
process, times itself. From the launch (the time the bench wrote before starting the
process) to the counter ready for a scan: the database open, the member-code key read
(the scanner can check codes) and the sign-in list shown. Then the manager's PIN as a
manager types it (the demo's manager unless the bench names another; ``TYPING_S`` after
the dialog is ready, as fast as a person types it) and, from the moment it is confirmed,
the manager's window shown with its first tab's figures (the Members tab's kept overview;
its lists of expiring points and birthdays and the other tabs are read after it). The
figures go to the file named as JSON and the process quits. The daily backup is not made
in these runs (a copy of a 7 GB file each time would be timed)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from .counter.dialogs.manager_pin import ManagerPinDialog
from .counter.dialogs.sign_in import SignInDialog
from .counter.window import CounterWindow

WHO_ENV = "MEMBER_TERMINAL_STARTUP_WHO"  # the manager's name (a part of it) and PIN
PIN_ENV = "MEMBER_TERMINAL_STARTUP_PIN"
TIMEOUT_S = 120.0
# a person takes at least this long to pick their name and type four digits; the counter
# loads the manager's screens meanwhile (SessionFlow.prepare_manager)
TYPING_S = 1.0


class StartupProbe(QObject):
    def __init__(self, window: CounterWindow, path: str, launched: float) -> None:
        super().__init__(window)
        window.probed = True
        self.window, self.path, self.launched = window, Path(path), launched
        self.who = os.environ.get(WHO_ENV, "Manager Wang")
        self.pin = os.environ.get(PIN_ENV, "9999")
        self.stage = "counter"
        self.figures: dict[str, Any] = {}
        self.pin_confirmed = 0.0
        self.pin_shown = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(2)
        self.timer.timeout.connect(self.step)
        self.timer.start()

    def step(self) -> None:
        w = self.window
        if time.time() - self.launched > TIMEOUT_S:
            self.finish(f"still waiting for the {self.stage} after {TIMEOUT_S:.0f} s"
                        f" ({w.message.text()})")
        elif self.stage == "counter":
            dialog = w.dialog
            if w.ready and w.camera.verifying and isinstance(dialog, SignInDialog) \
                    and dialog.who.isEnabled():
                self.figures["counter_ready_ms"] = (time.time() - self.launched) * 1000
                self.stage = "manager's PIN dialog"
                w.session.on_manager_clicked()
        elif self.stage == "manager's PIN dialog":
            dialog = w.dialog
            if not isinstance(dialog, ManagerPinDialog) or not dialog.who.isEnabled():
                return
            if not self.pin_shown:
                self.pin_shown = time.perf_counter()
            if time.perf_counter() - self.pin_shown >= TYPING_S:
                index = next((i for i in range(dialog.who.count())
                              if self.who in dialog.who.itemText(i)), -1)
                if index < 0:
                    self.finish(f"no manager named {self.who!r} here")
                    return
                dialog.who.setCurrentIndex(index)
                dialog.pin_edit.setText(self.pin)
                self.stage = "manager's window"
                self.pin_confirmed = time.perf_counter()
                dialog.confirm_button.click()
        elif self.stage == "manager's window":
            manager = w.session.manager_window
            if manager is not None and manager.isVisible() \
                    and manager.members_tab.kept_answered:
                self.figures["manager_window_ms"] = (time.perf_counter()
                                                     - self.pin_confirmed) * 1000
                self.finish(None)

    def finish(self, error: str | None) -> None:
        self.timer.stop()
        if error:
            self.figures["error"] = error
        self.path.write_text(json.dumps(self.figures), encoding="utf-8")
        app = QApplication.instance()
        if app is not None:
            app.exit(0 if error is None else 1)
