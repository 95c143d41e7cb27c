"""Strength (MMT, hand-held dynamometry) and range of motion, per side (domain.md §4.5, §4.6)."""

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
    MMT_CHOICES,
    HhdPosition,
    LengthRating,
    MuscleGroup,
    MuscleLengthTest,
    RomMovement,
    RomPosition,
    Stabilisation,
)
from assessments.record.measures import MMT_GRADES, ROM_LIMITS
from clinic.audit.tracking import audit_tracked


def _newtons() -> models.DecimalField:
    return models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=decimal_range(0, 1500)
    )


@audit_tracked
class StrengthTest(Finding):
    """Manual muscle test and/or hand-held dynamometry for a muscle group and side (§4.5)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="strength_tests")
    muscle_group = models.CharField(max_length=24, choices=MuscleGroup.choices)
    side = limb_side_field()
    mmt_grade = models.CharField("MMT grade", max_length=2, choices=MMT_CHOICES, blank=True)
    position = models.CharField(max_length=12, choices=HhdPosition.choices, blank=True)
    stabilisation = models.CharField(max_length=8, choices=Stabilisation.choices, blank=True)
    trial_1_n = _newtons()
    trial_2_n = _newtons()
    trial_3_n = _newtons()
    peak_force_n = _newtons()  # derived: measures.peak_force
    lever_arm_m = models.DecimalField(
        "lever arm (m)",
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=decimal_range("0.10", "1.20"),
    )
    torque_nm = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)  # derived
    torque_nm_per_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)  # derived

    result_fields = (
        "mmt_grade",
        "position",
        "stabilisation",
        "trial_1_n",
        "trial_2_n",
        "trial_3_n",
        "lever_arm_m",
    )

    class Meta:
        ordering = ["muscle_group", "side"]
        constraints = [
            *Finding.finding_constraints(
                "strengthtest",
                {
                    "mmt_grade": "",
                    "trial_1_n": None,
                    "trial_2_n": None,
                    "trial_3_n": None,
                    "peak_force_n": None,
                    "lever_arm_m": None,
                    "torque_nm": None,
                    "torque_nm_per_kg": None,
                },
            ),
            Finding.side_constraint("strengthtest"),
            choice_valid(
                "assessments_strengthtest_group_valid", "muscle_group", MuscleGroup.values, blank=False
            ),
            choice_valid("assessments_strengthtest_mmt_valid", "mmt_grade", list(MMT_GRADES)),
            choice_valid("assessments_strengthtest_position_valid", "position", HhdPosition.values),
            choice_valid(
                "assessments_strengthtest_stabilisation_valid", "stabilisation", Stabilisation.values
            ),
            *(
                in_range(f"assessments_strengthtest_{f}_range", f, 0, 1500, "Force is 0–1500 N.")
                for f in ("trial_1_n", "trial_2_n", "trial_3_n", "peak_force_n")
            ),
            in_range(
                "assessments_strengthtest_lever_range",
                "lever_arm_m",
                "0.10",
                "1.20",
                "Lever arm is 0.10–1.20 m.",
            ),
            models.CheckConstraint(
                condition=(Q(trial_2_n__isnull=True) | Q(trial_1_n__isnull=False))
                & (Q(trial_3_n__isnull=True) | Q(trial_2_n__isnull=False)),
                name="assessments_strengthtest_trials_in_order",
                violation_error_message="Enter trials in order: first, second, third.",
            ),
            models.CheckConstraint(
                condition=Q(performed=False) | ~Q(mmt_grade="") | Q(trial_1_n__isnull=False),
                name="assessments_strengthtest_result_when_done",
                violation_error_message="Give an MMT grade or a dynamometer force.",
            ),
            # Positions read differently (side-lying ~27–30 % higher): never compare without one.
            models.CheckConstraint(
                condition=Q(trial_1_n__isnull=True) | ~Q(position=""),
                name="assessments_strengthtest_hhd_needs_position",
                violation_error_message="Give the test position for a dynamometer reading.",
            ),
            models.CheckConstraint(
                condition=Q(trial_1_n__isnull=True, peak_force_n__isnull=True)
                | Q(trial_1_n__isnull=False, peak_force_n__isnull=False),
                name="assessments_strengthtest_peak_when_measured",
            ),
            models.CheckConstraint(
                condition=Q(torque_nm__isnull=True)
                | Q(peak_force_n__isnull=False, lever_arm_m__isnull=False),
                name="assessments_strengthtest_torque_needs_force_and_lever",
            ),
            models.UniqueConstraint(
                fields=["assessment", "muscle_group", "side"],
                name="assessments_strengthtest_one_per_side",
                violation_error_message="This muscle group is already recorded for this side.",
            ),
        ]
        triggers = [signed_assessment_lock()]

    @property
    def trials(self) -> list:
        return [t for t in (self.trial_1_n, self.trial_2_n, self.trial_3_n) if t is not None]


def _rom_range_condition() -> Q:
    condition = Q(degrees__isnull=True)
    for movement, (low, high) in ROM_LIMITS.items():
        condition |= Q(movement=movement, degrees__gte=low, degrees__lte=high)
    return condition


@audit_tracked
class RangeOfMotion(Finding):
    """Hip range of motion in degrees for a movement and side (§4.6)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ranges_of_motion")
    movement = models.CharField(max_length=20, choices=RomMovement.choices)
    side = limb_side_field()
    degrees = models.SmallIntegerField(null=True, blank=True)
    end_range_pain = models.BooleanField(default=False)
    position = models.CharField(max_length=12, choices=RomPosition.choices, blank=True)

    result_fields = ("degrees", "end_range_pain", "position")

    class Meta:
        ordering = ["movement", "side"]
        constraints = [
            *Finding.finding_constraints(
                "rangeofmotion", {"degrees": None, "end_range_pain": False, "position": ""}
            ),
            Finding.side_constraint("rangeofmotion"),
            choice_valid(
                "assessments_rangeofmotion_movement_valid", "movement", RomMovement.values, blank=False
            ),
            choice_valid("assessments_rangeofmotion_position_valid", "position", RomPosition.values),
            models.CheckConstraint(
                condition=_rom_range_condition(),
                name="assessments_rangeofmotion_degrees_range",
                violation_error_message="Degrees are outside the plausible range for this movement.",
            ),
            models.CheckConstraint(
                condition=Q(performed=False) | Q(degrees__isnull=False),
                name="assessments_rangeofmotion_degrees_when_done",
                violation_error_message="Give the range in degrees.",
            ),
            models.UniqueConstraint(
                fields=["assessment", "movement", "side"],
                name="assessments_rangeofmotion_one_per_side",
                violation_error_message="This movement is already recorded for this side.",
            ),
        ]
        triggers = [signed_assessment_lock()]


