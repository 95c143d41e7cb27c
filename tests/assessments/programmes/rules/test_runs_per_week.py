"""Runs a week in the return to run (domain.md §8.3): rest days between runs, two with bone stress."""

import pytest

from assessments.programmes.rules import (
    RUNS_PER_WEEK_MAX,
    RUNS_PER_WEEK_MAX_BONE_STRESS,
    max_runs_per_week,
    rest_days_between_runs,
    runs_per_week_warning,
)


@pytest.mark.parametrize(("bone_stress", "rest"), [(False, 1), (True, 2)])
def test_rest_days_between_runs_two_with_bone_stress(bone_stress, rest):
    assert rest_days_between_runs(bone_stress=bone_stress) == rest


@pytest.mark.parametrize(("bone_stress", "most"), [(False, 3), (True, 2)])
def test_max_runs_per_week_keeps_the_rest_days_across_the_weekend(bone_stress, most):
    rest = rest_days_between_runs(bone_stress=bone_stress)

    assert max_runs_per_week(bone_stress=bone_stress) == most
    # Same weekdays every week: each run and its rest days fit in 7 days, one run more would not.
    assert most * (rest + 1) <= 7 < (most + 1) * (rest + 1)


def test_runs_per_week_constants_follow_the_rule():
    assert (RUNS_PER_WEEK_MAX, RUNS_PER_WEEK_MAX_BONE_STRESS) == (
        max_runs_per_week(bone_stress=False),
        max_runs_per_week(bone_stress=True),
    )


@pytest.mark.parametrize(
    ("runs", "bone_stress", "expected"),
    [
        (1, False, None),
        (3, False, None),
        (
            4,
            False,
            "4 runs a week leave no room for a rest day between runs: "
            "plan at most 3 runs a week (1 rest day between runs).",
        ),
        (2, True, None),
        (
            3,
            True,
            "3 runs a week leave no room for two rest days between runs with a bone stress injury: "
            "plan at most 2 runs a week (2 rest days between runs).",
        ),
    ],
)
def test_runs_per_week_warning_only_above_the_limit(runs, bone_stress, expected):
    assert runs_per_week_warning(runs, bone_stress=bone_stress) == expected


@pytest.mark.parametrize(
    ("runs", "bone_stress"), [(0, False), (8, False), (True, False), (2.0, False), (3, 1)]
)
def test_runs_per_week_rules_reject_bad_input(runs, bone_stress):
    with pytest.raises(ValueError):
        runs_per_week_warning(runs, bone_stress=bone_stress)
