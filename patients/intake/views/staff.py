"""The therapist's side of the intake: the printable summary (red flags are cleared in patients.flags).

Clinical answers are for therapists (and clinic admins, who hold every role):
the front desk sees only that a flag is waiting (day lists, patient hub).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from clinic.audit.services import access_record
from clinic.staff.access import staff_view
from clinic.staff.choices import Role
from patients.flags.forms import RedFlagClearForm
from patients.intake.choices import ACTION_LEVEL_ORDER, ActionLevel, RedFlagCode
from patients.intake.display import summary_context
from patients.intake.selectors import intake_contact_changes, intake_for_summary, intake_provisional_flags


def _level_order(level: str) -> int:
    return ACTION_LEVEL_ORDER.index(level) if level in ACTION_LEVEL_ORDER else len(ACTION_LEVEL_ORDER)


@staff_view(Role.THERAPIST)
def intake_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """One printable screen: flags first, then pain, running load, history, goals, baseline scores."""
    response = intake_for_summary(pk=pk)
    if response is None:
        raise Http404("No such intake.")
    access_record(request=request, patient_id=response.patient_id, obj=response)
    flags = sorted(response.red_flags.all(), key=lambda f: (_level_order(f.action_level), f.detected_at))
    provisional: list[tuple[str, str]] = []
    if response.submitted_at is None:
        provisional = [
            (RedFlagCode(flag.code).label, ActionLevel(flag.action_level).label)
            for flag in intake_provisional_flags(response, today=response.updated_at.date())
        ]
    context = {
        "response": response,
        "patient": response.patient,
        "appointment": response.invitation.appointment,
        "flags": flags,
        "provisional": provisional,
        "clear_form": RedFlagClearForm(),
        "contact_changes": intake_contact_changes(response),
        **summary_context(response),
    }
    return render(request, "patients/intake/summary.html", context)
