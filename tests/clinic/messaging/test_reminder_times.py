"""When every reminder kind goes, in three clinic zones: booked and planned through the real services.

Each case books a visit or starts a programme at a frozen time, then reads the
outbox rows' due_at and expires_at as exact UTC instants (written out by hand,
not computed with the code under test). The rules are in docs/clinical-rules.md,
"When reminders go": "N hours before" is elapsed time, "at 08:00 on a day" is
local wall time, quiet hours are 21:00-07:00 local, and a reminder whose
subject has started or passed is expired by the dispatcher's claim.

DST changes in 2026: London 29 Mar (GMT→BST) and 25 Oct; New York 8 Mar (EST→EDT)
and 1 Nov; Sydney 5 Apr (AEDT→AEST) and 4 Oct (AEST→AEDT).
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from assessments.messages import AssessmentMessageKind
from assessments.programmes.services.discharge import programme_discharge
from assessments.programmes.services.reminders import programme_reminders_sync, programme_reminders_top_up
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.services import Delivery, schedule_message
from clinic.staff.choices import Role, Weekday
from clinic.staff.models import OpeningHours, WorkingHours
from patients.booking.choices import VisitKind
from patients.booking.services import appointment_book
from patients.messages import PatientMessageKind
from patients.models import AppointmentType
from tests.clinic.messaging.support import deliver_due
from tests.factories import (
    AppointmentTypeFactory,
    LocationFactory,
    PatientFactory,
    ProgrammeFactory,
    TherapistProfileFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db]

LONDON, NEW_YORK, SYDNEY = "Europe/London", "America/New_York", "Australia/Sydney"
REMINDER = PatientMessageKind.APPOINTMENT_REMINDER
NUDGE = PatientMessageKind.INTAKE_NUDGE


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _clinic(zone: str):
    """A location in `zone` open 06:00–23:00 every day, with a therapist working all of it."""
    location = LocationFactory(name=f"Clinic {zone}", time_zone=zone)
    physio = TherapistProfileFactory(
        user=UserFactory(role=Role.THERAPIST), display_name="Sam Physio", locations=[location]
    )
    for weekday in Weekday:
        OpeningHours.objects.create(location=location, weekday=weekday, opens=time(6), closes=time(23))
        WorkingHours.objects.create(
            therapist=physio, location=location, weekday=weekday, starts=time(6), ends=time(23)
        )
    return location, physio


def _hours(key: str) -> int:
    return int(re.search(r":(\d+)h(?::|$)", key).group(1))


def _times(kind: str, patient_id: int) -> dict[int, tuple[datetime, datetime | None]]:
    """The patient's pending rows of an hours-before kind: hours → (due_at, expires_at)."""
    rows = ScheduledMessage.objects.filter(kind=kind, patient_id=patient_id, status=MessageStatus.PENDING)
    return {_hours(r.key): (r.due_at, r.expires_at) for r in rows}


def _book(zone: str, starts_at: datetime, booked_at: datetime, *, kind=None, local: bool = False):
    """Book through the booking service; `local` gives the start in the location's zone, as the booking form does."""
    location, physio = _clinic(zone)
    with time_machine.travel(booked_at, tick=False):
        return appointment_book(
            patient=PatientFactory(),
            therapist=physio,
            location=location,
            appointment_type=kind or AppointmentTypeFactory(evaluation=True),
            starts_at=starts_at.astimezone(ZoneInfo(zone)) if local else starts_at,
            booked_by=UserFactory(role=Role.FRONT_DESK),
        )


# --- Visits: appointment reminders (48 h, 24 h) and intake nudges (72 h, 24 h) --------------------------


@dataclass(frozen=True)
class Visit:
    name: str
    zone: str
    booked_at: datetime
    starts_at: datetime
    reminders: dict[int, datetime]
    nudges: dict[int, datetime]
    reminder_hours: list[int] = field(default_factory=lambda: [48, 24])


