"""The staff downloads: who may get each PDF and the pack, what each writes to the audit trail, what the zip holds."""

import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse

from assessments.demo.assessments import DEMO_INTERNAL_NOTE
from assessments.models import AccessRequest, Assessment
from clinic.audit.models import AccessEvent, SecurityEvent
from tests.assessments.documents.conftest import one_line, pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def physio_client(client, physio, demo_clinic):
    """The demo patients' own therapist (in their care team)."""
    client.force_login(physio.user)
    return client


def _urls(with_imaging, discharged) -> dict[str, tuple[str, int]]:
    return {
        "summary": (reverse("assessments:summary_pdf", args=[with_imaging.pk]), with_imaging.patient_id),
        "discharge": (
            reverse("assessments:discharge_report_pdf", args=[discharged.pk]),
            discharged.patient_id,
        ),
        "sheet": (reverse("assessments:exercise_sheet_pdf", args=[discharged.pk]), discharged.patient_id),
    }


def test_each_pdf_download_is_an_attachment_without_the_patient_s_name_and_one_access_event(
    physio_client, with_imaging, discharged
):
    for name, (url, patient_id) in _urls(with_imaging, discharged).items():
        before = AccessEvent.objects.filter(patient_id=patient_id).count()
        response = physio_client.get(url)
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert disposition.startswith('attachment; filename="') and disposition.endswith('.pdf"')
        patient = with_imaging.patient if name == "summary" else discharged.patient
        assert patient.last_name not in disposition and patient.first_name not in disposition
        assert AccessEvent.objects.filter(patient_id=patient_id).count() == before + 1
        assert DEMO_INTERNAL_NOTE not in one_line(" ".join(pdf_pages(response.content)))
    assert SecurityEvent.objects.filter(kind="export").count() == 3


def test_front_desk_gets_no_pdf_and_no_pack(client, front_desk, with_imaging, discharged):
    client.force_login(front_desk)
    urls = [url for url, _ in _urls(with_imaging, discharged).values()]
    urls.append(reverse("assessments:access_request", args=[discharged.patient_id]))
    for url in urls:
        assert client.get(url).status_code == 403, url
    response = client.post(
        urls[-1], {"requested_by": "The patient", "channel": "email", "received_on": "2026-01-05"}
    )
    assert response.status_code == 403
    assert AccessEvent.objects.count() == 0 and AccessRequest.objects.count() == 0


def test_a_therapist_outside_the_care_team_gets_no_pdf(therapist_client, with_imaging):
    response = therapist_client.get(reverse("assessments:summary_pdf", args=[with_imaging.pk]))
    assert response.status_code == 403
    assert AccessEvent.objects.filter(patient_id=with_imaging.patient_id).count() == 0


def test_a_draft_has_no_summary_pdf(physio_client, demo_clinic):
    draft = Assessment.objects.filter(status="draft").first()
    assert physio_client.get(reverse("assessments:summary_pdf", args=[draft.pk])).status_code == 404


def test_therapists_cannot_run_the_access_request_pack(physio_client, discharged):
    url = reverse("assessments:access_request", args=[discharged.patient_id])
    assert physio_client.get(url).status_code == 403


def test_the_pack_holds_the_bundle_the_record_and_the_export_and_is_recorded(
    clinic_admin_client, clinic_admin, discharged
):
    patient = discharged.patient
    url = reverse("assessments:access_request", args=[patient.pk])
    assert clinic_admin_client.get(url).status_code == 200
    before = AccessEvent.objects.filter(patient_id=patient.pk).count()
    response = clinic_admin_client.post(
        url, {"requested_by": "The patient, by email", "channel": "email", "received_on": "2026-11-20"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="access-request-')
    assert AccessEvent.objects.filter(patient_id=patient.pk).count() == before + 1
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["export.json", "fhir-bundle.json", "record.pdf"]
    bundle = json.loads(archive.read("fhir-bundle.json"))
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    export = json.loads(archive.read("export.json"))
    assert export["format"] == "stride.patient-export" and export["patient_id"] == patient.pk
    record = one_line(" ".join(pdf_pages(archive.read("record.pdf"))))
    assert "Your clinical record" in record and "Appointments" in record and "Initial evaluation" in record
    # The patient's whole record: the clinic's internal notes too, as in export.json.
    assert DEMO_INTERNAL_NOTE in record
    assert "Weekly check-ins" in record and "Emails sent about you" in record
    row = AccessRequest.objects.get()
    assert (row.patient, row.requested_by, row.channel, str(row.received_on), row.produced_by) == (
        patient,
        "The patient, by email",
        "email",
        "2026-11-20",
        clinic_admin,
    )
    assert row.files == [
        {
            "name": name,
            "size": len(archive.read(name)),
            "sha256": hashlib.sha256(archive.read(name)).hexdigest(),
        }
        for name in ("fhir-bundle.json", "record.pdf", "export.json")
    ]


def test_the_pack_form_keeps_values_and_says_what_is_missing(clinic_admin_client, discharged):
    url = reverse("assessments:access_request", args=[discharged.patient_id])
    response = clinic_admin_client.post(
        url, {"requested_by": "Her solicitor", "channel": "letter", "received_on": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Her solicitor"' in html and "Give the date the request arrived." in html
    assert AccessRequest.objects.count() == 0


def test_the_patient_hub_offers_the_pack_to_clinic_admins_only(
    client, clinic_admin_client, physio, discharged
):
    url = reverse("patients:detail", args=[discharged.patient_id])
    pack = reverse("assessments:access_request", args=[discharged.patient_id])
    assert pack in clinic_admin_client.get(url).content.decode()
    client.force_login(physio.user)
    html = client.get(url).content.decode()
    assert pack not in html
    assert reverse("assessments:discharge_report_pdf", args=[discharged.pk]) in html
