"""This terminal's devices and ids in its settings file (printer, camera, customer display, the
member's page's addresses, store and terminal id): read with the values the program could
not use, checked field by field, saved by a manager (audited), with what takes effect only
after the counter restarts."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from ..core import settings_file
from ..core.config import IDENTIFIER, Settings, SettingsError
from ..core.errors import Conflict, DomainError, InvalidInput
from ..core.i18n import Term
from ..db import models as m
from ..db.database import write_transaction
from . import audit, setup, staff
from .context import Context

BACKENDS = ("zxing", "pyzbar")
# each field of the screen: its section and key in the settings file
KEYS = {"connection": ("printer", "connection"), "paper_mm": ("printer", "paper_mm"),
        "encoding": ("printer", "encoding"), "columns": ("printer", "columns"),
        "cash_drawer": ("printer", "cash_drawer"),
        "reports_status": ("printer", "reports_status"),
        "camera_source": ("camera", "source"), "camera_backend": ("camera", "backend"),
        "display_enabled": ("display", "enabled"), "display_screen": ("display", "screen"),
        "display_full_screen": ("display", "full_screen"),
        "local_url": ("web", "local_url"), "public_url": ("web", "public_url"),
        "store_id": ("store", "store_id"), "terminal_id": ("store", "terminal_id")}
# what takes effect at the counter's next start, by the fields that changed
PARTS = (("printer", ("connection", "paper_mm", "encoding", "columns", "cash_drawer",
                      "reports_status")),
         ("camera", ("camera_source", "camera_backend")),
         ("display", ("display_enabled", "display_screen", "display_full_screen")),
         ("web", ("local_url", "public_url")),
         ("ids", ("store_id", "terminal_id")))


@dataclass(frozen=True)
class Devices:
    """What the screen edits, as the settings file writes it."""

    connection: str = "dummy"  # dummy, file:PATH, network:HOST:PORT, usb:VID:PID, ...
    paper_mm: int = 80
    encoding: str = "GB18030"
    columns: int = 0  # 0: from the paper width
    cash_drawer: bool = True
    reports_status: bool = True
    camera_source: str = "0"
    camera_backend: str = "zxing"
    display_enabled: bool = False  # a second window facing the customer
    display_screen: str = ""  # empty: the second screen, if there is one
    display_full_screen: bool = True
    local_url: str = ""  # the member's page on the shop's network (the display's join code)
    public_url: str = ""  # the same published behind TLS (links that leave the shop)
    store_id: str = "S001"
    terminal_id: str = "T01"

    @classmethod
    def of(cls, settings: Settings) -> Devices:
        sections = {"printer": settings.printer, "camera": settings.camera,
                    "display": settings.display, "web": settings.web, "store": settings.store}
        return cls(**{name: getattr(sections[section], key)
                      for name, (section, key) in KEYS.items()})

    def sections(self) -> dict[str, dict[str, object]]:
        out: dict[str, dict[str, object]] = {}
        for name, (section, key) in KEYS.items():
            out.setdefault(section, {})[key] = getattr(self, name)
        return out


@dataclass(frozen=True)
class DeviceView:
    path: Path  # the settings file (it may not exist yet)
    devices: Devices  # what the program uses now (a default where the file's value was bad)
    notes: dict[str, str]  # field -> what was wrong with the file's value, and the fallback
    other_notes: tuple[str, ...]  # the device sections' problems that name no field
    settings: Settings  # all of the file's settings (the printer's profile, the camera's size)


@dataclass(frozen=True)
class Saved:
    settings: Settings
    changed: tuple[str, ...]  # a part of PARTS each: it takes effect at the next start


def read(ctx: Context, path: str | os.PathLike[str] | None = None) -> DeviceView:
    """The settings file as it is now (another process may have changed it since the
    program started)."""
    target = Path(path) if path else setup.settings_path(ctx.settings)
    if target.exists():
        try:
            settings = settings_file.load(target)
        except SettingsError as exc:
            raise Conflict("the settings file {path} cannot be read: {problem}",
                           path=str(target), problem=str(exc.problems[0])) from None
    else:
        settings = ctx.settings
    notes: dict[str, str] = {}
    others = []
    for problem in settings.warnings:
        text = f"{problem.message}; {problem.fallback}" if problem.fallback else problem.message
        field = next((name for name, (section, key) in KEYS.items()
                      if problem.where == f"[{section}] {key}"), None)
        if field is None:
            others.append(f"{problem.where}: {text}")
        else:
            notes[field] = text
    return DeviceView(target, Devices.of(settings), notes, tuple(others), settings)


def problems(devices: Devices) -> dict[str, DomainError]:
    """Each field the settings reader would refuse, with the reason (nothing is read or
    written: the screen calls it as the manager types)."""
    found: dict[str, DomainError] = {}
    connection = devices.connection.strip()
    if not connection or len(connection) > 200:
        found["connection"] = InvalidInput(
            "name the printer's connection, such as network:192.168.1.50:9100")
    if devices.paper_mm not in setup.PAPER_WIDTHS:
        found["paper_mm"] = InvalidInput("the paper is 80 or 58 mm wide")
    if not devices.encoding.strip() or len(devices.encoding.strip()) > 32:
        found["encoding"] = InvalidInput("name the printer's encoding, such as GB18030")
    if devices.columns != 0 and not 16 <= devices.columns <= 96:
        found["columns"] = InvalidInput(
            "a line holds 16 to 96 characters, or 0 for as many as the paper width gives")
    source = devices.camera_source.strip()
    if not source or len(source) > 1000:
        found["camera_source"] = InvalidInput(
            "name the camera: a number such as 0, a device, a video file or a folder of images")
    if devices.camera_backend not in BACKENDS:
        found["camera_backend"] = InvalidInput("the codes are read by zxing or pyzbar")
    if len(devices.display_screen.strip()) > 100:
        found["display_screen"] = InvalidInput(
            "name the screen by its number (1, 2) or its name, such as HDMI-1")
    for name in ("local_url", "public_url"):
        if settings_file.CHECKS["web"][name](getattr(devices, name).strip()) is not None:
            found[name] = InvalidInput(
                "an address such as http://192.168.1.20:8080 or https://members.example.com, "
                "with no ? or # part")
    for name, what in (("store_id", Term("store id", "identifier")),
                       ("terminal_id", Term("terminal id", "identifier"))):
        if not IDENTIFIER.fullmatch(getattr(devices, name)):
            found[name] = InvalidInput(
                "a {what} is 1 to 32 letters, digits or dashes, with no spaces: it is "
                "written with every sale", what=what)
    return found


def cleaned(devices: Devices) -> Devices:
    """The texts without the spaces around them."""
    changes: dict[str, Any] = {f.name: getattr(devices, f.name).strip()
                               for f in fields(Devices) if f.type == "str"}
    return replace(devices, **changes)


def next_receipt(terminal_id: str) -> str:
    """The receipt number the next sale under ``terminal_id`` gets (its counter row, else
    after its last sale)."""
    counter = m.TerminalCounter.get_or_none(m.TerminalCounter.terminal_id == terminal_id)
    if counter is not None:
        last = int(counter.last_seq)
    else:
        top = (m.Txn.select(m.Txn.seq).where(m.Txn.terminal_id == terminal_id)
               .order_by(m.Txn.seq.desc()).first())
        last = int(top.seq) if top is not None else 0
    return m.Txn(terminal_id=terminal_id, seq=last + 1).receipt_no


def save(ctx: Context, devices: Devices, *, new_terminal_confirmed: bool = False,
         path: str | os.PathLike[str] | None = None) -> Saved:
    """Write the screen's values into the settings file (a manager's action, audited). A
    new terminal id is written only when confirmed: the receipts are numbered under it."""
    staff.require_approver(ctx.staff_id, Term("changing this terminal's devices", "approval"))
    devices = cleaned(devices)
    if found := problems(devices):
        raise next(iter(found.values()))
    view = read(ctx, path)
    before = view.devices
    if devices.terminal_id != before.terminal_id and not new_terminal_confirmed:
        raise Conflict("the terminal id changes from {old} to {new}, and the receipts are "
                       "numbered under the new id from {receipt} on: confirm the change",
                       old=before.terminal_id, new=devices.terminal_id,
                       receipt=next_receipt(devices.terminal_id))
    settings = setup.write_settings(view.path, devices.sections())
    with write_transaction():
        audit.record(ctx, "devices_set", str(view.path)[-100:], before=asdict(before),
                     after=asdict(devices))
    changed = []
    for part, names in PARTS:
        if any(getattr(before, n) != getattr(devices, n) for n in names) \
                or any(n in view.notes for n in names):
            changed.append(part)
    return Saved(settings, tuple(changed))
