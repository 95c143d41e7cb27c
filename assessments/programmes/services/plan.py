"""Operations on a programme's plan: start it from a signed assessment, change it, move phases, notes.

Every change writes one ProgrammeRevision (what changed, when, by whom) and
moves the programme's reminders in the same transaction.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction

from assessments.models import (
    Assessment,
    Exercise,
    PrescribedExercise,
    Programme,
    ProgrammeOutcome,
    ProgrammePhase,
    VisitNote,
)
from assessments.programmes.choices import (
    PLANNED_WEEKS_MAX,
    PLANNED_WEEKS_MIN,
    TREATMENT_PHASES,
    OutcomeSource,
    OutcomeTimepoint,
    PhaseKind,
    ProgrammeStatus,
    RevisionAction,
)
from assessments.programmes.phase_plans import default_phases
from assessments.programmes.rules import max_runs_per_week
from assessments.programmes.services.bone_stress import bone_stress_contraindicated
from assessments.programmes.services.reminders import programme_reminders_sync
from assessments.programmes.services.revisions import revision_add
from assessments.record.choices import AssessmentStatus
from assessments.record.selectors import has_bone_stress
from assessments.record.services.errors import StaleVersionError
from assessments.record.services.findings import save_checked
from clinic.dates import format_date
from clinic.staff.models import User
from patients.models import Appointment, IntakeResponse
from patients.outcomes.scoring import score_lefs, score_psfs


class ProgrammeError(ValidationError):
    """An operation on a programme that cannot be done (message for the user)."""


# What the therapist plans and may change later (the form's fields).
PLAN_FIELDS = (
    "start_date",
    "planned_weeks",
    "visits_per_week",
    "goals",
    "target_run_pain_max",
    "target_lsi_percent",
    "target_continuous_run_min",
    "race_name",
    "race_date",
    "progression_rules",
    "baseline_morning_pain",
    "runs_per_week",
    "exercise_days",
    "reminder_time",
    "checkin_weekday",
    "checkin_time",
    "reassess_mid_on",
    "reassess_end_on",
)
DOSE_FIELDS = ("sets", "reps", "hold_s", "distance_m", "per_side", "frequency_per_week", "load_note", "notes")


def _shown(obj: models.Model, name: str, value: object) -> str:
    # Plan and dose names are concrete columns, never reverse relations.
    field = cast(models.Field, obj._meta.get_field(name))
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if name == "exercise_days":
        names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return ", ".join(names[int(d)] for d in str(value).split(",") if d.isdigit())
    return str(value)


def _apply(obj: models.Model, values: dict[str, object], allowed: Iterable[str]) -> list[dict[str, str]]:
    """Set the changed values on obj; returns the changes in words ({"label", "old", "new"})."""
    allowed = set(allowed)
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"{type(obj).__name__} does not take {sorted(unknown)}")
    changes = []
    for name, value in values.items():
        old = getattr(obj, name)
        if old == value:
            continue
        label = str(cast(models.Field, obj._meta.get_field(name)).verbose_name)
        changes.append(
            {
                "label": label[:1].upper() + label[1:],
                "old": _shown(obj, name, old),
                "new": _shown(obj, name, value),
            }
        )
        setattr(obj, name, value)
    return changes


def default_reassessment_dates(start_date: date, planned_weeks: int) -> tuple[date | None, date]:
    """Week 4 (its last day) and the programme's last day; a 4-week programme has only the end one."""
    end = start_date + timedelta(days=7 * planned_weeks - 1)
    mid = start_date + timedelta(days=7 * 4 - 1) if planned_weeks > PLANNED_WEEKS_MIN else None
    return mid, end


def impression_codes(assessment: Assessment) -> set[str]:
    return {i.code for i in assessment.impressions.all()}


def contraindication_warnings(exercise: Exercise, impressions: Iterable[str]) -> list[str]:
    """The patient's impression codes the exercise is contraindicated for (a warning, never a block)."""
    given = set(impressions)
    return [code for code in exercise.contraindicated_for if code in given]


def _prescription(exercise: Exercise) -> dict[str, object]:
    """A catalogue exercise's default dose as this patient's starting dose."""
    return {
        "sets": exercise.default_sets,
        "reps": exercise.default_reps,
        # Per-patient holds start at 5 s.
        "hold_s": max(exercise.default_hold_s, 5) if exercise.default_hold_s else None,
        "distance_m": exercise.default_distance_m,
        "per_side": exercise.per_side,
        "frequency_per_week": exercise.frequency_per_week,
        "load_note": exercise.load_note[:300],
    }


