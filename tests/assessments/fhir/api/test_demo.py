"""The demo's API clients: loaded once, no token known until a clinic admin rotates one."""

from datetime import timedelta

import pytest

from assessments.demo import fhir_clients as demo_fhir_clients
from assessments.fhir.clients.services import fhir_client_rotate
from assessments.models import FhirClient
from clinic.audit.models import AccessEvent
from clinic.staff.models import User
from patients.models import Patient
from tests.assessments.fhir.api.conftest import Fhir

pytestmark = pytest.mark.django_db


def test_the_demo_clients_load_once_and_a_rotated_token_reads_a_demo_patient(demo_clinic):
    first = demo_fhir_clients.load()
    again = demo_fhir_clients.load()

    assert [c.pk for c in first] == [c.pk for c in again]
    assert FhirClient.objects.filter(revoked_at__isnull=True).count() == 2
    sports, lab = first
    admin = User.objects.get(email="admin@stride.example")
    token = fhir_client_rotate(client=sports, grace=timedelta(0), by=admin).token
    patient = Patient.objects.order_by("pk").first()

    response = Fhir(token).get(f"/fhir/Patient/{patient.pk}/$everything")

    assert response.status_code == 200
    assert response.json()["total"] > 1
    assert AccessEvent.objects.get(patient_id=patient.pk).client_name == "Riverside Sports Medicine (demo)"
    lab_token = fhir_client_rotate(client=lab, grace=timedelta(0), by=admin).token
    assert Fhir(lab_token).get(f"/fhir/Patient/{patient.pk}").status_code == 403
