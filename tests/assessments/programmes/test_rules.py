import dataclasses
import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from assessments.programmes.rules import (
    READINESS_CHECKLIST,
    READINESS_CODES,
    RUN_LADDER,
    DischargeCriterion,
    LadderDecision,
    ReadinessResult,
    StatusResult,
    WeekCheckIn,
    adherence_percent,
    discharge_criteria,
    impact_gate,
    ladder_decision,
    ladder_stage,
    max_runs_per_week,
    programme_status,
    readiness_failures,
    readiness_passed,
    stage_weekly_minutes,
    unlock_requirements,
    week4_review_needed,
)

MONDAY = date(2026, 3, 2)
START = MONDAY


def checkin(
    week=0,
    *,
    run=2,
    morning=1,
    usual=1,
    km="10",
    done=2,
    prescribed=2,
    worst=3,
    now=1,
    run_min=None,
    evening="same",
):
    """A check-in for programme week `week` (0 = the week of MONDAY); evening pain defaults to the usual level."""
    return WeekCheckIn(
        MONDAY + timedelta(weeks=week),
        run,
        morning,
        usual,
        Decimal(km),
        done,
        prescribed,
        worst,
        now,
        None if run_min is None else Decimal(run_min),
        evening_pain=(None if run is None else (usual or 0)) if evening == "same" else evening,
    )


# The impact gate of a bone-stress patient cleared after 6 weeks without impact.
OPEN_GATE = impact_gate(
    bone_stress=True,
    stopped_on=MONDAY - timedelta(weeks=7),
    weeks=6,
    cleared_on=MONDAY,
    overridden=False,
    today=MONDAY,
)


def decide(stage, checkins, *, runs=3, bone=False, ready=True):
    return ladder_decision(
        current_stage=stage,
        checkins_since_step=checkins,
        runs_per_week=runs,
        bone_stress=bone,
        readiness_passed=ready,
        impact_gate=OPEN_GATE if bone else None,
    )


ALL_PASSED = {code: ReadinessResult(done=True, pain=0) for code in READINESS_CODES}


# --- Ladder stages (§8.4 [R30]) ---------------------------------------------


def test_run_ladder_stages_follow_r30_then_clinic_defaults():
    rows = [(s.code, s.walk_min, s.run_min, s.reps, s.continuous_min, s.session_min) for s in RUN_LADDER]
    assert rows == [
        ("WR_4_2", 4, 2, 5, None, 30),
        ("WR_3_3", 3, 3, 5, None, 30),
        ("WR_2_4", 2, 4, 5, None, 30),
        ("RW_14_2", 2, 14, 2, None, 32),
        ("CONT_30", None, None, None, 30, 30),
        ("INTERVALS_30", None, None, None, 30, 30),
        ("LONGER_33", None, None, None, 33, 33),
        ("HILLS_33", None, None, None, 33, 33),
    ]


def test_run_ladder_later_stages_labelled_clinic_default():
    labels = [(s.source.startswith("† clinic default"), "clinic default" in s.label) for s in RUN_LADDER]
    assert labels == [(False, False)] * 5 + [(True, True)] * 3


def test_run_ladder_running_minutes_rise_through_walk_run_stages():
    assert [s.running_min for s in RUN_LADDER] == [10, 15, 20, 28, 30, 30, 33, 33]


def test_run_ladder_consecutive_stages_rise_at_most_ten_percent():
    sessions = [s.session_min for s in RUN_LADDER]
    rises = [Decimal(b - a) * 100 / a for a, b in itertools.pairwise(sessions)]
    assert all(rise <= 10 for rise in rises)


@pytest.mark.parametrize(
    ("stage", "runs", "expected"),
    [
        (1, 3, Decimal(90)),
        (4, 3, Decimal(96)),
        (5, 2, Decimal(60)),
        (7, 3, Decimal(99)),
        (8, 1, Decimal(33)),
    ],
)
def test_stage_weekly_minutes_is_session_minutes_times_runs(stage, runs, expected):
    assert stage_weekly_minutes(stage, runs) == expected


@pytest.mark.parametrize(("stage", "runs"), [(0, 3), (9, 3), (1, 0), (1, 8), (True, 3), (1, 2.0)])
def test_stage_weekly_minutes_rejects_invalid(stage, runs):
    with pytest.raises(ValueError):
        stage_weekly_minutes(stage, runs)


