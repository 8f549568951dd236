"""The audit log's files outside the database: its key and its head, private to the user
(``<data folder>/audit/<installation id>.key`` and ``.head``; services.audit says why)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..core.config import data_dir
from ..core.i18n import Phrase
from ..db import models as m

FOLDER = "audit"


@dataclass(frozen=True)
class Head:
    """The chain's last entry as it stood at some moment."""

    seq: int
    hash: str
    count: int

    def to_json(self) -> str:
        return json.dumps({"seq": self.seq, "hash": self.hash, "count": self.count})

    @classmethod
    def from_json(cls, text: str) -> Head:
        data = json.loads(text)
        head = cls(int(data["seq"]), str(data["hash"]), int(data["count"]))
        if head.seq < 0 or head.count < 0 or len(head.hash) != 64:
            raise ValueError(f"not an audit head: {data!r}")
        return head


@dataclass(frozen=True)
class Key:
    secret: bytes
    legacy_through: int  # entries up to this one were written before the log had a key

    @property
    def id(self) -> str:
        return hashlib.sha256(b"member-terminal audit key:" + self.secret).hexdigest()[:16]


def _installation_id() -> str:
    row = m.Meta.get_or_none(m.Meta.key == "installation_id")
    return row.value if row is not None else "unknown"


def folder() -> Path:
    return data_dir() / FOLDER


def key_file(installation_id: str | None = None) -> Path:
    """Where this database's audit key is (whether or not it exists yet)."""
    return folder() / f"{installation_id or _installation_id()}.key"


def head_file(installation_id: str | None = None) -> Path:
    return folder() / f"{installation_id or _installation_id()}.head"


def private_folder() -> Path:
    path = folder()
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def write_private(path: Path, text: str) -> Path:
    """``text`` in a new file next to ``path`` (mode 0600, synced); the caller renames it."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return temp


def read_key(path: Path) -> Key | None:
    """The key in ``path``; None if there is no such file. ValueError if it is damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        secret = base64.b64decode(data["key"], validate=True)
        key = Key(secret, int(data["legacy_through"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(Phrase("the audit key file {path} cannot be read ({reason})",
                                path=str(path), reason=type(exc).__name__)) from None
    if len(key.secret) < 32:
        raise ValueError(Phrase("the audit key file {path} holds no usable key", path=str(path)))
    return key


def create_key(path: Path, legacy_through: int) -> Key:
    """A new key in ``path``, unless another process made one first (then that one)."""
    private_folder()
    key = Key(secrets.token_bytes(32), legacy_through)
    temp = write_private(path, json.dumps({
        "key": base64.b64encode(key.secret).decode(), "legacy_through": legacy_through}))
    try:
        os.link(temp, path)  # never replaces a key another process just made
    except FileExistsError:
        existing = read_key(path)
        if existing is None:  # pragma: no cover - made and deleted in between
            raise
        return existing
    finally:
        temp.unlink(missing_ok=True)
    return key


def read_head_file(installation_id: str | None = None) -> Head | None:
    """The head kept outside the database; None if there is none. ValueError if damaged."""
    path = head_file(installation_id)
    try:
        return Head.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise ValueError(Phrase("audit log: the head file {path} cannot be read", path=str(path))
                         ) from None


def write_head_file(head: Head, installation_id: str | None = None) -> Path:
    path = head_file(installation_id)
    private_folder()
    os.replace(write_private(path, head.to_json()), path)
    return path
