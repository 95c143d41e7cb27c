"""Demo diary: appointment types and visits at every stage (fictional)."""

import contextlib
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from clinic.staff.models import Location, TherapistProfile, User
from patients.booking.choices import OCCUPYING_STATUSES, AppointmentStatus, VisitKind
from patients.booking.scheduling import free_slots
from patients.booking.services import BookingError, appointment_book
from patients.models import Appointment, AppointmentEvent, AppointmentType, Patient

APPOINTMENT_TYPES = (
    # name, kind, minutes, colour, requires intake
    ("Initial evaluation", VisitKind.INITIAL_EVALUATION, 60, "#0b5563", True),
    ("Follow-up", VisitKind.FOLLOW_UP, 30, "#2f9e44", False),
    ("Follow-up (extended)", VisitKind.FOLLOW_UP, 45, "#5c940d", False),
    ("Re-assessment", VisitKind.REASSESSMENT, 45, "#e67700", False),
    ("Discharge", VisitKind.DISCHARGE, 30, "#6741d9", False),
)


def load_types() -> dict[str, AppointmentType]:
    types = {}
    for name, kind, minutes, colour, requires_intake in APPOINTMENT_TYPES:
        types[name], _ = AppointmentType.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "duration_minutes": minutes,
                "colour": colour,
                "requires_intake": requires_intake,
            },
        )
    return types


def _past_visit(
    patient: Patient,
    therapist: TherapistProfile,
    location: Location,
    kind: AppointmentType,
    starts_at: datetime,
    by: User,
    status: str,
) -> None:
    # History is recorded as it happened; the booking service only books ahead.
    # Past visits still never overlap (PostgreSQL's exclusion constraints would
    # refuse them): slide to the next free half hour of the same day.
    duration = timedelta(minutes=kind.duration_minutes)
    while Appointment.objects.filter(
        Q(therapist=therapist) | Q(patient=patient),
        status__in=OCCUPYING_STATUSES,
        starts_at__lt=starts_at + duration,
        ends_at__gt=starts_at,
    ).exists():
        starts_at += timedelta(minutes=30)
    appointment = Appointment.objects.create(
        patient=patient,
        therapist=therapist,
        location=location,
        appointment_type=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=kind.duration_minutes),
        status=status,
        created_by=by,
    )
    AppointmentEvent.objects.create(appointment=appointment, action="booked", by=by)
    if status != AppointmentStatus.BOOKED:
        AppointmentEvent.objects.create(appointment=appointment, action=status, by=by)


