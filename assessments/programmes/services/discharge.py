"""Outcomes at week 4 and the end, the discharge review (goals, MCIDs, §8.6 criteria), and discharge.

The review is computed, never typed: goals against the check-ins, the ladder
and the latest assessment's LSI; LEFS, PSFS and NPRS changes against their
MCIDs with patients.outcomes.scoring; the §8.6 criteria with assessments.programmes.rules. At
discharge the review is frozen on the programme, the maintenance plan is
set, the reminders stop and the patient's link shows the maintenance plan.
"""

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.messages import AssessmentMessageKind
from assessments.models import (
    Assessment,
    CheckIn,
    Exercise,
    PrescribedExercise,
    Programme,
    ProgrammeAlert,
    ProgrammeOutcome,
    ProgrammePhase,
)
from assessments.programmes.choices import (
    CheckInStatus,
    DischargeReason,
    OutcomeSource,
    OutcomeTimepoint,
    PhaseKind,
    ProgrammeStatus,
    RevisionAction,
)
from assessments.programmes.rules import RUN_LADDER, discharge_criteria
from assessments.programmes.services.plan import ProgrammeError, lock
from assessments.programmes.services.reminders import programme_reminders_sync
from assessments.programmes.services.revisions import revision_add
from assessments.record.choices import AssessmentStatus, Side
from assessments.record.selectors import hop_lsi, strength_lsi
from clinic.dates import format_date
from clinic.messaging.services import About, message_cancel, schedule_message
from clinic.messaging.timing import quiet_hours_adjust
from clinic.staff.models import User
from patients.models import RedFlag
from patients.outcomes.scoring import (
    HOOS_SUBSCALES,
    lefs_change,
    nprs_change,
    psfs_change,
    score_hoos,
    score_lefs,
    score_psfs,
)

# The first stage of 30 minutes' continuous running on the ladder.
CONTINUOUS_STAGE = next(i for i, s in enumerate(RUN_LADDER, start=1) if s.continuous_min)
MAINTENANCE_FREQUENCY = 2  # §8.3: strength work twice a week, carried on after discharge

_LEFS_WORDS = {
    "clinically_important_improvement": "clinically important improvement",
    "clinically_important_worsening": "clinically important worsening",
    "no_important_change": "no clinically important change",
}
_NPRS_WORDS = {"much_better": "much better", "minimal": "minimally better", "no_change_or_worse": "no better"}


# --- Outcomes ---------------------------------------------------------------------------------


@transaction.atomic
def outcome_record(
    *,
    programme: Programme,
    timepoint: str,
    lefs_items: list[int],
    psfs_ratings: list[int],
    nprs_worst: int | None,
    source: str,
    by: User | None,
    hoos_items: dict[str, list[int | None]] | None = None,
    expected_version: int | None = None,
) -> ProgrammeOutcome:
    """Record week-4 or end outcome answers (scores computed); PSFS re-rates the baseline's activities.

    HOOS (`hoos_items`, answers by subscale, None for a skipped item) is
    optional: its subscales are scored when given (domain.md §7.5).

    A patient answers once; a clinician may record or correct it. Cancels the
    pending "questionnaire due" email of that time point and bumps the
    programme's version, so a clinician's form opened before the patient (or
    a colleague) answered is refused with StaleVersionError (`expected_version`)
    instead of replacing those answers unseen.
    """
    if timepoint not in (OutcomeTimepoint.WEEK_4, OutcomeTimepoint.END):
        raise ProgrammeError("Record outcomes for week 4 or the end of the programme.")
    programme = lock(programme, expected_version=expected_version)
    existing = ProgrammeOutcome.objects.filter(programme=programme, timepoint=timepoint).first()
    if existing is not None and source == OutcomeSource.PATIENT:
        raise ProgrammeError("These answers have already been sent.")
    baseline = ProgrammeOutcome.objects.filter(
        programme=programme, timepoint=OutcomeTimepoint.BASELINE
    ).first()
    activities = baseline.psfs if baseline else []
    try:
        lefs = score_lefs(lefs_items) if lefs_items else None
        psfs = []
        if psfs_ratings:
            if len(psfs_ratings) != len(activities):
                raise ValueError("Rate each of the activities named at the start.")
            psfs = [{**item, "rating": rating} for item, rating in zip(activities, psfs_ratings, strict=True)]
        psfs_score = score_psfs([item["rating"] for item in psfs]) if psfs else None
        hoos = _hoos_values(hoos_items)
    except ValueError as exc:
        raise ProgrammeError(str(exc)) from exc
    values = {
        **hoos,
        "source": source,
        "lefs_items": list(lefs_items),
        "lefs_score": lefs,
        "psfs": psfs,
        "psfs_score": psfs_score,
        "nprs_worst": nprs_worst,
        "recorded_at": timezone.now(),
        "recorded_by": by,
    }
    outcome, _ = ProgrammeOutcome.objects.update_or_create(
        programme=programme, timepoint=timepoint, defaults=values
    )
    outcome.full_clean(validate_constraints=False)
    programme.version += 1
    programme.save(update_fields=["version", "updated_at"])
    message_cancel(key=f"programme:{programme.pk}:outcome_due:{timepoint}")
    return outcome


