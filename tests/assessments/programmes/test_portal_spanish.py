"""A patient who reads Spanish sees their programme's data in Spanish; English patients and staff pages do not change.

Phase names and ladder stages come from code (the message catalogue); exercise names,
instructions and load notes from the catalogue's Spanish fields; what a therapist typed
(a changed load note, a note for the patient) is shown as typed.
"""

import html
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from assessments.models import Exercise, PrescribedExercise, Programme
from assessments.programmes.services.links import link_issue
from tests.assessments.documents.conftest import one_line, pdf_pages
from tests.assessments.programmes.support import DOB, START, at, start_programme
from tests.factories import PatientFactory
from tests.patients.links.support import pass_code_step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]


@pytest.fixture
def wednesday():
    with time_machine.travel(at(START + timedelta(days=2), 10), tick=False) as traveller:
        yield traveller


def _programme(therapist, language: str) -> Programme:
    patient = PatientFactory(first_name="Robin", last_name="Strider", date_of_birth=DOB, language=language)
    programme = start_programme(therapist, patient=patient)
    # On the ladder's second stage, so the page shows a stage with its description.
    Programme.objects.filter(pk=programme.pk).update(run_stage=2)
    return programme


def _sign_in(client, programme, therapist) -> None:
    token = link_issue(programme=programme, by=therapist, emailed=False)
    client.get(reverse("assessments:checkin_start", args=[token]))
    response = client.post(
        reverse("assessments:checkin_check"),
        {"last_name": "strider", "dob_day": DOB.day, "dob_month": DOB.month, "dob_year": DOB.year},
        REMOTE_ADDR="203.0.113.7",
    )
    assert pass_code_step(client, response, "assessments:checkin_code").status_code == 302


def _page(client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_spanish_patient_s_home_names_phase_stage_and_exercises_in_spanish(client, therapist, wednesday):
    programme = _programme(therapist, "es")
    _sign_in(client, programme, therapist)

    page = _page(client, "assessments:checkin_home")

    assert "Calmar la zona y controlar la carga" in page  # the settle phase
    assert "Settle and manage load" not in page
    assert "Etapa 2 de 8: 5 × (caminar 3 min / trotar 3 min)" in page
    assert "Camine 3 minutos y luego trote 3 minutos; repita 5 veces (30 minutos en total)." in page
    assert "Al menos un control semanal con carreras en esta etapa." in page  # what unlocks the next stage
    bridge = Exercise.objects.get(code="BRIDGE")
    assert bridge.name_es == "Puente de glúteos"
    assert bridge.name_es in page and bridge.instructions_es in page
    assert bridge.name not in page and bridge.instructions not in page
    assert "3 × 15 por lado" in page  # the clamshell, per side
    assert "per side" not in page


def test_what_the_therapist_typed_stays_as_typed_and_an_exercise_without_spanish_shows_its_english(
    client, therapist, wednesday
):
    programme = _programme(therapist, "es")
    phase = programme.phases.get(kind=programme.current_phase)
    clam = PrescribedExercise.objects.get(phase=phase, exercise__code="CLAM")
    PrescribedExercise.objects.filter(pk=clam.pk).update(
        load_note="Red band only", notes="Slow on the way down"
    )
    # A clinic's own exercise text with no Spanish written yet.
    Exercise.objects.filter(code="BRIDGE").update(instructions_es="")
    _sign_in(client, programme, therapist)

    page = _page(client, "assessments:checkin_home")

    assert "Red band only" in page and "Slow on the way down" in page
    assert Exercise.objects.get(code="BRIDGE").instructions in page
    assert "Puente de glúteos" in page  # its Spanish name is still there


def test_an_english_patient_s_home_is_unchanged(client, therapist, wednesday):
    programme = _programme(therapist, "")
    _sign_in(client, programme, therapist)

    page = _page(client, "assessments:checkin_home")

    assert "Settle and manage load" in page
    assert "Stage 2 of 8: 5 × (walk 3 min / jog 3 min)" in page
    assert "At least one weekly check-in with runs at this stage." in page
    bridge = Exercise.objects.get(code="BRIDGE")
    assert bridge.name in page and bridge.instructions in page
    assert "3 × 15 per side" in page
    assert bridge.name_es not in page and "Calmar la zona" not in page


def test_the_sheet_a_spanish_patient_downloads_is_in_spanish(client, therapist, wednesday):
    programme = _programme(therapist, "es")
    _sign_in(client, programme, therapist)

    response = client.get(reverse("assessments:checkin_exercise_sheet"))

    assert response.status_code == 200
    text = one_line(" ".join(pdf_pages(response.content)))
    assert "Sus ejercicios en casa" in text and "Semana 1 de 6" in text
    assert "Calmar la zona y controlar la carga" in text
    assert "Carrera: etapa 2 de 8, 5 × (caminar 3 min / trotar 3 min)." in text
    bridge = Exercise.objects.get(code="BRIDGE")
    assert bridge.name_es in text and one_line(bridge.instructions_es)[:60] in text
    assert "3 × 15 por lado" in text
    assert "Your home exercises" not in text and bridge.name not in text


def test_the_sheet_staff_print_for_a_spanish_patient_is_in_spanish_and_their_pages_stay_english(
    therapist_client, therapist, wednesday
):
    programme = _programme(therapist, "es")

    response = therapist_client.get(reverse("assessments:exercise_sheet_pdf", args=[programme.pk]))

    assert response.status_code == 200
    text = one_line(" ".join(pdf_pages(response.content)))
    assert "Sus ejercicios en casa" in text and "Puente de glúteos" in text
    assert "Teléfono" in text  # the letterhead too
    # The therapist's own page of the same programme stays in the clinic's language.
    page = html.unescape(
        therapist_client.get(reverse("assessments:programme_detail", args=[programme.pk])).content.decode()
    )
    assert "Settle and manage load" in page and "5 × (walk 3 min / jog 3 min)" in page
    assert "Calmar la zona" not in page and "caminar 3 min" not in page


def test_the_sheet_staff_print_for_an_english_patient_is_in_english(therapist_client, therapist, wednesday):
    programme = _programme(therapist, "")

    response = therapist_client.get(reverse("assessments:exercise_sheet_pdf", args=[programme.pk]))

    text = one_line(" ".join(pdf_pages(response.content)))
    assert "Your home exercises" in text and "Glute bridge" in text and "3 × 15 per side" in text
    assert "Sus ejercicios" not in text
