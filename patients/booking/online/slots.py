"""The times offered online: the calendar's free slots, inside the online booking window.

Built on the calendar's engine (patients.booking.scheduling: working hours
inside opening hours in local wall time, time off, visits and live holds
holding their time, 15-minute steps), for many days and therapists at once:
five queries whatever the range. "Any therapist" offers each start time once,
with the therapist least booked that day (then by name), so the load spreads.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from clinic.staff.models import Location, OpeningHours, TherapistProfile, TimeOff, WorkingHours
from patients.booking.choices import LONGEST_VISIT
from patients.booking.online.policy import BookingWindow, booking_window
from patients.booking.scheduling import Interval, Slot, day_windows, holding_time, slot_starts
from patients.models import Appointment, AppointmentType


def window_now(*, location: Location, now: datetime) -> BookingWindow:
    """The online booking window at `now` for `location`, from the settings."""
    return booking_window(
        now=now,
        zone=ZoneInfo(location.time_zone),
        min_notice_hours=settings.ONLINE_BOOKING_MIN_NOTICE_HOURS,
        same_day=settings.ONLINE_BOOKING_SAME_DAY,
        weeks_ahead=settings.ONLINE_BOOKING_WEEKS_AHEAD,
    )


def online_types(*, location: Location) -> QuerySet[AppointmentType]:
    """The visit types offered online (the same at every location that has online therapists)."""
    return AppointmentType.objects.filter(is_active=True, online_bookable=True)


def online_therapists(*, location: Location) -> QuerySet[TherapistProfile]:
    """Therapists patients may choose at `location`."""
    return location.therapists.filter(is_active=True, online_bookable=True).order_by("display_name", "pk")


def online_locations() -> QuerySet[Location]:
    """Active locations with at least one therapist bookable online."""
    return (
        Location.objects.filter(is_active=True, therapists__is_active=True, therapists__online_bookable=True)
        .distinct()
        .order_by("name")
    )


def online_slots(
    *,
    location: Location,
    appointment_type: AppointmentType,
    therapist: TherapistProfile | None = None,
    start_day: date,
    days: int,
    now: datetime,
) -> list[Slot]:
    """Free starts for `appointment_type` on local days start_day … start_day + days - 1.

    Only online types and therapists, inside the booking window at `now`
    (minimum notice, same-day setting, weeks ahead). With `therapist` None
    ("any therapist") each start time appears once. Sorted by start.
    """
    if not (appointment_type.online_bookable and appointment_type.is_active):
        return []
    zone = ZoneInfo(location.time_zone)
    window = window_now(location=location, now=now)
    today = now.astimezone(zone).date()
    first = max(start_day, today)
    last = min(start_day + timedelta(days=days - 1), window.last_day)
    if first > last:
        return []
    therapists = online_therapists(location=location)
    if therapist is not None:
        therapists = therapists.filter(pk=therapist.pk)
    staff = list(therapists)
    if not staff:
        return []
    ids = [t.pk for t in staff]
    # The gap kept around other visits (online times only; the desk books what it chooses).
    buffer = timedelta(minutes=settings.ONLINE_BOOKING_BUFFER_MINUTES)
    range_start = datetime.combine(first, time.min, tzinfo=zone)
    range_end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)

    opening: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for o in OpeningHours.objects.filter(location=location):
        opening[o.weekday].append((o.opens, o.closes))
    working: dict[tuple[int, int], list[tuple[time, time]]] = defaultdict(list)
    for w in WorkingHours.objects.filter(therapist__in=ids, location=location):
        working[w.therapist_id, w.weekday].append((w.starts, w.ends))
    busy: dict[int, list[Interval]] = defaultdict(list)
    booked_on: dict[tuple[int, date], int] = defaultdict(int)
    # Visits anywhere hold a therapist's time, at this location or another.
    for therapist_id, starts_at, ends_at in Appointment.objects.filter(
        holding_time(now),
        therapist__in=ids,
        starts_at__lt=range_end + buffer,
        starts_at__gte=range_start - LONGEST_VISIT - buffer,
        ends_at__gt=range_start - buffer,
    ).values_list("therapist_id", "starts_at", "ends_at"):
        busy[therapist_id].append((starts_at - buffer, ends_at + buffer))
        booked_on[therapist_id, starts_at.astimezone(zone).date()] += 1
    for therapist_id, starts_at, ends_at in TimeOff.objects.filter(
        therapist__in=ids, starts_at__lt=range_end, ends_at__gt=range_start
    ).values_list("therapist_id", "starts_at", "ends_at"):
        busy[therapist_id].append((starts_at, ends_at))

    duration = timedelta(minutes=appointment_type.duration_minutes)
    found: list[Slot] = []
    day = first
    while day <= last:
        weekday = day.weekday()
        by_start: dict[datetime, Slot] = {}
        for person in staff:
            windows = day_windows(
                day=day, zone=zone, working=working[person.pk, weekday], opening=opening[weekday]
            )
            if not windows:
                continue
            for starts_at, ends_at in slot_starts(
                windows=windows, busy=busy[person.pk], duration=duration, not_before=window.earliest
            ):
                slot = Slot(therapist=person, starts_at=starts_at, ends_at=ends_at)
                if therapist is not None:
                    found.append(slot)
                    continue
                current = by_start.get(starts_at)
                if current is None or _lighter(person, current.therapist, booked_on, day):
                    by_start[starts_at] = slot
        found.extend(by_start.values())
        day += timedelta(days=1)
    return sorted(found, key=lambda s: (s.starts_at, s.therapist.display_name, s.therapist.pk))


def _lighter(
    candidate: TherapistProfile, current: TherapistProfile, booked_on: dict[tuple[int, date], int], day: date
) -> bool:
    def load(person: TherapistProfile) -> tuple[int, str, int]:
        return (booked_on[person.pk, day], person.display_name, person.pk)

    return load(candidate) < load(current)


def slot_offered(
    *,
    location: Location,
    appointment_type: AppointmentType,
    therapist: TherapistProfile,
    starts_at: datetime,
    now: datetime,
) -> bool:
    """Is this exact slot (this therapist, this start) offered online right now?"""
    day = starts_at.astimezone(ZoneInfo(location.time_zone)).date()
    return any(
        slot.starts_at == starts_at
        for slot in online_slots(
            location=location,
            appointment_type=appointment_type,
            therapist=therapist,
            start_day=day,
            days=1,
            now=now,
        )
    )
