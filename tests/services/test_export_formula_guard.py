"""No export writes a cell Excel would run as a formula (OWASP "CSV Injection"): names,
item names, staff names, reasons and messages people typed come out with a leading '."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import date
from pathlib import Path

import pytest

from terminal.db import models as m
from terminal.reports import csv_export as report_csv
from terminal.reports.document import Document, Section, Table
from terminal.services import accounts, analytics, campaigns, csv_export, privacy
from tests.helpers import factory

# a member's name cannot hold a tab or a carriage return (enrolment removes them): those
# two come in through the texts that can, and through tests/core/test_excel_csv.py
NAMES = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(1)"]
TEXTS = ["\t=1", "\r=1"]
# a negative amount or an E.164 phone number: a number to Excel, never a formula
_NUMBER = re.compile(r"[+-][0-9]+(\.[0-9]+)?")


def cells(source: Path | bytes) -> list[str]:
    data = source if isinstance(source, bytes) else source.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
            for c in row]


def assert_guarded(source: Path | bytes, texts: list[str]) -> None:
    found = cells(source)
    for text in texts:
        assert "'" + text in found, f"{text!r} is not written as '{text!r}"
    live = [c for c in found if c.startswith(("=", "+", "-", "@", "\t", "\r"))
            and not _NUMBER.fullmatch(c)]
    assert live == [], f"cells Excel would run as formulas: {live}"


@pytest.fixture
def hostile(ctx, catalogue, clock):
    """Members and a cashier with names that are formulas, their sales and ledger rows."""
    manager = factory.manager(ctx)
    people = [factory.member(ctx, name, marketing_consent=True, birthday=date(1990, 3, 12))
              for name in NAMES]
    m.Product.create(sku="EVIL", name=NAMES[0], category="@cat", brand="-brand", price=100)
    cashier = dataclasses.replace(ctx, staff_id=NAMES[3])
    for p in people:
        factory.sale(cashier, [("LATTE", 1), ("EVIL", 1)], member_id=p.id)
    accounts.adjust_points(ctx, factory.key("adj"), people[0].id, -5, "=1+1 fix",
                           approved_by=manager)
    return manager, people


def test_member_sales_and_ledger_exports(ctx, hostile, tmp_path) -> None:
    manager, people = hostile
    csv_export.export_members(ctx, tmp_path / "m.csv", reveal_phones=True, approved_by=manager)
    assert_guarded(tmp_path / "m.csv", NAMES)
    assert {p.phone for p in people} <= set(cells(tmp_path / "m.csv"))  # +86…: as it is
    day = date(2026, 3, 10)
    csv_export.export_sales(ctx, tmp_path / "s.csv", day, day, approved_by=manager)
    assert_guarded(tmp_path / "s.csv", [NAMES[0], NAMES[3], "@cat", "-brand"])
    csv_export.export_ledgers(ctx, tmp_path / "l.csv", day, day, approved_by=manager)
    assert_guarded(tmp_path / "l.csv", [NAMES[3], "=1+1 fix"])
    assert "-5" in cells(tmp_path / "l.csv")  # a negative number stays a number


def test_campaign_contact_list(ctx, hostile, clock, tmp_path) -> None:
    manager, people = hostile
    clock.advance(days=100)  # everyone lapsed alike: all "at risk"
    view = campaigns.create(ctx, "Back", "at_risk", "WINBACK", TEXTS[1] + " message",
                            control_percent=0, approved_by=manager)
    out = tmp_path / "contacts.csv"
    assert campaigns.export_contacts(ctx, view.id, out, manager) == len(NAMES)
    assert_guarded(out, [*NAMES, TEXTS[1] + " message"])
    assert {p.phone for p in people} <= set(cells(out))  # E.164 for the SMS tool, as it is


def test_analytics_tables_and_the_privacy_export(ctx, hostile, tmp_path) -> None:
    manager, people = hostile
    rows = analytics.birthdays_this_week(ctx)
    assert {r.name for r in rows} == set(NAMES)
    assert_guarded(analytics.write_csv(rows, tmp_path / "b.csv"), NAMES)
    for person in people:
        data = privacy.member_data(ctx, person.id, manager)
        out = privacy.write_member_data(data, tmp_path / "p.csv")
        assert_guarded(out, [person.name])
        assert person.phone in cells(out)


def test_report_csv() -> None:
    doc = Document(NAMES[0], store_name=NAMES[1], notes=(TEXTS[0],), sections=(
        Section(NAMES[2], rows=((NAMES[3], "-12.50"),)),
        Section("By cashier", table=Table(("cashier", "net"), ((TEXTS[1], "-3"),)))))
    data = report_csv.to_bytes(doc)
    assert_guarded(data, [*NAMES, *TEXTS])
    assert "-12.50" in cells(data) and "-3" in cells(data)  # plain numbers stay numbers


def test_the_audit_log_export(ctx, hostile, tmp_path) -> None:
    from terminal.services import audit_listing

    path = audit_listing.write_audit_csv(audit_listing.entries(), tmp_path / "audit.csv")
    assert_guarded(path, ["=1+1 fix"])  # the reason a manager typed
