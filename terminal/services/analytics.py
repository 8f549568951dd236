"""Member analytics for the manager: segments, the 80/20 curve, activity, who is slipping,
points about to expire and birthdays this week — set-based SQL, then the pure rules."""

from __future__ import annotations

import calendar
import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import dacite
import peewee as pw

from ..core import excel_csv
from ..core.errors import InvalidInput
from ..db import models as m
from ..db.database import is_sqlite, proxy, write_transaction
from ..loyalty import segments as seg
from . import import_batches
from .context import Context
from .members import mask_phone
from .printing import decode, encode

Progress = Callable[[int, str], None]  # percent done, what is being done


@dataclass(frozen=True)
class SegmentRow:
    segment: str
    members: int
    share: float  # of live members
    revenue: int  # last 365 days
    revenue_share: float


@dataclass(frozen=True)
class MemberRow:
    card_no: str
    name: str
    phone: str  # masked
    segment: str
    last_purchase: date | None
    purchases: int
    spend: int


@dataclass(frozen=True)
class Overview:
    as_of: date
    members: int
    segments: tuple[SegmentRow, ...]
    pareto: tuple[tuple[float, float], ...]
    top20_share: float
    active: tuple[tuple[int, int, float], ...]  # (days, members who bought, share)
    lapsed: tuple[MemberRow, ...]  # at risk first, biggest past spenders first


def member_figures(ctx: Context, today: date) -> list[seg.MemberFigures]:
    """Every live member with their year's purchases and net spend: one query, read off the
    cursor as it comes (a million members: no model rows, no UUIDs, no peewee date parsing;
    ``member_id`` is the database's own value, ``member_ids`` turns it into ids). The year
    is read from the covering index (member, created_at, kind, total) alone: the kinds are
    told apart in the sums, since a condition on the kind would let SQLite's planner take
    the kind's index and read the table row by row; the members are read in one scan and
    the erased and merged ones left out here, for the same reason."""
    since = datetime.combine(today - timedelta(days=365), datetime.min.time())
    t, mb = m.Txn, m.Member
    spent = pw.Case(None, [(t.kind.in_(("sale", "refund", "void")), t.total)], 0)
    year = (t.select(t.member, pw.fn.SUM(spent).alias("spend"),
                     pw.fn.SUM(pw.Case(None, [(t.kind == "sale", 1)], 0)).alias("purchases"))
            .where(t.member.is_null(False) & (t.created_at >= since))
            .group_by(t.member).alias("year"))
    query = (mb.select(mb.id, mb.created_at, mb.last_visit_at, mb.erased_at, mb.merged_into,
                       mb.import_batch, pw.fn.COALESCE(year.c.purchases, 0),
                       pw.fn.COALESCE(year.c.spend, 0))
             .join(year, pw.JOIN.LEFT_OUTER, on=(year.c.member_id == mb.id)))
    day = _text_day if is_sqlite() else _moment_day
    figures = seg.MemberFigures
    hidden, shown = import_batches.hidden(), import_batches.shown
    return [figures(mid, day(created), day(last) if last else None, int(n), int(spend))
            for mid, created, last, erased, merged, batch, n, spend
            in proxy.execute_sql(*query.sql())
            if erased is None and merged is None and (batch is None or shown(batch, hidden))]


def _text_day(value: str) -> date:  # SQLite keeps a moment as text, the day first
    return date.fromisoformat(value[:10])


def _moment_day(value: datetime) -> date:
    return value.date()


def member_ids(raw: Iterable[object]) -> list[object]:
    """The ids of ``member_figures`` rows as the models give them."""
    to_id = m.Member.id.python_value
    return [to_id(r) for r in raw]


def segment_members(ctx: Context, segment: str) -> set[object]:
    """The ids of the live members in ``segment`` today, scored as the Members tab and the
    campaigns score them."""
    if segment not in seg.SEGMENTS:
        raise InvalidInput("segment must be one of {segments}", segments=', '.join(seg.SEGMENTS))
    today = ctx.today()
    return set(member_ids(s.member_id for s in seg.score(member_figures(ctx, today), today)
                          if s.segment == segment))


