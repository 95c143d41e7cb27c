"""The week calendar's time grid: where each visit sits, computed on the server (pure, no database).

Rows are 5-minute steps of local wall time, from the week's earliest opening
(or earlier visit) to its latest closing (or later visit); the background has
a cell every 15 minutes. A visit starts at the row of its local wall time and
covers as many rows as it lasts (elapsed minutes), so on a daylight-saving
day a 10:00 visit still sits at 10:00 and an hour is still an hour. Visits of
one therapist that overlap (a lapsed online hold under a new booking, say)
share the column side by side, in lanes.

The page places rows and columns with CSS classes (the Content-Security-Policy
allows no inline styles): `wr-<row>`, `ws-<rows spanned>`, `wc-<first lane
column>`, `ww-<lane columns spanned>`, so rows and lane columns here are
1-based grid lines.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

ROW_MINUTES = 5
CELL_MINUTES = 15
ROWS_PER_CELL = CELL_MINUTES // ROW_MINUTES
# Lane columns inside one therapist's day: 12 divides evenly into 1, 2, 3, 4 and 6 lanes.
LANE_COLUMNS = 12
# The range shown when the location has no opening hours at all that week.
DEFAULT_RANGE = (time(8), time(18))
DAY_MINUTES = 24 * 60

WallWindow = tuple[time, time]
Interval = tuple[datetime, datetime]


class GridVisit(Protocol):
    """What the grid reads of a visit (an Appointment has all of it)."""

    @property
    def therapist_id(self) -> int: ...

    @property
    def starts_at(self) -> datetime: ...

    @property
    def ends_at(self) -> datetime: ...


@dataclass(frozen=True)
class Block:
    """One visit on the grid."""

    visit: Any
    row: int  # first row (1-based)
    span: int  # rows covered: its length in 5-minute steps, at least one
    minutes: int  # its length
    lane: int  # 0-based, among the visits it overlaps
    lanes: int
    column: int  # first lane column (1-based)
    width: int  # lane columns covered


@dataclass(frozen=True)
class Cell:
    """A 15-minute stretch of one therapist's day behind the visits."""

    row: int
    span: int
    starts_at: datetime  # aware, in the location's zone
    kind: str  # "free" (a link to book), "busy" (under a visit), "past", "off" (not working: shaded)

    @property
    def on_the_hour(self) -> bool:
        return self.starts_at.minute == 0


@dataclass
class TherapistDay:
    therapist_id: int
    cells: list[Cell] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class GridDay:
    day: date
    is_today: bool
    is_open: bool
    therapists: list[TherapistDay] = field(default_factory=list)


@dataclass(frozen=True)
class Label:
    row: int
    at: time


@dataclass
class WeekGrid:
    first: time  # the wall time of row 1
    rows: int
    days: list[GridDay]
    labels: list[Label]  # one every 15 minutes


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def _wall_minutes(moment: datetime, zone: ZoneInfo, day: date) -> int:
    """Minutes after local midnight of `day` on the wall clock (a time on a later day is past 24:00)."""
    local = moment.astimezone(zone)
    return (local.date() - day).days * DAY_MINUTES + local.hour * 60 + local.minute


def _intersect(a: Iterable[WallWindow], b: Iterable[WallWindow]) -> list[tuple[int, int]]:
    out = []
    for a_start, a_end in a:
        for b_start, b_end in b:
            start, end = max(_minutes(a_start), _minutes(b_start)), min(_minutes(a_end), _minutes(b_end))
            if start < end:
                out.append((start, end))
    return sorted(out)


