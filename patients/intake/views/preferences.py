"""Staff turn a category of reminders back on when the patient asks (after stopping it by link or at the intake)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from clinic.audit.decorators import audits_patient
from clinic.staff.access import staff_view
from clinic.staff.choices import Role
from patients.intake.choices import ReminderCategory
from patients.intake.services.preferences import reminder_opt_in
from patients.models import Patient


@require_POST
@staff_view(Role.FRONT_DESK, Role.THERAPIST)
@audits_patient("pk")
def reminder_turn_on(request: HttpRequest, pk: int, category: str) -> HttpResponse:
    if category not in ReminderCategory.values:
        raise Http404("No such reminder category.")
    patient = get_object_or_404(Patient, pk=pk)
    reminder_opt_in(patient=patient, category=category)
    messages.success(request, f"{ReminderCategory(category).label} are on again for {patient.display_name}.")
    return redirect("patients:detail", pk=patient.pk)
