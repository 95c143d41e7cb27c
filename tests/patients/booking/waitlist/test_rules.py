"""The waitlist's pure rules: which free times suit, and when an offer closes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from patients.booking.waitlist.choices import ALL_PARTS, PartOfDay
from patients.booking.waitlist.rules import Wish, bits_of, offer_expiry, suits, values_of

LONDON = ZoneInfo("Europe/London")


def wish(**changes: object) -> Wish:
    values = {"weekdays": 0b1111111, "parts_of_day": ALL_PARTS, "earliest": None, "latest": None}
    values |= {"until": date(2027, 4, 30)} | changes
    return Wish(**values)  # type: ignore[arg-type]


def test_weekday_bits_round_trip():
    assert (bits_of([0, 2]), values_of(0b101)) == (0b101, [0, 2])


@pytest.mark.parametrize(
    ("local_start", "parts", "expected"),
    [
        # Across the March clock change a morning stays a morning (local wall time).
        (datetime(2027, 3, 26, 11, 45, tzinfo=LONDON), PartOfDay.MORNING, True),
        (datetime(2027, 3, 29, 11, 45, tzinfo=LONDON), PartOfDay.MORNING, True),
        (datetime(2027, 3, 29, 12, 0, tzinfo=LONDON), PartOfDay.MORNING, False),
        (datetime(2027, 3, 29, 12, 0, tzinfo=LONDON), PartOfDay.AFTERNOON, True),
        (datetime(2027, 3, 29, 16, 45, tzinfo=LONDON), PartOfDay.AFTERNOON, True),
        (datetime(2027, 3, 29, 17, 0, tzinfo=LONDON), PartOfDay.AFTERNOON, False),
        (datetime(2027, 3, 29, 17, 0, tzinfo=LONDON), PartOfDay.EVENING, True),
    ],
)
def test_parts_of_the_day_in_local_time(local_start, parts, expected):
    assert (
        suits(
            wish(parts_of_day=parts),
            therapist_id=1,
            starts_at=local_start,
            ends_at=local_start + timedelta(minutes=30),
        )
        is expected
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((9, 30), (10, 0), True),
        ((9, 0), (9, 30), False),
        ((10, 30), (11, 0), True),
        ((10, 45), (11, 15), False),
    ],
)
def test_an_explicit_window_holds_the_whole_visit(start, end, expected):
    day = date(2027, 3, 29)
    starts_at = datetime.combine(day, time(*start), tzinfo=LONDON)
    ends_at = datetime.combine(day, time(*end), tzinfo=LONDON)

    result = suits(
        wish(parts_of_day=0, earliest=time(9, 30), latest=time(11)),
        therapist_id=1,
        starts_at=starts_at,
        ends_at=ends_at,
    )

    assert result is expected


def test_therapist_weekday_until_and_earlier_than_the_visit():
    monday = datetime(2027, 3, 29, 10, tzinfo=LONDON)
    end = monday + timedelta(minutes=30)

    assert suits(wish(therapist_id=2), therapist_id=1, starts_at=monday, ends_at=end) is False
    assert suits(wish(weekdays=bits_of([1, 2, 3, 4])), therapist_id=1, starts_at=monday, ends_at=end) is False
    assert suits(wish(until=date(2027, 3, 28)), therapist_id=1, starts_at=monday, ends_at=end) is False
    assert suits(wish(before=monday), therapist_id=1, starts_at=monday, ends_at=end) is False
    assert (
        suits(wish(before=monday + timedelta(minutes=15)), therapist_id=1, starts_at=monday, ends_at=end)
        is True
    )


def test_an_offer_closes_after_its_minutes_or_at_the_booking_cutoff():
    now = datetime(2026, 11, 23, 7, tzinfo=UTC)

    later = offer_expiry(
        now=now, starts_at=now + timedelta(days=2), offer_minutes=60, min_notice=timedelta(hours=4)
    )
    soon = offer_expiry(
        now=now,
        starts_at=now + timedelta(hours=4, minutes=20),
        offer_minutes=60,
        min_notice=timedelta(hours=4),
    )
    past = offer_expiry(
        now=now, starts_at=now + timedelta(hours=3), offer_minutes=60, min_notice=timedelta(hours=4)
    )

    assert (later, soon, past) == (now + timedelta(hours=1), now + timedelta(minutes=20), None)
