"""Observations (category `exam`) for every objective finding of every assessment.

One Observation per recorded test and side: `bodySite` is SNOMED CT 24136001
(hip joint structure; palpation names its own site in text), the side is a
`laterality` component valued with SNOMED CT 7771000 / 24028007 / 51440002,
repeated trials are components, units are UCUM. A test marked not done has
no value and `dataAbsentReason` not-performed. Observations of a draft
assessment are `preliminary`, of a signed one `final`. The pain the patient
reported to the therapist (subjective) and at rest are NPRS Observations.
"""

from datetime import datetime

from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.resource import Resource

from assessments.fhir.base import instant, make, ref
from assessments.fhir.codes import (
    DATA_ABSENT_REASON,
    INTERPRETATION,
    category,
    concept,
    hip_body_site,
    laterality,
    local,
    nprs_code,
    quantity,
    score,
    text_only,
)
from assessments.fhir.scheduling import encounter_ref
from assessments.models import (
    Assessment,
    AssessmentFactor,
    DoubleLegSquat,
    MuscleLength,
    Palpation,
    RangeOfMotion,
    SingleLegSquat,
    SingleLegStance,
    SpecialTest,
    StrengthTest,
)
from assessments.models import Observation as GaitObservation
from assessments.record.choices import SINGLE_LEG_SQUAT_CRITERIA, SQUAT_COMPENSATIONS
from assessments.record.selectors import hop_lsi, strength_lsi
from patients.models import Patient

EXAM = ("exam", "Exam")
SURVEY = ("survey", "Survey")
TRIAL_CODES = ("trial.1", "trial.2", "trial.3")

_MANY = (
    "single_leg_stances",
    "single_leg_squats",
    "special_tests",
    "palpations",
    "strength_tests",
    "ranges_of_motion",
    "muscle_lengths",
    "factors",
)


def _component(code: str, value: object, unit: str | None = None, *, text: str | None = None) -> dict | None:
    """One component: a quantity with `unit`, else a boolean, integer or string by the value's type."""
    if value in (None, ""):
        return None
    concept_ = local(code, text=text)
    if unit is not None:
        return {"code": concept_, "valueQuantity": quantity(value, unit)}  # type: ignore[arg-type]
    if isinstance(value, bool):
        return {"code": concept_, "valueBoolean": value}
    if isinstance(value, int):
        return {"code": concept_, "valueInteger": value}
    if isinstance(value, dict):
        return {"code": concept_, "valueCodeableConcept": value}
    return {"code": concept_, "valueString": str(value)}


def _trials(values: list, unit: str) -> list:
    return [_component(code, value, unit) for code, value in zip(TRIAL_CODES, values, strict=False)]


def _choice(row: object, field: str) -> str | None:
    value = getattr(row, field)
    if value in (None, ""):
        return None
    return str(getattr(row, f"get_{field}_display")())


def _finding(
    *,
    obs_id: str,
    assessment: Assessment,
    finding: object,
    code: dict[str, object],
    value: dict[str, object] | None = None,
    components: list | None = None,
    side: str | None = None,
    body_site: dict[str, object] | None = None,
    interpretation: dict[str, object] | None = None,
    more_notes: tuple[str, ...] = (),
) -> Observation:
    """An examination Observation: status, time, side and pain as every finding has them (domain.md §0)."""
    performed = getattr(finding, "performed", True)
    extra: list = []
    if side is not None:
        extra.append(_component("laterality", laterality(side)))
    if performed:
        pain = getattr(finding, "pain_nprs", None)
        if pain is not None:
            extra.append({"code": nprs_code("pain.during-test"), "valueQuantity": score(pain)})
        extra.append(_component("pain.provoked", getattr(finding, "pain_provoked", None) or None))
        extra.append(_component("pain.familiar", getattr(finding, "familiar_pain", None) or None))
    notes = [getattr(finding, "notes", ""), *more_notes]
    data: dict[str, object] = {
        "id": obs_id,
        "status": "final" if assessment.is_signed else "preliminary",
        "category": category(*EXAM),
        "code": code,
        "subject": ref("Patient", assessment.patient_id),
        "encounter": encounter_ref(assessment.appointment),
        "effectiveDateTime": instant(_when(assessment, finding)),
        "performer": [{"display": assessment.therapist.get_full_name()}],
        "bodySite": body_site if body_site is not None else (hip_body_site(side) if side else None),
        "component": [*extra, *(components or [])] if performed else extra,
        "interpretation": [interpretation] if interpretation and performed else None,
    }
    if performed:
        data.update(value or {})
    else:
        reason = _choice(finding, "not_performed_reason")
        data["dataAbsentReason"] = concept(DATA_ABSENT_REASON, "not-performed", "Not Performed", text=reason)
    data["note"] = [{"text": n} for n in notes if n]
    return make(Observation, data)


