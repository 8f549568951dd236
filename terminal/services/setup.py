"""A shop's first start: what is set up already, and each step of setting it up (store
details and devices into the terminal's settings file, the owner's account, the printer's
test answered, demo data or an empty shop), each audited."""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..core import money, settings_writer
from ..core.config import LANGUAGES, Settings, SettingsError, config_path
from ..core.errors import Conflict, InvalidInput, PermissionDenied
from ..core.i18n import Term
from ..db import models as m
from ..db.database import write_transaction
from . import audit, staff
from .context import Context

PAPER_WIDTHS = (80, 58)
DEMO_MEMBERS = 300  # the set-up's demo store: big enough to show every screen, made in seconds
DEMO_DAYS = 120


@dataclass(frozen=True)
class StoreDetails:
    name: str
    address: str = ""
    phone: str = ""
    currency: str = "CNY"
    language: str = "en"


@dataclass(frozen=True)
class PrinterChoice:
    connection: str  # as in the settings: dummy, file:PATH, network:HOST:PORT, usb:VID:PID
    paper_mm: int = 80
    encoding: str = "GB18030"


@dataclass(frozen=True)
class SetupState:
    """What is set up already; ``needed`` is true on a database nobody can sign in to."""

    staff: int  # active accounts
    owners: tuple[str, ...]
    store_named: bool  # the settings file names the store
    printer: str  # the connection in use ("dummy" when none is set up)
    printer_checked: bool  # someone said a test page came out on this connection
    camera: str  # the camera source in the settings file, "" when none is named
    members: int
    transactions: int

    @property
    def needed(self) -> bool:
        return self.staff == 0

    @property
    def demo_allowed(self) -> bool:
        return self.members == 0 and self.transactions == 0