def _baseline_outcome(programme: Programme, patient_id: int) -> None:
    """The submitted intake's LEFS, PSFS and worst pain become the programme's baseline (source: patient)."""
    response = (
        IntakeResponse.objects.filter(patient_id=patient_id, submitted_at__isnull=False)
        .order_by("-submitted_at")
        .first()
    )
    if response is None or response.submitted_at is None:
        return
    lefs_items = list(response.lefs_items or [])
    psfs = [dict(item) for item in (response.psfs_activities or []) if item.get("rating") is not None]
    try:
        lefs = score_lefs(lefs_items) if lefs_items else None
    except ValueError:
        lefs, lefs_items = None, []
    try:
        psfs_score = score_psfs([item["rating"] for item in psfs]) if psfs else None
    except ValueError:
        psfs_score, psfs = None, []
    hoos_items = dict(response.hoos_items or {})
    hoos_answered = any(v is not None for values in hoos_items.values() for v in values)
    if lefs is None and psfs_score is None and response.nprs_worst_7d is None and not hoos_answered:
        return
    ProgrammeOutcome.objects.create(
        # HOOS at baseline, as the intake scored it (domain.md §7.1: baseline and discharge).
        hoos_items=hoos_items if hoos_answered else {},
        **({f"hoos_{k}": v for k, v in response.hoos_scores.items()} if hoos_answered else {}),
        programme=programme,
        timepoint=OutcomeTimepoint.BASELINE,
        source=OutcomeSource.PATIENT,
        lefs_items=lefs_items,
        lefs_score=lefs,
        psfs=psfs,
        psfs_score=psfs_score,
        nprs_worst=response.nprs_worst_7d,
        recorded_at=response.submitted_at,
    )


def _check_plan(values: dict[str, Any]) -> None:
    weeks = values.get("planned_weeks")
    if weeks is not None and not PLANNED_WEEKS_MIN <= int(weeks) <= PLANNED_WEEKS_MAX:
        raise ProgrammeError(
            {"planned_weeks": f"A programme lasts {PLANNED_WEEKS_MIN} to {PLANNED_WEEKS_MAX} weeks."}
        )


@transaction.atomic
def programme_start(*, assessment: Assessment, by: User, values: dict[str, object]) -> Programme:
    """Start a programme from a signed assessment.

    Side effects: the Programme (therapist = by), its four treatment phases
    with starting exercises from the catalogue (contraindicated ones left
    out), the baseline outcome copied from the submitted intake, a
    "Programme started" revision, and the reminders (home exercise, weekly
    check-in, re-assessment due, outcome due) queued in the outbox.
    Refused for a draft assessment or when the patient already has an
    active programme.
    """
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("patient")
        .prefetch_related("impressions")
        .get(pk=assessment.pk)
    )
    if assessment.status != AssessmentStatus.SIGNED:
        raise ProgrammeError("A programme starts from a signed assessment: sign it first.", code="unsigned")
    if Programme.objects.filter(patient_id=assessment.patient_id, status=ProgrammeStatus.ACTIVE).exists():
        raise ProgrammeError("This patient already has an active programme.", code="active")
    _check_plan(values)
    impressions = list(assessment.impressions.all())
    programme = Programme(
        patient=assessment.patient,
        assessment=assessment,
        therapist=by,
        bone_stress=has_bone_stress(assessment=assessment),
    )
    _apply(programme, values, PLAN_FIELDS)
    mid, end = default_reassessment_dates(programme.start_date, programme.planned_weeks)
    if "reassess_mid_on" not in values:
        programme.reassess_mid_on = mid
    if "reassess_end_on" not in values:
        programme.reassess_end_on = end
    if "runs_per_week" not in values:
        programme.runs_per_week = max_runs_per_week(bone_stress=programme.bone_stress)
    programme.full_clean(validate_constraints=False)
    save_checked(programme)

    codes = {i.code for i in impressions}
    catalogue = {e.code: e for e in Exercise.objects.filter(is_active=True)}
    for plan in default_phases(programme.planned_weeks, bone_stress=programme.bone_stress):
        phase = ProgrammePhase.objects.create(
            programme=programme,
            kind=plan.kind,
            start_week=plan.start_week,
            end_week=plan.end_week,
            notes=plan.notes,
        )
        chosen = [catalogue[c] for c in plan.codes if c in catalogue]
        # Impact work is left out with suspected bone stress, whatever made it suspected.
        allowed = [
            e
            for e in chosen
            if not contraindication_warnings(e, codes)
            and not (programme.bone_stress and bone_stress_contraindicated(e))
        ]
        for order, exercise in enumerate(allowed):
            PrescribedExercise.objects.create(
                phase=phase, exercise=exercise, order=order, **_prescription(exercise)
            )
    _baseline_outcome(programme, assessment.patient_id)
    revision_add(
        programme=programme,
        action=RevisionAction.CREATED,
        by=by,
        summary=f"{programme.planned_weeks}-week programme started on {format_date(programme.start_date, 'day')}.",
    )
    programme_reminders_sync(programme=programme)
    return programme


