"""The training log and its import pages for a Spanish-speaking patient: choices, messages, dates in Spanish."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from patients.models import Patient
from tests.assessments.training.imports import support as imports
from tests.assessments.training.logsupport import NOW, WEDNESDAY, logged_run, programme_for, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]

RUN = reverse("assessments:training_run")
LOG = reverse("assessments:training_log")


def _spanish(programme) -> None:
    Patient.objects.filter(pk=programme.patient_id).update(language="es")


@pytest.fixture
def spanish_log(client, therapist):
    """A patient whose record says Spanish, signed in by the programme link on Wednesday."""
    programme = programme_for(therapist)
    _spanish(programme)
    with time_machine.travel(NOW, tick=False):
        sign_in(client, programme, therapist)
        yield client, programme


def test_the_run_form_offers_the_choices_in_spanish(spanish_log):
    client, _programme = spanish_log

    page = client.get(RUN).content.decode()

    assert '<option value="easy" selected>Fácil</option>' in page
    assert '<option value="long">Larga</option>' in page
    assert '<option value="road" selected>Carretera</option>' in page
    assert "Sordo / molesto" in page and "Dull / aching" not in page
    assert ">Easy<" not in page and ">Road<" not in page


def test_the_log_names_a_run_s_type_in_spanish(spanish_log):
    client, programme = spanish_log
    logged_run(programme.patient, WEDNESDAY, programme=programme, session_type="intervals")

    page = client.get(LOG).content.decode()

    assert "carrera Series" in page
    assert "Intervals" not in page


def test_the_session_and_body_forms_offer_their_choices_in_spanish(spanish_log):
    client, _programme = spanish_log

    session = client.get(reverse("assessments:training_session")).content.decode()
    body = client.get(reverse("assessments:training_body")).content.decode()

    assert ">Ciclismo</option>" in session and ">Cycling<" not in session
    assert ">Muy buena</option>" in body and ">Very good<" not in body


@pytest.fixture
def spanish_import(client, therapist, clean_cache):
    programme = imports.runner_programme(therapist)
    _spanish(programme)
    with time_machine.travel(imports.NOW, tick=False):
        imports.sign_in(client, programme, therapist)
        yield client


def test_the_import_page_is_in_spanish(spanish_import):
    page = spanish_import.get(imports.UPLOAD).content.decode()

    assert "Importar carreras desde su reloj" in page
    assert "Archivos de su reloj o aplicación" in page
    assert "Hasta 10 archivos de 20 MB cada uno." in page
    assert "Subir y revisar" in page


def test_an_upload_without_files_is_refused_in_spanish(spanish_import):
    response = spanish_import.post(imports.UPLOAD, {})

    assert response.status_code == 400
    assert "Elija uno o más archivos de su reloj o aplicación." in response.content.decode()


def test_the_preview_names_the_run_and_the_refusals_in_spanish(spanish_import):
    files = [
        SimpleUploadedFile("easy_run.gpx", imports.sample("easy_run.gpx")),
        SimpleUploadedFile("notes.txt", b""),
    ]
    assert spanish_import.post(imports.UPLOAD, {"uploads": files}).status_code == 302

    page = spanish_import.get(imports.PREVIEW).content.decode()

    assert "Revise las carreras que va a importar" in page
    assert "Carreras nuevas (1)" in page
    assert "lun 5 oct 2026, 07:30" in page  # 06:30 UTC, British Summer Time, named in Spanish
    assert "<strong>notes.txt</strong>: está vacío." in page
    assert "Guardar en mi registro" in page
    assert "Mon 5 Oct" not in page and "it is empty" not in page
