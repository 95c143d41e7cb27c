"""The waitlist tests' world: Sam Physio works Wednesdays only, and Wednesday 25 November is full.

The clock stands at Monday 23 November 2026, 07:00 in London (GMT). Sam's
one free-able time is Cara Cancel's follow-up, Wednesday 25 November
10:00–10:30; the rest of that Wednesday is blocked. Entries wait until
Monday 30 November, before the next Wednesday.
"""

from datetime import UTC, date, datetime, time

from clinic.staff.models import TimeOff, WorkingHours
from patients.booking.choices import CancelledBy
from patients.booking.services import appointment_book, appointment_cancel
from patients.booking.waitlist.choices import ALL_PARTS, ALL_WEEKDAYS
from patients.booking.waitlist.services import waitlist_join
from tests.factories import PatientFactory

WEDNESDAY_10 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
UNTIL = date(2026, 11, 30)


def wednesdays_only(physio) -> None:
    WorkingHours.objects.filter(therapist=physio).exclude(weekday=2).delete()


def fill_wednesday(physio, location, follow_up, front_desk):
    """Cara's visit at 10:00 and the rest of the day blocked; returns Cara's appointment."""
    wednesdays_only(physio)
    TimeOff.objects.create(
        therapist=physio, starts_at=datetime(2026, 11, 25, 9, tzinfo=UTC), ends_at=WEDNESDAY_10
    )
    TimeOff.objects.create(
        therapist=physio,
        starts_at=datetime(2026, 11, 25, 10, 30, tzinfo=UTC),
        ends_at=datetime(2026, 11, 25, 17, tzinfo=UTC),
    )
    return appointment_book(
        patient=PatientFactory(first_name="Cara", last_name="Cancel"),
        therapist=physio,
        location=location,
        appointment_type=follow_up,
        starts_at=WEDNESDAY_10,
        booked_by=front_desk,
    )


def cancel(appointment, front_desk):
    return appointment_cancel(
        appointment=appointment, by=front_desk, cancelled_by=CancelledBy.CLINIC, reason="Therapist unwell"
    )


def join(patient, location, appointment_type, **wishes):
    values = {
        "weekdays": ALL_WEEKDAYS,
        "parts_of_day": ALL_PARTS,
        "earliest": None,
        "latest": None,
        "until": UNTIL,
        "therapist": None,
        **wishes,
    }
    return waitlist_join(patient=patient, location=location, appointment_type=appointment_type, **values)


def at(hour: int, minute: int = 0) -> time:
    return time(hour, minute)
