"""The Patient resource: identity, contact for reminders, no address, archived records inactive."""

import pytest
from django.utils import timezone

from assessments.fhir.bundle import patient_bundle
from assessments.fhir.codes import patient_identifier_system
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_a_patient_with_no_visits_exports_their_identity_and_contact_only():
    patient = PatientFactory(
        first_name="Alexandra",
        preferred_name="Alex",
        last_name="Stone",
        sex="other_undisclosed",
        preferred_contact="phone",
        address_line1="1 High Street",
    )

    bundle = patient_bundle(patient)

    (entry,) = bundle["entry"]
    resource = entry["resource"]
    assert entry["fullUrl"].endswith(f"/Patient/{patient.pk}")
    assert resource["identifier"] == [
        {"use": "usual", "system": patient_identifier_system(), "value": str(patient.pk)}
    ]
    assert resource["name"] == [
        {"use": "official", "family": "Stone", "given": ["Alexandra"]},
        {"use": "usual", "family": "Stone", "given": ["Alex"]},
    ]
    assert resource["gender"] == "unknown"
    assert resource["birthDate"] == patient.date_of_birth.isoformat()
    assert [(t["system"], t["value"], t["rank"]) for t in resource["telecom"]] == [
        ("email", patient.email, 2),
        ("phone", patient.phone, 1),
    ]
    assert "address" not in resource
    assert resource["active"] is True


def test_an_archived_patient_is_exported_inactive():
    patient = PatientFactory(archived_at=timezone.now())

    resource = patient_bundle(patient)["entry"][0]["resource"]

    assert resource["active"] is False