def _next_slot(
    therapist: TherapistProfile,
    location: Location,
    kind: AppointmentType,
    after: datetime,
    rng: random.Random,
) -> datetime | None:
    zone = ZoneInfo(location.time_zone)
    day = after.astimezone(zone).date()
    for offset in range(21):
        slots = free_slots(
            therapist=therapist,
            location=location,
            day=day + timedelta(days=offset),
            duration=timedelta(minutes=kind.duration_minutes),
            now=after,
        )
        on_the_hour = [s for s in slots if s.starts_at.minute in (0, 30)]
        if on_the_hour:
            return rng.choice(on_the_hour[: max(1, len(on_the_hour) // 2)]).starts_at
    return None


def load(patients: list[Patient], booked_by: User) -> int:
    """Give demo patients a diary; patients who already have one are left alone."""
    rng = random.Random(7)  # noqa: S311 -- deterministic fake data
    types = load_types()
    location = Location.objects.get(name="Stride Riverside")
    therapists = list(location.therapists.order_by("display_name"))
    now = timezone.now()
    zone = ZoneInfo(location.time_zone)
    today_9 = datetime.combine(now.astimezone(zone).date(), datetime.min.time(), tzinfo=zone) + timedelta(
        hours=9
    )
    made = 0
    for index, patient in enumerate(patients):
        if patient.appointments.exists():
            continue
        therapist = therapists[index % len(therapists)]
        stage = index % 6
        if stage in (0, 1):
            # New: an initial evaluation coming up (intake sent by the booking).
            starts_at = _next_slot(
                therapist, location, types["Initial evaluation"], now + timedelta(hours=20 + index * 9), rng
            )
            if starts_at:
                with contextlib.suppress(BookingError):
                    appointment_book(
                        patient=patient,
                        therapist=therapist,
                        location=location,
                        appointment_type=types["Initial evaluation"],
                        starts_at=starts_at,
                        booked_by=booked_by,
                        notes="Hip pain when running; referred by club coach.",
                    )
                    made += 1
            continue
        # In treatment: an evaluation some weeks ago, follow-ups since, one coming up.
        weeks_ago = 1 + stage
        first = today_9 - timedelta(weeks=weeks_ago) + timedelta(hours=index % 5)
        _past_visit(
            patient,
            therapist,
            location,
            types["Initial evaluation"],
            first,
            booked_by,
            AppointmentStatus.COMPLETED,
        )
        for week in range(1, weeks_ago):
            status = AppointmentStatus.NO_SHOW if (index + week) % 11 == 0 else AppointmentStatus.COMPLETED
            _past_visit(
                patient,
                therapist,
                location,
                types["Follow-up"],
                first + timedelta(weeks=week, hours=1),
                booked_by,
                status,
            )
        kind = types["Re-assessment"] if weeks_ago == 4 else types["Follow-up"]
        if index % 3 == 0 and _today_visit(patient, therapist, location, kind, now, booked_by):
            made += 1
            continue
        starts_at = _next_slot(therapist, location, kind, now + timedelta(hours=6 + (index * 11) % 120), rng)
        if starts_at:
            with contextlib.suppress(BookingError):
                appointment_book(
                    patient=patient,
                    therapist=therapist,
                    location=location,
                    appointment_type=kind,
                    starts_at=starts_at,
                    booked_by=booked_by,
                )
        made += 1
    return made + load_this_week(patients, booked_by, now=now)


def _today_visit(
    patient: Patient,
    therapist: TherapistProfile,
    location: Location,
    kind: AppointmentType,
    now: datetime,
    by: User,
) -> bool:
    """A visit today, so the day lists have something to show whatever the hour."""
    zone = ZoneInfo(location.time_zone)
    day = now.astimezone(zone).date()
    start_of_day = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    slots = free_slots(
        therapist=therapist,
        location=location,
        day=day,
        duration=timedelta(minutes=kind.duration_minutes),
        now=start_of_day,
    )
    taken = Appointment.objects.filter(patient=patient, starts_at__date=day).exists()
    for slot in slots[::4]:
        if taken or slot.starts_at.minute not in (0, 30):
            continue
        if slot.ends_at <= now:
            _past_visit(patient, therapist, location, kind, slot.starts_at, by, AppointmentStatus.COMPLETED)
            return True
        if slot.starts_at <= now:
            _past_visit(patient, therapist, location, kind, slot.starts_at, by, AppointmentStatus.ARRIVED)
            return True
        try:
            appointment_book(
                patient=patient,
                therapist=therapist,
                location=location,
                appointment_type=kind,
                starts_at=slot.starts_at,
                booked_by=by,
            )
        except BookingError:
            continue
        return True
    return False


# The week calendar of `make run` always shows a working week: each therapist this
# many visits on every day they work this week (past days completed, one no-show now
# and then, one under way today, the rest booked), topped up on each load.
WEEK_VISITS_PER_DAY = 2
WEEK_KINDS = ("Follow-up", "Follow-up (extended)", "Re-assessment", "Follow-up", "Discharge")


def load_this_week(patients: list[Patient], booked_by: User, *, now: datetime | None = None) -> int:
    """Top up this week's diary (Monday to Sunday at the demo location); a second load adds nothing."""
    now = now or timezone.now()
    types = load_types()
    location = Location.objects.get(name="Stride Riverside")
    zone = ZoneInfo(location.time_zone)
    therapists = list(location.therapists.order_by("display_name"))
    in_treatment = [p for p in patients if p.appointments.filter(status=AppointmentStatus.COMPLETED).exists()]
    if not therapists or not in_treatment:
        return 0
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    made = 0
    turn = 0
    for offset in range(7):
        day = monday + timedelta(days=offset)
        start_of_day = datetime.combine(day, datetime.min.time(), tzinfo=zone)
        for t_index, therapist in enumerate(therapists):
            have = Appointment.objects.filter(
                therapist=therapist,
                location=location,
                starts_at__gte=start_of_day,
                starts_at__lt=start_of_day + timedelta(days=1),
            ).exclude(status=AppointmentStatus.CANCELLED)
            missing = WEEK_VISITS_PER_DAY - have.count()
            for attempt in range(len(in_treatment)):
                if missing <= 0:
                    break
                kind = types[WEEK_KINDS[(offset + t_index + attempt) % len(WEEK_KINDS)]]
                patient = in_treatment[(offset * 3 + t_index * 7 + attempt) % len(in_treatment)]
                slots = [
                    s
                    for s in free_slots(
                        therapist=therapist,
                        location=location,
                        day=day,
                        duration=timedelta(minutes=kind.duration_minutes),
                        now=start_of_day,
                    )
                    if s.starts_at.minute in (0, 30)
                ]
                if not slots or Appointment.objects.filter(patient=patient, starts_at__date=day).exists():
                    continue
                slot = slots[(attempt * 5 + offset) % len(slots)]
                turn += 1
                if slot.ends_at <= now:
                    status = AppointmentStatus.NO_SHOW if turn % 6 == 0 else AppointmentStatus.COMPLETED
                    _past_visit(patient, therapist, location, kind, slot.starts_at, booked_by, status)
                elif slot.starts_at <= now:
                    _past_visit(
                        patient,
                        therapist,
                        location,
                        kind,
                        slot.starts_at,
                        booked_by,
                        AppointmentStatus.ARRIVED,
                    )
                else:
                    try:
                        appointment_book(
                            patient=patient,
                            therapist=therapist,
                            location=location,
                            appointment_type=kind,
                            starts_at=slot.starts_at,
                            booked_by=booked_by,
                        )
                    except BookingError:
                        continue
                missing -= 1
                made += 1
    return made
