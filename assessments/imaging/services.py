"""Imaging orders: raise one from an assessment, then move it along its lifecycle."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from assessments.imaging.choices import IMAGING_TRANSITIONS, ImagingStatus, ReportFinding
from assessments.models import Assessment, ImagingOrder
from assessments.programmes.services.bone_stress import patient_bone_stress_refresh
from assessments.record.services.errors import AssessmentError, StaleVersionError
from assessments.record.services.findings import save_checked
from clinic.staff.models import User

ORDER_FIELDS = (
    "modality",
    "region",
    "side",
    "indication",
    "indication_detail",
    "question",
    "urgency",
    "route",
)


@transaction.atomic
def imaging_order_create(*, assessment: Assessment, by: User, **fields: object) -> ImagingOrder:
    """Raise an imaging order from an assessment (status ordered).

    Orders have their own lifecycle, so one may also be raised from a signed
    assessment; it records who ordered it and when. The clinical indication
    is required. Side effects: creates the ImagingOrder.
    """
    unknown = set(fields) - set(ORDER_FIELDS)
    if unknown:
        raise ValueError(f"imaging order does not take {sorted(unknown)}")
    order = ImagingOrder(assessment=assessment, patient_id=assessment.patient_id, ordered_by=by, **fields)
    order.indication_detail = (order.indication_detail or "").strip()
    order.full_clean(exclude=["assessment", "patient", "ordered_by"], validate_constraints=False)
    save_checked(order)
    return order


@transaction.atomic
def imaging_order_advance(
    *,
    order: ImagingOrder,
    by: User,
    status: str,
    expected_version: int,
    booked_for: date | None = None,
    reported_on: date | None = None,
    report_summary: str = "",
    report_finding: str = "",
    cancel_reason: str = "",
) -> ImagingOrder:
    """Move an order one step: ordered → booked → reported → reviewed, or cancel it.

    Booking may give the scan date; reporting needs the report date, the
    summary and the coded finding (ReportFinding); reviewing records who
    reviewed it and when. Refused when the step is not allowed or the order
    changed since `expected_version`. Side effects: updates the order and
    bumps its version; a report refreshes the bone-stress state of the
    patient's active programme (a stress reaction or fracture is suspected
    bone stress, a later normal MRI or bone scan rules it out).
    """
    locked = ImagingOrder.objects.select_for_update().get(pk=order.pk)
    if locked.version != expected_version:
        raise StaleVersionError(current_version=locked.version, updated_at=locked.updated_at)
    if (locked.status, status) not in IMAGING_TRANSITIONS:
        raise AssessmentError(
            f"An order that is {locked.get_status_display().lower()} cannot become {ImagingStatus(status).label.lower()}."
        )
    if status == ImagingStatus.BOOKED:
        locked.booked_for = booked_for
    elif status == ImagingStatus.REPORTED:
        if reported_on is None or not report_summary.strip():
            raise AssessmentError("Enter the report date and a summary of the report.")
        if reported_on > timezone.localdate():
            raise AssessmentError("The report date cannot be in the future.")
        if report_finding not in ReportFinding.values:
            raise AssessmentError("Say what the report found.")
        locked.reported_on = reported_on
        locked.report_summary = report_summary.strip()
        locked.report_finding = report_finding
    elif status == ImagingStatus.REVIEWED:
        locked.reviewed_by = by
        locked.reviewed_at = timezone.now()
    elif status == ImagingStatus.CANCELLED:
        if not cancel_reason.strip():
            raise AssessmentError("Give a reason for cancelling the order.")
        locked.cancel_reason = cancel_reason.strip()
    locked.status = status
    locked.version += 1
    locked.full_clean(exclude=["assessment", "patient", "ordered_by"], validate_constraints=False)
    save_checked(locked)
    if status == ImagingStatus.REPORTED:
        patient_bone_stress_refresh(
            patient_id=locked.patient_id,
            by=by,
            reason=f"{locked.get_modality_display()} of the {locked.get_region_display().lower()} "
            f"reported: {locked.get_report_finding_display().lower()}",
        )
    return locked
