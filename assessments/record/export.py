"""The assessments in the patient's export: each visit's record with every finding and addendum."""

from assessments.models import Assessment
from patients.identity.export import HISTORY_EXCLUSION, ExportSection, model_as_dict
from patients.models import Patient

# (related name, model label) of the rows an assessment holds, one list each.
_MANY = (
    ("impressions", "assessments.Impression"),
    ("factors", "assessments.AssessmentFactor"),
    ("single_leg_stances", "assessments.SingleLegStance"),
    ("single_leg_squats", "assessments.SingleLegSquat"),
    ("special_tests", "assessments.SpecialTest"),
    ("palpations", "assessments.Palpation"),
    ("strength_tests", "assessments.StrengthTest"),
    ("ranges_of_motion", "assessments.RangeOfMotion"),
    ("muscle_lengths", "assessments.MuscleLength"),
    ("addenda", "assessments.Addendum"),
)
# One row at most per assessment.
_ONE = (
    ("subjective", "assessments.Subjective"),
    ("observation", "assessments.Observation"),
    ("double_leg_squat", "assessments.DoubleLegSquat"),
)


def assessments_section(patient: Patient) -> list[dict[str, object]]:
    """Drafts and signed records alike, oldest first (one query per kind of row)."""
    assessments = (
        Assessment.objects.filter(patient=patient)
        .select_related("therapist", *(name for name, _ in _ONE))
        .prefetch_related(*(name for name, _ in _MANY))
        .order_by("created_at", "pk")
    )
    rows = []
    for assessment in assessments:
        row = model_as_dict(assessment)
        row["therapist_name"] = assessment.therapist.get_full_name()
        for name, _ in _ONE:
            child = getattr(assessment, name, None)
            row[name] = model_as_dict(child) if child is not None else None
        for name, _ in _MANY:
            row[name] = [model_as_dict(child) for child in getattr(assessment, name).all()]
        rows.append(row)
    return rows


SECTIONS = (
    ExportSection(
        "assessments",
        assessments_section,
        models=("assessments.Assessment", *(label for _, label in _ONE), *(label for _, label in _MANY)),
    ),
)

# pghistory's snapshots of the rows above.
EXPORT_EXCLUDED = {
    "assessments.AssessmentAuditEvent": HISTORY_EXCLUSION,
    "assessments.SubjectiveAuditEvent": HISTORY_EXCLUSION,
    "assessments.ObservationAuditEvent": HISTORY_EXCLUSION,
    "assessments.DoubleLegSquatAuditEvent": HISTORY_EXCLUSION,
    "assessments.ImpressionAuditEvent": HISTORY_EXCLUSION,
    "assessments.AssessmentFactorAuditEvent": HISTORY_EXCLUSION,
    "assessments.SingleLegStanceAuditEvent": HISTORY_EXCLUSION,
    "assessments.SingleLegSquatAuditEvent": HISTORY_EXCLUSION,
    "assessments.SpecialTestAuditEvent": HISTORY_EXCLUSION,
    "assessments.PalpationAuditEvent": HISTORY_EXCLUSION,
    "assessments.StrengthTestAuditEvent": HISTORY_EXCLUSION,
    "assessments.RangeOfMotionAuditEvent": HISTORY_EXCLUSION,
    "assessments.MuscleLengthAuditEvent": HISTORY_EXCLUSION,
    "assessments.AddendumAuditEvent": HISTORY_EXCLUSION,
}
