"""Every finding: plausibility ranges, one row per side, and "not tested" distinct from zero.

Table-driven: each case goes through the service (as the form would send it)
and, for the database guard, straight into the table past the service.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.models import (
    DoubleLegSquat,
    Observation,
    Palpation,
    RangeOfMotion,
    SingleLegSquat,
    SingleLegStance,
    SpecialTest,
    StrengthTest,
)
from assessments.record.measures import ROM_LIMITS
from assessments.record.presenters import finding_text
from assessments.record.services.findings import FINDING_KINDS
from tests.assessments.record.helpers import save

pytestmark = pytest.mark.django_db

D = Decimal
GOOD_SQUAT = dict.fromkeys(
    ("overall_impression", "weight_transfer", "lumbopelvic_alignment", "leg_alignment", "foot_alignment"),
    "good",
)
HHD = {"position": "side_lying"}

# (kind, key, values, accepted)
CASES = [
    # Observation and gait (§4.1): cadence 120–220, leg length 0–5 cm.
    ("observation", (), {"cadence_spm": 120}, True),
    ("observation", (), {"cadence_spm": 220}, True),
    ("observation", (), {"cadence_spm": 119}, False),
    ("observation", (), {"cadence_spm": 221}, False),
    ("observation", (), {"leg_length_diff_cm": D(0)}, True),
    ("observation", (), {"leg_length_diff_cm": D(5)}, True),
    ("observation", (), {"leg_length_diff_cm": D("5.1")}, False),
    ("observation", (), {"posture": "slouched"}, False),
    # Double-leg squat (§4.3): depth required when done.
    ("double_leg_squat", (), {"depth": "partial", "knee_valgus": True}, True),
    ("double_leg_squat", (), {"knee_valgus": True}, False),
    ("double_leg_squat", (), {"depth": "deep"}, False),
    # Single-leg stance (§4.2): 0–60 s per trial, up to three.
    ("single_leg_stance", ("left",), {"trial_1_s": D(0)}, True),
    ("single_leg_stance", ("left",), {"trial_1_s": D(60)}, True),
    ("single_leg_stance", ("right",), {"trial_1_s": D("60.1")}, False),
    ("single_leg_stance", ("right",), {"trial_1_s": D(-1)}, False),
    ("single_leg_stance", ("right",), {"trial_2_s": D(20)}, False),
    ("single_leg_stance", ("right",), {"trendelenburg": "drops_gt_2cm"}, True),
    ("single_leg_stance", ("right",), {"trendelenburg": "wobbles"}, False),
    ("single_leg_stance", ("right",), {"eyes": "closed", "trial_1_s": D(8)}, True),
    ("single_leg_stance", ("bilateral",), {"trial_1_s": D(8)}, False),
    # Single-leg squat (§4.4): all five criteria rated good or poor.
    ("single_leg_squat", ("left",), GOOD_SQUAT, True),
    ("single_leg_squat", ("left",), {**GOOD_SQUAT, "foot_alignment": ""}, False),
    ("single_leg_squat", ("left",), {**GOOD_SQUAT, "foot_alignment": "ok"}, False),
    # Strength (§4.5): MMT grades, forces 0–1500 N, lever 0.10–1.20 m, a position for HHD.
    ("strength", ("hip_abductors", "left"), {"mmt_grade": "3+"}, True),
    ("strength", ("hip_abductors", "left"), {"mmt_grade": "6"}, False),
    ("strength", ("hip_abductors", "left"), {**HHD, "trial_1_n": D(0)}, True),
    ("strength", ("hip_abductors", "left"), {**HHD, "trial_1_n": D(1500)}, True),
    ("strength", ("hip_abductors", "left"), {**HHD, "trial_1_n": D("1500.1")}, False),
    ("strength", ("hip_abductors", "left"), {"trial_1_n": D(100)}, False),
    ("strength", ("core", "right"), {**HHD, "trial_1_n": D(100), "lever_arm_m": D("0.10")}, True),
    ("strength", ("core", "right"), {**HHD, "trial_1_n": D(100), "lever_arm_m": D("1.20")}, True),
    ("strength", ("core", "right"), {**HHD, "trial_1_n": D(100), "lever_arm_m": D("0.09")}, False),
    ("strength", ("core", "right"), {**HHD, "trial_1_n": D(100), "lever_arm_m": D("1.21")}, False),
    ("strength", ("neck", "right"), {"mmt_grade": "5"}, False),
    # Range of motion (§4.6): each movement's own limits (added below from measures.ROM_LIMITS).
    ("rom", ("flexion", "bilateral"), {"degrees": 100}, False),
    # Special tests (§4.7): hops 0–30 on the hop test only, distance 0–400 cm on the hop for distance only.
    ("special", ("fadir", "right"), {"result": "positive", "familiar_pain": True}, True),
    ("special", ("fadir", "right"), {"result": "maybe"}, False),
    ("special", ("fadir", "right"), {"pain_nprs": 3}, False),
    ("special", ("hop", "left"), {"hops_completed": 0}, True),
    ("special", ("hop", "left"), {"hops_completed": 30}, True),
    ("special", ("hop", "left"), {"hops_completed": 31}, False),
    ("special", ("fadir", "left"), {"hops_completed": 10}, False),
    ("special", ("hop_distance", "left"), {"distance_cm": D(400)}, True),
    ("special", ("hop_distance", "left"), {"distance_cm": D("400.1")}, False),
    # Palpation (§4.7): tenderness none–severe.
    ("palpation", ("greater_trochanter", "right"), {"tenderness": "none"}, True),
    ("palpation", ("greater_trochanter", "right"), {"tenderness": "extreme"}, False),
]
for movement, (low, high) in ROM_LIMITS.items():
    CASES += [
        ("rom", (movement, "left"), {"degrees": low}, True),
        ("rom", (movement, "left"), {"degrees": high}, True),
        ("rom", (movement, "left"), {"degrees": low - 1}, False),
        ("rom", (movement, "left"), {"degrees": high + 1}, False),
    ]
# Pain is 0–10, whole numbers, for every kind of finding (§0).
PAIN_BASE = {
    "observation": ((), {"cadence_spm": 170}),
    "double_leg_squat": ((), {"depth": "full"}),
    "single_leg_stance": (("left",), {"trial_1_s": D(30)}),
    "single_leg_squat": (("left",), GOOD_SQUAT),
    "strength": (("hip_abductors", "left"), {"mmt_grade": "4"}),
    "rom": (("flexion", "left"), {"degrees": 110}),
    "special": (("faber", "left"), {"result": "negative"}),
    "palpation": (("piriformis", "left"), {"tenderness": "mild"}),
}
for kind, (key, base) in PAIN_BASE.items():
    CASES += [
        (kind, key, {**base, "pain_nprs": 0}, True),
        (kind, key, {**base, "pain_nprs": 10}, True),
        (kind, key, {**base, "pain_nprs": 11}, False),
    ]


def _id(case: tuple) -> str:
    kind, key, values, accepted = case
    return f"{kind}-{'-'.join(key) or 'one'}-{'-'.join(f'{k}={v}' for k, v in values.items())}-{'ok' if accepted else 'refused'}"


@pytest.mark.parametrize(("kind", "key", "values", "accepted"), CASES, ids=[_id(c) for c in CASES])
def test_service_ranges_and_sides(draft, therapist, kind, key, values, accepted):
    model = FINDING_KINDS[kind].model

    if accepted:
        save(draft, therapist, findings={kind: {key: values}})
        assert model.objects.filter(assessment=draft).count() == 1
    else:
        with pytest.raises((ValidationError, ValueError)):
            save(draft, therapist, findings={kind: {key: values}})
        assert model.objects.filter(assessment=draft).count() == 0


# --- The database guard, past the service -------------------------------------------------

COMMON = {
    "performed": True,
    "not_performed_reason": "",
    "pain_provoked": False,
    "familiar_pain": False,
    "notes": "",
}
DB_CASES = [
    (SingleLegStance, {"side": "left", "trial_1_s": D("60.5"), "best_time_s": D("60.5")}),
    (SingleLegStance, {"side": "bilateral", "trial_1_s": D(5), "best_time_s": D(5)}),
    (SingleLegSquat, {"side": "left", **GOOD_SQUAT, "poor_count": 6}),
    (StrengthTest, {"muscle_group": "hip_abductors", "side": "left", "mmt_grade": "7"}),
    (
        StrengthTest,
        {
            "muscle_group": "hip_abductors",
            "side": "left",
            "position": "supine",
            "trial_1_n": D(1600),
            "peak_force_n": D(1600),
        },
    ),
    (RangeOfMotion, {"movement": "extension", "side": "left", "degrees": -31}),
    (RangeOfMotion, {"movement": "flexion", "side": "left", "degrees": 151}),
    (SpecialTest, {"test": "hop", "side": "left", "hops_completed": 31}),
    (
        Palpation,
        {"site": "itb", "side": "left", "tenderness": "mild", "pain_nprs": 11, "pain_provoked": True},
    ),
    (Observation, {"cadence_spm": 250}),
    (DoubleLegSquat, {"depth": ""}),
    # "Not tested" rows hold no result and need a reason.
    (
        RangeOfMotion,
        {
            "movement": "flexion",
            "side": "left",
            "degrees": 0,
            "performed": False,
            "not_performed_reason": "time",
        },
    ),
    (RangeOfMotion, {"movement": "flexion", "side": "left", "performed": False, "not_performed_reason": ""}),
    (RangeOfMotion, {"movement": "flexion", "side": "left", "degrees": 90, "not_performed_reason": "time"}),
]


@pytest.mark.parametrize(
    ("model", "values"), DB_CASES, ids=lambda v: v.__name__ if isinstance(v, type) else None
)
def test_database_refuses_out_of_range_rows(draft, model, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(assessment=draft, **{**COMMON, **values})


def test_one_row_per_test_and_side(draft):
    StrengthTest.objects.create(assessment=draft, muscle_group="calf", side="left", mmt_grade="5", **COMMON)

    with pytest.raises(IntegrityError), transaction.atomic():
        StrengthTest.objects.create(
            assessment=draft, muscle_group="calf", side="left", mmt_grade="4", **COMMON
        )


def test_left_and_right_are_separate_rows(draft, therapist):
    save(
        draft,
        therapist,
        findings={
            "rom": {
                ("internal_rotation", "left"): {"degrees": 34},
                ("internal_rotation", "right"): {"degrees": 18},
            }
        },
    )

    rows = RangeOfMotion.objects.filter(assessment=draft).order_by("side")
    assert [(r.side, r.degrees) for r in rows] == [("left", 34), ("right", 18)]


# --- "Not tested" is not zero, and neither is "not recorded" --------------------------------


def test_not_tested_zero_and_not_recorded_are_three_different_things(draft, therapist):
    save(
        draft,
        therapist,
        findings={
            "single_leg_stance": {
                ("left",): {"trial_1_s": D(0)},
                ("right",): {"performed": False, "not_performed_reason": "pain_too_high"},
            }
        },
    )

    left = SingleLegStance.objects.get(assessment=draft, side="left")
    right = SingleLegStance.objects.get(assessment=draft, side="right")
    assert (left.performed, left.best_time_s) == (True, D("0.0"))
    assert (right.performed, right.not_performed_reason, right.best_time_s) == (False, "pain_too_high", None)
    assert [finding_text(left), finding_text(right), finding_text(None)] == [
        "best 0.0 s (trials 0.0)",
        "Not tested (pain too high)",
        "—",
    ]


def test_not_tested_drops_any_typed_result(draft, therapist):
    save(
        draft,
        therapist,
        findings={
            "strength": {
                ("hip_abductors", "left"): {
                    "performed": False,
                    "not_performed_reason": "time",
                    "mmt_grade": "4",
                }
            }
        },
    )

    row = StrengthTest.objects.get(assessment=draft)
    assert (row.performed, row.mmt_grade, row.peak_force_n) == (False, "", None)


def test_clearing_a_cell_removes_the_row(draft, therapist):
    save(draft, therapist, findings={"palpation": {("itb", "left"): {"tenderness": "mild"}}})
    save(draft, therapist, findings={"palpation": {("itb", "left"): None}})

    assert Palpation.objects.filter(assessment=draft).count() == 0


def test_zero_force_is_measured_and_derived(draft, therapist):
    save(
        draft,
        therapist,
        header={"body_weight_kg": D(60)},
        findings={
            "strength": {
                ("hip_flexors", "left"): {"position": "seated", "trial_1_n": D(0), "lever_arm_m": D("0.40")}
            }
        },
    )

    row = StrengthTest.objects.get(assessment=draft)
    assert (row.peak_force_n, row.torque_nm, row.torque_nm_per_kg) == (D("0.0"), D("0.00"), D("0.00"))


def test_derived_values_come_from_measures(draft, therapist):
    save(
        draft,
        therapist,
        header={"body_weight_kg": D(62)},
        findings={
            "single_leg_stance": {
                ("left",): {"trial_1_s": D("12.5"), "trial_2_s": D("20.1"), "trial_3_s": D("18.0")}
            },
            "single_leg_squat": {
                ("left",): {**GOOD_SQUAT, "leg_alignment": "poor", "foot_alignment": "poor"}
            },
            "strength": {
                ("hip_abductors", "left"): {
                    "position": "side_lying",
                    "trial_1_n": D(120),
                    "trial_2_n": D(135),
                    "lever_arm_m": D("0.42"),
                }
            },
        },
    )

    assert SingleLegStance.objects.get(assessment=draft).best_time_s == D("20.1")
    assert SingleLegSquat.objects.get(assessment=draft).poor_count == 2
    strength = StrengthTest.objects.get(assessment=draft)
    assert (strength.peak_force_n, strength.torque_nm, strength.torque_nm_per_kg) == (
        D(135),
        D("56.70"),
        D("0.91"),
    )


def test_unchanged_save_writes_nothing(draft, therapist):
    values = {"single_leg_stance": {("left",): {"trial_1_s": D("12.5")}}}
    first = save(draft, therapist, findings=values)

    second = save(draft, therapist, findings=values)

    assert (first.version, second.version) == (2, 2)