def test_ladder_stage_counts_from_one():
    assert (ladder_stage(1).code, ladder_stage(8).code) == ("WR_4_2", "HILLS_33")


@pytest.mark.parametrize(("bone", "expected"), [(False, 3), (True, 2)])
def test_max_runs_per_week_keeps_rest_days(bone, expected):
    assert max_runs_per_week(bone_stress=bone) == expected


# --- Readiness checklist (§8.4 [R29]) -----------------------------------------


def test_readiness_checklist_lists_the_seven_r29_tests():
    assert READINESS_CODES == (
        "WALK_30_MIN",
        "SLS_10_S",
        "SL_SQUAT_10",
        "JOG_SPOT_1_MIN",
        "JUMP_SQUATS",
        "BOUNDING",
        "HOP_IN_PLACE",
    )
    assert [item.label for item in READINESS_CHECKLIST] == [
        "Walk for 30 minutes",
        "Stand on one leg for 10 seconds, each leg",
        "Single-leg squat × 10, each leg",
        "Jog on the spot for 1 minute",
        "Jump squats × 10–15",
        "Bounding × 10–15 per leg",
        "Hop on the spot × 10–15 (or for 30 seconds)",
    ]


@pytest.mark.parametrize(
    ("changes", "passed", "failures"),
    [
        ({}, True, ()),
        ({"BOUNDING": ReadinessResult(done=True, pain=2)}, True, ()),
        ({"BOUNDING": ReadinessResult(done=True, pain=3)}, False, ("BOUNDING",)),
        ({"WALK_30_MIN": ReadinessResult(done=False, pain=0)}, False, ("WALK_30_MIN",)),
        (
            {
                "HOP_IN_PLACE": ReadinessResult(done=True, pain=5),
                "SLS_10_S": ReadinessResult(done=False, pain=0),
            },
            False,
            ("SLS_10_S", "HOP_IN_PLACE"),
        ),
    ],
)
def test_readiness_passed_needs_every_test_done_with_pain_at_most_two(changes, passed, failures):
    results = {**ALL_PASSED, **changes}
    assert (readiness_passed(results), readiness_failures(results)) == (passed, failures)


def test_readiness_passed_false_when_a_test_is_missing():
    results = {code: r for code, r in ALL_PASSED.items() if code != "JUMP_SQUATS"}
    assert (readiness_passed(results), readiness_failures(results)) == (False, ("JUMP_SQUATS",))


def test_readiness_passed_false_when_nothing_recorded():
    assert readiness_failures({}) == READINESS_CODES


@pytest.mark.parametrize(
    "results",
    [
        {**ALL_PASSED, "PLANK": ReadinessResult(done=True, pain=0)},
        {**ALL_PASSED, "BOUNDING": (True, 0)},
        [("BOUNDING", ReadinessResult(done=True, pain=0))],
    ],
)
def test_readiness_passed_rejects_invalid(results):
    with pytest.raises(ValueError):
        readiness_passed(results)


@pytest.mark.parametrize(("done", "pain"), [(1, 0), (True, 11), (True, -1), (True, 2.0), (True, None)])
def test_readiness_result_rejects_invalid(done, pain):
    with pytest.raises(ValueError):
        ReadinessResult(done=done, pain=pain)


# --- Weekly check-in ----------------------------------------------------------


def test_week_checkin_stores_decimals():
    result = WeekCheckIn(MONDAY, 2, 1, 1, 10, 2, 2, 3, 1, 90)
    assert (result.weekly_km, result.weekly_run_min) == (Decimal(10), Decimal(90))
    assert isinstance(result.weekly_km, Decimal)


