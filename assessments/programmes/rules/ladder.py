"""The return-to-run ladder, the readiness-to-run checklist and the ladder decision (domain.md §8.3–8.4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from assessments.programmes.rules._common import (
    READINESS_PAIN_MAX,
    RUN_PAIN_ACCEPTABLE_MAX,
    RUN_PAIN_SAFE_MAX,
    Action,
    Sentence,
    _,
    _bool,
    _date,
    _decimal,
    _fmt,
    _int,
    _optional_pain,
    _pain,
    _sequence,
)
from assessments.programmes.rules.impact import ImpactGate
from assessments.programmes.rules.load import LoggedRun, counted_runs, runs_over_plan_warning
from assessments.record.measures import load_rise_flagged, weekly_load_change_percent

# --- Return-to-run ladder (§8.4 [R30]) -----------------------------
# Stage labels and descriptions and the readiness tests are English here, marked with `_`
# for the catalogue; the patient's pages translate them (selectors.stage_info, unlock_requirements).


@dataclass(frozen=True, kw_only=True)
class RunStage:
    """One step of the walk–run ladder.

    Interval stages set `reps` × (`walk_min` + `run_min`); continuous stages
    set `continuous_min` only. `source` says whether the stage is [R30] or a
    † clinic default.
    """

    code: str
    label: str
    description: str
    walk_min: int | None
    run_min: int | None
    reps: int | None
    continuous_min: int | None
    source: str

    def __post_init__(self) -> None:
        intervals = (self.walk_min, self.run_min, self.reps)
        if self.continuous_min is None:
            if any(v is None for v in intervals):
                raise ValueError(f"{self.code}: an interval stage needs walk_min, run_min and reps")
            for name, v in zip(("walk_min", "run_min", "reps"), intervals, strict=True):
                _int(v, f"{self.code}: {name}", 1, 60)
        else:
            if any(v is not None for v in intervals):
                raise ValueError(f"{self.code}: a continuous stage sets continuous_min only")
            _int(self.continuous_min, f"{self.code}: continuous_min", 1, 180)

    @property
    def session_min(self) -> int:
        """Minutes of one session, walk breaks included (the load measure)."""
        if self.continuous_min is not None:
            return self.continuous_min
        # __post_init__ guarantees the interval fields; "or 0" only narrows the types.
        return (self.reps or 0) * ((self.walk_min or 0) + (self.run_min or 0))

    @property
    def running_min(self) -> int:
        """Minutes of running in one session (for display)."""
        if self.continuous_min is not None:
            return self.continuous_min
        return (self.reps or 0) * (self.run_min or 0)


RUN_LADDER: tuple[RunStage, ...] = (
    RunStage(
        code="WR_4_2",
        label=_("5 × (walk 4 min / jog 2 min)"),
        description=_("Walk 4 minutes, then jog 2 minutes; repeat 5 times (30 minutes in all)."),
        walk_min=4,
        run_min=2,
        reps=5,
        continuous_min=None,
        source="[R30]",
    ),
    RunStage(
        code="WR_3_3",
        label=_("5 × (walk 3 min / jog 3 min)"),
        description=_("Walk 3 minutes, then jog 3 minutes; repeat 5 times (30 minutes in all)."),
        walk_min=3,
        run_min=3,
        reps=5,
        continuous_min=None,
        source="[R30]",
    ),
    RunStage(
        code="WR_2_4",
        label=_("5 × (walk 2 min / jog 4 min)"),
        description=_("Walk 2 minutes, then jog 4 minutes; repeat 5 times (30 minutes in all)."),
        walk_min=2,
        run_min=4,
        reps=5,
        continuous_min=None,
        source="[R30]",
    ),
    RunStage(
        code="RW_14_2",
        label=_("2 × (jog 14 min / walk 2 min)"),
        description=_("Jog 14 minutes, then walk 2 minutes; repeat twice (32 minutes in all)."),
        walk_min=2,
        run_min=14,
        reps=2,
        continuous_min=None,
        source="[R30]",
    ),
    RunStage(
        code="CONT_30",
        label=_("30 min continuous"),
        description=_("Jog 30 minutes without walk breaks, at an easy, conversational pace."),
        walk_min=None,
        run_min=None,
        reps=None,
        continuous_min=30,
        source="[R30]",
    ),
    RunStage(
        code="INTERVALS_30",
        label=_("30 min with intervals (clinic default)"),
        description=_(
            "30 minutes: 10 minutes easy, then 6 × (1 minute a little faster / 1 minute easy), "
            "then 8 minutes easy. Same time as the last stage; only the pace changes."
        ),
        walk_min=None,
        run_min=None,
        reps=None,
        continuous_min=30,
        source="† clinic default, after [S3] (intervals)",
    ),
    RunStage(
        code="LONGER_33",
        label=_("33 min continuous, longer run (clinic default)"),
        # "10 %" is no format directive (makemessages would flag it and break the compile).
        # xgettext:no-python-format
        description=_("Jog 33 minutes at an easy pace: 10 % longer than the 30-minute runs."),
        walk_min=None,
        run_min=None,
        reps=None,
        continuous_min=33,
        source="† clinic default, after [S3] (longer runs)",
    ),
    RunStage(
        code="HILLS_33",
        label=_("33 min with gentle hills (clinic default)"),
        description=_(
            "Jog 33 minutes on a route with gentle hills, or include 4 × 1 minute easy uphill "
            "efforts; walk the steep downhills at first."
        ),
        walk_min=None,
        run_min=None,
        reps=None,
        continuous_min=33,
        source="† clinic default, after [S3] (hills)",
    ),
)


def ladder_stage(stage: int) -> RunStage:
    """Return ladder stage `stage`, counted from 1."""
    _int(stage, "stage", 1, len(RUN_LADDER))
    return RUN_LADDER[stage - 1]


def stage_weekly_minutes(stage: int, runs_per_week: int) -> Decimal:
    """Return the planned minutes of run sessions per week at a stage (the load measure)."""
    spec = ladder_stage(stage)
    _int(runs_per_week, "runs_per_week", 1, 7)
    return Decimal(spec.session_min * runs_per_week)


# --- Readiness-to-run checklist (§8.4 [R29]) --------------------------------


@dataclass(frozen=True)
class ReadinessItem:
    """One checklist test; `impact` tests (jogging, jumping, bounding, hopping) wait for the impact gate."""

    code: str
    label: str
    impact: bool = False


READINESS_CHECKLIST: tuple[ReadinessItem, ...] = (
    ReadinessItem("WALK_30_MIN", _("Walk for 30 minutes")),
    ReadinessItem("SLS_10_S", _("Stand on one leg for 10 seconds, each leg")),
    ReadinessItem("SL_SQUAT_10", _("Single-leg squat × 10, each leg")),
    ReadinessItem("JOG_SPOT_1_MIN", _("Jog on the spot for 1 minute"), impact=True),
    ReadinessItem("JUMP_SQUATS", _("Jump squats × 10–15"), impact=True),
    ReadinessItem("BOUNDING", _("Bounding × 10–15 per leg"), impact=True),
    ReadinessItem("HOP_IN_PLACE", _("Hop on the spot × 10–15 (or for 30 seconds)"), impact=True),
)
READINESS_CODES: tuple[str, ...] = tuple(item.code for item in READINESS_CHECKLIST)
READINESS_IMPACT_CODES: tuple[str, ...] = tuple(item.code for item in READINESS_CHECKLIST if item.impact)


def readiness_items(*, impact_allowed: bool) -> tuple[ReadinessItem, ...]:
    """The checklist tests to show: all of them, or without the impact tests while the impact gate is closed."""
    _bool(impact_allowed, "impact_allowed")
    return tuple(item for item in READINESS_CHECKLIST if impact_allowed or not item.impact)


@dataclass(frozen=True)
class ReadinessResult:
    """One recorded readiness test: was it done, and the pain (0–10) it caused."""

    done: bool
    pain: int

    def __post_init__(self) -> None:
        _bool(self.done, "done")
        _pain(self.pain, "pain")


def readiness_failures(results: Mapping[str, ReadinessResult]) -> tuple[str, ...]:
    """Return the checklist codes not yet passed (missing, not done, or pain > 2/10)."""
    if not isinstance(results, Mapping):
        raise ValueError(f"results must be a mapping, got {results!r}")
    unknown = sorted(str(code) for code in results if code not in READINESS_CODES)
    if unknown:
        raise ValueError(f"unknown readiness tests {unknown}; expected codes from {READINESS_CODES}")
    for code, result in results.items():
        if not isinstance(result, ReadinessResult):
            raise ValueError(f"{code}: expected a ReadinessResult, got {result!r}")
    return tuple(
        code
        for code in READINESS_CODES
        if code not in results or not results[code].done or results[code].pain > READINESS_PAIN_MAX
    )


def readiness_passed(results: Mapping[str, ReadinessResult]) -> bool:
    """Return True when every checklist test was done with pain ≤ 2/10 (§8.4)."""
    return not readiness_failures(results)


# --- Weekly check-in and the ladder decision (§8.3) -------------------------


@dataclass(frozen=True)
class WeekCheckIn:
    """The patient's weekly check-in, as far as the rules need it.

    Pains are 0–10 or None when not answered. `run_pain_max` is the worst pain
    during any run that week (None: no run), `evening_pain` the worst that
    evening after a run. `weekly_run_min` is the total minutes of run
    sessions logged, walk breaks included (None: not logged). `runs` are the
    logged runs themselves; when given, only the plan's runs a week count
    towards moving up (rules.load.counted_runs).
    """

    week_start: date
    run_pain_max: int | None
    next_morning_pain: int | None
    baseline_morning_pain: int | None
    weekly_km: Decimal
    sessions_done: int
    sessions_prescribed: int
    pain_worst: int | None
    pain_now: int | None
    weekly_run_min: Decimal | None = None
    evening_pain: int | None = None
    runs: tuple[LoggedRun, ...] = ()

    def __post_init__(self) -> None:
        _date(self.week_start, "week_start")
        for name in (
            "run_pain_max",
            "next_morning_pain",
            "baseline_morning_pain",
            "pain_worst",
            "pain_now",
            "evening_pain",
        ):
            _optional_pain(getattr(self, name), name)
        # Store Decimals so equal check-ins compare equal whatever number type came in.
        object.__setattr__(self, "weekly_km", _decimal(self.weekly_km, "weekly_km", Decimal(0), Decimal(700)))
        if self.weekly_run_min is not None:
            minutes = _decimal(self.weekly_run_min, "weekly_run_min", Decimal(0), Decimal(7 * 24 * 60))
            object.__setattr__(self, "weekly_run_min", minutes)
        _int(self.sessions_done, "sessions_done", 0, 50)
        _int(self.sessions_prescribed, "sessions_prescribed", 0, 50)
        runs = tuple(_sequence(self.runs, "runs"))
        if any(not isinstance(r, LoggedRun) for r in runs):
            raise ValueError(f"runs must be LoggedRun items, got {self.runs!r}")
        object.__setattr__(self, "runs", runs)


@dataclass(frozen=True)
class LadderDecision:
    """What the ladder recommends.

    action: start (stage 1 after the readiness checklist), advance (to
    next_stage), hold (repeat next_stage, the current one), step_down (to
    next_stage, one lower), stop (no running until the therapist reviews;
    next_stage is None) or not_ready (checklist not passed or impact gate
    closed; next_stage is None). reasons are plain English sentences for the
    patient and therapist (Sentence: the patient's pages translate them);
    alert_therapist asks for a clinic contact; warnings are
    §8.3 warnings that never change the action (runs above the plan).
    """

    action: Action
    next_stage: int | None
    reasons: tuple[str, ...]
    alert_therapist: bool
    warnings: tuple[str, ...] = ()


def _week(checkin: WeekCheckIn) -> Sentence:
    return Sentence(_("the week of {date}"), date=checkin.week_start)


def _weeks(checkins: Sequence[WeekCheckIn]) -> Sentence:
    dates = tuple(c.week_start for c in checkins)
    if len(dates) == 1:
        return Sentence(_("the week of {date}"), date=dates[0])
    return Sentence(_("the weeks of {dates} and {last}"), dates=dates[:-1], last=dates[-1])


def _label(stage: int) -> Sentence:
    """A stage's label, a message of its own in the catalogue."""
    return Sentence(ladder_stage(stage).label)


def _ran(checkin: WeekCheckIn) -> bool:
    return checkin.run_pain_max is not None or bool(checkin.runs)


def ladder_decision(
    *,
    current_stage: int,
    checkins_since_step: Sequence[WeekCheckIn],
    runs_per_week: int,
    bone_stress: bool,
    readiness_passed: bool,
    impact_gate: ImpactGate | None = None,
) -> LadderDecision:
    """Decide whether the patient starts, advances, holds, steps down or stops on the ladder.

    current_stage is 0 before the first run, else 1…len(RUN_LADDER).
    checkins_since_step are the check-ins sent since the last decision (each
    decision is a step, so a bad week is read once). With bone stress the
    impact gate (rules.impact) is required. Rules, most severe first (every
    rule that applies adds a reason):
    - bone stress with the impact gate closed: not_ready before the ladder,
      stop (and alert) on it.
    - not started: not_ready until the readiness checklist passed, then start.
    - bone stress: any pain during a run (> 0/10), or evening or next-morning
      pain above the usual morning level, stops running and alerts.
    - other problems: run pain > 5/10 steps down one stage and alerts (on
      stage 1, with no easier stage, it stops); 4–5/10 holds. "Settled soon
      after": evening pain above 3/10 holds (above 5/10 it also alerts);
      next-morning pain above the usual morning level holds ("reduce load").
    - holds without a check-in, without a logged run, or with a run but no
      evening or next-morning pain recorded.
    - holds if the next stage's planned weekly minutes rise > 10 % over last
      week's counted minutes, or if there was no running last week. Last
      week is the latest check-in: its counted runs' minutes (only the plan's
      runs a week count; extra runs are a warning), else its weekly_run_min,
      else the current stage's plan if it reports a run, else 0.
    - the top stage holds.
    Otherwise advance. A missing usual-morning level counts as 0/10.
    """
    _int(current_stage, "current_stage", 0, len(RUN_LADDER))
    _int(runs_per_week, "runs_per_week", 1, 7)
    _bool(bone_stress, "bone_stress")
    _bool(readiness_passed, "readiness_passed")
    if impact_gate is not None and not isinstance(impact_gate, ImpactGate):
        raise ValueError(f"impact_gate must be an ImpactGate, got {impact_gate!r}")
    if bone_stress and impact_gate is None:
        raise ValueError("with bone stress the impact gate is required")
    checkins: list[WeekCheckIn] = []
    for checkin in _sequence(checkins_since_step, "checkins_since_step"):
        if not isinstance(checkin, WeekCheckIn):
            raise ValueError(f"expected WeekCheckIn items, got {checkin!r}")
        checkins.append(checkin)
    ordered = sorted(checkins, key=lambda c: c.week_start)
    weeks = [c.week_start for c in ordered]
    if len(set(weeks)) != len(weeks):
        raise ValueError("checkins_since_step has two check-ins for the same week")
    gate_closed = bone_stress and impact_gate is not None and not impact_gate.ready
    gate_reasons = impact_gate.reasons if gate_closed and impact_gate is not None else ()

    if current_stage == 0:
        not_ready = list(gate_reasons)
        if not readiness_passed:
            not_ready.append(
                Sentence(
                    _(
                        "Running starts once the readiness-to-run checklist is passed: every test done "
                        "with pain {pain_max}/10 or less."
                    ),
                    pain_max=READINESS_PAIN_MAX,
                )
            )
        if not_ready:
            return LadderDecision("not_ready", None, tuple(not_ready), False)
        reason = Sentence(_("Readiness checklist passed: start stage 1, {label}."), label=_label(1))
        return LadderDecision("start", 1, (reason,), False)

    if gate_closed:
        stop_now = (
            *gate_reasons,
            Sentence(_("With a suspected bone stress injury: no running until the gate opens.")),
        )
        return LadderDecision("stop", None, stop_now, True)

    stop: list[Sentence] = []
    step_down: list[Sentence] = []
    hold: list[Sentence] = []
    warnings: list[str] = []
    alert = False
    for c in ordered:
        usual = c.baseline_morning_pain or 0
        morning_rose = c.next_morning_pain is not None and c.next_morning_pain > usual
        if c.runs:
            warning = runs_over_plan_warning(len(c.runs), planned_per_week=runs_per_week, week_label=_week(c))
            if warning:
                warnings.append(warning)
        if bone_stress:
            if c.run_pain_max is not None and c.run_pain_max > 0:
                stop.append(
                    Sentence(
                        _(
                            "Pain during running was {pain}/10 in {week}. With a bone stress "
                            "injury running must be pain-free: stop running and contact the clinic."
                        ),
                        pain=c.run_pain_max,
                        week=_week(c),
                    )
                )
            if c.evening_pain is not None and c.evening_pain > usual and _ran(c):
                stop.append(
                    Sentence(
                        _(
                            "Pain the evening after running ({pain}/10) was above your usual level "
                            "({usual}/10) in {week}. With a bone stress injury: stop running and contact "
                            "the clinic."
                        ),
                        pain=c.evening_pain,
                        usual=usual,
                        week=_week(c),
                    )
                )
            if morning_rose:
                stop.append(
                    Sentence(
                        _(
                            "Next-morning pain ({pain}/10) was above your usual morning level "
                            "({usual}/10) in {week}. With a bone stress injury: stop running and contact "
                            "the clinic."
                        ),
                        pain=c.next_morning_pain or 0,
                        usual=usual,
                        week=_week(c),
                    )
                )
        else:
            if c.run_pain_max is not None and c.run_pain_max > RUN_PAIN_ACCEPTABLE_MAX:
                alert = True
                step_down.append(
                    Sentence(
                        _(
                            "Pain during running reached {pain}/10 in {week}, above the "
                            "acceptable {limit}/10: reduce load and contact the clinic."
                        ),
                        pain=c.run_pain_max,
                        week=_week(c),
                        limit=RUN_PAIN_ACCEPTABLE_MAX,
                    )
                )
            elif c.run_pain_max is not None and c.run_pain_max > RUN_PAIN_SAFE_MAX:
                hold.append(
                    Sentence(
                        _(
                            "Pain during running reached {pain}/10 in {week}. That is acceptable, "
                            "but it must stay at {safe_max}/10 or less before moving up: repeat this stage."
                        ),
                        pain=c.run_pain_max,
                        week=_week(c),
                        safe_max=RUN_PAIN_SAFE_MAX,
                    )
                )
            if c.evening_pain is not None and c.evening_pain > RUN_PAIN_SAFE_MAX and _ran(c):
                above = c.evening_pain > RUN_PAIN_ACCEPTABLE_MAX
                alert = alert or above
                hold.append(
                    Sentence(
                        _(
                            "Pain the evening after running reached {pain}/10 in {week}: the runs did "
                            "not settle soon after (evening pain must stay at {safe_max}/10 or less). {advice}"
                        ),
                        pain=c.evening_pain,
                        week=_week(c),
                        safe_max=RUN_PAIN_SAFE_MAX,
                        advice=Sentence(_("Reduce load and contact the clinic."))
                        if above
                        else Sentence(_("Repeat this stage.")),
                    )
                )
            if morning_rose:
                hold.append(
                    Sentence(
                        _(
                            "Next-morning pain ({pain}/10) was above your usual morning level "
                            "({usual}/10) in {week}: reduce load and repeat this stage."
                        ),
                        pain=c.next_morning_pain or 0,
                        usual=usual,
                        week=_week(c),
                    )
                )
        if _ran(c) and c.evening_pain is None:
            hold.append(
                Sentence(
                    _(
                        "Evening pain after running was not recorded for {week}; it is needed to check that "
                        "the runs settled soon after."
                    ),
                    week=_week(c),
                )
            )
        if _ran(c) and c.next_morning_pain is None:
            hold.append(
                Sentence(
                    _(
                        "Next-morning pain was not recorded for {week}; it is needed to check that the runs "
                        "settled."
                    ),
                    week=_week(c),
                )
            )

    found = tuple(warnings)
    if stop:
        return LadderDecision("stop", None, tuple(stop), True, found)
    if step_down:
        if current_stage == 1:
            reasons = (
                *step_down,
                Sentence(
                    _("There is no easier stage than stage 1: stop running until your therapist reviews.")
                ),
            )
            return LadderDecision("stop", None, reasons, True, found)
        lower = current_stage - 1
        reasons = (
            *step_down,
            Sentence(_("Step down to stage {stage}, {label}."), stage=lower, label=_label(lower)),
        )
        return LadderDecision("step_down", lower, reasons, True, found)

    if current_stage == len(RUN_LADDER):
        hold.append(
            Sentence(_("This is the last stage of the ladder: your therapist will review discharge."))
        )
    if not ordered:
        hold.append(
            Sentence(_("No check-in since the last decision yet: log a week of runs at this stage first."))
        )
    elif not any(_ran(c) for c in ordered):
        hold.append(Sentence(_("No runs logged at this stage yet: log a week of runs at this stage first.")))
    elif current_stage < len(RUN_LADDER):
        latest = ordered[-1]
        if latest.runs:
            last_load = counted_runs(latest.runs, planned_per_week=runs_per_week).counted_minutes
        elif latest.weekly_run_min is not None:
            last_load = latest.weekly_run_min
        else:
            # Minutes not logged: a week with a run is taken to follow the plan, a week without is 0.
            last_load = stage_weekly_minutes(current_stage, runs_per_week) if _ran(latest) else Decimal(0)
        next_load = stage_weekly_minutes(current_stage + 1, runs_per_week)
        if last_load == 0:
            hold.append(
                Sentence(
                    _("No running was logged in {week}: repeat this stage before moving up."),
                    week=_week(latest),
                )
            )
        elif load_rise_flagged(next_load, last_load):
            change = weekly_load_change_percent(next_load, last_load)
            hold.append(
                Sentence(
                    # "+{change} %" and "10 %" are no format directives.
                    # xgettext:no-python-format
                    _(
                        "Stage {stage} would raise your weekly running time from {last} to {next} minutes "
                        "(+{change} %), more than 10 %: repeat this stage before moving up."
                    ),
                    stage=current_stage + 1,
                    last=_fmt(last_load),
                    next=_fmt(next_load),
                    change=change or Decimal(0),  # last_load is not 0 here
                )
            )

    if hold:
        return LadderDecision("hold", current_stage, tuple(hold), alert, found)

    target = current_stage + 1
    pain_rule = (
        Sentence(_("pain-free runs"))
        if bone_stress
        else Sentence(_("pain during runs of {safe_max}/10 or less"), safe_max=RUN_PAIN_SAFE_MAX)
    )
    evening_rule = (
        Sentence(_("no more pain that evening or the next morning than usual"))
        if bone_stress
        else Sentence(
            _("evening pain of {safe_max}/10 or less and no more than usual by the next morning"),
            safe_max=RUN_PAIN_SAFE_MAX,
        )
    )
    reason = Sentence(
        # xgettext:no-python-format
        _(
            "The check-ins since the last decision ({weeks}) show {pain_rule}, {evening_rule}, and "
            "the weekly running time stays within 10 %: move to stage {stage}, {label}."
        ),
        weeks=_weeks(ordered),
        pain_rule=pain_rule,
        evening_rule=evening_rule,
        stage=target,
        label=_label(target),
    )
    return LadderDecision("advance", target, (reason,), False, found)


def unlock_requirements(
    current_stage: int,
    *,
    bone_stress: bool,
    impact_gate: ImpactGate | None = None,
    translate: Callable[[str], str] = _,
) -> tuple[str, ...]:
    """Return, in plain words, what unlocks the next stage (for the patient's weekly page).

    While the impact gate is closed (bone stress) the patient is told only
    what opens it and the checklist's non-impact tests: no running, jogging,
    jumping or hopping. `translate` (gettext on the patient's pages) turns
    each English message into the reader's language before the numbers are
    filled in; without it, English.
    """
    _int(current_stage, "current_stage", 0, len(RUN_LADDER))
    _bool(bone_stress, "bone_stress")
    if bone_stress and impact_gate is None:
        raise ValueError("with bone stress the impact gate is required")
    if bone_stress and impact_gate is not None and not impact_gate.ready:
        if impact_gate.days_left == 1:
            weeks = translate(_("1 more day without running, jumping or hopping"))
        elif impact_gate.days_left:
            weeks = translate(_("{days} more days without running, jumping or hopping")).format(
                days=impact_gate.days_left
            )
        else:
            weeks = translate(_("Your time without running, jumping or hopping is complete"))
        tests = "; ".join(translate(item.label) for item in readiness_items(impact_allowed=False))
        return (
            translate(
                _(
                    "{weeks}, and a clinician's clearance before any impact. Your therapist will tell you when."
                )
            ).format(weeks=weeks),
            translate(_("Until then, pain-free activity only: {tests}, each pain-free.")).format(tests=tests),
        )
    if current_stage == 0:
        tests = "; ".join(translate(item.label) for item in READINESS_CHECKLIST)
        return (
            translate(
                _("Pass the readiness checklist, each with pain {pain_max}/10 or less: {tests}.")
            ).format(pain_max=READINESS_PAIN_MAX, tests=tests),
        )
    if current_stage == len(RUN_LADDER):
        return (translate(_("You are on the last stage: your therapist will review discharge with you.")),)
    pain = (
        translate(
            _("Every run pain-free (0/10), with no more pain that evening or the next morning than usual.")
        )
        if bone_stress
        else translate(
            _(
                "Pain during runs {safe_max}/10 or less, settled soon after (that evening {safe_max}/10 or "
                "less) and by the next morning (no worse than your usual morning pain)."
            )
        ).format(safe_max=RUN_PAIN_SAFE_MAX)
    )
    return (
        translate(_("At least one weekly check-in with runs at this stage.")),
        pain,
        translate(
            # xgettext:no-python-format
            _("The next stage keeps your weekly running time within 10 % of last week's.")
        ),
    )
