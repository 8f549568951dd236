"""Writing keys into the settings file: the rest of the file (other sections, comments, order)
kept as it was, every value checked as the reader checks it before anything is written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import tomlkit

from . import settings_file
from .config import Problem, Settings, SettingsError


def update(path: str | os.PathLike[str], changes: dict[str, dict[str, Any]]) -> Settings:
    """Set ``changes`` ({section: {key: value}}) in the file at ``path`` (made if missing)
    and return the settings it now holds.

    SettingsError, and the file untouched, when the result could not be read back (a bad
    value, or a file that is not valid TOML already). The file is replaced in one rename,
    so a crash leaves the old file or the new one, never half of one; it stays private to
    the user (0600).
    """
    target = Path(path)
    text = target.read_text(encoding="utf-8-sig") if target.exists() else ""
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise SettingsError(Problem(
            "", f"not valid TOML, so nothing was changed: {exc}", target)) from None
    for section, values in changes.items():
        table = document.get(section)
        if table is None:
            table = tomlkit.table()
            document[section] = table
        for key, value in values.items():
            table[key] = value
    new_text = tomlkit.dumps(document)
    settings = settings_file.from_dict(tomlkit.parse(new_text).unwrap(), target, new_text)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(new_text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return settings
