"""Part of the FHIR export (being filled in)."""

from patients.models import Patient


def response_resources(patient: Patient) -> list:
    return []
