"""Break the glass (therapists), the care team on the hub and the review of grants (clinic admins)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clinic.staff.access import staff_view
from clinic.staff.choices import Role
from patients.careteam.forms import BreakGlassForm, CareAssignForm, GrantReviewForm
from patients.careteam.selectors import access_grants_for_review
from patients.careteam.services import access_grant_open, access_grant_review, care_assign, care_unassign
from patients.models import AccessGrant, CareAssignment, Patient

REVIEW_PAGE_SIZE = 50


@require_POST
@staff_view(Role.THERAPIST)
def break_glass_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the record outside the care team: the reason is kept and the grant logged."""
    patient = get_object_or_404(Patient, pk=pk)
    form = BreakGlassForm(request.POST)
    if form.is_valid():
        try:
            access_grant_open(
                user=request.user, patient=patient, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.warning(
                request,
                "Access outside the care team is open for a few hours; a clinic admin will review it.",
            )
            target = form.cleaned_data["next"]
            if target and url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(target)
            return redirect("patients:detail", pk=patient.pk)
    context = {"patient": patient, "form": form, "grant_hours": settings.CARE_TEAM_GRANT_HOURS}
    return render(request, "patients/careteam/break_glass.html", context, status=400)


@require_POST
@staff_view(Role.CLINIC_ADMIN)
def care_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=pk)
    form = CareAssignForm(request.POST)
    if form.is_valid():
        try:
            care_assign(
                patient=patient,
                therapist=form.cleaned_data["therapist"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"{form.cleaned_data['therapist']} is now in {patient.full_name}'s care team."
            )
    else:
        messages.error(request, "Choose a therapist to assign.")
    return redirect(reverse("patients:detail", kwargs={"pk": patient.pk}) + "#careteam-heading")


@require_POST
@staff_view(Role.CLINIC_ADMIN)
def care_unassign_view(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(CareAssignment.objects.select_related("patient", "therapist"), pk=pk)
    care_unassign(assignment=assignment, by=request.user)
    messages.success(request, f"Assignment of {assignment.therapist} ended.")
    return redirect(reverse("patients:detail", kwargs={"pk": assignment.patient_id}) + "#careteam-heading")


@staff_view(Role.CLINIC_ADMIN)
def access_grant_list(request: HttpRequest) -> HttpResponse:
    """Every read outside the care team, unreviewed first, for the clinic admin's review."""
    show_all = request.GET.get("show") == "all"
    grants = list(access_grants_for_review(unreviewed_only=not show_all)[:REVIEW_PAGE_SIZE])
    return render(
        request,
        "patients/careteam/access_grants.html",
        {"grants": grants, "show_all": show_all, "form": GrantReviewForm(), "page_size": REVIEW_PAGE_SIZE},
    )


@require_POST
@staff_view(Role.CLINIC_ADMIN)
def access_grant_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(AccessGrant, pk=pk)
    form = GrantReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        access_grant_review(grant=grant, by=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Access marked as reviewed.")
    return redirect("patients:access_grants")
