"""Intake pieces on staff pages: the red-flag banner, the hub's intake panel, pace.

Therapists (and clinic admins) see which flags are open and reach the
summary; the front desk sees only that a flag is waiting for review.
"""

from decimal import Decimal

from django import template

from patients.intake.numbers import format_pace, plain_number
from patients.intake.selectors import intake_contact_changes, patient_open_red_flags
from patients.models import Appointment, IntakeInvitation, IntakeResponse, Patient

register = template.Library()


def _clinical(context: template.Context) -> bool:
    return bool(context.get("can_see_clinical"))


@register.inclusion_tag("patients/intake/_red_flag_banner.html", takes_context=True)
def red_flag_banner(context: template.Context, patient: Patient) -> dict[str, object]:
    flags = list(patient_open_red_flags(patient=patient))
    response_ids = {f.intake_response_id for f in flags if f.intake_response_id}
    return {
        "flags": flags,
        "clinical": _clinical(context),
        "summary_pk": max(response_ids) if response_ids else None,
    }


@register.inclusion_tag("patients/intake/_panel.html", takes_context=True)
def intake_panel(context: template.Context, patient: Patient) -> dict[str, object]:
    invitation = (
        IntakeInvitation.objects.filter(patient=patient)
        .select_related("appointment", "response")
        .order_by("-created_at")
        .first()
    )
    response: IntakeResponse | None = getattr(invitation, "response", None) if invitation else None
    # Contact details are not clinical: the front desk sees what to update on the record.
    changes = intake_contact_changes(response) if response is not None and response.submitted_at else []
    return {
        "invitation": invitation,
        "response": response,
        "clinical": _clinical(context),
        "contact_changes": changes,
    }


@register.inclusion_tag("patients/intake/_appointment_intake.html", takes_context=True)
def appointment_intake(context: template.Context, appointment: Appointment) -> dict[str, object]:
    response = (
        IntakeResponse.objects.filter(invitation__appointment=appointment).order_by("-created_at").first()
        if _clinical(context)
        else None
    )
    return {"response": response, "clinical": _clinical(context)}


@register.filter
def pace(value: Decimal | None) -> str:
    """Decimal minutes per km as m:ss (5.75 → 5:45 /km); "—" when there is none."""
    shown = format_pace(value)
    return f"{shown} /km" if shown else "—"


@register.filter
def plain(value: object) -> str:
    """A number without a trailing ".0" (8.0 → 8, 168.0 → 168, 61.50 → 61.5); "—" when there is none."""
    return plain_number(value) or "—"
