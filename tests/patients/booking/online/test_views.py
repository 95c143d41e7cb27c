"""The booking pages end to end, as a phone without JavaScript uses them: links and plain POSTs."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from clinic.audit.models import AccessActor, AccessEvent
from clinic.messaging.models import ScheduledMessage
from patients.booking.choices import AppointmentAction, BookingSource, HoldState
from patients.messages import PatientMessageKind
from patients.models import Appointment, IntakeInvitation, Patient
from tests.patients.booking.online.support import IP, book_to_hold, choose, enter_code, give_details

pytestmark = pytest.mark.usefixtures("frozen_monday")

# Monday 23 November 2026, 07:00 UTC (GMT) is "now"; Tuesday 10:00 is free.
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def _contact(page: str) -> None:
    assert settings.CLINIC_NAME in page
    assert settings.CLINIC_PHONE in page
    assert settings.CLINIC_EMAIL in page


def test_from_the_public_page_to_a_confirmed_evaluation_and_its_intake_email(
    client, location, physio, online_evaluation
):
    pages = []
    # One location: /book/ goes straight to its visit types.
    response = client.get(reverse("book:locations"))
    assert response["Location"] == reverse("book:types", args=[location.pk])
    response = client.get(response["Location"])
    pages.append(response)
    assert online_evaluation.online_description in response.content.decode()
    response = client.get(reverse("book:slots", args=[location.pk, online_evaluation.pk]))
    pages.append(response)
    page = response.content.decode()
    assert "Europe/London time" in page
    assert f'value="{physio.pk}@{TUESDAY_10.isoformat()}"' in page
    # No patient data in any URL: the choice is a POST.
    response = choose(client, location, online_evaluation, physio, TUESDAY_10)
    response = client.get(response["Location"])
    pages.append(response)
    assert "Tuesday 24 November 2026, 10:00–11:00" in response.content.decode()
    response = give_details(client)
    assert response["Location"] == reverse("book:code")
    pages.append(client.get(reverse("book:code")))
    assert "r***@example.com" in pages[-1].content.decode()

    response = enter_code(client)
    assert response["Location"] == reverse("book:confirm")
    response = client.get(reverse("book:confirm"))
    pages.append(response)
    page = response.content.decode()
    assert "holding this time for you until 07:10 (Europe/London time)" in page
    hold = Appointment.objects.get()
    assert (hold.hold, hold.source) == (HoldState.HELD, BookingSource.ONLINE)
    assert not ScheduledMessage.objects.filter(kind=PatientMessageKind.APPOINTMENT_CONFIRMATION).exists()

    response = client.post(reverse("book:confirm"))
    assert response["Location"] == reverse("book:done")
    response = client.get(reverse("book:done"))
    pages.append(response)
    assert "You're booked" in response.content.decode()

    hold.refresh_from_db()
    assert (hold.hold, hold.hold_expires_at) == (HoldState.CONFIRMED, None)
    patient = Patient.objects.get()
    assert (patient.first_name, patient.email) == ("Rosa", "rosa.quill@example.com")
    kinds = set(ScheduledMessage.objects.filter(to_email=patient.email).values_list("kind", flat=True))
    assert {PatientMessageKind.APPOINTMENT_CONFIRMATION, PatientMessageKind.INTAKE_INVITATION} <= kinds
    assert IntakeInvitation.objects.filter(appointment=hold).exists()
    event = hold.events.get()
    assert (event.action, event.by_patient, event.by.email) == (
        AppointmentAction.BOOKED,
        True,
        "online-booking@system.invalid",
    )
    assert event.actor == "the patient (online)"
    assert AccessEvent.objects.filter(patient_id=patient.pk, actor=AccessActor.PATIENT).exists()
    for response in pages:
        assert response.status_code == 200
        _contact(response.content.decode())
        assert "no-store" in response["Cache-Control"]


def test_a_post_without_the_csrf_token_is_refused(location, physio, online_evaluation):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        reverse("book:choose", args=[location.pk, online_evaluation.pk]),
        {"slot": f"{physio.pk}@{TUESDAY_10.isoformat()}"},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 403


def test_a_time_no_longer_free_sends_back_to_fresh_times(
    client, location, physio, online_evaluation, front_desk
):
    from patients.booking.services import appointment_book
    from tests.factories import PatientFactory

    appointment_book(
        patient=PatientFactory(),
        therapist=physio,
        location=location,
        appointment_type=online_evaluation,
        starts_at=TUESDAY_10,
        booked_by=front_desk,
    )
    response = choose(client, location, online_evaluation, physio, TUESDAY_10)
    assert response["Location"].startswith(reverse("book:slots", args=[location.pk, online_evaluation.pk]))
    page = client.get(response["Location"]).content.decode()
    assert "Someone has just taken that time" in page
    assert f"{physio.pk}@{TUESDAY_10.isoformat()}" not in page


def test_a_type_not_offered_online_has_no_pages(client, location, physio, follow_up):
    assert client.get(reverse("book:slots", args=[location.pk, follow_up.pk])).status_code == 404


def test_the_clinic_contact_is_on_the_page_when_nothing_is_offered(client, db):
    response = client.get(reverse("book:locations"))
    assert response.status_code == 200
    _contact(response.content.decode())
    assert "call us" in response.content.decode()


def test_book_to_hold_helper_reaches_the_confirm_page(client, location, physio, online_evaluation):
    response = book_to_hold(client, location, online_evaluation, physio, TUESDAY_10)
    assert response["Location"] == reverse("book:confirm")


def test_a_hold_that_ran_out_sends_back_to_fresh_times(
    client, frozen_monday, location, physio, online_evaluation
):
    book_to_hold(client, location, online_evaluation, physio, TUESDAY_10)
    frozen_monday.shift(timedelta(minutes=settings.ONLINE_BOOKING_HOLD_MINUTES))

    response = client.post(reverse("book:confirm"))

    assert response["Location"] == reverse("book:slots", args=[location.pk, online_evaluation.pk])
    page = client.get(response["Location"]).content.decode()
    assert "The time we held for you has run out" in page
    assert f"{physio.pk}@{TUESDAY_10.isoformat()}" in page  # free again
    assert not ScheduledMessage.objects.filter(kind=PatientMessageKind.APPOINTMENT_CONFIRMATION).exists()


def test_another_browser_cannot_see_or_confirm_the_hold(client, location, physio, online_evaluation):
    book_to_hold(client, location, online_evaluation, physio, TUESDAY_10)

    other = Client()
    assert other.get(reverse("book:confirm"))["Location"] == reverse("book:locations")
    assert other.post(reverse("book:confirm"))["Location"] == reverse("book:locations")
    assert Appointment.objects.get().hold == HoldState.HELD


@pytest.mark.postgres
def test_every_step_leaves_an_audit_entry_without_the_code(client, location, physio, online_evaluation):
    from patients.models import BookingVerification

    book_to_hold(client, location, online_evaluation, physio, TUESDAY_10)
    client.post(reverse("book:confirm"))

    verification = BookingVerification.objects.get()
    # Code sent (the attempt's insert), the code made, verified, and the hold recorded on it.
    labels = list(verification.audit_events.order_by("pgh_id").values_list("pgh_label", flat=True))
    assert labels[0] == "insert" and len(labels) >= 3
    history_fields = {f.name for f in verification.audit_events.model._meta.get_fields()}
    assert not {"code_hash", "email", "first_name", "last_name", "date_of_birth", "phone"} & history_fields
    assert verification.audit_events.filter(verified_at__isnull=False).exists()
    hold = Appointment.objects.get()
    history = list(hold.audit_events.order_by("pgh_id").values_list("pgh_label", "hold"))
    assert history == [("insert", HoldState.HELD), ("update", HoldState.CONFIRMED)]
    reads = AccessEvent.objects.filter(patient_id=hold.patient_id, actor=AccessActor.PATIENT)
    assert reads.count() >= 2  # the hold, the confirm page


def test_the_visit_history_says_the_patient_booked_it_online(
    client, front_desk, location, physio, online_evaluation
):
    book_to_hold(client, location, online_evaluation, physio, TUESDAY_10)
    client.post(reverse("book:confirm"))
    visit = Appointment.objects.get()

    desk = Client()
    desk.force_login(front_desk)
    page = desk.get(reverse("patients:appointment", args=[visit.pk])).content.decode()

    assert "Booked by the patient (online)" in page
