"""Dates written the reader's way: the clinic's English on staff pages, the patient's language on theirs."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from django.template import Context, Template, engines
from django.urls import reverse
from django.utils import translation

from assessments.programmes.services.links import link_issue
from clinic.dates import DATE_FORMATS, FORMAT_NAMES, format_date
from tests.assessments.programmes.support import DOB as PROGRAMME_DOB
from tests.assessments.programmes.support import START, at, start_programme
from tests.factories import PatientFactory
from tests.patients.booking.online.conftest import online_evaluation  # noqa: F401 -- a fixture
from tests.patients.booking.online.support import choose
from tests.patients.conftest import frozen_monday, invitation, token, visit  # noqa: F401 -- the intake link's fixtures
from tests.patients.intake.support import complete_steps, sign_in_to_intake
from tests.patients.links.support import pass_code_step
from tests.test_i18n_templates import TEMPLATES, patient_templates

# Thursday 3 December 2026, 14:05 in London (GMT).
MOMENT = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture
def us_clinic(settings):
    settings.CLINIC_COUNTRY = "US"
    settings.LANGUAGE_CODE = "en-us"


# --- The one table -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en-gb", ["Thursday 3 December 2026", "3 Dec 2026", "03/12/2026", "14:05", "Thu 3 Dec"]),
        ("en-au", ["Thursday 3 December 2026", "3 Dec 2026", "03/12/2026", "14:05", "Thu 3 Dec"]),
        ("en-us", ["Thursday, December 3, 2026", "Dec 3, 2026", "12/03/2026", "2:05 PM", "Thu, Dec 3"]),
        ("es", ["jueves, 3 de diciembre de 2026", "3 dic 2026", "03/12/2026", "14:05", "jue 3 dic"]),
    ],
)
def test_each_language_writes_the_named_formats_its_own_way(language, expected):
    with translation.override(language):
        written = [format_date(MOMENT, name) for name in ("long", "day", "numeric", "time", "weekday_short")]

    assert written == expected


def test_every_language_names_every_format_and_an_unknown_name_is_refused():
    assert all(tuple(formats) == FORMAT_NAMES for formats in DATE_FORMATS.values())
    with pytest.raises(ValueError, match="No date format named"):
        format_date(MOMENT, "fortnight")


def test_pages_and_emails_share_the_filter_with_no_load_in_either_engine():
    page = Template('{{ when|date_as:"day_time" }} {{ when|date_as:"weekday" }}')
    text = engines["text"].from_string('{{ when|date_as:"day_long" }}')

    with translation.override("en-us"):
        assert page.render(Context({"when": MOMENT})) == "Dec 3, 2026, 2:05 PM Thursday, December 3"
        assert text.render({"when": MOMENT}) == "December 3, 2026"
    with translation.override("en-gb"):
        assert page.render(Context({"when": MOMENT})) == "3 Dec 2026 14:05 Thursday 3 December"
    assert Template('{{ none|date_as:"day" }}|{{ text|date_as:"day" }}').render(Context({"text": "x"})) == "|"


def test_a_time_put_in_a_locations_zone_stays_in_it():
    page = Template(
        '{% load tz %}{{ when|timezone:"America/New_York"|date_as:"time" }} {{ when|date_as:"time" }}'
    )

    with translation.override("en-gb"):
        assert page.render(Context({"when": MOMENT})) == "09:05 14:05"


# --- No fixed human format in a template ------------------------------------------------------------

FIXED = re.compile(r"""\|(?:date|time):(["'])(.*?)\1""")
# Formats a machine reads: URLs, ids, form values and datetime attributes.
MACHINE = {"Y-m-d", "c", "Ymd", "U", "Y-m-d\\TH:i", "Y"}
# The week calendar's script reads a free cell's time into the booking form's time field.
MACHINE_ATTRIBUTE = re.compile(r"""data-time="\{\{[^}]*\|time:'H:i' \}\}""")


def fixed_human_formats(name: str) -> list[str]:
    source = MACHINE_ATTRIBUTE.sub("", (TEMPLATES / name).read_text())
    return [fmt for _quote, fmt in FIXED.findall(source) if fmt not in MACHINE]


def test_no_patient_page_writes_a_date_in_a_fixed_human_format():
    found = {name: fixed_human_formats(name) for name in patient_templates()}

    assert {name: formats for name, formats in found.items() if formats} == {}


def test_no_staff_page_or_email_writes_a_date_in_a_fixed_human_format():
    names = [
        str(path.relative_to(TEMPLATES))
        for path in Path(TEMPLATES).rglob("*")
        if path.suffix in (".html", ".txt")
    ]
    found = {name: fixed_human_formats(name) for name in names}

    assert {name: formats for name, formats in found.items() if formats} == {}


# --- Patient pages: the clinic's English, or the patient's Spanish ------------------------------------


@pytest.mark.usefixtures("frozen_monday")
def test_a_us_clinics_online_booking_writes_the_days_and_times_month_first(
    us_clinic,
    client,
    location,
    physio,
    online_evaluation,  # noqa: F811
):
    slots = client.get(reverse("book:slots", args=[location.pk, online_evaluation.pk])).content.decode()
    response = choose(client, location, online_evaluation, physio, TUESDAY_10)
    details = client.get(response["Location"]).content.decode()

    assert "Tuesday, November 24" in slots and "10:00 AM" in slots
    assert "Tuesday 24 November" not in slots
    assert "Tuesday, November 24, 2026, 10:00 AM–11:00 AM" in details


@pytest.mark.usefixtures("frozen_monday")
def test_a_spanish_patient_books_online_with_spanish_dates(
    client,
    location,
    physio,
    online_evaluation,  # noqa: F811
):
    slots = client.get(reverse("book:slots", args=[location.pk, online_evaluation.pk]) + "?lang=es")
    response = choose(client, location, online_evaluation, physio, TUESDAY_10)
    details = client.get(response["Location"]).content.decode()

    assert "martes 24 de noviembre" in slots.content.decode()
    assert "martes, 24 de noviembre de 2026, 10:00–11:00" in details


def test_the_intake_review_dates_the_race_each_way(settings, client, token, invitation):  # noqa: F811
    sign_in_to_intake(client, token)
    complete_steps(client, invitation)  # the race is on 14 March 2027

    gb = client.get(reverse("patients:intake_review")).content.decode()
    settings.LANGUAGE_CODE = "en-us"
    us = client.get(reverse("patients:intake_review")).content.decode()
    spanish = client.get(reverse("patients:intake_review") + "?lang=es").content.decode()

    assert "14 March 2027" in gb
    assert "March 14, 2027" in us and "14 March 2027" not in us
    assert "14 de marzo de 2027" in spanish


def test_a_us_clinics_programme_week_page_is_dated_month_first(us_clinic, client, therapist, clean_cache):
    patient = PatientFactory(first_name="Robin", last_name="Strider", date_of_birth=PROGRAMME_DOB)
    programme = start_programme(therapist, patient=patient)
    with time_machine.travel(at(START, 19), tick=False):
        token = link_issue(programme=programme, by=therapist, emailed=False)
        client.get(reverse("assessments:checkin_start", args=[token]))
        checked = client.post(
            reverse("assessments:checkin_check"),
            {"last_name": "Strider", "dob_day": 12, "dob_month": 4, "dob_year": 1988},
            REMOTE_ADDR="203.0.113.7",
        )
        pass_code_step(client, checked, "assessments:checkin_code")
        week = client.get(reverse("assessments:checkin_week", args=[1])).content.decode()

    assert "Monday, March 2 to Sunday, March 8" in week


# --- Staff pages: the clinic's country ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "born", "listed", "heading"),
    [
        ("en-gb", "Born 12 Apr 1988", "12/04/1988", "Monday 23 November"),
        ("en-us", "Born Apr 12, 1988", "04/12/1988", "Monday, November 23"),
    ],
)
@pytest.mark.usefixtures("frozen_monday")
def test_staff_pages_write_dates_as_the_clinics_country_does(
    settings, front_desk_client, location, language, born, listed, heading
):
    settings.LANGUAGE_CODE = language
    patient = PatientFactory(first_name="Rosa", last_name="Quill", date_of_birth=date(1988, 4, 12))

    detail = front_desk_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    found = front_desk_client.get(reverse("patients:list"), {"q": "Quill"}).content.decode()
    today = front_desk_client.get(reverse("patients:today"), {"location": location.pk}).content.decode()

    assert born in detail
    assert listed in found
    assert heading in today