@pytest.mark.parametrize(
    "changes",
    [
        {"week_start": datetime(2026, 3, 2, 9, 0)},  # noqa: DTZ001 -- a timestamp is the invalid input
        {"week_start": "2026-03-02"},
        {"run_pain_max": 11},
        {"next_morning_pain": -1},
        {"baseline_morning_pain": 2.0},
        {"pain_worst": True},
        {"weekly_km": Decimal(-1)},
        {"weekly_km": "10"},
        {"weekly_km": Decimal("NaN")},
        {"weekly_run_min": Decimal(-5)},
        {"sessions_done": -1},
        {"sessions_prescribed": 1.5},
    ],
)
def test_week_checkin_rejects_invalid(changes):
    fields = {
        "week_start": MONDAY,
        "run_pain_max": 2,
        "next_morning_pain": 1,
        "baseline_morning_pain": 1,
        "weekly_km": Decimal(10),
        "sessions_done": 2,
        "sessions_prescribed": 2,
        "pain_worst": 3,
        "pain_now": 1,
        "weekly_run_min": None,
    }
    with pytest.raises(ValueError):
        WeekCheckIn(**{**fields, **changes})


# --- Ladder gate (§8.3) --------------------------------------

LADDER_CASES = [
    # (id, stage, checkins, bone stress, readiness passed, (action, next stage, alert))
    ("not ready before the checklist", 0, [], False, False, ("not_ready", None, False)),
    ("bone stress not ready either", 0, [], True, False, ("not_ready", None, False)),
    ("starts once the checklist passed", 0, [], False, True, ("start", 1, False)),
    ("advances at 3/10, settled", 1, [checkin(run=3)], False, True, ("advance", 2, False)),
    (
        "advances over two good weeks",
        2,
        [checkin(0, run=0), checkin(1, run=2)],
        False,
        True,
        ("advance", 3, False),
    ),
    ("readiness flag irrelevant once running", 3, [checkin()], False, False, ("advance", 4, False)),
    ("holds at 4/10", 2, [checkin(run=4)], False, True, ("hold", 2, False)),
    ("holds at 5/10", 2, [checkin(run=5)], False, True, ("hold", 2, False)),
    ("steps down and alerts above 5/10", 2, [checkin(run=6)], False, True, ("step_down", 1, True)),
    (
        "holds if any week since the step > 3",
        2,
        [checkin(0, run=4), checkin(1, run=1)],
        False,
        True,
        ("hold", 2, False),
    ),
    ("holds when next-morning pain rose", 2, [checkin(morning=3, usual=1)], False, True, ("hold", 2, False)),
    ("missing usual level counts as 0", 2, [checkin(morning=1, usual=None)], False, True, ("hold", 2, False)),
    (
        "next morning back to usual advances",
        2,
        [checkin(morning=2, usual=2)],
        False,
        True,
        ("advance", 3, False),
    ),
    (
        "next morning below usual advances",
        2,
        [checkin(morning=0, usual=2)],
        False,
        True,
        ("advance", 3, False),
    ),
    ("holds without next-morning pain", 2, [checkin(morning=None)], False, True, ("hold", 2, False)),
    ("holds without a check-in", 2, [], False, True, ("hold", 2, False)),
    ("holds without a logged run", 2, [checkin(run=None, morning=None)], False, True, ("hold", 2, False)),
    (
        "a week off last week holds",
        2,
        [checkin(0), checkin(1, run=None, morning=None)],
        False,
        True,
        ("hold", 2, False),
    ),
    (
        "a week off before a run week advances",
        2,
        [checkin(0, run=None, morning=None), checkin(1)],
        False,
        True,
        ("advance", 3, False),
    ),
    ("holds on the top stage", 8, [checkin()], False, True, ("hold", 8, False)),
    (
        "bone stress pain-free advances",
        1,
        [checkin(run=0, morning=0, usual=0)],
        True,
        True,
        ("advance", 2, False),
    ),
    ("bone stress 1/10 stops", 1, [checkin(run=1, morning=0, usual=0)], True, True, ("stop", None, True)),
    ("bone stress 3/10 stops", 4, [checkin(run=3)], True, True, ("stop", None, True)),
    (
        "bone stress stops on any week",
        2,
        [checkin(0, run=2), checkin(1, run=0)],
        True,
        True,
        ("stop", None, True),
    ),
    (
        "bone stress morning rise stops",
        1,
        [checkin(run=0, morning=2, usual=1)],
        True,
        True,
        ("stop", None, True),
    ),
    (
        "bone stress morning at usual level",
        1,
        [checkin(run=0, morning=2, usual=2)],
        True,
        True,
        ("advance", 2, False),
    ),
    (
        "bone stress holds without morning pain",
        1,
        [checkin(run=0, morning=None)],
        True,
        True,
        ("hold", 1, False),
    ),
]


