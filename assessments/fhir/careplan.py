"""Part of the FHIR export (being filled in)."""

from patients.models import Patient


def careplan_resources(patient: Patient) -> list:
    return []