def overview(ctx: Context, *, lapsed_limit: int = 200,
             progress: Progress | None = None) -> Overview:
    say = progress or (lambda _pct, _what: None)
    today = ctx.today()
    say(5, "reading a year of sales")
    figures = member_figures(ctx, today)
    say(60, "scoring members")
    scored = seg.score(figures, today)
    by_id = {x.member_id: x for x in figures}
    say(80, "counting segments")
    n = len(figures)
    total_revenue = sum(max(0, x.spend) for x in figures)
    counts = dict.fromkeys(seg.SEGMENTS, 0)
    revenues = dict.fromkeys(seg.SEGMENTS, 0)
    for s in scored:  # one pass, not one per segment
        counts[s.segment] += 1
        revenues[s.segment] += by_id[s.member_id].spend
    rows = [SegmentRow(name, counts[name], counts[name] / n if n else 0.0, revenues[name],
                       revenues[name] / total_revenue if total_revenue else 0.0)
            for name in seg.SEGMENTS]
    spend = [x.spend for x in figures if x.purchases]
    recent = [s.days for s in scored if s.days is not None]
    active = tuple((days, k, k / n if n else 0.0)
                   for days in (30, 90, 365) for k in [sum(1 for d in recent if d <= days)])
    say(90, "listing lapsed members")
    slipping = sorted((s for s in scored if s.segment in ("at_risk", "hibernating")),
                      key=lambda s: (s.segment != "at_risk", -by_id[s.member_id].spend))
    lapsed = _member_rows(ctx, [(s.member_id, s.segment) for s in slipping[:lapsed_limit]],
                          by_id)
    say(100, "done")
    return Overview(today, n, tuple(rows), tuple(seg.pareto(spend)), seg.top_share(spend),
                    active, tuple(lapsed))


OVERVIEW = "members_overview"  # its name among the kept reports


@dataclass(frozen=True)
class KeptOverview:
    """The overview as last computed: when, and how long it took."""

    overview: Overview
    computed_at: datetime
    seconds: float


def kept_overview() -> KeptOverview | None:
    """The overview last computed (by the Members tab's Refresh or the nightly
    ``analyse-members``), at once; None if there is none, or it was kept by a version
    that shaped it otherwise (then it is computed again)."""
    row = m.AnalyticsSnapshot.get_or_none(m.AnalyticsSnapshot.name == OVERVIEW)
    if row is None:
        return None
    try:
        found = decode(Overview, row.body)
    except (ValueError, TypeError, dacite.DaciteError):
        return None
    computed_at = row.computed_at
    if isinstance(computed_at, str):
        computed_at = datetime.fromisoformat(computed_at)
    return KeptOverview(found, computed_at, float(row.seconds))


def compute_overview(ctx: Context, *, progress: Progress | None = None) -> KeptOverview:
    """The overview computed now and kept in place of the last one."""
    started = time.perf_counter()
    found = overview(ctx, progress=progress)
    kept = KeptOverview(found, ctx.now(), round(time.perf_counter() - started, 3))
    snap = m.AnalyticsSnapshot
    with write_transaction():
        snap.insert(name=OVERVIEW, computed_at=kept.computed_at, seconds=kept.seconds,
                    body=encode(found)).on_conflict(
            conflict_target=[snap.name],
            update={snap.computed_at: kept.computed_at, snap.seconds: kept.seconds,
                    snap.body: encode(found)}).execute()
    return kept


def _member_rows(ctx: Context, picked: Sequence[tuple[object, str]],
                 by_id: dict[object, seg.MemberFigures]) -> list[MemberRow]:
    if not picked:
        return []
    region = ctx.settings.store.phone_region
    ids = member_ids(mid for mid, _ in picked)
    found = {r.id: r for r in m.Member.select().where(m.Member.id.in_(ids))}
    return [MemberRow(found[uid].card_no, found[uid].name, mask_phone(found[uid].phone, region),
                      segment, by_id[mid].last_purchase, by_id[mid].purchases,
                      by_id[mid].spend)
            for uid, (mid, segment) in zip(ids, picked, strict=True) if uid in found]


@dataclass(frozen=True)
class ExpiringRow:
    card_no: str
    name: str
    phone: str
    points: int
    first_expiry: datetime


def expiring_query(now: datetime, days: int, limit: int) -> pw.Select:
    """Members' live points expiring within ``days``, most first: (member id, points, first
    expiry), read from the partial index ``points_entry_live_expiry`` alone."""
    pts = pw.fn.SUM(m.PointsEntry.remaining)
    return (m.PointsEntry.select(m.PointsEntry.member, pts.alias("pts"),
                                 pw.fn.MIN(m.PointsEntry.expires_at).alias("first"))
            .where((m.PointsEntry.remaining > 0) & (m.PointsEntry.expires_at > now)
                   & (m.PointsEntry.expires_at <= now + timedelta(days=days)))
            .group_by(m.PointsEntry.member).order_by(pts.desc()).limit(limit).tuples())


