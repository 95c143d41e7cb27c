"""The patient hub's programme section: every programme of the patient (therapists only)."""

from django.http import HttpRequest

from assessments.programmes.selectors import programmes_of_patient
from clinic.staff.choices import Role
from patients.identity.hub import HubSection
from patients.models import Patient


def programmes_context(request: HttpRequest, patient: Patient) -> dict[str, object]:
    """One query."""
    return {"programmes": list(programmes_of_patient(patient.pk))}


SECTIONS = (
    HubSection(
        name="programmes",
        title="Programmes",
        order=40,
        template="assessments/programmes/hub_section.html",
        context=programmes_context,
        roles=(Role.THERAPIST,),
    ),
)