def _when(assessment: Assessment, finding: object) -> datetime:
    performed_at = getattr(finding, "performed_at", None)
    if performed_at is not None:
        return performed_at
    if assessment.appointment is not None:
        return assessment.appointment.starts_at
    return assessment.created_at


def _gait(assessment: Assessment, row: GaitObservation) -> Observation:
    components = [
        _component("exam.barefoot-in-shorts", row.barefoot_in_shorts),
        _component("exam.posture", _choice(row, "posture")),
        _component("exam.leg-length-difference", row.leg_length_diff_cm, "cm"),
        _component("exam.leg-length-shorter-side", laterality(row.leg_length_shorter_side)),
        _component("exam.leg-length-method", _choice(row, "leg_length_method")),
        _component("exam.c-sign", _choice(row, "c_sign")),
        _component("exam.overstriding", row.overstriding),
        _component("exam.crossover-gait", row.crossover_gait),
        _component("exam.pelvic-drop", row.pelvic_drop),
        _component("exam.trunk-lean", _choice(row, "trunk_lean")),
        _component("exam.foot-strike", _choice(row, "foot_strike")),
    ]
    if row.cadence_spm is not None:
        components.append({"code": local("exam.cadence"), "valueQuantity": quantity(row.cadence_spm, "/min")})
    return _finding(
        obs_id=f"gait-{row.pk}",
        assessment=assessment,
        finding=row,
        code=local("exam.gait"),
        components=components,
        more_notes=(row.stride_notes,),
    )


def _double_leg_squat(assessment: Assessment, row: DoubleLegSquat) -> Observation:
    return _finding(
        obs_id=f"double-leg-squat-{row.pk}",
        assessment=assessment,
        finding=row,
        code=local("exam.double-leg-squat"),
        value={"valueCodeableConcept": text_only(row.get_depth_display())} if row.depth else None,
        components=[
            _component(f"exam.compensation-{name}", getattr(row, name)) for name, _ in SQUAT_COMPENSATIONS
        ],
    )


def _stances(assessment: Assessment, row: SingleLegStance) -> list[Observation]:
    side = row.side
    cap = _component("exam.sls-time-cap", row.max_s, "s")
    opened = _finding(
        obs_id=f"sls-{row.pk}-{side}",
        assessment=assessment,
        finding=row,
        side=side,
        code=local("exam.sls-eyes-open"),
        value={"valueQuantity": quantity(row.best_time_s, "s")} if row.best_time_s is not None else None,
        components=[
            *_trials(row.trials, "s"),
            cap,
            _component("exam.trendelenburg", _choice(row, "trendelenburg")),
            _component("exam.trunk-lean", row.trunk_lean),
            _component("exam.wobble", row.wobble),
        ],
    )
    if not row.closed_trials:
        return [opened]
    closed = _finding(
        obs_id=f"sls-{row.pk}-{side}-closed",
        assessment=assessment,
        finding=row,
        side=side,
        code=local("exam.sls-eyes-closed"),
        value={"valueQuantity": quantity(row.closed_best_time_s, "s")}
        if row.closed_best_time_s is not None
        else None,
        components=[*_trials(row.closed_trials, "s"), cap],
    )
    return [opened, closed]


def _single_leg_squat(assessment: Assessment, row: SingleLegSquat) -> Observation:
    criteria = [
        _component(
            f"exam.squat-{name}", local(f"rating.{getattr(row, name)}") if getattr(row, name) else None
        )
        for name, _ in SINGLE_LEG_SQUAT_CRITERIA
    ]
    return _finding(
        obs_id=f"single-leg-squat-{row.pk}-{row.side}",
        assessment=assessment,
        finding=row,
        side=row.side,
        code=local("exam.single-leg-squat"),
        value={"valueInteger": row.poor_count} if row.poor_count is not None else None,
        components=[*criteria, _component("exam.trendelenburg-during-squat", row.trendelenburg_during_squat)],
    )


