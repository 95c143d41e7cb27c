"""Objective findings (domain.md §4): one row per test and side, ranges in the database.

Derived columns (best time, poor count, peak force, torque) are written by the
services from assessments.measures, never typed.
"""

from django.db import models
from django.db.models import Q

from assessments.choices import (
    MMT_CHOICES,
    Eyes,
    FootStrike,
    HhdPosition,
    MuscleGroup,
    PalpationSite,
    Posture,
    Rating,
    RomMovement,
    RomPosition,
    SpecialTestCode,
    SquatDepth,
    Stabilisation,
    Tenderness,
    TestResult,
    Trendelenburg,
    TrunkLean,
)
from assessments.measures import MMT_GRADES, ROM_LIMITS
from assessments.models.assessment import Assessment
from assessments.models.base import (
    Finding,
    choice_valid,
    decimal_range,
    in_range,
    limb_side_field,
    signed_assessment_lock,
)
from clinic.audit.tracking import audit_tracked


def _seconds() -> models.DecimalField:
    return models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True, validators=decimal_range(0, 60))


def _newtons() -> models.DecimalField:
    return models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=decimal_range(0, 1500)
    )


@audit_tracked
class Observation(Finding):
    """Observation barefoot in shorts, posture and gait (§4.1); one per assessment."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="observation")
    barefoot_in_shorts = models.BooleanField("observed barefoot in shorts", null=True, blank=True)
    posture = models.CharField(max_length=20, choices=Posture.choices, blank=True)
    leg_length_diff_cm = models.DecimalField(
        "leg length difference (cm)", max_digits=2, decimal_places=1, null=True, blank=True,
        validators=decimal_range(0, 5),
    )  # fmt: skip
    overstriding = models.BooleanField(null=True, blank=True)
    crossover_gait = models.BooleanField(null=True, blank=True)
    pelvic_drop = models.BooleanField(null=True, blank=True)
    trunk_lean = models.CharField(max_length=10, choices=TrunkLean.choices, blank=True)
    foot_strike = models.CharField(max_length=10, choices=FootStrike.choices, blank=True)
    cadence_spm = models.PositiveSmallIntegerField(
        "cadence (steps/min)", null=True, blank=True, validators=decimal_range(120, 220)
    )
    stride_notes = models.CharField(max_length=500, blank=True)

    result_fields = (
        "barefoot_in_shorts", "posture", "leg_length_diff_cm", "overstriding", "crossover_gait", "pelvic_drop",
        "trunk_lean", "foot_strike", "cadence_spm", "stride_notes",
    )  # fmt: skip

    class Meta:
        constraints = [
            *Finding.finding_constraints(
                "observation",
                {
                    "barefoot_in_shorts": None, "posture": "", "leg_length_diff_cm": None, "overstriding": None,
                    "crossover_gait": None, "pelvic_drop": None, "trunk_lean": "", "foot_strike": "",
                    "cadence_spm": None,
                },
            ),
            choice_valid("assessments_observation_posture_valid", "posture", Posture.values),
            choice_valid("assessments_observation_trunk_lean_valid", "trunk_lean", TrunkLean.values),
            choice_valid("assessments_observation_foot_strike_valid", "foot_strike", FootStrike.values),
            in_range("assessments_observation_cadence_range", "cadence_spm", 120, 220, "Cadence is 120–220 steps/min."),
            in_range(
                "assessments_observation_leg_length_range", "leg_length_diff_cm", 0, 5,
                "Leg length difference is 0–5 cm.",
            ),
        ]
        triggers = [signed_assessment_lock()]


@audit_tracked
class DoubleLegSquat(Finding):
    """Double-leg squat depth and compensations (§4.3); one per assessment."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="double_leg_squat")
    depth = models.CharField(max_length=10, choices=SquatDepth.choices, blank=True)
    heel_lift = models.BooleanField(default=False)
    knee_valgus = models.BooleanField(default=False)
    trunk_lean = models.BooleanField(default=False)
    weight_shift = models.BooleanField(default=False)
    pelvic_tilt = models.BooleanField(default=False)

    result_fields = ("depth", "heel_lift", "knee_valgus", "trunk_lean", "weight_shift", "pelvic_tilt")

    class Meta:
        constraints = [
            *Finding.finding_constraints(
                "doublelegsquat",
                {"depth": "", "heel_lift": False, "knee_valgus": False, "trunk_lean": False,
                 "weight_shift": False, "pelvic_tilt": False},
            ),
            choice_valid("assessments_doublelegsquat_depth_valid", "depth", SquatDepth.values),
            models.CheckConstraint(
                condition=Q(performed=False) | ~Q(depth=""),
                name="assessments_doublelegsquat_depth_when_done",
                violation_error_message="Give the squat depth.",
            ),
        ]
        triggers = [signed_assessment_lock()]


