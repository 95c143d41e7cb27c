"""Red-flag rules of domain.md §3: intake answers → flags with action levels.

Pure rules, no database access. `evaluate(answers)` takes a mapping of the
intake answers (see RedFlagAnswers for the keys; missing keys count as "no")
and returns the flags, most urgent first. The action levels are the domain's
proposals (†) that the clinic lead physio must confirm before go-live.

How each row of the §3 table is read from the intake:

| code | triggers |
|---|---|
| infection | fever/chills/unwell, or hot/red/swollen joint |
| fracture | cannot bear weight; or recent trauma with deformity / short, turned-out leg |
| sudden_severe | sudden severe pain or sudden swelling |
| bone_stress | groin or front-of-hip pain with any of: hurts hopping/jumping, comes on earlier in each run, wakes at night or constant at night |
| night_constant | night pain that wakes, constant at night, or constant pain |
| malignancy | unexplained weight loss, night sweats, history of cancer |
| avn | long-term steroids or heavy alcohol, with constant or deep groin pain |
| scfe | under 18 with a limp |
| cauda_equina | bladder/bowel change or saddle numbness; progressive leg weakness or numbness |
| hernia | groin lump on coughing or straining |
| vascular | pulsating groin lump; pale, cold or blue leg |
| overtraining_reds | RED-S answers (irregular/absent periods, under-fuelling, low bone density) or a previous stress fracture; or pain in both hips / several sites after a training spike with fatigue |
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict

from patients.intake.choices import (
    ACTION_LEVEL_ORDER,
    GROIN_REGIONS,
    ActionLevel,
    Aggravating,
    NightPain,
    PainPattern,
    PreviousInjury,
    RedFlagCode,
    Side,
)


class RedFlagAnswers(TypedDict, total=False):
    screen: Mapping[str, bool]  # SCREEN_QUESTIONS code -> answer
    bone_health: Mapping[str, str]  # BONE_HEALTH_QUESTIONS code -> "yes" / "no" / …
    pain_locations: Mapping[str, str]  # PainRegion -> Side
    aggravating: list[str]
    night_pain: str | None
    pain_pattern: str | None
    onset_getting_earlier: bool | None
    previous_injuries: list[str]
    load_spike: bool
    age: int | None


@dataclass(frozen=True, order=True)
class Flag:
    code: str
    action_level: str


LEVELS: dict[str, str] = {
    RedFlagCode.INFECTION: ActionLevel.EMERGENCY_SAME_DAY,
    RedFlagCode.FRACTURE: ActionLevel.EMERGENCY_SAME_DAY,
    RedFlagCode.SUDDEN_SEVERE: ActionLevel.URGENT_MEDICAL,
    RedFlagCode.BONE_STRESS: ActionLevel.STOP_RUNNING_URGENT_MEDICAL,
    RedFlagCode.NIGHT_CONSTANT: ActionLevel.URGENT_MEDICAL,
    RedFlagCode.MALIGNANCY: ActionLevel.URGENT_MEDICAL,
    RedFlagCode.AVN: ActionLevel.URGENT_MEDICAL,
    RedFlagCode.SCFE: ActionLevel.URGENT_ORTHOPAEDIC,
    RedFlagCode.CAUDA_EQUINA: ActionLevel.EMERGENCY_SAME_DAY,
    RedFlagCode.HERNIA: ActionLevel.ROUTINE_GP,
    RedFlagCode.VASCULAR: ActionLevel.EMERGENCY_SAME_DAY,
    RedFlagCode.OVERTRAINING_REDS: ActionLevel.ADVISORY,
}

ADULT_AGE = 18
RED_S_ANSWERS = ("irregular_periods", "under_fuelling", "low_bone_density")
SEVERAL_SITES = 3


def _yes(screen: Mapping[str, bool], *codes: str) -> bool:
    return any(screen.get(code) is True for code in codes)


def _triggered(answers: RedFlagAnswers) -> set[str]:
    screen = answers.get("screen") or {}
    locations = answers.get("pain_locations") or {}
    aggravating = set(answers.get("aggravating") or [])
    night = answers.get("night_pain")
    pattern = answers.get("pain_pattern")
    bone_health = answers.get("bone_health") or {}
    age = answers.get("age")

    groin = any(region in GROIN_REGIONS for region in locations)
    wakes_at_night = night in {NightPain.WAKES, NightPain.CONSTANT}
    constant = pattern == PainPattern.CONSTANT

    rules = {
        RedFlagCode.INFECTION: _yes(screen, "fever", "hot_swollen"),
        RedFlagCode.FRACTURE: _yes(screen, "cannot_bear_weight")
        or (_yes(screen, "recent_trauma") and _yes(screen, "deformity")),
        RedFlagCode.SUDDEN_SEVERE: _yes(screen, "sudden_severe"),
        RedFlagCode.BONE_STRESS: groin
        and (
            Aggravating.HOPPING in aggravating
            or answers.get("onset_getting_earlier") is True
            or wakes_at_night
        ),
        RedFlagCode.NIGHT_CONSTANT: wakes_at_night or constant,
        RedFlagCode.MALIGNANCY: _yes(screen, "weight_loss", "night_sweats", "cancer_history"),
        RedFlagCode.AVN: _yes(screen, "steroids", "heavy_alcohol")
        and (constant or any(region == "deep_groin" for region in locations)),
        RedFlagCode.SCFE: age is not None and age < ADULT_AGE and _yes(screen, "limp"),
        RedFlagCode.CAUDA_EQUINA: _yes(screen, "bladder_bowel", "leg_weakness"),
        RedFlagCode.HERNIA: _yes(screen, "groin_lump"),
        RedFlagCode.VASCULAR: _yes(screen, "pulsing_lump", "pale_cold_leg"),
        RedFlagCode.OVERTRAINING_REDS: any(bone_health.get(code) == "yes" for code in RED_S_ANSWERS)
        or PreviousInjury.STRESS_FRACTURE in (answers.get("previous_injuries") or [])
        or (
            (Side.BOTH in locations.values() or len(locations) >= SEVERAL_SITES)
            and bool(answers.get("load_spike"))
            and _yes(screen, "fatigue")
        ),
    }
    return {str(code) for code, hit in rules.items() if hit}


def evaluate(answers: RedFlagAnswers) -> list[Flag]:
    """The red flags these answers raise, most urgent action level first."""
    if not isinstance(answers, Mapping):
        raise ValueError(f"Red-flag answers must be a mapping, got {type(answers).__name__}")
    flags = [Flag(code=code, action_level=str(LEVELS[code])) for code in _triggered(answers)]
    return sorted(flags, key=lambda f: (ACTION_LEVEL_ORDER.index(f.action_level), f.code))


@dataclass(frozen=True)
class PatientAdvice:
    """What the patient is told at once (wording in templates/patients/intake/_safety_advice.html)."""

    call_clinic: bool = False  # any flag: call the clinic before the visit
    urgent_care_today: bool = False  # fever + hip pain, cannot bear weight, …: seek urgent care today
    stop_running: bool = False  # suspected bone stress: stop running until seen
    see_gp: bool = False  # routine GP review (hernia)
    advisory_only: bool = False  # only the load/nutrition advisory: talk it through at the visit

    @property
    def any(self) -> bool:
        return self.call_clinic


def patient_advice(flags: list[Flag]) -> PatientAdvice:
    levels = {flag.action_level for flag in flags}
    if not levels:
        return PatientAdvice()
    return PatientAdvice(
        call_clinic=True,
        urgent_care_today=ActionLevel.EMERGENCY_SAME_DAY in levels,
        stop_running=ActionLevel.STOP_RUNNING_URGENT_MEDICAL in levels,
        see_gp=ActionLevel.ROUTINE_GP in levels,
        advisory_only=levels == {ActionLevel.ADVISORY},
    )
