"""The patient's own exercise sheet, from their programme pages by link."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from assessments.programmes.services.links import link_issue
from clinic.audit.models import AccessEvent
from tests.assessments.documents.conftest import one_line, pdf_pages
from tests.assessments.programmes.support import DOB, START, at, start_programme
from tests.factories import PatientFactory
from tests.patients.links.support import pass_code_step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]

SHEET = "assessments:checkin_exercise_sheet"


@pytest.fixture
def programme(therapist):
    patient = PatientFactory(first_name="Robin", last_name="Strider", date_of_birth=DOB)
    return start_programme(therapist, patient=patient)


@pytest.fixture
def wednesday():
    with time_machine.travel(at(START + timedelta(days=2), 10), tick=False) as traveller:
        yield traveller


def _sign_in(client, programme, therapist):
    token = link_issue(programme=programme, by=therapist, emailed=False)
    client.get(reverse("assessments:checkin_start", args=[token]))
    response = client.post(
        reverse("assessments:checkin_check"),
        {"last_name": "strider", "dob_day": DOB.day, "dob_month": DOB.month, "dob_year": DOB.year},
        REMOTE_ADDR="203.0.113.7",
    )
    assert pass_code_step(client, response, "assessments:checkin_code").status_code == 302


def test_the_patient_downloads_their_sheet_from_their_programme_page(client, programme, therapist, wednesday):
    _sign_in(client, programme, therapist)
    home = client.get(reverse("assessments:checkin_home")).content.decode()
    assert reverse(SHEET) in home
    before = AccessEvent.objects.filter(patient_id=programme.patient_id, actor="patient").count()
    response = client.get(reverse(SHEET))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="exercise-sheet.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert AccessEvent.objects.filter(patient_id=programme.patient_id, actor="patient").count() == before + 1
    text = one_line(" ".join(pdf_pages(response.content)))
    assert "Your home exercises" in text and "Week 1 of 6" in text
    item = programme.phases.get(kind=programme.current_phase).exercises.select_related("exercise").first()
    assert item.exercise.name in text and item.dose_text in text


def test_without_the_link_s_session_there_is_no_sheet(client, programme, wednesday):
    assert client.get(reverse(SHEET)).status_code == 403
    assert AccessEvent.objects.count() == 0