def _special_test(assessment: Assessment, row: SpecialTest) -> Observation:
    value: dict[str, object] | None = None
    interpretation = None
    if row.result:
        value = {"valueCodeableConcept": local(f"result.{row.result}")}
        code, display = ("POS", "Positive") if row.result == "positive" else ("NEG", "Negative")
        interpretation = concept(INTERPRETATION, code, display)
    elif row.distance_cm is not None:
        value = {"valueQuantity": quantity(row.distance_cm, "cm")}
    elif row.hops_completed is not None:
        value = {"valueInteger": row.hops_completed}
    elif row.completed is not None:
        value = {"valueBoolean": row.completed}
    components = [
        _component("exam.hops-completed", row.hops_completed),
        _component("exam.distance", row.distance_cm, "cm") if row.result or row.distance_trials else None,
        *_trials(row.distance_trials, "cm"),
        _component("exam.completed", row.completed),
        _component("exam.pain-site", row.pain_site),
    ]
    return _finding(
        obs_id=f"special-test-{row.pk}-{row.side}",
        assessment=assessment,
        finding=row,
        side=row.side,
        code=local(f"exam.test-{row.test}"),
        value=value,
        components=components,
        interpretation=interpretation,
    )


def _palpation(assessment: Assessment, row: Palpation) -> Observation:
    return _finding(
        obs_id=f"palpation-{row.pk}-{row.side}",
        assessment=assessment,
        finding=row,
        side=row.side,
        body_site=text_only(f"{row.get_side_display()} {row.get_site_display().lower()}"),
        code=local(f"exam.palpation-{row.site}"),
        value={"valueCodeableConcept": local(f"tenderness.{row.tenderness}")} if row.tenderness else None,
    )


def _strength(assessment: Assessment, row: StrengthTest) -> Observation:
    if row.peak_force_n is not None:
        value: dict[str, object] | None = {"valueQuantity": quantity(row.peak_force_n, "N")}
    elif row.mmt_grade:
        value = {"valueString": row.mmt_grade}
    else:
        value = None
    components = [
        _component("exam.mmt-grade", row.mmt_grade if row.peak_force_n is not None else None),
        *_trials(row.trials, "N"),
        _component("exam.lever-arm", row.lever_arm_m, "m"),
        _component("exam.torque", row.torque_nm, "N.m"),
        _component("exam.torque-per-kg", row.torque_nm_per_kg, "N.m/kg"),
        _component("exam.hhd-position", _choice(row, "position")),
        _component("exam.hhd-stabilisation", _choice(row, "stabilisation")),
    ]
    return _finding(
        obs_id=f"strength-{row.pk}-{row.side}",
        assessment=assessment,
        finding=row,
        side=row.side,
        code=local(f"exam.strength-{row.muscle_group}"),
        value=value,
        components=components,
    )


def _range_of_motion(assessment: Assessment, row: RangeOfMotion) -> Observation:
    return _finding(
        obs_id=f"rom-{row.pk}-{row.side}",
        assessment=assessment,
        finding=row,
        side=row.side,
        code=local(f"exam.rom-{row.movement}"),
        value={"valueQuantity": quantity(row.degrees, "deg")} if row.degrees is not None else None,
        components=[
            _component("exam.end-range-pain", row.end_range_pain or None),
            _component("exam.rom-position", _choice(row, "position")),
        ],
    )


def _muscle_length(assessment: Assessment, row: MuscleLength) -> Observation:
    return _finding(
        obs_id=f"muscle-length-{row.pk}-{row.side}",
        assessment=assessment,
        finding=row,
        side=row.side,
        code=local(f"exam.muscle-length-{row.test}"),
        value={"valueCodeableConcept": local(f"length.{row.rating}")} if row.rating else None,
        components=[_component("exam.stretch-pain", row.pain or None)],
    )


def _factor(assessment: Assessment, row: AssessmentFactor) -> Observation:
    """A contributing factor the therapist named with the impression (training load, footwear…)."""
    return make(
        Observation,
        {
            "id": f"factor-{row.pk}",
            "status": "final" if assessment.is_signed else "preliminary",
            "category": category(*EXAM),
            "code": local("exam.contributing-factor"),
            "subject": ref("Patient", assessment.patient_id),
            "encounter": encounter_ref(assessment.appointment),
            "effectiveDateTime": instant(_when(assessment, None)),
            "performer": [{"display": assessment.therapist.get_full_name()}],
            "valueCodeableConcept": local(f"factor.{row.factor}"),
        },
    )


