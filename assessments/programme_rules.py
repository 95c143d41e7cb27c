"""Clinical rules of the 4–8 week programme (domain.md §8.3–8.6, issue 7).

The return-to-run ladder and its gate, the readiness-to-run checklist, the
weekly check-in, adherence, the on track / behind / attention status, the
week-4 review trigger and the discharge criteria. Pure functions and frozen
dataclasses: no Django, no database. Computed numbers are Decimal; bad input
raises ValueError. The results are advice for the therapist (§8.3: warnings,
never blocks); overrides with a reason live in the service.

Load measure for the 10 % rule on the ladder: **minutes of run sessions per
week, walk breaks included** (stage session minutes × runs per week). The
walk–run stages of [R30] keep each session at about 30 min and shift the
walk/run ratio, so progression comes from the running share (gated by pain)
while weekly time on feet stays within 10 %. Counting only running minutes
would make every early step a 33–50 % rise and the ladder could never move.
From 30 min continuous on, session minutes are running minutes. Last week's
load is the minutes logged in the latest check-in (`weekly_run_min`), or the
current stage's plan when it reports a run but no minutes. Distance (`weekly_km`) is not
gated here: the §8.3 km warning is `assessments.measures.load_rise_flagged`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from assessments.measures import load_rise_flagged, lsi_flagged, weekly_load_change_percent

Number = int | float | Decimal
Action = Literal["start", "advance", "hold", "stop", "not_ready"]
Status = Literal["on_track", "behind", "attention"]

ONE_DP = Decimal("0.1")

RUN_PAIN_SAFE_MAX = 3  # §8.3: up to 3/10 during a run is fine if settled by next morning
RUN_PAIN_ACCEPTABLE_MAX = 5  # §8.3 [R28]: 4–5 acceptable, > 5 not acceptable
READINESS_PAIN_MAX = 2  # §8.4 [R29]: every readiness test with pain ≤ 2/10
NO_CHECKIN_ATTENTION_DAYS = 10  # issue 7 status rule
ADHERENCE_BEHIND_BELOW = Decimal(50)  # issue 7 status rule, percent
LEFS_MCID = 9  # §7.3
LEFS_DISCHARGE_SCORE = 70  # §8.6 †
LEFS_MAX = 80
PSFS_MDC = Decimal(2)  # §7.4, mean change
NPRS_MUCH_BETTER = 2  # §7.2, points
SLS_POOR_MAX = 1  # §8.6 †
SLS_CRITERIA_COUNT = 5
RUNS_PER_WEEK_MAX = 3  # §8.3: a rest day between runs in the early return
RUNS_PER_WEEK_MAX_BONE_STRESS = 2  # §8.3: two rest days after a stress fracture


# --- Validation helpers ----------------------------------------------------
# Wrong types raise ValueError too, so callers catch one exception only.


def _int(value: object, name: str, low: int, high: int) -> int:
    # bool is an int subclass; True must not pass as 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _pain(value: object, name: str) -> int:
    return _int(value, name, 0, 10)


def _optional_pain(value: object, name: str) -> int | None:
    return None if value is None else _pain(value, name)


def _bool(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return value


def _optional_bool(value: object, name: str) -> bool | None:
    return None if value is None else _bool(value, name)


def _date(value: object, name: str) -> date:
    # datetime is a date subclass; a timestamp is not a calendar day.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"{name} must be a date, got {value!r}")
    return value


def _decimal(value: object, name: str, low: Decimal | None = None, high: Decimal | None = None) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{name} must be a number, got {value!r}")
    # str() keeps the float's shortest repr, so 0.1 becomes Decimal("0.1").
    result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{name} must be finite, got {value!r}")
    if (low is not None and result < low) or (high is not None and result > high):
        raise ValueError(f"{name} must be between {low} and {high}, got {value!r}")
    return result + 0  # + 0 turns -0 into 0


def _sequence(value: object, name: str) -> Sequence[object]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ValueError(f"{name} must be a sequence, got {value!r}")
    return value


def _fmt(value: Decimal) -> str:
    """Format a Decimal without exponent or trailing zeros after the point."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- Return-to-run ladder (§8.4 [R30], issue 7) -----------------------------


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
        label="5 × (walk 4 min / jog 2 min)",
        description="Walk 4 minutes, then jog 2 minutes; repeat 5 times (30 minutes in all).",
        walk_min=4,
        run_min=2,
        reps=5,
        continuous_min=None,
        source="[R30]",
    ),
    RunStage(
        code="WR_3_3",
        label="5 × (walk 3 min / jog 3 min)",
        description="Walk 3 minutes, then jog 3 minutes; repeat 5 times (30 minutes in all).",
        walk_min=3,
        run_min=3,
        reps=5,
        continuous_min=None,
        source="[R30]",
    ),
    RunStage(
        code="WR_2_4",
        label="5 × (walk 2 min / jog 4 min)",
        description="Walk 2 minutes, then jog 4 minutes; repeat 5 times (30 minutes in all).",
        walk_min=2,
        run_min=4,
        reps=5,
        continuous_min=None,
        source="[R30]",
    ),
    RunStage(
        code="RW_14_2",
        label="2 × (jog 14 min / walk 2 min)",
        description="Jog 14 minutes, then walk 2 minutes; repeat twice (32 minutes in all).",
        walk_min=2,
        run_min=14,
        reps=2,
        continuous_min=None,
        source="[R30]",
    ),
    RunStage(
        code="CONT_30",
        label="30 min continuous",
        description="Jog 30 minutes without walk breaks, at an easy, conversational pace.",
        walk_min=None,
        run_min=None,
        reps=None,
        continuous_min=30,
        source="[R30]",
    ),
    RunStage(
        code="INTERVALS_30",
        label="30 min with intervals (clinic default)",
        description=(
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
        label="33 min continuous, longer run (clinic default)",
        description="Jog 33 minutes at an easy pace: 10 % longer than the 30-minute runs.",
        walk_min=None,
        run_min=None,
        reps=None,
        continuous_min=33,
        source="† clinic default, after [S3] (longer runs)",
    ),
    RunStage(
        code="HILLS_33",
        label="33 min with gentle hills (clinic default)",
        description=(
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


def max_runs_per_week(*, bone_stress: bool) -> int:
    """Return the most runs a week with the §8.3 rest days between runs (a warning limit)."""
    return RUNS_PER_WEEK_MAX_BONE_STRESS if _bool(bone_stress, "bone_stress") else RUNS_PER_WEEK_MAX


# --- Readiness-to-run checklist (§8.4 [R29]) --------------------------------


@dataclass(frozen=True)
class ReadinessItem:
    code: str
    label: str


READINESS_CHECKLIST: tuple[ReadinessItem, ...] = (
    ReadinessItem("WALK_30_MIN", "Walk for 30 minutes"),
    ReadinessItem("SLS_10_S", "Stand on one leg for 10 seconds, each leg"),
    ReadinessItem("SL_SQUAT_10", "Single-leg squat × 10, each leg"),
    ReadinessItem("JOG_SPOT_1_MIN", "Jog on the spot for 1 minute"),
    ReadinessItem("JUMP_SQUATS", "Jump squats × 10–15"),
    ReadinessItem("BOUNDING", "Bounding × 10–15 per leg"),
    ReadinessItem("HOP_IN_PLACE", "Hop on the spot × 10–15 (or for 30 seconds)"),
)
READINESS_CODES: tuple[str, ...] = tuple(item.code for item in READINESS_CHECKLIST)


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


# --- Weekly check-in and the ladder gate (§8.3, issue 7 point 3) ------------


@dataclass(frozen=True)
class WeekCheckIn:
    """The patient's weekly check-in, as far as the rules need it.

    Pains are 0–10 or None when not answered. `run_pain_max` is the worst pain
    during any run that week (None: no run). `weekly_run_min` is the total
    minutes of run sessions logged, walk breaks included (None: not logged).
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

    def __post_init__(self) -> None:
        _date(self.week_start, "week_start")
        for name in ("run_pain_max", "next_morning_pain", "baseline_morning_pain", "pain_worst", "pain_now"):
            _optional_pain(getattr(self, name), name)
        # Store Decimals so equal check-ins compare equal whatever number type came in.
        object.__setattr__(self, "weekly_km", _decimal(self.weekly_km, "weekly_km", Decimal(0), Decimal(700)))
        if self.weekly_run_min is not None:
            minutes = _decimal(self.weekly_run_min, "weekly_run_min", Decimal(0), Decimal(7 * 24 * 60))
            object.__setattr__(self, "weekly_run_min", minutes)
        _int(self.sessions_done, "sessions_done", 0, 50)
        _int(self.sessions_prescribed, "sessions_prescribed", 0, 50)


@dataclass(frozen=True)
class LadderDecision:
    """What the ladder recommends.

    action: start (stage 1 after the readiness checklist), advance (to
    next_stage), hold (repeat next_stage, the current one), stop (no running
    until the therapist reviews; next_stage is None) or not_ready (checklist
    not passed; next_stage is None). reasons are plain sentences for the
    patient and therapist; alert_therapist asks for a clinic contact.
    """

    action: Action
    next_stage: int | None
    reasons: tuple[str, ...]
    alert_therapist: bool


def _week(checkin: WeekCheckIn) -> str:
    return f"the week of {checkin.week_start.isoformat()}"


def ladder_decision(
    *,
    current_stage: int,
    checkins_since_step: Sequence[WeekCheckIn],
    runs_per_week: int,
    bone_stress: bool,
    readiness_passed: bool,
) -> LadderDecision:
    """Decide whether the patient starts, advances, holds or stops on the ladder.

    current_stage is 0 before the first run, else 1…len(RUN_LADDER).
    checkins_since_step are the check-ins since the patient reached it.
    Rules, most severe first (every rule that applies adds a reason):
    - not started: not_ready until the readiness checklist passed, then start.
    - bone stress: any pain during a run (> 0/10), or next-morning pain above
      the usual morning level, stops running and alerts the therapist.
    - other problems: run pain > 5/10 holds and alerts ("reduce load");
      4–5/10 holds (acceptable band, not yet for moving up); next-morning pain
      above the usual morning level holds ("reduce load").
    - holds without a check-in, without a logged run since the step, or with
      a run but no next-morning pain recorded.
    - holds if the next stage's planned weekly minutes rise > 10 % over last
      week's, or if there was no running last week. Last week is the latest
      check-in: its weekly_run_min, else the current stage's plan if it
      reports a run, else 0.
    - the top stage holds.
    Otherwise advance. A missing usual-morning level counts as 0/10.
    """
    _int(current_stage, "current_stage", 0, len(RUN_LADDER))
    _int(runs_per_week, "runs_per_week", 1, 7)
    _bool(bone_stress, "bone_stress")
    _bool(readiness_passed, "readiness_passed")
    checkins: list[WeekCheckIn] = []
    for checkin in _sequence(checkins_since_step, "checkins_since_step"):
        if not isinstance(checkin, WeekCheckIn):
            raise ValueError(f"expected WeekCheckIn items, got {checkin!r}")
        checkins.append(checkin)
    ordered = sorted(checkins, key=lambda c: c.week_start)
    weeks = [c.week_start for c in ordered]
    if len(set(weeks)) != len(weeks):
        raise ValueError("checkins_since_step has two check-ins for the same week")

    if current_stage == 0:
        if not readiness_passed:
            reason = (
                "Running starts once the readiness-to-run checklist is passed: every test done "
                f"with pain {READINESS_PAIN_MAX}/10 or less."
            )
            return LadderDecision("not_ready", None, (reason,), False)
        first = ladder_stage(1)
        reason = f"Readiness checklist passed: start stage 1, {first.label}."
        return LadderDecision("start", 1, (reason,), False)

    stop: list[str] = []
    hold: list[str] = []
    alert = False
    for c in ordered:
        usual = c.baseline_morning_pain or 0
        morning_rose = c.next_morning_pain is not None and c.next_morning_pain > usual
        if bone_stress:
            if c.run_pain_max is not None and c.run_pain_max > 0:
                stop.append(
                    f"Pain during running was {c.run_pain_max}/10 in {_week(c)}. With a bone stress "
                    "injury running must be pain-free: stop running and contact the clinic."
                )
            if morning_rose:
                stop.append(
                    f"Next-morning pain ({c.next_morning_pain}/10) was above your usual morning level "
                    f"({usual}/10) in {_week(c)}. With a bone stress injury: stop running and contact "
                    "the clinic."
                )
        else:
            if c.run_pain_max is not None and c.run_pain_max > RUN_PAIN_ACCEPTABLE_MAX:
                alert = True
                hold.append(
                    f"Pain during running reached {c.run_pain_max}/10 in {_week(c)}, above the "
                    f"acceptable {RUN_PAIN_ACCEPTABLE_MAX}/10: reduce load and contact the clinic."
                )
            elif c.run_pain_max is not None and c.run_pain_max > RUN_PAIN_SAFE_MAX:
                hold.append(
                    f"Pain during running reached {c.run_pain_max}/10 in {_week(c)}. That is acceptable, "
                    f"but it must stay at {RUN_PAIN_SAFE_MAX}/10 or less before moving up: repeat this stage."
                )
            if morning_rose:
                hold.append(
                    f"Next-morning pain ({c.next_morning_pain}/10) was above your usual morning level "
                    f"({usual}/10) in {_week(c)}: reduce load and repeat this stage."
                )
        if c.run_pain_max is not None and c.next_morning_pain is None:
            hold.append(
                f"Next-morning pain was not recorded for {_week(c)}; it is needed to check that the runs settled."
            )

    if stop:
        return LadderDecision("stop", None, tuple(stop), True)

    if current_stage == len(RUN_LADDER):
        hold.append("This is the last stage of the ladder: your therapist will review discharge.")
    if not ordered:
        hold.append("No check-in since the last step yet: log a week of runs at this stage first.")
    elif all(c.run_pain_max is None for c in ordered):
        hold.append("No runs logged at this stage yet: log a week of runs at this stage first.")
    elif current_stage < len(RUN_LADDER):
        latest = ordered[-1]
        last_load = latest.weekly_run_min
        if last_load is None:
            # Minutes not logged: a week with a run is taken to follow the plan, a week without is 0.
            ran = latest.run_pain_max is not None
            last_load = stage_weekly_minutes(current_stage, runs_per_week) if ran else Decimal(0)
        next_load = stage_weekly_minutes(current_stage + 1, runs_per_week)
        if last_load == 0:
            hold.append(f"No running was logged in {_week(latest)}: repeat this stage before moving up.")
        elif load_rise_flagged(next_load, last_load):
            change = weekly_load_change_percent(next_load, last_load)
            hold.append(
                f"Stage {current_stage + 1} would raise your weekly running time from "
                f"{_fmt(last_load)} to {_fmt(next_load)} minutes (+{change} %), more than 10 %: "
                "repeat this stage before moving up."
            )

    if hold:
        return LadderDecision("hold", current_stage, tuple(hold), alert)

    target = current_stage + 1
    pain_rule = "pain-free runs" if bone_stress else f"pain during runs of {RUN_PAIN_SAFE_MAX}/10 or less"
    reason = (
        f"Every check-in since the last step shows {pain_rule}, settled by the next morning, and the "
        f"weekly running time stays within 10 %: move to stage {target}, {ladder_stage(target).label}."
    )
    return LadderDecision("advance", target, (reason,), False)


def unlock_requirements(current_stage: int, *, bone_stress: bool) -> tuple[str, ...]:
    """Return, in plain words, what unlocks the next stage (for the patient's weekly page)."""
    _int(current_stage, "current_stage", 0, len(RUN_LADDER))
    _bool(bone_stress, "bone_stress")
    if current_stage == 0:
        tests = "; ".join(item.label for item in READINESS_CHECKLIST)
        return (f"Pass the readiness checklist, each with pain {READINESS_PAIN_MAX}/10 or less: {tests}.",)
    if current_stage == len(RUN_LADDER):
        return ("You are on the last stage: your therapist will review discharge with you.",)
    pain = (
        "Every run pain-free (0/10), with no more pain the next morning than usual."
        if bone_stress
        else f"Pain during runs {RUN_PAIN_SAFE_MAX}/10 or less, and settled by the next morning "
        "(no worse than your usual morning pain)."
    )
    return (
        "At least one weekly check-in with runs at this stage.",
        pain,
        "The next stage keeps your weekly running time within 10 % of last week's.",
    )


# --- Adherence and programme status (issue 7 point 5) ----------------------


def adherence_percent(done: int, prescribed: int) -> Decimal | None:
    """Return sessions done ÷ prescribed × 100 to 1 dp (half-up); None if none prescribed.

    More sessions than prescribed give more than 100 %; the value is not capped.
    """
    _int(done, "done", 0, 1000)
    _int(prescribed, "prescribed", 0, 1000)
    if prescribed == 0:
        return None
    # Multiply before dividing so exact ties round half-up.
    return (Decimal(done) * 100 / Decimal(prescribed)).quantize(ONE_DP, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class StatusResult:
    """Programme status and the rules that set it (empty reasons when on track)."""

    status: Status
    reasons: tuple[str, ...]


def programme_status(
    *,
    today: date,
    last_checkin: date | None,
    start_date: date,
    worst_pain_by_week: Sequence[int | None],
    adherence_by_week: Sequence[Decimal | None],
) -> StatusResult:
    """Return on_track, behind or attention for the therapist's dashboard.

    Rules (attention wins over behind; every rule that fires adds a reason):
    - attention: 10 or more days without a check-in, counted from the last
      check-in, or from start_date if there is none yet (so never in week 1).
    - attention: worst pain rose two weeks in a row (the last three weeks with
      an answer, each higher than the one before).
    - behind: the latest week with sessions prescribed has adherence < 50 %.
    - on_track otherwise, and before start_date.
    Weeks are in order, oldest first; None means no answer / nothing prescribed.
    """
    _date(today, "today")
    _date(start_date, "start_date")
    if last_checkin is not None:
        _date(last_checkin, "last_checkin")
        if last_checkin < start_date:
            raise ValueError(f"last_checkin {last_checkin} is before start_date {start_date}")
        if last_checkin > today:
            raise ValueError(f"last_checkin {last_checkin} is after today {today}")
    pains = [
        _optional_pain(p, "worst_pain_by_week item")
        for p in _sequence(worst_pain_by_week, "worst_pain_by_week")
    ]
    adherence = [
        None if a is None else _decimal(a, "adherence_by_week item", Decimal(0))
        for a in _sequence(adherence_by_week, "adherence_by_week")
    ]
    if today < start_date:
        return StatusResult("on_track", ())

    attention: list[str] = []
    behind: list[str] = []

    since = last_checkin or start_date
    days = (today - since).days
    if days >= NO_CHECKIN_ATTENTION_DAYS:
        if last_checkin is None:
            attention.append(
                f"No check-in yet, {days} days after the programme started on {start_date.isoformat()}."
            )
        else:
            attention.append(f"No check-in for {days} days (last on {last_checkin.isoformat()}).")

    answered = [p for p in pains if p is not None]
    if len(answered) >= 3 and answered[-3] < answered[-2] < answered[-1]:
        a, b, c = answered[-3:]
        attention.append(f"Worst pain has risen two weeks in a row ({a} → {b} → {c}/10).")

    recorded = [a for a in adherence if a is not None]
    if recorded and recorded[-1] < ADHERENCE_BEHIND_BELOW:
        behind.append(
            f"Exercise adherence in the latest week was {recorded[-1]} %, below {ADHERENCE_BEHIND_BELOW} %."
        )

    if attention:
        return StatusResult("attention", tuple(attention + behind))
    if behind:
        return StatusResult("behind", tuple(behind))
    return StatusResult("on_track", ())


# --- Re-assessment and discharge (§8.6) -------------------------------------


def week4_review_needed(lefs_change: Number, psfs_mean_change: Number, nprs_change: Number) -> bool:
    """Return True when the week-4 re-assessment shows no meaningful change on any measure.

    §8.6 says "LEFS < +9, PSFS < +2 and NPRS < −2 all hold". Changes are
    follow-up − baseline, so an NPRS improvement is negative and "NPRS < −2"
    is read as "NPRS has not improved by 2 points" (§7.2 "much better").
    Review (diagnosis, imaging, onward referral) when all three hold:
    LEFS change < 9 AND PSFS mean change < 2 AND NPRS change > −2.
    Reaching exactly +9, +2 or −2 counts as improvement.
    """
    lefs = _decimal(lefs_change, "lefs_change", Decimal(-LEFS_MAX), Decimal(LEFS_MAX))
    psfs = _decimal(psfs_mean_change, "psfs_mean_change", Decimal(-10), Decimal(10))
    nprs = _decimal(nprs_change, "nprs_change", Decimal(-10), Decimal(10))
    return lefs < LEFS_MCID and psfs < PSFS_MDC and nprs > -NPRS_MUCH_BETTER


@dataclass(frozen=True)
class DischargeCriterion:
    """One discharge criterion: met True/False, or None when not assessed."""

    code: str
    label: str
    met: bool | None


# (code, label) in display order.
DISCHARGE_CRITERIA: tuple[tuple[str, str], ...] = (
    ("RUN_PAIN", f"Pain during running {RUN_PAIN_SAFE_MAX}/10 or less, with no increase the next morning"),
    ("RUN_30_CONTINUOUS", "30 minutes of continuous running completed"),
    ("STRENGTH_LSI", "Strength limb symmetry 90 % or more in every muscle group tested"),
    ("HOP_LSI", "Hop test limb symmetry 90 % or more (if tested)"),
    ("SL_SQUAT", f"Single-leg squat: {SLS_POOR_MAX} or fewer of the 5 criteria rated poor"),
    ("LEFS", f"LEFS improved by {LEFS_MCID} points or more, or at least {LEFS_DISCHARGE_SCORE}/{LEFS_MAX}"),
    ("PSFS_GOALS", "PSFS goals met"),
    ("RED_FLAGS", "No open red flags"),
    ("MAINTENANCE_PLAN", "Maintenance strength plan issued (twice a week)"),
)


def _lsi_met(values: object, name: str) -> bool | None:
    items = _sequence(values, name)
    if not items:
        return None
    # lsi_flagged validates each value and applies the 90 % pass mark.
    return not any(lsi_flagged(_decimal(v, name, Decimal(0))) for v in items)


def discharge_criteria(
    *,
    run_pain_max: int | None,
    next_morning_pain: int | None,
    baseline_morning_pain: int | None,
    continuous_30_min_done: bool | None,
    strength_lsi: Sequence[Number],
    hop_lsi: Sequence[Number],
    sls_poor_count: int | None,
    lefs_baseline: int | None,
    lefs_latest: int | None,
    open_red_flags: int,
    psfs_goals_met: bool | None = None,
    maintenance_plan_issued: bool | None = None,
) -> tuple[DischargeCriterion, ...]:
    """Return the §8.6 discharge criteria in a fixed order, each met / unmet / not assessed.

    - RUN_PAIN: run pain ≤ 3/10 and next-morning pain not above the usual
      morning level (missing usual level = 0); None without both pains.
    - RUN_30_CONTINUOUS: as recorded.
    - STRENGTH_LSI / HOP_LSI: every LSI given ≥ 90 %; None when none given.
    - SL_SQUAT: poor criteria (0–5) ≤ 1 on the index side.
    - LEFS: latest ≥ 70/80, or latest − baseline ≥ 9; None without a latest
      score, or below 70 without a baseline.
    - PSFS_GOALS, MAINTENANCE_PLAN: as recorded.
    - RED_FLAGS: no open red flags (always assessed).
    """
    run_pain = _optional_pain(run_pain_max, "run_pain_max")
    morning = _optional_pain(next_morning_pain, "next_morning_pain")
    usual = _optional_pain(baseline_morning_pain, "baseline_morning_pain") or 0
    run_pain_met = (
        None if run_pain is None or morning is None else run_pain <= RUN_PAIN_SAFE_MAX and morning <= usual
    )

    sls = None if sls_poor_count is None else _int(sls_poor_count, "sls_poor_count", 0, SLS_CRITERIA_COUNT)
    baseline = None if lefs_baseline is None else _int(lefs_baseline, "lefs_baseline", 0, LEFS_MAX)
    latest = None if lefs_latest is None else _int(lefs_latest, "lefs_latest", 0, LEFS_MAX)
    lefs_met: bool | None
    if latest is None:
        lefs_met = None
    elif latest >= LEFS_DISCHARGE_SCORE:
        lefs_met = True
    elif baseline is None:
        lefs_met = None
    else:
        lefs_met = latest - baseline >= LEFS_MCID

    met: dict[str, bool | None] = {
        "RUN_PAIN": run_pain_met,
        "RUN_30_CONTINUOUS": _optional_bool(continuous_30_min_done, "continuous_30_min_done"),
        "STRENGTH_LSI": _lsi_met(strength_lsi, "strength_lsi"),
        "HOP_LSI": _lsi_met(hop_lsi, "hop_lsi"),
        "SL_SQUAT": None if sls is None else sls <= SLS_POOR_MAX,
        "LEFS": lefs_met,
        "PSFS_GOALS": _optional_bool(psfs_goals_met, "psfs_goals_met"),
        "RED_FLAGS": _int(open_red_flags, "open_red_flags", 0, 100) == 0,
        "MAINTENANCE_PLAN": _optional_bool(maintenance_plan_issued, "maintenance_plan_issued"),
    }
    return tuple(DischargeCriterion(code, label, met[code]) for code, label in DISCHARGE_CRITERIA)