def _hoos_values(items: dict[str, list[int | None]] | None) -> dict[str, object]:
    """The outcome's HOOS columns: the answers and the five subscale scores (nothing when none answered)."""
    if items is None or not any(v is not None for values in items.values() for v in values):
        return {"hoos_items": {}, **{f"hoos_{name}": None for name in HOOS_SUBSCALES}}
    scores = score_hoos(items)
    return {"hoos_items": items, **{f"hoos_{name}": score for name, score in scores.items()}}


# --- The discharge review ------------------------------------------------------------------------


def open_red_flags(programme: Programme) -> int:
    """The patient's open red flags, whatever raised them (intake, check-in, examination, clinician)."""
    return RedFlag.objects.filter(patient_id=programme.patient_id, cleared_at__isnull=True).count()


@dataclass
class Check:
    label: str
    value: str
    met: bool | None


@dataclass
class Change:
    measure: str
    baseline: str
    latest: str
    change: str
    verdict: str
    important: bool | None


@dataclass
class DischargeReview:
    goals: list[Check] = field(default_factory=list)
    outcomes: list[Change] = field(default_factory=list)
    criteria: list[Check] = field(default_factory=list)
    reassessment_id: int | None = None

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def _latest_reassessment(programme: Programme) -> Assessment | None:
    return (
        Assessment.objects.filter(
            patient_id=programme.patient_id,
            status=AssessmentStatus.SIGNED,
            created_at__gte=programme.assessment.created_at,
        )
        .prefetch_related("strength_tests", "special_tests", "single_leg_squats")
        .order_by("-signed_at", "-pk")
        .first()
    )


