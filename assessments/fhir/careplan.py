"""CarePlan for each programme, one activity per prescription, and Goals for its discharge targets.

An activity's code is the exercise's catalogue code in the local CodeSystem;
its dose is the description ("3 × 12 per side") and `scheduledTiming` (times
a week within the phase's weeks). The phase the programme is in is
`in-progress`, earlier phases `completed`, later ones `not-started`.
"""

from datetime import timedelta

from django.db.models import Prefetch
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.goal import Goal
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.resource import Resource

from assessments.fhir.base import day, instant, make, ref
from assessments.fhir.codes import (
    category,
    concept,
    local,
    local_system,
    nprs_code,
    quantity,
    score,
    text_only,
)
from assessments.fhir.conditions import impression_id
from assessments.models import PrescribedExercise, Programme, ProgrammePhase, ReadinessCheck
from assessments.programmes.choices import DischargeReason, PhaseKind, ProgrammeStatus
from assessments.programmes.rules import READINESS_CHECKLIST, RUN_LADDER
from patients.models import Patient


def _phase_status(programme: Programme, phase: ProgrammePhase, current: ProgrammePhase | None) -> str:
    if phase.kind == PhaseKind.MAINTENANCE:
        return "in-progress" if programme.status == ProgrammeStatus.DISCHARGED else "not-started"
    if programme.status == ProgrammeStatus.DISCHARGED:
        return "completed"
    if current is None or phase.kind == current.kind:
        return "in-progress" if current is not None else "not-started"
    return "completed" if (phase.start_week or 0) < (current.start_week or 0) else "not-started"


def _activity(
    programme: Programme, phase: ProgrammePhase, prescription: PrescribedExercise, status: str
) -> dict:
    exercise = prescription.exercise
    timing: dict[str, object] = {
        "frequency": prescription.frequency_per_week,
        "period": 1,
        "periodUnit": "wk",
    }
    if phase.start_week and phase.end_week:
        start = programme.week_start(phase.start_week)
        end = programme.week_start(phase.end_week) + timedelta(days=6)
        timing["boundsPeriod"] = {"start": start.isoformat(), "end": end.isoformat()}
    words = [f"{phase.get_kind_display()}: {prescription.dose_text}"]
    if prescription.load_note and prescription.load_note != prescription.dose_text:
        words.append(prescription.load_note)
    if prescription.notes:
        words.append(prescription.notes)
    detail: dict[str, object] = {
        "code": concept(local_system(), exercise.code, exercise.name),
        "status": status,
        "description": ". ".join(words),
        "scheduledTiming": {"repeat": timing},
    }
    if prescription.sets is not None:
        detail["quantity"] = quantity(prescription.sets, "{set}")
    return {"detail": detail}


def _ladder_activity(programme: Programme) -> dict | None:
    """The return-to-run ladder's stage the patient is on (none before the ladder starts)."""
    if programme.run_stage == 0:
        return None
    stage = RUN_LADDER[programme.run_stage - 1]
    if programme.status == ProgrammeStatus.DISCHARGED:
        status = "completed"
    else:
        status = "stopped" if programme.running_stopped else "in-progress"
    return {
        "detail": {
            "code": local(f"ladder.{stage.code}"),
            "status": status,
            "statusReason": text_only("Running stopped") if programme.running_stopped else None,
            "description": f"Return to run, stage {programme.run_stage} of {len(RUN_LADDER)}: {stage.description}",
            "scheduledTiming": {
                "repeat": {"frequency": programme.runs_per_week, "period": 1, "periodUnit": "wk"}
            },
        }
    }


def _readiness(programme: Programme, check: ReadinessCheck) -> Observation:
    components: list[dict[str, object]] = []
    for item in READINESS_CHECKLIST:
        result = (check.results or {}).get(item.code)
        if not isinstance(result, dict):
            continue
        components.append({"code": local(f"readiness.{item.code}"), "valueBoolean": bool(result.get("done"))})
        if result.get("pain") is not None:
            components.append(
                {
                    "code": nprs_code("pain.during-test", f"Pain: {item.label}"),
                    "valueQuantity": score(result["pain"]),
                }
            )
    return make(
        Observation,
        {
            "id": f"readiness-{check.pk}",
            "status": "final",
            "category": category("exam", "Exam"),
            "code": local("exam.readiness"),
            "subject": ref("Patient", programme.patient_id),
            "effectiveDateTime": instant(check.recorded_at),
            "performer": [{"display": check.recorded_by.get_full_name()}],
            "valueBoolean": check.passed,
            "component": components,
            "note": [{"text": check.notes}] if check.notes else None,
        },
    )


