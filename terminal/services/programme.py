"""The programme's rules: dated versions in the database, the one in force at a time, changes
approved and audited, and the settings file's rules moved in once."""

from __future__ import annotations

import bisect
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import peewee as pw

from ..core import programme_file
from ..core.config import Problem, SettingsError
from ..core.errors import Conflict, InvalidInput
from ..core.i18n import Joined, Phrase
from ..core.rules import LEGACY_MAX_BALANCE, Programme
from ..db import models as m
from ..db.database import after_commit, is_sqlite, proxy, write_transaction
from . import audit
from .staff import require_approver

if TYPE_CHECKING:
    from .context import Context

SCHEMA = 3  # the form of ``ProgrammeVersion.rules``; a later one is refused, not misread
# 2 added [receipt]: a version of 1 reads as the default receipt texts; 3 added its offer
# (the customer display's): a version of 2 reads as none
READABLE = (1, 2, 3)
BEGINNING = datetime(2000, 1, 1)  # the file's rules, version 1, are in force from here on
# how often a running process asks whether another one saved a version: SELECT MAX(version)
# on the primary key costs 0.2 ms on SQLite, 0.7 ms on a local PostgreSQL (measured on the
# 2-core build machine), too much for the dozen reads of the rules one sale makes but
# nothing every 2 s; a cached read is 7-15 µs. A change saved here applies at once.
POLL_SECONDS = 2.0
MOVED = "moved from the settings file"
MOVED_NOTE = ("# The programme's rules ([[tiers]], [tier_rules], [points], [stored_value],\n"
              "# [referral], [receipt]) moved to the database on {when}: every terminal\n"
              "# applies the same, dated and audited. The values below are ignored; see and\n"
              "# change them with 'member-terminal programme show' and 'programme set'.\n")
ADOPT_LOCK = 0x4D54_0003  # PostgreSQL advisory lock: one terminal moves the file's rules

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Version:
    version: int
    effective_from: datetime
    programme: Programme  # tiers named in the store's language
    created_at: datetime
    created_by: str
    approved_by: str | None
    reason: str