def expiring_soon(ctx: Context, days: int = 30, limit: int = 500) -> list[ExpiringRow]:
    """Members with live points expiring within ``days``: a reason to come back."""
    found = list(expiring_query(ctx.now(), days, limit))
    # by primary key, live or not, told apart here: a condition on it lets SQLite's planner
    # take the merged-into index (nearly every member under NULL) instead of the 500 keys
    hidden, shown = import_batches.hidden(), import_batches.shown
    people = {mid: (card_no, name, phone)
              for mid, card_no, name, phone, erased, merged, batch in m.Member.select(
                  m.Member.id, m.Member.card_no, m.Member.name, m.Member.phone,
                  m.Member.erased_at, m.Member.merged_into, m.Member.import_batch).where(
                  m.Member.id.in_([mid for mid, _, _ in found])).tuples()
              if erased is None and merged is None and (batch is None or shown(batch, hidden))}
    region = ctx.settings.store.phone_region
    out = []
    for mid, points, first in found:
        if mid in people:
            if isinstance(first, str):
                first = datetime.fromisoformat(first)
            card_no, name, phone = people[mid]
            out.append(ExpiringRow(card_no, name, mask_phone(phone, region), int(points), first))
    return out


@dataclass(frozen=True, slots=True)
class BirthdayRow:
    card_no: str
    name: str
    phone: str
    birthday: date
    marketing_consent: bool


def birthday_query(days: Sequence[date]) -> pw.Select:
    """Members born on one of ``days``' month and day, by month and day and name, read
    from the covering index ``member_birthdays`` alone: (month and day, card, name, phone,
    birthday, consent, erased, merged into, import batch). Whether a member is live is left
    to the caller: a condition on it lets SQLite's planner take the merged-into index,
    which holds nearly every member under NULL."""
    key = m.Member.birthday_key()
    return (m.Member.select(key, m.Member.card_no, m.Member.name, m.Member.phone,
                            m.Member.birthday, m.Member.marketing_consent,
                            m.Member.erased_at, m.Member.merged_into,
                            m.Member.import_batch)
            .where(m.Member.birthday.is_null(False)
                   & key.in_([m.Member.birthday_key_of(d) for d in days]))
            .order_by(key, m.Member.name)
            .tuples())


def birthdays_this_week(ctx: Context) -> list[BirthdayRow]:
    """Members whose birthday falls Monday to Sunday of this week, day by day (a week
    across the new year starts in December), by name within a day; 29 February counts on
    the 28th in a common year. Thousands of members a week: their rows are made off the
    cursor, in the index's order."""
    today = ctx.today()
    monday = today - timedelta(days=today.weekday())
    days = [monday + timedelta(days=i) for i in range(7)]
    place = {m.Member.birthday_key_of(d): i for i, d in enumerate(days)}
    leap = [i for i, d in enumerate(days)
            if d.month == 2 and d.day == 28 and not calendar.isleap(d.year)]
    asked = days
    if leap:
        place[m.Member.birthday_key_of(date(2000, 2, 29))] = leap[0]
        asked = [*days, date(2000, 2, 29)]
    region = ctx.settings.store.phone_region
    hidden = import_batches.hidden()
    shown = import_batches.shown
    by_day: list[list[BirthdayRow]] = [[] for _ in days]
    sqlite = is_sqlite()
    for key, card_no, name, phone, born, consent, erased, merged, batch in proxy.execute_sql(
            *birthday_query(asked).sql()):
        if erased is None and merged is None and (batch is None or shown(batch, hidden)):
            by_day[place[key]].append(BirthdayRow(
                card_no, name, mask_phone(phone, region),
                date.fromisoformat(born) if sqlite else born, bool(consent)))
    return [row for day in by_day for row in day]


def write_csv(rows: Iterable[Any], path: str | Path) -> Path:
    """Any table above as CSV (UTF-8 with a BOM, so Excel shows Chinese names)."""
    rows = list(rows)
    target = Path(path)
    header = [[f.name for f in fields(rows[0])]] if rows else []
    excel_csv.write(target, itertools.chain(header, (astuple(r) for r in rows)))
    return target