VISITS = [
    # 09:00 local on the Monday just after a change: elapsed hours, so the local clock time moves.
    Visit(
        "London spring: 48 h before 09:00 BST is 08:00 GMT",
        LONDON,
        booked_at=utc(2026, 3, 23, 12),
        starts_at=utc(2026, 3, 30, 8),
        reminders={48: utc(2026, 3, 28, 8), 24: utc(2026, 3, 29, 8)},
        nudges={72: utc(2026, 3, 27, 8), 24: utc(2026, 3, 29, 8)},
    ),
    Visit(
        "London autumn: 48 h before 09:00 GMT is 10:00 BST",
        LONDON,
        booked_at=utc(2026, 10, 19, 12),
        starts_at=utc(2026, 10, 26, 9),
        reminders={48: utc(2026, 10, 24, 9), 24: utc(2026, 10, 25, 9)},
        nudges={72: utc(2026, 10, 23, 9), 24: utc(2026, 10, 25, 9)},
    ),
    Visit(
        "New York spring: 48 h before 09:00 EDT is 08:00 EST",
        NEW_YORK,
        booked_at=utc(2026, 3, 2, 12),
        starts_at=utc(2026, 3, 9, 13),
        reminders={48: utc(2026, 3, 7, 13), 24: utc(2026, 3, 8, 13)},
        nudges={72: utc(2026, 3, 6, 13), 24: utc(2026, 3, 8, 13)},
    ),
    Visit(
        "New York autumn: 48 h before 09:00 EST is 10:00 EDT",
        NEW_YORK,
        booked_at=utc(2026, 10, 26, 12),
        starts_at=utc(2026, 11, 2, 14),
        reminders={48: utc(2026, 10, 31, 14), 24: utc(2026, 11, 1, 14)},
        nudges={72: utc(2026, 10, 30, 14), 24: utc(2026, 11, 1, 14)},
    ),
    Visit(
        "Sydney spring: 48 h before 09:00 AEDT is 08:00 AEST",
        SYDNEY,
        booked_at=utc(2026, 9, 28, 12),
        starts_at=utc(2026, 10, 4, 22),
        reminders={48: utc(2026, 10, 2, 22), 24: utc(2026, 10, 3, 22)},
        nudges={72: utc(2026, 10, 1, 22), 24: utc(2026, 10, 3, 22)},
    ),
    Visit(
        "Sydney autumn: 48 h before 09:00 AEST is 10:00 AEDT",
        SYDNEY,
        booked_at=utc(2026, 3, 30, 12),
        starts_at=utc(2026, 4, 5, 23),
        reminders={48: utc(2026, 4, 3, 23), 24: utc(2026, 4, 4, 23)},
        nudges={72: utc(2026, 4, 2, 23), 24: utc(2026, 4, 4, 23)},
    ),
    # 21:30 local on Wednesday 14 January: every offset lands at 21:30, in quiet hours, so 07:00 local.
    Visit(
        "London evening visit: quiet hours move each to 07:00 GMT",
        LONDON,
        booked_at=utc(2026, 1, 7, 12),
        starts_at=utc(2026, 1, 14, 21, 30),
        reminders={48: utc(2026, 1, 13, 7), 24: utc(2026, 1, 14, 7)},
        nudges={72: utc(2026, 1, 12, 7), 24: utc(2026, 1, 14, 7)},
    ),
    Visit(
        "New York evening visit: quiet hours move each to 07:00 EST",
        NEW_YORK,
        booked_at=utc(2026, 1, 7, 12),
        starts_at=utc(2026, 1, 15, 2, 30),
        reminders={48: utc(2026, 1, 13, 12), 24: utc(2026, 1, 14, 12)},
        nudges={72: utc(2026, 1, 12, 12), 24: utc(2026, 1, 14, 12)},
    ),
    Visit(
        "Sydney evening visit: quiet hours move each to 07:00 AEDT",
        SYDNEY,
        booked_at=utc(2026, 1, 7, 12),
        starts_at=utc(2026, 1, 14, 10, 30),
        reminders={48: utc(2026, 1, 12, 20), 24: utc(2026, 1, 13, 20)},
        nudges={72: utc(2026, 1, 11, 20), 24: utc(2026, 1, 13, 20)},
    ),
    # 06:30 local, with a clinic's extra 8 h reminder: 22:30 the evening before is quiet and 07:00
    # is after the visit, so it goes at 20:59 the evening before. The 24 h one waits for 07:00.
    Visit(
        "London early visit: the 8 h reminder goes at 20:59 the evening before",
        LONDON,
        booked_at=utc(2026, 1, 7, 12),
        starts_at=utc(2026, 1, 14, 6, 30),
        reminder_hours=[24, 8],
        reminders={24: utc(2026, 1, 13, 7), 8: utc(2026, 1, 13, 20, 59)},
        nudges={72: utc(2026, 1, 11, 7), 24: utc(2026, 1, 13, 7)},
    ),
    Visit(
        "New York early visit: the 8 h reminder goes at 20:59 EST the evening before",
        NEW_YORK,
        booked_at=utc(2026, 1, 7, 12),
        starts_at=utc(2026, 1, 14, 11, 30),
        reminder_hours=[24, 8],
        reminders={24: utc(2026, 1, 13, 12), 8: utc(2026, 1, 14, 1, 59)},
        nudges={72: utc(2026, 1, 11, 12), 24: utc(2026, 1, 13, 12)},
    ),
    Visit(
        "Sydney early visit: the 8 h reminder goes at 20:59 AEDT the evening before",
        SYDNEY,
        booked_at=utc(2026, 1, 7, 12),
        starts_at=utc(2026, 1, 13, 19, 30),
        reminder_hours=[24, 8],
        reminders={24: utc(2026, 1, 12, 20), 8: utc(2026, 1, 13, 9, 59)},
        nudges={72: utc(2026, 1, 10, 20), 24: utc(2026, 1, 12, 20)},
    ),
    Visit(
        "London spring night, early visit: 20:59 GMT before 06:30 BST",
        LONDON,
        booked_at=utc(2026, 3, 20, 12),
        starts_at=utc(2026, 3, 29, 5, 30),
        reminder_hours=[24, 8],
        reminders={24: utc(2026, 3, 28, 7), 8: utc(2026, 3, 28, 20, 59)},
        nudges={72: utc(2026, 3, 26, 7), 24: utc(2026, 3, 28, 7)},
    ),
]