@pytest.mark.parametrize(
    ("stage", "checkins", "bone", "ready", "expected"),
    [case[1:] for case in LADDER_CASES],
    ids=[case[0] for case in LADDER_CASES],
)
def test_ladder_decision_worked_cases(stage, checkins, bone, ready, expected):
    result = decide(stage, checkins, bone=bone, ready=ready)
    assert (result.action, result.next_stage, result.alert_therapist) == expected


LOAD_CASES = [
    # (id, stage, runs per week, logged minutes last week, action)
    ("walk-run step within 10 %", 3, 3, None, "advance"),  # 90 → 96 min, +6.7 %
    ("plan followed, continuous to intervals", 5, 3, "90", "advance"),
    ("exactly 10 % is allowed", 6, 3, "90", "advance"),  # 90 → 99 min
    ("just over 10 % holds", 6, 3, "89", "hold"),  # 89 → 99 min, +11.2 %
    ("two runs instead of three holds", 5, 3, "60", "hold"),  # 60 → 90 min, +50 %
    ("more than planned is fine", 1, 3, "120", "advance"),
    ("nothing logged falls back to the plan", 6, 2, None, "advance"),  # 60 → 66 min
    ("zero minutes holds", 2, 3, "0", "hold"),
]


@pytest.mark.parametrize(
    ("stage", "runs", "run_min", "action"),
    [case[1:] for case in LOAD_CASES],
    ids=[case[0] for case in LOAD_CASES],
)
def test_ladder_decision_weekly_load_rule(stage, runs, run_min, action):
    result = decide(stage, [checkin(run_min=run_min)], runs=runs)
    assert result.action == action


@pytest.mark.parametrize("stage", range(1, len(RUN_LADDER)))
@pytest.mark.parametrize("runs", [1, 2, 3])
@pytest.mark.parametrize("run_min", [None, "0", "30", "59", "60", "66", "80", "89", "90", "96", "100", "120"])
def test_ladder_decision_never_raises_weekly_load_over_ten_percent(stage, runs, run_min):
    result = decide(stage, [checkin(run_min=run_min)], runs=runs)
    last = stage_weekly_minutes(stage, runs) if run_min is None else Decimal(run_min)
    if result.action == "advance":
        assert stage_weekly_minutes(result.next_stage, runs) <= last * Decimal("1.1")
    else:
        assert result.action == "hold"


def test_ladder_decision_not_ready_reason():
    assert decide(0, [], ready=False) == LadderDecision(
        "not_ready",
        None,
        (
            "Running starts once the readiness-to-run checklist is passed: every test done with pain 2/10 or less.",
        ),
        False,
    )


def test_ladder_decision_start_reason():
    assert decide(0, []).reasons == (
        "Readiness checklist passed: start stage 1, 5 × (walk 4 min / jog 2 min).",
    )


def test_ladder_decision_advance_reason():
    assert decide(1, [checkin(run=3)]).reasons == (
        "The check-ins since the last decision (the week of 2026-03-02) show pain during runs of 3/10 or "
        "less, evening pain of 3/10 or less and no more than usual by the next morning, and the weekly "
        "running time stays within 10 %: move to stage 2, 5 × (walk 3 min / jog 3 min).",
    )


def test_ladder_decision_bone_stress_stop_reasons():
    result = decide(
        1, [checkin(1, run=0, morning=2, usual=0), checkin(0, run=1, morning=0, usual=0)], bone=True
    )
    assert result == LadderDecision(
        "stop",
        None,
        (
            "Pain during running was 1/10 in the week of 2026-03-02. With a bone stress injury running must "
            "be pain-free: stop running and contact the clinic.",
            "Next-morning pain (2/10) was above your usual morning level (0/10) in the week of 2026-03-09. "
            "With a bone stress injury: stop running and contact the clinic.",
        ),
        True,
    )


