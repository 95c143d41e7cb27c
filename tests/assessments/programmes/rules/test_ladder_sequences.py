"""The ladder decision over multi-week sequences (domain.md §8.3–8.4), pure.

Each week one check-in is sent and the rules decide on the check-ins sent since the last decision
(every decision is a step), as the service does.
"""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest

from assessments.programmes.rules import (
    RUN_LADDER,
    LoggedRun,
    WeekCheckIn,
    counted_runs,
    distance_rise_warning,
    impact_gate,
    ladder_decision,
    runs_over_plan_warning,
    stage_weekly_minutes,
)

MONDAY = date(2026, 3, 2)


def week(n, *, run=2, evening=1, morning=1, usual=1, runs=None):
    """Week n (0 = the week of MONDAY): three 30-minute runs unless `runs` (minutes per run) says otherwise."""
    start = MONDAY + timedelta(weeks=n)
    logged = tuple(
        LoggedRun(start + timedelta(days=2 * i), Decimal(5), minutes)
        for i, minutes in enumerate(runs or (30, 30, 30))
    )
    return WeekCheckIn(
        start,
        run,
        morning,
        usual,
        Decimal(15),
        3,
        3,
        3,
        1,
        None,
        evening_pain=evening,
        runs=logged if run is not None else (),
    )


def gate(*, bone, switched_on=None, cleared_on=None, today):
    """The impact gate: impact stopped on the day bone stress switched on (default 7 weeks before MONDAY)."""
    stopped = switched_on or MONDAY - timedelta(weeks=7)
    return impact_gate(
        bone_stress=bone, stopped_on=stopped, weeks=6, cleared_on=cleared_on, overridden=False, today=today
    )


def simulate(weeks, *, stage, runs_per_week=3, bone_from=None, cleared=True, switched_on=None):
    """Decide week by week; returns [(action, stage after, reasons)], stopping at a stop."""
    history = []
    for checkin in weeks:
        bone = bone_from is not None and checkin.week_start >= bone_from
        today = checkin.week_start + timedelta(days=6)
        decision = ladder_decision(
            current_stage=stage,
            checkins_since_step=[checkin],
            runs_per_week=runs_per_week,
            bone_stress=bone,
            readiness_passed=True,
            impact_gate=gate(
                bone=bone,
                switched_on=switched_on,
                cleared_on=(MONDAY if cleared and switched_on is None else None),
                today=today,
            )
            if bone
            else None,
        )
        if decision.action in ("advance", "step_down"):
            stage = decision.next_stage
        history.append((decision.action, stage, decision.reasons, decision.alert_therapist))
        if decision.action == "stop":
            break
    return history


SEQUENCES = [
    # (id, start stage, weeks, bone stress from, expected [(action, stage after)])
    (
        "one bad week then two clean weeks advances",
        2,
        [week(0, run=4), week(1), week(2)],
        None,
        [("hold", 2), ("advance", 3), ("advance", 4)],
    ),
    (
        "3/10 during, 7/10 that evening, fine next morning holds",
        2,
        [week(0, run=3, evening=7, morning=1)],
        None,
        [("hold", 2)],
    ),
    (
        "evening pain 4/10 holds, then a settled week advances",
        2,
        [week(0, run=2, evening=4), week(1, evening=2)],
        None,
        [("hold", 2), ("advance", 3)],
    ),
    ("evening pain not recorded holds", 2, [week(0, evening=None)], None, [("hold", 2)]),
    (
        "run pain above 5 steps down one stage, then climbs again",
        3,
        [week(0, run=6), week(1), week(2)],
        None,
        [("step_down", 2), ("advance", 3), ("advance", 4)],
    ),
    ("run pain above 5 on stage 1 stops", 1, [week(0, run=6), week(1)], None, [("stop", 1)]),
    ("5/10 holds, not a step down", 3, [week(0, run=5)], None, [("hold", 3)]),
    (
        "bone stress from week 2 (cleared): pain-free advances, then 1/10 stops",
        1,
        [week(0), week(1, run=0, evening=1), week(2, run=1), week(3)],
        MONDAY + timedelta(weeks=1),
        [("advance", 2), ("advance", 3), ("stop", 3)],
    ),
    (
        "bone stress: evening pain above usual stops",
        2,
        [week(0, run=0, evening=2, usual=1)],
        MONDAY,
        [("stop", 2)],
    ),
]


@pytest.mark.parametrize(
    ("stage", "weeks", "bone_from", "expected"),
    [case[1:] for case in SEQUENCES],
    ids=[case[0] for case in SEQUENCES],
)
def test_ladder_sequences(stage, weeks, bone_from, expected):
    history = simulate(weeks, stage=stage, bone_from=bone_from)
    assert [(action, after) for action, after, _, _ in history] == expected


def test_bad_week_then_clean_weeks_cites_only_the_new_week():
    history = simulate([week(0, run=4), week(1), week(2)], stage=2)
    assert history[1][2] == (
        "The check-ins since the last decision (the week of 2026-03-09) show pain during runs of 3/10 or less, "
        "evening pain of 3/10 or less and no more than usual by the next morning, and the weekly running time "
        "stays within 10 %: move to stage 3, 5 × (walk 2 min / jog 4 min).",
    )


def test_evening_pain_above_five_holds_and_alerts():
    history = simulate([week(0, run=3, evening=7, morning=1)], stage=2)
    assert history == [
        (
            "hold",
            2,
            (
                "Pain the evening after running reached 7/10 in the week of 2026-03-02: the runs did not settle "
                "soon after (evening pain must stay at 3/10 or less). Reduce load and contact the clinic.",
            ),
            True,
        )
    ]


def test_step_down_alerts_the_therapist():
    assert simulate([week(0, run=6)], stage=4)[0][3] is True


