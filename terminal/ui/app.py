"""The application: Qt's log, the font, the translation, the collector guard, the counter."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ..core.config import STARTUP_LAUNCHED_ENV, STARTUP_PROBE_ENV, Settings
from ..services.setup import DemoFill
from .counter.window import CounterWindow
from .fonts import pick_font
from .language import install_translation
from .qt.gc_guard import MainThreadGC
from .qt.qt_log import install as install_qt_log

__all__ = ["CounterWindow", "pick_font", "refuse_to_start", "run_gui"]


def run_gui(settings: Settings, url: str, warning: str | None = None,
            demo: DemoFill | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    install_qt_log()
    app.setFont(pick_font())
    _, missing = install_translation(app, settings.store.language)
    collector = MainThreadGC(app)  # Qt objects must never be collected by a worker thread
    window = CounterWindow(settings, url, "; ".join(w for w in (warning, missing) if w) or None,
                           demo=demo)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    probe = os.environ.get(STARTUP_PROBE_ENV)
    if probe:  # bench --startup: times this start and the manager's window, then quits
        from .startup_probe import StartupProbe

        StartupProbe(window, probe, float(os.environ.get(STARTUP_LAUNCHED_ENV, "0")))
    window.show()
    try:
        return app.exec()
    finally:
        collector.stop()


def refuse_to_start(text: str) -> None:
    """Show why the counter does not start (bad settings) in a window as well: it is
    usually started from a desktop icon, where nobody reads the terminal's output."""
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal") or (
            sys.platform.startswith("linux")
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
        return  # no screen: the message on stderr is all there is
    from PySide6.QtWidgets import QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    QMessageBox.critical(None, "Member Terminal", text)  # the product's name, untranslated