@pytest.mark.parametrize("given_in", ["UTC", "local"])
@pytest.mark.parametrize("case", VISITS, ids=[case.name for case in VISITS])
def test_visit_reminders_and_nudges_are_due_at_exact_instants(case, given_in, settings):
    settings.APPOINTMENT_REMINDER_HOURS = case.reminder_hours
    appointment = _book(case.zone, case.starts_at, case.booked_at, local=given_in == "local")

    assert appointment.starts_at == case.starts_at
    patient_id = appointment.patient_id
    assert _times(REMINDER, patient_id) == {h: (due, case.starts_at) for h, due in case.reminders.items()}
    assert _times(NUDGE, patient_id) == {h: (due, case.starts_at) for h, due in case.nudges.items()}
    # The confirmation and the intake link go at once, whatever the hour.
    immediate = ScheduledMessage.objects.filter(
        patient_id=patient_id,
        kind__in=[PatientMessageKind.APPOINTMENT_CONFIRMATION, PatientMessageKind.INTAKE_INVITATION],
    )
    assert {(m.kind, m.due_at) for m in immediate} == {
        (PatientMessageKind.APPOINTMENT_CONFIRMATION, case.booked_at),
        (PatientMessageKind.INTAKE_INVITATION, case.booked_at),
    }
    assert immediate.get(kind=PatientMessageKind.INTAKE_INVITATION).expires_at == case.starts_at


