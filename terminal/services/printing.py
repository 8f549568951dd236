"""The print queue: documents wait in the database until this terminal's printer takes them.

A sale's receipt is queued in the sale's own transaction, so a crash can lose neither; the
printer worker claims one job at a time. A printer that is off, takes no data or drops the
connection leaves the job pending, tried again later with a growing delay; a job cut short
by a crash is not sent again on its own (the paper may already be out) but shown as failed
for the cashier to reprint.

A job the printer took whole ends in one of three states:

* ``done``: the printer answered a status request (DLE EOT) afterwards, online with paper
  (or the cashier said an unconfirmed one came out);
* ``sent``: the connection cannot answer (file, CUPS, dummy, ``reports_status = false``):
  sent, the printer gives no confirmation; nothing more can ever be known, so it is final;
* ``unconfirmed``: the printer could have answered but did not (or said it is out of paper
  or offline). It is never sent again on its own: every byte reached the printer, so the
  receipt may well be on paper, and a second original the cashier did not ask for is how
  a receipt gets printed twice (and, with the drawer, the till opened twice). It stays on
  the cashier's list until the cashier looks at the printer and says which: "Printed" (it
  came out: done) or "Retry" (it did not: the same receipt again, without opening the
  drawer); "Reprint" gives a copy marked COPY. So a receipt is never lost (it stays on the
  list) and never printed twice without the cashier's choice.

Why a job is on the list (``last_error``) is kept as its message id with the arguments, as
JSON in the same text column ({"id": ..., "args": {...}}, a Phrase among the arguments
nested the same way), so each window words it in its own language; a row holding a plain
sentence (written by an earlier version) reads as it is. No new column: the text column
already holds the one value, and old and new rows stay apart by their shape.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal, TypeVar, get_args

import dacite

from ..core.errors import DomainError, InvalidInput, NotFound
from ..core.i18n import Phrase, Term
from ..db import models as m
from ..db.database import write_transaction
from ..db.prepared import insert
from .context import Context
from .receipts import Receipt, receipt_for

# the kinds of document the queue holds, declared here once (printers maps each to its layout)
JobKind = Literal["receipt", "coupon", "member_card", "report", "test"]
KINDS: tuple[str, ...] = get_args(JobKind)
GIVE_UP_AFTER = 12  # attempts (about ten minutes of backoff) before a job shows as failed
MAX_DELAY = 60  # seconds between attempts at most
INTERRUPTED = Phrase("interrupted while printing: check the paper and reprint if it is missing")
CONFIRMED = Phrase("confirmed by the cashier")
# Not printed yet, as far as this terminal knows: what the cashier's list shows.
OUTSTANDING = ("pending", "printing", "unconfirmed", "failed")

T = TypeVar("T")


def _plain(value: object) -> object:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot keep {type(value).__name__} in a print job")


def encode(data: object) -> str:
    """A document's data (a dataclass) as JSON."""
    if not dataclasses.is_dataclass(data) or isinstance(data, type):
        raise TypeError("a print job holds a dataclass instance")
    return json.dumps(dataclasses.asdict(data), default=_plain, ensure_ascii=False)


_DACITE = dacite.Config(
    type_hooks={datetime: datetime.fromisoformat, date: date.fromisoformat,
                uuid.UUID: uuid.UUID},
    cast=[tuple], strict=True)


def decode(cls: type[T], text: str) -> T:
    return dacite.from_dict(cls, json.loads(text), config=_DACITE)


# Why a job is on the list: a sentence for the cashier (a Phrase, or a DomainError such as
# the printer's PrinterError; a plain str is kept as it is).
Said = str | DomainError
LONGEST_ARGUMENT = 300  # characters of one argument kept (a CUPS or system message)


def _stored_argument(value: object) -> object:
    if isinstance(value, Phrase) and value.plural_id is None:  # a plural one: its English
        return _stored_message(value.message_id, value.args)
    if isinstance(value, Term):
        return {"term": str(value), "context": value.context}
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)[:LONGEST_ARGUMENT]


def _stored_message(message_id: str, args: dict[str, Any]) -> dict[str, object]:
    return {"id": message_id, "args": {k: _stored_argument(v) for k, v in args.items()}}


def store_said(said: Said) -> str:
    """``last_error`` as written: a message's id and arguments as JSON; a plain str (no id
    to keep) as it is."""
    if isinstance(said, DomainError) and said.plural_id is None:
        return json.dumps(_stored_message(said.message_id, said.args_dict), ensure_ascii=False)
    if isinstance(said, Phrase) and said.plural_id is None:
        return json.dumps(_stored_message(said.message_id, said.args), ensure_ascii=False)
    return str(said)[:500]


