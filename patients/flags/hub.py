"""The patient hub's red-flag section (therapists and clinic admins): every flag, open first."""

from django.http import HttpRequest

from clinic.staff.choices import Role
from patients.flags.forms import RedFlagClearForm
from patients.identity.hub import HubSection
from patients.models import Patient, RedFlag


def _context(request: HttpRequest, patient: Patient) -> dict[str, object]:
    flags = list(
        RedFlag.objects.filter(patient=patient)
        .select_related("raised_by", "cleared_by")
        .order_by("-detected_at", "-pk")
    )
    return {
        "open_flags": [f for f in flags if f.is_open],
        "cleared_flags": [f for f in flags if not f.is_open],
        "clear_form": RedFlagClearForm(),
    }


SECTIONS = (
    HubSection(
        name="red_flags",
        title="Red flags",
        order=15,
        template="patients/flags/hub_section.html",
        context=_context,
        roles=(Role.THERAPIST,),
    ),
)
