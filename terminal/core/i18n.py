"""One translation catalogue (gettext) for the engine's messages, the printed documents and
the reports; the language is always named, since one process may print and show in two."""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

DOMAIN = "member_terminal"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES = ("en", "zh_CN")  # the source language first
_ALIASES = {"zh": "zh_CN"}


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (Babel extracts it)."""
    return message


class Term(str):
    """A word from a fixed list (a transaction's kind, a coupon's status) inside a message:
    English as it is, translated with the message in the context that names its list."""

    context: str

    def __new__(cls, word: str, context: str) -> Term:
        term = super().__new__(cls, word)
        term.context = context
        return term


class Phrase(str):
    """A sentence that keeps its message id and arguments: English as it is (for logs and
    the command line), translated for a reader in another language (a check's finding, read
    on the manager's screen). A Phrase among a message's arguments is translated with it."""

    message_id: str
    args: dict[str, object]
    plural_id: str | None
    n: int | None

    def __new__(cls, message_id: str, /, *, plural: str | None = None, n: int | None = None,
                **args: object) -> Phrase:
        """``plural`` with ``n``: the plural form gettext picks by ``n`` (the template sees
        {n}), as a DomainError's."""
        phrase = super().__new__(cls, message("en", message_id, args, plural_id=plural,
                                              count=n))
        phrase.message_id, phrase.args = message_id, args
        phrase.plural_id, phrase.n = plural, n
        return phrase

    @classmethod
    def said_by(cls, error: _Worded) -> Phrase:
        """The sentence a domain error was raised with (its message id a literal where it
        was raised), passed on to be translated where it is read."""
        return cls(error.message_id, plural=error.plural_id, n=error.count, **error.args_dict)

    def text(self, language: str | None) -> str:
        return message(language, self.message_id, self.args, plural_id=self.plural_id,
                       count=self.n)


class _Worded(Protocol):
    """What a domain error (core.errors, which imports this module) is worded with."""

    message_id: str
    plural_id: str | None
    count: int | None
    args_dict: dict[str, Any]


class Joined(str):
    """Sentences (Phrases or plain text) one per line: English as it is, each Phrase
    translated for a reader in another language (a list of problems inside a message)."""

    parts: tuple[str, ...]
    separator: str

    def __new__(cls, parts: tuple[str, ...] | list[str], separator: str = "\n") -> Joined:
        joined = super().__new__(cls, separator.join(parts))
        joined.parts, joined.separator = tuple(parts), separator
        return joined

    def text(self, language: str | None) -> str:
        return self.separator.join(p.text(language) if isinstance(p, Phrase | Joined) else p
                                   for p in self.parts)


# The lists a Term of a value read from the database comes from (tests/core checks them
# against the models); a Term written as a literal is found in the source.
TERMS: dict[str, tuple[str, ...]] = {
    "transaction kind": ("sale", "refund", "void", "topup", "topup_reversal", "cash_out",
                         "visit", "adjust"),
    "sale status": ("completed", "voided", "refunded"),
    "print job kind": ("receipt", "coupon", "member_card", "report", "test"),
    "tender": ("stored value", "card", "other", "cash"),  # services.refunds.TENDER_WORDS
    "message state": ("queued", "sending", "sent", "failed", "unknown", "cancelled"),
    # the keys of the programme's rules a refusal names (core.rules.FIELDS)
    "programme rule": ("code", "name", "name_zh_CN", "threshold", "discount_percent",
                       "points_multiplier", "window_days", "hold_days", "earn_per_unit",
                       "member_days", "member_day_multiplier", "birthday_multiplier",
                       "birthday_window", "redeem_points_per_unit", "redeem_min_points",
                       "redeem_max_share_percent", "expiry_months", "min_top_up",
                       "max_balance", "min_paid", "bonus", "referrer_points",
                       "referee_points"),
}


Names = tuple[tuple[str, str], ...]  # (language, name) pairs besides the English name


def name_in(name: str, names: Names, language: str | None) -> str:
    """A name a manager gives (a tier, a coupon template) in ``language``: the one given
    for that language, else the English ``name`` (an empty one counts as not given)."""
    language = _ALIASES.get(language or "en", language or "en")
    return dict(names).get(language) or name


class Named:
    """Mixed into a frozen dataclass with ``name`` (English) and ``names`` (the others):
    ``name_in(language)`` is the name the reader sees."""

    name: str
    names: Names

    def name_in(self, language: str | None) -> str:
        return name_in(self.name, self.names, language)


class ChineseNamed(Named):
    """``Named`` for a record whose one other name is its Chinese ``name_zh_cn`` (empty: the
    English name shows on the Chinese screens too): a manager's form, a table row."""

    name_zh_cn: str

    @property
    def names(self) -> Names:  # type: ignore[override]  # Named's names, from name_zh_cn
        """Its names besides the English one, as (language, name) (``name_in``)."""
        return (("zh_CN", self.name_zh_cn),) if self.name_zh_cn else ()


def term(language: str | None, context: str, word: str) -> str:
    """One word of a list in ``language`` (e.g. a sale's status in the refund dialog)."""
    return translation(language).pgettext(context, word)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def available(language: str) -> bool:
    """Whether ``language`` has a catalogue (English always has: the source itself)."""
    language = _ALIASES.get(language, language)
    po = po_path(language)
    return language == "en" or po.exists() or po.with_suffix(".mo").exists()


@functools.cache
def translation(language: str | None) -> gettext.NullTranslations:
    """The catalogue of ``language``; English (the message ids themselves) for "en", an
    unknown language or a missing catalogue."""
    language = _ALIASES.get(language or "en", language or "en")
    po = po_path(language)
    mo = po.with_suffix(".mo")
    if language == "en" or (not po.exists() and not mo.exists()):
        return gettext.NullTranslations()
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fp:
            return gettext.GNUTranslations(fp)
    # a checkout where `make translations` has not run yet: compile the source in memory
    return gettext.GNUTranslations(io.BytesIO(compile_po(po)))


def compile_po(po: Path) -> bytes:
    """The .mo bytes of a .po file (Babel's compiler, as `pybabel compile` runs it)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fp:
        catalog = read_po(fp)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def gettext_(language: str | None, message: str) -> str:
    return translation(language).gettext(message)


def pgettext(language: str | None, context: str, message: str) -> str:
    return translation(language).pgettext(context, message)


def ngettext(language: str | None, singular: str, plural: str, n: int) -> str:
    return translation(language).ngettext(singular, plural, n)


def npgettext(language: str | None, context: str, singular: str, plural: str, n: int) -> str:
    return translation(language).npgettext(context, singular, plural, n)


def fill(template: str, args: Mapping[str, object]) -> str:
    """``template`` with its {named} fields filled; a template without arguments is kept
    as it is (a fixed sentence may hold a brace)."""
    return template.format(**args) if args else template


def message(language: str | None, message_id: str, args: Mapping[str, object], *,
            plural_id: str | None = None, count: int | None = None) -> str:
    """A message id with its arguments, in ``language``; plural forms by gettext's rules
    (``count`` picks the form and is available to the template as {n})."""
    t = translation(language)
    args = {k: t.pgettext(v.context, v) if isinstance(v, Term) and v
            else v.text(language) if isinstance(v, Phrase | Joined) else v
            for k, v in args.items()}
    if plural_id is not None and count is not None:
        return t.ngettext(message_id, plural_id, count).format(n=count, **args)
    return fill(t.gettext(message_id), args)
