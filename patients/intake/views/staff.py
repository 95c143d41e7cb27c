"""The therapist's side of the intake: the printable summary and clearing red flags.

Clinical answers are for therapists (and clinic admins, who hold every role):
the front desk sees only that a flag is waiting (day lists, patient hub).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clinic.audit.services import access_record
from clinic.staff.access import staff_view
from clinic.staff.choices import Role
from patients.intake.choices import ACTION_LEVEL_ORDER, ActionLevel, RedFlagCode
from patients.intake.display import summary_context
from patients.intake.selectors import intake_contact_changes, intake_for_summary, intake_provisional_flags
from patients.intake.services.responses import redflag_clear
from patients.models import RedFlag


class RedFlagClearForm(forms.Form):
    action_taken = forms.CharField(
        label="Action taken",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you checked or did, e.g. 'Phoned patient: no fever since; safe to assess.'",
        error_messages={"required": "Note the action taken before clearing the flag."},
    )
    referred_to = forms.CharField(label="Referred to (if anyone)", max_length=200, required=False)


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


@require_POST
@staff_view(Role.THERAPIST)
def redflag_clear_view(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(RedFlag, pk=pk)
    form = RedFlagClearForm(request.POST)
    if form.is_valid():
        try:
            redflag_clear(
                flag=flag,
                by=request.user,
                action_taken=form.cleaned_data["action_taken"],
                referred_to=form.cleaned_data["referred_to"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Red flag cleared: {flag.get_flag_code_display()}.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    if flag.intake_response_id:
        return redirect("patients:intake_summary", pk=flag.intake_response_id)
    return redirect("patients:detail", pk=flag.patient_id)
