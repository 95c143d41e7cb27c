"""The programme's reminders in the outbox: created at the start, moved with the plan, cancelled on discharge."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from assessments.messages import AssessmentMessageKind
from assessments.programmes.services.discharge import programme_discharge
from assessments.programmes.services.plan import programme_update
from assessments.programmes.services.reminders import programme_reminders_top_up
from assessments.programmes.tasks import programme_reminders_top_up_task
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.services import Delivery, message_deliver, messages_claim_due
from patients.booking.choices import VisitKind
from patients.booking.services import appointment_book
from patients.models import ReminderPreference
from tests.assessments.programmes.support import START, at, start_programme
from tests.clinic.messaging.support import deliver_due
from tests.factories import AppointmentTypeFactory

pytestmark = [pytest.mark.django_db]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def pending(programme, kind: str | None = None) -> list[tuple[str, datetime]]:
    rows = ScheduledMessage.objects.filter(about_pk=str(programme.pk), status="pending")
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.order_by("due_at", "key").values_list("key", "due_at"))


def slot(key: str) -> str:
    return key.rsplit(":", 1)[-1]


def test_start_queues_two_weeks_of_exercise_reminders_and_every_weekly_and_reassessment_one(therapist):
    programme = start_programme(therapist)  # on Friday 27 February; weeks start Monday 2 March
    assert [(slot(k), d) for k, d in pending(programme, AssessmentMessageKind.HOME_EXERCISE)] == [
        ("2026-03-02", utc(2026, 3, 2, 8)),
        ("2026-03-04", utc(2026, 3, 4, 8)),
        ("2026-03-06", utc(2026, 3, 6, 8)),
        ("2026-03-09", utc(2026, 3, 9, 8)),
        ("2026-03-11", utc(2026, 3, 11, 8)),
        ("2026-03-13", utc(2026, 3, 13, 8)),
    ]
    # Sundays at 18:00 London: GMT until 29 March, BST (UTC+1) after.
    assert [(slot(k), d) for k, d in pending(programme, AssessmentMessageKind.WEEKLY_CHECKIN)] == [
        ("week1", utc(2026, 3, 8, 18)),
        ("week2", utc(2026, 3, 15, 18)),
        ("week3", utc(2026, 3, 22, 18)),
        ("week4", utc(2026, 3, 29, 17)),
        ("week5", utc(2026, 4, 5, 17)),
        ("week6", utc(2026, 4, 12, 17)),
    ]
    # A week before the planned re-assessments (29 March, 12 April), 08:00 London, to the therapist.
    assert [(slot(k), d) for k, d in pending(programme, AssessmentMessageKind.REASSESSMENT_DUE)] == [
        ("week_4", utc(2026, 3, 22, 8)),
        ("end", utc(2026, 4, 5, 7)),
    ]
    assert (
        ScheduledMessage.objects.filter(kind=AssessmentMessageKind.REASSESSMENT_DUE).first().to_email
        == therapist.email
    )
    # The questionnaire at 09:00 London two days before the planned days (no visit booked yet).
    assert [(slot(k), d) for k, d in pending(programme, AssessmentMessageKind.OUTCOME_DUE)] == [
        ("week_4", utc(2026, 3, 27, 9)),
        ("end", utc(2026, 4, 10, 8)),
    ]
    keys = [k for k, _ in pending(programme)]
    assert len(keys) == len(set(keys)) == 16


def test_daylight_saving_keeps_exercise_reminders_at_8_local(therapist):
    programme = start_programme(therapist)
    with time_machine.travel(at(START + timedelta(days=20), 3), tick=False):  # Sunday 22 March, 03:00
        programme_reminders_top_up()
    due = dict((slot(k), d) for k, d in pending(programme, AssessmentMessageKind.HOME_EXERCISE))
    # Friday 27 March is GMT, Monday 30 March is BST: 08:00 local both days.
    assert due["2026-03-27"] == utc(2026, 3, 27, 8)
    assert due["2026-03-30"] == utc(2026, 3, 30, 7)
    assert max(due) == "2026-04-03"  # 14 days ahead, no further


def test_top_up_is_idempotent_and_runs_as_a_task(therapist):
    programme = start_programme(therapist)
    with time_machine.travel(at(START + timedelta(days=5), 2), tick=False):
        programme_reminders_top_up_task()
        first = pending(programme)
        assert programme_reminders_top_up_task() == 1
    assert pending(programme) == first
    assert len(first) > 16  # the horizon moved on five days


def test_changing_the_plan_moves_the_reminders(therapist):
    programme = start_programme(therapist)
    wednesday = ScheduledMessage.objects.get(key=f"programme:{programme.pk}:home_exercise:2026-03-04")
    with time_machine.travel(at(START - timedelta(days=2)), tick=False):
        programme_update(
            programme=programme,
            by=therapist,
            expected_version=programme.version,
            values={"reminder_time": time(19, 0), "exercise_days": "1,2", "checkin_weekday": 5},
        )
    wednesday.refresh_from_db()
    assert (wednesday.status, wednesday.due_at) == ("pending", utc(2026, 3, 4, 19))  # same row, moved
    assert [slot(k) for k, _ in pending(programme, AssessmentMessageKind.HOME_EXERCISE)] == [
        "2026-03-03",
        "2026-03-04",
        "2026-03-10",
        "2026-03-11",
    ]
    monday = ScheduledMessage.objects.get(key=f"programme:{programme.pk}:home_exercise:2026-03-02")
    assert monday.status == "cancelled"
    assert pending(programme, AssessmentMessageKind.WEEKLY_CHECKIN)[0] == (
        f"programme:{programme.pk}:weekly_checkin:week1",
        utc(2026, 3, 7, 18),
    )


def test_a_shorter_programme_cancels_its_later_reminders(therapist):
    programme = start_programme(therapist)
    with time_machine.travel(at(START - timedelta(days=2)), tick=False):
        programme_update(
            programme=programme, by=therapist, expected_version=programme.version, values={"planned_weeks": 4}
        )
    assert [slot(k) for k, _ in pending(programme, AssessmentMessageKind.WEEKLY_CHECKIN)] == [
        "week1",
        "week2",
        "week3",
        "week4",
    ]
    assert [slot(k) for k, _ in pending(programme, AssessmentMessageKind.REASSESSMENT_DUE)] == ["end"]


def test_discharge_cancels_every_reminder_and_sends_the_maintenance_plan(therapist):
    programme = start_programme(therapist)
    with time_machine.travel(at(START + timedelta(days=3)), tick=False):
        programme_discharge(
            programme=programme,
            by=therapist,
            reason="self_discharged",
            notes="Moved away",
            home_plan="Keep the bridges going.",
            maintenance=[],
        )
    assert [ScheduledMessage.objects.get(key=k).kind for k, _ in pending(programme)] == [
        AssessmentMessageKind.PROGRAMME_MAINTENANCE
    ]
    assert not ScheduledMessage.objects.filter(
        about_pk=str(programme.pk),
        kind__in=[
            AssessmentMessageKind.HOME_EXERCISE,
            AssessmentMessageKind.WEEKLY_CHECKIN,
            AssessmentMessageKind.REASSESSMENT_DUE,
            AssessmentMessageKind.OUTCOME_DUE,
        ],
        status="pending",
    ).exists()


def test_opt_outs_are_honoured(therapist):
    from tests.factories import PatientFactory

    patient = PatientFactory()
    ReminderPreference.objects.create(
        patient=patient, category="home_exercise", opted_in=False, recorded_at=timezone.now()
    )
    programme = start_programme(therapist, patient=patient)
    assert pending(programme, AssessmentMessageKind.HOME_EXERCISE) == []
    assert len(pending(programme, AssessmentMessageKind.WEEKLY_CHECKIN)) == 6
    # Opting out later stops the queued ones at send time.
    ReminderPreference.objects.create(
        patient=patient, category="weekly_checkin", opted_in=False, recorded_at=timezone.now()
    )
    with time_machine.travel(utc(2026, 3, 8, 18, 1), tick=False):
        (message_id,) = messages_claim_due()
        assert message_deliver(message_id=message_id) == Delivery.CANCELLED


def test_no_exercise_reminder_on_a_visit_day(therapist, physio, location, follow_up):
    programme = start_programme(therapist)
    with time_machine.travel(at(START - timedelta(days=2)), tick=False):
        appointment_book(
            patient=programme.patient,
            therapist=physio,
            location=location,
            appointment_type=follow_up,
            starts_at=utc(2026, 3, 4, 10),
            booked_by=therapist,
        )
        programme_update(
            programme=programme, by=therapist, expected_version=programme.version, values={"goals": "x"}
        )
    assert "2026-03-04" not in [slot(k) for k, _ in pending(programme, AssessmentMessageKind.HOME_EXERCISE)]


def test_reassessment_notice_stops_once_the_visit_is_booked(therapist, physio, location, mailoutbox):
    reassessment = AppointmentTypeFactory(
        name="Re-assessment", kind=VisitKind.REASSESSMENT, duration_minutes=45
    )
    programme = start_programme(therapist)
    with time_machine.travel(utc(2026, 3, 20, 9), tick=False):
        appointment_book(
            patient=programme.patient,
            therapist=physio,
            location=location,
            appointment_type=reassessment,
            starts_at=utc(2026, 3, 30, 10),
            booked_by=therapist,
        )
    with time_machine.travel(utc(2026, 3, 22, 8, 1), tick=False):
        ids = messages_claim_due()
        outcomes = {ScheduledMessage.objects.get(pk=i).kind: message_deliver(message_id=i) for i in ids}
    assert outcomes[AssessmentMessageKind.REASSESSMENT_DUE] == Delivery.CANCELLED


def test_reminder_emails_carry_a_link_and_no_clinical_detail(therapist, mailoutbox):
    programme = start_programme(therapist)
    with time_machine.travel(utc(2026, 3, 2, 8, 1), tick=False):
        deliver_due()
    (email,) = mailoutbox
    assert email.subject == "Time for your home exercises"
    assert "/clinical/p/" in email.body and "/clinical/p/" in email.alternatives[0][0]
    for detail in ("Clamshell", "tendinopathy", "GTPS", "pain"):
        assert detail not in email.body
    assert programme.links.count() == 1