@pytest.mark.parametrize(
    ("zone", "starts_at"),
    [(LONDON, utc(2026, 1, 14, 9)), (NEW_YORK, utc(2026, 1, 14, 14)), (SYDNEY, utc(2026, 1, 13, 22))],
)
def test_reminders_whose_visit_has_started_are_expired_by_the_claim_not_sent(zone, starts_at, mailoutbox):
    """09:00 local; the outbox was down from before the 24 h reminders until the visit began."""
    appointment = _book(zone, starts_at, starts_at - timedelta(days=7))
    rows = ScheduledMessage.objects.filter(patient_id=appointment.patient_id)

    first = starts_at - timedelta(hours=48) + timedelta(minutes=1)
    with time_machine.travel(first, tick=False):
        assert deliver_due() == [Delivery.SENT] * 4  # confirmation, invitation, 72 h nudge, 48 h reminder
    late = starts_at + timedelta(minutes=1)
    with time_machine.travel(late, tick=False):
        assert deliver_due() == []

    assert sorted(rows.filter(status=MessageStatus.EXPIRED).values_list("kind", flat=True)) == [
        REMINDER,
        NUDGE,
    ]
    assert {r.key for r in rows.filter(status=MessageStatus.EXPIRED)} == {
        r.key for r in rows.filter(due_at=starts_at - timedelta(hours=24))
    }
    assert rows.filter(status=MessageStatus.SENT).count() == 4
    assert len(mailoutbox) == 4


@pytest.mark.parametrize(
    ("zone", "starts_at", "booked_at"),
    [
        # 06:30 local, booked at 22:00 local the evening before: no time outside quiet hours is left.
        (LONDON, utc(2026, 1, 14, 6, 30), utc(2026, 1, 13, 22)),
        (NEW_YORK, utc(2026, 1, 14, 11, 30), utc(2026, 1, 14, 3)),
        (SYDNEY, utc(2026, 1, 13, 19, 30), utc(2026, 1, 13, 11)),
    ],
)
def test_a_reminder_with_no_time_left_outside_quiet_hours_expires_instead_of_waking_the_patient(
    zone, starts_at, booked_at, settings, mailoutbox
):
    settings.APPOINTMENT_REMINDER_HOURS = [24, 8]
    appointment = _book(zone, starts_at, booked_at, kind=AppointmentTypeFactory())

    # The 24 h reminder was already past; the 8 h one waits for the visit, where it expires.
    assert _times(REMINDER, appointment.patient_id) == {8: (starts_at, starts_at)}
    with time_machine.travel(booked_at + timedelta(minutes=1), tick=False):
        assert deliver_due() == [Delivery.SENT]  # the confirmation goes at once
    with time_machine.travel(starts_at, tick=False):
        assert deliver_due() == []
    reminder = ScheduledMessage.objects.get(kind=REMINDER, patient_id=appointment.patient_id)
    assert reminder.status == MessageStatus.EXPIRED
    assert [m.subject for m in mailoutbox if "reminder" in m.subject.lower()] == []


# --- The programme: home exercise, weekly check-in, re-assessment notice, questionnaire -------------------


def _programme(settings, zone: str, started_at: datetime, **plan: object):
    """A six-week programme started at `started_at` in a clinic whose zone is `zone`."""
    settings.CLINIC_TIME_ZONE = zone  # a new programme's zone
    with time_machine.travel(started_at, tick=False):
        programme = ProgrammeFactory(
            **{
                "planned_weeks": 6,
                "exercise_days": "0,2,4",
                "reminder_time": time(8),
                "checkin_weekday": 6,
                "checkin_time": time(18),
                **plan,
            }
        )
    assert programme.time_zone == zone
    return programme


def _programme_rows(programme, kind: str) -> dict[str, tuple[datetime, datetime | None]]:
    rows = ScheduledMessage.objects.filter(
        about_pk=str(programme.pk), kind=kind, status=MessageStatus.PENDING
    )
    return {r.key.rsplit(":", 1)[-1]: (r.due_at, r.expires_at) for r in rows}


@dataclass(frozen=True)
class Plan:
    """A programme whose week-4 re-assessment falls on the day the clocks change (its fourth Sunday)."""

    zone: str
    start: date
    started_at: datetime
    checkins: dict[str, tuple[datetime, datetime]]
    notice: tuple[datetime, datetime]
    outcome: tuple[datetime, datetime]
    # A re-assessment visit at 09:00 local the Monday after: booked at, starts at; the questionnaire then.
    visit: tuple[datetime, datetime]
    outcome_booked: tuple[datetime, datetime]
    # Topped up at this time: the exercise days either side of the change.
    top_up_at: datetime
    exercise: dict[str, tuple[datetime, datetime]]
    visit_day: str


