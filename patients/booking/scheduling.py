"""Free time: where a visit of a given length fits in a therapist's day.

A slot must sit inside the therapist's working hours at the location and the
location's opening hours (local wall time, so a daylight-saving change moves
nothing), outside time off and outside visits that hold the time.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from clinic.staff.models import Location, OpeningHours, TherapistProfile, TimeOff, WorkingHours
from patients.booking.choices import OCCUPYING_STATUSES, HoldState
from patients.models import Appointment

SLOT_STEP = timedelta(minutes=15)
Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Slot:
    therapist: TherapistProfile
    starts_at: datetime
    ends_at: datetime


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out = []
    for a_start, a_end in a:
        for b_start, b_end in b:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                out.append((start, end))
    return sorted(out)


def _subtract(windows: list[Interval], busy: Iterable[Interval]) -> list[Interval]:
    result = windows
    for b_start, b_end in busy:
        next_result = []
        for start, end in result:
            if b_end <= start or b_start >= end:
                next_result.append((start, end))
                continue
            if start < b_start:
                next_result.append((start, b_start))
            if b_end < end:
                next_result.append((b_end, end))
        result = next_result
    return result


def holding_time(now: datetime | None = None) -> Q:
    """Visits that hold their time at `now`: an occupying status, and no online hold that has lapsed.

    A lapsed hold keeps its row until it is released (patients.booking.online),
    but it is free time for every slot list.
    """
    return Q(status__in=OCCUPYING_STATUSES) & ~Q(
        hold=HoldState.HELD, hold_expires_at__lte=now or timezone.now()
    )


def day_windows(
    *, day: date, zone: ZoneInfo, working: Iterable[tuple[time, time]], opening: Iterable[tuple[time, time]]
) -> list[Interval]:
    """Working hours (local wall times) inside opening hours on `day`, as aware intervals."""
    hours = sorted((_local(day, start, zone), _local(day, end, zone)) for start, end in working)
    return _intersect(hours, [(_local(day, start, zone), _local(day, end, zone)) for start, end in opening])


def slot_starts(
    *, windows: list[Interval], busy: Iterable[Interval], duration: timedelta, not_before: datetime
) -> list[Interval]:
    """Every SLOT_STEP from each free stretch's start where `duration` fits, from `not_before` on."""
    found = []
    for start, end in _subtract(windows, busy):
        at = start
        while at + duration <= end:
            if at >= not_before:
                found.append((at, at + duration))
            at += SLOT_STEP
    return found


def working_windows(*, therapist: TherapistProfile, location: Location, day: date) -> list[Interval]:
    """The therapist's hours at the location that day, inside opening hours."""
    return working_windows_of(therapists=[therapist], location=location, day=day)[therapist.pk]


def working_windows_of(
    *,
    therapists: Iterable[TherapistProfile],
    location: Location,
    day: date,
    opening_hours: Iterable[OpeningHours] | None = None,
) -> dict[int, list[Interval]]:
    """Each therapist's hours at the location that day, inside opening hours, by therapist id.

    Two queries for any number of therapists (one when the caller has read the
    day's `opening_hours` already).
    """
    zone = ZoneInfo(location.time_zone)
    weekday = day.weekday()
    if opening_hours is None:
        opening_hours = OpeningHours.objects.filter(location=location, weekday=weekday)
    opening = [(o.opens, o.closes) for o in opening_hours]
    ids = [t.pk for t in therapists]
    working: dict[int, list[tuple[time, time]]] = {pk: [] for pk in ids}
    for w in WorkingHours.objects.filter(therapist__in=ids, location=location, weekday=weekday):
        working[w.therapist_id].append((w.starts, w.ends))
    return {
        pk: day_windows(day=day, zone=zone, working=hours, opening=opening) for pk, hours in working.items()
    }


def busy_intervals(
    *, therapist: TherapistProfile, start: datetime, end: datetime, exclude_appointment: int | None = None
) -> list[Interval]:
    appointments = Appointment.objects.filter(
        holding_time(), therapist=therapist, starts_at__lt=end, ends_at__gt=start
    )
    if exclude_appointment is not None:
        appointments = appointments.exclude(pk=exclude_appointment)
    time_off = TimeOff.objects.filter(therapist=therapist, starts_at__lt=end, ends_at__gt=start)
    return [(a.starts_at, a.ends_at) for a in appointments] + [(t.starts_at, t.ends_at) for t in time_off]


def free_slots(
    *,
    therapist: TherapistProfile,
    location: Location,
    day: date,
    duration: timedelta,
    exclude_appointment: int | None = None,
    now: datetime | None = None,
) -> list[Slot]:
    """Start times (every 15 minutes) where a visit of `duration` fits that day."""
    now = now or timezone.now()
    windows = working_windows(therapist=therapist, location=location, day=day)
    if not windows:
        return []
    busy = busy_intervals(
        therapist=therapist,
        start=windows[0][0],
        end=windows[-1][1],
        exclude_appointment=exclude_appointment,
    )
    return [
        Slot(therapist=therapist, starts_at=start, ends_at=end)
        for start, end in slot_starts(windows=windows, busy=busy, duration=duration, not_before=now)
    ]


def within_working_hours(
    *, therapist: TherapistProfile, location: Location, starts_at: datetime, ends_at: datetime
) -> bool:
    day = starts_at.astimezone(ZoneInfo(location.time_zone)).date()
    return any(
        start <= starts_at and ends_at <= end
        for start, end in working_windows(therapist=therapist, location=location, day=day)
    )


def on_time_off(*, therapist: TherapistProfile, starts_at: datetime, ends_at: datetime) -> bool:
    return TimeOff.objects.filter(therapist=therapist, starts_at__lt=ends_at, ends_at__gt=starts_at).exists()


def alternative_slots(
    *,
    therapist: TherapistProfile,
    location: Location,
    starts_at: datetime,
    duration: timedelta,
    exclude_appointment: int | None = None,
    limit: int = 6,
) -> list[Slot]:
    """Nearby free slots: the same therapist over the next week, then colleagues at that time."""
    zone = ZoneInfo(location.time_zone)
    first_day = starts_at.astimezone(zone).date()
    found: list[Slot] = []
    for offset in range(8):
        day = first_day + timedelta(days=offset)
        for slot in free_slots(
            therapist=therapist,
            location=location,
            day=day,
            duration=duration,
            exclude_appointment=exclude_appointment,
        ):
            if slot.starts_at >= starts_at - timedelta(hours=2):
                found.append(slot)
            if len(found) >= limit:
                break
        if len(found) >= limit:
            break
    for colleague in location.therapists.filter(is_active=True).exclude(pk=therapist.pk):
        for slot in free_slots(therapist=colleague, location=location, day=first_day, duration=duration):
            if slot.starts_at == starts_at:
                found.append(slot)
    return found
