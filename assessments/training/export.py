"""The training log in the patient's export: preferences, shoes, runs, other sessions, body check-ins.

Distances are in metres and times in seconds, as stored; the patient's unit is
in the preferences.
"""

from assessments.models import BodyCheckIn, Run, Shoe, TrainingPreferences, TrainingSession
from patients.identity.export import HISTORY_EXCLUSION, ExportSection, model_as_dict
from patients.models import Patient


def training_section(patient: Patient) -> dict[str, object]:
    """Everything the patient logged, oldest first (one query per kind of row)."""
    preferences = TrainingPreferences.objects.filter(patient=patient).first()
    return {
        "preferences": model_as_dict(preferences) if preferences is not None else None,
        "shoes": [
            model_as_dict(shoe) for shoe in Shoe.objects.filter(patient=patient).order_by("created_at", "pk")
        ],
        "runs": [
            model_as_dict(run)
            for run in Run.objects.filter(patient=patient).order_by("day", "started_at", "pk")
        ],
        "sessions": [
            model_as_dict(session)
            for session in TrainingSession.objects.filter(patient=patient).order_by("day", "pk")
        ],
        "body_checkins": [
            model_as_dict(entry)
            for entry in BodyCheckIn.objects.filter(patient=patient).order_by("day", "pk")
        ],
    }


SECTIONS = (
    ExportSection(
        "training_log",
        training_section,
        models=(
            "assessments.TrainingPreferences",
            "assessments.Shoe",
            "assessments.Run",
            "assessments.TrainingSession",
            "assessments.BodyCheckIn",
        ),
    ),
)

# pghistory's snapshots of the rows above.
EXPORT_EXCLUDED = {
    "assessments.TrainingPreferencesAuditEvent": HISTORY_EXCLUSION,
    "assessments.ShoeAuditEvent": HISTORY_EXCLUSION,
    "assessments.RunAuditEvent": HISTORY_EXCLUSION,
    "assessments.TrainingSessionAuditEvent": HISTORY_EXCLUSION,
    "assessments.BodyCheckInAuditEvent": HISTORY_EXCLUSION,
}
