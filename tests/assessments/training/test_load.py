"""Training load of the log against a worked table (docs/clinical-rules.md, "Training load and patterns").

Eight Monday-to-Sunday weeks from Monday 7 September 2026; every number in
TABLE was worked by hand from the runs in PLAN (a week's km, its change on the
week before, the 10 % rule, the uncoupled ACWR on its Sunday, Foster monotony,
the longest run's share, the cutback test against the 3 weeks before).
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from assessments.training.load import (
    KM,
    MILE_M,
    RunEntry,
    SessionEntry,
    acwr_on,
    acwr_reading,
    days_since_rest,
    format_distance,
    from_unit,
    monday_of,
    onset_getting_earlier,
    to_unit,
    week_distance,
    weekly_load,
    weeks_since_cutback,
)

W1 = date(2026, 9, 7)  # a Monday

# Week number → {weekday (0 = Monday): km}
PLAN: dict[int, dict[int, int]] = {
    1: {0: 5, 2: 5, 5: 10},
    2: {0: 5, 2: 6, 5: 11},
    3: {0: 6, 2: 6, 5: 12},  # Wednesday's is a tempo run
    4: {0: 6, 2: 7, 5: 14},  # Wednesday's is intervals
    5: {2: 4, 5: 12},
    6: {},  # no running at all
    7: {0: 5, 3: 5, 6: 10},
    8: dict.fromkeys(range(7), 6),  # every day the same
}
SESSION_TYPES = {(3, 2): "tempo", (4, 2): "intervals"}

# week, km, change %, over 10 %, ACWR (on the Sunday), monotony, longest share %, cutback
TABLE = [
    # No week before the log: no change; the ACWR needs 28 days of log; cutback needs 3 weeks before.
    # Monotony: days 5, 0, 5, 0, 0, 10, 0 km: mean 20/7 = 2.857, population SD 3.642: 0.78.
    (1, 20, None, False, None, "0.78", "50.0", False),
    # 20 → 22 km is exactly +10 %: not flagged (more than 10 % is).
    (2, 22, "10.0", False, None, "0.78", "50.0", False),
    (3, 24, "9.1", False, None, "0.78", "50.0", False),
    # 27 ÷ mean(20, 22, 24) = 27 ÷ 22 = 1.227…; 27 is above 0.8 × 22 = 17.6: no cutback.
    (4, 27, "12.5", True, "1.23", "0.77", "51.9", False),
    # 16 ÷ mean(22, 24, 27) = 16 ÷ 24.33 = 0.66; 16 ≤ 0.8 × 24.33 = 19.47: a cutback week.
    (5, 16, "-40.7", False, "0.66", "0.54", "75.0", True),
    # An empty week is listed (0 km) and is a lighter week; no monotony without running.
    (6, 0, "-100.0", False, "0.00", None, None, True),
    # After a week without running there is no change to compare (the 10 % rule is undefined).
    (7, 20, None, False, "1.40", "0.78", "50.0", False),
    # 42 ÷ mean(16, 0, 20) = 42 ÷ 12 = 3.50; every day 6 km: SD 0, monotony undefined.
    (8, 42, "110.0", True, "3.50", None, "14.3", False),
]


def monday(week: int) -> date:
    return W1 + timedelta(weeks=week - 1)


def plan_runs() -> list[RunEntry]:
    runs = []
    for week, days in PLAN.items():
        for weekday, km in days.items():
            runs.append(
                RunEntry(
                    day=monday(week) + timedelta(days=weekday),
                    distance_m=km * KM,
                    duration_s=km * 360,  # 6 min/km
                    session_type=SESSION_TYPES.get((week, weekday), "easy"),
                )
            )
    return runs


def plan_weeks():
    sessions = [
        SessionEntry(day=monday(2), kind="strength", minutes=30),
        SessionEntry(day=monday(2) + timedelta(days=3), kind="strength", minutes=25),
        SessionEntry(day=monday(2) + timedelta(days=4), kind="cycling", minutes=45),
    ]
    return weekly_load(
        runs=plan_runs(), sessions=sessions, first_week=W1, last_week=monday(8) + timedelta(days=6)
    )


@pytest.mark.parametrize(("week", "km", "change", "over", "acwr", "monotony", "share", "cutback"), TABLE)
def test_weekly_load_matches_the_worked_table(week, km, change, over, acwr, monotony, share, cutback):
    row = plan_weeks()[week - 1]

    assert row.week_start == monday(week)
    assert row.distance_m == km * KM
    assert row.duration_s == km * 360
    assert row.change_pct == (None if change is None else Decimal(change))
    assert row.over_ten_percent is over
    assert row.acwr == (None if acwr is None else Decimal(acwr))
    assert row.monotony == (None if monotony is None else Decimal(monotony))
    assert row.longest_run_share == (None if share is None else Decimal(share))
    assert row.is_cutback is cutback


def test_every_week_of_the_range_is_listed_oldest_first_with_empty_weeks():
    weeks = plan_weeks()

    assert [w.week_start for w in weeks] == [monday(n) for n in range(1, 9)]
    empty = weeks[5]
    assert (empty.distance_m, empty.duration_s, empty.runs, empty.longest_m) == (0, 0, 0, 0)
    assert [w.runs for w in weeks] == [3, 3, 3, 3, 2, 0, 3, 7]
    assert [w.longest_m for w in weeks] == [10_000, 11_000, 12_000, 14_000, 12_000, 0, 10_000, 6_000]


def test_weeks_are_mondays_whatever_day_bounds_the_range():
    weeks = weekly_load(
        runs=plan_runs(), first_week=W1 + timedelta(days=3), last_week=monday(2) + timedelta(days=6)
    )

    assert [w.week_start for w in weeks] == [W1, monday(2)]
    assert monday_of(date(2026, 9, 13)) == W1  # a Sunday belongs to the week before it
    with pytest.raises(ValueError, match="before first_week"):
        weekly_load(runs=[], first_week=monday(2), last_week=W1)


def test_intensity_and_strength_sessions_are_counted_per_week():
    weeks = plan_weeks()

    assert [w.intensity_sessions for w in weeks] == [0, 0, 1, 1, 0, 0, 0, 0]
    # Cycling is cross-training, not strength.
    assert [w.strength_sessions for w in weeks] == [0, 2, 0, 0, 0, 0, 0, 0]


def test_a_range_starting_later_reads_the_weeks_before_it():
    weeks = weekly_load(runs=plan_runs(), first_week=monday(5), last_week=monday(5))

    assert len(weeks) == 1
    assert (weeks[0].change_pct, weeks[0].acwr, weeks[0].is_cutback) == (
        Decimal("-40.7"),
        Decimal("0.66"),
        True,
    )


def test_the_log_start_holds_back_the_acwr_and_the_cutback():
    # Told the log started in week 3, week 4's ACWR and week 5's cutback have no 28 days / 3 weeks behind them.
    weeks = weekly_load(runs=plan_runs(), first_week=W1, last_week=monday(8), log_start=monday(3))

    assert weeks[3].acwr is None
    assert weeks[4].is_cutback is False
    assert weeks[5].acwr == Decimal("0.00")


def test_week_pain_maxima():
    day = monday(3)
    runs = [
        RunEntry(day=day, distance_m=5000, duration_s=1800, pain_during=2, pain_next_morning=1),
        RunEntry(
            day=day + timedelta(days=2), distance_m=8000, duration_s=2900, pain_during=4, pain_evening=3
        ),
    ]
    [week] = weekly_load(runs=runs, first_week=day, last_week=day)

    assert (week.max_pain_during, week.max_pain_evening, week.max_pain_next_morning) == (4, 3, 1)
    assert week.max_pain == 4
    [empty] = weekly_load(runs=runs, first_week=monday(4), last_week=monday(4))
    assert (empty.max_pain_during, empty.max_pain_evening, empty.max_pain_next_morning, empty.max_pain) == (
        None,
        None,
        None,
        None,
    )


def test_acwr_on_a_day_is_the_rolling_7_days_over_the_3_weeks_before():
    runs = plan_runs()

    # Wednesday of week 8: the 7 days = week 7 Thu (5) + Sun (10) + week 8 Mon–Wed (18) = 33 km; the 21
    # days before (Thu of week 4 to Wed of week 7) = 14 + 4 + 12 + 0 + 5 = 35 km, 11.67 km a week: 33 ÷ 11.67.
    reading = acwr_reading(runs=runs, day=monday(8) + timedelta(days=2))

    assert reading is not None
    assert (reading.acute_m, reading.chronic_week_m, reading.ratio) == (33_000, 11_667, Decimal("2.83"))
    assert acwr_on(runs=runs, day=monday(8) + timedelta(days=2)) == Decimal("2.83")
    # Day 27 of the log is too early (28 days needed), day 28 is not.
    assert acwr_on(runs=runs, day=W1 + timedelta(days=26)) is None
    assert acwr_on(runs=runs, day=W1 + timedelta(days=27)) == Decimal("1.23")
    assert acwr_on(runs=[], day=W1) is None


def test_no_acwr_when_the_chronic_weeks_hold_no_running():
    runs = [
        RunEntry(day=W1, distance_m=5000, duration_s=1800),
        RunEntry(day=W1 + timedelta(days=30), distance_m=5000, duration_s=1800),
    ]

    assert acwr_on(runs=runs, day=W1 + timedelta(days=30)) is None


def test_days_since_rest():
    runs = plan_runs()
    sunday8 = monday(8) + timedelta(days=6)

    # Week 8 ran every day, and week 7's Sunday too; Saturday of week 7 was a rest day.
    assert days_since_rest(runs=runs, today=sunday8) == 8
    # The next morning, before a run is logged, the streak still stands.
    assert days_since_rest(runs=runs, today=sunday8 + timedelta(days=1)) == 8
    # Two days later with no run: yesterday was a rest day.
    assert days_since_rest(runs=runs, today=sunday8 + timedelta(days=2)) == 0
    # Monday of week 1 ran, the log starts there: counted from the first run.
    assert days_since_rest(runs=runs, today=W1) == 1
    assert days_since_rest(runs=[], today=W1) is None
    # Runs after today are not read.
    assert days_since_rest(runs=runs, today=W1 - timedelta(days=1)) is None


def test_weeks_since_cutback():
    weeks = plan_weeks()

    assert weeks_since_cutback(weeks) == 2  # weeks 7 and 8 after week 6
    assert weeks_since_cutback(weeks[:6]) == 0
    assert weeks_since_cutback(weeks[:4]) is None
    assert weeks_since_cutback([]) is None


def test_week_distance():
    assert week_distance(runs=plan_runs(), week=monday(4) + timedelta(days=3)) == 27_000


# --- Units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metres", "unit", "value"),
    [
        (42_195, "km", "42.20"),
        (42_195, "mi", "26.22"),
        (1609, "mi", "1.00"),
        (20_000, "mi", "12.43"),
        (0, "km", "0.00"),
    ],
)
def test_to_unit(metres, unit, value):
    assert to_unit(metres, unit) == Decimal(value)


@pytest.mark.parametrize(
    ("value", "unit", "metres"),
    [
        (Decimal("5"), "km", 5000),
        (Decimal("5.25"), "km", 5250),
        (Decimal("26.2"), "mi", 42_165),  # 42 164.81 m, half up
        (Decimal("1"), "mi", 1609),
        (Decimal("300"), "mi", 482_803),  # the shoe replacement distance, 300 mi ≈ 480 km
    ],
)
def test_from_unit(value, unit, metres):
    assert from_unit(value, unit) == metres
    assert abs(float(to_unit(metres, unit)) - float(value)) < 0.005


def test_the_worked_weeks_in_miles():
    weeks = plan_weeks()

    assert [to_unit(w.distance_m, "mi") for w in weeks] == [
        Decimal(v) for v in ("12.43", "13.67", "14.91", "16.78", "9.94", "0.00", "12.43", "26.10")
    ]
    assert format_distance(weeks[3].distance_m, "mi") == "16.8 mi"
    assert format_distance(weeks[3].distance_m, "km") == "27 km"
    # Rounded once from the metres: 48.249 km is 48.2, not 48.25 → 48.3.
    assert format_distance(48_249, "km") == "48.2 km"
    assert MILE_M == 1609.344


@pytest.mark.parametrize("unit", ["m", "KM", ""])
def test_units_other_than_km_and_mi_are_refused(unit):
    with pytest.raises(ValueError, match="km or mi"):
        to_unit(1000, unit)
    with pytest.raises(ValueError, match="km or mi"):
        from_unit(Decimal(1), unit)


def test_bad_entries_are_refused():
    with pytest.raises(ValueError, match="distance_m"):
        RunEntry(day=W1, distance_m=0, duration_s=60)
    with pytest.raises(ValueError, match="pain_during"):
        RunEntry(day=W1, distance_m=1000, duration_s=60, pain_during=11)
    with pytest.raises(ValueError, match="day must be a date"):
        RunEntry(day=datetime(2026, 9, 7, tzinfo=UTC), distance_m=1000, duration_s=60)
    with pytest.raises(ValueError, match=r"0 or more"):
        from_unit(Decimal("-1"), "km")


# --- Onset getting earlier -----------------------------------------------------------------


def painful(day: int, *, onset_m=None, onset_s=None, km=10, pain=4) -> RunEntry:
    return RunEntry(
        day=W1 + timedelta(days=day),
        distance_m=km * KM,
        duration_s=km * 300,  # 5 min/km
        pain_during=pain,
        pain_onset_m=onset_m,
        pain_onset_s=onset_s,
    )


def test_onset_getting_earlier_over_three_painful_runs():
    trend = onset_getting_earlier(
        [painful(0, onset_m=8000), painful(3, onset_m=6000), painful(6, onset_m=4000)]
    )

    assert trend is not None
    assert trend.by == "distance"
    assert [p.onset_m for p in trend.points] == [8000, 6000, 4000]
    assert trend.days == (W1, W1 + timedelta(days=3), W1 + timedelta(days=6))


@pytest.mark.parametrize(
    "onsets",
    [
        [8000, 6000, 6000],  # the last one no earlier
        [6000, 8000, 4000],  # not every step earlier
        [8000, 6000],  # two runs are not a trend
    ],
)
def test_onset_near_misses_are_no_trend(onsets):
    runs = [painful(3 * i, onset_m=m) for i, m in enumerate(onsets)]

    assert onset_getting_earlier(runs) is None


def test_the_longest_trailing_trend_is_reported():
    runs = [painful(3 * i, onset_m=m) for i, m in enumerate([5000, 9000, 7000, 5000, 3000])]

    trend = onset_getting_earlier(runs)

    assert trend is not None
    assert [p.onset_m for p in trend.points] == [9000, 7000, 5000, 3000]


def test_a_pain_free_run_ends_the_sequence_and_unanswered_runs_are_passed_over():
    free = RunEntry(day=W1 + timedelta(days=7), distance_m=8000, duration_s=2400, pain_during=0)
    unanswered = RunEntry(day=W1 + timedelta(days=4), distance_m=8000, duration_s=2400)
    trend_runs = [painful(0, onset_m=8000), painful(3, onset_m=6000), unanswered, painful(6, onset_m=4000)]

    assert onset_getting_earlier(trend_runs) is not None
    assert onset_getting_earlier([*trend_runs, free]) is None
    # Pain but no onset point given: passed over, the trend stands.
    assert onset_getting_earlier([*trend_runs, painful(9)]) is not None


def test_onsets_in_minutes_compare_as_time_and_mixed_ones_at_the_runs_pace():
    by_time = onset_getting_earlier(
        [painful(0, onset_s=2400), painful(3, onset_s=1800), painful(6, onset_s=900)]
    )
    assert by_time is not None
    assert by_time.by == "time"

    # 1500 s into a 10 km run at 5 min/km is 5 km: 8 km → 5 km (estimated) → 4 km.
    mixed = onset_getting_earlier(
        [painful(0, onset_m=8000), painful(3, onset_s=1500), painful(6, onset_m=4000)]
    )
    assert mixed is not None
    assert mixed.by == "estimated distance"
    assert [(p.estimated_m, p.estimated) for p in mixed.points] == [
        (8000, False),
        (5000, True),
        (4000, False),
    ]
    # 2700 s is 9 km, later than 8 km: no trend.
    assert (
        onset_getting_earlier([painful(0, onset_m=8000), painful(3, onset_s=2700), painful(6, onset_m=4000)])
        is None
    )


def test_runs_of_a_day_are_ordered_by_their_start_time():
    day = W1
    runs = [
        RunEntry(
            day=day,
            distance_m=10_000,
            duration_s=3000,
            pain_during=3,
            pain_onset_m=4000,
            started_at=datetime(2026, 9, 7, 18, 0, tzinfo=UTC),
        ),
        RunEntry(
            day=day,
            distance_m=10_000,
            duration_s=3000,
            pain_during=3,
            pain_onset_m=6000,
            started_at=datetime(2026, 9, 7, 7, 0, tzinfo=UTC),
        ),
        painful(-3, onset_m=8000),
    ]

    trend = onset_getting_earlier(runs)

    assert trend is not None
    assert [p.onset_m for p in trend.points] == [8000, 6000, 4000]
