"""The command line with a bad --db: a one-line message and exit 1 or 2, never a
traceback, and `check` never creates the database it was asked to check."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from terminal import cli
from terminal.db.database import close_database, open_database, proxy

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def good_sqlite(path: Path) -> Path:
    open_database(f"sqlite:///{path}")
    close_database()
    proxy.initialize(None)
    return path


# the bad URLs that are text alone, and what the message must say
FIXED = {
    "root": ("sqlite:////", "is a folder"),
    "no path": ("sqlite:///", "no file in the database URL"),
    "two slashes": ("sqlite://pos.sqlite", "no file in the database URL"),
    "NUL only": ("sqlite:///%00", "NUL character"),
    "bad host": ("postgresql://pos@no-such-host.invalid/pos",
                 "'no-such-host.invalid' is not known"),
    "port notaport": ("postgresql://pos@127.0.0.1:notaport/pos",
                      "'notaport' in the database URL"),
    "port out of range": ("postgresql://pos@127.0.0.1:99999/pos", "'99999' in the database URL"),
    "unsupported scheme": ("mysql://pos@127.0.0.1/pos", "unsupported database URL"),
}


def make_target(kind: str, tmp: Path) -> tuple[str, str]:
    """A bad database URL of this kind, and what the message must say."""
    if kind in FIXED:
        return FIXED[kind]
    if kind == "missing file":
        return f"sqlite:///{tmp / 'nowhere' / 'pos.sqlite'}", "does not exist"
    if kind == "empty file":
        (tmp / "empty.sqlite").write_bytes(b"")
        return f"sqlite:///{tmp / 'empty.sqlite'}", "is empty"
    if kind == "random bytes":
        (tmp / "random.sqlite").write_bytes(os.urandom(8192))
        return f"sqlite:///{tmp / 'random.sqlite'}", "is not a Member Terminal database"
    if kind == "truncated header":
        data = good_sqlite(tmp / "good.sqlite").read_bytes()
        (tmp / "cut.sqlite").write_bytes(data[:60])
        return f"sqlite:///{tmp / 'cut.sqlite'}", "is not a Member Terminal database"
    if kind == "garbled header":
        data = bytearray(good_sqlite(tmp / "good.sqlite").read_bytes())
        data[16:100] = b"\xa5" * 84
        (tmp / "garbled.sqlite").write_bytes(bytes(data))
        return f"sqlite:///{tmp / 'garbled.sqlite'}", "is not a Member Terminal database"
    if kind == "text file":
        (tmp / "notes.txt").write_text("not a database\n" * 100)
        return f"sqlite:///{tmp / 'notes.txt'}", "is not a Member Terminal database"
    if kind == "directory":
        (tmp / "folder").mkdir()
        return f"sqlite:///{tmp / 'folder'}", "is a folder, not a database file"
    if kind == "NUL":
        return f"sqlite:///{tmp}/a%00b.sqlite", "NUL character"
    if kind == "closed port":
        return f"postgresql://pos@127.0.0.1:{free_port()}/pos", "nothing answers at 127.0.0.1"
    if kind == "closed port, postgres scheme":
        return f"postgres://pos:secret@127.0.0.1:{free_port()}/pos", "nothing answers"
    if kind == "a bare path":
        return str(tmp / "pos.sqlite"), "unsupported database URL"
    if kind in ("unknown database", "unknown role"):
        if not PG_URL:
            pytest.skip("needs PostgreSQL (scripts/with-postgres.sh)")
        parsed = urlparse(PG_URL)
        if kind == "unknown database":
            return parsed._replace(path="/no_such_db").geturl(), "has no database 'no_such_db'"
        netloc = f"no_such_role@{parsed.hostname}:{parsed.port}"
        return parsed._replace(netloc=netloc).geturl(), "has no user (role) 'no_such_role'"
    raise AssertionError(kind)


KINDS = ["missing file", "empty file", "random bytes", "truncated header", "garbled header",
         "text file", "directory", "root", "no path", "two slashes", "NUL", "NUL only",
         "closed port", "closed port, postgres scheme", "bad host", "port notaport",
         "port out of range", "unsupported scheme", "a bare path", "unknown database",
         "unknown role"]


def _is_log(path: Path) -> bool:
    parts = path.parts
    return "logs" in parts and parts[parts.index("logs") - 1] == "data"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file and folder under ``folder`` but the data folder's log, which every
    command writes (and the data folder when it holds nothing else)."""
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
            for p in sorted(folder.rglob("*"))
            if not _is_log(p) and not (p.name == "data" and p.is_dir()
                                       and all(map(_is_log, p.rglob("*"))))}


@pytest.mark.parametrize("command", [["check"], ["staff", "list"], ["report", "eod"]])
@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_database_gives_one_line_and_no_traceback(tmp_path, monkeypatch, capsys,
                                                        kind, command):
    monkeypatch.setenv("MT_PG_CONNECT_TIMEOUT", "2")
    here = tmp_path / "here"
    here.mkdir()
    url, says = make_target(kind, here)
    before = snapshot(tmp_path)
    status = cli.main([*command, "--db", url])
    out, err = capsys.readouterr()
    assert status == (1 if kind in ("missing file", "empty file") else 2), err
    assert "Traceback" not in err
    [line] = err.splitlines()  # one line
    assert line.startswith("member-terminal: ") and says in line, line
    assert "secret" not in line  # a password in the URL is never shown
    assert out == ""
    assert snapshot(tmp_path) == before  # nothing created, nothing changed


def test_check_of_a_missing_file_says_so_and_creates_nothing(tmp_path, capsys):
    target = tmp_path / "shop" / "pos.sqlite"
    assert cli.main(["check", "--db", f"sqlite:///{target}"]) == 1
    assert capsys.readouterr().err == (
        f"member-terminal: the database file {target} does not exist: check --db or "
        "[database] url (the counter or `member-terminal demo` creates a new database)\n")
    assert not target.parent.exists()


def test_the_commands_that_write_data_still_create_the_database(tmp_path, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "8888")
    target = tmp_path / "new shop" / "pos.sqlite"
    assert cli.main(["staff", "add", "--db", f"sqlite:///{target}", "--name", "Boss",
                      "--role", "owner"]) == 0
    assert target.is_file()
    assert cli.main(["check", "--db", f"sqlite:///{target}"]) == 0


@pytest.mark.parametrize("kind", ["random bytes", "closed port", "NUL", "directory"])
def test_through_a_real_process(tmp_path, kind):
    url, says = make_target(kind, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MT_PG_CONNECT_TIMEOUT": "2",
           "MEMBER_TERMINAL_DATA": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("MEMBER_TERMINAL_CONFIG", None)
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", "--db", url],
                          capture_output=True, text=True, env=env, timeout=60,
                          cwd=tmp_path, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and says in done.stderr
    assert snapshot(tmp_path / "data") == {}  # the log, but no database
