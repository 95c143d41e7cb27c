"""QuestionnaireResponses (intake, LEFS, PSFS, HOOS, weekly check-in) and the Observations scored from them.

Every score Observation points back at its response (`derivedFrom`). Scores
are the ones the record holds (patients.outcomes.scoring computed them), never
recomputed here. A check-in's runs are Observations of category `activity`
(the training log), its sessions done one of category `therapy`.
"""

from datetime import timedelta
from decimal import Decimal

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.resource import Resource

from assessments.fhir import questionnaires as q
from assessments.fhir.base import day, instant, make, observation, ref
from assessments.fhir.codes import (
    DATA_ABSENT_REASON,
    concept,
    local,
    nprs_code,
    quantity,
    questionnaire_url,
    score,
)
from assessments.models import CheckIn, ProgrammeOutcome
from assessments.programmes.choices import OutcomeSource
from patients.models import IntakeResponse, Patient

SURVEY = ("survey", "Survey")
HOOS_CODES = {name: f"score.hoos-{name}" for name in q.HOOS_ORDER}


def _answer(field: q.Field, value: object, model: object) -> list[dict[str, object]]:
    """A column's value as QuestionnaireResponse answers (none for an empty value)."""
    if value in (None, "", [], {}):
        return []
    if field.kind == "integer":
        return [{"valueInteger": int(value)}]  # type: ignore[call-overload]
    if field.kind == "decimal":
        return [{"valueDecimal": Decimal(str(value))}]
    if field.kind == "boolean":
        return [{"valueBoolean": bool(value)}]
    if field.kind == "date":
        return [{"valueDate": day(value)}]  # type: ignore[arg-type]
    if isinstance(value, dict):  # pain locations: {region: side}
        regions, sides = dict(q.intake_choices.PainRegion.choices), dict(q.intake_choices.Side.choices)
        return [
            {"valueString": f"{regions.get(region, region)}: {str(sides.get(side, side)).lower()}"}
            for region, side in value.items()
        ]
    if isinstance(value, list):
        labels: dict[object, str] = dict(field.choices.choices) if field.choices else {}
        return [{"valueString": _item_text(item, labels)} for item in value if item not in (None, "")]
    display = getattr(model, f"get_{field.name}_display", None)
    return [{"valueString": str(display() if display else value)}]


def _item_text(item: object, labels: dict) -> str:
    if isinstance(item, dict):  # shoes: {"model", "km"}
        return ", ".join(f"{key}: {value}" for key, value in item.items())
    return str(labels.get(item, item))


def _items(fields: tuple[q.Field, ...], row: object, prefix: str = "") -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for field in fields:
        answers = _answer(field, getattr(row, field.name), row)
        if answers:
            items.append({"linkId": f"{prefix}{field.name}", "answer": answers})
    return items


def _response(
    *,
    response_id: str,
    questionnaire: str,
    completed: bool,
    authored: object,
    patient_id: int,
    items: list,
    by_patient: bool = True,
    author: str | None = None,
) -> QuestionnaireResponse:
    patient = ref("Patient", patient_id)
    return make(
        QuestionnaireResponse,
        {
            "id": response_id,
            "questionnaire": questionnaire_url(questionnaire),
            "status": "completed" if completed else "in-progress",
            "subject": patient,
            "authored": instant(authored),  # type: ignore[arg-type]
            "source": patient if by_patient else None,
            "author": patient if by_patient else ({"display": author} if author else None),
            "item": items,
        },
    )


def _lefs_items(values: list) -> list:
    return [
        {"linkId": f"lefs.{number}", "answer": [{"valueInteger": int(v)}]}
        for number, v in enumerate(values, start=1)
        if v is not None
    ]


def _psfs_items(activities: list) -> list:
    items = []
    for activity in activities:
        parts = [{"linkId": "psfs.activity.id", "answer": [{"valueInteger": int(activity["id"])}]}]
        if activity.get("activity"):
            parts.append(
                {"linkId": "psfs.activity.name", "answer": [{"valueString": str(activity["activity"])}]}
            )
        if activity.get("rating") is not None:
            parts.append(
                {"linkId": "psfs.activity.rating", "answer": [{"valueInteger": int(activity["rating"])}]}
            )
        items.append({"linkId": "psfs.activity", "item": parts})
    return items


def _hoos_items(answers: dict) -> list:
    groups = []
    for subscale in q.HOOS_ORDER:
        values = answers.get(subscale) or []
        items = [
            {"linkId": f"hoos.{subscale}.{number}", "answer": [{"valueInteger": int(v)}]}
            for number, v in enumerate(values, start=1)
            if v is not None
        ]
        if items:
            groups.append({"linkId": f"hoos.{subscale}", "item": items})
    return groups


