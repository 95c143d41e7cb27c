"""Book a programme's follow-up visits (and its planned re-assessments) in one go.

Each slot goes through patients.booking.services.appointment_book in its own
savepoint: a slot that cannot be booked is reported with the booking
service's message and nearby free alternatives, and the rest are booked.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from assessments.models import Programme, ProgrammeVisit
from assessments.programmes.choices import RevisionAction, VisitPurpose
from assessments.programmes.services.plan import ProgrammeError, lock
from assessments.programmes.services.reminders import programme_reminders_sync, reassessment_dates
from assessments.programmes.services.revisions import revision_add
from clinic.staff.models import Location, TherapistProfile, User
from patients.booking.scheduling import Slot
from patients.booking.services import BookingError, appointment_book
from patients.models import Appointment, AppointmentType


@dataclass(frozen=True)
class SlotConflict:
    starts_at: datetime
    purpose: str
    messages: list[str]
    alternatives: list[Slot]


@dataclass
class BookingReport:
    booked: list[Appointment] = field(default_factory=list)
    conflicts: list[SlotConflict] = field(default_factory=list)
    skipped_past: int = 0


def planned_slots(
    *, programme: Programme, weekdays: list[int], at: time, zone: str, now: datetime
) -> list[datetime]:
    """visits_per_week × weeks: the chosen weekdays of every programme week, at the local time, from now on."""
    slots = []
    for week in range(1, programme.planned_weeks + 1):
        start = programme.week_start(week)
        for offset in range(7):
            day = start + timedelta(days=offset)
            if day.weekday() in weekdays:
                slots.append(datetime.combine(day, at, tzinfo=ZoneInfo(zone)))
    return sorted(s for s in slots if s > now)


@transaction.atomic
def programme_book_visits(
    *,
    programme: Programme,
    by: User,
    therapist: TherapistProfile,
    location: Location,
    appointment_type: AppointmentType,
    weekdays: list[int],
    at: time,
    reassessment_type: AppointmentType | None = None,
) -> BookingReport:
    """Book the follow-ups on the chosen weekdays and time for every programme week.

    With `reassessment_type`, the planned re-assessments (week 4, end) are
    booked too, at the same time of day on their planned days (instead of a
    follow-up that day). Each visit is linked to the programme. Conflicts are
    reported per slot with alternatives; the rest are booked. Side effects:
    appointments with their confirmations and reminders (booking service),
    a revision, and the home-exercise reminders moved off visit days.
    """
    programme = lock(programme)
    if len(set(weekdays)) != programme.visits_per_week:
        raise ProgrammeError(
            f"Choose {programme.visits_per_week} weekday{'s' if programme.visits_per_week > 1 else ''}: "
            "the programme's visits per week."
        )
    zone = location.time_zone
    now = timezone.now()
    report = BookingReport()
    plan: list[tuple[datetime, AppointmentType, str]] = []
    reassess_days = set()
    if reassessment_type is not None:
        for _, day in reassessment_dates(programme):
            starts_at = datetime.combine(day, at, tzinfo=ZoneInfo(zone))
            reassess_days.add(day)
            if starts_at > now:
                plan.append((starts_at, reassessment_type, VisitPurpose.REASSESSMENT))
            else:
                report.skipped_past += 1
    for starts_at in planned_slots(programme=programme, weekdays=weekdays, at=at, zone=zone, now=now):
        if starts_at.date() not in reassess_days:
            plan.append((starts_at, appointment_type, VisitPurpose.FOLLOW_UP))
    for starts_at, kind, purpose in sorted(plan, key=lambda item: item[0]):
        try:
            with transaction.atomic():
                appointment = appointment_book(
                    patient=programme.patient,
                    therapist=therapist,
                    location=location,
                    appointment_type=kind,
                    starts_at=starts_at,
                    booked_by=by,
                    notes="Booked with the programme.",
                )
                ProgrammeVisit.objects.create(programme=programme, appointment=appointment, purpose=purpose)
        except BookingError as exc:
            report.conflicts.append(SlotConflict(starts_at, purpose, exc.messages, exc.alternatives))
        else:
            report.booked.append(appointment)
    if report.booked:
        revision_add(
            programme=programme,
            action=RevisionAction.VISITS_BOOKED,
            by=by,
            summary=f"{len(report.booked)} visits booked with {therapist}"
            + (f"; {len(report.conflicts)} slots could not be booked." if report.conflicts else "."),
        )
        programme_reminders_sync(programme=programme)
    return report
