"""The return-to-run ladder (domain.md §8.4, issue 7 point 3): readiness, gated steps, overrides, alerts.

The gate is assessments.programmes.rules.ladder_decision over the sent check-ins since
the last ladder move. After each check-in the rules act: advance, hold
(recorded with its reasons) or stop. With a bone stress diagnosis any
running pain stops progression and alerts the therapist. The therapist can
override (any stage, or resume after a stop) with a recorded reason.
"""

from datetime import datetime
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.messages import AssessmentMessageKind
from assessments.models import CheckIn, LadderStep, Programme, ProgrammeAlert, ReadinessCheck
from assessments.programmes.choices import (
    CHECKIN_SAFETY_QUESTIONS,
    LADDER_MOVES,
    AlertKind,
    CheckInStatus,
    LadderAction,
    RevisionAction,
)
from assessments.programmes.rules import (
    READINESS_CODES,
    RUN_LADDER,
    RUN_PAIN_ACCEPTABLE_MAX,
    LadderDecision,
    ReadinessResult,
    ladder_decision,
    ladder_stage,
    readiness_failures,
)
from assessments.programmes.selectors import as_week_checkin
from assessments.programmes.services.plan import ProgrammeError, lock
from assessments.programmes.services.revisions import revision_add
from assessments.record.selectors import has_bone_stress
from clinic.messaging.services import About, schedule_message
from clinic.staff.models import User


def last_move(programme: Programme) -> LadderStep | None:
    return (
        LadderStep.objects.filter(programme=programme, action__in=LADDER_MOVES).order_by("-at", "-pk").first()
    )


def latest_readiness(programme: Programme) -> ReadinessCheck | None:
    return ReadinessCheck.objects.filter(programme=programme).order_by("-recorded_at", "-pk").first()


def checkins_since_move(programme: Programme) -> list[CheckIn]:
    move = last_move(programme)
    after = move.after_week if move else 0
    return list(
        CheckIn.objects.filter(programme=programme, status=CheckInStatus.SUBMITTED, week__gt=after)
        .prefetch_related("runs")
        .order_by("week")
    )


def _latest_week(programme: Programme) -> int:
    return (
        CheckIn.objects.filter(programme=programme, status=CheckInStatus.SUBMITTED)
        .order_by("-week")
        .values_list("week", flat=True)
        .first()
        or 0
    )


def ladder_preview(programme: Programme) -> LadderDecision:
    """What the rules say now (for the therapist's page); changes nothing."""
    readiness = latest_readiness(programme)
    return ladder_decision(
        current_stage=programme.run_stage,
        checkins_since_step=[as_week_checkin(c, programme) for c in checkins_since_move(programme)],
        runs_per_week=programme.runs_per_week,
        bone_stress=has_bone_stress(programme=programme),
        readiness_passed=bool(readiness and readiness.passed),
    )


def _step(
    programme: Programme,
    *,
    action: str,
    to_stage: int,
    reasons: tuple[str, ...] | list[str],
    by: User | None,
    override_reason: str = "",
) -> LadderStep:
    return LadderStep.objects.create(
        programme=programme,
        action=action,
        from_stage=programme.run_stage,
        to_stage=to_stage,
        after_week=_latest_week(programme),
        reasons=list(reasons),
        override_reason=override_reason,
        by=by,
        at=timezone.now(),
    )


def _stage_name(stage: int) -> str:
    return "not running yet" if stage == 0 else f"stage {stage}, {ladder_stage(stage).label}"


@transaction.atomic
def readiness_record(
    *, programme: Programme, by: User, results: dict[str, tuple[bool, int]], notes: str = ""
) -> tuple[ReadinessCheck, LadderStep | None]:
    """Record the readiness-to-run checklist (§8.4): who, when, each test done and its pain.

    When every test was done with pain ≤ 2/10 and the patient has not started
    running, the ladder starts at stage 1 (a "start" step). Returns the check
    and the step, if any.
    """
    programme = lock(programme)
    parsed = {code: ReadinessResult(done, pain) for code, (done, pain) in results.items()}
    if set(parsed) != set(READINESS_CODES):
        raise ProgrammeError("Record every test of the readiness checklist.")
    failures = readiness_failures(parsed)
    check = ReadinessCheck.objects.create(
        programme=programme,
        recorded_by=by,
        recorded_at=timezone.now(),
        results={code: {"done": r.done, "pain": r.pain} for code, r in parsed.items()},
        passed=not failures,
        notes=notes.strip()[:500],
    )
    summary = (
        "Readiness checklist passed."
        if not failures
        else f"Readiness checklist not passed ({len(failures)} tests)."
    )
    step = None
    if not failures and programme.run_stage == 0 and not programme.running_stopped:
        decision = ladder_decision(
            current_stage=0,
            checkins_since_step=[],
            runs_per_week=programme.runs_per_week,
            bone_stress=has_bone_stress(programme=programme),
            readiness_passed=True,
        )
        step = _step(programme, action=LadderAction.START, to_stage=1, reasons=decision.reasons, by=by)
        programme.run_stage = 1
        programme.version += 1
        programme.save(update_fields=["run_stage", "version", "updated_at"])
        summary += f" Running starts at {_stage_name(1)}."
    revision_add(programme=programme, action=RevisionAction.READINESS, by=by, summary=summary)
    return check, step


