"""The programme's reminders in the outbox (domain.md §9): one row per reminder, unique key.

- home_exercise (patient): on the chosen exercise days that have no clinic
  visit, at the chosen local time.
- weekly_checkin (patient): once a week, on the check-in day and time.
- reassessment_due (therapist): a week before each planned re-assessment
  (dropped at send time once a re-assessment visit is booked).
- outcome_due (patient): 48 hours before each booked re-assessment visit
  (not booked yet: 09:00 two days before the planned day), until the
  questionnaire is in. `outcome_window` defines it together with the days
  the questionnaire page takes answers, so the email never comes before the
  page opens.

Two kinds of time rule (docs/clinical-rules.md, "When reminders go"): local
wall times ("08:00 on exercise days") are computed in the programme's zone
with zoneinfo, so a daylight-saving change never shifts them; "48 hours
before the visit" is 48 × 3600 s of elapsed time (clinic.messaging.timing).
Rows are stored in UTC. Each row expires when its subject has passed: a
home-exercise reminder at the end of its day, a check-in request when the
next one is due, a re-assessment notice at the end of the planned day, the
questionnaire email when its page closes. Patient emails keep quiet hours in
the programme's zone (schedule_message moves them).

Why a horizon: home-exercise reminders are created only REMINDER_HORIZON
(14 days) ahead, and the daily beat task `assessments.programme_reminders_top_up`
adds the next days. A plan change then moves or cancels a couple of weeks'
rows, not the whole programme's, and opt-outs and booked visits are read
close to the day. The few weekly and re-assessment rows are all created at
the start. `programme_reminders_sync` is the one function that creates,
moves and cancels: it computes the rows the programme wants from now on,
schedules each by key (an existing pending row moves) and cancels pending
future rows it no longer wants. Callers run it inside their own transaction.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from assessments.messages import AssessmentMessageKind
from assessments.models import Programme, ProgrammeOutcome
from assessments.programmes.choices import OutcomeTimepoint, ProgrammeStatus
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.services import About, messages_cancel, schedule_message
from clinic.messaging.timing import hours_before, local_day_end
from patients.booking.choices import AppointmentStatus, VisitKind
from patients.intake.selectors import patient_reminder_opt_ins
from patients.models import Appointment

# The kinds programme_reminders_sync owns (the programme's other messages go out on events).
REMINDER_KINDS = (
    AssessmentMessageKind.HOME_EXERCISE,
    AssessmentMessageKind.WEEKLY_CHECKIN,
    AssessmentMessageKind.REASSESSMENT_DUE,
    AssessmentMessageKind.OUTCOME_DUE,
)
REMINDER_HORIZON = timedelta(days=14)
REASSESSMENT_NOTICE = timedelta(days=7)
OUTCOME_LEAD_HOURS = 48  # before a booked re-assessment visit, elapsed hours
OUTCOME_LEAD_DAYS = timedelta(days=2)  # before the planned day, at OUTCOME_TIME local
NOTICE_TIME = time(8, 0)
OUTCOME_TIME = time(9, 0)
# A re-assessment visit this close to the planned day counts as "booked".
REASSESSMENT_WINDOW = timedelta(days=7)
# The questionnaire page takes answers from this long before the re-assessment
# (the planned day or the booked visit's day, whichever is earlier) to this
# long after the later of the two, in whole local days.
OUTCOME_OPENS_BEFORE = timedelta(days=3)
OUTCOME_CLOSES_AFTER = timedelta(days=14)


@dataclass(frozen=True)
class Planned:
    kind: str
    key: str
    to: str
    due_at: datetime
    expires_at: datetime | None


def local_moment(day: date, at: time, zone: str) -> datetime:
    """`at` o'clock on `day` in `zone`, as an aware datetime (convert with .astimezone(UTC) to store)."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone))


def _key(programme: Programme, kind: str, slot: str) -> str:
    return f"programme:{programme.pk}:{kind}:{slot}"


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def reassessment_dates(programme: Programme) -> list[tuple[str, date]]:
    """(timepoint, planned day) of the planned re-assessments, week 4 first."""
    planned = [
        (OutcomeTimepoint.WEEK_4, programme.reassess_mid_on),
        (OutcomeTimepoint.END, programme.reassess_end_on),
    ]
    return [(tp, day) for tp, day in planned if day is not None]