PLANS = [
    Plan(
        LONDON,
        start=date(2026, 3, 2),
        started_at=utc(2026, 2, 27, 12),
        checkins={
            "week3": (utc(2026, 3, 22, 18), utc(2026, 3, 29, 17)),
            "week4": (utc(2026, 3, 29, 17), utc(2026, 4, 5, 17)),
        },
        notice=(utc(2026, 3, 22, 8), utc(2026, 3, 29, 23)),
        outcome=(utc(2026, 3, 27, 9), utc(2026, 4, 12, 23)),
        visit=(utc(2026, 3, 10, 12), utc(2026, 3, 30, 8)),
        outcome_booked=(utc(2026, 3, 28, 8), utc(2026, 4, 13, 23)),
        top_up_at=utc(2026, 3, 22, 12),
        exercise={
            "2026-03-27": (utc(2026, 3, 27, 8), utc(2026, 3, 28, 0)),
            "2026-04-01": (utc(2026, 4, 1, 7), utc(2026, 4, 1, 23)),
        },
        visit_day="2026-03-30",
    ),
    Plan(
        NEW_YORK,
        start=date(2026, 2, 9),
        started_at=utc(2026, 2, 6, 17),
        checkins={
            "week3": (utc(2026, 3, 1, 23), utc(2026, 3, 8, 22)),
            "week4": (utc(2026, 3, 8, 22), utc(2026, 3, 15, 22)),
        },
        notice=(utc(2026, 3, 1, 13), utc(2026, 3, 9, 4)),
        outcome=(utc(2026, 3, 6, 14), utc(2026, 3, 23, 4)),
        visit=(utc(2026, 2, 17, 17), utc(2026, 3, 9, 13)),
        outcome_booked=(utc(2026, 3, 7, 13), utc(2026, 3, 24, 4)),
        top_up_at=utc(2026, 3, 1, 17),
        exercise={
            "2026-03-06": (utc(2026, 3, 6, 13), utc(2026, 3, 7, 5)),
            "2026-03-11": (utc(2026, 3, 11, 12), utc(2026, 3, 12, 4)),
        },
        visit_day="2026-03-09",
    ),
    Plan(
        SYDNEY,
        start=date(2026, 3, 9),
        started_at=utc(2026, 3, 6, 1),
        checkins={
            "week3": (utc(2026, 3, 29, 7), utc(2026, 4, 5, 8)),
            "week4": (utc(2026, 4, 5, 8), utc(2026, 4, 12, 8)),
        },
        notice=(utc(2026, 3, 28, 21), utc(2026, 4, 5, 14)),
        outcome=(utc(2026, 4, 2, 22), utc(2026, 4, 19, 14)),
        visit=(utc(2026, 3, 17, 1), utc(2026, 4, 5, 23)),
        outcome_booked=(utc(2026, 4, 3, 23), utc(2026, 4, 20, 14)),
        top_up_at=utc(2026, 3, 29, 1),
        exercise={
            "2026-04-03": (utc(2026, 4, 2, 21), utc(2026, 4, 3, 13)),
            "2026-04-08": (utc(2026, 4, 7, 22), utc(2026, 4, 8, 14)),
        },
        visit_day="2026-04-06",
    ),
]


