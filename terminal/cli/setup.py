"""The ``setup`` command: a shop's first start on the command line (store, owner, printer,
camera, empty shop or demo data), asked step by step or given as options for a scripted
install."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.config import LANGUAGES
from .common import Invocation, fail, with_context

if TYPE_CHECKING:
    from ..services.context import Context


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "setup", parents=parents,
        help="set up a new shop: store details, the owner, printer, camera, demo data",
        description="Asks for each step; the options answer them for a scripted install "
                    "(with --yes, anything not given keeps its current value). Exit status: "
                    "0 done, 1 refused or a device failed its test, 2 bad options.")
    p.add_argument("--store-name", metavar="NAME")
    p.add_argument("--address")
    p.add_argument("--phone")
    p.add_argument("--currency", metavar="CODE", help="such as CNY")
    p.add_argument("--language", choices=LANGUAGES)
    p.add_argument("--owner", metavar="NAME", help="the owner's name (only on a database "
                                                   "without staff)")
    p.add_argument("--owner-pin-file", metavar="FILE",
                   help="read the owner's PIN from this file (else from standard input when "
                        "it is not a terminal, else asked twice)")
    p.add_argument("--printer", metavar="CONNECTION",
                   help="dummy, file:PATH, network:HOST[:PORT], usb:VID:PID, serial:DEVICE")
    p.add_argument("--paper-mm", type=int, choices=(80, 58))
    p.add_argument("--encoding", help="the printer's encoding, such as GB18030")
    p.add_argument("--camera", metavar="SOURCE",
                   help="a camera number, a /dev path, a video file, a folder of images, "
                        "or 'none'")
    data = p.add_mutually_exclusive_group()
    data.add_argument("--demo", action="store_true", help="fill the empty shop with demo data")
    data.add_argument("--empty", action="store_true", help="start with an empty shop")
    p.add_argument("--yes", action="store_true",
                   help="ask nothing: take the options, keep the rest")


class _Stop(Exception):
    """End the command with ``code`` (its message is already printed)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def run(inv: Invocation) -> int:
    return with_context(inv, lambda ctx: Setup(ctx, inv.args).run(), create=True)