def booked_reassessment(programme: Programme, day: date) -> Appointment | None:
    """A booked re-assessment visit within a week of the planned day."""
    zone = ZoneInfo(programme.time_zone)
    middle = local_moment(day, time(12), programme.time_zone).astimezone(zone)
    return (
        Appointment.objects.filter(
            patient_id=programme.patient_id,
            status=AppointmentStatus.BOOKED,
            appointment_type__kind=VisitKind.REASSESSMENT,
            starts_at__gte=middle - REASSESSMENT_WINDOW,
            starts_at__lte=middle + REASSESSMENT_WINDOW,
        )
        .order_by("starts_at")
        .first()
    )


@dataclass(frozen=True)
class OutcomeWindow:
    """One re-assessment questionnaire: when its email is due and when its page takes answers."""

    timepoint: str
    opens_at: datetime
    closes_at: datetime  # the first moment the page no longer takes answers
    due_at: datetime  # the "questionnaire due" email
    visit_at: datetime  # the booked visit, or 09:00 on the planned day while none is booked

    def is_open(self, at: datetime) -> bool:
        return self.opens_at <= at < self.closes_at


def _outcome_window(programme: Programme, timepoint: str, day: date) -> OutcomeWindow:
    zone = programme.time_zone
    visit = booked_reassessment(programme, day)
    if visit is not None:
        visit_at, due_at = visit.starts_at, hours_before(visit.starts_at, OUTCOME_LEAD_HOURS)
        visit_day = visit.starts_at.astimezone(ZoneInfo(zone)).date()
    else:  # not booked yet: 09:00 local, two days before the planned day
        visit_at = local_moment(day, OUTCOME_TIME, zone)
        due_at = local_moment(day - OUTCOME_LEAD_DAYS, OUTCOME_TIME, zone)
        visit_day = day
    opens_at = local_moment(min(day, visit_day) - OUTCOME_OPENS_BEFORE, time(0), zone)
    closes_at = local_moment(max(day, visit_day) + OUTCOME_CLOSES_AFTER + timedelta(days=1), time(0), zone)
    # The email carries the page's link: it is never due before the page opens.
    return OutcomeWindow(timepoint, min(opens_at, due_at), closes_at, due_at, visit_at)


def outcome_window(*, programme: Programme, timepoint: str) -> OutcomeWindow | None:
    """When the questionnaire of a planned re-assessment is asked for and answered (None: not planned).

    The email is due OUTCOME_LEAD_HOURS (48 h, elapsed) before the booked re-assessment visit
    (one within REASSESSMENT_WINDOW, a week, of the planned day), or at 09:00
    two days before the planned day while none is booked. The page takes
    answers from the start of the day OUTCOME_OPENS_BEFORE (3 days) before the
    planned day or the visit's day, whichever is earlier, to the end of the day
    OUTCOME_CLOSES_AFTER (14 days) after the later one, in the programme's
    zone. So the email always falls inside the page's window, even for a
    visit booked a week early. Used by the reminders and the patient's page.
    """
    day = dict(reassessment_dates(programme)).get(timepoint)
    return None if day is None else _outcome_window(programme, timepoint, day)


def outcome_open(*, programme: Programme, now: datetime) -> str | None:
    """The time point whose questionnaire the patient's page takes now (not yet answered), if any."""
    if programme.status != ProgrammeStatus.ACTIVE:
        return None
    answered = set(ProgrammeOutcome.objects.filter(programme=programme).values_list("timepoint", flat=True))
    for timepoint, day in reassessment_dates(programme):
        if timepoint not in answered and _outcome_window(programme, timepoint, day).is_open(now):
            return timepoint
    return None