def lock(programme: Programme, *, expected_version: int | None = None, active: bool = True) -> Programme:
    """The programme row locked for a change (refused when discharged or changed elsewhere)."""
    locked = (
        Programme.objects.select_for_update(of=("self",))
        .select_related("patient", "therapist", "assessment")
        .get(pk=programme.pk)
    )
    if active and locked.status != ProgrammeStatus.ACTIVE:
        raise ProgrammeError(
            "This programme is closed (discharged): it can no longer be changed.", code="closed"
        )
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersionError(current_version=locked.version, updated_at=locked.updated_at)
    return locked


def _bump(programme: Programme) -> None:
    programme.version += 1
    programme.full_clean(validate_constraints=False)
    save_checked(programme)


@transaction.atomic
def programme_update(
    *, programme: Programme, by: User, expected_version: int, values: dict[str, object]
) -> Programme:
    """Change the plan (dates, length, goals, targets, reminder days and times).

    Side effects: one revision listing each change; phases clipped to a
    shorter programme; reminders moved, added or cancelled to match.
    StaleVersionError when someone else changed the plan since it was loaded.
    """
    locked = lock(programme, expected_version=expected_version)
    _check_plan(values)
    old_start, old_weeks = locked.start_date, locked.planned_weeks
    old_mid, old_end = locked.reassess_mid_on, locked.reassess_end_on
    changes = _apply(locked, values, PLAN_FIELDS)
    if not changes:
        return locked
    if (locked.start_date, locked.planned_weeks) != (old_start, old_weeks):
        mid, end = default_reassessment_dates(locked.start_date, locked.planned_weeks)
        # Planned re-assessments follow the new dates unless the therapist changed them too.
        if locked.reassess_mid_on == old_mid:
            changes += _apply(locked, {"reassess_mid_on": mid}, PLAN_FIELDS)
        if locked.reassess_end_on == old_end:
            changes += _apply(locked, {"reassess_end_on": end}, PLAN_FIELDS)
    _bump(locked)
    for phase in locked.phases.exclude(kind=PhaseKind.MAINTENANCE):
        if phase.start_week is None or phase.end_week is None:
            continue  # only the maintenance phase has no weeks (a check constraint)
        end_week = min(phase.end_week, locked.planned_weeks)
        start_week = min(phase.start_week, end_week)
        if (start_week, end_week) != (phase.start_week, phase.end_week):
            phase.start_week, phase.end_week = start_week, end_week
            phase.save(update_fields=["start_week", "end_week"])
    revision_add(
        programme=locked,
        action=RevisionAction.UPDATED,
        by=by,
        summary="; ".join(f"{c['label']}: {c['new']}" for c in changes),
        changes=changes,
    )
    programme_reminders_sync(programme=locked)
    return locked


@dataclass
class ExerciseLine:
    """One exercise of a phase as the therapist set it (dose fields as in PrescribedExercise)."""

    exercise: Exercise
    dose: dict[str, object]
    # Needed for an impact exercise while bone stress is suspected (bone_stress_contraindicated).
    contraindication_reason: str = ""


def _line_text(exercise: Exercise, dose: dict[str, object]) -> str:
    item = PrescribedExercise(
        exercise=exercise, **{name: dose.get(name) for name in DOSE_FIELDS if name in dose}
    )
    return f"{exercise.name} {item.dose_text}, {item.frequency_per_week}×/week"


