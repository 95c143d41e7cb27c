"""Demo waitlist: a runner who would take an earlier evening follow-up (fictional).

They keep their booked follow-up and asked, from its manage link, to be
offered an earlier weekday evening; the minute's match (beat, under
`make run`) emails an offer as soon as such a time is free.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from patients.booking.choices import AppointmentStatus, HoldState
from patients.booking.waitlist.choices import PartOfDay
from patients.booking.waitlist.rules import bits_of
from patients.booking.waitlist.services import waitlist_join
from patients.models import Appointment, WaitlistEntry

WEEKDAYS = bits_of(range(5))


def load() -> WaitlistEntry | None:
    if WaitlistEntry.objects.exists():
        return None
    now = timezone.now()
    visit = (
        Appointment.objects.filter(
            status=AppointmentStatus.BOOKED,
            hold=HoldState.CONFIRMED,
            appointment_type__online_bookable=True,
            starts_at__gte=now + timedelta(hours=settings.LATE_CANCELLATION_HOURS + 48),
            patient__email__gt="",
        )
        .select_related("patient", "location", "appointment_type")
        .order_by("starts_at", "pk")
        .first()
    )
    if visit is None:
        return None
    return waitlist_join(
        patient=visit.patient,
        location=visit.location,
        appointment_type=visit.appointment_type,
        appointment=visit,
        weekdays=WEEKDAYS,
        parts_of_day=PartOfDay.EVENING,
        until=visit.starts_at.astimezone(ZoneInfo(visit.location.time_zone)).date(),
    )