def readiness_resources(patient: Patient) -> list[Resource]:
    """The readiness-to-run checklists recorded (domain.md §8.4), as examination Observations."""
    checks = (
        ReadinessCheck.objects.filter(programme__patient=patient)
        .select_related("programme", "recorded_by")
        .order_by("recorded_at", "pk")
    )
    return [_readiness(check.programme, check) for check in checks]


def _goals(programme: Programme) -> list[Goal]:
    active = programme.status == ProgrammeStatus.ACTIVE
    met = programme.discharge_reason == DischargeReason.GOALS_MET
    common: dict[str, object] = {
        "lifecycleStatus": "active" if active else "completed",
        "achievementStatus": None
        if active
        else text_only("Goals met" if met else programme.get_discharge_reason_display()),
        "subject": ref("Patient", programme.patient_id),
        "startDate": day(programme.start_date),
        "addresses": [],
    }
    due = day(programme.end_date)
    specs = []
    if programme.target_run_pain_max is not None:
        specs.append(
            (
                "run-pain",
                local("goal.run-pain", text=f"Pain on runs at most {programme.target_run_pain_max}/10"),
                {
                    "measure": nprs_code("pain.during-run"),
                    "detailRange": {"high": score(programme.target_run_pain_max)},
                },
            )
        )
    if programme.target_lsi_percent is not None:
        specs.append(
            (
                "lsi",
                local(
                    "goal.lsi", text=f"Strength limb symmetry index at least {programme.target_lsi_percent} %"
                ),
                {
                    "measure": local("exam.lsi"),
                    "detailRange": {"low": quantity(programme.target_lsi_percent, "%")},
                },
            )
        )
    if programme.target_continuous_run_min is not None:
        specs.append(
            (
                "continuous-run",
                local(
                    "goal.continuous-run",
                    text=f"{programme.target_continuous_run_min} minutes of continuous running",
                ),
                {
                    "measure": local("goal.continuous-run"),
                    "detailQuantity": quantity(programme.target_continuous_run_min, "min"),
                },
            )
        )
    goals = [
        make(
            Goal,
            {
                **common,
                "id": f"{programme.pk}-{suffix}",
                "description": description,
                "target": [{**target, "dueDate": due}],
            },
        )
        for suffix, description, target in specs
    ]
    if programme.goals:
        goals.append(
            make(
                Goal,
                {
                    **common,
                    "id": f"{programme.pk}-patient",
                    "description": local("goal.patient", text=programme.goals),
                },
            )
        )
    if programme.race_name:
        goals.append(
            make(
                Goal,
                {
                    **common,
                    "id": f"{programme.pk}-race",
                    "description": local("goal.race", text=programme.race_name),
                    "target": [{"dueDate": day(programme.race_date)}] if programme.race_date else None,
                },
            )
        )
    return goals


def _careplan(programme: Programme, goals: list[Goal]) -> CarePlan:
    phases = list(programme.phases.all())
    current = next((p for p in phases if p.kind == programme.current_phase), None)
    activities = [
        _activity(programme, phase, prescription, _phase_status(programme, phase, current))
        for phase in phases
        for prescription in phase.exercises.all()
    ]
    ladder = _ladder_activity(programme)
    if ladder is not None:
        activities.append(ladder)
    end = programme.discharged_at.date() if programme.discharged_at else programme.end_date
    notes = [programme.progression_rules, programme.discharge_notes, programme.home_plan]
    return make(
        CarePlan,
        {
            "id": str(programme.pk),
            "status": "active" if programme.status == ProgrammeStatus.ACTIVE else "completed",
            "intent": "plan",
            "category": [local("careplan.programme")],
            "title": str(programme),
            "description": f"Current phase: {programme.get_current_phase_display()}",
            "subject": ref("Patient", programme.patient_id),
            "period": {"start": day(programme.start_date), "end": day(end)},
            "created": instant(programme.created_at),
            "author": {"display": programme.therapist.get_full_name()},
            "addresses": [ref("Condition", impression_id(i)) for i in programme.assessment.impressions.all()],
            "goal": [ref("Goal", str(goal.id)) for goal in goals],
            "activity": activities,
            "note": [{"text": note} for note in notes if note],
        },
    )


def careplan_resources(patient: Patient) -> list[Resource]:
    programmes = (
        Programme.objects.filter(patient=patient)
        .select_related("therapist", "assessment")
        .prefetch_related(
            "assessment__impressions",
            "phases",
            Prefetch("phases__exercises", queryset=PrescribedExercise.objects.select_related("exercise")),
        )
        .order_by("start_date", "pk")
    )
    resources: list[Resource] = []
    for programme in programmes:
        goals = _goals(programme)
        resources.append(_careplan(programme, goals))
        resources += goals
    return resources
