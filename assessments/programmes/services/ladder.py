"""The return-to-run ladder (domain.md §8.2–8.4): readiness, the zero-impact gate, decisions, overrides, alerts.

Every decision of the rules (assessments.programmes.rules.ladder_decision)
is a LadderStep: advance, hold, step down or stop, each with its reasons and
the check-in weeks it read; the next decision reads only the check-ins sent
since. With suspected bone stress the zero-impact gate (rules.impact: 6–8
weeks without impact and a clinician's clearance) must be open before any
running; any running pain stops it and alerts the therapist. The therapist
can override (any stage, resume after a stop, or the gate) with a recorded
reason.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from assessments.messages import AssessmentMessageKind
from assessments.models import CheckIn, LadderStep, Programme, ProgrammeAlert, ReadinessCheck
from assessments.programmes.choices import (
    CHECKIN_SAFETY_QUESTIONS,
    AlertKind,
    CheckInStatus,
    LadderAction,
    RevisionAction,
)
from assessments.programmes.rules import (
    READINESS_CODES,
    RUN_LADDER,
    RUN_PAIN_ACCEPTABLE_MAX,
    ZERO_IMPACT_WEEKS_DEFAULT,
    ZERO_IMPACT_WEEKS_MAX,
    ZERO_IMPACT_WEEKS_MIN,
    LadderDecision,
    ReadinessResult,
    distance_rise_warning,
    ladder_decision,
    ladder_stage,
    readiness_failures,
    zero_impact_end,
)
from assessments.programmes.selectors import (
    as_week_checkin,
    impact_gate_of,
    impact_stopped_since,
    logged_runs_by_week,
)
from assessments.programmes.services.plan import ProgrammeError, lock
from assessments.programmes.services.revisions import revision_add
from assessments.record.selectors import has_bone_stress
from clinic.dates import format_date
from clinic.messaging.services import About, schedule_message
from clinic.staff.models import User


def last_step(programme: Programme) -> LadderStep | None:
    """The latest decision on the ladder (every decision is a step)."""
    return LadderStep.objects.filter(programme=programme).order_by("-at", "-pk").first()


def latest_readiness(programme: Programme) -> ReadinessCheck | None:
    return ReadinessCheck.objects.filter(programme=programme).order_by("-recorded_at", "-pk").first()


def checkins_since_step(programme: Programme) -> list[CheckIn]:
    """The check-ins sent since the last decision, so each week is read by one decision only.

    A late check-in (last week's, sent after this week's) is read by the next
    decision too: the window is the sending time, not the week number.
    """
    step = last_step(programme)
    sent = CheckIn.objects.filter(programme=programme, status=CheckInStatus.SUBMITTED)
    if step is not None:
        sent = sent.filter(submitted_at__gte=step.at).exclude(week__in=list(step.checkin_weeks or []))
    return list(sent.prefetch_related("runs").order_by("week"))


def _latest_week(programme: Programme) -> int:
    return (
        CheckIn.objects.filter(programme=programme, status=CheckInStatus.SUBMITTED)
        .order_by("-week")
        .values_list("week", flat=True)
        .first()
        or 0
    )


def _today(programme: Programme, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(ZoneInfo(programme.time_zone)).date()


def ladder_preview(programme: Programme, *, now: datetime | None = None) -> LadderDecision:
    """What the rules say now about the check-ins since the last decision; changes nothing.

    Each week is read from the training log's runs of that week when there are
    any (selectors.as_week_checkin), from the check-in's totals otherwise.
    """
    readiness = latest_readiness(programme)
    bone_stress = has_bone_stress(programme=programme)
    checkins = checkins_since_step(programme)
    logged = logged_runs_by_week(programme, [c.week for c in checkins])
    return ladder_decision(
        current_stage=programme.run_stage,
        checkins_since_step=[as_week_checkin(c, programme, logged=logged.get(c.week)) for c in checkins],
        runs_per_week=programme.runs_per_week,
        bone_stress=bone_stress,
        readiness_passed=bool(readiness and readiness.passed),
        impact_gate=impact_gate_of(programme, bone_stress=bone_stress, today=_today(programme, now)),
    )


def _step(
    programme: Programme,
    *,
    action: str,
    to_stage: int,
    reasons: tuple[str, ...] | list[str],
    by: User | None,
    override_reason: str = "",
    checkin_weeks: list[int] | None = None,
) -> LadderStep:
    return LadderStep.objects.create(
        programme=programme,
        action=action,
        from_stage=programme.run_stage,
        to_stage=to_stage,
        after_week=_latest_week(programme),
        checkin_weeks=checkin_weeks or [],
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

    When every test was done with pain ≤ 2/10, the patient has not started
    running and the rules say start (with bone stress: the impact gate is
    open), the ladder starts at stage 1 (a "start" step). Side effects: the
    ReadinessCheck, a revision, maybe the step. Returns the check and the step.
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
        decision = ladder_preview(programme)
        if decision.action == "start":
            step = _step(programme, action=LadderAction.START, to_stage=1, reasons=decision.reasons, by=by)
            programme.run_stage = 1
            programme.version += 1
            programme.save(update_fields=["run_stage", "version", "updated_at"])
            summary += f" Running starts at {_stage_name(1)}."
        else:
            summary += " Running does not start: " + " ".join(decision.reasons)
    revision_add(programme=programme, action=RevisionAction.READINESS, by=by, summary=summary)
    return check, step


@transaction.atomic
def ladder_override(
    *, programme: Programme, by: User, to_stage: int, reason: str, expected_version: int | None = None
) -> LadderStep:
    """Put the patient on any stage (0 = not running), or resume after a stop, with a recorded reason.

    The step keeps what the rules said at the time beside the therapist's
    reason. Putting a patient with suspected bone stress on a stage while the
    impact gate is closed overrides the gate: recorded on the programme
    (`impact_gate_overridden_on`), the step and the revision. Refused with
    StaleVersionError when the programme changed since `expected_version`
    (a check-in may have moved the ladder since the page was opened).
    """
    caller, programme = programme, lock(programme, expected_version=expected_version)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for overriding the ladder."})
    if not 0 <= to_stage <= len(RUN_LADDER):
        raise ValidationError({"to_stage": "No such stage."})
    rules_said = ladder_preview(programme)
    bone_stress = has_bone_stress(programme=programme)
    gate = impact_gate_of(programme, bone_stress=bone_stress, today=_today(programme))
    overrides_gate = to_stage >= 1 and bone_stress and not gate.ready
    reasons = [f"The rules said: {rules_said.action}.", *rules_said.reasons]
    if overrides_gate:
        reasons.insert(0, "Overrides the zero-impact gate of bone stress.")
    step = _step(
        programme,
        action=LadderAction.OVERRIDE,
        to_stage=to_stage,
        by=by,
        override_reason=reason,
        reasons=reasons,
    )
    before = _stage_name(programme.run_stage) + (" (stopped)" if programme.running_stopped else "")
    programme.run_stage = to_stage
    programme.running_stopped = False
    programme.version += 1
    fields = ["run_stage", "running_stopped", "version", "updated_at"]
    if overrides_gate:
        programme.impact_gate_overridden_on = _today(programme)
        fields.append("impact_gate_overridden_on")
    programme.save(update_fields=fields)
    for name in ("run_stage", "running_stopped", "version", "impact_gate_overridden_on"):
        setattr(caller, name, getattr(programme, name))
    gate_text = " (zero-impact gate overridden)" if overrides_gate else ""
    revision_add(
        programme=programme,
        action=RevisionAction.LADDER,
        by=by,
        summary=f"Ladder override to {_stage_name(to_stage)}{gate_text}: {reason}",
        changes=[{"label": "Return-to-run stage", "old": before, "new": _stage_name(to_stage)}],
    )
    return step


# --- The zero-impact gate of bone stress (rules.impact) ---------------------------------------------


@transaction.atomic
def programme_impact_stop(
    *,
    programme: Programme,
    by: User,
    on: date,
    weeks: int = ZERO_IMPACT_WEEKS_DEFAULT,
    note: str = "",
    expected_version: int | None = None,
) -> Programme:
    """Record since when impact (running, jumping, hopping) has been stopped, and for how many weeks (6–8).

    A new stop date starts a new zero-impact period: a clearance or gate
    override from before it no longer counts. Side effects: the programme's
    impact fields and version, a revision. Refused for a future date.
    """
    caller, programme = programme, lock(programme, expected_version=expected_version)
    if not ZERO_IMPACT_WEEKS_MIN <= weeks <= ZERO_IMPACT_WEEKS_MAX:
        raise ValidationError(
            {"weeks": f"No impact for {ZERO_IMPACT_WEEKS_MIN} to {ZERO_IMPACT_WEEKS_MAX} weeks."}
        )
    if on > _today(programme):
        raise ValidationError({"on": "The day impact stopped cannot be in the future."})
    old_since, old_weeks = impact_stopped_since(programme), programme.zero_impact_weeks
    programme.impact_stopped_on = on
    programme.zero_impact_weeks = weeks
    programme.version += 1
    programme.save(update_fields=["impact_stopped_on", "zero_impact_weeks", "version", "updated_at"])
    caller.impact_stopped_on, caller.zero_impact_weeks, caller.version = on, weeks, programme.version
    end = zero_impact_end(on, weeks)
    note = note.strip()
    revision_add(
        programme=programme,
        action=RevisionAction.IMPACT,
        by=by,
        summary=f"No impact from {format_date(on, 'day')} for {weeks} weeks "
        f"(impact from {format_date(end, 'day')} at the earliest, "
        f"with clearance){': ' + note if note else '.'}",
        changes=[
            {"label": "Impact stopped on", "old": old_since.isoformat(), "new": on.isoformat()},
            {"label": "Weeks without impact", "old": str(old_weeks), "new": str(weeks)},
        ],
    )
    return programme


@transaction.atomic
def programme_impact_clear(
    *, programme: Programme, by: User, note: str, on: date, expected_version: int | None = None
) -> Programme:
    """Record a clinician's clearance of a return to impact: who (by), when (on) and on what basis (note).

    The gate opens only once the zero-impact period has passed as well.
    Side effects: the programme's clearance fields and version, a revision.
    Refused without a note, for a future date, or a date before impact stopped.
    """
    caller, programme = programme, lock(programme, expected_version=expected_version)
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say who cleared the return to impact and on what basis."})
    since = impact_stopped_since(programme)
    if on > _today(programme):
        raise ValidationError({"on": "The clearance date cannot be in the future."})
    if on < since:
        raise ValidationError(
            {"on": f"The clearance must be on or after the day impact stopped ({format_date(since, 'day')})."}
        )
    old = programme.impact_cleared_on.isoformat() if programme.impact_cleared_on else "not cleared"
    programme.impact_cleared_on = on
    programme.impact_cleared_by = by
    programme.impact_clearance_note = note[:1000]
    programme.version += 1
    programme.save(
        update_fields=[
            "impact_cleared_on",
            "impact_cleared_by",
            "impact_clearance_note",
            "version",
            "updated_at",
        ]
    )
    caller.impact_cleared_on, caller.impact_cleared_by = on, by
    caller.impact_clearance_note, caller.version = programme.impact_clearance_note, programme.version
    revision_add(
        programme=programme,
        action=RevisionAction.IMPACT,
        by=by,
        summary=f"Return to impact cleared on {on:%d %b %Y} by {by.get_full_name() or by.get_username()}: {note}",
        changes=[{"label": "Return to impact cleared", "old": old, "new": on.isoformat()}],
    )
    return programme


# --- Alerts ---------------------------------------------------------------------------------------


def alert_raise(
    *, programme: Programme, checkin: CheckIn | None, kind: str, detail: str, key: str = ""
) -> ProgrammeAlert:
    """An alert on the therapist's dashboard, and an email saying only that a check-in needs review.

    Raised once per (check-in, kind), or once per `key` for an alert about no
    check-in (the training log's: raising it again returns the first one,
    resolved or not).
    """
    if key:
        alert, created = ProgrammeAlert.objects.get_or_create(
            programme=programme,
            key=key,
            defaults={"kind": kind, "detail": detail[:2000], "created_at": timezone.now()},
        )
    else:
        alert, created = ProgrammeAlert.objects.get_or_create(
            programme=programme,
            checkin=checkin,
            kind=kind,
            key="",
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
            time_zone=programme.time_zone,
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


def _week_km(checkin: CheckIn) -> Decimal:
    return sum((r.distance_km for r in checkin.runs.all()), Decimal(0))


def _distance_warning(programme: Programme, checkin: CheckIn) -> str | None:
    """The §8.3 10 % warning for this check-in's week against the week before (both from the run log)."""
    before = (
        CheckIn.objects.filter(programme=programme, status=CheckInStatus.SUBMITTED, week=checkin.week - 1)
        .prefetch_related("runs")
        .first()
    )
    if before is None:
        return None
    return distance_rise_warning(_week_km(checkin), _week_km(before))