def test_ladder_decision_hold_lists_every_reason_in_week_order():
    result = decide(2, [checkin(1, run=3, morning=4, usual=1), checkin(0, run=4, run_min="90")])
    assert result == LadderDecision(
        "hold",
        2,
        (
            "Pain during running reached 4/10 in the week of 2026-03-02. That is acceptable, but it must "
            "stay at 3/10 or less before moving up: repeat this stage.",
            "Next-morning pain (4/10) was above your usual morning level (1/10) in the week of 2026-03-09: "
            "reduce load and repeat this stage.",
        ),
        False,
    )


def test_ladder_decision_step_down_reasons():
    result = decide(2, [checkin(1, run=6, morning=4, usual=1), checkin(0, run=4, run_min="90")])
    assert result == LadderDecision(
        "step_down",
        1,
        (
            "Pain during running reached 6/10 in the week of 2026-03-09, above the acceptable 5/10: "
            "reduce load and contact the clinic.",
            "Step down to stage 1, 5 × (walk 4 min / jog 2 min).",
        ),
        True,
    )


def test_ladder_decision_load_reason():
    assert decide(5, [checkin(run_min="60")]).reasons == (
        "Stage 6 would raise your weekly running time from 60 to 90 minutes (+50.0 %), more than 10 %: "
        "repeat this stage before moving up.",
    )


@pytest.mark.parametrize(
    ("checkins", "reason"),
    [
        ([], "No check-in since the last decision yet: log a week of runs at this stage first."),
        (
            [checkin(run=None, morning=None, run_min="0")],
            "No runs logged at this stage yet: log a week of runs at this stage first.",
        ),
        (
            [checkin(morning=None)],
            "Next-morning pain was not recorded for the week of 2026-03-02; it is needed to check that "
            "the runs settled.",
        ),
    ],
)
def test_ladder_decision_missing_data_reasons(checkins, reason):
    assert decide(2, checkins).reasons == (reason,)


def test_ladder_decision_top_stage_reason():
    assert decide(8, [checkin()]).reasons == (
        "This is the last stage of the ladder: your therapist will review discharge.",
    )


def test_ladder_decision_is_frozen():
    result = decide(0, [])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.action = "advance"


@pytest.mark.parametrize(
    "changes",
    [
        {"current_stage": -1},
        {"current_stage": 9},
        {"current_stage": True},
        {"runs_per_week": 0},
        {"runs_per_week": 8},
        {"bone_stress": 1},
        {"readiness_passed": None},
        {"checkins_since_step": "week 1"},
        {"checkins_since_step": [{"run_pain_max": 2}]},
        {"checkins_since_step": [checkin(0), checkin(0, run=1)]},
    ],
)
def test_ladder_decision_rejects_invalid(changes):
    kwargs = {
        "current_stage": 1,
        "checkins_since_step": [checkin()],
        "runs_per_week": 3,
        "bone_stress": False,
        "readiness_passed": True,
    }
    with pytest.raises(ValueError):
        ladder_decision(**{**kwargs, **changes})


@pytest.mark.parametrize(
    ("stage", "bone", "expected"),
    [
        (
            1,
            False,
            (
                "At least one weekly check-in with runs at this stage.",
                "Pain during runs 3/10 or less, settled soon after (that evening 3/10 or less) and by the "
                "next morning (no worse than your usual morning pain).",
                "The next stage keeps your weekly running time within 10 % of last week's.",
            ),
        ),
        (
            4,
            True,
            (
                "At least one weekly check-in with runs at this stage.",
                "Every run pain-free (0/10), with no more pain that evening or the next morning than usual.",
                "The next stage keeps your weekly running time within 10 % of last week's.",
            ),
        ),
        (8, False, ("You are on the last stage: your therapist will review discharge with you.",)),
    ],
)
def test_unlock_requirements_explains_the_next_step(stage, bone, expected):
    assert unlock_requirements(stage, bone_stress=bone, impact_gate=OPEN_GATE if bone else None) == expected


def test_unlock_requirements_before_running_lists_the_checklist():
    assert unlock_requirements(0, bone_stress=False) == (
        "Pass the readiness checklist, each with pain 2/10 or less: Walk for 30 minutes; Stand on one leg "
        "for 10 seconds, each leg; Single-leg squat × 10, each leg; Jog on the spot for 1 minute; Jump "
        "squats × 10–15; Bounding × 10–15 per leg; Hop on the spot × 10–15 (or for 30 seconds).",
    )