@audit_tracked
class MuscleLength(Finding):
    """Muscle length for a test and side, rated normal or reduced, with pain on stretch (§4.6)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="muscle_lengths")
    test = models.CharField(max_length=16, choices=MuscleLengthTest.choices)
    side = limb_side_field()
    rating = models.CharField(max_length=8, choices=LengthRating.choices, blank=True)
    pain = models.BooleanField("pain on stretch", default=False)

    result_fields = ("rating", "pain")

    class Meta:
        ordering = ["test", "side"]
        constraints = [
            *Finding.finding_constraints("musclelength", {"rating": "", "pain": False}),
            Finding.side_constraint("musclelength"),
            choice_valid("assessments_musclelength_test_valid", "test", MuscleLengthTest.values, blank=False),
            choice_valid("assessments_musclelength_rating_valid", "rating", LengthRating.values),
            models.CheckConstraint(
                condition=Q(performed=False) | ~Q(rating=""),
                name="assessments_musclelength_rating_when_done",
                violation_error_message="Rate the muscle length normal or reduced.",
            ),
            models.UniqueConstraint(
                fields=["assessment", "test", "side"],
                name="assessments_musclelength_one_per_side",
                violation_error_message="This muscle length test is already recorded for this side.",
            ),
        ]
        triggers = [signed_assessment_lock()]
