"""The patient hub's clinical section: the assessments and outstanding imaging orders (therapists only)."""

from django.http import HttpRequest

from assessments.record.selectors import outstanding_orders_for_patient, patient_assessments
from clinic.staff.choices import Role
from patients.identity.hub import HubSection
from patients.models import Patient


def clinical_context(request: HttpRequest, patient: Patient) -> dict[str, object]:
    """Two queries, or three once there is an assessment (its primary impressions), whatever the record's size."""
    return {
        "assessments": patient_assessments(patient, viewer=request.user),
        "orders": list(outstanding_orders_for_patient(patient)),
    }


SECTIONS = (
    HubSection(
        name="clinical",
        title="Assessments",
        order=30,
        template="assessments/record/hub_section.html",
        context=clinical_context,
        roles=(Role.THERAPIST,),
    ),
)
