"""The phase plan a new programme starts with (domain.md §8.2), for the therapist to edit.

Pure data and arithmetic, no database: which weeks each phase is planned
for, what it aims at, and which catalogue exercises it starts with. The
service drops any exercise contraindicated for the patient's impressions.
"""

from dataclasses import dataclass

from assessments.programmes.choices import PLANNED_WEEKS_MAX, PLANNED_WEEKS_MIN, PhaseKind


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
    "Bone stress injury: no impact, pain-free activity only (usually 6–8 weeks). Pool running or cycling "
    "keeps fitness."
)

_CODES = {
    PhaseKind.SETTLE: ("XTRAIN_CYCLE", "BRIDGE", "CLAM", "STR_HIP_FLEX"),
    PhaseKind.STRENGTHEN: ("BRIDGE", "CLAM", "SL_ABD", "SIDE_PLANK", "BAND_WALK"),
    PhaseKind.HEAVY_FUNCTIONAL: ("SPLIT_SQUAT", "STEP_DOWN", "SL_RDL", "HIP_THRUST", "CALF_RAISE"),
    PhaseKind.RETURN_TO_RUN: ("DYN_WARMUP", "SL_BRIDGE", "SL_SQUAT", "STEP_UP", "PLYO"),
}
_BONE_STRESS_CODES = {PhaseKind.SETTLE: ("XTRAIN_POOL_RUN", "BRIDGE", "CLAM", "STR_HIP_FLEX")}


def default_phases(planned_weeks: int, *, bone_stress: bool) -> list[PhasePlan]:
    """The four treatment phases spread over the planned weeks (return to run in the last weeks).

    Four weeks: 1 | 2 | 3 | 3–4. Six: 1 | 2–3 | 4–5 | 5–6. Eight: 1 | 2–4 | 5–7 | 7–8.
    With bone stress, settling (no impact) takes the first half and running
    waits for the last week.
    """
    if not PLANNED_WEEKS_MIN <= planned_weeks <= PLANNED_WEEKS_MAX:
        raise ValueError(
            f"planned_weeks must be {PLANNED_WEEKS_MIN}–{PLANNED_WEEKS_MAX}, got {planned_weeks}"
        )
    weeks = planned_weeks
    half = weeks // 2
    if bone_stress:
        spans = {
            PhaseKind.SETTLE: (1, half),
            PhaseKind.STRENGTHEN: (half, half + 1),
            PhaseKind.HEAVY_FUNCTIONAL: (half + 1, weeks - 1),
            PhaseKind.RETURN_TO_RUN: (weeks, weeks),
        }
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
        notes = _BONE_STRESS_SETTLE if bone_stress and kind == PhaseKind.SETTLE else _NOTES[kind]
        plans.append(PhasePlan(kind, start, max(start, end), notes, codes))
    return plans
