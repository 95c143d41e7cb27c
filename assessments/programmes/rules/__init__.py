"""Clinical rules of the 4–8 week programme (domain.md §8.3–8.6).

A package: `ladder` (return-to-run ladder, readiness checklist, decision),
`impact` (the zero-impact gate of bone stress), `load` (runs above the plan,
the 10 % distance warning), `runs` (runs a week and rest days between runs), `status` (adherence, on
track / behind / attention) and `discharge` (week-4 review, discharge
criteria); every public name is re-exported here.

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
gated here: the §8.3 km warning is `assessments.record.measures.load_rise_flagged`.
"""

from assessments.programmes.rules._common import (
    ADHERENCE_BEHIND_BELOW,
    LEFS_DISCHARGE_SCORE,
    LEFS_MAX,
    LEFS_MCID,
    NO_CHECKIN_ATTENTION_DAYS,
    NPRS_MUCH_BETTER,
    ONE_DP,
    PSFS_MDC,
    READINESS_PAIN_MAX,
    RUN_PAIN_ACCEPTABLE_MAX,
    RUN_PAIN_SAFE_MAX,
    SLS_CRITERIA_COUNT,
    SLS_POOR_MAX,
    Action,
    Number,
    Sentence,
    Status,
)
from assessments.programmes.rules.discharge import (
    DISCHARGE_CRITERIA,
    DischargeCriterion,
    discharge_criteria,
    week4_review_needed,
)
from assessments.programmes.rules.impact import (
    ZERO_IMPACT_WEEKS_DEFAULT,
    ZERO_IMPACT_WEEKS_MAX,
    ZERO_IMPACT_WEEKS_MIN,
    ImpactGate,
    first_impact_week,
    impact_gate,
    zero_impact_end,
)
from assessments.programmes.rules.ladder import (
    READINESS_CHECKLIST,
    READINESS_CODES,
    READINESS_IMPACT_CODES,
    RUN_LADDER,
    LadderDecision,
    ReadinessItem,
    ReadinessResult,
    RunStage,
    WeekCheckIn,
    ladder_decision,
    ladder_stage,
    readiness_failures,
    readiness_items,
    readiness_passed,
    stage_weekly_minutes,
    unlock_requirements,
)
from assessments.programmes.rules.load import (
    CountedRuns,
    LoggedRun,
    counted_runs,
    distance_rise_warning,
    runs_over_plan_warning,
)
from assessments.programmes.rules.runs import (
    REST_DAYS_BETWEEN_RUNS,
    REST_DAYS_BETWEEN_RUNS_BONE_STRESS,
    RUNS_PER_WEEK_MAX,
    RUNS_PER_WEEK_MAX_BONE_STRESS,
    max_runs_per_week,
    rest_days_between_runs,
    runs_per_week_warning,
)
from assessments.programmes.rules.status import (
    StatusResult,
    adherence_percent,
    programme_status,
    worst_pain_rising,
)

__all__ = [
    "ADHERENCE_BEHIND_BELOW",
    "DISCHARGE_CRITERIA",
    "LEFS_DISCHARGE_SCORE",
    "LEFS_MAX",
    "LEFS_MCID",
    "NO_CHECKIN_ATTENTION_DAYS",
    "NPRS_MUCH_BETTER",
    "ONE_DP",
    "PSFS_MDC",
    "READINESS_CHECKLIST",
    "READINESS_CODES",
    "READINESS_IMPACT_CODES",
    "READINESS_PAIN_MAX",
    "REST_DAYS_BETWEEN_RUNS",
    "REST_DAYS_BETWEEN_RUNS_BONE_STRESS",
    "RUNS_PER_WEEK_MAX",
    "RUNS_PER_WEEK_MAX_BONE_STRESS",
    "RUN_LADDER",
    "RUN_PAIN_ACCEPTABLE_MAX",
    "RUN_PAIN_SAFE_MAX",
    "SLS_CRITERIA_COUNT",
    "SLS_POOR_MAX",
    "ZERO_IMPACT_WEEKS_DEFAULT",
    "ZERO_IMPACT_WEEKS_MAX",
    "ZERO_IMPACT_WEEKS_MIN",
    "Action",
    "CountedRuns",
    "DischargeCriterion",
    "ImpactGate",
    "LadderDecision",
    "LoggedRun",
    "Number",
    "ReadinessItem",
    "ReadinessResult",
    "RunStage",
    "Sentence",
    "Status",
    "StatusResult",
    "WeekCheckIn",
    "adherence_percent",
    "counted_runs",
    "discharge_criteria",
    "distance_rise_warning",
    "first_impact_week",
    "impact_gate",
    "ladder_decision",
    "ladder_stage",
    "max_runs_per_week",
    "programme_status",
    "readiness_failures",
    "readiness_items",
    "readiness_passed",
    "rest_days_between_runs",
    "runs_over_plan_warning",
    "runs_per_week_warning",
    "stage_weekly_minutes",
    "unlock_requirements",
    "week4_review_needed",
    "worst_pain_rising",
    "zero_impact_end",
]