# --- Adherence ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "prescribed", "expected"),
    [
        (2, 2, "100.0"),
        (1, 3, "33.3"),
        (2, 3, "66.7"),
        (1, 8, "12.5"),
        (1, 16, "6.3"),  # exact tie 6.25 rounds half-up
        (1, 80, "1.3"),  # exact tie 1.25 rounds half-up
        (0, 2, "0.0"),
        (3, 2, "150.0"),  # extra sessions are not capped
        (0, 0, None),
        (2, 0, None),
    ],
)
def test_adherence_percent_rounds_to_one_place(done, prescribed, expected):
    result = adherence_percent(done, prescribed)
    assert (None if result is None else str(result)) == expected


@pytest.mark.parametrize(("done", "prescribed"), [(-1, 2), (2, -1), (True, 2), (1.5, 2), (1, "2"), (None, 2)])
def test_adherence_percent_rejects_invalid(done, prescribed):
    with pytest.raises(ValueError):
        adherence_percent(done, prescribed)


# --- Programme status -----------------------------------------------------------

STATUS_CASES = [
    # (id, today offset, last check-in offset, worst pain by week, adherence by week, status)
    ("before the start", -3, None, [], [], "on_track"),
    ("first week, no check-in due", 6, None, [], [], "on_track"),
    ("9 days from start without check-in", 9, None, [], [], "on_track"),
    ("10 days from start without check-in", 10, None, [], [], "attention"),
    ("9 days since last check-in", 16, 7, [3], ["100.0"], "on_track"),
    ("10 days since last check-in", 17, 7, [3], ["100.0"], "attention"),
    ("pain rose two weeks in a row", 21, 21, [2, 3, 4], ["100.0"] * 3, "attention"),
    ("pain rose once then held", 21, 21, [2, 3, 3], ["100.0"] * 3, "on_track"),
    ("pain fell then rose", 21, 21, [4, 3, 5], ["100.0"] * 3, "on_track"),
    ("older rises do not count", 28, 28, [2, 3, 4, 3], ["100.0"] * 4, "on_track"),
    ("unanswered weeks are skipped", 28, 28, [2, None, 3, 4], ["100.0"] * 4, "attention"),
    ("two answers cannot rise twice", 14, 14, [3, 5], ["100.0"] * 2, "on_track"),
    ("adherence below 50 %", 14, 14, [3, 3], ["80.0", "49.9"], "behind"),
    ("adherence exactly 50 %", 14, 14, [3, 3], ["80.0", "50.0"], "on_track"),
    ("only the latest adherence counts", 14, 14, [3, 3], ["40.0", "80.0"], "on_track"),
    ("week with nothing prescribed skipped", 14, 14, [3, 3], ["40.0", None], "behind"),
    ("attention wins over behind", 21, 21, [2, 3, 4], ["100.0", "80.0", "25.0"], "attention"),
]


@pytest.mark.parametrize(
    ("today", "last", "pains", "adherence", "status"),
    [case[1:] for case in STATUS_CASES],
    ids=[case[0] for case in STATUS_CASES],
)
def test_programme_status_worked_cases(today, last, pains, adherence, status):
    result = programme_status(
        today=START + timedelta(days=today),
        last_checkin=None if last is None else START + timedelta(days=last),
        start_date=START,
        worst_pain_by_week=pains,
        adherence_by_week=[None if a is None else Decimal(a) for a in adherence],
    )
    assert result.status == status


def test_programme_status_lists_every_reason():
    result = programme_status(
        today=START + timedelta(days=31),
        last_checkin=START + timedelta(days=14),
        start_date=START,
        worst_pain_by_week=[2, 3, 5],
        adherence_by_week=[Decimal("100.0"), Decimal("66.7"), Decimal("33.3")],
    )
    assert result == StatusResult(
        "attention",
        (
            "No check-in for 17 days (last on 2026-03-16).",
            "Worst pain has risen two weeks in a row (2 → 3 → 5/10).",
            "Exercise adherence in the latest week was 33.3 %, below 50 %.",
        ),
    )


