"""Every email on the clinic's letterhead: name, logo inline (CID), address, phone, email; text part kept."""

import email
import email.header
import email.policy
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar
from PIL import Image

from clinic.dates import date_as
from clinic.messaging.emails import message_language, message_render, render_email_parts
from clinic.messaging.letterhead import LOGO_CID, letterhead_email, logo_path
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.services import About, Delivery, schedule_message
from clinic.staff.choices import Role
from patients.messages import PatientMessageKind
from tests.clinic.messaging.support import deliver_due
from tests.factories import AppointmentFactory, LocationFactory

pytestmark = pytest.mark.django_db

EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
HTML_TEMPLATES = sorted(
    path.name.removesuffix("-body.html")
    for path in EMAILS.glob("*-body.html")
    if not path.name.startswith("_")
)


def email_samples() -> dict[str, dict[str, object]]:
    """A context for each email template, with a visit from the factories (what the kinds' builders give)."""
    location = LocationFactory(name="Riverside", address="1 Riverside Walk, Riverside RV1 2AB")
    appointment = AppointmentFactory(therapist__locations=[location], therapist__display_name="Sam Okafor")
    visit = {
        "first_name": "Rosa",
        "visit_name": appointment.appointment_type.name,
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "location": location,
        "therapist_name": "Sam Okafor",
        "time_zone": location.time_zone,
    }
    link = "https://stride.example/clinical/p/4qW9xZl0cVmB1nR7tY3uE5iO8pA2sD6fG/"
    patient = {"first_name": "Rosa", "link": link}
    reminder = {
        "unsubscribe_url": "https://stride.example/unsubscribe/abc/",
        "unsubscribe_label": "Home exercise reminders",
    }
    expires = timezone.now() + timedelta(days=2)
    health = SimpleNamespace(
        problems=["2 messages failed in the last 24 hours."],
        failed_24h=2,
        backlog=5,
        stuck_sending=0,
        sent_24h=40,
    )
    return {
        "appointment-confirmation": {**visit, "manage_link": link, "late_cancellation_hours": 24},
        "appointment-rescheduled": {**visit, "manage_link": link, "late_cancellation_hours": 24},
        "appointment-cancelled": visit,
        "appointment-reminder": {
            **visit,
            "unsubscribe_url": reminder["unsubscribe_url"],
            "unsubscribe_label": "Appointment reminders",
        },
        "booking-code": {"code": "482913", "minutes": 10},
        "booking-declined": {**visit, "reason": "That therapist is away that week."},
        "discharge-report": {"to_patient": True, "first_name": "Rosa"},
        "home-exercise": {**patient, **reminder},
        "intake-invitation": {**visit, "link": link, "expires_at": expires},
        "intake-nudge": {**visit, "link": link, "expires_at": expires},
        "link-code": {"code": "482913", "minutes": 10},
        "outbox-alert": {
            "health": health,
            "outbox_url": "https://stride.example/outbox/",
            "interval": "4 hours",
        },
        "outcome-due": {
            **patient,
            "timepoint": "week 4",
            "unsubscribe_url": reminder["unsubscribe_url"],
            "unsubscribe_label": "Progress questionnaires (weeks 4 and 8)",
        },
        "password-reset": {"uid": "MQ", "token": "c3n8qz-0123456789abcdef", "valid_for": "1 hour"},
        "programme-alert": {"link": link, "about_checkin": True},
        "programme-link": patient,
        "programme-maintenance": patient,
        "reassessment-due": {"link": link, "planned_on": date(2027, 3, 1), "timepoint": "week 4"},
        "test": {},
        "waitlist-offer": {**visit, "link": link, "expires_at": expires, "moving": False},
        "weekly-checkin": {
            **patient,
            "unsubscribe_url": reminder["unsubscribe_url"],
            "unsubscribe_label": "Weekly check-in requests",
        },
    }


def test_there_is_a_sample_for_every_email_template():
    assert sorted(email_samples()) == HTML_TEMPLATES


