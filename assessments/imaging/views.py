"""Imaging orders: raise one from an assessment, see what is outstanding, move one along."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from assessments.imaging.choices import (
    ImagingIndication,
    ImagingModality,
    ImagingRegion,
    ImagingRoute,
    Urgency,
)
from assessments.imaging.forms import STEP_LABELS, ImagingOrderForm, ImagingStepForm, next_steps
from assessments.imaging.services import imaging_order_advance, imaging_order_create
from assessments.models import Assessment, ImagingOrder
from assessments.record.choices import BSI_CODES, Side
from assessments.record.selectors import (
    has_bone_stress,
    outstanding_orders,
    with_bone_stress_flag,
)
from assessments.record.services.errors import StaleVersionError
from clinic.audit.services import access_record
from clinic.locking import conflict_for
from clinic.staff.access import staff_view
from clinic.staff.choices import Role
from clinic.web import STALE_VERSION


def _bsi_preset(assessment: Assessment) -> dict[str, object]:
    """A suspected bone stress injury: MRI is the gold standard (domain.md §5)."""
    # Name the bone stress impression (primary or not); a red flag alone names none.
    named = next((i for i in assessment.impressions.all() if i.code in BSI_CODES), None)
    return {
        "modality": ImagingModality.MRI,
        "region": ImagingRegion.HIP,
        "side": assessment.index_side or Side.BILATERAL,
        "indication": ImagingIndication.SUSPECTED_BSI,
        "urgency": Urgency.URGENT,
        "route": ImagingRoute.REFERRED_TO_SPORTS_PHYSICIAN,
        "question": f"{named.get_code_display() if named else 'Bone stress injury'}? Grade if present.",
    }


@staff_view(Role.THERAPIST)
def imaging_order_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Raise an imaging order from an assessment (pre-filled for MRI when bone stress is suspected)."""
    assessment = (
        with_bone_stress_flag(Assessment.objects.select_related("patient").prefetch_related("impressions"))
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment.")
    access_record(request=request, patient_id=assessment.patient_id, obj=assessment)
    bsi = has_bone_stress(assessment=assessment)
    initial = (
        _bsi_preset(assessment)
        if bsi or request.GET.get("preset") == "bsi"
        else {"side": assessment.index_side or Side.BILATERAL}
    )
    form = ImagingOrderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order = imaging_order_create(assessment=assessment, by=request.user, **form.values())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{order.get_modality_display()} order raised.")
            if assessment.is_draft and assessment.therapist_id == request.user.pk:
                return redirect("assessments:edit", pk=assessment.pk)
            return redirect("assessments:detail", pk=assessment.pk)
    context = {"assessment": assessment, "patient": assessment.patient, "form": form, "bone_stress": bsi}
    return render(request, "assessments/imaging/new.html", context, status=400 if form.errors else 200)


@staff_view(Role.THERAPIST)
def imaging_list(request: HttpRequest) -> HttpResponse:
    """Outstanding imaging orders per therapist (yours first; everyone's with ?all=1)."""
    show_all = request.GET.get("all") == "1"
    orders = outstanding_orders(ordered_by=None if show_all else request.user)
    by_therapist: dict[object, list[ImagingOrder]] = defaultdict(list)
    for order in orders:
        by_therapist[order.ordered_by].append(order)
    groups = sorted(by_therapist.items(), key=lambda item: (item[0] != request.user, str(item[0])))
    return render(request, "assessments/imaging/list.html", {"groups": groups, "show_all": show_all})


@staff_view(Role.THERAPIST)
def imaging_order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One order, with the forms for its next step (book, enter the report, review, cancel)."""
    order = get_object_or_404(
        ImagingOrder.objects.select_related("patient", "assessment", "ordered_by", "reviewed_by"), pk=pk
    )
    access_record(request=request, patient_id=order.patient_id, obj=order)
    posted = request.POST.get("step") if request.method == "POST" else None
    offered = next_steps(order)
    steps = []
    for step in offered:
        data = request.POST if posted == step else None
        steps.append(ImagingStepForm(data, order=order, step=step))
    status = 200
    conflict = None
    if posted in STEP_LABELS and posted not in offered:
        # The order moved on since the page was loaded (someone booked, reported or
        # cancelled it): the step is no longer offered. Show what was typed beside the order.
        stale = StaleVersionError(current_version=order.version, updated_at=order.updated_at)
        conflict = conflict_for(
            stale, current=order, form=ImagingStepForm(request.POST, order=order, step=posted)
        )
        status = 409
    for index, form in enumerate(steps):
        if not form.is_bound:
            continue
        if form.is_valid():
            data = form.cleaned_data
            try:
                imaging_order_advance(
                    order=order,
                    by=request.user,
                    status=form.step,
                    # A form posted without its version is out of date, never a blind overwrite.
                    expected_version=STALE_VERSION if data["version"] is None else data["version"],
                    booked_for=data.get("booked_for"),
                    reported_on=data.get("reported_on"),
                    report_summary=data.get("report_summary", ""),
                    report_finding=data.get("report_finding", ""),
                    cancel_reason=data.get("cancel_reason", ""),
                )
            except StaleVersionError as exc:
                # The typed values stay in the form, which now names the current version.
                current = ImagingOrder.objects.get(pk=pk)
                retyped = request.POST.copy()
                retyped[f"{form.prefix}-version"] = str(current.version)
                steps[index] = ImagingStepForm(retyped, order=current, step=form.step)
                conflict = conflict_for(exc, current=current, form=steps[index])
                status = 409
                continue
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Imaging order updated.")
                return redirect("assessments:imaging_detail", pk=pk)
        status = 400
    context = {
        "order": order,
        "steps": steps,
        "bone_stress": has_bone_stress(assessment=order.assessment),
        "conflict": conflict,
        "conflict_moved_on": conflict is not None and posted not in offered,
    }
    return render(request, "assessments/imaging/detail.html", context, status=status)