def _n(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


_HOOS_LABELS = {
    "pain": "HOOS pain",
    "symptoms": "HOOS symptoms",
    "adl": "HOOS daily living",
    "sport": "HOOS sport and recreation",
    "qol": "HOOS quality of life",
}


def _hoos_changes(baseline: ProgrammeOutcome | None, end: ProgrammeOutcome | None) -> list[Change]:
    """Each HOOS subscale at baseline and at the end (0–100, 100 = no problems; no change threshold)."""
    changes = []
    for name, label in _HOOS_LABELS.items():
        before = getattr(baseline, f"hoos_{name}") if baseline else None
        after = getattr(end, f"hoos_{name}") if end else None
        if before is None and after is None:
            continue
        if before is not None and after is not None:
            diff = after - before
            change = f"{'+' if diff > 0 else ''}{_n(diff)}"
            verdict = "better" if diff > 0 else ("worse" if diff < 0 else "no change")
        else:
            change, verdict = "–", "not measured twice"
        changes.append(Change(f"{label} (0–100)", _n(before), _n(after), change, verdict, None))
    return changes


def _outcome_changes(outcomes: dict[str, ProgrammeOutcome], sent: list[CheckIn]) -> list[Change]:
    baseline = outcomes.get(OutcomeTimepoint.BASELINE)
    latest = outcomes.get(OutcomeTimepoint.END) or outcomes.get(OutcomeTimepoint.WEEK_4)
    changes = []
    if baseline and latest and baseline.lefs_items and latest.lefs_items:
        lefs = lefs_change(baseline.lefs_items, latest.lefs_items)
        changes.append(
            Change(
                "LEFS (0–80)",
                _n(baseline.lefs_score),
                _n(latest.lefs_score),
                f"{lefs.change:+d}",
                f"{_LEFS_WORDS[lefs.classification]} (MCID 9)",
                lefs.classification == "clinically_important_improvement",
            )
        )
    else:
        changes.append(
            Change(
                "LEFS (0–80)",
                _n(baseline and baseline.lefs_score),
                _n(latest and latest.lefs_score),
                "–",
                "not measured twice",
                None,
            )
        )
    before = [item["rating"] for item in (baseline.psfs if baseline else [])]
    after = [item["rating"] for item in (latest.psfs if latest else [])]
    # Ratings on both sides mean both outcomes exist.
    if baseline and latest and before and after and len(before) == len(after):
        psfs = psfs_change(before, after)
        changes.append(
            Change(
                "PSFS (mean 0–10)",
                _n(baseline.psfs_score),
                _n(latest.psfs_score),
                f"{psfs.mean_change:+}",
                "meaningful improvement (mean ≥ 2 or one activity ≥ 3)"
                if psfs.improved
                else "no meaningful change",
                psfs.improved,
            )
        )
    else:
        changes.append(
            Change(
                "PSFS (mean 0–10)",
                _n(baseline and baseline.psfs_score),
                _n(latest and latest.psfs_score),
                "–",
                "not measured twice",
                None,
            )
        )
    changes += _hoos_changes(baseline, outcomes.get(OutcomeTimepoint.END))
    first = baseline.nprs_worst if baseline and baseline.nprs_worst is not None else None
    if first is None and sent:
        first = sent[0].pain_worst
    last = latest.nprs_worst if latest and latest.nprs_worst is not None else None
    if last is None and sent:
        last = sent[-1].pain_worst
    if first is not None and last is not None:
        nprs = nprs_change(first, last)
        pct = f" ({nprs.percent:+} %)" if nprs.percent is not None else ""
        changes.append(
            Change(
                "Worst pain (NPRS 0–10)",
                str(first),
                str(last),
                f"{nprs.change:+d}{pct}",
                f"{_NPRS_WORDS[nprs.classification]} (MCID 2 points or 33 %)",
                nprs.classification == "much_better",
            )
        )
    return changes


def discharge_review(
    programme: Programme, *, psfs_goals_met: bool | None = None, maintenance_plan_issued: bool | None = None
) -> DischargeReview:
    """Goals met?, outcome changes against their MCIDs, and the §8.6 discharge criteria."""
    sent = list(
        CheckIn.objects.filter(programme=programme, status=CheckInStatus.SUBMITTED)
        .prefetch_related("runs")
        .order_by("week")
    )
    with_runs = [c for c in sent if c.runs.all()]
    last_run_week = with_runs[-1] if with_runs else None
    longest = max((r.minutes for c in with_runs for r in c.runs.all()), default=None)
    assessment = _latest_reassessment(programme)
    measured = [lsi for lsi in strength_lsi(assessment) if lsi.percent is not None] if assessment else []
    lsis = [lsi.percent for lsi in measured]
    # The pass mark is applied to the unrounded LSI (89.95 % fails).
    exact_lsis = [lsi.exact for lsi in measured if lsi.exact is not None]
    hop = hop_lsi(assessment) if assessment else None
    squat = None
    if assessment is not None and assessment.index_side in (Side.LEFT, Side.RIGHT):
        squat = next(
            (
                r.poor_count
                for r in assessment.single_leg_squats.all()
                if r.side == assessment.index_side and r.performed
            ),
            None,
        )
    outcomes = {o.timepoint: o for o in programme.outcomes.all()}
    review = DischargeReview(reassessment_id=assessment.pk if assessment else None)

    run_pain = last_run_week.run_pain_during if last_run_week else None
    target = programme.target_run_pain_max
    if target is not None:
        review.goals.append(
            Check(
                f"Pain on runs {target}/10 or less",
                f"{run_pain}/10 in week {last_run_week.week}"
                if last_run_week is not None and run_pain is not None
                else "no runs logged",
                None if run_pain is None else run_pain <= target,
            )
        )
    if programme.target_lsi_percent is not None:
        value = ", ".join(f"{_n(v)} %" for v in lsis) or "not measured"
        review.goals.append(
            Check(
                f"Strength LSI {programme.target_lsi_percent} % or more",
                value,
                None if not exact_lsis else min(exact_lsis) >= programme.target_lsi_percent,
            )
        )
    continuous = programme.run_stage >= CONTINUOUS_STAGE and longest is not None
    if programme.target_continuous_run_min is not None:
        minutes = programme.target_continuous_run_min
        review.goals.append(
            Check(
                f"Run {minutes} min continuous",
                f"longest run {longest} min, ladder stage {programme.run_stage}"
                if longest
                else "no runs logged",
                None if longest is None else continuous and longest >= minutes,
            )
        )
    if programme.race_date is not None:
        review.goals.append(
            Check(
                f"Race: {programme.race_name or 'goal race'}", format_date(programme.race_date, "day"), None
            )
        )
    review.outcomes = _outcome_changes(outcomes, sent)

    baseline, latest = outcomes.get(OutcomeTimepoint.BASELINE), outcomes.get(OutcomeTimepoint.END)
    lefs_latest = latest or outcomes.get(OutcomeTimepoint.WEEK_4)
    criteria = discharge_criteria(
        run_pain_max=run_pain,
        next_morning_pain=last_run_week.pain_next_morning if last_run_week else None,
        baseline_morning_pain=programme.baseline_morning_pain,
        continuous_30_min_done=(programme.run_stage >= CONTINUOUS_STAGE and (longest or 0) >= 30)
        if with_runs
        else None,
        strength_lsi=exact_lsis,
        hop_lsi=[hop.exact] if hop is not None and hop.exact is not None else [],
        sls_poor_count=squat,
        lefs_baseline=baseline.lefs_score if baseline else None,
        lefs_latest=lefs_latest.lefs_score if lefs_latest else None,
        open_red_flags=open_red_flags(programme),
        psfs_goals_met=psfs_goals_met,
        maintenance_plan_issued=maintenance_plan_issued,
    )
    review.criteria = [Check(c.label, "", c.met) for c in criteria]
    return review


# --- Discharge ---------------------------------------------------------------------------------


@transaction.atomic
def programme_discharge(
    *,
    programme: Programme,
    by: User,
    reason: str,
    notes: str,
    home_plan: str,
    maintenance: list[Exercise],
    psfs_goals_met: bool | None = None,
) -> Programme:
    """Close the programme with its measured result.

    Side effects: the discharge review frozen on the programme; a maintenance
    phase (the chosen exercises, twice a week); status discharged with who,
    when and why; every pending reminder cancelled; an email with a link to
    the maintenance plan; a revision. Refused while alerts or red flags
    (from any source) are open.
    """
    programme = lock(programme)
    if reason not in DischargeReason.values:
        raise ValidationError({"reason": "Choose why the programme ends."})
    if ProgrammeAlert.objects.filter(programme=programme, resolved_at__isnull=True).exists():
        raise ProgrammeError("Resolve the open alerts before discharging.")
    open_flags = open_red_flags(programme)
    if open_flags:
        raise ProgrammeError(
            f"Clear the patient's {open_flags} open red flag{'s' if open_flags > 1 else ''} "
            "(from any source) on the patient page before discharging."
        )
    phase, _ = ProgrammePhase.objects.get_or_create(programme=programme, kind=PhaseKind.MAINTENANCE)
    phase.exercises.all().delete()
    doses = {
        item.exercise_id: item
        for item in PrescribedExercise.objects.filter(phase__programme=programme)
        .exclude(phase=phase)
        .order_by("pk")
    }
    for order, exercise in enumerate(maintenance):
        source = doses.get(exercise.pk)
        PrescribedExercise.objects.create(
            phase=phase,
            exercise=exercise,
            order=order,
            sets=source.sets if source else exercise.default_sets,
            reps=source.reps if source else exercise.default_reps,
            hold_s=source.hold_s
            if source
            else (max(exercise.default_hold_s, 5) if exercise.default_hold_s else None),
            distance_m=source.distance_m if source else exercise.default_distance_m,
            per_side=source.per_side if source else exercise.per_side,
            load_note=(source.load_note if source else exercise.load_note)[:300],
            frequency_per_week=MAINTENANCE_FREQUENCY,
        )
    review = discharge_review(
        programme, psfs_goals_met=psfs_goals_met, maintenance_plan_issued=bool(maintenance)
    )
    programme.discharge_summary = review.as_json()
    programme.status = ProgrammeStatus.DISCHARGED
    programme.discharged_at = timezone.now()
    programme.discharged_by = by
    programme.discharge_reason = reason
    programme.discharge_notes = notes.strip()
    programme.home_plan = home_plan.strip()
    programme.version += 1
    programme.full_clean(validate_constraints=False)
    programme.save()
    programme_reminders_sync(programme=programme)
    if programme.patient.email and (maintenance or programme.home_plan):
        # Not needed at once: a discharge written up during quiet hours sends it at their end.
        schedule_message(
            kind=AssessmentMessageKind.PROGRAMME_MAINTENANCE,
            to=programme.patient.email,
            due_at=quiet_hours_adjust(
                timezone.now(), zone=programme.time_zone, quiet=settings.MESSAGE_QUIET_HOURS
            ),
            key=f"programme:{programme.pk}:maintenance",
            about=About.of(programme),
            patient_id=programme.patient_id,
            time_zone=programme.time_zone,
        )
    revision_add(
        programme=programme,
        action=RevisionAction.DISCHARGED,
        by=by,
        summary=f"Discharged: {DischargeReason(reason).label.lower()}; maintenance plan of {len(maintenance)} exercises.",
    )
    return programme