@transaction.atomic
def phase_save(
    *,
    phase: ProgrammePhase,
    by: User,
    expected_version: int,
    values: dict[str, object],
    lines: list[ExerciseLine],
) -> ProgrammePhase:
    """Set a phase's weeks, notes and its full list of exercises with doses (in order).

    Doses are validated (sets 1–10, reps 1–50, hold 5–300 s, 1–7 times a
    week, one amount at most). Contraindications are warnings only, except
    that while bone stress is suspected an impact exercise needs a
    `contraindication_reason` (stored on the prescription). Side effects:
    one revision naming each exercise added, removed or re-dosed; the
    programme's version goes up.
    """
    programme = lock(phase.programme, expected_version=expected_version)
    if has_bone_stress(programme=programme):
        unexplained = [
            line.exercise.name
            for line in lines
            if bone_stress_contraindicated(line.exercise) and not line.contraindication_reason.strip()
        ]
        if unexplained:
            raise ProgrammeError(
                f"Bone stress is suspected: give the reason for prescribing {', '.join(unexplained)}."
            )
    phase = ProgrammePhase.objects.select_for_update().get(pk=phase.pk)
    changes = _apply(phase, values, ("start_week", "end_week", "notes"))
    if phase.kind != PhaseKind.MAINTENANCE and phase.end_week and phase.end_week > programme.planned_weeks:
        raise ProgrammeError({"end_week": f"The programme has {programme.planned_weeks} weeks."})
    phase.full_clean(exclude=["programme"], validate_constraints=False)
    save_checked(phase)
    seen: set[int] = set()
    for line in lines:
        if line.exercise.pk in seen:
            raise ProgrammeError(f"{line.exercise.name} is listed twice.")
        seen.add(line.exercise.pk)
    current = {item.exercise_id: item for item in phase.exercises.select_related("exercise")}
    for item in current.values():
        if item.exercise_id not in seen:
            changes.append({"label": "Removed", "old": _line_text(item.exercise, _dose_of(item)), "new": "—"})
            item.delete()
    for order, line in enumerate(lines):
        item = current.get(line.exercise.pk) or PrescribedExercise(phase=phase, exercise=line.exercise)
        before = _dose_of(item) if item.pk else None
        for name in DOSE_FIELDS:
            default = cast(models.Field, PrescribedExercise._meta.get_field(name)).get_default()
            setattr(item, name, line.dose.get(name, default))
        reason_before = item.contraindication_reason
        item.contraindication_reason = line.contraindication_reason.strip()[:300]
        item.order = order
        try:
            item.full_clean(exclude=["phase", "exercise"], validate_constraints=False)
        except ValidationError as exc:
            raise ProgrammeError(
                {f"{line.exercise.name}: {k}": v for k, v in exc.message_dict.items()}
            ) from exc
        save_checked(item)
        after = _dose_of(item)
        if before is None:
            changes.append({"label": "Added", "old": "—", "new": _line_text(line.exercise, after)})
        elif before != after:
            changes.append(
                {
                    "label": "Dose",
                    "old": _line_text(line.exercise, before),
                    "new": _line_text(line.exercise, after),
                }
            )
        if item.contraindication_reason != (reason_before if before is not None else ""):
            changes.append(
                {
                    "label": f"{line.exercise.name}: reason despite bone stress",
                    "old": (reason_before if before is not None else "") or "—",
                    "new": item.contraindication_reason or "—",
                }
            )
    if changes:
        _bump(programme)
        revision_add(
            programme=programme,
            action=RevisionAction.PHASE_CHANGED,
            by=by,
            summary=f"{phase.get_kind_display()}: {len(changes)} change{'s' if len(changes) > 1 else ''}.",
            changes=changes,
        )
    return phase


def _dose_of(item: PrescribedExercise) -> dict[str, object]:
    return {name: getattr(item, name) for name in DOSE_FIELDS}


@transaction.atomic
def phase_move(
    *, programme: Programme, by: User, kind: str, note: str = "", expected_version: int | None = None
) -> Programme:
    """Move the patient to another treatment phase (§8.2: the clinician decides, never automatic).

    Refused with StaleVersionError when the programme changed since `expected_version`.
    """
    locked = lock(programme, expected_version=expected_version)
    if kind not in TREATMENT_PHASES:
        raise ProgrammeError("Choose one of the treatment phases.")
    if not locked.phases.filter(kind=kind).exists():
        raise ProgrammeError("The programme has no such phase.")
    if locked.current_phase == kind:
        return locked
    changes = _apply(locked, {"current_phase": kind}, ("current_phase",))
    _bump(locked)
    summary = f"Moved to {PhaseKind(kind).label.lower()}." + (f" {note.strip()}" if note.strip() else "")
    revision_add(programme=locked, action=RevisionAction.PHASE_MOVED, by=by, summary=summary, changes=changes)
    return locked


@transaction.atomic
def visit_note_add(
    *,
    programme: Programme,
    by: User,
    visit_date: date,
    done: str,
    response: str = "",
    plan_changes: str = "",
    appointment: Appointment | None = None,
) -> VisitNote:
    """Record a follow-up visit: what was done, the patient's response and any plan changes (append-only)."""
    if appointment is not None and appointment.patient_id != programme.patient_id:
        raise ProgrammeError("That visit belongs to another patient.")
    note = VisitNote(
        programme=programme,
        author=by,
        appointment=appointment,
        visit_date=visit_date,
        done=done.strip(),
        response=response.strip(),
        plan_changes=plan_changes.strip(),
    )
    note.full_clean(exclude=["programme", "author", "appointment"], validate_constraints=False)
    save_checked(note)
    return note