class Setup:
    """One run of ``setup``; ``ask`` and ``ask_pin`` are the prompts (tests replace them)."""

    def __init__(self, ctx: Context, args: argparse.Namespace,
                 ask: Callable[[str], str] | None = None,
                 ask_pin: Callable[[str], str] | None = None) -> None:
        self.ctx = ctx
        self.args = args
        self._ask = ask or (lambda prompt: input(prompt))  # looked up at each call
        self._ask_pin = ask_pin or (lambda prompt: getpass.getpass(prompt))
        self.failed = False
        self._pin_text = ""

    def value(self, given: str | None, question: str, current: str) -> str:
        if given is not None:
            return given
        if self.args.yes:
            return current
        try:
            answer = self._ask(f"{question} [{current}]: " if current else f"{question}: ")
        except EOFError:
            return current
        return answer.strip() or current

    def yes_no(self, question: str, default: bool) -> bool:
        if self.args.yes:
            return default
        try:
            answer = self._ask(f"{question} [{'Y/n' if default else 'y/N'}]: ").strip().lower()
        except EOFError:
            return default
        return default if not answer else answer in ("y", "yes", "是")

    def run(self) -> int:
        from ..core.errors import DomainError
        from ..services import setup

        a = self.args
        st = setup.state(self.ctx)
        if st.staff and a.owner:
            return fail(f"this shop has {st.staff} staff accounts already (owner: "
                        f"{', '.join(st.owners) or 'none active'}), so setup adds no owner: "
                        "add people with 'member-terminal staff add', approved by an owner; "
                        "run setup without --owner to change the store or its devices")
        if a.demo and not st.demo_allowed:
            return fail(f"the database already has {st.members:,} members and "
                        f"{st.transactions:,} transactions: demo data goes only into an "
                        "empty shop (run setup with --empty, or use a new database)")
        try:
            self.check_options()
            self.store()
            if not st.staff:
                self.owner()
            else:
                print(f"owner: already set up ({', '.join(st.owners) or 'no owner active'})")
            self.printer()
            self.camera()
            self.shop_data(st.demo_allowed)
        except DomainError as exc:
            return fail(exc)
        except _Stop as stop:
            return stop.code
        print("setup: done" + ("; the printer needs another look (see above)"
                               if self.failed else ""))
        return 1 if self.failed else 0

    def check_options(self) -> None:
        """The options that can be wrong, before anything is written."""
        from printers.connection import parse_connection
        from printers.errors import PrinterError

        if self.args.printer is not None:
            try:
                parse_connection(self.args.printer)
            except PrinterError as exc:
                raise _Stop(fail(exc.message, 2)) from None
        if self.args.owner_pin_file:
            self._pin_text = self._read_pin_file()

    def _read_pin_file(self) -> str:
        name = self.args.owner_pin_file
        try:
            return Path(name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise _Stop(fail(f"--owner-pin-file: cannot read {name}: {exc.strerror or exc}",
                             2)) from None

    def store(self) -> None:
        from ..services import setup

        cur = self.ctx.settings.store
        a = self.args
        details = setup.StoreDetails(
            name=self.value(a.store_name, "store name", cur.name),
            address=self.value(a.address, "address", cur.address),
            phone=self.value(a.phone, "phone", cur.phone),
            currency=self.value(a.currency, "currency", cur.currency),
            language=self.value(a.language, f"language ({', '.join(LANGUAGES)})",
                                cur.language))
        self.ctx.settings = setup.save_store(self.ctx, details)
        print(f"store: {details.name} written to {setup.settings_path(self.ctx.settings)}")

    def _pin(self) -> tuple[str, str | None]:
        a = self.args
        if a.owner_pin_file:
            return self._pin_text or self._read_pin_file(), None
        if not sys.stdin.isatty():
            return sys.stdin.readline().strip(), None
        return (self._ask_pin("the owner's PIN (4-8 digits): "),
                self._ask_pin("the same PIN again: "))

    def owner(self) -> None:
        from ..services import setup

        name = self.value(self.args.owner, "the owner's name", "")
        if not name.strip():
            raise _Stop(fail("setup needs the owner's name (--owner NAME): nobody could "
                             "sign in without an owner", 2))
        pin, again = self._pin()
        person = setup.create_owner(self.ctx, name, pin, again)
        self.ctx.staff_id = str(person.id)  # what follows is done as the owner
        print(f"owner: {person.name} added")

    def printer(self) -> None:
        from printers.connection import parse_connection
        from printers.errors import PrinterError

        from ..services import setup

        a = self.args
        cur = self.ctx.settings.printer
        if a.yes and a.printer is None and a.paper_mm is None and a.encoding is None:
            return
        connection = self.value(a.printer, "printer (dummy, file:PATH, network:HOST:PORT, "
                                           "usb:VID:PID)", cur.connection)
        paper = self.value(None if a.paper_mm is None else str(a.paper_mm),
                           "paper width in mm (80 or 58)", str(cur.paper_mm))
        encoding = self.value(a.encoding, "printer encoding", cur.encoding)
        try:
            conn = parse_connection(connection)
        except PrinterError as exc:
            raise _Stop(fail(exc.message, 2)) from None
        if not paper.isdigit():
            raise _Stop(fail(f"paper width: {paper!r} is not 80 or 58", 2))
        self.ctx.settings = setup.save_printer(
            self.ctx, setup.PrinterChoice(connection, int(paper), encoding))
        print(f"printer: {conn.describe()}, {paper} mm, {encoding}")
        if conn.kind != "dummy" and self.yes_no("print a test page?", True):
            self.test_page(connection)

    def test_page(self, connection: str) -> None:
        from printers.errors import PrinterError
        from printers.test_page import print_test_page

        from ..services import setup

        try:
            delivery = print_test_page(self.ctx.settings, self.ctx.settings.printer)
        except PrinterError as exc:
            print(f"printer: the test page did not print: {exc.message}")
            setup.record_printer_check(self.ctx, connection, False, exc.message)
            self.failed = True
            return
        print(f"printer: test page {delivery.message or delivery.outcome}")
        printed = None if self.args.yes else self.yes_no("did the test page print?", True)
        setup.record_printer_check(self.ctx, connection, printed, delivery.outcome)
        if printed is False:
            print("printer: check the paper, the cable or network and the connection, then "
                  "run 'member-terminal printer test' or setup again")
            self.failed = True

    def camera(self) -> None:
        from ..scanner.devices import find_cameras, probe
        from ..services import setup

        a = self.args
        cur = self.ctx.settings.camera
        if a.camera is None and a.yes:
            return
        if a.camera is None:
            found = find_cameras(settings=cur)
            print("cameras found: " + (", ".join(f"{s.spec} ({s.width}x{s.height})"
                                                 for s in found) or "none"))
        source = self.value(a.camera, "camera (a number, a file or folder, or none)",
                            cur.source)
        if source != "none":
            seen = probe(source, replace(cur, source=source))
            if seen is None:
                print(f"camera: {source} does not open now; the counter keeps trying it")
            else:
                print(f"camera: {source} gives {seen.width}x{seen.height} pictures")
        self.ctx.settings = setup.save_camera(self.ctx, source)

    def shop_data(self, demo_allowed: bool) -> None:
        from ..services import setup

        a = self.args
        demo = a.demo
        if not a.demo and not a.empty and demo_allowed:
            demo = self.yes_no("fill the shop with demo data?", False)
        if not demo:
            if not a.demo and demo_allowed:
                setup.record_empty(self.ctx)
            return
        setup.check_demo(self.ctx)
        print(f"demo: {setup.DEMO_MEMBERS} members over {setup.DEMO_DAYS} days")
        made = demo_fill(self.ctx)
        setup.record_demo(self.ctx, made)
        print(f"demo: done, {made['sales']:,} sales")


def demo_fill(ctx: Context, workers: int | None = None) -> dict[str, int]:
    """The set-up's small demo store (``workers`` 0: in this process, as the window needs:
    no fork from a process with Qt's threads, and the window's other connections open)."""
    from ..services import setup
    from ..tools import demo

    summary = demo.generate(ctx, members=setup.DEMO_MEMBERS, days=setup.DEMO_DAYS, seed=1,
                            workers=workers, shared=workers == 0)
    return {"members": setup.DEMO_MEMBERS, "sales": summary.sales}
