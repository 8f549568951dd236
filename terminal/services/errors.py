"""The database's refusals a window must recognise, so that it never imports the database."""

from __future__ import annotations

from ..db.database import DatabaseBusy, DatabaseUrlError, DuplicateRecord

__all__ = ["DatabaseBusy", "DatabaseUrlError", "DuplicateRecord"]