def _measures(
    *,
    prefix: str,
    row: IntakeResponse | ProgrammeOutcome,
    psfs: list,
    patient_id: int,
    when: object,
    completed: bool,
    by_patient: bool,
    author: str | None = None,
) -> list[Resource]:
    """The LEFS, PSFS and HOOS responses of one sitting, and their score Observations."""
    resources: list[Resource] = []

    def respond(response_id: str, questionnaire: str, items: list) -> QuestionnaireResponse:
        return _response(
            response_id=response_id,
            questionnaire=questionnaire,
            completed=completed,
            authored=when,
            patient_id=patient_id,
            items=items,
            by_patient=by_patient,
            author=author,
        )

    if row.lefs_items:
        resources.append(respond(f"{prefix}-lefs", q.LEFS, _lefs_items(row.lefs_items)))
        if row.lefs_score is not None:
            resources.append(
                observation(
                    obs_id=f"{prefix}-lefs",
                    code=local("score.lefs"),
                    value={"valueQuantity": score(row.lefs_score)},
                    patient_id=patient_id,
                    when=when,
                    derived_from=f"{prefix}-lefs",
                    final=completed,
                )
            )
    if psfs:
        resources.append(respond(f"{prefix}-psfs", q.PSFS, _psfs_items(psfs)))
        if row.psfs_score is not None:
            ratings = [
                {
                    "code": local(
                        "score.psfs-activity", text=str(a.get("activity") or f"Activity {a['id']}")
                    ),
                    "valueQuantity": score(a["rating"]),
                }
                for a in psfs
                if a.get("rating") is not None
            ]
            resources.append(
                observation(
                    obs_id=f"{prefix}-psfs",
                    code=local("score.psfs"),
                    value={"valueQuantity": score(row.psfs_score)},
                    patient_id=patient_id,
                    when=when,
                    derived_from=f"{prefix}-psfs",
                    final=completed,
                    components=ratings,
                )
            )
    if any(v is not None for values in (row.hoos_items or {}).values() for v in values or []):
        resources.append(respond(f"{prefix}-hoos", q.HOOS, _hoos_items(row.hoos_items)))
        for subscale in q.HOOS_ORDER:
            value = getattr(row, f"hoos_{subscale}")
            if value is None:
                continue
            resources.append(
                observation(
                    obs_id=f"{prefix}-hoos-{subscale}",
                    code=local(HOOS_CODES[subscale]),
                    value={"valueQuantity": score(value)},
                    patient_id=patient_id,
                    when=when,
                    derived_from=f"{prefix}-hoos",
                    final=completed,
                )
            )
    return resources


def _nprs(
    *,
    obs_id: str,
    specific: str,
    text: str,
    value: int | None,
    patient_id: int,
    when: object,
    derived_from: str | None,
) -> list[Resource]:
    if value is None:
        return []
    return [
        observation(
            obs_id=obs_id,
            code=nprs_code(specific, text),
            value={"valueQuantity": score(value)},
            patient_id=patient_id,
            when=when,
            derived_from=derived_from,
        )
    ]


INTAKE_NPRS = (
    ("nprs_worst_7d", "pain.worst-7d", "worst-7d"),
    ("nprs_now", "pain.now", "now"),
    ("nprs_during_run", "pain.during-run", "during-run"),
    ("nprs_next_morning", "pain.next-morning", "next-morning"),
)
CHECKIN_NPRS = (
    ("pain_now", "pain.now", "now"),
    ("pain_worst", "pain.worst-week", "worst-week"),
    ("run_pain_during", "pain.during-run", "during-run"),
    ("run_pain_after", "pain.after-run", "after-run"),
    ("pain_next_morning", "pain.next-morning", "next-morning"),
)


def intake_resources(response: IntakeResponse) -> list[Resource]:
    prefix = f"intake-{response.pk}"
    completed = response.submitted_at is not None
    when = response.submitted_at or response.updated_at
    screen = [
        {"linkId": f"screen.{code}", "answer": [{"valueBoolean": bool(answer)}]}
        for code, answer in (response.screen or {}).items()
        if code in q.intake_choices.SCREEN_QUESTIONS and answer is not None
    ]
    bone_health = [
        {"linkId": f"bone_health.{code}", "answer": [{"valueString": str(answer)}]}
        for code, answer in (response.bone_health or {}).items()
        if code in q.intake_choices.BONE_HEALTH_QUESTIONS and answer not in (None, "")
    ]
    items = _items(q.INTAKE_FIELDS, response)
    if screen:
        items.append({"linkId": "screen", "item": screen})
    if bone_health:
        items.append({"linkId": "bone_health", "item": bone_health})
    resources: list[Resource] = [
        _response(
            response_id=prefix,
            questionnaire=q.INTAKE,
            completed=completed,
            authored=when,
            patient_id=response.patient_id,
            items=items,
        )
    ]
    if completed:
        for field, specific, suffix in INTAKE_NPRS:
            resources += _nprs(
                obs_id=f"{prefix}-nprs-{suffix}",
                specific=specific,
                text=q.field_label(IntakeResponse, field),
                value=getattr(response, field),
                patient_id=response.patient_id,
                when=when,
                derived_from=prefix,
            )
    resources += _measures(
        prefix=prefix,
        row=response,
        psfs=response.psfs_activities or [],
        patient_id=response.patient_id,
        when=when,
        completed=completed,
        by_patient=True,
    )
    return resources