def _lanes(visits: Sequence[GridVisit]) -> dict[int, tuple[int, int]]:
    """Index in `visits` → (lane, lanes of its cluster of overlapping visits); greedy, in start order."""
    order = sorted(range(len(visits)), key=lambda i: (visits[i].starts_at, visits[i].ends_at))
    result: dict[int, tuple[int, int]] = {}
    cluster: list[int] = []
    lane_ends: list[datetime] = []
    cluster_end: datetime | None = None

    def close() -> None:
        for index in cluster:
            result[index] = (result[index][0], len(lane_ends))

    for index in order:
        visit = visits[index]
        if cluster_end is not None and visit.starts_at >= cluster_end:
            close()
            cluster, lane_ends = [], []
        lane = next((n for n, end in enumerate(lane_ends) if end <= visit.starts_at), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(visit.ends_at)
        else:
            lane_ends[lane] = visit.ends_at
        result[index] = (lane, 0)
        cluster.append(index)
        cluster_end = visit.ends_at if cluster_end is None else max(cluster_end, visit.ends_at)
    close()
    return result


def week_grid(
    *,
    days: Sequence[date],
    zone: ZoneInfo,
    therapist_ids: Sequence[int],
    opening: Mapping[int, Sequence[WallWindow]],
    working: Mapping[tuple[int, int], Sequence[WallWindow]],
    away: Mapping[int, Sequence[Interval]],
    visits: Iterable[GridVisit],
    now: datetime,
) -> WeekGrid:
    """The grid of `days` (those the location opens, or with visits) for each therapist.

    opening: weekday → the location's opening hours (local wall times);
    working: (therapist id, weekday) → their working hours there;
    away: therapist id → time off (aware intervals); visits: what to place
    (cancelled ones left out by the caller). Time outside working hours
    (inside opening hours), on time off or in the past is no free slot.
    """
    by_day: dict[tuple[int, date], list[GridVisit]] = {}
    for visit in visits:
        day = visit.starts_at.astimezone(zone).date()
        by_day.setdefault((visit.therapist_id, day), []).append(visit)
    days_with_visits = {day for (therapist_id, day) in by_day if therapist_id in therapist_ids}
    shown = [d for d in days if opening.get(d.weekday()) or d in days_with_visits] or list(days)

    starts = [_minutes(o) for d in shown for o, _ in opening.get(d.weekday(), ())]
    ends = [_minutes(c) for d in shown for _, c in opening.get(d.weekday(), ())]
    for (therapist_id, day), day_visits in by_day.items():
        if day not in shown or therapist_id not in therapist_ids:
            continue
        for visit in day_visits:
            starts.append(_wall_minutes(visit.starts_at, zone, day))
            ends.append(min(DAY_MINUTES, _wall_minutes(visit.ends_at, zone, day)))
    if not starts:
        starts, ends = [_minutes(DEFAULT_RANGE[0])], [_minutes(DEFAULT_RANGE[1])]
    first = min(starts) // CELL_MINUTES * CELL_MINUTES
    last = min(DAY_MINUTES, -(-max(ends) // CELL_MINUTES) * CELL_MINUTES)
    rows = (last - first) // ROW_MINUTES
    today = now.astimezone(zone).date()

    grid_days = []
    for day in shown:
        hours = opening.get(day.weekday(), ())
        grid_day = GridDay(day=day, is_today=day == today, is_open=bool(hours))
        for therapist_id in therapist_ids:
            day_visits = sorted(by_day.get((therapist_id, day), []), key=lambda v: (v.starts_at, v.ends_at))
            windows = _intersect(working.get((therapist_id, day.weekday()), ()), hours)
            column = TherapistDay(therapist_id=therapist_id)
            for index, (lane, lanes) in sorted(_lanes(day_visits).items()):
                visit = day_visits[index]
                start = _wall_minutes(visit.starts_at, zone, day)
                minutes = int((visit.ends_at - visit.starts_at).total_seconds() // 60)
                span = max(1, min(-(-minutes // ROW_MINUTES), (last - start) // ROW_MINUTES))
                column.blocks.append(
                    Block(
                        visit=visit,
                        row=(start - first) // ROW_MINUTES + 1,
                        span=span,
                        minutes=minutes,
                        lane=lane,
                        lanes=lanes,
                        column=lane * LANE_COLUMNS // lanes + 1,
                        width=(lane + 1) * LANE_COLUMNS // lanes - lane * LANE_COLUMNS // lanes,
                    )
                )
            for minute in range(first, last, CELL_MINUTES):
                at = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
                until = at + timedelta(minutes=CELL_MINUTES)
                if not any(s <= minute and minute + CELL_MINUTES <= e for s, e in windows) or any(
                    s < until and at < e for s, e in away.get(therapist_id, ())
                ):
                    kind = "off"
                elif any(v.starts_at < until and at < v.ends_at for v in day_visits):
                    kind = "busy"
                elif at < now:
                    kind = "past"
                else:
                    kind = "free"
                column.cells.append(
                    Cell(row=(minute - first) // ROW_MINUTES + 1, span=ROWS_PER_CELL, starts_at=at, kind=kind)
                )
            grid_day.therapists.append(column)
        grid_days.append(grid_day)
    labels = [
        Label(row=(m - first) // ROW_MINUTES + 1, at=time(m // 60, m % 60))
        for m in range(first, last, CELL_MINUTES)
    ]
    return WeekGrid(first=time(first // 60, first % 60), rows=rows, days=grid_days, labels=labels)
