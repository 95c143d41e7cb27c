"""A Spanish-speaking runner completes the intake on a phone, in Spanish from the first page on."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from clinic.messaging.services import message_deliver, messages_claim_due
from clinic.staff.choices import Role
from patients.booking.services import appointment_book
from patients.intake.steps import STEPS
from patients.models import IntakeResponse, Patient, RedFlag
from tests.browser.axe import assert_accessible
from tests.factories import PatientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEFS = [3, 2, 2, 3, 2, 3, 3, 2, 1, 1, 0, 1, 2, 2, 3, 3, 2, 2, 3, 3]


def _deliver() -> None:
    for message_id in messages_claim_due(now=timezone.now()):
        message_deliver(message_id=message_id)


def _emailed_link(mailoutbox) -> str:
    _deliver()
    email = next(m for m in mailoutbox if "questionnaire" in m.subject or "cuestionario" in m.subject)
    return re.search(r"https?://\S+/patients/intake/\S+/", email.body).group(0)


def _radio(page, name: str, value: str) -> None:
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def _english_labels(step: str) -> list[str]:
    """The step's questions as an English-speaking patient reads them (several words each)."""
    with translation.override("en-gb"):
        form = STEPS[step]()
        labels = [str(field.label) for field in form.fields.values() if field.label]
    return [label for label in labels if len(label.split()) >= 3]


def _assert_no_english(page, step: str) -> None:
    text = page.locator("main, body").first.inner_text()
    left = [label for label in _english_labels(step) if label in text]
    assert left == [], (step, left)
    for english in ("Next", "Save and finish later", "Questions marked"):
        assert english not in text, (step, english)