def outcome_resources(outcome: ProgrammeOutcome, patient_id: int) -> list[Resource]:
    prefix = f"outcome-{outcome.pk}"
    by_patient = outcome.source == OutcomeSource.PATIENT
    author = outcome.recorded_by.get_full_name() if outcome.recorded_by and not by_patient else None
    resources = _measures(
        prefix=prefix,
        row=outcome,
        psfs=outcome.psfs or [],
        patient_id=patient_id,
        when=outcome.recorded_at,
        completed=True,
        by_patient=by_patient,
        author=author,
    )
    resources += _nprs(
        obs_id=f"{prefix}-nprs-worst-7d",
        specific="pain.worst-7d",
        text=f"Worst pain, last 7 days ({outcome.get_timepoint_display()})",
        value=outcome.nprs_worst,
        patient_id=patient_id,
        when=outcome.recorded_at,
        derived_from=None,
    )
    return resources


def checkin_resources(checkin: CheckIn, patient_id: int) -> list[Resource]:
    response_id = f"checkin-{checkin.pk}"
    submitted = checkin.is_submitted
    when = checkin.submitted_at or checkin.updated_at
    runs = list(checkin.runs.all())
    items = _items(q.CHECKIN_FIELDS, checkin)
    for run in runs:
        items.append({"linkId": "runs", "item": _items(q.RUN_FIELDS, run, prefix="runs.")})
    resources: list[Resource] = [
        _response(
            response_id=response_id,
            questionnaire=q.CHECKIN,
            completed=submitted,
            authored=when,
            patient_id=patient_id,
            items=items,
        )
    ]
    if not submitted:
        return resources
    for field, specific, suffix in CHECKIN_NPRS:
        resources += _nprs(
            obs_id=f"{response_id}-nprs-{suffix}",
            specific=specific,
            text=f"{q.field_label(CheckIn, field)} (week {checkin.week})",
            value=getattr(checkin, field),
            patient_id=patient_id,
            when=when,
            derived_from=response_id,
        )
    week_start = checkin.programme.week_start(checkin.week)
    period = (week_start.isoformat(), (week_start + timedelta(days=6)).isoformat())
    if checkin.sessions_done is not None:
        components = [
            {"code": local("activity.sessions-done"), "valueInteger": checkin.sessions_done},
            {"code": local("activity.sessions-prescribed"), "valueInteger": checkin.sessions_prescribed},
        ]
        value: dict[str, object]
        if checkin.sessions_prescribed:
            percent = Decimal(checkin.sessions_done * 100) / Decimal(checkin.sessions_prescribed)
            value = {"valueQuantity": quantity(percent.quantize(Decimal("0.1")), "%")}
        else:
            value = {"dataAbsentReason": concept(DATA_ABSENT_REASON, "not-applicable", "Not Applicable")}
        resources.append(
            observation(
                obs_id=f"{response_id}-adherence",
                code=local("activity.exercise-adherence"),
                value=value,
                patient_id=patient_id,
                when=when,
                derived_from=response_id,
                kind=("therapy", "Therapy"),
                components=components,
                period=period,
            )
        )
    total = sum((run.distance_km for run in runs), Decimal(0))
    resources.append(
        observation(
            obs_id=f"{response_id}-weekly-distance",
            code=local("activity.weekly-distance"),
            value={"valueQuantity": quantity(total, "km")},
            patient_id=patient_id,
            when=when,
            derived_from=response_id,
            kind=("activity", "Activity"),
            components=[{"code": local("activity.runs-in-week"), "valueInteger": len(runs)}],
            period=period,
        )
    )
    for run in runs:
        components = [{"code": local("activity.run-duration"), "valueQuantity": quantity(run.minutes, "min")}]
        if run.surface:
            components.append(
                {"code": local("activity.run-surface"), "valueString": run.get_surface_display()}
            )
        if run.shoes:
            components.append({"code": local("activity.run-shoes"), "valueString": run.shoes})
        resources.append(
            observation(
                obs_id=f"run-{run.pk}",
                code=local("activity.run"),
                value={"valueQuantity": quantity(run.distance_km, "km")},
                patient_id=patient_id,
                when=run.date.isoformat(),
                derived_from=response_id,
                kind=("activity", "Activity"),
                components=components,
            )
        )
    return resources


def response_resources(patient: Patient) -> list[Resource]:
    resources: list[Resource] = []
    for response in IntakeResponse.objects.filter(patient=patient).order_by("created_at", "pk"):
        resources += intake_resources(response)
    outcomes = (
        ProgrammeOutcome.objects.filter(programme__patient=patient)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    )
    for outcome in outcomes:
        resources += outcome_resources(outcome, patient.pk)
    checkins = (
        CheckIn.objects.filter(programme__patient=patient)
        .select_related("programme")
        .prefetch_related("runs")
        .order_by("programme__start_date", "programme_id", "week")
    )
    for checkin in checkins:
        resources += checkin_resources(checkin, patient.pk)
    return resources