@pytest.mark.parametrize("case", PLANS, ids=[case.zone for case in PLANS])
def test_programme_reminders_are_due_at_exact_instants_across_dst(case, settings):
    programme = _programme(settings, case.zone, case.started_at, start_date=case.start)

    # Local wall time: 18:00 on Sundays, before and after the change; each open until the next one.
    checkins = _programme_rows(programme, AssessmentMessageKind.WEEKLY_CHECKIN)
    assert {week: checkins[week] for week in case.checkins} == case.checkins
    # To the therapist at 08:00 local a week ahead, until the planned day ends.
    assert _programme_rows(programme, AssessmentMessageKind.REASSESSMENT_DUE)["week_4"] == case.notice
    # Not booked: 09:00 local two days ahead, until the questionnaire page closes.
    assert _programme_rows(programme, AssessmentMessageKind.OUTCOME_DUE)["week_4"] == case.outcome

    booked_at, visit_at = case.visit
    location, physio = _clinic(case.zone)
    reassessment = AppointmentType.objects.create(
        name="Re-assessment", kind=VisitKind.REASSESSMENT, duration_minutes=45
    )
    with time_machine.travel(booked_at, tick=False), transaction.atomic():
        appointment_book(
            patient=programme.patient,
            therapist=physio,
            location=location,
            appointment_type=reassessment,
            starts_at=visit_at,
            booked_by=programme.therapist,
        )
        programme_reminders_sync(programme=programme)
    # Booked: 48 h of elapsed time before the visit, across the change.
    outcome = _programme_rows(programme, AssessmentMessageKind.OUTCOME_DUE)["week_4"]
    assert outcome == case.outcome_booked
    assert (visit_at - outcome[0]).total_seconds() == 48 * 3600

    with time_machine.travel(case.top_up_at, tick=False):
        programme_reminders_top_up()
    exercise = _programme_rows(programme, AssessmentMessageKind.HOME_EXERCISE)
    assert {day: exercise[day] for day in case.exercise} == case.exercise
    assert case.visit_day not in exercise  # no home-exercise reminder on a clinic day


@dataclass(frozen=True)
class QuietPlan:
    name: str
    zone: str
    started_at: datetime
    reminder_time: time
    checkin_time: time
    exercise: tuple[datetime, datetime]  # Monday 12 January's
    checkin: tuple[datetime, datetime]  # week 1's (Sunday 18 January)


QUIET_PLANS = [
    QuietPlan(
        "London 21:30: 20:59 that evening; check-in 22:00: 07:00 Monday",
        LONDON,
        utc(2026, 1, 9, 12),
        time(21, 30),
        time(22),
        (utc(2026, 1, 12, 20, 59), utc(2026, 1, 13, 0)),
        (utc(2026, 1, 19, 7), utc(2026, 1, 25, 22)),
    ),
    QuietPlan(
        "London 06:00: 07:00 that morning",
        LONDON,
        utc(2026, 1, 9, 12),
        time(6),
        time(6, 30),
        (utc(2026, 1, 12, 7), utc(2026, 1, 13, 0)),
        (utc(2026, 1, 18, 7), utc(2026, 1, 25, 6, 30)),
    ),
    QuietPlan(
        "New York 21:30: 20:59 EST; check-in 22:00: 07:00 Monday",
        NEW_YORK,
        utc(2026, 1, 9, 17),
        time(21, 30),
        time(22),
        (utc(2026, 1, 13, 1, 59), utc(2026, 1, 13, 5)),
        (utc(2026, 1, 19, 12), utc(2026, 1, 26, 3)),
    ),
    QuietPlan(
        "New York 06:00: 07:00 EST",
        NEW_YORK,
        utc(2026, 1, 9, 17),
        time(6),
        time(6, 30),
        (utc(2026, 1, 12, 12), utc(2026, 1, 13, 5)),
        (utc(2026, 1, 18, 12), utc(2026, 1, 25, 11, 30)),
    ),
    QuietPlan(
        "Sydney 21:30: 20:59 AEDT; check-in 22:00: 07:00 Monday",
        SYDNEY,
        utc(2026, 1, 9, 1),
        time(21, 30),
        time(22),
        (utc(2026, 1, 12, 9, 59), utc(2026, 1, 12, 13)),
        (utc(2026, 1, 18, 20), utc(2026, 1, 25, 11)),
    ),
    QuietPlan(
        "Sydney 06:00: 07:00 AEDT",
        SYDNEY,
        utc(2026, 1, 9, 1),
        time(6),
        time(6, 30),
        (utc(2026, 1, 11, 20), utc(2026, 1, 12, 13)),
        (utc(2026, 1, 17, 20), utc(2026, 1, 24, 19, 30)),
    ),
]


