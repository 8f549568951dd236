"""Compile the .ts translations to the .qm files the counter loads (``python -m ...build``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

I18N_DIR = Path(__file__).resolve().parent
UI_DIR = I18N_DIR.parent


def _tool(name: str) -> str:
    # the venv's tool first: PATH may hold another Qt's lrelease, or none
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found (it comes with PySide6)")
    return found


def compile_translations(out_dir: Path | None = None) -> list[Path]:
    """Run pyside6-lrelease on every .ts file here; return the .qm files written."""
    target = out_dir or I18N_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for ts in sorted(I18N_DIR.glob("*.ts")):
        qm = target / ts.with_suffix(".qm").name
        subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                       check=True)
        written.append(qm)
    return written


def sources() -> list[str]:
    """Every Python file of the UI: one catalogue per language for all its screens."""
    return sorted(str(p) for p in UI_DIR.rglob("*.py") if p.parent != I18N_DIR)


def update_sources() -> None:
    """Refresh the .ts files from the source (new strings appear untranslated)."""
    for ts in sorted(I18N_DIR.glob("*.ts")):
        subprocess.run([_tool("pyside6-lupdate"), "-silent", "-no-obsolete", *sources(),
                        "-ts", str(ts)], check=True)


if __name__ == "__main__":
    if "--update" in sys.argv[1:]:
        update_sources()
    for path in compile_translations():
        print(path)
