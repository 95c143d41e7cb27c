"""The clinic's country (CLINIC_COUNTRY) in patient messages, and the patient side's language."""

import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from clinic import locality
from patients.intake.choices import ActionLevel, RedFlagCode
from patients.intake.redflags import Flag, patient_advice
from patients.models import Patient
from tests.patients.booking.online.conftest import online_evaluation  # noqa: F401 -- a fixture
from tests.patients.booking.online.support import book_to_hold
from tests.patients.booking.online.test_views import TUESDAY_10
from tests.patients.conftest import frozen_monday, invitation, token, visit  # noqa: F401 -- the intake link's fixtures
from tests.patients.intake.support import check, open_link, sign_in_to_intake
from tests.test_settings import run

SHOW = """
import json
import django
django.setup()
from django.conf import settings as s
print(json.dumps([s.CLINIC_COUNTRY, s.LANGUAGE_CODE, s.TRAINING_DISTANCE_UNIT, s.CLINIC_PHONE]))
"""

# A fever with a hot joint (emergency), a fever alone (primary care today) and night pain
# (primary care in 1–2 days, with the urgent-advice safety net): every country word appears.
FLAGS = [
    Flag(RedFlagCode.INFECTION, ActionLevel.EMERGENCY_SAME_DAY),
    Flag(RedFlagCode.NIGHT_CONSTANT, ActionLevel.URGENT_MEDICAL),
]
GP_TODAY = [Flag(RedFlagCode.INFECTION, ActionLevel.GP_SAME_DAY)]


def advice_text(flags: list[Flag], language: str) -> str:
    """What the patient reads: every step and the safety box's last line, as the pages render it."""
    with translation.override(language):
        advice = patient_advice(flags, words=locality.current().words(), translate=gettext)
        return render_to_string(
            "patients/intake/_safety_advice.html",
            {"advice": advice, "LOCALITY": locality.current(), "CLINIC_PHONE": "01632 960 000"},
        )


