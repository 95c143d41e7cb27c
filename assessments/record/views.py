"""The therapist's assessment pages: start, the one-page form (with autosave), record, print, addenda."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.models import Assessment, Subjective
from assessments.record.choices import AssessmentStatus
from assessments.record.forms.bundle import TEST_GROUPS, AssessmentForms, parse_tests
from assessments.record.forms.record import AddendumForm, StartForm
from assessments.record.prefill import subjective_from_intake
from assessments.record.presenters import comparison, derived_flags, derived_values, record_sections
from assessments.record.selectors import (
    assessment_for_page,
    draft_visible_to,
    has_bone_stress,
    hop_test_done_with_bone_stress,
    open_drafts,
    outstanding_orders,
    previous_signed,
    stale_drafts,
)
from assessments.record.services.assessment import (
    addendum_add,
    assessment_save_draft,
    assessment_sign,
    assessment_start,
    default_kind,
)
from assessments.record.services.errors import AssessmentError, StaleVersionError
from clinic.audit.decorators import audits_patient
from clinic.audit.services import access_record
from clinic.dates import format_date
from clinic.staff.access import record_access_check, staff_view
from clinic.staff.choices import Role
from clinic.web import STALE_VERSION, posted_version
from patients.intake.selectors import patient_open_red_flags
from patients.models import Appointment, Patient


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    """The assessment with its record, or 404 (also for another therapist's draft); the read is audited."""
    try:
        assessment = assessment_for_page(pk)
    except Assessment.DoesNotExist:
        raise Http404("No such assessment.") from None
    if not draft_visible_to(assessment, request.user):
        raise Http404("No such assessment.")
    access_record(request=request, patient_id=assessment.patient_id, obj=assessment)
    return assessment


def _can_edit(request: HttpRequest, assessment: Assessment) -> bool:
    return assessment.is_draft and assessment.therapist_id == request.user.pk


# --- Start ------------------------------------------------------------------------------------


@staff_view(Role.THERAPIST)
@audits_patient("patient_pk")
def assessment_start_view(request: HttpRequest, patient_pk: int) -> HttpResponse:
    """Start an assessment: shows the intake pre-fill and its red flags, then creates the draft."""
    patient = get_object_or_404(Patient, pk=patient_pk)
    source = request.POST if request.method == "POST" else request.GET
    appointment_id = source.get("appointment", "")
    appointment = None
    if appointment_id.isdigit():
        appointment = get_object_or_404(
            Appointment.objects.select_related("appointment_type"), pk=appointment_id, patient=patient
        )
        existing = Assessment.objects.filter(appointment=appointment).first()
        if existing is not None:
            return redirect(
                "assessments:edit" if _can_edit(request, existing) else "assessments:detail", pk=existing.pk
            )
    form = StartForm(
        request.POST or None, initial={"kind": default_kind(patient=patient, appointment=appointment)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_start(
                patient=patient,
                therapist=request.user,
                appointment=appointment,
                kind=form.cleaned_data["kind"],
            )
        except AssessmentError as exc:
            form.add_error(None, exc)
        else:
            return redirect("assessments:edit", pk=assessment.pk)
    prefill = subjective_from_intake(patient)
    said = prefill.get("said", {})
    context = {
        "patient": patient,
        "appointment": appointment,
        "form": form,
        "prefill": prefill,
        "open_flags": list(patient_open_red_flags(patient=patient)),
        "said": [(Subjective._meta.get_field(name).verbose_name, value) for name, value in said.items()],
        "drafts": [a for a in open_drafts(therapist=request.user) if a.patient_id == patient.pk],
    }
    return render(request, "assessments/record/start.html", context, status=400 if form.errors else 200)


@staff_view(Role.THERAPIST)
def assessment_for_appointment(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Start/continue assessment" from a visit: its assessment, or the start page."""
    appointment = get_object_or_404(Appointment, pk=pk)
    record_access_check(request, appointment.patient_id)
    existing = Assessment.objects.filter(appointment=appointment).first()
    if existing is not None:
        return redirect(
            "assessments:edit" if _can_edit(request, existing) else "assessments:detail", pk=existing.pk
        )
    url = reverse("assessments:start", kwargs={"patient_pk": appointment.patient_id})
    return redirect(f"{url}?appointment={appointment.pk}")


# --- The form ------------------------------------------------------------------------------------


# The section bar: (anchor, label) in page order.
SECTIONS = (
    ("sec-subjective", "Subjective"),
    ("sec-observation", "Observation"),
    ("sec-sls", "Single-leg stance"),
    ("sec-squat", "Squat"),
    ("sec-strength", "Strength"),
    ("sec-rom", "Range of motion"),
    ("sec-muscle-length", "Muscle length"),
    ("sec-special", "Special tests"),
    ("sec-impact", "Impact screen"),
    ("sec-palpation", "Palpation"),
    ("sec-pain", "Pain"),
    ("sec-impression", "Impression"),
    ("sec-imaging", "Imaging"),
)


def _edit_context(
    request: HttpRequest, assessment: Assessment, forms: AssessmentForms, **extra: object
) -> dict:
    previous = previous_signed(assessment)
    derived, flagged = derived_values(assessment), derived_flags(assessment)
    return {
        "assessment": assessment,
        "patient": assessment.patient,
        "forms": forms,
        "groups": forms.groups(derived, flagged),
        "sections": [*SECTIONS, ("sec-compare", "Compare")] if previous else SECTIONS,
        "version": assessment.version,
        "derived": derived,
        "derived_flags": flagged,
        "previous": previous,
        "changes": comparison(previous, assessment) if previous else [],
        "bone_stress": has_bone_stress(assessment=assessment),
        "hop_warning": hop_test_done_with_bone_stress(assessment),
        "snapshot": getattr(forms.subjective_row, "intake_snapshot", {}) or {},
        "open_flags": list(patient_open_red_flags(patient=assessment.patient)),
        **extra,
    }


@staff_view(Role.THERAPIST)
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-page assessment form. Only its author edits it, and only while it is a draft."""
    assessment = _assessment(request, pk)
    if assessment.is_signed:
        messages.info(request, "This assessment is signed; corrections are added as addenda.")
        return redirect("assessments:detail", pk=pk)
    if assessment.therapist_id != request.user.pk:
        raise PermissionDenied("Only the therapist who started this assessment may edit it.")
    if request.method != "POST":
        forms = AssessmentForms(assessment, show=parse_tests(request.GET.get("show", "")))
        return render(request, "assessments/record/edit.html", _edit_context(request, assessment, forms))
    action = request.POST.get("action", "save")
    show, hide = _shown_by(request, action)
    forms = AssessmentForms(assessment, request.POST, show=show, hide=hide)
    try:
        saved = assessment_save_draft(
            assessment=assessment,
            by=request.user,
            expected_version=posted_version(request, missing=STALE_VERSION),
            changes=forms.changes(),
        )
    except StaleVersionError as exc:
        # Keep every typed value; saving again replaces the other version with this one.
        current = assessment_for_page(pk)
        context = _edit_context(request, current, forms, conflict=exc)
        return render(request, "assessments/record/edit.html", context, status=409)
    except ValidationError as exc:
        context = _edit_context(request, assessment, forms, save_errors=exc.messages)
        return render(request, "assessments/record/edit.html", context, status=400)
    saved = assessment_for_page(pk)
    if forms.has_errors:
        context = _edit_context(request, saved, forms, error_count=len(forms.error_map()))
        return render(request, "assessments/record/edit.html", context, status=400)
    if show or hide:
        # "Add test" or "Remove" without the script: saved, and the page again with the test added
        # or taken away (the typed values are the saved ones).
        again = AssessmentForms(saved, show=set(forms.extra_shown()) | show, hide=hide)
        return render(request, "assessments/record/edit.html", _edit_context(request, saved, again))
    if action == "sign":
        try:
            assessment_sign(assessment=saved, by=request.user, expected_version=saved.version)
        except AssessmentError as exc:
            context = _edit_context(request, saved, AssessmentForms(saved), sign_errors=exc.messages)
            return render(request, "assessments/record/edit.html", context, status=400)
        messages.success(request, "Assessment signed. It is now read-only; corrections are added as addenda.")
        return redirect("assessments:detail", pk=pk)
    if action in ("order", "order_mri"):
        url = reverse("assessments:imaging_new", kwargs={"pk": pk})
        return redirect(f"{url}?preset=bsi" if action == "order_mri" else url)
    messages.success(request, f"Draft saved at {format_date(timezone.now(), 'time')}.")
    url = reverse("assessments:edit", kwargs={"pk": pk})
    added = forms.extra_shown()
    return redirect(f"{url}?show={','.join(f'{g}:{i}' for g, i in added)}" if added else url)


def _shown_by(request: HttpRequest, action: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The test an "Add test" or "Remove" button asks for: (show, hide)."""
    verb, _, rest = action.partition(":")
    if verb == "add" and rest in TEST_GROUPS:
        return parse_tests(f"{rest}:{request.POST.get(f'add-{rest}', '')}"), set()
    if verb == "remove":
        return set(), parse_tests(rest)
    return set(), set()


@require_POST
@staff_view(Role.THERAPIST)
def assessment_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Save the draft from the page's script; answers JSON with the new version and derived values."""
    try:
        assessment = assessment_for_page(pk)
    except Assessment.DoesNotExist:
        raise Http404("No such assessment.") from None
    if not draft_visible_to(assessment, request.user):
        raise Http404("No such assessment.")
    record_access_check(request, assessment.patient_id)
    if assessment.is_signed:
        return JsonResponse(
            {"saved": False, "locked": True, "message": "This assessment is signed."}, status=409
        )
    if assessment.therapist_id != request.user.pk:
        return JsonResponse(
            {"saved": False, "message": "Only the author may edit this assessment."}, status=403
        )
    forms = AssessmentForms(assessment, request.POST)
    try:
        saved = assessment_save_draft(
            assessment=assessment,
            by=request.user,
            expected_version=posted_version(request, missing=STALE_VERSION),
            changes=forms.changes(),
        )
    except StaleVersionError as exc:
        return JsonResponse(
            {"saved": False, "conflict": True, "version": exc.current_version, "message": exc.messages[0]},
            status=409,
        )
    except ValidationError as exc:
        return JsonResponse({"saved": False, "message": " ".join(exc.messages)}, status=400)
    record = assessment_for_page(pk)
    return JsonResponse(
        {
            "saved": True,
            "version": saved.version,
            "saved_at": format_date(saved.updated_at, "time_seconds"),
            "errors": forms.error_map(),
            "derived": derived_values(record),
            "flagged": sorted(derived_flags(record)),
        }
    )


# --- The record ----------------------------------------------------------------------------------


@staff_view(Role.THERAPIST)
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The record as it stands: findings, impression, orders, signer, addenda, comparison."""
    assessment = _assessment(request, pk)
    form = AddendumForm(request.POST or None) if assessment.is_signed else None
    if request.method == "POST":
        if form is None:
            return redirect("assessments:detail", pk=pk)
        if form.is_valid():
            try:
                addendum_add(assessment=assessment, by=request.user, text=form.cleaned_data["text"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Addendum added.")
                return redirect("assessments:detail", pk=pk)
    previous = previous_signed(assessment)
    context = {
        "assessment": assessment,
        "patient": assessment.patient,
        "sections": record_sections(assessment),
        "subjective": getattr(assessment, "subjective", None),
        "previous": previous,
        "changes": comparison(previous, assessment) if previous else [],
        "addendum_form": form,
        "can_edit": _can_edit(request, assessment),
        "bone_stress": has_bone_stress(assessment=assessment),
    }
    return render(
        request,
        "assessments/record/detail.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )


@staff_view(Role.THERAPIST)
def assessment_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable summary for the GP or referrer (no internal notes)."""
    assessment = _assessment(request, pk)
    if assessment.status != AssessmentStatus.SIGNED:
        messages.info(request, "Sign the assessment before printing a summary for the GP.")
        return redirect("assessments:detail", pk=pk)
    context = {
        "assessment": assessment,
        "patient": assessment.patient,
        "sections": record_sections(assessment),
        "subjective": getattr(assessment, "subjective", None),
        "bone_stress": has_bone_stress(assessment=assessment),
        "printed_at": timezone.now(),
    }
    return render(request, "assessments/record/summary.html", context)


@staff_view(Role.THERAPIST)
def clinical_todo(request: HttpRequest) -> HttpResponse:
    """The therapist's to-do: drafts untouched for 24 h, other drafts, imaging orders outstanding."""
    stale = list(stale_drafts(therapist=request.user))
    stale_ids = {a.pk for a in stale}
    orders = list(outstanding_orders(ordered_by=request.user))
    context = {
        "stale": stale,
        "drafts": [a for a in open_drafts(therapist=request.user) if a.pk not in stale_ids],
        "awaiting": [o for o in orders if o.status != "reported"],
        "to_review": [o for o in orders if o.status == "reported"],
    }
    return render(request, "assessments/record/todo.html", context)