def _file_data(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig")) if path.exists() else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}  # the program could not have started with it; nothing here is "set up"


def settings_path(settings: Settings) -> Path:
    """The file these settings came from, else where a new one is written."""
    return settings.source or config_path()


def state(ctx: Context, path: str | os.PathLike[str] | None = None) -> SetupState:
    data = _file_data(Path(path) if path else settings_path(ctx.settings))
    section = data.get("store", {})
    people = staff.active()
    connection = ctx.settings.printer.connection
    checked = (m.AuditEntry.select().where(m.AuditEntry.action == "printer_checked")
               .order_by(m.AuditEntry.seq.desc()).first())
    after = json.loads(checked.after) if checked is not None and checked.after else None
    camera = data.get("camera", {})
    return SetupState(
        staff=len(people), owners=tuple(p.name for p in people if p.role == "owner"),
        store_named=isinstance(section, dict) and bool(section.get("name")),
        printer=connection,
        printer_checked=isinstance(after, dict) and after.get("connection") == connection
        and after.get("printed") is True,
        camera=str(camera.get("source", "")) if isinstance(camera, dict) else "",
        members=m.Member.select().count(), transactions=m.Txn.select().count())


def write_settings(path: Path, changes: dict[str, dict[str, Any]]) -> Settings:
    """Set ``changes`` ({section: {key: value}}) in the settings file, all or nothing."""
    try:
        return settings_writer.update(path, changes)
    except SettingsError as exc:
        raise Conflict("the settings file {path} cannot be changed: {problem}", path=str(path),
                       problem=str(exc.problems[0])) from None
    except OSError as exc:
        raise Conflict("the settings file {path} cannot be written: {reason}", path=str(path),
                       reason=exc.strerror or str(exc)) from None


def check_store(details: StoreDetails) -> StoreDetails:
    name = details.name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("the store needs a name of 1 to 200 characters")
    if len(details.address.strip()) > 200:
        raise InvalidInput("an address is at most 200 characters")
    if len(details.phone.strip()) > 40:
        raise InvalidInput("a phone number is at most 40 characters")
    currency = details.currency.strip().upper()
    try:
        money.minor_digits(currency)
    except money.MoneyError:
        raise InvalidInput("{currency} is not a currency the program knows (such as CNY)",
                           currency=details.currency) from None
    if details.language not in LANGUAGES:
        raise InvalidInput("the language is one of {languages}", languages=", ".join(LANGUAGES))
    return StoreDetails(name, details.address.strip(), details.phone.strip(), currency,
                        details.language)


def save_store(ctx: Context, details: StoreDetails,
               path: str | os.PathLike[str] | None = None) -> Settings:
    """Write the [store] name, address, phone, currency and language; the new settings."""
    details = check_store(details)
    target = Path(path) if path else settings_path(ctx.settings)
    old = ctx.settings.store
    before = {k: getattr(old, k) for k in asdict(details)}
    settings = write_settings(target, {"store": asdict(details)})
    with write_transaction():
        audit.record(ctx, "store_details_set", str(target)[-100:], before=before,
                     after=asdict(details))
    return settings


def check_printer(choice: PrinterChoice) -> PrinterChoice:
    connection = choice.connection.strip()
    if not connection or len(connection) > 200:
        raise InvalidInput("name the printer's connection, such as network:192.168.1.50:9100")
    if choice.paper_mm not in PAPER_WIDTHS:
        raise InvalidInput("the paper is 80 or 58 mm wide")
    encoding = choice.encoding.strip()
    if not encoding or len(encoding) > 32:
        raise InvalidInput("name the printer's encoding, such as GB18030")
    return PrinterChoice(connection, choice.paper_mm, encoding)


def save_printer(ctx: Context, choice: PrinterChoice,
                 path: str | os.PathLike[str] | None = None) -> Settings:
    """Write the [printer] connection, paper width and encoding (the caller has parsed the
    connection with printers.connection)."""
    choice = check_printer(choice)
    target = Path(path) if path else settings_path(ctx.settings)
    old = ctx.settings.printer
    settings = write_settings(target, {"printer": asdict(choice)})
    with write_transaction():
        audit.record(ctx, "printer_set", str(target)[-100:],
                     before={"connection": old.connection, "paper_mm": old.paper_mm,
                             "encoding": old.encoding},
                     after=asdict(choice))
    return settings


def record_printer_check(ctx: Context, connection: str, printed: bool | None,
                         outcome: str = "") -> None:
    """What the cashier answered to "did it print?" (None: nobody was asked, a scripted
    install), and what the printer itself said."""
    with write_transaction():
        audit.record(ctx, "printer_checked", connection[-100:],
                     after={"connection": connection, "printed": printed, "outcome": outcome})


def save_camera(ctx: Context, source: str,
                path: str | os.PathLike[str] | None = None) -> Settings:
    """Write the [camera] source: an index, a /dev path, a video file or an image folder;
    "none" for a shop without a camera."""
    source = source.strip()
    if not source or len(source) > 1000:
        raise InvalidInput("name the camera: a number such as 0, a device, a video file "
                           "or a folder of images")
    target = Path(path) if path else settings_path(ctx.settings)
    before = ctx.settings.camera.source
    settings = write_settings(target, {"camera": {"source": source}})
    with write_transaction():
        audit.record(ctx, "camera_set", str(target)[-100:], before={"source": before},
                     after={"source": source})
    return settings


def create_owner(ctx: Context, name: str, pin: str, pin_again: str | None = None
                 ) -> staff.StaffView:
    """The first account: the owner, with no approver, and only while the database has no
    active staff at all (staff.create checks it again inside its transaction)."""
    if pin_again is not None and pin != pin_again:
        raise InvalidInput("the two PINs differ: type the same PIN twice")
    check_no_staff()
    return staff.create(ctx, name, "owner", pin, approved_by=None)


def check_no_staff() -> None:
    """Refuse a set-up owner once anyone is on the staff: an owner adds people then."""
    present = staff.active()
    if present:
        raise Conflict("the shop has {count} staff accounts already, so set-up adds no owner: "
                       "an owner adds staff with 'member-terminal staff add' or in the "
                       "manager's Staff tab", count=len(present))


def check_demo(ctx: Context) -> None:
    """Refuse demo data on a database that has members or sales: the demo fills an empty
    shop and would mix invented people with real ones."""
    members, txns = m.Member.select().count(), m.Txn.select().count()
    if members or txns:
        raise Conflict("the database already has {members} members and {txns} transactions: "
                       "demo data goes only into an empty shop", members=members, txns=txns)


def record_demo(ctx: Context, counts: dict[str, int]) -> None:
    with write_transaction():
        audit.record(ctx, "demo_loaded", "", after=counts)


def record_empty(ctx: Context) -> None:
    with write_transaction():
        audit.record(ctx, "setup_finished", "", after={"demo": False})


@dataclass(frozen=True)
class Plan:
    """Every answer of the set-up assistant, applied at its end (``apply``)."""

    store: StoreDetails
    owner_name: str = ""  # "" when the shop has staff already (set-up run again)
    owner_pin: str = ""
    printer: PrinterChoice | None = None
    camera: str | None = None
    demo: bool = False


@dataclass(frozen=True)
class Done:
    settings: Settings
    owner: staff.StaffView | None
    demo: dict[str, int] | None = None


DemoFill = Callable[[Context], dict[str, int]]  # fills an empty shop; what it made


def apply(ctx: Context, plan: Plan, path: str | os.PathLike[str] | None = None,
          demo: DemoFill | None = None) -> Done:
    """Store details, the owner, printer, camera, then demo data or an empty shop; the
    refusals (a second owner, demo data into a shop with members) come before anything is
    written. ``ctx.settings`` follows each step."""
    check_store(plan.store)
    if staff.active():  # run again: the owner changes what the first start set
        who = staff.require_approver(ctx.staff_id, Term("changing the set-up", "approval"))
        if who.role != "owner":
            raise PermissionDenied("only an owner changes the set-up")
    if plan.printer is not None:
        check_printer(plan.printer)
    if plan.owner_name:
        staff.check_pin(plan.owner_pin)
        check_no_staff()
    if plan.demo:
        check_demo(ctx)
        if demo is None:
            raise Conflict("demo data cannot be made here: run 'member-terminal setup --demo'")
    ctx.settings = save_store(ctx, plan.store, path)
    owner = None
    if plan.owner_name:
        owner = create_owner(ctx, plan.owner_name, plan.owner_pin)
        ctx.staff_id = str(owner.id)
    if plan.printer is not None:
        ctx.settings = save_printer(ctx, plan.printer, path)
    if plan.camera is not None:
        ctx.settings = save_camera(ctx, plan.camera, path)
    made = None
    if plan.demo and demo is not None:
        made = demo(ctx)
        record_demo(ctx, made)
    else:
        record_empty(ctx)
    return Done(ctx.settings, owner, made)
