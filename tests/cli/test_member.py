"""The ``member`` command: list, edit, replace a card, merge, give a coupon."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from terminal import cli
from terminal.db import models as m
from terminal.db.database import close_database, open_database, proxy
from terminal.services import integrity
from terminal.services.context import Context
from terminal.services.coupons import ensure_default_templates
from tests.helpers import factory

AS_MANAGER = ["--manager", "Manager Wang 王"]


@pytest.fixture
def shop(db_url: str, clock) -> Iterator[dict[str, str]]:
    """A closed database with a manager (PIN 9999) and two records of Alice, each with
    stored value; the URL and their card numbers."""
    open_database(db_url)
    ensure_default_templates()
    ctx = Context(staff_id="t", clock=clock)
    factory.manager(ctx)
    first, second = factory.member(ctx, "Alice"), factory.member(ctx, "Alice Li")
    factory.top_up(ctx, first.id, 10_000)
    factory.top_up(ctx, second.id, 5_000)
    close_database()
    yield {"url": db_url, "first": first.card_no, "second": second.card_no,
           "second_phone": second.phone}
    close_database()
    proxy.initialize(None)


def run(shop: dict[str, str], *argv: str) -> int:
    return cli.main(["member", *argv, "--db", shop["url"]])


def test_list_edit_and_merge_from_the_command_line(shop, pin, capsys) -> None:
    assert run(shop, "list", "alice") == 0
    out = capsys.readouterr().out
    assert "Alice Li" in out and "2 members" in out
    assert run(shop, "list", "alice", "--limit", "1") == 0
    assert "members 1 to 1 of 2" in capsys.readouterr().out

    assert run(shop, "edit", shop["first"], "--name", " Alice  Wang ", "--consent", "yes") == 0
    assert "Alice Wang" in capsys.readouterr().out
    assert run(shop, "edit", shop["first"], "--phone", shop["second_phone"]) == 1
    assert "is already enrolled" in capsys.readouterr().err

    pin.append("9999")
    assert run(shop, "merge", shop["first"], shop["second"], *AS_MANAGER,
               "--reason", "enrolled twice") == 0
    assert f"card {shop['second']} merged into card {shop['first']}" in \
        capsys.readouterr().out
    assert run(shop, "edit", shop["second"], "--name", "x") == 1
    assert f"This card was merged into card {shop['first']}." in capsys.readouterr().err
    open_database(shop["url"])
    kept = m.Member.get(m.Member.card_no == shop["first"])
    assert kept.name == "Alice Wang" and kept.marketing_consent
    assert kept.stored_value_balance >= 15_000
    assert integrity.check() == []


def test_replace_a_card_and_give_a_coupon_need_the_managers_pin(shop, pin, capsys) -> None:
    pin.append("0000")  # wrong
    assert run(shop, "replace-card", shop["first"], *AS_MANAGER) == 1
    assert "was not approved" in capsys.readouterr().err
    pin.append("9999")
    assert run(shop, "replace-card", shop["first"], *AS_MANAGER, "--reason", "lost") == 0
    out = capsys.readouterr().out
    assert f"card {shop['first']} replaced by card" in out
    assert run(shop, "list", shop["first"]) == 0  # the old card still finds its member
    assert "Alice" in capsys.readouterr().out
    pin.append("9999")
    assert run(shop, "give-coupon", shop["second"], "BIRTHDAY", *AS_MANAGER,
               "--reason", "sorry") == 0
    assert "(BIRTHDAY) given to card" in capsys.readouterr().out
    open_database(shop["url"])
    assert m.RetiredCard.get_by_id(shop["first"]).member.name == "Alice"
    assert integrity.check() == []


def test_member_link_prints_the_signed_page_link_and_revokes_it(shop, pin, capsys,
                                                                 tmp_path) -> None:
    config = tmp_path / "web.toml"
    config.write_text('[web]\npublic_url = "https://members.example.com"\n'
                      'local_url = "http://192.168.1.20:8080"\n', encoding="utf-8")
    link = ["member-link", shop["first"], "--db", shop["url"]]
    assert cli.main(link) == 1  # no public address in the settings
    assert "no [web] public_url" in capsys.readouterr().err
    assert cli.main([*link, "--config", str(config)]) == 0
    first = capsys.readouterr().out.strip()
    assert first.startswith(f"https://members.example.com/m/L1.{shop['first']}.0.")
    assert cli.main([*link, "--config", str(config), "--local"]) == 0
    assert capsys.readouterr().out.strip().startswith("http://192.168.1.20:8080/m/L1.")
    pin.append("9999")
    assert cli.main([*link, "--config", str(config), "--revoke", *AS_MANAGER]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"the earlier links of card {shop['first']} no longer work"
    assert out[1].startswith(f"https://members.example.com/m/L1.{shop['first']}.1.")


def test_erase_from_the_command_line_says_which_backups_still_hold_the_data(
        shop, pin, capsys, tmp_path) -> None:
    from terminal.db.database import is_sqlite

    pin.append("9999")
    assert run(shop, "erase", shop["first"], *AS_MANAGER, "--reason", "asked") == 1
    assert "cash" in capsys.readouterr().err.lower()  # stored value is theirs: cash out first
    open_database(shop["url"])
    ctx = Context(staff_id="t")
    bob = factory.member(ctx, "Bob Erased")
    sqlite = is_sqlite()
    close_database()
    if sqlite:  # a copy made before the erasure holds Bob: it is named, with its date
        from terminal.core.config import Settings

        folder = Settings().backup.path()  # the backups folder: where erasure looks
        folder.mkdir(parents=True, exist_ok=True)
        assert cli.main(["backup", "--db", shop["url"], str(folder)]) == 0
        capsys.readouterr()
    pin.append("9999")
    assert run(shop, "erase", bob.card_no, *AS_MANAGER, "--reason", "their request") == 0
    out = capsys.readouterr().out
    assert f"card {bob.card_no}: the member's personal data is erased" in out
    if sqlite:
        assert f"still held by {folder}" in out and "kept until deleted by hand" in out
    else:
        assert "backups of the database server" in out
    open_database(shop["url"])
    row = m.Member.get_by_id(bob.id)
    assert row.erased_at is not None and "Bob" not in row.name
    assert integrity.check() == []