@pytest.mark.parametrize("template", HTML_TEMPLATES)
def test_every_html_email_is_on_the_letterhead(template):
    _subject, text, html = render_email_parts(template, email_samples()[template])

    assert html.count('<table role="presentation" class="lh-card"') == 1
    assert "max-width:600px" in html
    for part in (settings.CLINIC_NAME, settings.CLINIC_ADDRESS, settings.CLINIC_PHONE, settings.CLINIC_EMAIL):
        assert part in html
    assert f'src="cid:{LOGO_CID}"' in html
    # The logo is decoration: the clinic's name stands next to it as text.
    assert 'alt=""' in html
    assert '<html lang="en-gb">' in html
    assert settings.CLINIC_NAME in text and settings.CLINIC_PHONE in text


def test_a_rendered_email_is_text_then_html_with_the_logo_inline_and_attachments_apart():
    appointment = AppointmentFactory()
    message = schedule_message(
        kind=PatientMessageKind.APPOINTMENT_CONFIRMATION,
        to="rosa@example.com",
        due_at=timezone.now(),
        key=f"letterhead-test:{appointment.pk}",
        about=About.of(appointment),
        patient_id=appointment.patient_id,
    )

    sent = message_render(message)
    raw = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)

    assert raw.get_content_type() == "multipart/mixed"
    alternative, calendar = raw.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert calendar.get_content_type() == "text/calendar"
    text, related = alternative.get_payload()
    assert (text.get_content_type(), related.get_content_type()) == ("text/plain", "multipart/related")
    html, logo = related.get_payload()
    assert html.get_content_type() == "text/html"
    assert f"cid:{LOGO_CID}" in html.get_content()
    assert (logo.get_content_type(), logo["Content-ID"], logo.get_content_disposition()) == (
        "image/png",
        f"<{LOGO_CID}>",
        "inline",
    )
    assert logo.get_content() == logo_path().read_bytes()


def test_the_default_logo_is_a_small_png():
    with Image.open(logo_path()) as image:
        assert (image.format, image.size) == ("PNG", (96, 96))
    assert logo_path().stat().st_size < 4096


def test_a_logo_named_in_settings_is_the_one_sent(settings, tmp_path):
    custom = tmp_path / "our-logo.png"
    Image.new("RGB", (96, 96), (200, 30, 30)).save(custom)
    settings.CLINIC_LOGO = str(custom)

    subject, text, html = render_email_parts("test", {})

    raw = email.message_from_bytes(
        letterhead_email(subject=subject, text=text, html=html, to=["a@example.com"]).message().as_bytes(),
        policy=email.policy.default,
    )
    (logo,) = [part for part in raw.walk() if part.get_content_type() == "image/png"]
    assert logo.get_content() == custom.read_bytes()


def test_without_a_readable_logo_the_email_goes_with_the_name_alone(settings, tmp_path, caplog):
    not_png = tmp_path / "logo.png"
    not_png.write_text("not an image")
    settings.CLINIC_LOGO = str(not_png)

    subject, text, html = render_email_parts("test", {})

    raw = letterhead_email(subject=subject, text=text, html=html, to=["a@example.com"]).message()
    assert "cid:" not in html and "<img" not in html
    assert settings.CLINIC_NAME in html
    assert [part.get_content_type() for part in raw.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]
    assert "is not a PNG" in caplog.text


def test_the_staff_password_reset_is_on_the_letterhead_with_the_logo(client, make_user, mailoutbox):
    make_user(Role.CLINIC_ADMIN, email="admin@example.com")

    client.post(reverse("password_reset"), {"email": "admin@example.com"})

    (reset,) = mailoutbox
    raw = email.message_from_bytes(reset.message().as_bytes(), policy=email.policy.default)
    types = [part.get_content_type() for part in raw.walk()]
    assert types == ["multipart/alternative", "text/plain", "multipart/related", "text/html", "image/png"]
    html = next(part for part in raw.walk() if part.get_content_type() == "text/html").get_content()
    assert settings.CLINIC_ADDRESS in html and f"cid:{LOGO_CID}" in html


# --- The patient's language --------------------------------------------------------------------


def _confirmation_for(patient_language: str) -> ScheduledMessage:
    appointment = AppointmentFactory(
        patient__first_name="Rosa",
        patient__preferred_name="",
        patient__language=patient_language,
        starts_at=datetime(2027, 11, 24, 10, tzinfo=UTC),
    )
    return schedule_message(
        kind=PatientMessageKind.APPOINTMENT_CONFIRMATION,
        to="rosa@example.com",
        due_at=timezone.now(),
        key=f"language-test:{appointment.pk}",
        about=About.of(appointment),
        patient_id=appointment.patient_id,
    )


