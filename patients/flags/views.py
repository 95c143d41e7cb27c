"""Staff pages for red flags: a clinician raises one by hand; any flag is cleared with a note.

Therapists and clinic admins only (who hold every role): the front desk sees
only that a flag is waiting for review (day lists, patient hub).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clinic.audit.decorators import audits_patient
from clinic.staff.access import staff_view
from clinic.staff.choices import Role
from patients.flags.forms import RedFlagClearForm, RedFlagRaiseForm, usual_levels
from patients.flags.services import red_flag_clear, red_flag_raise
from patients.intake.choices import FlagSource
from patients.models import Patient, RedFlag


@staff_view(Role.THERAPIST)
@audits_patient("pk")
def redflag_raise_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Raise a red flag found by a clinician (phone call, visit, letter): code, action level, note."""
    patient = get_object_or_404(Patient, pk=pk)
    form = RedFlagRaiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            flag = red_flag_raise(
                patient=patient,
                code=data["code"],
                source=FlagSource.CLINICIAN,
                action_level=data["action_level"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Red flag raised: {flag.get_flag_code_display()}.")
            return redirect("patients:detail", pk=patient.pk)
    context = {"patient": patient, "form": form, "usual_levels": usual_levels()}
    return render(request, "patients/flags/raise.html", context, status=400 if form.errors else 200)


def _flag_patient(request: HttpRequest, pk: int) -> int | None:
    return RedFlag.objects.filter(pk=pk).values_list("patient_id", flat=True).first()


@require_POST
@staff_view(Role.THERAPIST)
@audits_patient(_flag_patient)
def redflag_clear_view(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(RedFlag, pk=pk)
    form = RedFlagClearForm(request.POST)
    if form.is_valid():
        try:
            red_flag_clear(
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
    if flag.intake_response_id and request.POST.get("next") != "patient":
        return redirect("patients:intake_summary", pk=flag.intake_response_id)
    return redirect("patients:detail", pk=flag.patient_id)
