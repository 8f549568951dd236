"""Member analytics over a small, hand-made history."""

from __future__ import annotations

import csv
from datetime import date, datetime

from terminal.db import models as m
from terminal.services import analytics, eod_figures
from tests.helpers import factory


def test_overview_segments_activity_and_lapsed(ctx, catalogue, clock) -> None:
    m.Product.create(sku="BIG", name="Big", price=100_000)
    factory.member(ctx, "Zombie 僵尸")
    slipping = factory.member(ctx, "Slipping")
    gone = factory.member(ctx, "Gone")
    factory.sale(ctx, [("LATTE", 1)], member_id=gone.id)
    clock.advance(days=400)
    factory.sale(ctx, [("BIG", 3)], member_id=slipping.id)  # a big spender...
    clock.advance(days=100)  # ... last seen 100 days ago
    star = factory.member(ctx, "Star")
    clock.advance(days=40)
    for _ in range(3):
        factory.sale(ctx, [("BIG", 1)], member_id=star.id)
    newbie = factory.member(ctx, "New 新")
    factory.sale(ctx, [("TEA", 1)], member_id=newbie.id)
    factory.sale(ctx, [("LATTE", 1)])  # anonymous: in no member's figures

    seen = []
    o = analytics.overview(ctx, progress=lambda pct, what: seen.append(pct))
    assert seen[-1] == 100 and o.members == 5 and o.as_of == clock.now.date()
    by = {r.segment: r for r in o.segments}
    assert (by["zombie"].members, by["lost"].members, by["new"].members) == (1, 1, 1)
    assert by["at_risk"].members == 1 and by["champions"].members == 1
    # the star reached Silver after two sales: 2% off the third
    assert by["champions"].revenue == 298_000 and by["at_risk"].revenue == 300_000
    assert sum(r.members for r in o.segments) == 5
    assert abs(sum(r.share for r in o.segments) - 1) < 1e-9
    assert o.active == ((30, 2, 0.4), (90, 2, 0.4), (365, 3, 0.6))
    assert [(r.name, r.segment) for r in o.lapsed] == [("Slipping", "at_risk")]
    assert o.lapsed[0].phone.count("*") == 4 and o.lapsed[0].spend == 300_000
    # of three buyers the top 20% is one member: the biggest spender of the year
    assert o.top20_share == 300_000 / (298_000 + 300_000 + 1800)


def test_the_overview_is_kept_with_its_time_and_shown_at_once(ctx, catalogue, clock) -> None:
    """The Members tab shows the overview last computed at once, with when; computing it
    again replaces it (one row), and a kept body of another shape is computed again."""
    assert analytics.kept_overview() is None
    member = factory.member(ctx, "Li")
    factory.sale(ctx, [("LATTE", 1)], member_id=member.id)
    first = analytics.compute_overview(ctx)
    assert first.computed_at == clock.now and first.seconds >= 0
    assert analytics.kept_overview() == first  # the same figures, decoded from the row
    clock.advance(days=1)
    factory.member(ctx, "Wang")
    again = analytics.compute_overview(ctx)
    kept = analytics.kept_overview()
    assert kept == again and kept.overview.members == 2 and kept.computed_at == clock.now
    assert first.overview.members == 1 and m.AnalyticsSnapshot.select().count() == 1
    m.AnalyticsSnapshot.update(body='{"as_of": "2026-01-01"}').execute()
    assert analytics.kept_overview() is None