def _lsi_observations(assessment: Assessment) -> list[Observation]:
    """Limb symmetry index per muscle group and for the hop for distance, as the record shows it.

    The values are assessments.record.selectors' (involved = the index side; torque
    when both lever arms are given, else force; one position only), read from the
    prefetched findings.
    """
    lsis = [*strength_lsi(assessment), hop_lsi(assessment)]
    resources = []
    for lsi in lsis:
        if lsi is None or lsi.percent is None:
            continue
        prefix = "strength" if isinstance(lsi.involved, StrengthTest) else "special-test"
        sources = [row for row in (lsi.involved, lsi.uninvolved) if row is not None]
        resources.append(
            make(
                Observation,
                {
                    "id": f"lsi-{assessment.pk}-{lsi.key.replace('_', '-')}",
                    "status": "final" if assessment.is_signed else "preliminary",
                    "category": category(*EXAM),
                    "code": local("exam.lsi", text=f"Limb symmetry index: {lsi.label}"),
                    "subject": ref("Patient", assessment.patient_id),
                    "encounter": encounter_ref(assessment.appointment),
                    "effectiveDateTime": instant(_when(assessment, lsi.involved)),
                    "bodySite": hip_body_site(assessment.index_side),
                    "valueQuantity": quantity(lsi.percent, "%"),
                    "interpretation": [concept(INTERPRETATION, "L", "Low")] if lsi.flagged else None,
                    "component": [
                        _component("laterality", laterality(assessment.index_side), text="Involved side")
                    ],
                    "derivedFrom": [
                        ref("Observation", f"{prefix}-{row.pk}-{row.side}")  # type: ignore[attr-defined]
                        for row in sources
                    ],
                },
            )
        )
    return resources


def _reported_pain(assessment: Assessment) -> list[Observation]:
    """The NPRS the therapist recorded: at rest, on the most provocative test, and the patient's report."""
    values = [
        ("rest", "pain.rest", "Pain at rest", assessment.pain_rest_nprs, EXAM),
        (
            "provocative",
            "pain.provocative",
            "Pain with the most provocative test",
            assessment.pain_provocative_nprs,
            EXAM,
        ),
    ]
    subjective = getattr(assessment, "subjective", None)
    if subjective is not None:
        values += [
            ("now", "pain.now", "Pain now (reported to the therapist)", subjective.nprs_now, SURVEY),
            (
                "worst-7d",
                "pain.worst-7d",
                "Worst pain, last 7 days (reported to the therapist)",
                subjective.nprs_worst_7d,
                SURVEY,
            ),
            (
                "during-run",
                "pain.during-run",
                "Pain during a run (reported to the therapist)",
                subjective.nprs_during_run,
                SURVEY,
            ),
        ]
    resources = []
    for suffix, specific, text, value, kind in values:
        if value is None:
            continue
        resources.append(
            make(
                Observation,
                {
                    "id": f"assessment-{assessment.pk}-nprs-{suffix}",
                    "status": "final" if assessment.is_signed else "preliminary",
                    "category": category(*kind),
                    "code": nprs_code(specific, text),
                    "subject": ref("Patient", assessment.patient_id),
                    "encounter": encounter_ref(assessment.appointment),
                    "effectiveDateTime": instant(_when(assessment, None)),
                    "valueQuantity": score(value),
                },
            )
        )
    return resources


def assessments_of(patient: Patient) -> list[Assessment]:
    return list(
        Assessment.objects.filter(patient=patient)
        .select_related("appointment", "therapist", "observation", "double_leg_squat", "subjective")
        .prefetch_related(*_MANY)
        .order_by("created_at", "pk")
    )


def assessment_observations(assessment: Assessment) -> list[Resource]:
    resources: list[Resource] = list(_reported_pain(assessment))
    gait = getattr(assessment, "observation", None)
    if gait is not None:
        resources.append(_gait(assessment, gait))
    squat = getattr(assessment, "double_leg_squat", None)
    if squat is not None:
        resources.append(_double_leg_squat(assessment, squat))
    for stance in assessment.single_leg_stances.all():
        resources += _stances(assessment, stance)
    resources += [_single_leg_squat(assessment, row) for row in assessment.single_leg_squats.all()]
    resources += [_special_test(assessment, row) for row in assessment.special_tests.all()]
    resources += [_palpation(assessment, row) for row in assessment.palpations.all()]
    resources += [_strength(assessment, row) for row in assessment.strength_tests.all()]
    resources += _lsi_observations(assessment)
    resources += [_range_of_motion(assessment, row) for row in assessment.ranges_of_motion.all()]
    resources += [_muscle_length(assessment, row) for row in assessment.muscle_lengths.all()]
    resources += [_factor(assessment, row) for row in assessment.factors.all()]
    return resources


def finding_resources(patient: Patient) -> list[Resource]:
    resources: list[Resource] = []
    for assessment in assessments_of(patient):
        resources += assessment_observations(assessment)
    return resources