def test_programme_status_no_checkin_yet_reason():
    result = programme_status(
        today=START + timedelta(days=12),
        last_checkin=None,
        start_date=START,
        worst_pain_by_week=[],
        adherence_by_week=[],
    )
    assert result == StatusResult(
        "attention", ("No check-in yet, 12 days after the programme started on 2026-03-02.",)
    )


def test_programme_status_on_track_has_no_reasons():
    result = programme_status(
        today=START + timedelta(days=8),
        last_checkin=START + timedelta(days=7),
        start_date=START,
        worst_pain_by_week=[3],
        adherence_by_week=[Decimal("100.0")],
    )
    assert result == StatusResult("on_track", ())


@pytest.mark.parametrize(
    "changes",
    [
        {"last_checkin": START - timedelta(days=1)},
        {"last_checkin": START + timedelta(days=30)},
        {"today": datetime(2026, 3, 20, 9, 0)},  # noqa: DTZ001 -- a timestamp is the invalid input
        {"start_date": "2026-03-02"},
        {"worst_pain_by_week": [3, 11]},
        {"worst_pain_by_week": "345"},
        {"adherence_by_week": [Decimal(-1)]},
        {"adherence_by_week": ["50"]},
    ],
)
def test_programme_status_rejects_invalid(changes):
    kwargs = {
        "today": START + timedelta(days=20),
        "last_checkin": START + timedelta(days=14),
        "start_date": START,
        "worst_pain_by_week": [3],
        "adherence_by_week": [Decimal("100.0")],
    }
    with pytest.raises(ValueError):
        programme_status(**{**kwargs, **changes})


# --- Week-4 review (§8.6) -------------------------------------------------------


@pytest.mark.parametrize(
    ("lefs", "psfs", "nprs", "expected"),
    [
        (0, 0, 0, True),  # nothing changed
        (5, Decimal("1.00"), -1, True),  # small gains everywhere
        (8, Decimal("1.99"), 1, True),  # NPRS worse still counts as "not improved by 2"
        (-3, Decimal("-0.5"), 2, True),  # worse on every measure
        (9, Decimal("1.00"), -1, False),  # LEFS reached its MCID
        (8, Decimal("2.00"), -1, False),  # PSFS reached its MDC
        (8, Decimal("1.00"), -2, False),  # NPRS improved by 2 ("much better")
        (8, Decimal("1.00"), -4, False),
        (18, Decimal("2.67"), -4, False),  # §7.2–7.4 worked examples
        (Decimal("8.5"), 1.5, -1, True),  # floats are read by their repr
    ],
)
def test_week4_review_needed_only_when_no_measure_improved(lefs, psfs, nprs, expected):
    assert week4_review_needed(lefs, psfs, nprs) is expected


@pytest.mark.parametrize(
    ("lefs", "psfs", "nprs"),
    [(81, 0, 0), (0, 11, 0), (0, 0, -11), (True, 0, 0), ("5", 0, 0), (0, Decimal("NaN"), 0), (0, 0, None)],
)
def test_week4_review_needed_rejects_invalid(lefs, psfs, nprs):
    with pytest.raises(ValueError):
        week4_review_needed(lefs, psfs, nprs)


# --- Discharge criteria (§8.6) ---------------------------------------------------

DISCHARGE_BASE = {
    "run_pain_max": 2,
    "next_morning_pain": 1,
    "baseline_morning_pain": 1,
    "continuous_30_min_done": True,
    "strength_lsi": [Decimal("92.0"), Decimal("95.5")],
    "hop_lsi": [Decimal("94.7")],
    "sls_poor_count": 1,
    "lefs_baseline": 43,
    "lefs_latest": 61,
    "open_red_flags": 0,
    "psfs_goals_met": True,
    "maintenance_plan_issued": True,
}


def _met(**changes):
    return {c.code: c.met for c in discharge_criteria(**{**DISCHARGE_BASE, **changes})}


