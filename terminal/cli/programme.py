"""The ``programme`` command: the rules in force, their versions, a new version (a manager
approves)."""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import approval
from .common import Invocation, with_context

if TYPE_CHECKING:
    from ..services.context import Context
    from ..services.programme import Version

ACTION = "changing the programme's rules"


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("programme", parents=parents,
                              help="the programme's rules: show them, their history, or "
                                   "save a new version (asks for a manager's PIN)")
    sub = p.add_subparsers(dest="programme_command", metavar="ACTION", required=True)
    show = sub.add_parser("show", parents=parents, help="the rules in force (now or --at)")
    show.add_argument("--at", metavar="TIME", help="a time such as \"2026-03-16 09:00\" or a "
                                                   "date (its midnight); default: now")
    show.add_argument("--json", action="store_true",
                      help="as JSON, which 'programme set' accepts back")
    sub.add_parser("history", parents=parents, help="every version, the newest first")
    change = sub.add_parser(
        "set", parents=parents,
        help="save the rules of FILE as a new version, in force from --from; what FILE "
             "leaves out (a section, a key) stays as it is")
    change.add_argument("file", metavar="FILE", help="TOML ([points], [[tiers]], ... as in "
                        "the settings file) or JSON (as 'programme show --json' writes it)")
    change.add_argument("--from", dest="effective_from", metavar="TIME",
                        help="when it takes effect, not in the past; default: now")
    change.add_argument("--reason", required=True, help="why the rules change (audited)")
    approval.add_option(change)


def command(inv: Invocation) -> int:
    return with_context(inv, lambda ctx: _run(ctx, inv.args),
                        create=inv.args.programme_command == "set")


def _run(ctx: Context, args: argparse.Namespace) -> int:
    from ..core.errors import DomainError

    try:
        if args.programme_command == "show":
            return _show(ctx, _time(args.at), args.json)
        if args.programme_command == "history":
            return _history(ctx)
        return _set(ctx, args)
    except DomainError as exc:
        print(f"member-terminal: {exc}", file=sys.stderr)
        return 1


def _time(text: str | None) -> datetime | None:
    from ..core.errors import InvalidInput

    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=None)
    except ValueError:
        raise InvalidInput("{text!r} is not a time: write it as 2026-03-16 09:00 or "
                           "2026-03-16", text=text) from None


def _about(version: Version | None) -> dict[str, Any]:
    if version is None:
        return {"version": None}
    return {"version": version.version,
            "effective_from": version.effective_from.isoformat(" "),
            "created_at": version.created_at.isoformat(" "),
            "created_by": version.created_by, "approved_by": version.approved_by,
            "reason": version.reason}


def _show(ctx: Context, at: datetime | None, as_json: bool) -> int:
    import tomli_w

    from ..services import programme

    at = ctx.now() if at is None else at
    version = programme.version_in_force(ctx, at)
    rules = programme.as_dict(programme.in_force(ctx, at))
    if as_json:
        print(json.dumps({**_about(version), "at": at.isoformat(" "), "rules": rules},
                         ensure_ascii=False, indent=2))
        return 0
    if version is None:
        print(f"# the rules at {at:%Y-%m-%d %H:%M}: the settings file's (no version yet)")
    else:
        print(f"# the rules at {at:%Y-%m-%d %H:%M}: version {version.version}, in force from "
              f"{version.effective_from:%Y-%m-%d %H:%M} ({version.reason})")
    print(tomli_w.dumps(rules), end="")
    return 0


def _history(ctx: Context) -> int:
    from ..services import programme

    for v in programme.history(ctx):
        approved = f", approved by {v.approved_by}" if v.approved_by else ""
        print(f"{v.version:>4}  from {v.effective_from:%Y-%m-%d %H:%M}  saved "
              f"{v.created_at:%Y-%m-%d %H:%M} by {v.created_by}{approved}: {v.reason}")
    return 0


def _read(path: Path) -> tuple[dict[str, Any], str]:
    from ..core.errors import InvalidInput

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InvalidInput("the rules file {path} cannot be read ({reason})", path=str(path),
                           reason=reason) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput("the rules file {path} is not valid {kind}: {reason}",
                           path=str(path), kind="JSON" if path.suffix.lower() == ".json"
                           else "TOML", reason=str(exc)) from None
    if not isinstance(data, dict):
        raise InvalidInput("the rules file {path} holds no sections", path=str(path))
    if isinstance(data.get("rules"), dict):  # as 'programme show --json' writes it
        data = data["rules"]
    return data, text


def _set(ctx: Context, args: argparse.Namespace) -> int:
    from ..services import programme

    path = Path(args.file)
    data, text = _read(path)
    effective_from = _time(args.effective_from)
    # what the file leaves out stays as it is at that time: a file of one key changes one
    merged = programme.as_dict(programme.in_force(ctx, effective_from))
    for name, value in data.items():
        kept = merged.get(name)
        merged[name] = {**kept, **value} if isinstance(kept, dict) and isinstance(
            value, dict) else value
    rules = programme.from_dict(ctx, merged, path, None if path.suffix == ".json" else text)
    approver = approval.approve(ctx, args.manager, ACTION)
    version = programme.change(ctx, rules, effective_from, args.reason, approver.id)
    print(f"programme version {version.version} saved: in force from "
          f"{version.effective_from:%Y-%m-%d %H:%M}, approved by {approver.name}")
    return 0
