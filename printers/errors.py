"""The one exception a print job raises: PrinterError, a domain error worded for the cashier."""

from __future__ import annotations

from typing import Any, Literal

from terminal.core.errors import DomainError

# Why a job failed; the print queue retries every reason except "config" and "unsupported",
# which need someone to change the settings or install a driver first.
Reason = Literal["config", "unsupported", "not_found", "offline", "paper_out", "dropped",
                 "timeout"]


class PrinterError(DomainError):
    """A printer problem described for the cashier; ``retryable`` tells the queue what to do.

    Raised like every domain error: a literal message id and its keyword arguments (the
    printer, a ``Connection.describe()`` Phrase, translated with it), so the print queue can
    keep the id and the counter show it in its own language; ``str()`` is English.
    """

    code = "printer"

    def __init__(self, message: str, /, reason: Reason = "offline", **args: Any) -> None:
        super().__init__(message, **args)
        self.reason: Reason = reason

    @property
    def retryable(self) -> bool:
        return self.reason not in ("config", "unsupported")
