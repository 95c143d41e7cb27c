"""Putting a therapist in a patient's care team in tests about something else."""

from clinic.staff.choices import Role
from patients.models import CareAssignment, Patient
from tests.factories import UserFactory


def treat(therapist: object, patient: Patient) -> CareAssignment:
    """Assign `patient` to `therapist` as a clinic admin would."""
    return CareAssignment.objects.create(
        patient=patient,
        therapist=therapist,
        assigned_by=UserFactory(role=Role.CLINIC_ADMIN),
        assigned_at=patient.created_at,
    )