# A Phrase read back from the queue. Not spelled Phrase(...): the catalogue's extractor
# takes every Phrase(...) call for a message said there, and this id was said (as a literal,
# found there) where the job failed.
_said_again = Phrase


def _is_message(value: object) -> bool:
    return (isinstance(value, dict) and set(value) == {"id", "args"}
            and isinstance(value["id"], str) and isinstance(value["args"], dict))


def _read_argument(value: object) -> object:
    if _is_message(value):
        return _read_message(value)  # type: ignore[arg-type]
    if isinstance(value, dict) and set(value) == {"term", "context"}:
        return Term(str(value["term"]), str(value["context"]))
    return value


def _read_message(data: dict[str, Any]) -> Phrase:
    args: dict[str, Any] = {k: _read_argument(v) for k, v in data["args"].items()}
    return _said_again(data["id"], **args)


def read_said(text: str) -> str:
    """``last_error`` as the window gets it: a Phrase (English as a str, ``text(language)``
    in another), or an old row's plain sentence as it is."""
    if not text.startswith("{"):
        return text
    try:
        data = json.loads(text)
        return _read_message(data) if _is_message(data) else text
    except (ValueError, KeyError, IndexError, TypeError):  # not ours, or a field it lacks
        return text


@dataclass(frozen=True)
class JobView:
    id: uuid.UUID
    kind: str
    status: str
    copy: bool
    created_at: datetime
    attempts: int
    last_error: str  # a Phrase to word in the reader's language; "" or an old row's text
    receipt_no: str | None


def enqueue(ctx: Context, kind: str, data: object, *, txn_id: object = None,
            copy: bool = False) -> m.PrintJob:
    """Queue a document for this terminal's printer (inside the caller's transaction, if
    any)."""
    if kind not in KINDS:
        raise InvalidInput("unknown document kind {kind!r}", kind=kind)
    return insert(m.PrintJob, **ctx.origin(), kind=kind, txn=txn_id, copy=copy,
                  payload=encode(data), next_attempt_at=ctx.now())


def recorded(ctx: Context, receipt: Receipt) -> Receipt:
    """A transaction's receipt, queued for printing when this context prints receipts."""
    if ctx.print_receipts:
        enqueue(ctx, "receipt", receipt, txn_id=receipt.txn_id)
    return receipt


def reprint(ctx: Context, txn_id: object) -> m.PrintJob:
    """Queue a copy of a transaction's receipt: as it was printed, if it was queued then."""
    original = (m.PrintJob.select().where((m.PrintJob.txn == txn_id)
                                          & (m.PrintJob.kind == "receipt")
                                          & (m.PrintJob.copy == False))  # noqa: E712
                .order_by(m.PrintJob.created_at).first())
    with write_transaction():
        if original is not None:
            return insert(m.PrintJob, **ctx.origin(), kind="receipt", txn=txn_id, copy=True,
                          payload=original.payload, next_attempt_at=ctx.now())
        return enqueue(ctx, "receipt", receipt_for(ctx, txn_id), txn_id=txn_id, copy=True)


def claim(ctx: Context) -> m.PrintJob | None:
    """The next job due on this terminal, now marked as printing; None when there is none."""
    now = ctx.now()
    with write_transaction():
        job = (m.PrintJob.select()
               .where((m.PrintJob.terminal_id == ctx.terminal_id)
                      & (m.PrintJob.status == "pending") & (m.PrintJob.next_attempt_at <= now))
               .order_by(m.PrintJob.next_attempt_at, m.PrintJob.created_at).first())
        if job is None:
            return None
        taken = (m.PrintJob.update(status="printing", attempts=m.PrintJob.attempts + 1)
                 .where((m.PrintJob.id == job.id) & (m.PrintJob.status == "pending"))
                 .execute())
        if not taken:  # another worker of this terminal took it first
            return None
        job.status, job.attempts = "printing", job.attempts + 1
        return job


def done(ctx: Context, job_id: object) -> None:
    """The printer took the whole job and confirmed it."""
    with write_transaction():
        m.PrintJob.update(status="done", printed_at=ctx.now(), last_error="").where(
            m.PrintJob.id == job_id).execute()


def sent(ctx: Context, job_id: object) -> JobView:
    """The printer took the whole job and cannot confirm it (it has no status to ask)."""
    with write_transaction():
        m.PrintJob.update(status="sent", printed_at=ctx.now(), last_error="").where(
            m.PrintJob.id == job_id).execute()
    return view(job_id)


