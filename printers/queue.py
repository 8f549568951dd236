"""The print worker: sends this terminal's queued jobs to its printer, one at a time, on its own
thread, so a printer that is off or slow never holds up the counter."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from terminal.core.config import Settings
from terminal.core.i18n import Phrase
from terminal.services import printing
from terminal.services.context import Context

from .errors import PrinterError
from .print_jobs import DATA_TYPES, Printed, PrintJob, print_job

IDLE_POLL = 2.0  # seconds between looks at the queue when nothing woke the worker

log = logging.getLogger(__name__)


class PrintWorker:
    """``start()`` a thread that claims due jobs and prints them; ``wake()`` after queueing.

    The thread uses its own database connection (peewee keeps one per thread). A printer
    error (it did not take the whole job) leaves the job pending for a later attempt (the
    queue decides when); a job that cannot print at all (bad data, no driver) is marked
    failed for the cashier to see. A job the printer took is done when the printer confirmed
    it, sent when it cannot confirm, and unconfirmed (the cashier decides) when it could
    have but did not.
    ``on_change`` is called, on the worker thread, after every job it touched, and
    ``on_error`` with the exception when the queue itself cannot be read (once per new
    error, not every poll); either way every error is in the log.
    """

    def __init__(self, settings: Settings, ctx: Context, *,
                 on_change: Callable[[printing.JobView], None] | None = None,
                 on_error: Callable[[Exception], None] | None = None,
                 send: Callable[[PrintJob, Settings], Printed] = print_job,
                 poll: float = IDLE_POLL) -> None:
        self.settings = settings
        self.ctx = ctx
        self.on_change = on_change
        self.on_error = on_error
        self._send = send
        self._poll = poll
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error = ""  # why the worker could not reach the queue last time

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="printer", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 15.0) -> bool:
        """Ask the thread to finish its current job and stop; True once it has."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    def _run(self) -> None:
        recovered = False
        told = ""  # the error last logged and shown
        while not self._stop.is_set():
            try:
                if not recovered:
                    printing.recover(self.ctx)
                    recovered = True
                if self.run_once():
                    told = ""
                    continue
            except Exception as exc:  # the database is busy or gone: the queue keeps the jobs
                self.last_error = str(exc)
                if self.last_error != told:  # told once, not at every poll
                    told = self.last_error
                    log.error("the print queue cannot be read", exc_info=exc)
                    if self.on_error is not None:
                        self.on_error(exc)
            else:
                told = ""
            self._wake.wait(self._poll)
            self._wake.clear()

    def run_once(self) -> bool:
        """Print the next due job, if any; False when none was due."""
        job = printing.claim(self.ctx)
        if job is None:
            return False
        settings = self.settings
        if job.attempts > 1:  # the drawer opened (or not) at the sale, not minutes later
            settings = replace(settings, printer=replace(settings.printer, cash_drawer=False))
        try:
            data: Any = printing.decode(DATA_TYPES[job.kind], job.payload)
            delivery = self._send(PrintJob(job.kind, data, job.copy), settings).delivery
        except PrinterError as exc:
            log.warning("printing %s %s: %s", job.kind, job.id, exc.message)
            # the message id and its arguments, for the counter to word in its language
            view = printing.failed(self.ctx, job.id, exc)
            if not exc.retryable:
                view = printing.give_up(self.ctx, job.id, exc)
        except Exception as exc:  # a job that cannot print must not stop the ones after it
            log.error("printing %s %s failed", job.kind, job.id, exc_info=exc)
            # not the exception's text, which means nothing to a cashier: the log has it
            view = printing.give_up(self.ctx, job.id, Phrase(
                "this job cannot be printed: the details are in the log"))
        else:
            if delivery.outcome == "confirmed":
                printing.done(self.ctx, job.id)
                view = printing.view(job.id)
            elif delivery.outcome == "sent":
                view = printing.sent(self.ctx, job.id)
            else:
                view = printing.unconfirmed(self.ctx, job.id, delivery.message)
        if self.on_change is not None:
            self.on_change(view)
        return True
