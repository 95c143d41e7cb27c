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
from assessments.record.choices import (
    HOP_JUMP_CODES,
    IMPACT_SCREEN_CODES,
    PalpationSite,
    SpecialTestCode,
    Tenderness,
    TestResult,
)
from clinic.audit.tracking import audit_tracked


def _centimetres() -> models.DecimalField:
    return models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, validators=decimal_range(0, 400)
    )


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
    )  # derived from the trials (measures.hop_best_distance) when trials are recorded
    distance_trial_1_cm = _centimetres()
    distance_trial_2_cm = _centimetres()
    distance_trial_3_cm = _centimetres()
    completed = models.BooleanField(null=True, blank=True, help_text="Impact/function screen: done in full.")
    pain_site = models.CharField(max_length=100, blank=True)
    bone_stress_reason = models.CharField(
        "reason to hop or jump with suspected bone stress", max_length=300, blank=True
    )

    DISTANCE_TRIALS = ("distance_trial_1_cm", "distance_trial_2_cm", "distance_trial_3_cm")
    result_fields = ("result", "hops_completed", "distance_cm", *DISTANCE_TRIALS, "completed", "pain_site")

    class Meta:
        ordering = ["test", "side"]
        constraints = [
            *Finding.finding_constraints(
                "specialtest",
                {
                    "result": "",
                    "hops_completed": None,
                    "distance_cm": None,
                    "distance_trial_1_cm": None,
                    "distance_trial_2_cm": None,
                    "distance_trial_3_cm": None,
                    "completed": None,
                    "pain_site": "",
                    "bone_stress_reason": "",
                },
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
            *(
                in_range(f"assessments_specialtest_{f}_range", f, 0, 400, "Distance is 0–400 cm.")
                for f in ("distance_trial_1_cm", "distance_trial_2_cm", "distance_trial_3_cm")
            ),
            models.CheckConstraint(
                condition=Q(distance_trial_1_cm__isnull=True) | Q(test=SpecialTestCode.HOP_DISTANCE),
                name="assessments_specialtest_trials_only_for_hop_distance",
                violation_error_message="Distance trials are for the hop for distance only.",
            ),
            models.CheckConstraint(
                condition=(Q(distance_trial_2_cm__isnull=True) | Q(distance_trial_1_cm__isnull=False))
                & (Q(distance_trial_3_cm__isnull=True) | Q(distance_trial_2_cm__isnull=False)),
                name="assessments_specialtest_trials_in_order",
                violation_error_message="Enter hop trials in order: first, second, third.",
            ),
            models.CheckConstraint(
                condition=Q(distance_trial_1_cm__isnull=True) | Q(distance_cm__isnull=False),
                name="assessments_specialtest_best_when_trials",
            ),
            models.CheckConstraint(
                condition=Q(completed__isnull=True) | Q(test__in=list(IMPACT_SCREEN_CODES)),
                name="assessments_specialtest_completed_only_for_impact_screen",
                violation_error_message="Completed is recorded for the impact/function screen only.",
            ),
            models.CheckConstraint(
                condition=Q(bone_stress_reason="") | Q(test__in=list(HOP_JUMP_CODES)),
                name="assessments_specialtest_bone_stress_reason_only_for_hops",
                violation_error_message="The bone-stress reason goes with a hop or jump test.",
            ),
            models.CheckConstraint(
                condition=Q(performed=False)
                | ~Q(result="")
                | Q(hops_completed__isnull=False)
                | Q(distance_cm__isnull=False)
                | Q(completed__isnull=False),
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

    @property
    def distance_trials(self) -> list:
        return [
            t
            for t in (self.distance_trial_1_cm, self.distance_trial_2_cm, self.distance_trial_3_cm)
            if t is not None
        ]


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