def _checkin_alerts(
    programme: Programme, checkin: CheckIn, decision: LadderDecision | None, *, bone_stress: bool
) -> list[ProgrammeAlert]:
    alerts = []
    ran = bool(checkin.runs.all())
    run_pain = checkin.run_pain_during if ran or checkin.run_pain_during else None
    week = f"Week {checkin.week} check-in"
    if bone_stress and (run_pain or (decision is not None and decision.action == "stop")):
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
    elif (run_pain is not None and run_pain > RUN_PAIN_ACCEPTABLE_MAX) or (
        decision is not None and decision.alert_therapist
    ):
        detail = f"{week}: " + (
            " ".join(decision.reasons)
            if decision is not None and decision.alert_therapist
            else f"pain during running {run_pain}/10, above the acceptable {RUN_PAIN_ACCEPTABLE_MAX}/10."
        )
        alerts.append(
            alert_raise(programme=programme, checkin=checkin, kind=AlertKind.RUN_PAIN_HIGH, detail=detail)
        )
    distance = _distance_warning(programme, checkin) if ran else None
    if distance is not None:
        alerts.append(
            alert_raise(
                programme=programme,
                checkin=checkin,
                kind=AlertKind.DISTANCE_RISE,
                detail=f"{week}: {distance}",
            )
        )
    if checkin.red_flag_answers:
        # Stored for staff: the questions in the clinic's language, whatever the patient reads.
        with translation.override(settings.LANGUAGE_CODE):
            labels = {name: str(label) for name, label in CHECKIN_SAFETY_QUESTIONS}
        alerts.append(
            alert_raise(
                programme=programme,
                checkin=checkin,
                kind=AlertKind.RED_FLAG,
                detail=f"{week}: " + "; ".join(labels[name] for name in checkin.red_flag_answers) + ".",
            )
        )
    return alerts