class _Cache:
    """The versions of one database, read again only when its newest version changes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.database: object = None
        self.newest = -1
        self.checked_at = 0.0
        self.rows: list[m.ProgrammeVersion] = []
        self.parsed: dict[tuple[int, str, str], Version] = {}


_cache = _Cache()


def invalidate() -> None:
    """Forget what was read: the next call asks the database again."""
    with _cache.lock:
        _cache.newest = -1


def newest_version() -> int:
    """The highest version number (0: none yet): one look-up on the primary key."""
    return int(m.ProgrammeVersion.select(pw.fn.MAX(m.ProgrammeVersion.version)).scalar() or 0)


def _rows() -> list[m.ProgrammeVersion]:
    """Every version in the order they take effect (a later version wins a tie)."""
    database = proxy.obj
    now = time.monotonic()
    with _cache.lock:
        fresh = (_cache.database is database and _cache.newest >= 0
                 and now - _cache.checked_at < POLL_SECONDS)
        if fresh:
            return _cache.rows
    newest = newest_version()
    with _cache.lock:
        if _cache.database is not database or _cache.newest != newest:
            _cache.rows = list(m.ProgrammeVersion.select().order_by(
                m.ProgrammeVersion.effective_from, m.ProgrammeVersion.version))
            _cache.parsed = {}
            _cache.database, _cache.newest = database, newest
        _cache.checked_at = now
        return _cache.rows


def _parse(row: m.ProgrammeVersion, currency: str, language: str) -> Version:
    key = (int(row.version), currency, language)
    if (found := _cache.parsed.get(key)) is not None:
        return found
    data = json.loads(row.rules)
    if data.get("schema") not in READABLE:
        raise Conflict("programme version {version} was saved by a newer program (schema "
                       "{schema}): update the program on this terminal",
                       version=row.version, schema=data.get("schema"))
    if data.get("currency") != currency:
        raise Conflict("programme version {version} is in {saved}, the store in {currency}: "
                       "save the rules again in the store's currency", version=row.version,
                       saved=data.get("currency"), currency=currency)
    programme = programme_file.programme_from_dict(data["rules"], currency, language)
    version = Version(int(row.version), row.effective_from, programme, row.created_at,
                      row.created_by, row.approved_by, row.reason)
    _cache.parsed[key] = version
    return version


def version_in_force(ctx: Context, at: datetime | None = None) -> Version | None:
    """The version in force at ``at`` (default: now), None while the database has none."""
    at = ctx.now() if at is None else at
    rows = _rows()
    where = bisect.bisect_right([r.effective_from for r in rows], at)
    if where == 0:
        return None
    return _parse(rows[where - 1], ctx.currency, ctx.settings.store.language)


def in_force(ctx: Context, at: datetime | None = None) -> Programme:
    """The rules in force at ``at`` (default: now). Before the database has any version
    (a test's database, a shop before its first start on this version): the settings'."""
    version = version_in_force(ctx, at)
    return ctx.settings.programme if version is None else version.programme


def current(ctx: Context) -> Programme:
    return in_force(ctx)


def history(ctx: Context) -> list[Version]:
    """Every version, the newest first."""
    rows = _rows()
    return [_parse(r, ctx.currency, ctx.settings.store.language)
            for r in sorted(rows, key=lambda r: r.version, reverse=True)]


def as_dict(programme: Programme) -> dict[str, Any]:
    """The rules in the settings file's form (``programme show --json``, the audit log)."""
    return programme_file.programme_to_dict(programme)


def from_dict(ctx: Context, data: dict[str, Any], source: Path | None = None,
              text: str | None = None) -> Programme:
    """Rules from the settings file's form, checked as the settings file is."""
    try:
        return programme_file.programme_from_dict(data, ctx.currency,
                                                 ctx.settings.store.language, source, text)
    except SettingsError as exc:
        said = [_said(p) for p in exc.problems]
        if len(said) == 1 and isinstance(said[0], Phrase):  # the rule's own refusal
            raise InvalidInput.like(said[0]) from None
        raise InvalidInput("these rules cannot be used:\n  {problems}",
                           problems=Joined(said, "\n  ")) from None


def _said(problem: Problem) -> str:
    """A problem as the reader of a refusal sees it: the rule's sentence, which names its
    setting (translated where it is read), with the file and line when rules came in one."""
    if problem.said is None:
        return str(problem)
    if problem.place:
        where = problem.where
        if str(problem.said) != problem.message:  # the sentence names the key: not twice
            where = where.rsplit(" ", 1)[0]
        return Phrase("{place}: {problem}", place=f"{problem.place}: {where}",
                      problem=problem.said)
    return problem.said


def _stored(ctx: Context, programme: Programme) -> str:
    return audit.canonical_json({"schema": SCHEMA, "currency": ctx.currency,
                                 "rules": as_dict(programme)})


def _insert(ctx: Context, programme: Programme, effective_from: datetime, reason: str,
            approved_by: object) -> m.ProgrammeVersion:
    return m.ProgrammeVersion.create(
        effective_from=effective_from, rules=_stored(ctx, programme), created_at=ctx.now(),
        created_by=ctx.staff_id, approved_by=str(approved_by) if approved_by else None,
        store_id=ctx.store_id, terminal_id=ctx.terminal_id, reason=reason)


def change(ctx: Context, new_programme: Programme, effective_from: datetime | None, reason: str,
           approved_by: object) -> Version:
    """Save ``new_programme`` as a new version in force from ``effective_from`` (default:
    now; never in the past, where sales were priced with the rules of their time), approved
    by a manager or owner; audited with the rules it replaces there."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("a change of the programme's rules needs a reason")
    now = ctx.now()
    effective_from = (now if effective_from is None else effective_from).replace(microsecond=0)
    if effective_from < now.replace(microsecond=0):
        raise InvalidInput("the rules cannot change in the past ({effective_from}): sales "
                           "made since then were priced with the rules of their time; give "
                           "a time from now on", effective_from=effective_from.isoformat(" "))
    approver = require_approver(approved_by, "changing the programme's rules")
    # one validator: the rules go through the settings file's checks, as they would be read
    checked = from_dict(ctx, json.loads(json.dumps(as_dict(new_programme))))
    with write_transaction():
        before = in_force(ctx, effective_from)
        row = _insert(ctx, checked, effective_from, reason, approver.id)
        audit.record(ctx, "programme_change", f"version {row.version}",
                     before=as_dict(before),
                     after={"effective_from": effective_from.isoformat(" "),
                            "rules": as_dict(checked)},
                     reason=reason, approved_by=approver.id)
        after_commit(invalidate)
    invalidate()
    return _parse(row, ctx.currency, ctx.settings.store.language)


def _existing_shop() -> bool:
    return (m.Member.select().exists() or m.Txn.select().exists())


def adopt(ctx: Context) -> Phrase | None:
    """At a start with both the settings and the database: a database with no version takes
    the settings file's rules as version 1, in force from the beginning (audited "moved from
    the settings file"), and the file says they moved. Later, rules left in a file are
    ignored: the warning to show, if any."""
    settings = ctx.settings
    if newest_version() == 0:
        with write_transaction():
            if not is_sqlite():
                proxy.obj.execute_sql("SELECT pg_advisory_xact_lock(%s)", (ADOPT_LOCK,))
            if newest_version() == 0:
                programme = settings.programme
                if ("stored_value.max_balance" not in settings.programme_keys
                        and _existing_shop()):
                    # the shop ran with the old default cap: it stays (a new shop gets the
                    # legal limit, rules.StoredValueRules)
                    programme = replace(programme, stored_value=replace(
                        programme.stored_value, max_balance=LEGACY_MAX_BALANCE))
                row = _insert(ctx, programme, BEGINNING, MOVED, None)
                audit.record(ctx, "programme_change", f"version {row.version}",
                             after={"effective_from": BEGINNING.isoformat(" "),
                                    "rules": as_dict(programme)},
                             reason=MOVED)
                after_commit(invalidate)
                moved = True
            else:
                moved = False
        invalidate()
        if moved:
            _annotate(settings.source, settings.programme_keys, ctx.now())
            return None
    if settings.programme_keys and settings.source is not None:
        sections = sorted(k for k in settings.programme_keys if "." not in k)
        return Phrase("the settings file {file} still has the programme's sections ({sections}): "
                      "these settings now live in the database; the file's values are ignored "
                      "(see 'member-terminal programme show')",
                      file=str(settings.source), sections=", ".join(sections))
    return None


def _section_header(line: str) -> str | None:
    text = line.strip()
    if text.startswith("[[") and "]]" in text:
        return text[2:text.index("]]")].strip()
    if text.startswith("[") and "]" in text:
        return text[1:text.index("]")].strip()
    return None


def _annotate(path: Path | None, keys: frozenset[str], when: datetime) -> None:
    """Put MOVED_NOTE above the file's first programme section; every other byte stays."""
    if path is None or not keys:
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
        lines = text.splitlines(keepends=True)
        first = next((n for n, line in enumerate(lines)
                      if _section_header(line) in programme_file.PROGRAMME_SECTIONS), None)
        if first is None or "moved to the database" in text:
            return
        note = MOVED_NOTE.format(when=when.strftime("%Y-%m-%d %H:%M"))
        lines.insert(first, note)
        partial = path.with_name(path.name + ".partial")
        partial.write_text("".join(lines), encoding="utf-8")
        os.chmod(partial, path.stat().st_mode & 0o777)
        os.replace(partial, path)
    except OSError as exc:  # a read-only file: the rules moved all the same
        log.warning("could not note in %s that the programme moved to the database: %s",
                    path, exc.strerror or exc)
