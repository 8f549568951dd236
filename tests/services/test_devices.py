"""This terminal's devices and ids: read with the file's unusable values named by field,
saved by a manager with the rest of the file kept, a new terminal id only when confirmed."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from terminal.core import settings_file
from terminal.core.errors import Conflict, InvalidInput, PermissionDenied
from terminal.db import models as m
from terminal.services import devices, staff
from terminal.services.context import Context
from tests.helpers import factory

FILE = """# this counter's own settings: keep this comment
[store]
name = "小王便利店"  # on every receipt
terminal_id = "T01"

[printer]
connection = "network:192.168.1.50:9100"
paper_mm = 66  # a typo: 58 was meant
"""


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "config.toml"
    target.write_text(FILE, encoding="utf-8")
    return target


@pytest.fixture
def manager(ctx: Context) -> Context:
    return ctx.as_staff(factory.manager(ctx))


def test_a_bad_value_in_the_file_is_named_by_its_field(ctx: Context, path: Path) -> None:
    view = devices.read(ctx, path)
    assert view.path == path
    assert view.devices.connection == "network:192.168.1.50:9100"
    assert view.devices.paper_mm == 80  # the counter's fallback
    assert list(view.notes) == ["paper_mm"]
    assert "got 66" in view.notes["paper_mm"] and "default 80" in view.notes["paper_mm"]


def test_a_key_the_program_does_not_know_is_noted_apart(ctx: Context, tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    target.write_text('[camera]\nsource = "1"\nzoom = 2\n', encoding="utf-8")
    view = devices.read(ctx, target)
    assert view.notes == {} and view.devices.camera_source == "1"
    assert len(view.other_notes) == 1 and "[camera] zoom" in view.other_notes[0]


def test_saving_writes_every_field_and_keeps_the_rest(manager: Context, path: Path) -> None:
    new = replace(devices.read(manager, path).devices, connection="file:/tmp/lp0",
                  paper_mm=58, encoding="GBK", columns=30, cash_drawer=False,
                  reports_status=False, camera_source="/tmp/codes", camera_backend="pyzbar",
                  store_id="SH-02")
    saved = devices.save(manager, new, path=path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# this counter's own settings: keep this comment\n")
    assert 'name = "小王便利店"  # on every receipt' in text
    again = settings_file.load(path)
    assert again.warnings == ()
    assert devices.Devices.of(again) == new == devices.Devices.of(saved.settings)
    assert saved.changed == ("printer", "camera", "ids")
    (entry,) = m.AuditEntry.select().where(m.AuditEntry.action == "devices_set")
    assert json.loads(entry.before)["paper_mm"] == 80
    assert json.loads(entry.after)["connection"] == "file:/tmp/lp0"


def test_a_cashier_cannot_change_the_devices(ctx: Context, path: Path) -> None:
    factory.manager(ctx)
    owner = next(p for p in staff.active() if p.role == "owner")
    cashier = ctx.as_staff(str(staff.create(ctx, "Li", "cashier", "5555",
                                            approved_by=owner.id).id))
    with pytest.raises(PermissionDenied):
        devices.save(cashier, devices.read(ctx, path).devices, path=path)
    assert path.read_text(encoding="utf-8") == FILE


@pytest.mark.parametrize(("field", "value"), [
    ("terminal_id", "T 01"), ("terminal_id", "T" * 33), ("terminal_id", ""),
    ("store_id", "店一"), ("paper_mm", 66), ("columns", 12), ("connection", ""),
    ("camera_backend", "opencv"), ("encoding", ""),
])
def test_a_bad_value_is_refused_by_its_field_and_nothing_written(
        manager: Context, path: Path, field: str, value: object) -> None:
    bad = replace(devices.read(manager, path).devices, **{field: value})
    assert list(devices.problems(bad)) == [field]
    with pytest.raises(InvalidInput):
        devices.save(manager, bad, new_terminal_confirmed=True, path=path)
    assert path.read_text(encoding="utf-8") == FILE


def test_a_new_terminal_id_needs_confirming_and_names_the_next_receipt(
        manager: Context, path: Path) -> None:
    new = replace(devices.read(manager, path).devices, terminal_id="T02")
    with pytest.raises(Conflict, match="from T02-000001 on"):
        devices.save(manager, new, path=path)
    assert path.read_text(encoding="utf-8") == FILE
    saved = devices.save(manager, new, new_terminal_confirmed=True, path=path)
    assert saved.settings.store.terminal_id == "T02"
    assert settings_file.load(path).store.terminal_id == "T02"


def test_the_next_receipt_continues_a_terminal_id_already_used(
        ctx: Context, catalogue: dict[str, m.Product]) -> None:
    factory.sale(ctx, [("LATTE", 1)])
    factory.sale(ctx, [("TEA", 1)])
    assert devices.next_receipt(ctx.terminal_id) == f"{ctx.terminal_id}-000003"
    assert devices.next_receipt("NEW-1") == "NEW-1-000001"
