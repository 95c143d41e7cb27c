"""Free times a patient may take online, for the manage link's reschedule and waitlist matching.

A thin adapter over the public booking pages' slot list
(patients.booking.online.slots: the calendar's engine inside the online
window of minimum notice, same-day setting and weeks ahead; online types and
therapists only; "any therapist" offers each start once).
"""

from datetime import date, datetime, timedelta

from django.conf import settings

from clinic.staff.models import Location, TherapistProfile
from patients.booking.online.slots import online_slots, window_now
from patients.booking.scheduling import Slot
from patients.models import AppointmentType


def min_notice() -> timedelta:
    return timedelta(hours=settings.ONLINE_BOOKING_MIN_NOTICE_HOURS)


def online_window(*, location: Location, now: datetime) -> tuple[datetime, date]:
    """The earliest start a patient may take online, and the last local day."""
    window = window_now(location=location, now=now)
    return window.earliest, window.last_day


def slots_between(
    *,
    location: Location,
    appointment_type: AppointmentType,
    therapist: TherapistProfile | None,
    first_day: date,
    last_day: date,
    now: datetime,
) -> list[Slot]:
    """Free online starts on local days first_day … last_day (five queries), sorted by start."""
    if last_day < first_day:
        return []
    return online_slots(
        location=location,
        appointment_type=appointment_type,
        therapist=therapist,
        start_day=first_day,
        days=(last_day - first_day).days + 1,
        now=now,
    )