def test_bone_stress_switching_on_mid_programme_stops_at_the_next_painful_check_in():
    # Cleared earlier for impact: without bone stress 2/10 advances; once bone stress is on, it stops.
    weeks = [week(0, run=2), week(1, run=2), week(2, run=2)]
    history = simulate(weeks, stage=1, bone_from=MONDAY + timedelta(weeks=2))
    assert [(a, s) for a, s, _, _ in history] == [("advance", 2), ("advance", 3), ("stop", 3)]
    assert history[-1][2] == (
        "Pain during running was 2/10 in the week of 2026-03-16. With a bone stress injury running must be "
        "pain-free: stop running and contact the clinic.",
    )
    assert history[-1][3] is True


def test_bone_stress_switching_on_without_clearance_stops_even_pain_free():
    # Switched on in week 2 (no clearance yet): the zero-impact gate is closed, so no running at all.
    switched = MONDAY + timedelta(weeks=2)
    history = simulate(
        [week(0), week(1), week(2, run=0, evening=1)],
        stage=1,
        bone_from=switched,
        switched_on=switched,
        cleared=False,
    )
    assert [(a, s) for a, s, _, _ in history] == [("advance", 2), ("advance", 3), ("stop", 3)]
    assert history[-1][2] == (
        "Bone stress: no impact for 6 weeks from 2026-03-16; 36 days left (impact from 2026-04-27 at the earliest).",
        "Bone stress: no clinician's clearance of a return to impact is recorded yet.",
        "With a suspected bone stress injury: no running until the gate opens.",
    )


# --- The zero-impact gate before the ladder -----------------------------------------------------


@pytest.mark.parametrize(
    ("days", "cleared", "action"),
    [(41, True, "not_ready"), (42, False, "not_ready"), (42, True, "start"), (100, True, "start")],
)
def test_zero_impact_gate_before_the_first_run(days, cleared, action):
    stopped = MONDAY
    today = stopped + timedelta(days=days)
    decision = ladder_decision(
        current_stage=0,
        checkins_since_step=[],
        runs_per_week=2,
        bone_stress=True,
        readiness_passed=True,
        impact_gate=impact_gate(
            bone_stress=True,
            stopped_on=stopped,
            weeks=6,
            cleared_on=today if cleared else None,
            overridden=False,
            today=today,
        ),
    )
    assert decision.action == action


def test_bone_stress_decision_needs_the_gate():
    with pytest.raises(ValueError, match="impact gate"):
        ladder_decision(
            current_stage=0, checkins_since_step=[], runs_per_week=2, bone_stress=True, readiness_passed=True
        )


# --- Runs above the plan and the 10 % rule ------------------------------------------------------


def test_runs_above_the_plan_are_flagged_and_do_not_count():
    # 5 runs of 20 min = 100 min, but only the plan's 3 count: 60 min, and stage 2 plans 90 (+50 %).
    decision = ladder_decision(
        current_stage=1,
        checkins_since_step=[week(0, runs=(20, 20, 20, 20, 20))],
        runs_per_week=3,
        bone_stress=False,
        readiness_passed=True,
    )
    assert decision.action == "hold"
    assert decision.reasons == (
        "Stage 2 would raise your weekly running time from 60 to 90 minutes (+50.0 %), more than 10 %: "
        "repeat this stage before moving up.",
    )
    assert decision.warnings == (
        "5 runs were logged in the week of 2026-03-02; the plan is 3 a week, with rest days between runs. "
        "The 2 extra runs do not count towards moving up.",
    )


def test_runs_as_planned_advance_without_a_warning():
    decision = ladder_decision(
        current_stage=1,
        checkins_since_step=[week(0)],
        runs_per_week=3,
        bone_stress=False,
        readiness_passed=True,
    )
    assert (decision.action, decision.warnings) == ("advance", ())


def test_one_extra_run_is_singular():
    assert runs_over_plan_warning(3, planned_per_week=2, week_label="the week of 2026-03-02") == (
        "3 runs were logged in the week of 2026-03-02; the plan is 2 a week, with rest days between runs. "
        "The 1 extra run does not count towards moving up."
    )


def test_counted_runs_are_the_first_of_the_week():
    runs = [LoggedRun(MONDAY + timedelta(days=d), Decimal(5), m) for d, m in [(4, 40), (0, 20), (2, 30)]]
    result = counted_runs(runs, planned_per_week=2)
    assert ([r.minutes for r in result.counted], [r.minutes for r in result.extra]) == ([20, 30], [40])
    assert result.counted_minutes == Decimal(50)


@pytest.mark.parametrize(
    ("this_week", "last_week", "expected"),
    [
        ("11", "10", None),  # exactly 10 %
        (
            "11.01",
            "10",
            "Weekly running distance rose from 10 to 11.01 km (+10.1 %), more than 10 % in a week: "
            "keep next week's distance the same or lower.",
        ),
        (
            "15",
            "10",
            "Weekly running distance rose from 10 to 15 km (+50.0 %), more than 10 % in a week: "
            "keep next week's distance the same or lower.",
        ),
        ("5", "0", None),  # no distance last week: no ratio
        ("8", "10", None),
    ],
)
def test_distance_rise_warning_above_ten_percent(this_week, last_week, expected):
    assert distance_rise_warning(Decimal(this_week), Decimal(last_week)) == expected


@pytest.mark.parametrize("runs", [1, 2, 3])
def test_ladder_planned_weekly_minutes_never_rise_over_ten_percent(runs):
    weekly = [stage_weekly_minutes(stage, runs) for stage in range(1, len(RUN_LADDER) + 1)]
    assert all(b <= a * Decimal("1.1") for a, b in itertools.pairwise(weekly))