# --- The setting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ["GB", "en-gb", "km", "01632 960 000"]),
        ({"CLINIC_COUNTRY": "US"}, ["US", "en-us", "mi", "(305) 555-0100"]),
        ({"CLINIC_COUNTRY": "au"}, ["AU", "en-au", "km", "02 5550 0000"]),
        ({"CLINIC_COUNTRY": "US", "TRAINING_DISTANCE_UNIT": "km"}, ["US", "en-us", "km", "(305) 555-0100"]),
    ],
)
def test_the_country_sets_the_clinics_english_distance_unit_and_demo_phone(tmp_path, env, expected):
    result = run(["-c", SHOW], tmp_path / "var", DEBUG="1", **env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


def test_an_unknown_country_stops_the_start(tmp_path):
    result = run(["-c", SHOW], tmp_path / "var", DEBUG="1", CLINIC_COUNTRY="FR")

    assert result.returncode != 0
    assert "ImproperlyConfigured: CLINIC_COUNTRY is 'FR': it must be one of GB, US, AU." in result.stderr


# --- Red-flag messages by country, in English and Spanish ------------------------------------------


def test_a_us_clinic_says_911_and_the_er_never_999_or_a_and_e(settings):
    settings.CLINIC_COUNTRY = "US"

    text = advice_text(FLAGS, "en")

    assert "Go to the ER (emergency room) now" in text
    assert "call 911 if you can&#x27;t get there safely" in text
    assert "Call your primary care provider&#x27;s office today" in text
    assert "If it gets much worse before then, go to an urgent care center." in text
    assert "In an emergency, call 911 or go to the ER (emergency room)." in text
    for uk in ("999", "A&amp;E", "A&E", "NHS 111", " GP"):
        assert uk not in text, uk


def test_a_us_clinic_in_spanish_says_911_and_la_sala_de_emergencias(settings):
    settings.CLINIC_COUNTRY = "US"

    text = advice_text(FLAGS, "es")

    assert "Vaya a la sala de emergencias (ER) ahora" in text
    assert "llame al 911 si no puede llegar de forma segura" in text
    assert "Llame hoy a la oficina de su proveedor de atención primaria" in text
    assert "vaya a un centro de atención de urgencias (urgent care)" in text
    assert "En caso de emergencia, llame al 911 o vaya a la sala de emergencias (ER)." in text
    for uk in ("999", "A&amp;E", "NHS 111", "Go to"):
        assert uk not in text, uk


def test_a_gb_clinic_says_999_a_and_e_and_nhs_111(settings):
    settings.CLINIC_COUNTRY = "GB"

    text = advice_text(FLAGS, "en") + advice_text(GP_TODAY, "en")

    assert "Go to A&amp;E now, or call 999 if you can&#x27;t get there safely." in text
    assert "If it gets much worse before then, call NHS 111." in text
    assert (
        "See your GP today: call your GP surgery now and ask for an urgent appointment, or call NHS 111"
        in text
    )
    assert "In an emergency, call 999 or go to A&amp;E." in text
    assert "911" not in text


def test_a_gb_clinic_in_spanish_says_999_urgencias_and_nhs_111(settings):
    settings.CLINIC_COUNTRY = "GB"

    text = advice_text(FLAGS, "es") + advice_text(GP_TODAY, "es")

    assert "Vaya a urgencias (A&amp;E) ahora, o llame al 999" in text
    assert "Si empeora mucho antes de esa fecha, llame al NHS 111." in text
    assert "Consulte a su médico de cabecera (GP) hoy" in text
    assert "En caso de emergencia, llame al 999 o vaya a urgencias (A&amp;E)." in text


def test_an_australian_clinic_says_000_the_emergency_department_and_healthdirect(settings):
    settings.CLINIC_COUNTRY = "AU"

    english = advice_text(FLAGS, "en")
    spanish = advice_text(FLAGS, "es")

    assert "Go to the emergency department now, or call 000" in english
    assert "If it gets much worse before then, call healthdirect on 1800 022 222." in english
    assert "In an emergency, call 000 or go to the emergency department." in english
    assert "llame al 000" in spanish
    assert "llame a healthdirect al 1800 022 222" in spanish
    for other in ("999", "911", "A&amp;E", "NHS 111", "the ER"):
        assert other not in english + spanish, other


def test_the_red_flag_rules_do_not_change_with_the_country(settings):
    from patients.intake.redflags import evaluate

    answers = {"screen": {"fever": True, "hot_swollen": True}, "alcohol_units_per_week": 60, "sex": "male"}
    settings.CLINIC_COUNTRY = "GB"
    gb = evaluate(answers)
    settings.CLINIC_COUNTRY = "US"

    assert evaluate(answers) == gb


# --- Alcohol: asked in the country's measure, stored as UK units -----------------------------------


@pytest.mark.parametrize(
    ("country", "typed", "units", "question"),
    [
        ("GB", 14, 14, "About how many units of alcohol do you drink in a usual week?"),
        ("US", 8, 14, "About how many drinks of alcohol do you have in a usual week?"),
        ("AU", 10, 13, "About how many standard drinks do you have in a usual week?"),
    ],
)
def test_the_alcohol_question_is_worded_and_counted_by_country(settings, country, typed, units, question):
    from patients.intake.forms.health import HealthForm

    settings.CLINIC_COUNTRY = country
    here = locality.current()

    assert str(HealthForm.base_fields["alcohol_units_per_week"].label) == question
    assert here.to_uk_units(typed) == units
    # Shown back in the patient's own measure (the review page, a later visit to the step).
    assert here.from_uk_units(here.to_uk_units(typed)) == typed


def test_the_uk_help_text_gives_the_14_unit_guidance(settings):
    settings.CLINIC_COUNTRY = "GB"

    assert "no more than 14 units a week" in locality.alcohol_help()


# --- The language: patients choose, staff pages stay in the clinic's language --------------------------


@pytest.mark.django_db
def test_staff_pages_stay_in_english_when_the_browser_asks_for_spanish(front_desk_client):
    response = front_desk_client.get(reverse("patients:list"), HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="en-gb">' in html
    assert "Content-Language" not in response.headers or response["Content-Language"] == "en-gb"


@pytest.mark.usefixtures("clean_cache")
def test_the_patient_chooses_spanish_on_the_first_page_and_the_record_keeps_it(client, token, invitation):  # noqa: F811
    open_link(client, token)

    english = client.get(reverse("patients:intake_check")).content.decode()
    spanish = client.get(reverse("patients:intake_check") + "?lang=es").content.decode()

    assert "Your questionnaire" in english and 'href="?lang=es"' in english
    assert '<html lang="es">' in spanish
    assert "Su cuestionario" in spanish and "Fecha de nacimiento" in spanish
    assert "Your questionnaire" not in spanish
    sign_in_to_intake(client, token)  # the code step and the form follow in Spanish
    step = client.get(reverse("patients:intake_step", args=["about"])).content.decode()
    assert "Sus datos de contacto" in step
    assert Patient.objects.get(pk=invitation.patient_id).language == "es"


@pytest.mark.usefixtures("clean_cache")
def test_a_patient_whose_record_says_spanish_gets_the_link_in_spanish(client, token, invitation):  # noqa: F811
    Patient.objects.filter(pk=invitation.patient_id).update(language="es")

    open_link(client, token)
    page = client.get(reverse("patients:intake_check")).content.decode()

    assert "Su cuestionario" in page
    assert check(client, last_name="Nope").status_code == 400


@pytest.mark.usefixtures("clean_cache")
def test_a_browser_asking_for_spanish_gets_the_patient_pages_in_spanish_and_english_on_the_switch(
    client,
    token,  # noqa: F811
    invitation,  # noqa: F811
):
    open_link(client, token)

    spanish = client.get(reverse("patients:intake_check"), HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9")
    english = client.get(reverse("patients:intake_check") + "?lang=en", HTTP_ACCEPT_LANGUAGE="es")

    assert "Su cuestionario" in spanish.content.decode()
    assert spanish["Content-Language"] == "es"
    assert "Your questionnaire" in english.content.decode()
    assert english["Content-Language"] == "en-gb"


def test_a_staff_browser_never_switches_staff_pages_with_lang(front_desk_client):
    html = front_desk_client.get(reverse("patients:list") + "?lang=es").content.decode()

    assert '<html lang="en-gb">' in html


@pytest.mark.usefixtures("clean_cache", "frozen_monday")
def test_a_runner_booking_online_in_spanish_gets_the_pages_and_the_record_in_spanish(
    client,
    location,
    physio,
    online_evaluation,  # noqa: F811
):
    first = client.get(reverse("book:locations") + "?lang=es", follow=True).content.decode()

    assert "Reservar una cita" in first
    assert "Book an appointment" not in first
    response = book_to_hold(client, location, online_evaluation, physio, TUESDAY_10)
    assert response["Location"] == reverse("book:confirm")
    confirm = client.get(reverse("book:confirm")).content.decode()
    assert "Confirme su cita" in confirm
    assert Patient.objects.get(email="rosa.quill@example.com").language == "es"


@pytest.mark.parametrize(
    ("country", "long", "short"),
    [
        ("US", "Dec 1, 2026", "12/01/2026"),
        ("GB", "1 Dec 2026", "01/12/2026"),
        ("AU", "1 Dec 2026", "01/12/2026"),
    ],
)
def test_dates_are_written_month_first_in_the_us_and_day_first_elsewhere(settings, country, long, short):
    from datetime import date

    from clinic.dates import format_date

    settings.CLINIC_COUNTRY = country
    here = locality.current()

    with translation.override(here.language_code):
        assert format_date(date(2026, 12, 1), "day") == long
        assert format_date(date(2026, 12, 1), "numeric") == short
