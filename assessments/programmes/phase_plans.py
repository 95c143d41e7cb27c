"""The phase plan a new programme starts with (domain.md §8.2), for the therapist to edit.

Pure data and arithmetic, no database: which weeks each phase is planned
for, what it aims at, and which catalogue exercises it starts with. A
bone-stress plan never holds an exercise the catalogue contraindicates for
bone stress; the service also drops any contraindicated for the patient's
impressions.
"""

from dataclasses import dataclass

from assessments.exercises.catalogue import exercise_by_code
from assessments.programmes.choices import PLANNED_WEEKS_MAX, PLANNED_WEEKS_MIN, PhaseKind
from assessments.programmes.rules.impact import ZERO_IMPACT_WEEKS_DEFAULT, first_impact_week
from assessments.record.bone_stress import contraindicated_with_bone_stress


@dataclass(frozen=True)
class PhasePlan:
    kind: PhaseKind
    start_week: int
    end_week: int
    notes: str
    codes: tuple[str, ...]


_NOTES = {
    PhaseKind.SETTLE: (
        "Cut running frequency, distance or intensity but keep running if the pain allows; cross-train "
        "(bike, swim, pool running). Settle the sore tissue."
    ),
    PhaseKind.STRENGTHEN: "Lighter strength work for the hip and core; add bands for more load.",
    PhaseKind.HEAVY_FUNCTIONAL: (
        "Heavier single-leg and functional strength: squat and lunge variations, step-ups and -downs, "
        "deadlift progressions."
    ),
    PhaseKind.RETURN_TO_RUN: (
        "Walk–run ladder up to 30 minutes continuous, then intervals, longer runs and hills. "
        "Keep strength work twice a week."
    ),
}
_BONE_STRESS_SETTLE = (
    "Bone stress injury: no impact (no running, jumping or hopping), pain-free activity only, for the "
    "zero-impact period (6–8 weeks). Pool running or cycling keeps fitness."
)
_BONE_STRESS_NO_IMPACT = " Bone stress injury: no jumping, hopping or running in this phase."
_BONE_STRESS_RETURN = (
    "Only once the zero-impact period has passed and a clinician has cleared a return to impact: start "
    "with walking, then the walk–run ladder with pain-free runs and two rest days between runs. "
    "Keep strength work twice a week."
)

_CODES = {
    PhaseKind.SETTLE: ("XTRAIN_CYCLE", "BRIDGE", "CLAM", "STR_HIP_FLEX"),
    PhaseKind.STRENGTHEN: ("BRIDGE", "CLAM", "SL_ABD", "SIDE_PLANK", "BAND_WALK"),
    PhaseKind.HEAVY_FUNCTIONAL: ("SPLIT_SQUAT", "STEP_DOWN", "SL_RDL", "HIP_THRUST", "CALF_RAISE"),
    PhaseKind.RETURN_TO_RUN: ("DYN_WARMUP", "SL_BRIDGE", "SL_SQUAT", "STEP_UP", "PLYO"),
}
_BONE_STRESS_CODES = {PhaseKind.SETTLE: ("XTRAIN_POOL_RUN", "BRIDGE", "CLAM", "STR_HIP_FLEX")}


def _safe_for_bone_stress(code: str) -> bool:
    """Not impact work to avoid with bone stress (plyometrics, or contraindicated for a BSI code; §8.5)."""
    spec = exercise_by_code(code)
    return not contraindicated_with_bone_stress(
        category=spec.category, contraindicated_for=spec.contraindicated_for
    )


def default_phases(
    planned_weeks: int, *, bone_stress: bool, zero_impact_weeks: int = ZERO_IMPACT_WEEKS_DEFAULT
) -> list[PhasePlan]:
    """The treatment phases spread over the planned weeks (return to run in the last weeks).

    Four weeks: 1 | 2 | 3 | 3–4. Six: 1 | 2–3 | 4–5 | 5–6. Eight: 1 | 2–4 | 5–7 | 7–8.
    With bone stress impact stops at the start for `zero_impact_weeks` (6–8,
    domain.md §8.2, S4): settling takes the first half, the strength phases
    the rest of the no-impact weeks, and the return-to-run phase (running)
    is planned only from the week after them, so a programme no longer than
    the zero-impact period has none (4–6 weeks with the default 6). No
    exercise contraindicated for bone stress (plyometrics, hill sprints) is
    ever in a bone-stress plan; the therapist adds impact after clearance.
    """
    if not PLANNED_WEEKS_MIN <= planned_weeks <= PLANNED_WEEKS_MAX:
        raise ValueError(
            f"planned_weeks must be {PLANNED_WEEKS_MIN}–{PLANNED_WEEKS_MAX}, got {planned_weeks}"
        )
    weeks = planned_weeks
    half = weeks // 2
    if bone_stress:
        first_run = first_impact_week(zero_impact_weeks)
        spans = {
            PhaseKind.SETTLE: (1, half),
            PhaseKind.STRENGTHEN: (half, half + 1),
            PhaseKind.HEAVY_FUNCTIONAL: (half + 1, min(weeks, first_run - 1)),
        }
        if first_run <= weeks:
            spans[PhaseKind.RETURN_TO_RUN] = (first_run, weeks)
    else:
        spans = {
            PhaseKind.SETTLE: (1, 1),
            PhaseKind.STRENGTHEN: (2, max(2, half)),
            PhaseKind.HEAVY_FUNCTIONAL: (max(2, half) + 1, weeks - 1),
            PhaseKind.RETURN_TO_RUN: (weeks - 1, weeks),
        }
    plans = []
    for kind, (start, end) in spans.items():
        codes = (_BONE_STRESS_CODES if bone_stress else {}).get(kind, _CODES[kind])
        notes = _NOTES[kind]
        if bone_stress:
            codes = tuple(c for c in codes if _safe_for_bone_stress(c))
            notes = {
                PhaseKind.SETTLE: _BONE_STRESS_SETTLE,
                PhaseKind.RETURN_TO_RUN: _BONE_STRESS_RETURN,
            }.get(kind, notes + _BONE_STRESS_NO_IMPACT)
        plans.append(PhasePlan(kind, start, max(start, end), notes, codes))
    return plans


def weeks_text(start: int, end: int, *, earlier_ends: tuple[int, ...] = ()) -> str:
    """A phase's planned weeks in words: "week 1", "weeks 2–4", "weeks 7–8 (overlaps week 7)".

    `earlier_ends` are the last weeks of the phases before it: the plans above
    start return to run in the last week of heavy strength work on purpose,
    and the overlap is said rather than hidden.
    """
    span = f"week {start}" if start == end else f"weeks {start}–{end}"
    shared = sorted({w for w in range(start, end + 1) for last in earlier_ends if w <= last})
    if not shared:
        return span
    overlap = f"week {shared[0]}" if len(shared) == 1 else f"weeks {shared[0]}–{shared[-1]}"
    return f"{span} (overlaps {overlap})"