def test_a_spanish_intake_from_the_first_page_to_the_thank_you(
    phone_page, live_server, physio, location, evaluation, mailoutbox, settings
):
    cache.clear()
    settings.SITE_URL = live_server.url
    zone = ZoneInfo(location.time_zone)
    day = (timezone.now().astimezone(zone) + timedelta(days=4)).date()
    patient = PatientFactory(
        first_name="Lucía", last_name="Ortega", date_of_birth=date(1991, 3, 8), email="lucia@example.com"
    )
    appointment_book(
        patient=patient,
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=datetime.combine(day, time(10), tzinfo=zone),
        booked_by=UserFactory(role=Role.FRONT_DESK),
    )
    link = _emailed_link(mailoutbox)

    # The first page, in English, offers Español; the choice turns the page into Spanish.
    phone_page.goto(link)
    assert phone_page.get_by_role("heading", name="Your questionnaire").is_visible()
    phone_page.get_by_role("link", name="Español").click()
    phone_page.get_by_role("heading", name="Su cuestionario").wait_for()
    assert phone_page.locator("html").get_attribute("lang") == "es"
    assert "Date of birth" not in phone_page.content()
    assert_accessible(phone_page)
    phone_page.get_by_label("Apellido").fill("ortega")
    phone_page.get_by_label("Día").fill("8")
    phone_page.get_by_label("Mes").fill("3")
    phone_page.get_by_label("Año").fill("1991")
    phone_page.get_by_role("button", name="Continuar").click()

    # The one-time code, in Spanish.
    phone_page.get_by_role("heading", name="Revise su correo").wait_for()
    _deliver()
    code = re.search(r"^(\d{6})$", mailoutbox[-1].body, re.MULTILINE).group(1)
    phone_page.get_by_label("Código del correo").fill(code)
    phone_page.get_by_role("button", name="Continuar").click()

    # Sus datos (about you).
    phone_page.get_by_role("heading", name="Sus datos", exact=True).wait_for()
    assert phone_page.get_by_text("Paso 1 de").first.is_visible()
    _assert_no_english(phone_page, "about")
    phone_page.locator("#id_emergency_contact_name").fill("Marta Ortega")
    phone_page.locator("#id_emergency_contact_phone").fill("07700 900456")
    phone_page.get_by_label("¿Cuántas horas al día pasa sentado, aproximadamente?").fill("6")
    phone_page.get_by_role("button", name="Siguiente").click()

    # Historial de carrera.
    phone_page.get_by_role("heading", name="Historial de carrera").wait_for()
    _assert_no_english(phone_page, "running")
    phone_page.get_by_label("¿Cuántos años lleva corriendo?").fill("5")
    phone_page.get_by_label("¿Cuántas veces sale a correr a la semana normalmente?").fill("4")
    phone_page.get_by_label("Kilómetros a la semana ahora").fill("40")
    phone_page.get_by_label("Kilómetros a la semana hace 4–6 semanas").fill("30")
    phone_page.get_by_label("Sendero (trail)").check()
    phone_page.get_by_label("¿A qué le gustaría volver o qué le gustaría conseguir?").fill("Un medio maratón")
    phone_page.get_by_role("button", name="Siguiente").click()

    # Su dolor: groin pain coming on earlier in each run (bone stress).
    phone_page.get_by_role("heading", name="Su dolor").wait_for()
    _assert_no_english(phone_page, "pain")
    phone_page.locator("#id_pain_anterior_hip_groin_1").check()
    _radio(phone_page, "nprs_worst_7d", "7")
    _radio(phone_page, "nprs_now", "3")
    _radio(phone_page, "pain_pattern", "with_loading")
    _radio(phone_page, "onset_getting_earlier", "yes")
    _radio(phone_page, "night_pain", "none")
    _radio(phone_page, "onset_mode", "gradual")
    phone_page.get_by_role("button", name="Siguiente").click()

    # Preguntas de salud: the red-flag advice in Spanish at once.
    phone_page.get_by_role("heading", name="Preguntas de salud", exact=True).wait_for()
    _assert_no_english(phone_page, "health")
    assert phone_page.get_by_role("heading", name="Deje de correr y llame hoy a la clínica").is_visible()
    assert "Stop running" not in phone_page.content()
    for radio in phone_page.locator('input[type="radio"][name^="rf_"][value="no"]').all():
        radio.check()
    _radio(phone_page, "rf_fever", "yes")
    phone_page.get_by_label("¿Cuántas unidades de alcohol bebe, aproximadamente, en una semana normal?").fill(
        "4"
    )
    phone_page.get_by_role("button", name="Siguiente").click()

    # Cómo le afecta la cadera: LEFS items in Spanish.
    phone_page.get_by_role("heading", name="Cómo le afecta la cadera").wait_for()
    _assert_no_english(phone_page, "outcomes")
    assert phone_page.get_by_text("Caminar de una habitación a otra").first.is_visible()
    for n, value in enumerate(LEFS, start=1):
        _radio(phone_page, f"lefs_{n}", str(value))
    for n, (activity, rating) in enumerate([("Correr 10 km", 3), ("Escaleras", 5), ("Cuestas", 2)], start=1):
        phone_page.locator(f"#id_psfs_activity_{n}").fill(activity)
        _radio(phone_page, f"psfs_rating_{n}", str(rating))
    phone_page.get_by_role("button", name="Siguiente").click()

    # Consentimiento.
    phone_page.get_by_role("heading", name="Consentimiento").wait_for()
    _assert_no_english(phone_page, "consent")
    phone_page.locator("#id_consent_treatment").check()
    phone_page.locator("#id_consent_privacy").check()
    phone_page.get_by_label("Escriba su nombre completo para firmar").fill("Lucía Ortega")
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Siguiente").click()

    # Revise sus respuestas, then send.
    phone_page.get_by_role("heading", name="Revise sus respuestas").wait_for()
    assert phone_page.get_by_text("Un medio maratón").is_visible()
    assert "Check your answers" not in phone_page.content()
    phone_page.get_by_role("button", name="Enviar mis respuestas").click()
    phone_page.get_by_role("heading", name="Gracias").wait_for()
    # A fever alone: primary care today, in the GB demo clinic's words, in Spanish.
    assert phone_page.get_by_role("heading", name="Consulte a su médico de cabecera (GP) hoy").is_visible()
    assert "llame al 999 o vaya a urgencias (A&E)" in phone_page.locator("#safety-advice").inner_text()
    assert "Thank you" not in phone_page.content()
    assert_accessible(phone_page)

    assert Patient.objects.get(pk=patient.pk).language == "es"
    response = IntakeResponse.objects.get(patient=patient)
    assert (response.lefs_score, response.alcohol_units_per_week) == (43, 4)
    assert sorted(RedFlag.objects.values_list("flag_code", flat=True)) == ["bone_stress", "infection"]
