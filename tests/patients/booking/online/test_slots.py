"""The times offered online: the calendar's engine inside the online booking window.

Riverside is open 08:00–19:00 and Sam Physio works there 09:00–17:00 every day
(Europe/London wall time); a follow-up lasts 30 minutes.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from clinic.staff.models import TimeOff, WorkingHours
from patients.booking.choices import AppointmentStatus, HoldState
from patients.booking.online.slots import online_slots
from tests.factories import AppointmentFactory, LocationFactory, PatientFactory

pytestmark = pytest.mark.django_db

MONDAY_0700 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # GMT
TUESDAY = date(2026, 11, 24)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def book(world, starts_at: datetime, **fields: Any):
    return AppointmentFactory(
        patient=PatientFactory(),
        therapist=fields.pop("therapist", world["physio"]),
        location=fields.pop("location", world["location"]),
        appointment_type=world["type"],
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
        **fields,
    )


def nothing(world) -> None:
    pass


def time_off_at_noon(world) -> None:
    TimeOff.objects.create(
        therapist=world["physio"], starts_at=utc(2026, 11, 24, 12), ends_at=utc(2026, 11, 24, 14)
    )


def desk_booking_at_10(world) -> None:
    book(world, utc(2026, 11, 24, 10))


def cancelled_booking_at_10(world) -> None:
    book(world, utc(2026, 11, 24, 10), status=AppointmentStatus.CANCELLED)


def booking_elsewhere_at_10(world) -> None:
    book(world, utc(2026, 11, 24, 10), location=LocationFactory(name="Hillside"))


def live_hold_at_10(world) -> None:
    book(
        world, utc(2026, 11, 24, 10), hold=HoldState.HELD, hold_expires_at=MONDAY_0700 + timedelta(minutes=5)
    )


def lapsed_hold_at_10(world) -> None:
    book(
        world, utc(2026, 11, 24, 10), hold=HoldState.HELD, hold_expires_at=MONDAY_0700 - timedelta(seconds=1)
    )


def request_at_10(world) -> None:
    book(world, utc(2026, 11, 24, 10), hold=HoldState.REQUESTED)


def no_hours_on_tuesday(world) -> None:
    WorkingHours.objects.filter(therapist=world["physio"], weekday=TUESDAY.weekday()).delete()


def physio_not_online(world) -> None:
    world["physio"].online_bookable = False
    world["physio"].save()


def type_not_online(world) -> None:
    world["type"].online_bookable = False
    world["type"].save()


def short_tuesday_hours(world) -> None:
    WorkingHours.objects.filter(therapist=world["physio"], weekday=TUESDAY.weekday()).update(
        starts=time(13), ends=time(14)
    )


# (case, now, settings, arrange, day, expected starts in UTC: all of them, or (first, last, count))
CASES = [
    (
        "a whole free day",
        MONDAY_0700,
        {},
        nothing,
        TUESDAY,
        (utc(2026, 11, 24, 9), utc(2026, 11, 24, 16, 30), 31),
    ),
    ("minimum notice today", MONDAY_0700, {}, nothing, date(2026, 11, 23), (utc(2026, 11, 23, 11), None, 23)),
    (
        "minimum notice from an odd minute rounds up to the next step",
        MONDAY_0700 + timedelta(minutes=5),
        {},
        nothing,
        date(2026, 11, 23),
        (utc(2026, 11, 23, 11, 15), None, 22),
    ),
    (
        "no notice",
        MONDAY_0700,
        {"ONLINE_BOOKING_MIN_NOTICE_HOURS": 0},
        nothing,
        date(2026, 11, 23),
        (utc(2026, 11, 23, 9), None, 31),
    ),
    (
        "same day off: nothing today",
        MONDAY_0700,
        {"ONLINE_BOOKING_SAME_DAY": False},
        nothing,
        date(2026, 11, 23),
        [],
    ),
    (
        "same day off: tomorrow as usual",
        MONDAY_0700,
        {"ONLINE_BOOKING_SAME_DAY": False},
        nothing,
        TUESDAY,
        (utc(2026, 11, 24, 9), None, 31),
    ),
    (
        "same day off with a long notice: the notice wins",
        MONDAY_0700 + timedelta(hours=16),  # 23:00
        {"ONLINE_BOOKING_SAME_DAY": False, "ONLINE_BOOKING_MIN_NOTICE_HOURS": 12},
        nothing,
        TUESDAY,
        (utc(2026, 11, 24, 11), None, 23),
    ),
    (
        "eight weeks ahead: the last day",
        MONDAY_0700,
        {},
        nothing,
        date(2027, 1, 18),
        (utc(2027, 1, 18, 9), None, 31),
    ),
    ("eight weeks ahead: the day after", MONDAY_0700, {}, nothing, date(2027, 1, 19), []),
    ("one week ahead", MONDAY_0700, {"ONLINE_BOOKING_WEEKS_AHEAD": 1}, nothing, date(2026, 12, 1), []),
    (
        "working hours",
        MONDAY_0700,
        {},
        short_tuesday_hours,
        TUESDAY,
        [utc(2026, 11, 24, 13), utc(2026, 11, 24, 13, 15), utc(2026, 11, 24, 13, 30)],
    ),
    ("not working that day", MONDAY_0700, {}, no_hours_on_tuesday, TUESDAY, []),
    ("time off", MONDAY_0700, {}, time_off_at_noon, TUESDAY, (utc(2026, 11, 24, 9), None, 31 - 9)),
    ("a desk booking", MONDAY_0700, {}, desk_booking_at_10, TUESDAY, (utc(2026, 11, 24, 9), None, 31 - 3)),
    (
        "a desk booking with a 15-minute buffer: no online start from 09:30 to 10:30",
        MONDAY_0700,
        {"ONLINE_BOOKING_BUFFER_MINUTES": 15},
        desk_booking_at_10,
        TUESDAY,
        (utc(2026, 11, 24, 9), None, 31 - 5),
    ),
    (
        "a booking at another location",
        MONDAY_0700,
        {},
        booking_elsewhere_at_10,
        TUESDAY,
        (utc(2026, 11, 24, 9), None, 28),
    ),
    (
        "a cancelled booking frees its time",
        MONDAY_0700,
        {},
        cancelled_booking_at_10,
        TUESDAY,
        (utc(2026, 11, 24, 9), None, 31),
    ),
    ("a live hold", MONDAY_0700, {}, live_hold_at_10, TUESDAY, (utc(2026, 11, 24, 9), None, 28)),
    ("a lapsed hold is free", MONDAY_0700, {}, lapsed_hold_at_10, TUESDAY, (utc(2026, 11, 24, 9), None, 31)),
    (
        "a request waiting for the desk",
        MONDAY_0700,
        {},
        request_at_10,
        TUESDAY,
        (utc(2026, 11, 24, 9), None, 28),
    ),
    ("a therapist not bookable online", MONDAY_0700, {}, physio_not_online, TUESDAY, []),
    ("a type not offered online", MONDAY_0700, {}, type_not_online, TUESDAY, []),
    # The clocks go back at 02:00 on Sunday 25 October 2026: 09:00 is 08:00 UTC before, 09:00 UTC after.
    (
        "British Summer Time, the day before the change",
        utc(2026, 10, 23, 6),
        {},
        nothing,
        date(2026, 10, 24),
        (utc(2026, 10, 24, 8), utc(2026, 10, 24, 15, 30), 31),
    ),
    (
        "the day of the change",
        utc(2026, 10, 23, 6),
        {},
        nothing,
        date(2026, 10, 25),
        (utc(2026, 10, 25, 9), utc(2026, 10, 25, 16, 30), 31),
    ),
    (
        "Greenwich Mean Time, the day after",
        utc(2026, 10, 23, 6),
        {},
        nothing,
        date(2026, 10, 26),
        (utc(2026, 10, 26, 9), utc(2026, 10, 26, 16, 30), 31),
    ),
    (
        "minimum notice across the change is elapsed time",
        # 01:30 BST: eight elapsed hours is 08:30 UTC (08:30 GMT), not 09:30 by the wall clock.
        utc(2026, 10, 25, 0, 30),
        {"ONLINE_BOOKING_MIN_NOTICE_HOURS": 8},
        nothing,
        date(2026, 10, 25),
        (utc(2026, 10, 25, 9), None, 31),
    ),
]


@pytest.mark.parametrize(
    ("case", "now", "overrides", "arrange", "day", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_online_slots(case, now, overrides, arrange, day, expected, location, physio, online_follow_up):
    world = {"location": location, "physio": physio, "type": online_follow_up}
    with time_machine.travel(now, tick=False), override_settings(**overrides):
        arrange(world)
        starts = [
            s.starts_at
            for s in online_slots(
                location=location, appointment_type=online_follow_up, start_day=day, days=1, now=now
            )
        ]
    if isinstance(expected, list):
        assert starts == expected
        return
    first, last, count = expected
    assert starts, case
    assert starts[0] == first
    if last is not None:
        assert starts[-1] == last
    assert len(starts) == count


def test_busy_times_are_exactly_the_overlapping_starts(location, physio, online_follow_up):
    world = {"location": location, "physio": physio, "type": online_follow_up}
    with time_machine.travel(MONDAY_0700, tick=False):
        desk_booking_at_10(world)
        time_off_at_noon(world)
        starts = {
            s.starts_at.astimezone(UTC).strftime("%H:%M")
            for s in online_slots(
                location=location,
                appointment_type=online_follow_up,
                start_day=TUESDAY,
                days=1,
                now=MONDAY_0700,
            )
        }
    assert {"09:30", "10:30", "11:30", "14:00"} <= starts
    assert not {"09:45", "10:00", "10:15", "11:45", "12:00", "13:45"} & starts


def test_any_therapist_offers_each_time_once_with_the_least_booked(
    location, physio, make_physio, online_follow_up
):
    priya = make_physio("Priya Physio")
    world = {"location": location, "physio": physio, "type": online_follow_up}
    with time_machine.travel(MONDAY_0700, tick=False):
        book(world, utc(2026, 11, 24, 16, 30))  # Sam has one visit on Tuesday
        both = online_slots(
            location=location, appointment_type=online_follow_up, start_day=TUESDAY, days=1, now=MONDAY_0700
        )
        only_sam = online_slots(
            location=location,
            appointment_type=online_follow_up,
            therapist=physio,
            start_day=TUESDAY,
            days=1,
            now=MONDAY_0700,
        )

    starts = [s.starts_at for s in both]
    assert len(starts) == len(set(starts)) == 31
    assert {s.therapist for s in both} == {priya}  # Priya is free all day and less booked
    assert {s.therapist for s in only_sam} == {physio} and len(only_sam) == 29


def test_any_therapist_keeps_a_time_only_one_of_them_has(location, physio, make_physio, online_follow_up):
    priya = make_physio("Priya Physio")
    world = {"location": location, "physio": physio, "type": online_follow_up}
    with time_machine.travel(MONDAY_0700, tick=False):
        for hour in range(9, 17):
            book(world, utc(2026, 11, 24, hour), therapist=priya)
            book(world, utc(2026, 11, 24, hour, 30), therapist=priya)
        both = online_slots(
            location=location, appointment_type=online_follow_up, start_day=TUESDAY, days=1, now=MONDAY_0700
        )
    assert len(both) == 31 and {s.therapist for s in both} == {physio}


def test_a_fortnight_for_any_therapist_costs_a_fixed_number_of_queries(
    location, physio, make_physio, online_follow_up
):
    make_physio("Priya Physio")
    make_physio("Tom Physio")
    with time_machine.travel(MONDAY_0700, tick=False), CaptureQueriesContext(connection) as queries:
        found = online_slots(
            location=location, appointment_type=online_follow_up, start_day=TUESDAY, days=14, now=MONDAY_0700
        )
    assert len(found) == 14 * 31
    assert len(queries) <= 5