def test_discharge_criteria_order_and_labels():
    assert discharge_criteria(**DISCHARGE_BASE) == (
        DischargeCriterion(
            "RUN_PAIN", "Pain during running 3/10 or less, with no increase the next morning", True
        ),
        DischargeCriterion("RUN_30_CONTINUOUS", "30 minutes of continuous running completed", True),
        DischargeCriterion(
            "STRENGTH_LSI", "Strength limb symmetry 90 % or more in every muscle group tested", True
        ),
        DischargeCriterion("HOP_LSI", "Hop test limb symmetry 90 % or more (if tested)", True),
        DischargeCriterion("SL_SQUAT", "Single-leg squat: 1 or fewer of the 5 criteria rated poor", True),
        DischargeCriterion("LEFS", "LEFS improved by 9 points or more, or at least 70/80", True),
        DischargeCriterion("PSFS_GOALS", "PSFS goals met", True),
        DischargeCriterion("RED_FLAGS", "No open red flags", True),
        DischargeCriterion("MAINTENANCE_PLAN", "Maintenance strength plan issued (twice a week)", True),
    )


@pytest.mark.parametrize(
    ("changes", "code", "expected"),
    [
        ({"run_pain_max": 3}, "RUN_PAIN", True),
        ({"run_pain_max": 4}, "RUN_PAIN", False),
        ({"next_morning_pain": 2}, "RUN_PAIN", False),
        ({"next_morning_pain": 0, "baseline_morning_pain": None}, "RUN_PAIN", True),
        ({"next_morning_pain": 1, "baseline_morning_pain": None}, "RUN_PAIN", False),
        ({"run_pain_max": None}, "RUN_PAIN", None),
        ({"next_morning_pain": None}, "RUN_PAIN", None),
        ({"continuous_30_min_done": False}, "RUN_30_CONTINUOUS", False),
        ({"continuous_30_min_done": None}, "RUN_30_CONTINUOUS", None),
        ({"strength_lsi": [Decimal("89.9"), Decimal("95.0")]}, "STRENGTH_LSI", False),
        ({"strength_lsi": [90]}, "STRENGTH_LSI", True),
        ({"strength_lsi": []}, "STRENGTH_LSI", None),
        ({"hop_lsi": [Decimal("84.4")]}, "HOP_LSI", False),
        ({"hop_lsi": []}, "HOP_LSI", None),
        ({"sls_poor_count": 0}, "SL_SQUAT", True),
        ({"sls_poor_count": 2}, "SL_SQUAT", False),
        ({"sls_poor_count": None}, "SL_SQUAT", None),
        ({"lefs_latest": 51}, "LEFS", False),  # +8
        ({"lefs_latest": 52}, "LEFS", True),  # +9, the MCID
        ({"lefs_baseline": 65, "lefs_latest": 70}, "LEFS", True),  # reached 70/80
        ({"lefs_baseline": 65, "lefs_latest": 69}, "LEFS", False),
        ({"lefs_baseline": None, "lefs_latest": 72}, "LEFS", True),
        ({"lefs_baseline": None, "lefs_latest": 60}, "LEFS", None),
        ({"lefs_latest": None}, "LEFS", None),
        ({"open_red_flags": 1}, "RED_FLAGS", False),
        ({"psfs_goals_met": None}, "PSFS_GOALS", None),
        ({"maintenance_plan_issued": False}, "MAINTENANCE_PLAN", False),
    ],
)
def test_discharge_criteria_per_criterion(changes, code, expected):
    assert _met(**changes)[code] is expected


def test_discharge_criteria_optional_items_default_to_not_assessed():
    kwargs = {
        k: v for k, v in DISCHARGE_BASE.items() if k not in ("psfs_goals_met", "maintenance_plan_issued")
    }
    met = {c.code: c.met for c in discharge_criteria(**kwargs)}
    assert (met["PSFS_GOALS"], met["MAINTENANCE_PLAN"]) == (None, None)


@pytest.mark.parametrize(
    "changes",
    [
        {"run_pain_max": 11},
        {"next_morning_pain": 1.0},
        {"sls_poor_count": 6},
        {"lefs_latest": 81},
        {"lefs_baseline": -1},
        {"open_red_flags": -1},
        {"open_red_flags": False},
        {"strength_lsi": "90"},
        {"strength_lsi": [Decimal(-1)]},
        {"hop_lsi": [None]},
        {"continuous_30_min_done": "yes"},
    ],
)
def test_discharge_criteria_rejects_invalid(changes):
    with pytest.raises(ValueError):
        discharge_criteria(**{**DISCHARGE_BASE, **changes})
