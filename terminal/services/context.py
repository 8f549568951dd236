"""Who, where and when a service call happens, and the installation's signing secret."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from ..core.config import Settings
from ..core.rules import Programme
from ..db import models as m


def local_now() -> datetime:
    return datetime.now()


@dataclass
class Context:
    settings: Settings = field(default_factory=Settings)
    staff_id: str = "system"
    clock: Callable[[], datetime] = local_now
    print_receipts: bool = False  # the counter queues every receipt; the CLI tools do not
    _installation: tuple[str, bytes] | None = field(default=None, repr=False)

    @property
    def programme(self) -> Programme:
        """The rules in force now (``now()``: a sale's time): the database's version
        (services.programme); the settings' while no database is open."""
        if m.ProgrammeVersion._meta.database.obj is None:
            return self.settings.programme
        from .programme import in_force  # programme imports audit, which imports this

        return in_force(self)

    def programme_at(self, at: datetime) -> Programme:
        """The rules in force at ``at``: a refund applies its sale's."""
        if m.ProgrammeVersion._meta.database.obj is None:
            return self.settings.programme
        from .programme import in_force

        return in_force(self, at)

    @property
    def currency(self) -> str:
        return self.settings.store.currency

    @property
    def store_id(self) -> str:
        return self.settings.store.store_id

    @property
    def terminal_id(self) -> str:
        return self.settings.store.terminal_id

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.now().date()

    def origin(self) -> dict[str, object]:
        """The columns every row made at this counter carries."""
        return {"created_at": self.now(), "store_id": self.store_id,
                "terminal_id": self.terminal_id, "staff_id": self.staff_id}

    def installation(self) -> tuple[str, bytes]:
        """(installation id, member-code secret), read once from the database."""
        if self._installation is None:
            rows = {r.key: r.value for r in m.Meta.select()}
            self._installation = (rows["installation_id"],
                                  base64.b64decode(rows["member_code_secret"]))
        return self._installation

    def as_staff(self, staff_id: str) -> Context:
        return replace(self, staff_id=staff_id)
