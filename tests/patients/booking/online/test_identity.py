"""Who books, once the code is right: the existing record, a new one, or a look-alike for the desk."""

from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from clinic.messaging.models import ScheduledMessage
from patients.booking.choices import AppointmentAction, HoldState
from patients.messages import PatientMessageKind
from patients.models import Appointment, IdentityReview, Patient
from tests.factories import PatientFactory
from tests.patients.booking.online.support import book_to_hold

pytestmark = [pytest.mark.usefixtures("frozen_monday"), pytest.mark.django_db]

TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
DOB = date(1988, 4, 12)  # the one the booking pages are given (support.DETAILS)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def book(client, location, physio, appointment_type, **changes):
    response = book_to_hold(client, location, appointment_type, physio, TUESDAY_10, **changes)
    assert response["Location"] == reverse("book:confirm")
    response = client.post(reverse("book:confirm"))
    assert response["Location"] == reverse("book:done")
    return Appointment.objects.get(starts_at=TUESDAY_10), client.get(reverse("book:done")).content.decode()


def test_a_known_email_and_date_of_birth_book_for_the_existing_patient(
    client, location, physio, online_follow_up
):
    rosa = PatientFactory(
        first_name="Rosa", last_name="Quill", date_of_birth=DOB, email="rosa.quill@example.com"
    )

    visit, page = book(client, location, physio, online_follow_up, email="Rosa.Quill@Example.com")

    assert visit.patient == rosa
    assert visit.hold == HoldState.CONFIRMED
    assert Patient.objects.count() == 1
    assert "You're booked" in page


def test_a_known_email_with_another_date_of_birth_is_not_that_patient(
    client, location, physio, online_follow_up
):
    rosa = PatientFactory(
        first_name="Ann", last_name="Other", date_of_birth=date(1960, 1, 1), email="rosa.quill@example.com"
    )

    visit, _ = book(client, location, physio, online_follow_up)

    assert visit.patient != rosa
    assert not IdentityReview.objects.exists()


def test_same_name_and_date_of_birth_with_another_email_goes_to_the_desk(
    client, location, physio, online_evaluation
):
    existing = PatientFactory(
        first_name="Rosa", last_name="Quill", date_of_birth=DOB, email="rosa@old.example.com"
    )

    visit, page = book(client, location, physio, online_evaluation, first_name="rosa", last_name="QUILL")

    review = IdentityReview.objects.get()
    assert review.candidate == existing
    assert review.patient == visit.patient and review.patient != existing
    assert review.appointment == visit and review.resolved_at is None
    # Never auto-confirmed: a request, no confirmation, no intake yet.
    assert visit.hold == HoldState.REQUESTED
    assert [e.action for e in visit.events.all()] == [AppointmentAction.REQUESTED]
    assert not ScheduledMessage.objects.filter(
        kind__in=[PatientMessageKind.APPOINTMENT_CONFIRMATION, PatientMessageKind.INTAKE_INVITATION]
    ).exists()
    assert "Request received" in page


def test_a_record_under_review_books_as_a_request_again(
    client, location, physio, online_follow_up, front_desk
):
    PatientFactory(first_name="Rosa", last_name="Quill", date_of_birth=DOB, email="rosa@old.example.com")
    first, _ = book(client, location, physio, online_follow_up)
    first_patient = first.patient

    client.cookies.clear()
    response = book_to_hold(
        client, location, online_follow_up, physio, datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    )
    client.post(reverse("book:confirm"))

    second = Appointment.objects.exclude(pk=first.pk).get()
    assert second.patient == first_patient  # the new record's email and birthday now match it
    assert second.hold == HoldState.REQUESTED
    assert response.status_code == 302


def test_an_unknown_person_is_registered(client, location, physio, online_follow_up):
    PatientFactory(
        first_name="Rosa", last_name="Quill", date_of_birth=date(1990, 1, 1), email="other@example.com"
    )

    visit, _ = book(client, location, physio, online_follow_up)

    patient = visit.patient
    assert (patient.first_name, patient.last_name, patient.date_of_birth, patient.email, patient.phone) == (
        "Rosa",
        "Quill",
        DOB,
        "rosa.quill@example.com",
        "07700 900456",
    )
    assert Patient.objects.count() == 2
    assert not IdentityReview.objects.exists()
    assert visit.hold == HoldState.CONFIRMED


def test_an_archived_lookalike_is_not_matched_by_email(client, location, physio, online_follow_up):
    from django.utils import timezone

    archived = PatientFactory(
        first_name="Rosa", last_name="Quill", date_of_birth=DOB, email="rosa.quill@example.com"
    )
    Patient.all_objects.filter(pk=archived.pk).update(archived_at=timezone.now())

    visit, _ = book(client, location, physio, online_follow_up)

    assert visit.patient != archived


def test_a_closed_review_leaves_the_list_and_later_bookings_confirm(
    client, location, physio, online_follow_up, front_desk
):
    from patients.booking.online.selectors import open_identity_reviews
    from patients.booking.requests.services import DIFFERENT_PEOPLE, identity_review_resolve
    from patients.booking.services import BookingError

    PatientFactory(first_name="Rosa", last_name="Quill", date_of_birth=DOB, email="rosa@old.example.com")
    first, _ = book(client, location, physio, online_follow_up)
    review = open_identity_reviews().get()

    with pytest.raises(BookingError):
        identity_review_resolve(review=review, by=front_desk, decision="")
    identity_review_resolve(review=review, by=front_desk, decision=DIFFERENT_PEOPLE)

    assert list(open_identity_reviews()) == []
    client.cookies.clear()
    book_to_hold(client, location, online_follow_up, physio, datetime(2026, 11, 25, 10, 0, tzinfo=UTC))
    client.post(reverse("book:confirm"))
    second = Appointment.objects.exclude(pk=first.pk).get()
    assert second.patient == first.patient and second.hold == HoldState.CONFIRMED
