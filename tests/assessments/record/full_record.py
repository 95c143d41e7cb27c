"""A re-assessment with every test of the form recorded, and the signed one before it."""

from decimal import Decimal

from assessments.record.choices import IMPACT_SCREEN_CODES, SpecialTestCode
from assessments.record.services.assessment import assessment_start
from assessments.record.services.findings import FINDING_KINDS
from tests.assessments.record.helpers import save, signed


def _special(test: str) -> dict[str, object]:
    if test == SpecialTestCode.HOP:
        return {"hops_completed": 12}
    if test == SpecialTestCode.HOP_DISTANCE:
        return {"distance_trial_1_cm": Decimal(140)}
    if test in IMPACT_SCREEN_CODES:
        return {"completed": True}
    return {"result": "negative"}


def every_finding() -> dict[str, dict]:
    """One valid result for every row the form offers."""
    values = {
        "observation": lambda key: {"posture": "upright", "cadence_spm": 168},
        "double_leg_squat": lambda key: {"depth": "full"},
        "single_leg_stance": lambda key: {"trial_1_s": Decimal(20), "max_s": 30},
        "single_leg_squat": lambda key: dict.fromkeys(
            (
                "overall_impression",
                "weight_transfer",
                "lumbopelvic_alignment",
                "leg_alignment",
                "foot_alignment",
            ),
            "good",
        ),
        "strength": lambda key: {
            "mmt_grade": "4",
            "position": "supine",
            "trial_1_n": Decimal(150),
            "lever_arm_m": Decimal("0.40"),
        },
        "rom": lambda key: {"degrees": 20},
        "muscle_length": lambda key: {"rating": "normal"},
        "special": lambda key: _special(key[0]),
        "palpation": lambda key: {"tenderness": "mild"},
    }
    return {name: {key: values[name](key) for key in kind.keys} for name, kind in FINDING_KINDS.items()}


def full_reassessment(patient, therapist):
    """A signed initial assessment with every test, and a draft re-assessment with every test."""
    first = assessment_start(patient=patient, therapist=therapist)
    save(
        first,
        therapist,
        findings=every_finding(),
        header={"index_side": "right", "body_weight_kg": Decimal(62)},
        subjective={"nprs_now": 3},
        impressions=[{"code": "GTPS_GLUT_TEND", "side": "right"}],
    )
    signed(first, therapist)
    second = assessment_start(patient=patient, therapist=therapist, kind="reassessment")
    save(
        second,
        therapist,
        findings=every_finding(),
        header={"index_side": "right", "body_weight_kg": Decimal(62)},
        impressions=[{"code": "GTPS_GLUT_TEND", "side": "right"}],
    )
    return second