@transaction.atomic
def ladder_override(*, programme: Programme, by: User, to_stage: int, reason: str) -> LadderStep:
    """Put the patient on any stage (0 = not running), or resume after a stop, with a recorded reason.

    The step keeps what the rules said at the time beside the therapist's reason.
    """
    programme = lock(programme)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for overriding the ladder."})
    if not 0 <= to_stage <= len(RUN_LADDER):
        raise ValidationError({"to_stage": "No such stage."})
    rules_said = ladder_preview(programme)
    step = _step(
        programme,
        action=LadderAction.OVERRIDE,
        to_stage=to_stage,
        by=by,
        override_reason=reason,
        reasons=[f"The rules said: {rules_said.action}.", *rules_said.reasons],
    )
    before = _stage_name(programme.run_stage) + (" (stopped)" if programme.running_stopped else "")
    programme.run_stage = to_stage
    programme.running_stopped = False
    programme.version += 1
    programme.save(update_fields=["run_stage", "running_stopped", "version", "updated_at"])
    revision_add(
        programme=programme,
        action=RevisionAction.LADDER,
        by=by,
        summary=f"Ladder override to {_stage_name(to_stage)}: {reason}",
        changes=[{"label": "Return-to-run stage", "old": before, "new": _stage_name(to_stage)}],
    )
    return step


def alert_raise(*, programme: Programme, checkin: CheckIn | None, kind: str, detail: str) -> ProgrammeAlert:
    """An alert on the therapist's dashboard, and an email saying only that a check-in needs review."""
    alert, created = ProgrammeAlert.objects.get_or_create(
        programme=programme,
        checkin=checkin,
        kind=kind,
        defaults={"detail": detail[:2000], "created_at": timezone.now()},
    )
    if created and programme.therapist.email:
        schedule_message(
            kind=AssessmentMessageKind.PROGRAMME_ALERT,
            to=programme.therapist.email,
            due_at=timezone.now(),
            key=f"programme:{programme.pk}:alert:{alert.pk}",
            about=About.of(programme),
            patient_id=programme.patient_id,
        )
    return alert


@transaction.atomic
def alert_resolve(*, alert: ProgrammeAlert, by: User, resolution: str) -> ProgrammeAlert:
    alert = ProgrammeAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.resolved_at is not None:
        return alert
    if not resolution.strip():
        raise ValidationError({"resolution": "Say what was done (e.g. called the patient, running stopped)."})
    alert.resolved_at = timezone.now()
    alert.resolved_by = by
    alert.resolution = resolution.strip()[:2000]
    alert.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return alert


def _checkin_alerts(
    programme: Programme, checkin: CheckIn, decision: LadderDecision | None
) -> list[ProgrammeAlert]:
    alerts = []
    run_pain = checkin.run_pain_during if checkin.runs.all() or checkin.run_pain_during else None
    week = f"Week {checkin.week} check-in"
    if has_bone_stress(programme=programme) and (
        run_pain or (decision is not None and decision.action == "stop")
    ):
        # Without running pain we are here because the decision was to stop.
        detail = (
            f"{week}: pain during running {run_pain or 0}/10 with a bone stress injury; running must be pain-free."
            if run_pain or decision is None
            else f"{week}: " + " ".join(decision.reasons)
        )
        alerts.append(
            alert_raise(
                programme=programme, checkin=checkin, kind=AlertKind.BONE_STRESS_RUN_PAIN, detail=detail
            )
        )
    elif run_pain is not None and run_pain > RUN_PAIN_ACCEPTABLE_MAX:
        alerts.append(
            alert_raise(
                programme=programme,
                checkin=checkin,
                kind=AlertKind.RUN_PAIN_HIGH,
                detail=f"{week}: pain during running {run_pain}/10, above the acceptable {RUN_PAIN_ACCEPTABLE_MAX}/10.",
            )
        )
    if checkin.red_flag_answers:
        labels = dict(CHECKIN_SAFETY_QUESTIONS)
        alerts.append(
            alert_raise(
                programme=programme,
                checkin=checkin,
                kind=AlertKind.RED_FLAG,
                detail=f"{week}: " + "; ".join(labels[name] for name in checkin.red_flag_answers) + ".",
            )
        )
    return alerts


def ladder_after_checkin(
    *, programme: Programme, checkin: CheckIn, now: datetime | None = None
) -> tuple[LadderDecision | None, list[ProgrammeAlert]]:
    """The rules act on a sent check-in (inside the check-in's transaction; programme row locked).

    On the ladder (stage ≥ 1, not stopped): advance, hold or stop, each a
    LadderStep with its reasons (by = None: the rules). Alerts: running pain
    with bone stress, running pain above 5/10, red-flag answers.
    """
    decision = None
    if programme.run_stage >= 1 and not programme.running_stopped:
        decision = ladder_preview(programme)
        if decision.action == "advance":
            # An advance always names the stage it moves to.
            next_stage = cast(int, decision.next_stage)
            _step(
                programme,
                action=LadderAction.ADVANCE,
                to_stage=next_stage,
                reasons=decision.reasons,
                by=None,
            )
            before = _stage_name(programme.run_stage)
            programme.run_stage = next_stage
            revision_add(
                programme=programme,
                action=RevisionAction.LADDER,
                by=None,
                summary=f"The week {checkin.week} check-in met the rules: moved up to {_stage_name(next_stage)}.",
                changes=[{"label": "Return-to-run stage", "old": before, "new": _stage_name(next_stage)}],
            )
        elif decision.action == "stop":
            _step(
                programme,
                action=LadderAction.STOP,
                to_stage=programme.run_stage,
                reasons=decision.reasons,
                by=None,
            )
            programme.running_stopped = True
            revision_add(
                programme=programme,
                action=RevisionAction.LADDER,
                by=None,
                summary=f"Running stopped after the week {checkin.week} check-in: therapist to review.",
            )
        else:
            _step(
                programme,
                action=LadderAction.HOLD,
                to_stage=programme.run_stage,
                reasons=decision.reasons,
                by=None,
            )
        programme.save(update_fields=["run_stage", "running_stopped", "updated_at"])
    alerts = _checkin_alerts(programme, checkin, decision)
    return decision, alerts
