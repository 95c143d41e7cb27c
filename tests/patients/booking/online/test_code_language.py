"""The code email is written in the language of the booking pages; a new patient takes that language."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from clinic.messaging.emails import message_render
from patients.models import BookingVerification, Patient
from tests.factories import PatientFactory
from tests.patients.booking.online.support import DETAILS, IP, choose, code_messages, enter_code, give_details

pytestmark = [pytest.mark.usefixtures("frozen_monday"), pytest.mark.django_db]

TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
SPANISH_SUBJECT = f"Su código de reserva de {settings.CLINIC_NAME}"
ENGLISH_SUBJECT = f"Your {settings.CLINIC_NAME} booking code"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _ask_for_code(client, location, physio, online_follow_up, *, lang: str = ""):
    if lang:
        # The language switch on the booking pages (?lang=es), as a visitor uses it.
        client.get(reverse("book:locations"), {"lang": lang})
    choose(client, location, online_follow_up, physio, TUESDAY_10)
    assert give_details(client)["Location"] == reverse("book:code")
    return message_render(code_messages().first())


def test_the_code_email_is_in_spanish_when_the_booking_pages_were(client, location, physio, online_follow_up):
    email = _ask_for_code(client, location, physio, online_follow_up, lang="es")

    assert BookingVerification.objects.get().language == "es"
    assert email.subject == SPANISH_SUBJECT
    assert "Su código es:" in email.body
    assert "Your code is" not in email.body
    assert "Su código es:" in email.alternatives[0][0]


def test_the_code_email_is_in_english_when_the_booking_pages_were(client, location, physio, online_follow_up):
    email = _ask_for_code(client, location, physio, online_follow_up, lang="en")

    assert BookingVerification.objects.get().language == "en"
    assert email.subject == ENGLISH_SUBJECT
    assert "Your code is:" in email.body


def test_a_spanish_browser_gets_its_code_in_spanish(client, location, physio, online_follow_up):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es-ES,es;q=0.9"

    email = _ask_for_code(client, location, physio, online_follow_up)

    assert email.subject == SPANISH_SUBJECT


def test_a_new_code_asked_for_in_spanish_is_in_spanish(client, location, physio, online_follow_up):
    _ask_for_code(client, location, physio, online_follow_up, lang="es")

    response = client.post(reverse("book:code"), {"action": "resend"}, REMOTE_ADDR=IP)

    assert response.status_code == 200
    newest = BookingVerification.objects.order_by("-pk").first()
    assert newest is not None and newest.language == "es"
    assert message_render(code_messages().first()).subject == SPANISH_SUBJECT


def test_an_attempt_from_before_the_language_was_kept_is_in_the_clinics(
    client, location, physio, online_follow_up
):
    _ask_for_code(client, location, physio, online_follow_up, lang="es")
    BookingVerification.objects.update(language="")

    assert message_render(code_messages().first()).subject == ENGLISH_SUBJECT


def test_a_patient_the_booking_registers_takes_the_booking_language(
    client, location, physio, online_follow_up
):
    _ask_for_code(client, location, physio, online_follow_up, lang="es")

    response = enter_code(client)

    assert response.status_code == 302
    assert Patient.objects.get(email=DETAILS["email"]).language == "es"


def test_a_known_patient_booking_in_spanish_gets_spanish_emails_from_then(
    client, location, physio, online_follow_up
):
    known = PatientFactory(
        email=DETAILS["email"], first_name="Rosa", last_name="Quill", date_of_birth="1988-04-12", language=""
    )
    _ask_for_code(client, location, physio, online_follow_up, lang="es")

    enter_code(client)

    known.refresh_from_db()
    assert known.language == "es"
