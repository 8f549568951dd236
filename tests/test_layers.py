"""The import contract: every module's imports, read with ``ast``, point down the layers.

No allow-list: a new upward import fails here, and so does a module that sits in no layer.
The layers, from the top, are those of ARCHITECTURE.md; ``printers`` sits above
``reports`` because it renders the report documents on paper.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (layer, packages or modules in it), top first; a module may import its own layer and
# the layers below it, never one above
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entry", ("main",)),
    ("cli", ("terminal.cli",)),
    ("tools", ("terminal.tools", "terminal.locale")),  # locale: the catalogues and their build
    ("ui", ("terminal.ui",)),
    ("web", ("terminal.web",)),
    ("printers", ("printers",)),
    ("reports", ("terminal.reports",)),
    ("scanner", ("terminal.scanner",)),
    ("services", ("terminal.services",)),
    ("loyalty", ("terminal.loyalty",)),
    ("db", ("terminal.db",)),
    ("core", ("terminal.core", "terminal")),  # terminal/__init__.py: the version
)
RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}
QT = ("PySide6", "shiboken6")
QT_ALLOWED = ("terminal.ui", "terminal.reports.pdf")  # the PDF renderer draws with Qt
PEEWEE = ("peewee", "playhouse")
PEEWEE_ALLOWED = ("terminal.db", "terminal.services", "terminal.tools")


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources() -> list[Path]:
    return sorted([ROOT / "main.py", *(ROOT / "terminal").rglob("*.py"),
                   *(ROOT / "printers").rglob("*.py")])


@cache
def known_modules() -> frozenset[str]:
    return frozenset(module_name(p) for p in sources())


def layer_of(name: str) -> str | None:
    """The layer of one of our modules: its longest matching package."""
    best: tuple[int, str] | None = None
    for layer, packages in LAYERS:
        for package in packages:
            if (_under(name, package) if package != "terminal" else name == "terminal") and (
                    best is None or len(package) > best[0]):
                best = (len(package), layer)
    return best[1] if best else None


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, at any depth (the lazy
    ones inside functions and under TYPE_CHECKING count too)."""
    return read_imports(module_name(path), path.name == "__init__.py",
                        path.read_text(encoding="utf-8"))


def read_imports(name: str, is_package: bool, source: str) -> list[tuple[int, str]]:
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:  # `from . import money` imports the module money
                sub = f"{target}.{alias.name}"
                found.append((node.lineno, sub if sub in known_modules() else target))
    return sorted(set(found))


def ours(name: str) -> bool:
    return _under(name, "terminal") or _under(name, "printers") or name == "main"


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_every_module_sits_in_a_layer() -> None:
    lost = [str(p.relative_to(ROOT)) for p in sources() if layer_of(module_name(p)) is None]
    assert not lost, f"modules in no layer (add them to one, or move them): {lost}"


def test_imports_point_down_the_layers() -> None:
    upward = []
    for path in sources():
        here = layer_of(module_name(path))
        for line, target in imports(path):
            there = layer_of(target) if ours(target) else None
            if here is not None and there is not None and RANK[there] < RANK[here]:
                upward.append(f"{where(path, line)}: {here} imports {there} ({target})")
    assert not upward, "imports pointing up the layers:\n" + "\n".join(upward)


def _outside(allowed: tuple[str, ...], libraries: tuple[str, ...]) -> list[str]:
    wrong = []
    for path in sources():
        name = module_name(path)
        if any(_under(name, a) for a in allowed):
            continue
        wrong += [f"{where(path, line)}: {target}" for line, target in imports(path)
                  if any(_under(target, lib) for lib in libraries)]
    return wrong


def test_qt_only_in_the_ui_and_the_pdf_renderer() -> None:
    wrong = _outside(QT_ALLOWED, QT)
    assert not wrong, "PySide6 imported outside terminal/ui and reports/pdf:\n" + \
        "\n".join(wrong)


def test_peewee_only_in_db_services_and_tools() -> None:
    wrong = _outside(PEEWEE_ALLOWED, PEEWEE)
    assert not wrong, "peewee imported outside db, services and tools:\n" + "\n".join(wrong)


def test_the_ui_imports_neither_the_database_nor_peewee() -> None:
    wrong = []
    for path in (ROOT / "terminal" / "ui").rglob("*.py"):
        wrong += [f"{where(path, line)}: {target}" for line, target in imports(path)
                  if _under(target, "terminal.db") or any(_under(target, lib)
                                                          for lib in PEEWEE)]
    assert not wrong, "terminal/ui imports the database:\n" + "\n".join(wrong)


def test_the_reader_resolves_relative_and_lazy_imports() -> None:
    source = ("from .. import logs\nfrom ..db.models import Member\nfrom . import nowhere\n"
              "def f():\n    import PySide6.QtCore\n    from printers import layouts\n")
    assert read_imports("terminal.ui.app", False, source) == [
        (1, "terminal.logs" if "terminal.logs" in known_modules() else "terminal"),
        (2, "terminal.db.models"), (3, "terminal.ui"), (5, "PySide6.QtCore"),
        (6, "printers.layouts")]
    assert read_imports("terminal.db", True, "from .models import Member\n") == [
        (1, "terminal.db.models")]
    assert [layer_of(n) for n in ("terminal.core.errors", "terminal.ui.manager.window",
                                  "terminal", "printers.layouts", "main")] == [
        "core", "ui", "core", "printers", "entry"]
    assert layer_of("terminalx.core") is None


# layers side by side: neither may import the other, whatever their ranks
APART = (("terminal.ui", "terminal.web"), ("terminal.web", "terminal.ui"),
         ("terminal.web", "terminal.scanner"), ("terminal.web", "printers"))


def test_loyalty_is_pure_logic_on_the_core_alone() -> None:
    """The rules decide from values only: no database, no services, no devices."""
    found = [f"{where(path, line)}: {target}" for path in sources()
             if _under(module_name(path), "terminal.loyalty")
             for line, target in imports(path)
             if ours(target) and not (_under(target, "terminal.loyalty")
                                      or _under(target, "terminal.core"))]
    assert not found, "the loyalty rules import more than the core:\n" + "\n".join(found)


def test_side_by_side_layers_stay_apart() -> None:
    found = [f"{where(path, line)}: {target}" for here, other in APART for path in sources()
             if _under(module_name(path), here)
             for line, target in imports(path) if _under(target, other)]
    assert not found, "imports across side-by-side layers:\n" + "\n".join(found)
