"""Building assessments through the services, as the form would."""

from decimal import Decimal

from assessments.record.services.assessment import DraftChanges, assessment_save_draft, assessment_sign

SUBJECTIVE = {"pain_location": "Outside of the right hip", "nprs_now": 3, "nprs_worst_7d": 6}
ABDUCTORS = {
    ("hip_abductors", "right"): {
        "mmt_grade": "4-",
        "position": "side_lying",
        "trial_1_n": Decimal(135),
        "lever_arm_m": Decimal("0.42"),
    },
    ("hip_abductors", "left"): {
        "mmt_grade": "5",
        "position": "side_lying",
        "trial_1_n": Decimal(160),
        "lever_arm_m": Decimal("0.42"),
    },
}


def save(assessment, by, **changes):
    """Save changes at the assessment's current version; returns the saved assessment."""
    assessment.refresh_from_db()
    return assessment_save_draft(
        assessment=assessment, by=by, expected_version=assessment.version, changes=DraftChanges(**changes)
    )


def complete(assessment, by, *, impression: str = "GTPS_GLUT_TEND"):
    """Record the minimum for signing: history, one finding, `impression` as the primary impression."""
    return save(
        assessment,
        by,
        header={"index_side": "right", "body_weight_kg": Decimal(62)},
        subjective=SUBJECTIVE,
        findings={"strength": ABDUCTORS},
        impressions=[{"code": impression, "side": "right", "certainty": "working"}],
    )


def signed(assessment, by):
    complete(assessment, by)
    assessment.refresh_from_db()
    return assessment_sign(assessment=assessment, by=by)
