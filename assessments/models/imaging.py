"""Imaging orders raised from an assessment (domain.md §5)."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.imaging.choices import (
    IMAGING_TRANSITIONS,
    OUTSTANDING_IMAGING,
    REPORTED_IMAGING,
    ImagingIndication,
    ImagingModality,
    ImagingRegion,
    ImagingRoute,
    ImagingStatus,
    ReportFinding,
    Urgency,
)
from assessments.models.assessment import Assessment
from assessments.models.base import choice_valid
from assessments.record.choices import INDEX_SIDES
from clinic.audit.tracking import audit_tracked


@audit_tracked
class ImagingOrder(models.Model):
    """An imaging request: ordered → booked → reported → reviewed (or cancelled).

    The order has its own lifecycle: it moves on after the assessment that
    raised it is signed. `version` guards the lifecycle forms like the
    assessment's. PostgreSQL enforces the allowed status steps.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="imaging_orders")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="imaging_orders")
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="imaging_orders"
    )
    ordered_at = models.DateTimeField(default=timezone.now)
    modality = models.CharField(max_length=10, choices=ImagingModality.choices)
    region = models.CharField(max_length=12, choices=ImagingRegion.choices, default=ImagingRegion.HIP)
    side = models.CharField(max_length=14, choices=[(s.value, s.label) for s in INDEX_SIDES])
    indication = models.CharField(max_length=20, choices=ImagingIndication.choices)
    indication_detail = models.TextField("clinical indication", max_length=2000)
    question = models.CharField("question to answer", max_length=500, blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    route = models.CharField(
        max_length=30, choices=ImagingRoute.choices, default=ImagingRoute.RECOMMENDED_TO_GP
    )
    status = models.CharField(max_length=10, choices=ImagingStatus.choices, default=ImagingStatus.ORDERED)
    booked_for = models.DateField("scan date", null=True, blank=True)
    reported_on = models.DateField("report date", null=True, blank=True)
    report_summary = models.TextField(blank=True, max_length=4000)
    # Coded when the order is reported; a stress reaction or fracture counts in has_bone_stress.
    # Orders reported before the finding was coded keep it empty ("not coded").
    report_finding = models.CharField(
        "what the report found", max_length=16, choices=ReportFinding.choices, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-ordered_at", "-pk"]
        constraints = [
            choice_valid(
                "assessments_imagingorder_modality_valid", "modality", ImagingModality.values, blank=False
            ),
            choice_valid(
                "assessments_imagingorder_region_valid", "region", ImagingRegion.values, blank=False
            ),
            choice_valid(
                "assessments_imagingorder_side_valid", "side", [s.value for s in INDEX_SIDES], blank=False
            ),
            choice_valid(
                "assessments_imagingorder_indication_valid",
                "indication",
                ImagingIndication.values,
                blank=False,
            ),
            choice_valid("assessments_imagingorder_urgency_valid", "urgency", Urgency.values, blank=False),
            choice_valid("assessments_imagingorder_route_valid", "route", ImagingRoute.values, blank=False),
            choice_valid(
                "assessments_imagingorder_status_valid", "status", ImagingStatus.values, blank=False
            ),
            models.CheckConstraint(
                condition=~Q(indication_detail=""),
                name="assessments_imagingorder_indication_required",
                violation_error_message="Give the clinical indication for the imaging.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ImagingStatus.REPORTED, ImagingStatus.REVIEWED])
                | (Q(reported_on__isnull=False) & ~Q(report_summary="")),
                name="assessments_imagingorder_report_complete",
                violation_error_message="A reported scan needs the report date and summary.",
            ),
            choice_valid("assessments_imagingorder_finding_valid", "report_finding", ReportFinding.values),
            models.CheckConstraint(
                condition=Q(report_finding="") | Q(status__in=REPORTED_IMAGING),
                name="assessments_imagingorder_finding_when_reported",
                violation_error_message="Only a reported scan has a finding.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ImagingStatus.REVIEWED)
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="assessments_imagingorder_reviewed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(status=ImagingStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="assessments_imagingorder_cancel_has_reason",
                violation_error_message="Give a reason for cancelling.",
            ),
        ]
        indexes = [
            # has_bone_stress: a patient's reported stress findings.
            models.Index(
                fields=["patient", "region", "reported_on"],
                name="assessments_imaging_reported",
                condition=Q(status__in=REPORTED_IMAGING),
            ),
            # Outstanding orders per therapist (the to-do and the imaging list).
            models.Index(
                fields=["ordered_by", "ordered_at"],
                name="assessments_imaging_open",
                condition=Q(status__in=OUTSTANDING_IMAGING),
            ),
        ]
        triggers = [
            pgtrigger.FSM(
                name="status_lifecycle",
                field="status",
                transitions=[(a.value, b.value) for a, b in IMAGING_TRANSITIONS],
            ),
            pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_modality_display()} {self.get_region_display().lower()} ({self.get_status_display()})"
        )

    @property
    def is_outstanding(self) -> bool:
        return self.status in OUTSTANDING_IMAGING
