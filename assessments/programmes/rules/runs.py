"""How often to run in the return to run (domain.md §8.3), pure.

§8.3: "Early return: rest days between runs (two after a stress fracture)"
[S4]. Runs are planned on the same weekdays every week, so the rest days must
also hold across the weekend into the next week: with `rest` days between any
two runs, a 7-day week holds at most 7 // (rest + 1) runs. One rest day gives
3 runs a week (e.g. Mon, Wed, Fri; a fourth on Sunday would run into Monday),
two rest days give 2 (e.g. Mon, Thu). Suspected bone stress
(assessments.record.selectors.has_bone_stress) takes the stress-fracture
rule. Like every §8.3 rule this is advice and a default, never a block.
"""

from __future__ import annotations

from assessments.programmes.rules._common import _bool, _int

DAYS_A_WEEK = 7
REST_DAYS_BETWEEN_RUNS = 1  # §8.3 [S4]: a rest day between runs in the early return
REST_DAYS_BETWEEN_RUNS_BONE_STRESS = 2  # §8.3 [S4]: two after a stress fracture
RUNS_PER_WEEK_MAX = DAYS_A_WEEK // (REST_DAYS_BETWEEN_RUNS + 1)
RUNS_PER_WEEK_MAX_BONE_STRESS = DAYS_A_WEEK // (REST_DAYS_BETWEEN_RUNS_BONE_STRESS + 1)


def rest_days_between_runs(*, bone_stress: bool) -> int:
    """Return the rest days to keep between two runs (§8.3)."""
    return REST_DAYS_BETWEEN_RUNS_BONE_STRESS if _bool(bone_stress, "bone_stress") else REST_DAYS_BETWEEN_RUNS


def max_runs_per_week(*, bone_stress: bool) -> int:
    """Return the most runs a week that keep the §8.3 rest days between runs (the plan's default)."""
    return DAYS_A_WEEK // (rest_days_between_runs(bone_stress=bone_stress) + 1)


def runs_per_week_warning(runs_per_week: int, *, bone_stress: bool) -> str | None:
    """Return the §8.3 warning for a plan with too many runs a week to keep the rest days, else None."""
    _int(runs_per_week, "runs_per_week", 1, DAYS_A_WEEK)
    most = max_runs_per_week(bone_stress=bone_stress)
    if runs_per_week <= most:
        return None
    rest = rest_days_between_runs(bone_stress=bone_stress)
    reason = (
        "two rest days between runs with a bone stress injury" if bone_stress else "a rest day between runs"
    )
    return (
        f"{runs_per_week} runs a week leave no room for {reason}: "
        f"plan at most {most} run{'s' if most != 1 else ''} a week ({rest} rest day{'s' if rest != 1 else ''} "
        "between runs)."
    )