@audit_tracked
class SingleLegStance(Finding):
    """Single-leg stance time and Trendelenburg sign, per side (§4.2)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="single_leg_stances")
    side = limb_side_field()
    eyes = models.CharField(max_length=6, choices=Eyes.choices, default=Eyes.OPEN)
    trial_1_s = _seconds()
    trial_2_s = _seconds()
    trial_3_s = _seconds()
    best_time_s = _seconds()  # derived: measures.sls_best_time
    trendelenburg = models.CharField(max_length=14, choices=Trendelenburg.choices, blank=True)
    trunk_lean = models.BooleanField(null=True, blank=True)
    wobble = models.BooleanField(null=True, blank=True)

    result_fields = ("trial_1_s", "trial_2_s", "trial_3_s", "trendelenburg", "trunk_lean", "wobble")

    class Meta:
        ordering = ["side"]
        constraints = [
            *Finding.finding_constraints(
                "singlelegstance",
                {"trial_1_s": None, "trial_2_s": None, "trial_3_s": None, "best_time_s": None, "trendelenburg": "",
                 "trunk_lean": None, "wobble": None},
            ),
            Finding.side_constraint("singlelegstance"),
            choice_valid("assessments_singlelegstance_eyes_valid", "eyes", Eyes.values, blank=False),
            choice_valid("assessments_singlelegstance_trendelenburg_valid", "trendelenburg", Trendelenburg.values),
            *(
                in_range(f"assessments_singlelegstance_{f}_range", f, 0, 60, "Stance time is 0–60 s.")
                for f in ("trial_1_s", "trial_2_s", "trial_3_s", "best_time_s")
            ),
            models.CheckConstraint(
                condition=(Q(trial_2_s__isnull=True) | Q(trial_1_s__isnull=False))
                & (Q(trial_3_s__isnull=True) | Q(trial_2_s__isnull=False)),
                name="assessments_singlelegstance_trials_in_order",
                violation_error_message="Enter trials in order: first, second, third.",
            ),
            models.CheckConstraint(
                condition=Q(trial_1_s__isnull=True, best_time_s__isnull=True)
                | Q(trial_1_s__isnull=False, best_time_s__isnull=False),
                name="assessments_singlelegstance_best_when_timed",
            ),
            models.CheckConstraint(
                condition=Q(performed=False) | Q(trial_1_s__isnull=False) | ~Q(trendelenburg=""),
                name="assessments_singlelegstance_result_when_done",
                violation_error_message="Give a stance time or the Trendelenburg sign.",
            ),
            models.UniqueConstraint(
                fields=["assessment", "side"], name="assessments_singlelegstance_one_per_side",
                violation_error_message="Single-leg stance is already recorded for this side.",
            ),
        ]
        triggers = [signed_assessment_lock()]

    @property
    def trials(self) -> list:
        return [t for t in (self.trial_1_s, self.trial_2_s, self.trial_3_s) if t is not None]


@audit_tracked
class SingleLegSquat(Finding):
    """Single-leg squat rated on five criteria, per side (§4.4)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="single_leg_squats")
    side = limb_side_field()
    overall_impression = models.CharField(max_length=4, choices=Rating.choices, blank=True)
    weight_transfer = models.CharField(max_length=4, choices=Rating.choices, blank=True)
    lumbopelvic_alignment = models.CharField(max_length=4, choices=Rating.choices, blank=True)
    leg_alignment = models.CharField(max_length=4, choices=Rating.choices, blank=True)
    foot_alignment = models.CharField(max_length=4, choices=Rating.choices, blank=True)
    poor_count = models.PositiveSmallIntegerField(null=True, blank=True)  # derived
    trendelenburg_during_squat = models.BooleanField(null=True, blank=True)

    CRITERIA = ("overall_impression", "weight_transfer", "lumbopelvic_alignment", "leg_alignment", "foot_alignment")
    result_fields = (*CRITERIA, "trendelenburg_during_squat")

    class Meta:
        ordering = ["side"]
        constraints = [
            *Finding.finding_constraints(
                "singlelegsquat",
                {"overall_impression": "", "weight_transfer": "", "lumbopelvic_alignment": "",
                 "leg_alignment": "", "foot_alignment": "", "poor_count": None,
                 "trendelenburg_during_squat": None},
            ),
            Finding.side_constraint("singlelegsquat"),
            *(
                choice_valid(f"assessments_singlelegsquat_{c}_valid", c, Rating.values)
                for c in ("overall_impression", "weight_transfer", "lumbopelvic_alignment", "leg_alignment",
                          "foot_alignment")
            ),
            in_range("assessments_singlelegsquat_poor_count_range", "poor_count", 0, 5, "0 to 5 criteria."),
            models.CheckConstraint(
                condition=Q(performed=False)
                | (
                    ~Q(overall_impression="") & ~Q(weight_transfer="") & ~Q(lumbopelvic_alignment="")
                    & ~Q(leg_alignment="") & ~Q(foot_alignment="") & Q(poor_count__isnull=False)
                ),
                name="assessments_singlelegsquat_all_criteria_rated",
                violation_error_message="Rate all five criteria good or poor.",
            ),
            models.UniqueConstraint(
                fields=["assessment", "side"], name="assessments_singlelegsquat_one_per_side",
                violation_error_message="Single-leg squat is already recorded for this side.",
            ),
        ]
        triggers = [signed_assessment_lock()]


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
        "lever arm (m)", max_digits=3, decimal_places=2, null=True, blank=True,
        validators=decimal_range("0.10", "1.20"),
    )  # fmt: skip
    torque_nm = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)  # derived
    torque_nm_per_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)  # derived

    result_fields = ("mmt_grade", "position", "stabilisation", "trial_1_n", "trial_2_n", "trial_3_n", "lever_arm_m")

    class Meta:
        ordering = ["muscle_group", "side"]
        constraints = [
            *Finding.finding_constraints(
                "strengthtest",
                {"mmt_grade": "", "trial_1_n": None, "trial_2_n": None, "trial_3_n": None, "peak_force_n": None,
                 "lever_arm_m": None, "torque_nm": None, "torque_nm_per_kg": None},
            ),
            Finding.side_constraint("strengthtest"),
            choice_valid("assessments_strengthtest_group_valid", "muscle_group", MuscleGroup.values, blank=False),
            choice_valid("assessments_strengthtest_mmt_valid", "mmt_grade", list(MMT_GRADES)),
            choice_valid("assessments_strengthtest_position_valid", "position", HhdPosition.values),
            choice_valid("assessments_strengthtest_stabilisation_valid", "stabilisation", Stabilisation.values),
            *(
                in_range(f"assessments_strengthtest_{f}_range", f, 0, 1500, "Force is 0–1500 N.")
                for f in ("trial_1_n", "trial_2_n", "trial_3_n", "peak_force_n")
            ),
            in_range("assessments_strengthtest_lever_range", "lever_arm_m", "0.10", "1.20", "Lever arm is 0.10–1.20 m."),
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
                condition=Q(torque_nm__isnull=True) | Q(peak_force_n__isnull=False, lever_arm_m__isnull=False),
                name="assessments_strengthtest_torque_needs_force_and_lever",
            ),
            models.UniqueConstraint(
                fields=["assessment", "muscle_group", "side"], name="assessments_strengthtest_one_per_side",
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
            choice_valid("assessments_rangeofmotion_movement_valid", "movement", RomMovement.values, blank=False),
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
                fields=["assessment", "movement", "side"], name="assessments_rangeofmotion_one_per_side",
                violation_error_message="This movement is already recorded for this side.",
            ),
        ]
        triggers = [signed_assessment_lock()]


@audit_tracked
class SpecialTest(Finding):
    """A special or provocation test for a side (§4.7): positive/negative, or hops/distance."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="special_tests")
    test = models.CharField(max_length=16, choices=SpecialTestCode.choices)
    side = limb_side_field()
    result = models.CharField(max_length=8, choices=TestResult.choices, blank=True)
    hops_completed = models.PositiveSmallIntegerField(null=True, blank=True, validators=decimal_range(0, 30))
    distance_cm = models.DecimalField(
        "best distance (cm)", max_digits=4, decimal_places=1, null=True, blank=True,
        validators=decimal_range(0, 400),
    )  # fmt: skip
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
            in_range("assessments_specialtest_distance_range", "distance_cm", 0, 400, "Distance is 0–400 cm."),
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
                fields=["assessment", "test", "side"], name="assessments_specialtest_one_per_side",
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
                fields=["assessment", "site", "side"], name="assessments_palpation_one_per_side",
                violation_error_message="This site is already recorded for this side.",
            ),
        ]
        triggers = [signed_assessment_lock()]
