"""The booking service: no double booking, lifecycle, and the emails it queues."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils import timezone

from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.staff.models import TimeOff
from patients.booking.choices import AppointmentStatus, CancelledBy
from patients.booking.services import (
    BookingError,
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_reschedule,
    evaluation_book,
)
from patients.intake.choices import IntakeStatus
from patients.models import Appointment, AppointmentEvent, IntakeInvitation, Patient
from tests.factories import AppointmentFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.usefixtures("frozen_monday")

TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # 10:00 in London


def book(patient, therapist, location, kind, starts_at, front_desk, **kwargs):
    return appointment_book(
        patient=patient,
        therapist=therapist,
        location=location,
        appointment_type=kind,
        starts_at=starts_at,
        booked_by=front_desk,
        **kwargs,
    )


def test_book_creates_appointment_event_and_emails(physio, location, evaluation, front_desk):
    patient = PatientFactory(email="runner@example.com")

    appointment = book(
        patient, physio, location, evaluation, TUESDAY_10, front_desk, notes="Hip pain after long runs"
    )

    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.ends_at == TUESDAY_10 + timedelta(minutes=60)
    assert list(appointment.events.values_list("action", flat=True)) == ["booked"]
    kinds = sorted(
        ScheduledMessage.objects.filter(status=MessageStatus.PENDING).values_list("kind", flat=True)
    )
    assert kinds == ["appointment_confirmation", "appointment_reminder", "intake_invitation"]
    reminder = ScheduledMessage.objects.get(kind="appointment_reminder")
    assert reminder.due_at == TUESDAY_10 - timedelta(hours=24)
    assert reminder.expires_at == TUESDAY_10
    assert ScheduledMessage.objects.get(kind="appointment_confirmation").expires_at == TUESDAY_10
    invitation = IntakeInvitation.objects.get(appointment=appointment)
    assert invitation.status == IntakeStatus.SENT


def test_follow_up_sends_no_intake(physio, location, follow_up, front_desk):
    appointment = book(PatientFactory(), physio, location, follow_up, TUESDAY_10, front_desk)

    assert IntakeInvitation.objects.filter(appointment=appointment).count() == 0


def test_evaluation_needs_patient_email(physio, location, evaluation, front_desk):
    patient = PatientFactory(email="", phone="07700 900001")

    with pytest.raises(BookingError) as error:
        book(patient, physio, location, evaluation, TUESDAY_10, front_desk)

    assert error.value.field == "email"
    assert Appointment.objects.count() == 0


def test_booking_in_the_past_is_refused(physio, location, follow_up, front_desk):
    with pytest.raises(BookingError) as error:
        book(
            PatientFactory(), physio, location, follow_up, datetime(2026, 11, 22, 10, tzinfo=UTC), front_desk
        )

    assert error.value.messages == ["That time is in the past: choose a time from now on."]


def test_booking_outside_working_hours_offers_alternatives(physio, location, follow_up, front_desk):
    with pytest.raises(BookingError) as error:
        book(
            PatientFactory(),
            physio,
            location,
            follow_up,
            datetime(2026, 11, 24, 17, 30, tzinfo=UTC),
            front_desk,
        )

    assert error.value.messages == ["Sam Physio is not working at Riverside at that time."]
    assert error.value.alternatives[0].starts_at == datetime(2026, 11, 24, 15, 30, tzinfo=UTC)


def test_booking_during_time_off_is_refused(physio, location, follow_up, front_desk):
    TimeOff.objects.create(therapist=physio, starts_at=TUESDAY_10, ends_at=TUESDAY_10 + timedelta(hours=3))

    with pytest.raises(BookingError) as error:
        book(PatientFactory(), physio, location, follow_up, TUESDAY_10 + timedelta(hours=1), front_desk)

    assert error.value.messages == ["Sam Physio is away at that time."]


def test_overlapping_booking_refused_with_alternatives(
    physio, colleague, location, evaluation, follow_up, front_desk
):
    book(PatientFactory(), physio, location, evaluation, TUESDAY_10, front_desk)

    with pytest.raises(BookingError) as error:
        book(PatientFactory(), physio, location, follow_up, TUESDAY_10 + timedelta(minutes=30), front_desk)

    assert error.value.messages == ["Sam Physio already has an appointment at that time."]
    offered = [(s.therapist.display_name, s.starts_at) for s in error.value.alternatives]
    assert ("Sam Physio", TUESDAY_10 + timedelta(hours=1)) in offered
    assert ("Priya Physio", TUESDAY_10 + timedelta(minutes=30)) in offered
    assert all(
        s.starts_at != TUESDAY_10 + timedelta(minutes=30)
        for s in error.value.alternatives
        if s.therapist == physio
    )


def test_patient_cannot_be_in_two_places(physio, colleague, location, follow_up, front_desk):
    patient = PatientFactory()
    book(patient, physio, location, follow_up, TUESDAY_10, front_desk)

    with pytest.raises(BookingError) as error:
        book(patient, colleague, location, follow_up, TUESDAY_10 + timedelta(minutes=15), front_desk)

    assert error.value.messages == ["The patient already has an appointment at that time."]


def test_cancelled_slot_can_be_booked_again(physio, location, follow_up, front_desk):
    first = book(PatientFactory(), physio, location, follow_up, TUESDAY_10, front_desk)
    appointment_cancel(appointment=first, by=front_desk, cancelled_by=CancelledBy.PATIENT, reason="Unwell")

    second = book(PatientFactory(), physio, location, follow_up, TUESDAY_10, front_desk)

    assert second.status == AppointmentStatus.BOOKED


@pytest.mark.postgres
def test_database_refuses_overlap_for_therapist_without_service(physio, location, follow_up, front_desk):
    book(PatientFactory(), physio, location, follow_up, TUESDAY_10, front_desk)

    with pytest.raises(IntegrityError, match="patients_appointment_therapist_no_overlap"):
        AppointmentFactory(
            therapist=physio,
            location=location,
            appointment_type=follow_up,
            starts_at=TUESDAY_10 + timedelta(minutes=15),
        )


@pytest.mark.postgres
def test_database_refuses_overlap_for_patient_without_service(
    physio, colleague, location, follow_up, front_desk
):
    patient = PatientFactory()
    book(patient, physio, location, follow_up, TUESDAY_10, front_desk)

    with pytest.raises(IntegrityError, match="patients_appointment_patient_no_overlap"):
        AppointmentFactory(
            patient=patient,
            therapist=colleague,
            location=location,
            appointment_type=follow_up,
            starts_at=TUESDAY_10,
        )


@pytest.mark.postgres
def test_database_allows_overlap_with_cancelled(physio, location, follow_up, front_desk):
    first = book(PatientFactory(), physio, location, follow_up, TUESDAY_10, front_desk)
    Appointment.objects.filter(pk=first.pk).update(status=AppointmentStatus.CANCELLED)

    AppointmentFactory(therapist=physio, location=location, appointment_type=follow_up, starts_at=TUESDAY_10)

    assert Appointment.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_desks_booking_same_slot_at_once_make_one_booking(physio, location, follow_up):
    from clinic.staff.choices import Role

    desks = [UserFactory(role=Role.FRONT_DESK) for _ in range(2)]
    patients = [PatientFactory() for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(index: int) -> None:
        try:
            barrier.wait()
            book(patients[index], physio, location, follow_up, TUESDAY_10, desks[index])
            outcomes.append("booked")
        except BookingError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["Sam Physio already has an appointment at that time.", "booked"]
    assert Appointment.objects.filter(therapist=physio).count() == 1


def test_reschedule_replaces_the_reminders_and_keeps_history(physio, location, evaluation, front_desk):
    appointment = book(PatientFactory(), physio, location, evaluation, TUESDAY_10, front_desk)
    old_reminders = set(
        ScheduledMessage.objects.filter(kind="appointment_reminder").values_list("pk", flat=True)
    )
    wednesday = TUESDAY_10 + timedelta(days=1)

    appointment_reschedule(appointment=appointment, starts_at=wednesday, by=front_desk)

    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.sequence) == (wednesday, 1)
    reminders = ScheduledMessage.objects.filter(kind="appointment_reminder")
    assert {r.status for r in reminders if r.pk in old_reminders} == {MessageStatus.CANCELLED}
    new = [r for r in reminders if r.pk not in old_reminders]
    assert sorted((r.status, r.due_at, r.expires_at) for r in new) == sorted(
        (MessageStatus.PENDING, wednesday - timedelta(hours=h), wednesday)
        for h in settings.APPOINTMENT_REMINDER_HOURS
        if wednesday - timedelta(hours=h) > timezone.now()
    )
    assert all(r.key.endswith(":1") for r in new)
    event = AppointmentEvent.objects.get(appointment=appointment, action="rescheduled")
    assert (event.previous_starts_at, event.by) == (TUESDAY_10, front_desk)
    assert ScheduledMessage.objects.filter(kind="appointment_rescheduled").count() == 1
    assert IntakeInvitation.objects.get(appointment=appointment).status == IntakeStatus.SENT


@pytest.mark.parametrize("old_status", [MessageStatus.QUEUED, MessageStatus.SENT])
def test_reschedule_after_the_reminder_was_claimed_or_sent_queues_one_for_the_new_time(
    physio, location, evaluation, front_desk, old_status
):
    appointment = book(PatientFactory(), physio, location, evaluation, TUESDAY_10, front_desk)
    reminders = ScheduledMessage.objects.filter(kind="appointment_reminder")
    old_due = sorted(reminders.values_list("due_at", flat=True))
    reminders.update(status=old_status, claimed_at=timezone.now(), sent_at=timezone.now())
    wednesday = TUESDAY_10 + timedelta(days=1)

    appointment_reschedule(appointment=appointment, starts_at=wednesday, by=front_desk)

    by_status = {}
    for row in ScheduledMessage.objects.filter(kind="appointment_reminder"):
        by_status.setdefault(row.status, []).append(row.due_at)
    hours = settings.APPOINTMENT_REMINDER_HOURS
    # A claimed reminder for the old time is cancelled (its task then sends nothing);
    # a sent one stays sent; either way the new time gets its own reminders.
    old = MessageStatus.CANCELLED if old_status == MessageStatus.QUEUED else MessageStatus.SENT
    assert old_due
    assert sorted(by_status[old]) == old_due
    assert sorted(by_status[MessageStatus.PENDING]) == sorted(
        wednesday - timedelta(hours=h) for h in hours if wednesday - timedelta(hours=h) > timezone.now()
    )


def test_reschedule_into_clash_is_refused(physio, location, follow_up, front_desk):
    book(PatientFactory(), physio, location, follow_up, TUESDAY_10, front_desk)
    other = book(PatientFactory(), physio, location, follow_up, TUESDAY_10 + timedelta(hours=2), front_desk)

    with pytest.raises(BookingError):
        appointment_reschedule(appointment=other, starts_at=TUESDAY_10, by=front_desk)

    other.refresh_from_db()
    assert other.starts_at == TUESDAY_10 + timedelta(hours=2)


def test_reschedule_within_own_slot_is_allowed(physio, location, follow_up, front_desk):
    appointment = book(PatientFactory(), physio, location, follow_up, TUESDAY_10, front_desk)

    appointment_reschedule(
        appointment=appointment, starts_at=TUESDAY_10 + timedelta(minutes=15), by=front_desk
    )

    appointment.refresh_from_db()
    assert appointment.starts_at == TUESDAY_10 + timedelta(minutes=15)


def test_cancel_cancels_reminders_and_intake_and_tells_patient(physio, location, evaluation, front_desk):
    appointment = book(PatientFactory(), physio, location, evaluation, TUESDAY_10, front_desk)

    appointment_cancel(
        appointment=appointment, by=front_desk, cancelled_by=CancelledBy.CLINIC, reason="Therapist ill"
    )

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.late_cancellation is False
    statuses = dict(ScheduledMessage.objects.values_list("kind", "status"))
    assert statuses == {
        "appointment_confirmation": MessageStatus.CANCELLED,
        "appointment_reminder": MessageStatus.CANCELLED,
        "intake_invitation": MessageStatus.CANCELLED,
        "appointment_cancelled": MessageStatus.PENDING,
    }
    assert ScheduledMessage.objects.get(kind="appointment_cancelled").expires_at is None
    assert IntakeInvitation.objects.get(appointment=appointment).status == IntakeStatus.REVOKED


def test_cancel_within_24_hours_is_late(physio, location, follow_up, front_desk):
    appointment = book(
        PatientFactory(), physio, location, follow_up, datetime(2026, 11, 23, 15, tzinfo=UTC), front_desk
    )

    appointment_cancel(
        appointment=appointment, by=front_desk, cancelled_by=CancelledBy.PATIENT, reason="Work"
    )

    appointment.refresh_from_db()
    assert appointment.late_cancellation is True


def test_cancel_needs_reason(physio, location, follow_up, front_desk):
    appointment = book(PatientFactory(), physio, location, follow_up, TUESDAY_10, front_desk)

    with pytest.raises(BookingError) as error:
        appointment_cancel(
            appointment=appointment, by=front_desk, cancelled_by=CancelledBy.PATIENT, reason=" "
        )

    assert error.value.field == "reason"


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (["arrived"], AppointmentStatus.ARRIVED),
        (["arrived", "completed"], AppointmentStatus.COMPLETED),
        (["no_show"], AppointmentStatus.NO_SHOW),
    ],
)
def test_lifecycle_transitions(physio, location, follow_up, front_desk, steps, expected):
    appointment = book(PatientFactory(), physio, location, follow_up, TUESDAY_10, front_desk)

    for step in steps:
        appointment = appointment_mark(appointment=appointment, action=step, by=front_desk)

    assert appointment.status == expected
    assert list(appointment.events.values_list("action", flat=True)) == ["booked", *steps]
    assert ScheduledMessage.objects.get(kind="appointment_reminder").status == MessageStatus.CANCELLED


def test_completed_cannot_be_checked_in(physio, location, follow_up, front_desk):
    appointment = book(PatientFactory(), physio, location, follow_up, TUESDAY_10, front_desk)
    appointment_mark(appointment=appointment, action="completed", by=front_desk)

    with pytest.raises(BookingError):
        appointment_mark(appointment=appointment, action="arrived", by=front_desk)


# --- The front desk's booking: a new patient and the evaluation in one go ---------------------------

NEW_PATIENT = {
    "first_name": "Robin",
    "last_name": "Strider",
    "date_of_birth": date(1990, 5, 17),
    "sex": "female",
    "email": "Robin.Strider@example.com",
    "phone": "07700 900321",
}


def book_new(therapist, location, kind, starts_at, front_desk, **details):
    return evaluation_book(
        patient=None,
        therapist=therapist,
        location=location,
        appointment_type=kind,
        starts_at=starts_at,
        booked_by=front_desk,
        notes="Outer hip pain on long runs",
        **{**NEW_PATIENT, **details},
    )


def test_evaluation_book_creates_patient_and_appointment(physio, location, evaluation, front_desk):
    appointment = book_new(physio, location, evaluation, TUESDAY_10, front_desk)

    patient = Patient.objects.get()
    assert (patient.full_name, patient.date_of_birth, patient.email, patient.phone) == (
        "Robin Strider",
        date(1990, 5, 17),
        "robin.strider@example.com",
        "07700 900321",
    )
    assert (appointment.patient, appointment.starts_at, appointment.notes) == (
        patient,
        TUESDAY_10,
        "Outer hip pain on long runs",
    )
    assert list(Appointment.objects.values_list("pk", flat=True)) == [appointment.pk]


def test_evaluation_book_queues_the_intake_invitation(physio, location, evaluation, front_desk):
    appointment = book_new(physio, location, evaluation, TUESDAY_10, front_desk)

    invitation = IntakeInvitation.objects.get()
    assert (invitation.patient_id, invitation.appointment_id, invitation.status) == (
        appointment.patient_id,
        appointment.pk,
        IntakeStatus.SENT,
    )
    queued = ScheduledMessage.objects.get(kind="intake_invitation")
    assert (queued.to_email, queued.status, queued.patient_id) == (
        "robin.strider@example.com",
        MessageStatus.PENDING,
        appointment.patient_id,
    )


def test_evaluation_book_clash_rolls_back_the_new_patient(physio, location, evaluation, front_desk):
    booked = book(PatientFactory(), physio, location, evaluation, TUESDAY_10, front_desk)
    messages_before = ScheduledMessage.objects.count()

    with pytest.raises(BookingError) as error:
        book_new(physio, location, evaluation, TUESDAY_10 + timedelta(minutes=30), front_desk)

    assert error.value.messages == ["Sam Physio already has an appointment at that time."]
    assert error.value.alternatives != []
    assert list(Patient.objects.values_list("pk", flat=True)) == [booked.patient_id]
    assert list(Appointment.objects.values_list("pk", flat=True)) == [booked.pk]
    assert IntakeInvitation.objects.filter(patient__last_name="Strider").count() == 0
    assert ScheduledMessage.objects.count() == messages_before


def test_evaluation_book_bad_patient_details_save_nothing(physio, location, evaluation, front_desk):
    with pytest.raises(ValidationError) as error:
        book_new(physio, location, evaluation, TUESDAY_10, front_desk, sex="unknown")

    assert list(error.value.message_dict) == ["sex"]
    assert (Patient.objects.count(), Appointment.objects.count(), ScheduledMessage.objects.count()) == (
        0,
        0,
        0,
    )


def test_evaluation_book_adds_missing_email_to_existing_patient(physio, location, evaluation, front_desk):
    patient = PatientFactory(email="", phone="07700 900001")

    appointment = evaluation_book(
        patient=patient,
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=TUESDAY_10,
        booked_by=front_desk,
        email="Found@Example.com",
    )

    patient.refresh_from_db()
    assert (appointment.patient_id, patient.email) == (patient.pk, "found@example.com")
    assert Patient.objects.count() == 1
    assert IntakeInvitation.objects.get().appointment_id == appointment.pk
