"""The patient hub's documents section: the access-request pack (clinic admins only)."""

from django.http import HttpRequest

from assessments.models import AccessRequest
from clinic.staff.choices import Role
from patients.identity.hub import HubSection
from patients.models import Patient


def documents_context(request: HttpRequest, patient: Patient) -> dict[str, object]:
    """One query: the latest answered requests."""
    return {
        "access_requests": list(
            AccessRequest.objects.filter(patient=patient).select_related("produced_by")[:3]
        )
    }


SECTIONS = (
    HubSection(
        name="documents",
        title="Access requests",
        order=95,
        template="assessments/documents/hub_section.html",
        context=documents_context,
        roles=(Role.CLINIC_ADMIN,),
    ),
)