@pytest.mark.parametrize("case", QUIET_PLANS, ids=[case.name for case in QUIET_PLANS])
def test_programme_reminders_chosen_in_quiet_hours_move_out_of_them(case, settings):
    programme = _programme(
        settings,
        case.zone,
        case.started_at,
        start_date=date(2026, 1, 12),
        reminder_time=case.reminder_time,
        checkin_time=case.checkin_time,
    )

    assert _programme_rows(programme, AssessmentMessageKind.HOME_EXERCISE)["2026-01-12"] == case.exercise
    assert _programme_rows(programme, AssessmentMessageKind.WEEKLY_CHECKIN)["week1"] == case.checkin


@pytest.mark.parametrize(
    ("zone", "started_at", "day_end"),
    [
        # Monday 12 January's home-exercise reminder, with the outbox down all that day.
        (LONDON, utc(2026, 1, 9, 12), utc(2026, 1, 13, 0)),
        (NEW_YORK, utc(2026, 1, 9, 17), utc(2026, 1, 13, 5)),
        (SYDNEY, utc(2026, 1, 9, 1), utc(2026, 1, 12, 13)),
    ],
)
def test_a_home_exercise_reminder_expires_at_the_end_of_its_day(
    zone, started_at, day_end, settings, mailoutbox
):
    programme = _programme(settings, zone, started_at, start_date=date(2026, 1, 12))
    key = f"programme:{programme.pk}:{AssessmentMessageKind.HOME_EXERCISE}:2026-01-12"

    # Due at 08:00 local; nothing else of the programme is due yet when the claim runs at midnight.
    with time_machine.travel(day_end, tick=False):
        assert deliver_due() == []

    assert ScheduledMessage.objects.get(key=key).status == MessageStatus.EXPIRED
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("zone", "discharged_at", "expected"),
    [
        # Discharged at 22:30 local on Wednesday 21 January: the plan goes at 07:00 local on Thursday.
        (LONDON, utc(2026, 1, 21, 22, 30), utc(2026, 1, 22, 7)),
        (NEW_YORK, utc(2026, 1, 22, 3, 30), utc(2026, 1, 22, 12)),
        (SYDNEY, utc(2026, 1, 21, 11, 30), utc(2026, 1, 21, 20)),
        # At 16:00 local it goes at once.
        (LONDON, utc(2026, 1, 21, 16), utc(2026, 1, 21, 16)),
        (SYDNEY, utc(2026, 1, 21, 5), utc(2026, 1, 21, 5)),
    ],
)
def test_the_maintenance_plan_after_a_discharge_at_night_waits_for_the_morning(
    zone, discharged_at, expected, settings
):
    programme = _programme(settings, zone, utc(2026, 1, 9, 12), start_date=date(2026, 1, 12))
    with time_machine.travel(discharged_at, tick=False):
        programme_discharge(
            programme=programme,
            by=programme.therapist,
            reason="self_discharged",
            notes="Moved away",
            home_plan="Keep the bridges going.",
            maintenance=[],
        )

    plan = ScheduledMessage.objects.get(key=f"programme:{programme.pk}:maintenance")
    assert (plan.due_at, plan.expires_at) == (expected, None)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        # 22:30 London on Wednesday 14 January, scheduled that morning.
        (AssessmentMessageKind.HOME_EXERCISE, utc(2026, 1, 15, 7)),
        (AssessmentMessageKind.WEEKLY_CHECKIN, utc(2026, 1, 15, 7)),
        (AssessmentMessageKind.OUTCOME_DUE, utc(2026, 1, 15, 7)),
        # To the therapist: quiet hours are for patients.
        (AssessmentMessageKind.REASSESSMENT_DUE, utc(2026, 1, 14, 22, 30)),
        (AssessmentMessageKind.PROGRAMME_ALERT, utc(2026, 1, 14, 22, 30)),
    ],
)
def test_quiet_hours_hold_patient_emails_only(kind, expected):
    with time_machine.travel(utc(2026, 1, 14, 9), tick=False):
        message = schedule_message(
            kind=kind,
            to="someone@example.com",
            due_at=utc(2026, 1, 14, 22, 30),
            key=f"t:{kind}",
            time_zone=LONDON,
        )
    assert message.due_at == expected