_STEP_ACTIONS = {
    "advance": LadderAction.ADVANCE,
    "hold": LadderAction.HOLD,
    "step_down": LadderAction.STEP_DOWN,
    "stop": LadderAction.STOP,
}


def ladder_after_checkin(
    *, programme: Programme, checkin: CheckIn, now: datetime | None = None
) -> tuple[LadderDecision | None, list[ProgrammeAlert]]:
    """The rules act on a sent check-in (inside the check-in's transaction; programme row locked).

    On the ladder (stage ≥ 1, not stopped) every decision is a LadderStep
    with its reasons and the check-in weeks it read (by = None: the rules):
    advance, hold, step down (one stage lower) or stop (running stopped).
    Moves and stops also write a revision. Alerts: running pain with bone
    stress or a stop in bone-stress mode, run pain above 5/10 and every
    other decision that asks for the clinic, a week-on-week distance rise
    over 10 %, red-flag answers.
    """
    decision = None
    bone_stress = has_bone_stress(programme=programme)
    if programme.run_stage >= 1 and not programme.running_stopped:
        read = checkins_since_step(programme)
        decision = ladder_preview(programme, now=now)
        weeks = [c.week for c in read]
        before = _stage_name(programme.run_stage)
        to_stage = decision.next_stage if decision.action in ("advance", "step_down") else programme.run_stage
        _step(
            programme,
            action=_STEP_ACTIONS[decision.action],
            to_stage=cast(int, to_stage),
            reasons=[*decision.reasons, *decision.warnings],
            by=None,
            checkin_weeks=weeks,
        )
        if decision.action in ("advance", "step_down"):
            programme.run_stage = cast(int, decision.next_stage)
            moved = "moved up to" if decision.action == "advance" else "stepped down to"
            revision_add(
                programme=programme,
                action=RevisionAction.LADDER,
                by=None,
                summary=f"The week {checkin.week} check-in: {moved} {_stage_name(programme.run_stage)}.",
                changes=[
                    {"label": "Return-to-run stage", "old": before, "new": _stage_name(programme.run_stage)}
                ],
            )
        elif decision.action == "stop":
            programme.running_stopped = True
            revision_add(
                programme=programme,
                action=RevisionAction.LADDER,
                by=None,
                summary=f"Running stopped after the week {checkin.week} check-in: therapist to review.",
            )
        programme.save(update_fields=["run_stage", "running_stopped", "updated_at"])
    alerts = _checkin_alerts(programme, checkin, decision, bone_stress=bone_stress)
    return decision, alerts
