"""Special and provocation tests, and palpation, per side (domain.md §4.7)."""

from django.db import models
from django.db.models import Q

from assessments.models.assessment import Assessment
from assessments.models.base import (
    Finding,
    choice_valid,
    decimal_range,
    in_range,
    limb_side_field,
    signed_assessment_lock,
)
from assessments.record.choices import PalpationSite, SpecialTestCode, Tenderness, TestResult
from clinic.audit.tracking import audit_tracked


@audit_tracked
class SpecialTest(Finding):
    """A special or provocation test for a side (§4.7): positive/negative, or hops/distance."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="special_tests")
    test = models.CharField(max_length=16, choices=SpecialTestCode.choices)
    side = limb_side_field()
    result = models.CharField(max_length=8, choices=TestResult.choices, blank=True)
    hops_completed = models.PositiveSmallIntegerField(null=True, blank=True, validators=decimal_range(0, 30))
    distance_cm = models.DecimalField(
        "best distance (cm)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=decimal_range(0, 400),
    )
    pain_site = models.CharField(max_length=100, blank=True)

    result_fields = ("result", "hops_completed", "distance_cm", "pain_site")

    class Meta:
        ordering = ["test", "side"]
        constraints = [
            *Finding.finding_constraints(
                "specialtest", {"result": "", "hops_completed": None, "distance_cm": None, "pain_site": ""}
            ),
            Finding.side_constraint("specialtest"),
            choice_valid("assessments_specialtest_test_valid", "test", SpecialTestCode.values, blank=False),
            choice_valid("assessments_specialtest_result_valid", "result", TestResult.values),
            in_range("assessments_specialtest_hops_range", "hops_completed", 0, 30, "Hops are counted 0–30."),
            in_range(
                "assessments_specialtest_distance_range", "distance_cm", 0, 400, "Distance is 0–400 cm."
            ),
            models.CheckConstraint(
                condition=Q(hops_completed__isnull=True) | Q(test=SpecialTestCode.HOP),
                name="assessments_specialtest_hops_only_for_hop_test",
                violation_error_message="Hops are counted for the hop test only.",
            ),
            models.CheckConstraint(
                condition=Q(distance_cm__isnull=True) | Q(test=SpecialTestCode.HOP_DISTANCE),
                name="assessments_specialtest_distance_only_for_hop_distance",
                violation_error_message="Distance is measured for the hop for distance only.",
            ),
            models.CheckConstraint(
                condition=Q(performed=False)
                | ~Q(result="")
                | Q(hops_completed__isnull=False)
                | Q(distance_cm__isnull=False),
                name="assessments_specialtest_result_when_done",
                violation_error_message="Give the result (positive or negative).",
            ),
            models.UniqueConstraint(
                fields=["assessment", "test", "side"],
                name="assessments_specialtest_one_per_side",
                violation_error_message="This test is already recorded for this side.",
            ),
        ]
        triggers = [signed_assessment_lock()]


@audit_tracked
class Palpation(Finding):
    """Tenderness at a palpation site and side (§4.7)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="palpations")
    site = models.CharField(max_length=20, choices=PalpationSite.choices)
    side = limb_side_field()
    tenderness = models.CharField(max_length=10, choices=Tenderness.choices, blank=True)

    result_fields = ("tenderness",)

    class Meta:
        ordering = ["site", "side"]
        constraints = [
            *Finding.finding_constraints("palpation", {"tenderness": ""}),
            Finding.side_constraint("palpation"),
            choice_valid("assessments_palpation_site_valid", "site", PalpationSite.values, blank=False),
            choice_valid("assessments_palpation_tenderness_valid", "tenderness", Tenderness.values),
            models.CheckConstraint(
                condition=Q(performed=False) | ~Q(tenderness=""),
                name="assessments_palpation_tenderness_when_done",
                violation_error_message="Give the tenderness (none to severe).",
            ),
            models.UniqueConstraint(
                fields=["assessment", "site", "side"],
                name="assessments_palpation_one_per_side",
                violation_error_message="This site is already recorded for this side.",
            ),
        ]
        triggers = [signed_assessment_lock()]
