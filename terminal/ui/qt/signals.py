"""Emit Qt signals without PySide6's reference leak on True: every emit goes through here."""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

# Workaround: SignalInstance.emit returns True without taking a reference to it, so each emit
# drops one reference that True never had. On Python 3.11, where True is not yet immortal, a
# counter that has emitted a few thousand signals (three per database task) dies with
# "Fatal Python error: bool_dealloc".
# Upstream: no report was found. Searched the PySide bug tracker (bugreports.qt.io, PYSIDE)
# and GitHub issues for a reference leaked on True / bool by SignalInstance.emit and for
# "bool_dealloc" with PySide6; what turned up are other PySide6 reference bugs (e.g. the
# dropped reference in DynamicSlot::create, https://github.com/Nuitka/Nuitka/issues/4019;
# PySide6 6.5.0's leak of slots connected as lambdas,
# https://github.com/pyqtgraph/pyqtgraph/issues/2672), not this one. CPython 3.12+ makes
# True immortal (PEP 683, https://peps.python.org/pep-0683/), which hides the leak there;
# bool_dealloc itself is CPython's detector of such bugs (bpo-45061,
# https://bugs.python.org/issue45061).
# Affects: measured with PySide6 6.12.0 (Qt 6.12.0) on CPython 3.11.7, the versions this
# project pins and tests; other versions are not known either way.
# Version check: the leak itself is measured once, at import, rather than a version number
# compared: where it is fixed (a later PySide6, or Python 3.12+) nothing is compensated.


class _Probe(QObject):
    ping = Signal()


def _measure(rounds: int = 8) -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(rounds):
        probe.ping.emit()
    leaked = before - sys.getrefcount(True)
    # give back what the probe itself took, so the measurement leaves no trace
    for _ in range(max(0, leaked)):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return leaked == rounds


EMIT_LEAKS_TRUE = _measure()


def emit(signal: SignalInstance, *args: Any) -> None:
    """``signal.emit(*args)``, balancing the reference PySide6 drops, where it drops one."""
    result = signal.emit(*args)  # type: ignore[func-returns-value]  # the stubs say None
    if EMIT_LEAKS_TRUE and result is True:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
