"""Objective findings (domain.md §4): one row per test and side, ranges in the database.

Observation and gait, single-leg stance, squats here; strength and range of
motion in models.strength, special tests and palpation in models.special.
Derived columns (best time, poor count, peak force, torque) are written by the
services from assessments.record.measures, never typed.
"""

from django.db import models
from django.db.models import F, Q

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
    LIMB_SIDES,
    SLS_CAP_CHOICES,
    Eyes,
    FootStrike,
    LegLengthMethod,
    Posture,
    Rating,
    SquatDepth,
    TestResult,
    Trendelenburg,
    TrunkLean,
)
from clinic.audit.tracking import audit_tracked


def _seconds() -> models.DecimalField:
    return models.DecimalField(
        max_digits=3, decimal_places=1, null=True, blank=True, validators=decimal_range(0, 60)
    )


@audit_tracked
class Observation(Finding):
    """Observation barefoot in shorts, posture and gait (§4.1); one per assessment."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="observation")
    barefoot_in_shorts = models.BooleanField("observed barefoot in shorts", null=True, blank=True)
    posture = models.CharField(max_length=20, choices=Posture.choices, blank=True)
    leg_length_diff_cm = models.DecimalField(
        "leg length difference (cm)",
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        validators=decimal_range(0, 5),
    )
    leg_length_shorter_side = models.CharField(
        "shorter leg", max_length=14, choices=[(x.value, x.label) for x in LIMB_SIDES], blank=True
    )
    leg_length_method = models.CharField(
        "leg length measured", max_length=8, choices=LegLengthMethod.choices, blank=True
    )
    c_sign = models.CharField(
        "C-sign", max_length=8, choices=TestResult.choices, blank=True, help_text="Hand cupped over the hip."
    )
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
        "barefoot_in_shorts",
        "posture",
        "leg_length_diff_cm",
        "leg_length_shorter_side",
        "leg_length_method",
        "c_sign",
        "overstriding",
        "crossover_gait",
        "pelvic_drop",
        "trunk_lean",
        "foot_strike",
        "cadence_spm",
        "stride_notes",
    )

    class Meta:
        constraints = [
            *Finding.finding_constraints(
                "observation",
                {
                    "barefoot_in_shorts": None,
                    "posture": "",
                    "leg_length_diff_cm": None,
                    "leg_length_shorter_side": "",
                    "leg_length_method": "",
                    "c_sign": "",
                    "overstriding": None,
                    "crossover_gait": None,
                    "pelvic_drop": None,
                    "trunk_lean": "",
                    "foot_strike": "",
                    "cadence_spm": None,
                },
            ),
            choice_valid("assessments_observation_posture_valid", "posture", Posture.values),
            choice_valid("assessments_observation_trunk_lean_valid", "trunk_lean", TrunkLean.values),
            choice_valid("assessments_observation_foot_strike_valid", "foot_strike", FootStrike.values),
            in_range(
                "assessments_observation_cadence_range",
                "cadence_spm",
                120,
                220,
                "Cadence is 120–220 steps/min.",
            ),
            in_range(
                "assessments_observation_leg_length_range",
                "leg_length_diff_cm",
                0,
                5,
                "Leg length difference is 0–5 cm.",
            ),
            choice_valid(
                "assessments_observation_shorter_side_valid",
                "leg_length_shorter_side",
                [x.value for x in LIMB_SIDES],
            ),
            choice_valid(
                "assessments_observation_leg_length_method_valid", "leg_length_method", LegLengthMethod.values
            ),
            choice_valid("assessments_observation_c_sign_valid", "c_sign", TestResult.values),
            # Only a difference has a shorter side (the form asks for it; earlier rows have none).
            models.CheckConstraint(
                condition=Q(leg_length_shorter_side="") | Q(leg_length_diff_cm__gt=0),
                name="assessments_observation_shorter_side_needs_difference",
                violation_error_message="A shorter side goes with a leg length difference above 0 cm.",
            ),
            models.CheckConstraint(
                condition=Q(leg_length_method="") | Q(leg_length_diff_cm__isnull=False),
                name="assessments_observation_method_needs_difference",
                violation_error_message="The measuring method goes with a leg length difference.",
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
                {
                    "depth": "",
                    "heel_lift": False,
                    "knee_valgus": False,
                    "trunk_lean": False,
                    "weight_shift": False,
                    "pelvic_tilt": False,
                },
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
    # The eyes-closed set on the same side (trials 1–3 are then the eyes-open set).
    closed_trial_1_s = _seconds()
    closed_trial_2_s = _seconds()
    closed_trial_3_s = _seconds()
    closed_best_time_s = _seconds()  # derived: measures.sls_best_time
    max_s = models.PositiveSmallIntegerField(
        "time cap (s)", null=True, blank=True, choices=SLS_CAP_CHOICES, help_text="The hold is stopped here."
    )
    trendelenburg = models.CharField(max_length=14, choices=Trendelenburg.choices, blank=True)
    trunk_lean = models.BooleanField(null=True, blank=True)
    wobble = models.BooleanField(null=True, blank=True)

    CLOSED_TRIALS = ("closed_trial_1_s", "closed_trial_2_s", "closed_trial_3_s")
    result_fields = (
        "trial_1_s",
        "trial_2_s",
        "trial_3_s",
        *CLOSED_TRIALS,
        "max_s",
        "trendelenburg",
        "trunk_lean",
        "wobble",
    )

    class Meta:
        ordering = ["side"]
        constraints = [
            *Finding.finding_constraints(
                "singlelegstance",
                {
                    "trial_1_s": None,
                    "trial_2_s": None,
                    "trial_3_s": None,
                    "best_time_s": None,
                    "closed_trial_1_s": None,
                    "closed_trial_2_s": None,
                    "closed_trial_3_s": None,
                    "closed_best_time_s": None,
                    "max_s": None,
                    "trendelenburg": "",
                    "trunk_lean": None,
                    "wobble": None,
                },
            ),
            Finding.side_constraint("singlelegstance"),
            choice_valid("assessments_singlelegstance_eyes_valid", "eyes", Eyes.values, blank=False),
            choice_valid(
                "assessments_singlelegstance_trendelenburg_valid", "trendelenburg", Trendelenburg.values
            ),
            *(
                in_range(f"assessments_singlelegstance_{f}_range", f, 0, 60, "Stance time is 0–60 s.")
                for f in (
                    "trial_1_s",
                    "trial_2_s",
                    "trial_3_s",
                    "best_time_s",
                    "closed_trial_1_s",
                    "closed_trial_2_s",
                    "closed_trial_3_s",
                    "closed_best_time_s",
                )
            ),
            models.CheckConstraint(
                condition=Q(max_s__isnull=True) | Q(max_s__in=[cap for cap, _ in SLS_CAP_CHOICES]),
                name="assessments_singlelegstance_max_valid",
                violation_error_message="The time cap is 30, 45 or 60 s.",
            ),
            # No hold outlasts the cap it was stopped at.
            models.CheckConstraint(
                condition=Q(max_s__isnull=True)
                | (
                    (Q(best_time_s__isnull=True) | Q(best_time_s__lte=F("max_s")))
                    & (Q(closed_best_time_s__isnull=True) | Q(closed_best_time_s__lte=F("max_s")))
                ),
                name="assessments_singlelegstance_within_cap",
                violation_error_message="A stance time cannot be longer than the time cap.",
            ),
            models.CheckConstraint(
                condition=(Q(closed_trial_2_s__isnull=True) | Q(closed_trial_1_s__isnull=False))
                & (Q(closed_trial_3_s__isnull=True) | Q(closed_trial_2_s__isnull=False)),
                name="assessments_singlelegstance_closed_trials_in_order",
                violation_error_message="Enter eyes-closed trials in order: first, second, third.",
            ),
            models.CheckConstraint(
                condition=Q(closed_trial_1_s__isnull=True, closed_best_time_s__isnull=True)
                | Q(closed_trial_1_s__isnull=False, closed_best_time_s__isnull=False),
                name="assessments_singlelegstance_closed_best_when_timed",
            ),
            models.CheckConstraint(
                condition=Q(closed_trial_1_s__isnull=True) | Q(eyes=Eyes.OPEN),
                name="assessments_singlelegstance_closed_set_with_open_trials",
                violation_error_message="With an eyes-closed set, trials 1–3 are the eyes-open set.",
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
                condition=Q(performed=False)
                | Q(trial_1_s__isnull=False)
                | Q(closed_trial_1_s__isnull=False)
                | ~Q(trendelenburg=""),
                name="assessments_singlelegstance_result_when_done",
                violation_error_message="Give a stance time or the Trendelenburg sign.",
            ),
            models.UniqueConstraint(
                fields=["assessment", "side"],
                name="assessments_singlelegstance_one_per_side",
                violation_error_message="Single-leg stance is already recorded for this side.",
            ),
        ]
        triggers = [signed_assessment_lock()]

    @property
    def trials(self) -> list:
        return [t for t in (self.trial_1_s, self.trial_2_s, self.trial_3_s) if t is not None]

    @property
    def closed_trials(self) -> list:
        return [
            t for t in (self.closed_trial_1_s, self.closed_trial_2_s, self.closed_trial_3_s) if t is not None
        ]


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

    CRITERIA = (
        "overall_impression",
        "weight_transfer",
        "lumbopelvic_alignment",
        "leg_alignment",
        "foot_alignment",
    )
    result_fields = (*CRITERIA, "trendelenburg_during_squat")

    class Meta:
        ordering = ["side"]
        constraints = [
            *Finding.finding_constraints(
                "singlelegsquat",
                {
                    "overall_impression": "",
                    "weight_transfer": "",
                    "lumbopelvic_alignment": "",
                    "leg_alignment": "",
                    "foot_alignment": "",
                    "poor_count": None,
                    "trendelenburg_during_squat": None,
                },
            ),
            Finding.side_constraint("singlelegsquat"),
            *(
                choice_valid(f"assessments_singlelegsquat_{c}_valid", c, Rating.values)
                for c in (
                    "overall_impression",
                    "weight_transfer",
                    "lumbopelvic_alignment",
                    "leg_alignment",
                    "foot_alignment",
                )
            ),
            in_range("assessments_singlelegsquat_poor_count_range", "poor_count", 0, 5, "0 to 5 criteria."),
            models.CheckConstraint(
                condition=Q(performed=False)
                | (
                    ~Q(overall_impression="")
                    & ~Q(weight_transfer="")
                    & ~Q(lumbopelvic_alignment="")
                    & ~Q(leg_alignment="")
                    & ~Q(foot_alignment="")
                    & Q(poor_count__isnull=False)
                ),
                name="assessments_singlelegsquat_all_criteria_rated",
                violation_error_message="Rate all five criteria good or poor.",
            ),
            models.UniqueConstraint(
                fields=["assessment", "side"],
                name="assessments_singlelegsquat_one_per_side",
                violation_error_message="Single-leg squat is already recorded for this side.",
            ),
        ]
        triggers = [signed_assessment_lock()]
