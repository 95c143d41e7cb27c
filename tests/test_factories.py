"""Each factory makes a saved row that passes its model's full_clean(), with the defaults its docstring names."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from assessments.models import CheckIn, Programme
from assessments.programmes.choices import ProgrammeStatus
from assessments.record.choices import AssessmentStatus
from assessments.record.selectors import primary_impression
from clinic.messaging.models import ScheduledMessage
from clinic.staff.choices import Role
from patients.booking.choices import AppointmentStatus, VisitKind
from patients.intake.choices import IntakeStatus
from tests.factories import (
    AppointmentFactory,
    AppointmentTypeFactory,
    CheckInFactory,
    IntakeInvitationFactory,
    PatientFactory,
    ProgrammeFactory,
    SignedAssessmentFactory,
    UserFactory,
)

# Monday 2 March 2026, 08:00 UTC.
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TOMORROW_9 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _groups(user) -> list[str]:
    return list(user.groups.values_list("name", flat=True))


def test_appointment_type_factory_is_a_30_minute_follow_up():
    visit_type = AppointmentTypeFactory()

    visit_type.full_clean()
    assert (visit_type.kind, visit_type.duration_minutes, visit_type.requires_intake) == (
        VisitKind.FOLLOW_UP,
        30,
        False,
    )


def test_appointment_type_factory_evaluation_is_60_minutes_and_sends_the_intake():
    visit_type = AppointmentTypeFactory(evaluation=True)

    visit_type.full_clean()
    assert (visit_type.kind, visit_type.duration_minutes, visit_type.requires_intake) == (
        VisitKind.INITIAL_EVALUATION,
        60,
        True,
    )


def test_appointment_factory_books_tomorrow_at_nine_where_the_therapist_works():
    appointment = AppointmentFactory()

    appointment.full_clean()
    assert appointment.pk is not None
    assert (appointment.status, appointment.starts_at, appointment.ends_at) == (
        AppointmentStatus.BOOKED,
        TOMORROW_9,
        TOMORROW_9 + timedelta(minutes=30),
    )
    assert list(appointment.therapist.locations.all()) == [appointment.location]
    assert (_groups(appointment.therapist.user), _groups(appointment.created_by)) == (
        ["Therapist"],
        ["Front desk"],
    )


def test_appointment_factory_gives_one_therapist_consecutive_free_hours():
    first = AppointmentFactory(appointment_type=AppointmentTypeFactory(evaluation=True))
    second = AppointmentFactory(therapist=first.therapist)
    third = AppointmentFactory(patient=first.patient, starts_at=first.starts_at + timedelta(days=1))
    fourth = AppointmentFactory(patient=first.patient)

    for appointment in (first, second, third, fourth):
        appointment.full_clean()  # includes PostgreSQL's no-overlap constraints
    assert [a.starts_at for a in (first, second, third, fourth)] == [
        TOMORROW_9,
        TOMORROW_9 + timedelta(hours=1),
        TOMORROW_9 + timedelta(days=1),
        TOMORROW_9 + timedelta(days=1, hours=1),  # after the 30-minute visit, on the next whole hour
    ]


def test_appointment_factory_ignores_cancelled_visits_when_finding_a_free_hour():
    cancelled = AppointmentFactory(status=AppointmentStatus.CANCELLED)

    again = AppointmentFactory(therapist=cancelled.therapist)

    again.full_clean()
    assert again.starts_at == TOMORROW_9


def test_intake_invitation_factory_invites_to_the_patients_evaluation_without_a_link_yet():
    invitation = IntakeInvitationFactory()

    invitation.full_clean()
    assert invitation.pk is not None
    assert invitation.appointment.patient == invitation.patient
    assert invitation.appointment.appointment_type.requires_intake is True
    assert invitation.created_by == invitation.appointment.created_by
    assert (invitation.status, invitation.tokens.count(), invitation.expires_at) == (
        IntakeStatus.SENT,
        0,
        None,
    )
    assert ScheduledMessage.objects.count() == 0  # no email: that is intake_invite's


def test_intake_invitation_factory_without_a_visit():
    invitation = IntakeInvitationFactory(appointment=None)

    invitation.full_clean()
    assert (invitation.appointment, invitation.created_by) == (None, None)


def test_signed_assessment_factory_signs_through_the_record_services():
    assessment = SignedAssessmentFactory(impression="ITBS")

    assessment.full_clean()
    assert (assessment.status, assessment.kind, assessment.signed_by) == (
        AssessmentStatus.SIGNED,
        "initial",
        assessment.therapist,
    )
    assert primary_impression(assessment).code == "ITBS"
    assert _groups(assessment.therapist) == ["Therapist"]


def test_programme_factory_starts_a_six_week_programme_today_through_the_service():
    programme = ProgrammeFactory()

    programme.full_clean()
    stored = Programme.objects.get(pk=programme.pk)
    assert (stored.status, stored.start_date, stored.planned_weeks) == (
        ProgrammeStatus.ACTIVE,
        date(2026, 3, 2),
        6,
    )
    assert (stored.patient, stored.therapist) == (stored.assessment.patient, stored.assessment.therapist)
    assert stored.assessment.status == AssessmentStatus.SIGNED
    assert [p.kind for p in stored.phases.order_by("start_week", "pk")] == [
        "settle",
        "strengthen",
        "heavy_functional",
        "return_to_run",
    ]
    assert list(stored.revisions.values_list("action", flat=True)) == ["created"]
    assert ScheduledMessage.objects.filter(
        about_label="assessments.programme", about_pk=str(stored.pk)
    ).exists()


def test_programme_factory_takes_the_patient_the_therapist_and_the_plan():
    patient = PatientFactory()
    therapist = UserFactory(role=Role.THERAPIST)

    programme = ProgrammeFactory(patient=patient, therapist=therapist, planned_weeks=4, goals="Parkrun")

    programme.full_clean()
    assert (programme.patient, programme.therapist, programme.assessment.therapist) == (
        patient,
        therapist,
        therapist,
    )
    assert (programme.planned_weeks, programme.goals, programme.end_date) == (4, "Parkrun", date(2026, 3, 29))


def test_check_in_factory_opens_week_one_as_an_empty_draft():
    checkin = CheckInFactory()

    checkin.full_clean()
    stored = CheckIn.objects.get(pk=checkin.pk)
    assert (stored.week, stored.status, stored.sessions_prescribed, stored.submitted_at) == (
        1,
        "draft",
        3,  # the plan's default exercise days: Monday, Wednesday, Friday
        None,
    )
    assert stored.programme.status == ProgrammeStatus.ACTIVE
