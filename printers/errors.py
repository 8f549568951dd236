"""The one exception a print job raises: PrinterError, with a message for the cashier."""

from __future__ import annotations

from typing import Literal

# Why a job failed; the print queue retries every reason except "config" and "unsupported",
# which need someone to change the settings or install a driver first.
Reason = Literal["config", "unsupported", "not_found", "offline", "paper_out", "dropped",
                 "timeout"]


class PrinterError(Exception):
    """A printer problem described for the cashier; ``retryable`` tells the queue what to do."""

    def __init__(self, message: str, reason: Reason = "offline") -> None:
        super().__init__(message)
        self.message = message
        self.reason: Reason = reason

    @property
    def retryable(self) -> bool:
        return self.reason not in ("config", "unsupported")
