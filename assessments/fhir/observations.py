"""Part of the FHIR export (being filled in)."""

from patients.models import Patient


def finding_resources(patient: Patient) -> list:
    return []
