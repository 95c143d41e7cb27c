"""The desk answers online requests and decides on possible duplicate records."""

import pytest
from django.urls import reverse

from clinic.messaging.models import ScheduledMessage
from patients.booking.actors import online_booking_user
from patients.booking.choices import AppointmentAction, AppointmentStatus, BookingSource, HoldState
from patients.messages import PatientMessageKind
from patients.models import Appointment, IdentityReview, Patient
from tests.factories import AppointmentFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_row(physio, evaluation):
    """An online request for an evaluation, waiting for the desk."""
    patient = PatientFactory(first_name="Rosa", last_name="Quill", email="rosa@example.com")
    return AppointmentFactory(
        patient=patient,
        therapist=physio,
        appointment_type=evaluation,
        source=BookingSource.ONLINE,
        hold=HoldState.REQUESTED,
        created_by=online_booking_user(),
    )


@pytest.fixture
def review(request_row):
    existing = PatientFactory(
        first_name="Rosa",
        last_name="Quill",
        date_of_birth=request_row.patient.date_of_birth,
        email="rosa.quill@work.example",
    )
    return IdentityReview.objects.create(
        patient=request_row.patient, candidate=existing, appointment=request_row, reason="Same name and DOB"
    )


def sent_kinds(appointment):
    return set(ScheduledMessage.objects.filter(about_pk=str(appointment.pk)).values_list("kind", flat=True))


def test_the_list_shows_requests_and_reviews_to_the_desk(front_desk_client, review):
    response = front_desk_client.get(reverse("patients:online_requests"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Requests awaiting approval" in page
    assert review.appointment.appointment_type.name in page
    assert "rosa.quill@work.example" in page and "rosa@example.com" in page
    assert "Possible existing patient: decide below first" in page


def test_a_therapist_cannot_answer_requests(therapist_client, request_row):
    assert therapist_client.get(reverse("patients:online_requests")).status_code == 403
    response = therapist_client.post(reverse("patients:online_request_approve", args=[request_row.pk]))
    assert response.status_code == 403
    request_row.refresh_from_db()
    assert request_row.hold == HoldState.REQUESTED


def test_approving_confirms_and_sends_the_confirmation_and_intake(front_desk_client, front_desk, request_row):
    response = front_desk_client.post(reverse("patients:online_request_approve", args=[request_row.pk]))
    assert response.status_code == 302
    request_row.refresh_from_db()
    assert request_row.hold == HoldState.CONFIRMED
    assert request_row.status == AppointmentStatus.BOOKED
    assert PatientMessageKind.APPOINTMENT_CONFIRMATION in sent_kinds(request_row)
    assert request_row.intake_invitations.count() == 1
    assert request_row.events.filter(action=AppointmentAction.APPROVED, by=front_desk).exists()


def test_approval_waits_for_an_open_identity_review(front_desk_client, review):
    front_desk_client.post(reverse("patients:online_request_approve", args=[review.appointment_id]))
    appointment = Appointment.objects.get(pk=review.appointment_id)
    assert appointment.hold == HoldState.REQUESTED
    assert PatientMessageKind.APPOINTMENT_CONFIRMATION not in sent_kinds(appointment)


def test_declining_needs_a_reason_shown_next_to_its_field(front_desk_client, request_row):
    response = front_desk_client.post(
        reverse("patients:online_request_decline", args=[request_row.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    error_id = f"id_decline_{request_row.pk}_reason_error"
    assert f'aria-describedby="{error_id}"' in page
    assert f'id="{error_id}" role="alert"' in page
    assert "Give a reason" in page
    request_row.refresh_from_db()
    assert request_row.hold == HoldState.REQUESTED


def test_declining_frees_the_time_and_emails_the_patient(front_desk_client, request_row):
    response = front_desk_client.post(
        reverse("patients:online_request_decline", args=[request_row.pk]),
        {"reason": "That visit type needs a referral first."},
    )
    assert response.status_code == 302
    request_row.refresh_from_db()
    assert request_row.status == AppointmentStatus.CANCELLED
    assert PatientMessageKind.BOOKING_DECLINED in sent_kinds(request_row)


def test_same_person_moves_the_booking_and_archives_the_online_record(front_desk_client, front_desk, review):
    online_id, existing_id = review.patient_id, review.candidate_id
    response = front_desk_client.post(
        reverse("patients:identity_review", args=[review.pk]), {"decision": "same", "called": "on"}
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get(pk=review.appointment_id)
    assert appointment.patient_id == existing_id
    assert Patient.all_objects.get(pk=online_id).archived_at is not None
    # The existing record keeps its own address: the one typed online is not yet proven theirs.
    assert Patient.objects.get(pk=existing_id).email == "rosa.quill@work.example"
    review.refresh_from_db()
    assert review.resolved_by == front_desk and review.resolved_at is not None
    # Now the request can be approved, and the confirmation goes to the address on the record.
    front_desk_client.post(reverse("patients:online_request_approve", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.hold == HoldState.CONFIRMED
    confirmation = ScheduledMessage.objects.get(
        about_pk=str(appointment.pk), kind=PatientMessageKind.APPOINTMENT_CONFIRMATION
    )
    assert confirmation.to_email == "rosa.quill@work.example"


def test_different_people_keeps_both_records(front_desk_client, review):
    front_desk_client.post(reverse("patients:identity_review", args=[review.pk]), {"decision": "different"})
    review.refresh_from_db()
    assert review.resolved_at is not None
    assert Patient.objects.filter(pk__in=[review.patient_id, review.candidate_id]).count() == 2
    assert Appointment.objects.get(pk=review.appointment_id).patient_id == review.patient_id


def test_a_review_is_resolved_once(front_desk_client, review):
    url = reverse("patients:identity_review", args=[review.pk])
    front_desk_client.post(url, {"decision": "different"})
    front_desk_client.post(url, {"decision": "same", "called": "on"})
    assert Appointment.objects.get(pk=review.appointment_id).patient_id == review.patient_id


def test_online_bookings_are_marked_on_the_calendar(front_desk_client, request_row):
    day = request_row.starts_at.date().isoformat()
    calendar = front_desk_client.get(
        reverse("patients:calendar"), {"location": request_row.location_id, "date": day}
    ).content.decode()
    # The badges, not the menu's "Online requests" item.
    assert '<span class="badge text-bg-info">Online</span>' in calendar
    assert '<span class="badge text-bg-warning">Awaiting approval</span>' in calendar


def test_a_request_offers_no_visit_buttons_until_answered(front_desk_client, request_row):
    page = front_desk_client.get(reverse("patients:appointment", args=[request_row.pk])).content.decode()
    assert "Online request awaiting the clinic's approval" in page
    for button in ("Mark arrived", "Move appointment", "Cancel appointment"):
        assert button not in page
    front_desk_client.post(
        reverse("patients:appointment_mark", args=[request_row.pk, "arrived"]),
        {"version": request_row.version},
    )
    request_row.refresh_from_db()
    assert (request_row.status, request_row.hold) == (AppointmentStatus.BOOKED, HoldState.REQUESTED)


def test_same_person_needs_the_call_to_the_existing_record_first(front_desk_client, review):
    response = front_desk_client.post(
        reverse("patients:identity_review", args=[review.pk]), {"decision": "same"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    error_id = f"id_review_{review.pk}_called_error"
    assert f'aria-describedby="{error_id}"' in page and f'id="{error_id}" role="alert"' in page
    review.refresh_from_db()
    assert review.resolved_at is None
    assert Appointment.objects.get(pk=review.appointment_id).patient_id == review.patient_id
