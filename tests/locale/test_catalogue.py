"""Every message the engine raises and every printed or reported label has a Chinese
translation in the gettext catalogue, different from its English source."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from terminal.core.i18n import po_path
from terminal.locale import build

# the same in both languages on purpose (none needed today)
SAME_IN_BOTH: frozenset[str] = frozenset()
FIELD = re.compile(r"\{(\w*)[^{}]*\}")


def _zh_cn() -> dict[tuple[str | None, str], tuple[str, ...]]:
    with po_path("zh_CN").open("rb") as fp:
        catalog = read_po(fp)
    out = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        out[(message.context, ids[0])] = strings
    return out


def _problem(english: str, translated: tuple[str, ...] | None) -> str | None:
    if not translated or not all(translated):
        return "no translation"
    if english not in SAME_IN_BOTH and english in translated:
        return "translation identical to the English"
    fields = set(FIELD.findall(english))
    if any(set(FIELD.findall(t)) - fields - {"n"} for t in translated):
        return "translation names a field the English has not"
    return None


def test_every_error_is_raised_with_a_message_id() -> None:
    not_ids = [f"{f.where} ({f.shape})" for f in build.error_messages()
               if f.message_id is None]
    assert not_ids == [], f"{len(not_ids)} errors are raised without a literal message id"


def test_every_message_id_raised_has_a_chinese_translation() -> None:
    catalogue = _zh_cn()
    problems = []
    for found in build.error_messages():
        if found.message_id is not None:
            problem = _problem(found.message_id, catalogue.get((None, found.message_id)))
            if problem:
                problems.append(f"{found.where}: {found.message_id!r}: {problem}")
    assert problems == [], f"{len(problems)} messages:\n" + "\n".join(problems)


def test_every_label_has_a_chinese_translation() -> None:
    catalogue = _zh_cn()
    problems = [f"{context}: {english!r}: {problem}"
                for context, english in build.label_messages()
                if (problem := _label_problem(english, catalogue.get(
                    (context, english if isinstance(english, str) else english[0]))))]
    assert problems == [], "\n".join(problems)


def _label_problem(english: str | tuple[str, str], translated: tuple[str, ...] | None,
                   ) -> str | None:
    """A label's problem; one with a count: each form's (both forms of the English)."""
    if isinstance(english, str):
        return _problem(english, translated)
    if translated is not None and len(translated) != 1:  # Chinese has one plural form
        return "not one form"
    return _problem(english[0], translated) or _problem(english[1], translated)


def test_every_term_has_a_chinese_translation() -> None:
    catalogue = _zh_cn()
    problems = [f"{context}: {word!r}: {problem}" for context, word in build.term_messages()
                if (problem := _problem(word, catalogue.get((context, word))))]
    assert problems == [], "\n".join(problems)


def test_the_catalogues_compile(tmp_path: Path) -> None:
    written = build.compile_catalogues(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "zh_CN/LC_MESSAGES/member_terminal.mo"]
    assert written[0].stat().st_size > 1000


def test_every_message_of_the_source_has_a_chinese_translation() -> None:
    # the window's own words (tr, trc, trn of ui.text) and every N_-marked string too
    catalogue = _zh_cn()
    problems = []
    for message in build.template():
        if not message.id:
            continue
        english = message.id if isinstance(message.id, str) else message.id[0]
        problem = _problem(english, catalogue.get((message.context, english)))
        if problem:
            where = ", ".join(f"{p}:{n}" for p, n in message.locations[:2])
            problems.append(f"{where}: {english!r}: {problem}")
    assert problems == [], f"{len(problems)} messages:\n" + "\n".join(problems)


QT_TRANSLATE = re.compile(r"\bself\.tr\(|\.translate\(|QT_TR_NOOP|QT_TRANSLATE_NOOP")


def test_the_window_translates_only_through_the_catalogue() -> None:
    # one mechanism: a Qt tr() string would stay English (there is no .qm to load)
    found = [f"{path.relative_to(build.ROOT)}:{n}" for path in
             sorted((build.ROOT / "terminal" / "ui").rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if QT_TRANSLATE.search(line)]
    assert found == []
