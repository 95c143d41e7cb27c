"""The care-team card on the patient hub, for clinic admins."""

from django.http import HttpRequest

from clinic.staff.choices import Role
from patients.careteam.forms import CareAssignForm
from patients.careteam.selectors import care_team_of, open_assignments
from patients.identity.hub import HubSection
from patients.models import AccessGrant, Patient

RECENT_GRANTS = 5


def careteam_context(request: HttpRequest, patient: Patient) -> dict[str, object]:
    return {
        "care_team": care_team_of(patient.pk),
        "care_assignments": list(open_assignments(patient.pk)),
        "care_assign_form": CareAssignForm(),
        "care_grants": list(
            AccessGrant.objects.filter(patient=patient).select_related("user")[:RECENT_GRANTS]
        ),
    }


SECTIONS = (
    HubSection(
        name="careteam",
        title="Care team",
        order=90,
        template="patients/careteam/hub_section.html",
        context=careteam_context,
        roles=(Role.CLINIC_ADMIN,),
    ),
)
