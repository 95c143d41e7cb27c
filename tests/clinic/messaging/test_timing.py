"""The outbox's time rules (pure): exact offsets across DST, local wall times, quiet hours."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic.messaging.timing import (
    NO_QUIET_HOURS,
    hours_before,
    in_quiet_hours,
    local_day_end,
    local_moment,
    parse_quiet_hours,
    quiet_hours_adjust,
)

QUIET = (time(21), time(7))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(zone: str, *args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).replace(fold=fold)


# Transitions in 2026: London 29 Mar 01:00 UTC (GMT→BST) and 25 Oct 01:00 UTC (BST→GMT);
# New York 8 Mar 07:00 UTC (EST→EDT) and 1 Nov 06:00 UTC (EDT→EST); Sydney 4 Apr 16:00 UTC
# (AEDT→AEST) and 3 Oct 16:00 UTC (AEST→AEDT). Each visit is 09:00 local just after one.
HOURS_BEFORE = [
    # zone, visit (local wall time), hours, expected instant (UTC), expected local clock
    ("Europe/London", (2026, 3, 29, 9), 24, utc(2026, 3, 28, 8), (2026, 3, 28, 8)),
    ("Europe/London", (2026, 3, 30, 9), 48, utc(2026, 3, 28, 8), (2026, 3, 28, 8)),
    ("Europe/London", (2026, 10, 25, 9), 24, utc(2026, 10, 24, 9), (2026, 10, 24, 10)),
    ("Europe/London", (2026, 10, 26, 9), 48, utc(2026, 10, 24, 9), (2026, 10, 24, 10)),
    ("America/New_York", (2026, 3, 8, 9), 24, utc(2026, 3, 7, 13), (2026, 3, 7, 8)),
    ("America/New_York", (2026, 3, 9, 9), 48, utc(2026, 3, 7, 13), (2026, 3, 7, 8)),
    ("America/New_York", (2026, 11, 1, 9), 24, utc(2026, 10, 31, 14), (2026, 10, 31, 10)),
    ("America/New_York", (2026, 11, 2, 9), 48, utc(2026, 10, 31, 14), (2026, 10, 31, 10)),
    ("Australia/Sydney", (2026, 4, 5, 9), 24, utc(2026, 4, 3, 23), (2026, 4, 4, 10)),
    ("Australia/Sydney", (2026, 4, 6, 9), 48, utc(2026, 4, 3, 23), (2026, 4, 4, 10)),
    ("Australia/Sydney", (2026, 10, 4, 9), 24, utc(2026, 10, 2, 22), (2026, 10, 3, 8)),
    ("Australia/Sydney", (2026, 10, 5, 9), 48, utc(2026, 10, 2, 22), (2026, 10, 3, 8)),
]


@pytest.mark.parametrize(("zone", "visit", "hours", "expected", "clock"), HOURS_BEFORE)
def test_hours_before_is_elapsed_time_across_dst(zone, visit, hours, expected, clock):
    starts_at = local(zone, *visit)
    due = hours_before(starts_at, hours)
    assert due == expected
    assert due.tzinfo is UTC
    assert (starts_at - due).total_seconds() == hours * 3600
    # Across the change the local clock time differs from the visit's by the hour the clocks moved.
    assert tuple(due.astimezone(ZoneInfo(zone)).timetuple())[:4] == clock


@pytest.mark.parametrize(("zone", "visit", "hours", "expected", "clock"), HOURS_BEFORE)
def test_hours_before_gives_the_same_instant_whatever_zone_the_input_is_in(
    zone, visit, hours, expected, clock
):
    starts_at = local(zone, *visit)
    for same in (starts_at, starts_at.astimezone(UTC), starts_at.astimezone(ZoneInfo("Asia/Tokyo"))):
        assert hours_before(same, hours) == expected


def test_hours_before_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="aware"):
        hours_before(datetime(2026, 3, 30, 9), 24)  # noqa: DTZ001 -- naive on purpose


@pytest.mark.parametrize(
    ("day", "at", "zone", "expected"),
    [
        (date(2026, 3, 27), time(8), "Europe/London", utc(2026, 3, 27, 8)),
        (date(2026, 3, 30), time(8), "Europe/London", utc(2026, 3, 30, 7)),
        # Skipped by the clocks: just after the gap (02:30 BST).
        (date(2026, 3, 29), time(1, 30), "Europe/London", utc(2026, 3, 29, 1, 30)),
        # Repeated: the first one (01:30 BST).
        (date(2026, 10, 25), time(1, 30), "Europe/London", utc(2026, 10, 25, 0, 30)),
        (date(2026, 3, 9), time(8), "America/New_York", utc(2026, 3, 9, 12)),
        (date(2026, 4, 6), time(8), "Australia/Sydney", utc(2026, 4, 5, 22)),
    ],
)
def test_local_moment_is_the_wall_time_in_the_zone(day, at, zone, expected):
    assert local_moment(day, at, zone) == expected


@pytest.mark.parametrize(
    ("day", "zone", "hours"),
    [
        (date(2026, 3, 29), "Europe/London", 23),
        (date(2026, 10, 25), "Europe/London", 25),
        (date(2026, 3, 8), "America/New_York", 23),
        (date(2026, 4, 5), "Australia/Sydney", 25),
        (date(2026, 1, 14), "Europe/London", 24),
    ],
)
def test_a_local_day_ends_at_the_next_local_midnight(day, zone, hours):
    end = local_day_end(day, zone)
    assert end - local_moment(day, time(0), zone) == timedelta(hours=hours)
    assert end.astimezone(ZoneInfo(zone)).time() == time(0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("21:00-07:00", (time(21), time(7))),
        (" 22:30 - 06:15 ", (time(22, 30), time(6, 15))),
        ("01:00-06:00", (time(1), time(6))),
        ("off", NO_QUIET_HOURS),
    ],
)
def test_parse_quiet_hours(value, expected):
    assert parse_quiet_hours(value) == expected


@pytest.mark.parametrize("value", ["2100", "21:00", "21:00-7pm", "evening"])
def test_parse_quiet_hours_refuses_anything_else(value):
    with pytest.raises(ValueError, match="21:00-07:00"):
        parse_quiet_hours(value)


@pytest.mark.parametrize(
    ("moment", "quiet", "expected"),
    [
        (utc(2026, 1, 14, 20, 59), QUIET, False),
        (utc(2026, 1, 14, 21), QUIET, True),  # the start is quiet
        (utc(2026, 1, 15, 0), QUIET, True),
        (utc(2026, 1, 15, 6, 59), QUIET, True),
        (utc(2026, 1, 15, 7), QUIET, False),  # the end is not
        (utc(2026, 7, 14, 20, 30), QUIET, True),  # 21:30 BST
        (utc(2026, 1, 15, 3), (time(1), time(6)), True),
        (utc(2026, 1, 15, 6), (time(1), time(6)), False),
        (utc(2026, 1, 15, 3), NO_QUIET_HOURS, False),
    ],
)
def test_in_quiet_hours_reads_the_local_clock(moment, quiet, expected):
    assert in_quiet_hours(moment, zone="Europe/London", quiet=quiet) is expected


L = "Europe/London"
QUIET_HOURS_ADJUST = [
    # name, zone, due, deadline, now, quiet, expected (UTC)
    ("outside: unchanged", L, utc(2026, 1, 14, 18), utc(2026, 1, 15, 10), None, QUIET, utc(2026, 1, 14, 18)),
    ("one minute before the start", L, utc(2026, 1, 14, 20, 59), None, None, QUIET, utc(2026, 1, 14, 20, 59)),
    ("at 21:00: next 07:00", L, utc(2026, 1, 14, 21), utc(2026, 1, 15, 10), None, QUIET, utc(2026, 1, 15, 7)),
    ("before midnight", L, utc(2026, 1, 14, 22, 30), utc(2026, 1, 15, 10), None, QUIET, utc(2026, 1, 15, 7)),
    ("after midnight", L, utc(2026, 1, 15, 2), utc(2026, 1, 15, 10), None, QUIET, utc(2026, 1, 15, 7)),
    ("06:59", L, utc(2026, 1, 15, 6, 59), utc(2026, 1, 15, 10), None, QUIET, utc(2026, 1, 15, 7)),
    ("at 07:00: unchanged", L, utc(2026, 1, 15, 7), utc(2026, 1, 15, 10), None, QUIET, utc(2026, 1, 15, 7)),
    ("no deadline", L, utc(2026, 1, 15, 2), None, None, QUIET, utc(2026, 1, 15, 7)),
    (
        "visit 06:30: evening before",
        L,
        utc(2026, 1, 14, 23),
        utc(2026, 1, 15, 6, 30),
        None,
        QUIET,
        utc(2026, 1, 14, 20, 59),
    ),
    (
        "visit at 07:00: evening before",
        L,
        utc(2026, 1, 15, 3),
        utc(2026, 1, 15, 7),
        None,
        QUIET,
        utc(2026, 1, 14, 20, 59),
    ),
    (
        "visit 07:01: at 07:00",
        L,
        utc(2026, 1, 15, 3),
        utc(2026, 1, 15, 7, 1),
        None,
        QUIET,
        utc(2026, 1, 15, 7),
    ),
    (
        "evening slot gone: the deadline",
        L,
        utc(2026, 1, 15, 2),
        utc(2026, 1, 15, 6, 30),
        utc(2026, 1, 14, 22),
        QUIET,
        utc(2026, 1, 15, 6, 30),
    ),
    (
        "evening slot gone, not quiet yet: now",
        L,
        utc(2026, 1, 15, 2),
        utc(2026, 1, 15, 6, 30),
        utc(2026, 1, 14, 20, 59, 30),
        QUIET,
        utc(2026, 1, 14, 20, 59, 30),
    ),
    (
        "evening slot still ahead",
        L,
        utc(2026, 1, 15, 2),
        utc(2026, 1, 15, 6, 30),
        utc(2026, 1, 14, 12),
        QUIET,
        utc(2026, 1, 14, 20, 59),
    ),
    (
        "due after the deadline: unchanged",
        L,
        utc(2026, 1, 15, 2),
        utc(2026, 1, 15, 1),
        None,
        QUIET,
        utc(2026, 1, 15, 2),
    ),
    # Spring-forward night: 07:00 BST is 06:00 UTC, and 20:59 the evening before is GMT.
    ("spring night, before the change", L, utc(2026, 3, 29, 0, 30), None, None, QUIET, utc(2026, 3, 29, 6)),
    ("spring night, after the change", L, utc(2026, 3, 29, 1, 30), None, None, QUIET, utc(2026, 3, 29, 6)),
    (
        "spring night, early visit",
        L,
        utc(2026, 3, 29, 1, 30),
        utc(2026, 3, 29, 5, 30),
        None,
        QUIET,
        utc(2026, 3, 28, 20, 59),
    ),
    # Autumn night: 01:30 local happens twice; 07:00 GMT is 07:00 UTC, 20:59 BST the evening before 19:59 UTC.
    ("autumn night, first 01:30", L, utc(2026, 10, 25, 0, 30), None, None, QUIET, utc(2026, 10, 25, 7)),
    ("autumn night, second 01:30", L, utc(2026, 10, 25, 1, 30), None, None, QUIET, utc(2026, 10, 25, 7)),
    (
        "autumn night, early visit",
        L,
        utc(2026, 10, 25, 3),
        utc(2026, 10, 25, 6, 30),
        None,
        QUIET,
        utc(2026, 10, 24, 19, 59),
    ),
    (
        "New York spring night",
        "America/New_York",
        utc(2026, 3, 8, 6, 30),
        None,
        None,
        QUIET,
        utc(2026, 3, 8, 11),
    ),
    (
        "New York autumn night",
        "America/New_York",
        utc(2026, 11, 1, 6, 30),
        None,
        None,
        QUIET,
        utc(2026, 11, 1, 12),
    ),
    (
        "Sydney autumn night",
        "Australia/Sydney",
        utc(2026, 4, 4, 15, 30),
        None,
        None,
        QUIET,
        utc(2026, 4, 4, 21),
    ),
    (
        "Sydney spring night",
        "Australia/Sydney",
        utc(2026, 10, 3, 15, 30),
        None,
        None,
        QUIET,
        utc(2026, 10, 3, 20),
    ),
    (
        "Sydney, early visit",
        "Australia/Sydney",
        utc(2026, 10, 3, 15, 30),
        utc(2026, 10, 3, 19, 30),
        None,
        QUIET,
        utc(2026, 10, 3, 10, 59),
    ),
    ("quiet hours within a day", L, utc(2026, 1, 15, 3), None, None, (time(1), time(6)), utc(2026, 1, 15, 6)),
    ("no quiet hours", L, utc(2026, 1, 15, 3), None, None, NO_QUIET_HOURS, utc(2026, 1, 15, 3)),
]


@pytest.mark.parametrize(
    ("zone", "due", "deadline", "now", "quiet", "expected"),
    [case[1:] for case in QUIET_HOURS_ADJUST],
    ids=[case[0] for case in QUIET_HOURS_ADJUST],
)
def test_quiet_hours_adjust(zone, due, deadline, now, quiet, expected):
    moved = quiet_hours_adjust(due, zone=zone, quiet=quiet, deadline=deadline, now=now)
    assert moved == expected
    assert moved.tzinfo is UTC
    # Whatever zone the due time is given in, the answer is the same instant.
    tokyo = due.astimezone(ZoneInfo("Asia/Tokyo"))
    assert quiet_hours_adjust(tokyo, zone=zone, quiet=quiet, deadline=deadline, now=now) == expected
    if moved != deadline and moved != due:
        assert not in_quiet_hours(moved, zone=zone, quiet=quiet)
        assert deadline is None or moved < deadline
