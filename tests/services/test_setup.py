"""The set-up's steps: what is set up, store details and devices written into the settings
file (the rest of it kept), the first owner, the printer's answer, demo data refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from terminal.core import settings_file
from terminal.core.config import Settings
from terminal.core.errors import Conflict, InvalidInput, PermissionDenied
from terminal.db import models as m
from terminal.services import setup, staff
from terminal.services.context import Context
from tests.helpers import factory

EXISTING = """# the shop's settings: keep this comment
[database]
url = ""  # the SQLite file in the data dir

[points]
earn_per_unit = 2
"""


def entries(action: str) -> list[m.AuditEntry]:
    return list(m.AuditEntry.select().where(m.AuditEntry.action == action))


def test_an_empty_database_needs_setting_up(ctx: Context, tmp_path: Path) -> None:
    st = setup.state(ctx, tmp_path / "none.toml")
    assert st.needed and st.demo_allowed
    assert (st.staff, st.owners, st.store_named, st.printer, st.printer_checked, st.camera) \
        == (0, (), False, "dummy", False, "")


def test_store_details_are_written_and_the_rest_of_the_file_kept(
        ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(EXISTING, encoding="utf-8")
    new = setup.save_store(ctx, setup.StoreDetails(" 小王便利店 ", "上海市 1 号", "021-1234",
                                                   "cny", "zh_CN"), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(EXISTING)  # comments, order and values untouched
    assert (new.store.name, new.store.address, new.store.currency, new.store.language) == \
        ("小王便利店", "上海市 1 号", "CNY", "zh_CN")
    again = settings_file.load(path)
    assert again.store == new.store and again.programme.points.earn_per_unit == 2
    assert path.stat().st_mode & 0o777 == 0o600
    (entry,) = entries("store_details_set")
    assert json.loads(entry.after)["name"] == "小王便利店"
    assert json.loads(entry.before)["name"] == Settings().store.name
    assert setup.state(ctx, path).store_named


def test_a_missing_settings_file_is_made(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    setup.save_store(ctx, setup.StoreDetails("Shop"), path)
    assert settings_file.load(path).store.name == "Shop"


@pytest.mark.parametrize(("details", "message"), [
    (setup.StoreDetails("  "), "needs a name"),
    (setup.StoreDetails("Shop", currency="XYZ"), "not a currency"),
    (setup.StoreDetails("Shop", language="fr"), "the language is one of"),
    (setup.StoreDetails("Shop", phone="1" * 41), "at most 40"),
])
def test_bad_store_details_write_nothing(ctx: Context, tmp_path: Path, details, message
                                        ) -> None:
    path = tmp_path / "config.toml"
    path.write_text(EXISTING, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        setup.save_store(ctx, details, path)
    assert path.read_text(encoding="utf-8") == EXISTING
    assert not entries("store_details_set")


def test_a_file_with_a_problem_elsewhere_is_not_rewritten(ctx: Context, tmp_path: Path
                                                          ) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[points]\nearn_per_unit = -1\n", encoding="utf-8")
    with pytest.raises(Conflict, match="cannot be changed"):
        setup.save_store(ctx, setup.StoreDetails("Shop"), path)
    assert path.read_text(encoding="utf-8") == "[points]\nearn_per_unit = -1\n"


def test_printer_and_camera_are_written_and_the_test_answer_recorded(
        ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    out = tmp_path / "lp0"
    new = setup.save_printer(ctx, setup.PrinterChoice(f"file:{out}", 58, "GB18030"), path)
    assert (new.printer.connection, new.printer.paper_mm) == (f"file:{out}", 58)
    ctx.settings = new
    assert not setup.state(ctx, path).printer_checked
    setup.record_printer_check(ctx, f"file:{out}", False, "sent")
    assert not setup.state(ctx, path).printer_checked
    setup.record_printer_check(ctx, f"file:{out}", True, "sent")
    assert setup.state(ctx, path).printer_checked
    ctx.settings = setup.save_camera(ctx, "clip.avi", path)
    assert ctx.settings.camera.source == "clip.avi"
    assert setup.state(ctx, path).camera == "clip.avi"
    assert [json.loads(e.after)["printed"] for e in entries("printer_checked")] == [False, True]
    assert len(entries("printer_set")) == len(entries("camera_set")) == 1
    with pytest.raises(InvalidInput, match="80 or 58"):
        setup.save_printer(ctx, setup.PrinterChoice("dummy", 76), path)


def test_the_first_owner_needs_no_approver(ctx: Context) -> None:
    with pytest.raises(InvalidInput, match="two PINs differ"):
        setup.create_owner(ctx, "Wang", "1234", "4321")
    owner = setup.create_owner(ctx, "Wang", "1234", "1234")
    assert (owner.role, owner.name) == ("owner", "Wang")
    (entry,) = entries("staff_added")
    assert entry.approved_by is None
    with pytest.raises(Conflict, match="1 staff accounts already"):
        setup.create_owner(ctx, "Li", "5678")
    # the same rule in staff.create: with active staff an approver is needed
    with pytest.raises(PermissionDenied, match="needs a manager's approval"):
        staff.create(ctx, "Li", "owner", "5678")


def test_only_inactive_staff_counts_as_none(ctx: Context) -> None:
    owner = setup.create_owner(ctx, "Wang", "1234")
    m.Staff.update(active=False).where(m.Staff.id == owner.id).execute()
    again = setup.create_owner(ctx, "Li", "5678")
    assert [s.name for s in staff.active()] == [again.name]


def test_demo_data_only_into_an_empty_shop(ctx: Context, tmp_path: Path) -> None:
    setup.check_demo(ctx)
    factory.member(ctx)
    with pytest.raises(Conflict, match="already has 1 members"):
        setup.check_demo(ctx)
    assert not setup.state(ctx, tmp_path / "none.toml").demo_allowed


def test_apply_runs_every_step(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    made: list[str] = []

    def demo(c: Context) -> dict[str, int]:
        made.append(c.staff_id)
        factory.member(c)
        return {"members": 1}

    plan = setup.Plan(setup.StoreDetails("Shop", language="zh_CN"), "Wang", "1234",
                      setup.PrinterChoice("dummy", 58), "none", demo=True)
    done = setup.apply(ctx, plan, path, demo)
    assert done.owner is not None and made == [str(done.owner.id)]
    assert (done.settings.store.language, done.settings.printer.paper_mm,
            done.settings.camera.source, done.demo) == ("zh_CN", 58, "none", {"members": 1})
    # again: a second owner and demo data are refused before anything is written
    before = path.read_text(encoding="utf-8")
    with pytest.raises(Conflict, match="staff accounts already"):
        setup.apply(ctx, setup.Plan(setup.StoreDetails("Other"), "Li", "5678"), path)
    with pytest.raises(Conflict, match="already has 1 members"):
        setup.apply(ctx, setup.Plan(setup.StoreDetails("Other"), demo=True), path, demo)
    assert path.read_text(encoding="utf-8") == before
    other = Context(ctx.settings, staff_id="system", clock=ctx.clock)
    with pytest.raises(PermissionDenied, match="needs a manager's approval"):
        setup.apply(other, setup.Plan(setup.StoreDetails("Other")), path)
    setup.apply(ctx, setup.Plan(setup.StoreDetails("Other")), path)  # the owner, again
    assert settings_file.load(path).store.name == "Other"
