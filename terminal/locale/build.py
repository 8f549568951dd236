"""Extract the catalogue's messages (Babel) and compile the .po sources to .mo files.

``python -m terminal.locale.build`` compiles; ``--extract`` first refreshes every .po from
the source: the messages the engine's errors are raised with, the printed documents' and
reports' labels, and any string marked with ``N_``/``gettext``; new ones come in empty.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from terminal.core.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, TERMS, compile_po, po_path

ROOT = LOCALE_DIR.parents[1]
SCANNED = ("terminal", "printers")
BASE_ERROR = "DomainError"
# strings marked in the source beside the errors, labels and terms found above (the labels'
# own pgettext calls name their context by key, so they are added from their tables)
# and the window's own words (ui.text: tr, trc with its context first, trn)
KEYWORDS = {"N_": None, "gettext_": (2,), "ngettext": (2, 3),
            "tr": None, "trc": ((1, "c"), 2), "trn": (1, 2)}


@dataclass(frozen=True)
class Found:
    """An error built in the source: where, and its message id (None: not a literal)."""

    where: str
    message_id: str | None
    plural_id: str | None
    shape: str  # "literal", "f-string" or "computed"


def _sources() -> Iterator[Path]:
    for folder in SCANNED:
        yield from sorted((ROOT / folder).rglob("*.py"))


def _name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def error_classes(trees: dict[Path, ast.Module]) -> dict[str, int]:
    """Every DomainError subclass by name, with the position of its message argument
    (1 for MemberCodeError and its kind, whose first argument is the reason)."""
    found = {BASE_ERROR: 0, "Phrase": 0}
    grew = True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in found:
                    bases = [found[b] for b in map(_name, node.bases) if b in found]
                    if bases:
                        found[node.name] = 1 if node.name == "MemberCodeError" else bases[0]
                        grew = True
    return found


def _message(where: str, arg: ast.expr, keywords: list[ast.keyword]) -> Found:
    plural = next((k.value for k in keywords if k.arg == "plural"), None)
    plural_id = plural.value if isinstance(plural, ast.Constant) \
        and isinstance(plural.value, str) else None
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return Found(where, arg.value, plural_id, "literal")
    return Found(where, None, None, "f-string" if isinstance(arg, ast.JoinedStr) else "computed")


def _own_messages(node: ast.ClassDef) -> list[ast.Call]:
    """The ``super().__init__(…)`` calls of an error class that words its own message."""
    return [call for call in ast.walk(node) if isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"
            and isinstance(call.func.value, ast.Call) and _name(call.func.value.func) == "super"
            and call.args and isinstance(call.args[0], ast.Constant | ast.JoinedStr)]


def error_messages() -> list[Found]:
    """Every construction of a domain error in the engine (scanned, not imported)."""
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in _sources()}
    classes = error_classes(trees)
    out, self_worded = [], set()
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in classes \
                    and (calls := _own_messages(node)):
                self_worded.add(node.name)
                out += [_message(f"{path.relative_to(ROOT).as_posix()}:{c.lineno}",
                                 c.args[0], c.keywords) for c in calls]
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in classes) \
                    or _name(node.func) in self_worded:
                continue
            where = f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
            position = classes[_name(node.func)]
            if len(node.args) > position:
                out.append(_message(where, node.args[position], node.keywords))
            else:
                out.append(Found(where, None, None, "computed"))
    return out


def term_messages() -> list[tuple[str, str]]:
    """(context, word) of every Term: the lists of core.i18n.TERMS and the literal
    ``Term("word", "context")`` of the source."""
    found = {(context, word) for context, words in TERMS.items() for word in words}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) == "Term" and all(
                    isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args):
                found.add((node.args[1].value, node.args[0].value))  # type: ignore[attr-defined]
    return sorted(found)


def label_messages() -> list[tuple[str, str | tuple[str, str]]]:
    """(context, English) of every printed and reported label ((singular, plural) for one
    with a count)."""
    from printers import labels as receipt_labels
    from terminal.reports import labels as report_labels

    return [*receipt_labels.catalogue(), *report_labels.catalogue()]


def template() -> Catalog:
    """The catalogue of every message the source has today (the .pot)."""
    pot = Catalog(domain=DOMAIN, project="Member Terminal")
    for found in error_messages():
        if found.message_id is not None:
            msgid = (found.message_id if found.plural_id is None
                     else (found.message_id, found.plural_id))
            path, line = found.where.split(":")
            pot.add(msgid, locations=[(path, int(line))])
    for context, english in [*label_messages(), *term_messages()]:
        pot.add(english, context=context)
    for folder in SCANNED:
        for filename, lineno, message, _comments, marked_context in extract_from_dir(
                ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS):
            pot.add(message, locations=[(f"{folder}/{filename}", lineno)],
                    context=marked_context)
    return pot


def update_catalogues() -> list[Path]:
    """Merge today's messages into every language's .po (obsolete ones dropped)."""
    pot = template()
    written = []
    for language in LANGUAGES[1:]:
        path = po_path(language)
        catalog: Catalog
        with path.open("rb") as fp:
            catalog = read_po(fp, locale=language, domain=DOMAIN)
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as fp:
            write_po(fp, catalog, width=100, omit_header=False, sort_output=True)
        written.append(path)
    return written


def compile_catalogues(out_dir: Path | None = None) -> list[Path]:
    """Write the .mo of every .po (beside it, or under ``out_dir``/<language>/LC_MESSAGES)."""
    written = []
    for language in LANGUAGES[1:]:
        po = po_path(language)
        mo = (po.with_suffix(".mo") if out_dir is None
              else out_dir / language / "LC_MESSAGES" / f"{DOMAIN}.mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        mo.write_bytes(compile_po(po))
        written.append(mo)
    return written


if __name__ == "__main__":
    if "--extract" in sys.argv[1:]:
        for path in update_catalogues():
            print(path)
    for path in compile_catalogues():
        print(path)
