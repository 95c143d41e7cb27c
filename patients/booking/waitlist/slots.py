"""Free times a patient may take online: the calendar's free slots within the online policy.

The policy: no sooner than ONLINE_BOOKING_MIN_NOTICE_HOURS from now, today
only when ONLINE_BOOKING_SAME_DAY, and up to ONLINE_BOOKING_WEEKS_AHEAD
weeks ahead; therapists marked bookable online. Used by the manage link's
reschedule and by waitlist matching.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from clinic.staff.models import Location, TherapistProfile
from patients.booking.scheduling import Slot, free_slots
from patients.models import AppointmentType


def min_notice() -> timedelta:
    return timedelta(hours=settings.ONLINE_BOOKING_MIN_NOTICE_HOURS)


def online_window(*, location: Location, now: datetime) -> tuple[datetime, date]:
    """The earliest start a patient may take online, and the last local day."""
    zone = ZoneInfo(location.time_zone)
    today = now.astimezone(zone).date()
    earliest = now + min_notice()
    if not settings.ONLINE_BOOKING_SAME_DAY:
        tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=zone)
        earliest = max(earliest, tomorrow)
    return earliest, today + timedelta(weeks=settings.ONLINE_BOOKING_WEEKS_AHEAD)


def online_therapists(*, location: Location, therapist: TherapistProfile | None) -> list[TherapistProfile]:
    """The chosen therapist, or every active one bookable online at the location."""
    if therapist is not None:
        return [therapist]
    return list(
        location.therapists.filter(is_active=True, online_bookable=True).order_by("display_name", "pk")
    )


def online_slots(
    *,
    location: Location,
    appointment_type: AppointmentType,
    therapists: Iterable[TherapistProfile],
    day: date,
    now: datetime,
    exclude_appointment: int | None = None,
) -> list[Slot]:
    """The day's free starts for the type, with any of `therapists`, inside the online policy.

    Sorted by start, then therapist name.
    """
    earliest, last_day = online_window(location=location, now=now)
    if day > last_day or day < earliest.astimezone(ZoneInfo(location.time_zone)).date():
        return []
    duration = timedelta(minutes=appointment_type.duration_minutes)
    found = [
        slot
        for therapist in therapists
        for slot in free_slots(
            therapist=therapist,
            location=location,
            day=day,
            duration=duration,
            exclude_appointment=exclude_appointment,
            now=earliest,
        )
    ]
    return sorted(found, key=lambda slot: (slot.starts_at, slot.therapist.display_name, slot.therapist.pk))