def _ics_of(message: email.message.Message) -> Calendar:
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True))


def test_a_patient_who_chose_spanish_gets_the_email_and_its_calendar_file_in_spanish(time_machine):
    time_machine.move_to(datetime(2027, 11, 20, 9, tzinfo=UTC), tick=False)

    sent = message_render(_confirmation_for("es"))
    raw = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)

    assert sent.subject == f"Su cita en {settings.CLINIC_NAME} el 24 de noviembre a las 10:00"
    html = sent.alternatives[0][0]
    for body in (sent.body, html):
        assert "Hola, Rosa:" in body
        assert "miércoles, 24 de noviembre de 2027, 10:00–" in body
        assert "Por favor, venga con pantalón corto" in body
        assert "Hello" not in body
    assert '<html lang="es">' in html
    assert "Teléfono" in html
    event = next(iter(_ics_of(raw).walk("VEVENT")))
    assert (
        str(event["description"]) == "Por favor, venga con pantalón corto y traiga sus zapatillas de correr."
    )
    assert event["description"].params["LANGUAGE"] == "es"


@pytest.mark.parametrize("language", ["", "en"])
def test_a_patient_in_the_clinics_language_gets_the_clinics_english(language, time_machine):
    time_machine.move_to(datetime(2027, 11, 20, 9, tzinfo=UTC), tick=False)

    sent = message_render(_confirmation_for(language))

    assert sent.subject == f"Your appointment at {settings.CLINIC_NAME} on 24 Nov at 10:00"
    assert "Hello Rosa," in sent.body and "Wednesday 24 November 2027, 10:00–" in sent.body
    assert '<html lang="en-gb">' in sent.alternatives[0][0]


def test_staff_emails_stay_in_the_clinics_language_whatever_the_patient_chose(time_machine):
    time_machine.move_to(datetime(2027, 11, 20, 9, tzinfo=UTC), tick=False)
    patient_message = _confirmation_for("es")
    staff = schedule_message(
        kind="test",
        to="admin@example.com",
        due_at=timezone.now(),
        key="language-test:staff",
        patient_id=patient_message.patient_id,
    )

    assert message_language(staff) == settings.LANGUAGE_CODE
    assert message_render(staff).subject == f"Test email from {settings.CLINIC_NAME}"


def test_a_patient_email_over_real_smtp_is_text_and_html_with_the_logo_in_their_language(
    smtp_settings, time_machine
):
    time_machine.move_to(datetime(2027, 11, 20, 9, tzinfo=UTC), tick=False)
    _confirmation_for("es")

    deliveries = deliver_due()

    assert deliveries == [Delivery.SENT]
    (received,) = smtp_settings.inbox.received
    message = received.message
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",
        "text/calendar",
    ]
    logo = next(part for part in message.walk() if part.get_content_type() == "image/png")
    assert logo["Content-ID"] == f"<{LOGO_CID}>"
    assert logo.get_payload(decode=True) == logo_path().read_bytes()
    assert f'src="cid:{LOGO_CID}"' in received.html()
    assert "Hola, Rosa:" in received.text() and "Hola, Rosa:" in received.html()
    assert str(email.header.make_header(email.header.decode_header(message["Subject"]))).startswith(
        "Su cita en "
    )
    calendar = next(part for part in message.walk() if part.get_content_type() == "text/calendar")
    assert calendar["Content-Type"] == "text/calendar; method=PUBLISH; charset=UTF-8"
    assert str(_ics_of(message)["method"]) == "PUBLISH"


@pytest.mark.parametrize(
    ("language", "long", "time"),
    [
        ("en-gb", "Wednesday 24 November 2027", "15:30"),
        ("en-au", "Wednesday 24 November 2027", "15:30"),
        ("en-us", "Wednesday, November 24, 2027", "3:30 PM"),
        ("es", "miércoles, 24 de noviembre de 2027", "15:30"),
    ],
)
def test_email_dates_are_written_as_the_language_writes_them(language, long, time):
    moment = datetime(2027, 11, 24, 15, 30, tzinfo=UTC)

    with translation.override(language), timezone.override(UTC):
        assert (date_as(moment, "long"), date_as(moment, "time")) == (long, time)
