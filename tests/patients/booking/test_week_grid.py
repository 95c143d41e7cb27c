"""The week calendar's grid: where visits sit and how long they are (pure, no database)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from patients.booking.week_grid import week_grid

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)
WEEK = [MONDAY + timedelta(days=i) for i in range(7)]
WEEKDAYS_8_TO_19 = {weekday: [(time(8), time(19))] for weekday in range(5)}
SAM, PRIYA = 1, 2
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@dataclass
class Visit:
    therapist_id: int
    starts_at: datetime
    ends_at: datetime
    name: str = ""


def visit(day: date, at: time, minutes: int, therapist: int = SAM, name: str = "") -> Visit:
    starts_at = datetime.combine(day, at, tzinfo=LONDON)
    return Visit(therapist, starts_at, starts_at + timedelta(minutes=minutes), name)


def grid_of(visits, *, days=WEEK, opening=None, working=None, away=None, now=NOW, therapists=(SAM,)):
    return week_grid(
        days=days,
        zone=LONDON,
        therapist_ids=list(therapists),
        opening=WEEKDAYS_8_TO_19 if opening is None else opening,
        working=(
            {(t, weekday): [(time(9), time(17))] for t in therapists for weekday in range(5)}
            if working is None
            else working
        ),
        away=away or {},
        visits=visits,
        now=now,
    )


def blocks(grid, day_index=0, therapist_index=0):
    return grid.days[day_index].therapists[therapist_index].blocks


def test_a_visit_starts_at_its_row_and_covers_its_length():
    grid = grid_of([visit(MONDAY, time(10), 60), visit(MONDAY, time(11, 30), 30)])

    # Row 1 is 08:00; a row is 5 minutes.
    assert grid.first == time(8)
    assert [(b.row, b.span, b.minutes) for b in blocks(grid)] == [(25, 12, 60), (43, 6, 30)]
    assert grid.rows == 11 * 12


def test_the_grid_shows_only_the_days_the_location_opens():
    grid = grid_of([])

    assert [d.day.weekday() for d in grid.days] == [0, 1, 2, 3, 4]
    assert grid.labels[0].at == time(8) and grid.labels[-1].at == time(18, 45)


def test_today_is_marked():
    grid = grid_of([], now=datetime(2026, 11, 25, 12, tzinfo=UTC))

    assert [d.is_today for d in grid.days] == [False, False, True, False, False]


def test_overlapping_visits_sit_side_by_side():
    grid = grid_of(
        [
            visit(MONDAY, time(10), 60, name="a"),
            visit(MONDAY, time(10, 30), 60, name="b"),
            visit(MONDAY, time(11), 30, name="c"),
            visit(MONDAY, time(14), 30, name="alone"),
        ]
    )

    placed = [(b.visit.name, b.lane, b.lanes, b.column, b.width) for b in blocks(grid)]
    # a and c share the first lane (c starts when a ends); b overlaps both.
    assert placed == [
        ("a", 0, 2, 1, 6),
        ("b", 1, 2, 7, 6),
        ("c", 0, 2, 1, 6),
        ("alone", 0, 1, 1, 12),
    ]


def test_each_therapist_has_a_column_of_their_own():
    grid = grid_of(
        [visit(MONDAY, time(10), 60, SAM, "s"), visit(MONDAY, time(10), 60, PRIYA, "p")],
        therapists=(SAM, PRIYA),
    )

    day = grid.days[0]
    assert [(c.therapist_id, [b.visit.name for b in c.blocks]) for c in day.therapists] == [
        (SAM, ["s"]),
        (PRIYA, ["p"]),
    ]
    assert [b.lanes for c in day.therapists for b in c.blocks] == [1, 1]


def test_cells_are_free_only_inside_working_hours_and_not_under_a_visit():
    grid = grid_of([visit(MONDAY, time(10), 30)])

    kinds = {c.starts_at.time(): c.kind for c in grid.days[0].therapists[0].cells}
    assert (kinds[time(8)], kinds[time(8, 45)], kinds[time(9)]) == ("off", "off", "free")
    assert (kinds[time(10)], kinds[time(10, 15)], kinds[time(10, 30)]) == ("busy", "busy", "free")
    assert (kinds[time(16, 45)], kinds[time(17)]) == ("free", "off")


def test_time_off_and_the_past_are_no_free_time():
    away = {SAM: [(datetime(2026, 11, 24, 12, tzinfo=LONDON), datetime(2026, 11, 24, 13, tzinfo=LONDON))]}
    grid = grid_of([], away=away, now=datetime(2026, 11, 23, 10, 0, tzinfo=UTC))

    monday = {c.starts_at.time(): c.kind for c in grid.days[0].therapists[0].cells}
    tuesday = {c.starts_at.time(): c.kind for c in grid.days[1].therapists[0].cells}
    assert (monday[time(9, 45)], monday[time(10)]) == ("past", "free")
    assert (tuesday[time(11, 45)], tuesday[time(12)], tuesday[time(12, 45)], tuesday[time(13)]) == (
        "free",
        "off",
        "off",
        "free",
    )


def test_a_visit_outside_opening_hours_widens_the_grid_and_its_day_shows():
    # 07:00 on Monday, before opening; 19:30 on the Sunday the location is closed.
    sunday = MONDAY + timedelta(days=6)
    grid = grid_of([visit(MONDAY, time(7), 30, name="early"), visit(sunday, time(19, 30), 45, name="late")])

    assert grid.first == time(7)
    assert grid.labels[-1].at == time(20)
    assert [d.day.weekday() for d in grid.days] == [0, 1, 2, 3, 4, 6]
    assert grid.days[-1].is_open is False
    assert [(b.visit.name, b.row, b.span) for b in blocks(grid)] == [("early", 1, 6)]
    assert [(b.visit.name, b.row, b.span) for b in blocks(grid, day_index=5)] == [("late", 151, 9)]
    assert {c.kind for c in grid.days[-1].therapists[0].cells} == {"off"}


def test_on_the_daylight_saving_day_a_visit_keeps_its_wall_time_and_its_length():
    # Europe/London moves to summer time at 01:00 GMT on Sunday 29 March 2026.
    sunday = date(2026, 3, 29)
    days = [sunday - timedelta(days=6) + timedelta(days=i) for i in range(7)]
    every_day = {weekday: [(time(8), time(19))] for weekday in range(7)}
    working = {(SAM, weekday): [(time(9), time(17))] for weekday in range(7)}
    grid = grid_of(
        [visit(sunday, time(10), 60, name="after the change")],
        days=days,
        opening=every_day,
        working=working,
        now=datetime(2026, 3, 1, tzinfo=UTC),
    )

    placed = [(b.visit.name, b.row, b.span) for b in blocks(grid, day_index=6)]
    # 10:00 BST is 09:00 UTC; the grid shows it at 10:00 all the same, an hour long.
    assert placed == [("after the change", 25, 12)]
    cells = grid.days[6].therapists[0].cells
    assert cells[4].starts_at == datetime(2026, 3, 29, 9, tzinfo=LONDON)
    assert cells[4].starts_at.utcoffset() == timedelta(hours=1)
    assert (cells[4].kind, cells[8].kind) == ("free", "busy")


def test_a_visit_running_past_midnight_is_cut_at_the_end_of_the_grid():
    grid = grid_of([visit(MONDAY, time(23, 30), 60, name="late")], opening={0: [(time(8), time(19))]})

    (block,) = blocks(grid)
    assert (grid.labels[-1].at, block.row, block.span, block.minutes) == (time(23, 45), 187, 6, 60)