def planned_reminders(programme: Programme, *, now: datetime) -> list[Planned]:
    """Every reminder the programme wants from `now` on (home exercise within the horizon)."""
    zone = programme.time_zone
    today = now.astimezone(ZoneInfo(zone)).date()
    patient = programme.patient
    opt_ins = patient_reminder_opt_ins(patient_id=patient.pk)
    wanted: list[Planned] = []

    # Home exercise: chosen days without a visit, inside the programme and the horizon.
    if patient.email and opt_ins.get("home_exercise", True):
        first, last = max(programme.start_date, today), programme.end_date
        horizon_end = (now + REMINDER_HORIZON).astimezone(ZoneInfo(zone)).date()
        visit_days = {
            a.astimezone(ZoneInfo(zone)).date()
            for a in Appointment.objects.filter(
                patient_id=patient.pk,
                status__in=[AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED],
                starts_at__gte=local_moment(first, time(0), zone),
                starts_at__lt=local_day_end(last, zone),
            ).values_list("starts_at", flat=True)
        }
        weekdays = set(programme.exercise_weekdays)
        for day in _days(first, min(last, horizon_end)) if first <= last else []:
            if day.weekday() not in weekdays or day in visit_days:
                continue
            due = local_moment(day, programme.reminder_time, zone)
            if due <= now:
                continue
            wanted.append(
                Planned(
                    AssessmentMessageKind.HOME_EXERCISE,
                    _key(programme, AssessmentMessageKind.HOME_EXERCISE, day.isoformat()),
                    patient.email,
                    due,
                    local_day_end(day, zone),
                )
            )

    # Weekly check-in request: the check-in weekday of each planned week.
    if patient.email and opt_ins.get("weekly_checkin", True):
        for week in range(1, programme.planned_weeks + 1):
            week_start = programme.week_start(week)
            day = week_start + timedelta(days=(programme.checkin_weekday - week_start.weekday()) % 7)
            due = local_moment(day, programme.checkin_time, zone)
            # Until the next week's request is due (same local time a week later).
            if due > now:
                wanted.append(
                    Planned(
                        AssessmentMessageKind.WEEKLY_CHECKIN,
                        _key(programme, AssessmentMessageKind.WEEKLY_CHECKIN, f"week{week}"),
                        patient.email,
                        due,
                        due + timedelta(days=7),
                    )
                )

    recorded = set(ProgrammeOutcome.objects.filter(programme=programme).values_list("timepoint", flat=True))
    for timepoint, day in reassessment_dates(programme):
        # To the therapist: book (or prompt) the re-assessment a week ahead.
        notice = local_moment(day - REASSESSMENT_NOTICE, NOTICE_TIME, zone)
        if notice > now and programme.therapist.email:
            wanted.append(
                Planned(
                    AssessmentMessageKind.REASSESSMENT_DUE,
                    _key(programme, AssessmentMessageKind.REASSESSMENT_DUE, timepoint),
                    programme.therapist.email,
                    notice,
                    local_day_end(day, zone),
                )
            )
        # To the patient: the questionnaire 48 h before the visit, until its page closes.
        if timepoint in recorded or not patient.email or not opt_ins.get("outcome_due", True):
            continue
        window = _outcome_window(programme, timepoint, day)
        if window.due_at > now:
            wanted.append(
                Planned(
                    AssessmentMessageKind.OUTCOME_DUE,
                    _key(programme, AssessmentMessageKind.OUTCOME_DUE, timepoint),
                    patient.email,
                    window.due_at,
                    window.closes_at,
                )
            )
    return wanted


def programme_reminders_sync(*, programme: Programme, now: datetime | None = None) -> list[Planned]:
    """Create, move and cancel the programme's reminder rows to match its plan (in the caller's transaction).

    An active programme gets every planned reminder (a pending row under the
    same key moves to the new time); pending future rows it no longer wants
    are cancelled. A closed programme's pending reminders are all cancelled.
    Returns the reminders wanted.
    """
    now = now or timezone.now()
    about = About.of(programme)
    if programme.status != ProgrammeStatus.ACTIVE:
        messages_cancel(about=about, kinds=list(REMINDER_KINDS))
        return []
    wanted = planned_reminders(programme, now=now)
    for item in wanted:
        schedule_message(
            kind=item.kind,
            to=item.to,
            due_at=item.due_at,
            key=item.key,
            about=about,
            patient_id=programme.patient_id,
            expires_at=item.expires_at,
            time_zone=programme.time_zone,
        )
    keys = {item.key for item in wanted}
    stale = ScheduledMessage.objects.filter(
        about_label=about.label,
        about_pk=about.pk,
        status=MessageStatus.PENDING,
        kind__in=REMINDER_KINDS,
        due_at__gt=now,
    ).exclude(key__in=keys)
    stale.update(status=MessageStatus.CANCELLED, updated_at=now)
    return wanted


def programme_reminders_top_up(*, now: datetime | None = None) -> int:
    """Daily: extend every active programme's reminders to the horizon (one transaction each)."""
    count = 0
    for programme_id in Programme.objects.filter(status=ProgrammeStatus.ACTIVE).values_list("pk", flat=True):
        with transaction.atomic():
            programme = (
                Programme.objects.select_for_update(of=("self",))
                .select_related("patient", "therapist")
                .filter(pk=programme_id, status=ProgrammeStatus.ACTIVE)
                .first()
            )
            if programme is not None:
                programme_reminders_sync(programme=programme, now=now)
                count += 1
    return count