def test_expiring_soon_and_birthdays_this_week(ctx, catalogue, clock, tmp_path) -> None:
    # 10 March 2026 is a Tuesday: this week runs 9 to 15 March
    soon = factory.member(ctx, "Soon", birthday=date(1990, 3, 15))
    factory.member(ctx, "Later", birthday=date(1990, 3, 16))
    factory.member(ctx, "Leap", birthday=date(1992, 2, 29))
    factory.sale(ctx, [("LATTE", 4)], member_id=soon.id)
    assert analytics.expiring_soon(ctx) == []
    clock.advance(days=720)  # 24 months later the batch expires within 30 days
    (row,) = analytics.expiring_soon(ctx)
    assert row.name == "Soon" and row.points == 112 and row.phone.count("*") == 4
    clock.now = clock.now.replace(year=2027, month=3, day=1)  # a Monday: 1-7 March 2027
    assert [b.name for b in analytics.birthdays_this_week(ctx)] == []
    clock.now = clock.now.replace(month=2, day=24)  # week of 22-28 February 2027
    assert [b.name for b in analytics.birthdays_this_week(ctx)] == ["Leap"]
    clock.now = clock.now.replace(month=3, day=16)  # week of 15-21 March
    got = analytics.birthdays_this_week(ctx)
    assert [b.name for b in got] == ["Soon", "Later"]
    path = analytics.write_csv(got, tmp_path / "birthdays.csv")
    with path.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["name"] == "Soon" and rows[0]["birthday"] == "1990-03-15"


def test_birthdays_and_expiring_points_are_read_through_their_indexes(ctx) -> None:
    """At a million members neither list may read every member or every points batch, nor
    the end of day every member's stored value: the plan names the birthdays' index, the
    live-points index and the stored-value index (PostgreSQL is told not
    to scan, so a tiny table still shows whether the index can serve the query)."""
    from terminal.db.database import is_sqlite, proxy

    queries = {"member_birthdays": analytics.birthday_query([date(2026, 3, 9),
                                                             date(2026, 3, 10)]),
               "points_entry_live_expiry": analytics.expiring_query(ctx.now(), 30, 500),
               "member_stored_value": eod_figures.stored_value_query()}
    for index, query in queries.items():
        sql, params = query.sql()
        with proxy.atomic():
            if is_sqlite():
                plan = " ".join(str(r[-1]) for r in proxy.execute_sql(
                    "EXPLAIN QUERY PLAN " + sql, params))
            else:
                proxy.execute_sql("SET LOCAL enable_seqscan = off")
                plan = " ".join(r[0] for r in proxy.execute_sql("EXPLAIN " + sql, params))
        assert index in plan, plan
        # not a walk through all of it, but the stored-value index is partial: all of it
        # is what is wanted
        walks = ("SEARCH",) if index != "member_stored_value" else ("SEARCH", "SCAN")
        assert not is_sqlite() or any(f"{w} t1 USING {how}INDEX {index}" in plan
                                      for w in walks for how in ("", "COVERING ")), plan


def test_a_week_across_the_new_year_lists_december_first_and_names_in_order(ctx) -> None:
    """Day by day in the week's order (28 December to 3 January), by name within a day;
    29 February sits with the 28th in a common year; erased and merged members are left
    out."""
    for name, born in [("Zhou", date(1980, 1, 2)), ("Amy", date(1985, 12, 29)),
                       ("Bo", date(1991, 12, 28)), ("Cai", date(1970, 12, 29)),
                       ("Ann", date(1999, 1, 2)), ("Gone", date(1990, 12, 30))]:
        factory.member(ctx, name, birthday=born)
    m.Member.update(erased_at=ctx.now()).where(m.Member.name == "Gone").execute()
    ctx.clock.now = datetime(2026, 12, 30, 12, 0)  # a Wednesday: 28 December to 3 January
    assert [b.name for b in analytics.birthdays_this_week(ctx)] == [
        "Bo", "Amy", "Cai", "Ann", "Zhou"]
    for name, born in [("Leap", date(1992, 2, 29)), ("Late", date(1990, 2, 28)),
                       ("March", date(1990, 3, 1))]:
        factory.member(ctx, name, birthday=born)
    ctx.clock.now = datetime(2027, 2, 26, 12, 0)  # 22 February to 28 February 2027
    assert [b.name for b in analytics.birthdays_this_week(ctx)] == ["Late", "Leap"]
