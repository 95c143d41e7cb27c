"""The programmes and weekly check-ins in the patient's export.

Link token hashes are credentials, never the patient's data: the links are
exported by when they were issued, opened, revoked and expire.
"""

from django.db.models import Prefetch

from assessments.models import CheckIn, PrescribedExercise, Programme
from patients.identity.export import HISTORY_EXCLUSION, ExportSection, model_as_dict
from patients.models import Patient

# (related name, model label) of a programme's rows, one list each.
_MANY = (
    ("visits", "assessments.ProgrammeVisit"),
    ("visit_notes", "assessments.VisitNote"),
    ("revisions", "assessments.ProgrammeRevision"),
    ("outcomes", "assessments.ProgrammeOutcome"),
    ("readiness_checks", "assessments.ReadinessCheck"),
    ("ladder_steps", "assessments.LadderStep"),
    ("alerts", "assessments.ProgrammeAlert"),
)


def programmes_section(patient: Patient) -> list[dict[str, object]]:
    """Each programme with its phases and prescriptions, visits, notes, outcomes, ladder and alerts."""
    programmes = (
        Programme.objects.filter(patient=patient)
        .select_related("therapist")
        .prefetch_related(
            "phases",
            Prefetch("phases__exercises", queryset=PrescribedExercise.objects.select_related("exercise")),
            "links",
            *(name for name, _ in _MANY),
        )
        .order_by("start_date", "pk")
    )
    rows = []
    for programme in programmes:
        row = model_as_dict(programme)
        row["therapist_name"] = programme.therapist.get_full_name()
        row["phases"] = [
            {
                **model_as_dict(phase),
                "exercises": [
                    {
                        **model_as_dict(prescription),
                        "exercise_code": prescription.exercise.code,
                        "exercise_name": prescription.exercise.name,
                    }
                    for prescription in phase.exercises.all()
                ],
            }
            for phase in programme.phases.all()
        ]
        for name, _ in _MANY:
            row[name] = [model_as_dict(child) for child in getattr(programme, name).all()]
        row["links"] = [model_as_dict(link, exclude={"token_hash"}) for link in programme.links.all()]
        rows.append(row)
    return rows


def checkins_section(patient: Patient) -> list[dict[str, object]]:
    """Every weekly check-in (drafts too: they are what the patient typed) with its runs."""
    checkins = (
        CheckIn.objects.filter(programme__patient=patient)
        .prefetch_related("runs")
        .order_by("programme__start_date", "programme_id", "week")
    )
    return [
        {**model_as_dict(checkin), "runs": [model_as_dict(run) for run in checkin.runs.all()]}
        for checkin in checkins
    ]


SECTIONS = (
    ExportSection(
        "programmes",
        programmes_section,
        models=(
            "assessments.Programme",
            "assessments.ProgrammePhase",
            "assessments.PrescribedExercise",
            "assessments.ProgrammeLink",
            *(label for _, label in _MANY),
        ),
    ),
    ExportSection("checkins", checkins_section, models=("assessments.CheckIn", "assessments.RunLog")),
)

# pghistory's snapshots of the rows above.
EXPORT_EXCLUDED = {
    "assessments.ProgrammeAuditEvent": HISTORY_EXCLUSION,
    "assessments.ProgrammePhaseAuditEvent": HISTORY_EXCLUSION,
    "assessments.PrescribedExerciseAuditEvent": HISTORY_EXCLUSION,
    "assessments.VisitNoteAuditEvent": HISTORY_EXCLUSION,
    "assessments.ProgrammeOutcomeAuditEvent": HISTORY_EXCLUSION,
    "assessments.ReadinessCheckAuditEvent": HISTORY_EXCLUSION,
    "assessments.LadderStepAuditEvent": HISTORY_EXCLUSION,
    "assessments.ProgrammeAlertAuditEvent": HISTORY_EXCLUSION,
    "assessments.CheckInAuditEvent": HISTORY_EXCLUSION,
    "assessments.RunLogAuditEvent": HISTORY_EXCLUSION,
    "assessments.ProgrammeLinkAuditEvent": HISTORY_EXCLUSION,
}