def unconfirmed(ctx: Context, job_id: object, why: Said) -> JobView:
    """The printer took the whole job but did not confirm it: the cashier decides (see the
    module's docstring); it is not tried again on its own."""
    with write_transaction():
        m.PrintJob.update(status="unconfirmed", last_error=store_said(why)).where(
            m.PrintJob.id == job_id).execute()
    return view(job_id)


def confirm_printed(ctx: Context, job_id: object) -> JobView:
    """The cashier saw an unconfirmed job on paper: done."""
    with write_transaction():
        changed = (m.PrintJob.update(status="done", printed_at=ctx.now(),
                                     last_error=store_said(CONFIRMED))
                   .where((m.PrintJob.id == job_id) & (m.PrintJob.status == "unconfirmed"))
                   .execute())
    if not changed:
        raise InvalidInput("only a receipt the printer did not confirm can be marked printed")
    return view(job_id)


def failed(ctx: Context, job_id: object, error: Said) -> JobView:
    """The printer refused or dropped the job: try again later, or give up after a while."""
    with write_transaction():
        job = m.PrintJob.get_or_none(m.PrintJob.id == job_id)
        if job is None:
            raise NotFound("no such print job")
        give_up = job.attempts >= GIVE_UP_AFTER
        delay = min(MAX_DELAY, 2 ** max(0, job.attempts - 1))
        m.PrintJob.update(
            status="failed" if give_up else "pending", last_error=store_said(error),
            next_attempt_at=ctx.now() + timedelta(seconds=delay)).where(
            m.PrintJob.id == job_id).execute()
    return view(job_id)


def give_up(ctx: Context, job_id: object, error: Said) -> JobView:
    """A job that cannot print as it is (bad settings, missing driver): failed at once."""
    with write_transaction():
        m.PrintJob.update(status="failed", last_error=store_said(error)).where(
            m.PrintJob.id == job_id).execute()
    return view(job_id)


def retry(ctx: Context, job_id: object) -> JobView:
    """Send a failed, waiting or unconfirmed job again now (the cashier fixed the printer, or
    saw that the unconfirmed one did not come out)."""
    with write_transaction():
        job = m.PrintJob.get_or_none(m.PrintJob.id == job_id)
        # A fresh count of attempts, but never back to the first: the worker opens the cash
        # drawer on the first attempt only, and it was sent then (an unconfirmed job's
        # certainly was).
        changed = job is not None and (
            m.PrintJob.update(status="pending", next_attempt_at=ctx.now(),
                              attempts=min(job.attempts, 1))
            .where((m.PrintJob.id == job_id)
                   & m.PrintJob.status.in_(("pending", "failed", "unconfirmed"))).execute())
    if not changed:
        raise InvalidInput("this job is printed or printing already: reprint the sale instead")
    return view(job_id)


def recover(ctx: Context) -> int:
    """At start: jobs this terminal was printing when it stopped are shown as failed."""
    with write_transaction():
        return (m.PrintJob.update(status="failed", last_error=store_said(INTERRUPTED))
                .where((m.PrintJob.terminal_id == ctx.terminal_id)
                       & (m.PrintJob.status == "printing")).execute())


def _view(job: m.PrintJob, receipt_no: str | None) -> JobView:
    return JobView(job.id, job.kind, job.status, job.copy, job.created_at, job.attempts,
                   read_said(job.last_error), receipt_no)


def view(job_id: object) -> JobView:
    job = m.PrintJob.get_or_none(m.PrintJob.id == job_id)
    if job is None:
        raise NotFound("no such print job")
    return _view(job, m.Txn.get_by_id(job.txn_id).receipt_no if job.txn_id else None)


def outstanding(ctx: Context) -> list[JobView]:
    """This terminal's jobs not printed yet, oldest first: what the window shows."""
    jobs = list(m.PrintJob.select().where(
        (m.PrintJob.terminal_id == ctx.terminal_id) & m.PrintJob.status.in_(OUTSTANDING))
        .order_by(m.PrintJob.created_at))
    ids = {j.txn_id for j in jobs if j.txn_id}
    numbers = {t.id: t.receipt_no for t in m.Txn.select(m.Txn.id, m.Txn.terminal_id, m.Txn.seq)
               .where(m.Txn.id.in_(ids))} if ids else {}
    return [_view(j, numbers.get(j.txn_id)) for j in jobs]


def last_finished(ctx: Context) -> JobView | None:
    """This terminal's latest job that left the list (done or sent): the window says "all
    printed" only when it was confirmed."""
    job = (m.PrintJob.select().where((m.PrintJob.terminal_id == ctx.terminal_id)
                                     & m.PrintJob.status.in_(("done", "sent")))
           .order_by(m.PrintJob.printed_at.desc(), m.PrintJob.created_at.desc()).first())
    return None if job is None else view(job.id)
