"""Read models for the calendar, day lists and booking page."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet

from clinic.staff.models import Location, OpeningHours, TherapistProfile, TimeOff, WorkingHours
from patients.booking.choices import LONGEST_VISIT, AppointmentStatus, HoldState
from patients.booking.scheduling import SLOT_STEP, working_windows_of
from patients.booking.week_grid import WeekGrid, week_grid
from patients.models import Appointment, IntakeInvitation, Patient, RedFlag


def appointments_between(*, start: datetime, end: datetime) -> QuerySet[Appointment]:
    """Visits overlapping a time range with what the lists show, in three queries.

    A visit lasts at most LONGEST_VISIT (a check constraint), so one that
    overlaps the range started no earlier than that before it: the bound makes
    the range on starts_at a closed one, which the (location, starts_at),
    (therapist, starts_at) and starts_at indexes serve.
    """
    latest_invitations = Prefetch(
        "intake_invitations",
        queryset=IntakeInvitation.objects.order_by("-created_at"),
        to_attr="invitations",
    )
    # The red-flag banner on day-list rows: each patient's open flags.
    open_flags = Prefetch(
        "patient__red_flags",
        queryset=RedFlag.objects.filter(cleared_at__isnull=True).order_by("detected_at", "pk"),
        to_attr="open_red_flags",
    )
    return (
        Appointment.objects.filter(starts_at__gte=start - LONGEST_VISIT, starts_at__lt=end, ends_at__gt=start)
        .select_related("patient", "therapist", "location", "appointment_type")
        .prefetch_related(latest_invitations, open_flags)
        .order_by("starts_at", "pk")
    )


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


@dataclass
class Cell:
    kind: str  # "appointment", "free", "closed", "covered"
    therapist: TherapistProfile
    at: datetime
    appointment: Appointment | None = None
    rowspan: int = 1


@dataclass
class Row:
    at: datetime
    cells: list[Cell] = field(default_factory=list)


def calendar_day(*, location: Location, day: date, now: datetime) -> tuple[list[TherapistProfile], list[Row]]:
    """The day grid: a column per therapist, a row per 15 minutes of opening."""
    zone = ZoneInfo(location.time_zone)
    therapists = list(location.therapists.filter(is_active=True).order_by("display_name"))
    hours = list(OpeningHours.objects.filter(location=location, weekday=day.weekday()))
    if not hours:
        return therapists, []
    opens = datetime.combine(day, min(h.opens for h in hours), tzinfo=zone)
    closes = datetime.combine(day, max(h.closes for h in hours), tzinfo=zone)
    visits = [
        a
        for a in appointments_between(start=opens, end=closes).filter(location=location)
        if a.status != AppointmentStatus.CANCELLED
    ]
    windows = working_windows_of(therapists=therapists, location=location, day=day, opening_hours=hours)
    rows: list[Row] = []
    covered: dict[int, datetime] = {}
    at = opens
    while at < closes:
        row = Row(at=at)
        for therapist in therapists:
            if covered.get(therapist.pk) and at < covered[therapist.pk]:
                row.cells.append(Cell("covered", therapist, at))
                continue
            visit = next(
                (v for v in visits if v.therapist_id == therapist.pk and v.starts_at <= at < v.ends_at), None
            )
            if visit is not None:
                span = max(1, int((visit.ends_at - at) / SLOT_STEP))
                covered[therapist.pk] = at + span * SLOT_STEP
                row.cells.append(Cell("appointment", therapist, at, visit, span))
            elif any(s <= at and at + SLOT_STEP <= e for s, e in windows[therapist.pk]) and at >= now:
                row.cells.append(Cell("free", therapist, at))
            else:
                row.cells.append(Cell("closed", therapist, at))
        rows.append(row)
        at += SLOT_STEP
    return therapists, rows


def calendar_week_grid(
    *, location: Location, monday: date, now: datetime, therapist: TherapistProfile | None = None
) -> tuple[list[TherapistProfile], WeekGrid]:
    """The therapists at a location and the week's time grid of them all (or of one), in five queries.

    Therapists, opening hours, working hours, time off and the visits (with
    patient and type): the count does not grow with the visits. Cancelled
    visits and lapsed online holds are left off; their time is free.
    """
    zone = ZoneInfo(location.time_zone)
    days = [monday + timedelta(days=i) for i in range(7)]
    therapists = list(location.therapists.filter(is_active=True).order_by("display_name"))
    ids = [t.pk for t in therapists if therapist is None or t.pk == therapist.pk]
    start, _ = day_bounds(days[0], zone)
    _, end = day_bounds(days[-1], zone)
    opening: dict[int, list[tuple[time, time]]] = {}
    for hours in OpeningHours.objects.filter(location=location):
        opening.setdefault(hours.weekday, []).append((hours.opens, hours.closes))
    working: dict[tuple[int, int], list[tuple[time, time]]] = {}
    for hours in WorkingHours.objects.filter(location=location, therapist__in=ids):
        working.setdefault((hours.therapist_id, hours.weekday), []).append((hours.starts, hours.ends))
    away: dict[int, list[tuple[datetime, datetime]]] = {}
    for off in TimeOff.objects.filter(therapist__in=ids, starts_at__lt=end, ends_at__gt=start):
        away.setdefault(off.therapist_id, []).append((off.starts_at, off.ends_at))
    visits = (
        Appointment.objects.filter(
            location=location,
            therapist__in=ids,
            starts_at__gte=start - LONGEST_VISIT,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .exclude(status=AppointmentStatus.CANCELLED)
        .exclude(hold=HoldState.HELD, hold_expires_at__lte=now)
        .select_related("patient", "appointment_type", "therapist")
        .order_by("starts_at", "pk")
    )
    grid = week_grid(
        days=days,
        zone=zone,
        therapist_ids=ids,
        opening=opening,
        working=working,
        away=away,
        visits=list(visits),
        now=now,
    )
    return therapists, grid


def patient_duplicates(
    *, first_name: str, last_name: str, date_of_birth: date | None, email: str
) -> QuerySet[Patient]:
    """Existing patients who are likely the same person: name + DOB, or email."""
    condition = Q(pk__in=[])
    if first_name and last_name and date_of_birth:
        condition |= Q(
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
            date_of_birth=date_of_birth,
        )
    if email:
        condition |= Q(email__iexact=email.strip())
    return Patient.objects.filter(condition).order_by("last_name", "first_name")


# The hub lists this many past visits, newest first, and says how many there are.
PAST_VISITS_SHOWN = 10


@dataclass
class PatientVisits:
    upcoming: list[Appointment]
    past: list[Appointment]
    past_count: int


def patient_visits(*, patient: Patient, now: datetime, past_limit: int = PAST_VISITS_SHOWN) -> PatientVisits:
    """A patient's visits for the hub: every one not yet over, soonest first, and the latest past ones.

    A visit under way counts as upcoming until it ends. Cancelled and no-show
    visits stay in their place in time, with their status. Two queries, or
    three when there are more past visits than shown.
    """
    visits = Appointment.objects.filter(patient=patient).select_related(
        "appointment_type", "therapist", "location"
    )
    upcoming = list(visits.filter(ends_at__gt=now).order_by("starts_at", "pk"))
    past = list(visits.filter(ends_at__lte=now).order_by("-starts_at", "-pk")[:past_limit])
    past_count = len(past) if len(past) < past_limit else visits.filter(ends_at__lte=now).count()
    return PatientVisits(upcoming=upcoming, past=past, past_count=past_count)
