"""A patient who reads Spanish sees their programme's data in Spanish; English patients and staff pages do not change.

Phase names, ladder stages, what the ladder says after a check-in and the distance warning
come from code (the message catalogue); exercise names, instructions and load notes from the
catalogue's Spanish fields; what a therapist typed (a changed load note, a note for the
patient) is shown as typed. What the ladder wrote for staff stays in English.
"""

import html
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from assessments.models import Exercise, PrescribedExercise, Programme
from assessments.programmes.services.links import link_issue
from tests.assessments.documents.conftest import one_line, pdf_pages
from tests.assessments.programmes.support import DOB, START, at, run, send_week, start_programme
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


# --- What the ladder says after a check-in ------------------------------------------------------------


def _send_week_one(client, programme, therapist, *, run_pain: int) -> str:
    """Sign in and send week 1 with one 30-minute run at `run_pain`; the home page it lands on."""
    with time_machine.travel(at(START + timedelta(days=6), 19), tick=False):
        _sign_in(client, programme, therapist)
        response = client.post(
            reverse("assessments:checkin_week", args=[1]),
            {
                "version": "1",
                "pain_now": "2",
                "pain_worst": "4",
                "sessions_done": "3",
                "run_pain_during": str(run_pain),
                "run_pain_after": "1",
                "pain_next_morning": "1",
                "sleep": "fine",
                "stress": "low",
                "comments": "",
                **{f"flag_{name}": "no" for name in FLAGS},
                "run-TOTAL_FORMS": "1",
                "run-INITIAL_FORMS": "0",
                "run-MIN_NUM_FORMS": "0",
                "run-MAX_NUM_FORMS": "10",
                "run-0-date": (START + timedelta(days=1)).isoformat(),
                "run-0-distance_km": "5",
                "run-0-minutes": "30",
                "run-0-surface": "road",
                "run-0-shoes": "Pegasus",
                "action": "send",
            },
        )
        assert response.status_code == 302, response.content.decode()[:1500]
        return _page(client, "assessments:checkin_home")


FLAGS = ("night_pain", "unwell", "nerve", "pain_earlier", "pain_walking", "pain_in_bed", "pain_hopping")
HOLD_EN = (
    "Pain during running reached 4/10 in the week of 2026-03-02. That is acceptable, but it must stay at "
    "3/10 or less before moving up: repeat this stage."
)
HOLD_ES = (
    "El dolor al correr llegó a 4/10 en la semana del 2 mar 2026. Es aceptable, pero debe quedarse en "
    "3/10 o menos antes de subir de etapa: repita esta etapa."
)
RISE_EN = (
    "Stage 3 would raise your weekly running time from 30 to 90 minutes (+200.0 %), more than 10 %: "
    "repeat this stage before moving up."
)
RISE_ES = (
    "La etapa 3 subiría su tiempo semanal de carrera de 30 a 90 minutos (+200.0 %), más de un 10 %: "
    "repita esta etapa antes de subir."
)


def test_a_spanish_patient_told_to_hold_reads_why_in_spanish_and_staff_keep_the_english(client, therapist):
    programme = _programme(therapist, "es")

    page = _send_week_one(client, programme, therapist, run_pain=4)

    assert "Esta semana siga en su etapa de carrera actual:" in page
    assert HOLD_ES in page and RISE_ES in page
    assert "Pain during running" not in page and "the week of" not in page
    # What the therapist's pages keep is the English the rules wrote.
    step = programme.ladder_steps.get()
    assert step.reasons == [HOLD_EN, RISE_EN]


def test_a_spanish_patient_stepped_down_reads_why_in_spanish_and_the_alert_stays_english(client, therapist):
    programme = _programme(therapist, "es")

    page = _send_week_one(client, programme, therapist, run_pain=6)

    assert "Su carrera baja una etapa (etapa 1)" in page
    assert (
        "El dolor al correr llegó a 6/10 en la semana del 2 mar 2026, por encima del máximo aceptable de "
        "5/10: reduzca la carga y póngase en contacto con la clínica." in page
    )
    assert "Baje a la etapa 1, 5 × (caminar 4 min / trotar 2 min)." in page
    english = (
        "Pain during running reached 6/10 in the week of 2026-03-02, above the acceptable 5/10: reduce load "
        "and contact the clinic."
    )
    assert english not in page
    assert programme.ladder_steps.get().reasons == [
        english,
        "Step down to stage 1, 5 × (walk 4 min / jog 2 min).",
    ]
    assert programme.alerts.get(kind="run_pain_high").detail.startswith(
        f"Week 1 check-in: {english} Step down"
    )


def test_an_english_patient_told_to_hold_reads_the_rules_english_as_before(client, therapist):
    programme = _programme(therapist, "")

    page = _send_week_one(client, programme, therapist, run_pain=4)

    assert "Stay on your current running stage this week:" in page
    assert f"<li>{HOLD_EN}</li><li>{RISE_EN}</li>" in page


def test_a_spanish_patient_reads_the_distance_warning_in_spanish_and_staff_in_english(client, therapist):
    programme = _programme(therapist, "es")
    for week, km in ((1, "4"), (2, "5")):
        days = [programme.week_start(week) + timedelta(days=2 * n) for n in range(3)]
        send_week(
            programme,
            week,
            runs=[run(d, km) for d in days],
            run_pain_during=1,
            run_pain_after=1,
            pain_next_morning=1,
        )

    with time_machine.travel(at(START + timedelta(days=15)), tick=False):
        _sign_in(client, programme, therapist)
        page = _page(client, "assessments:checkin_home")
        staff_client = Client()
        staff_client.force_login(therapist)
        staff = html.unescape(
            staff_client.get(reverse("assessments:programme_detail", args=[programme.pk])).content.decode()
        )

    assert (
        "Su distancia semanal de carrera subió de 12 a 15 km (+25.0 %), más de un 10 % en una semana: mantenga "
        "igual o baje la distancia de la semana que viene." in page
    )
    assert "Weekly running distance" not in page
    assert "Weekly running distance rose from 12 to 15 km (+25.0 %)" in staff and "Su distancia" not in staff
