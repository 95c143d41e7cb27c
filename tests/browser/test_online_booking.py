"""A runner books an evaluation online on a phone, with JavaScript and without it."""

import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from clinic.messaging.models import ScheduledMessage
from clinic.messaging.services import message_deliver, messages_claim_due
from patients.booking.choices import BookingSource, HoldState
from patients.messages import PatientMessageKind
from patients.models import Appointment, Patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _send_due(mailoutbox) -> None:
    for message_id in messages_claim_due(now=timezone.now()):
        message_deliver(message_id=message_id)


@pytest.fixture
def online_evaluation(evaluation):
    evaluation.online_bookable = True
    evaluation.online_description = "Your first visit: we look at what hurts and make a plan."
    evaluation.save()
    return evaluation


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_runner_books_an_evaluation_on_a_phone(
    browser, live_server, physio, location, online_evaluation, mailoutbox, settings, javascript
):
    cache.clear()
    settings.SITE_URL = live_server.url
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    # CSP violations and script errors show up in the console; missing files as failed responses.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
    page.on(
        "response", lambda r: errors.append(r.url) if r.status == 404 and "favicon" not in r.url else None
    )
    try:
        # The public page: one location, so straight to what can be booked.
        page.goto(f"{live_server.url}/book/")
        assert page.get_by_role("heading", name="Book an appointment").is_visible()
        page.get_by_role("link", name=re.compile(online_evaluation.name)).click()

        # The first free time, in the clinic's time zone.
        page.get_by_role("heading", name="Choose a time").wait_for()
        assert f"Times are {location.time_zone} time" in page.content()
        first = page.locator("button[name=slot]").first
        chosen = first.get_attribute("aria-label")
        first.click()

        # Details: no health questions, no patient data shown.
        page.get_by_role("heading", name="Your details").wait_for()
        page.get_by_label("First name").fill("Rosa")
        page.get_by_label("Last name").fill("Quill")
        page.get_by_label("Date of birth").fill("1988-04-12")
        page.get_by_label("Email").fill("rosa.quill@example.com")
        page.get_by_label("Phone").fill("07700 900456")
        page.get_by_role("button", name="Email me a code").click()

        # The code from the email the outbox sends.
        page.get_by_role("heading", name="Check your email").wait_for()
        _send_due(mailoutbox)
        body = next(m.body for m in reversed(mailoutbox) if "booking code" in m.subject)
        code = re.search(r"^(\d{6})$", body, re.MULTILINE).group(1)
        page.get_by_label("Code from the email").fill(code)
        page.get_by_role("button", name="Continue").click()

        # Held while the runner confirms.
        page.get_by_role("heading", name="Confirm your appointment").wait_for()
        held = Appointment.objects.get(patient__email="rosa.quill@example.com")
        assert held.hold == HoldState.HELD
        page.get_by_role("button", name="Confirm appointment").click()
        page.get_by_role("heading", name="You're booked").wait_for()

        appointment = Appointment.objects.get(pk=held.pk)
        assert (appointment.hold, appointment.source) == (HoldState.CONFIRMED, BookingSource.ONLINE)
        assert chosen.endswith(f"with {physio.display_name}")
        assert Patient.objects.filter(email="rosa.quill@example.com").count() == 1
        # The confirmation and the intake invitation are in the outbox, and go out.
        kinds = set(
            ScheduledMessage.objects.filter(patient_id=appointment.patient_id).values_list("kind", flat=True)
        )
        assert PatientMessageKind.APPOINTMENT_CONFIRMATION in kinds
        assert PatientMessageKind.INTAKE_INVITATION in kinds
        _send_due(mailoutbox)
        assert any("/patients/intake/" in m.body for m in mailoutbox)
        assert errors == []
    finally:
        context.close()
