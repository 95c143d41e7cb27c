"""Worked cases of the red-flag rules: named patients → the flags, action levels and messages each must get.

This data is authoritative. The table in docs/clinical-rules.md ("Worked cases") is generated from it:
`python -m tests.patients.intake.test_worked_cases` prints it, and a test fails when the docs differ.
Every row runs through the pure rules (patients.intake.redflags).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from patients.intake.choices import ActionLevel, RedFlagCode
from patients.intake.redflags import evaluate, patient_advice

DOCS = Path(__file__).resolve().parents[3] / "docs" / "clinical-rules.md"
START, END = "<!-- worked-cases:start -->", "<!-- worked-cases:end -->"

# Every case starts from these answers (one-sided outer hip pain with running, nothing on the screen).
BASE: dict[str, object] = {
    "age": 35,
    "sex": "female",
    "pain_locations": {"lateral_hip": "right"},
    "aggravating": ["running"],
    "easing": ["rest"],
    "pain_pattern": "with_loading",
    "night_pain": "none",
    "nprs_now": 3,
    "height_cm": Decimal("170"),
    "weight_kg": Decimal("64"),
    "alcohol_units_per_week": 4,
    "load_spike": False,
}

C, L = RedFlagCode, ActionLevel
A_E, SCFE_TODAY, GP_TODAY, GP_2_DAYS, STOP_RUNNING, GP_WEEKS, AT_VISIT, TRAINING = (
    "Go to A&E now",
    "Stop running, keep weight off the leg and go to A&E today",
    "See your GP today",
    "See your GP within 1–2 days",
    "Stop running and call the clinic today",
    "See your GP in the next few weeks",
    "Mention it at your visit",
    "Talk about your training at your visit",
)


@dataclass(frozen=True)
class Case:
    name: str
    answers: dict[str, object]  # changes to BASE
    flags: list[tuple[str, str]] = field(default_factory=list)
    told: list[str] = field(default_factory=list)  # the advice headings, in order


CASES = [
    Case("Ana, sore outer hip", {}),
    Case(
        "Ben, fever only",
        {"sex": "male", "screen": {"fever": True}},
        [(C.INFECTION, L.GP_SAME_DAY)],
        [GP_TODAY],
    ),
    Case(
        "Cara, fever and a hot swollen hip",
        {"screen": {"fever": True, "hot_swollen": True}},
        [(C.INFECTION, L.EMERGENCY_SAME_DAY)],
        [A_E],
    ),
    Case(
        "Dev, fever and severe pain now",
        {"age": 52, "sex": "male", "screen": {"fever": True}, "nprs_now": 8},
        [(C.INFECTION, L.EMERGENCY_SAME_DAY)],
        [A_E],
    ),
    Case(
        "Ella, groin pain earlier each run, hurts to hop",
        {
            "age": 24,
            "pain_locations": {"deep_groin": "left"},
            "onset_getting_earlier": True,
            "aggravating": ["running", "hopping"],
        },
        [(C.BONE_STRESS, L.STOP_RUNNING_URGENT_MEDICAL)],
        [STOP_RUNNING],
    ),
    Case(
        "Finn, outer thigh pain on hopping",
        {"sex": "male", "pain_locations": {"lateral_thigh": "right"}, "aggravating": ["running", "hopping"]},
        [(C.BONE_STRESS, L.STOP_RUNNING_URGENT_MEDICAL)],
        [STOP_RUNNING],
    ),
    Case(
        "Gita, buttock and sacrum pain earlier each run",
        {"pain_locations": {"posterior_hip": "left", "sacrum": "left"}, "onset_getting_earlier": True},
        [(C.BONE_STRESS, L.STOP_RUNNING_URGENT_MEDICAL)],
        [STOP_RUNNING],
    ),
    Case(
        "Hal, outer thigh pain with running only",
        {"sex": "male", "pain_locations": {"lateral_thigh": "left"}},
    ),
    Case(
        "Ivy, limping, walking hurts",
        {"age": 45, "screen": {"limp": True}, "aggravating": ["running", "walking"]},
        [(C.BONE_STRESS, L.STOP_RUNNING_URGENT_MEDICAL)],
        [STOP_RUNNING],
    ),
    Case(
        "Jon, 16, knee pain and a limp",
        {"age": 16, "sex": "male", "pain_locations": {"lateral_knee": "left"}, "screen": {"limp": True}},
        [(C.SCFE, L.URGENT_ORTHOPAEDIC)],
        [SCFE_TODAY],
    ),
    Case(
        "Kai, 17, groin pain, limp, walking hurts",
        {
            "age": 17,
            "sex": "male",
            "pain_locations": {"anterior_hip_groin": "right"},
            "screen": {"limp": True},
            "aggravating": ["walking"],
        },
        [(C.SCFE, L.URGENT_ORTHOPAEDIC), (C.BONE_STRESS, L.STOP_RUNNING_URGENT_MEDICAL)],
        [SCFE_TODAY, STOP_RUNNING],
    ),
    Case(
        "Lena, both hips after a jump in distance",
        {"pain_locations": {"lateral_hip": "both"}, "load_spike": True},
        [(C.OVERTRAINING_REDS, L.ADVISORY)],
        [TRAINING],
    ),
    Case("Marek, both hips, steady training", {"sex": "male", "pain_locations": {"lateral_hip": "both"}}),
    Case(
        "Nora, hip and shin after a jump in distance",
        {"pain_locations": {"lateral_hip": "right", "shin": "left"}, "load_spike": True},
        [(C.OVERTRAINING_REDS, L.ADVISORY)],
        [TRAINING],
    ),
    Case(
        "Olive, BMI 17.9",
        {"age": 22, "height_cm": Decimal("165"), "weight_kg": Decimal("48.7")},
        [(C.OVERTRAINING_REDS, L.ADVISORY)],
        [TRAINING],
    ),
    Case("Pia, BMI 18.6", {"age": 26, "height_cm": Decimal("170"), "weight_kg": Decimal("53.8")}),
    Case(
        "Quinn, low vitamin D",
        {"bone_health": {"low_vitamin_d": "yes"}},
        [(C.OVERTRAINING_REDS, L.ADVISORY)],
        [TRAINING],
    ),
    Case(
        "Rosa, constant pain nothing changes",
        {"age": 58, "pain_pattern": "constant", "constant_pain_changes": False},
        [(C.NIGHT_CONSTANT, L.URGENT_MEDICAL)],
        [GP_2_DAYS],
    ),
    Case(
        "Sam, constant pain that rest eases",
        {"age": 47, "sex": "male", "pain_pattern": "constant", "constant_pain_changes": True},
    ),
    Case(
        "Tess, cancer treated 3 years ago",
        {"age": 61, "screen": {"cancer_history": True}, "cancer_treated": "within_5y"},
        [(C.MALIGNANCY, L.URGENT_MEDICAL)],
        [GP_2_DAYS],
    ),
    Case(
        "Uma, cancer treated 10 years ago",
        {"age": 66, "screen": {"cancer_history": True}, "cancer_treated": "over_5y"},
        [(C.MALIGNANCY, L.REVIEW_AT_VISIT)],
        [AT_VISIT],
    ),
    Case(
        "Vic, cancer 10 years ago, pain wakes him",
        {
            "age": 64,
            "sex": "male",
            "screen": {"cancer_history": True},
            "cancer_treated": "over_5y",
            "night_pain": "wakes",
        },
        [(C.MALIGNANCY, L.URGENT_MEDICAL), (C.NIGHT_CONSTANT, L.URGENT_MEDICAL)],
        [GP_2_DAYS],
    ),
    Case(
        "Will, 40 units a week, deep groin pain",
        {"sex": "male", "alcohol_units_per_week": 40, "pain_locations": {"deep_groin": "right"}},
    ),
    Case(
        "Xena, 40 units a week, deep groin pain",
        {"alcohol_units_per_week": 40, "pain_locations": {"deep_groin": "right"}},
        [(C.AVN, L.URGENT_MEDICAL)],
        [GP_2_DAYS],
    ),
    Case(
        "Yusuf, 20 units a week, deep groin pain",
        {"sex": "male", "alcohol_units_per_week": 20, "pain_locations": {"deep_groin": "left"}},
    ),
    Case(
        "Zack, long-term steroids, deep groin pain",
        {"sex": "male", "screen": {"steroids": True}, "pain_locations": {"deep_groin": "left"}},
        [(C.AVN, L.URGENT_MEDICAL)],
        [GP_2_DAYS],
    ),
    Case(
        "Zoe, groin lump on coughing",
        {"screen": {"groin_lump": True}},
        [(C.HERNIA, L.ROUTINE_GP)],
        [GP_WEEKS],
    ),
    Case(
        "Aaron, new bladder trouble",
        {"age": 55, "sex": "male", "screen": {"bladder_bowel": True}},
        [(C.CAUDA_EQUINA, L.EMERGENCY_SAME_DAY)],
        [A_E],
    ),
    Case(
        "Beth, fever and groin pain on hopping",
        {
            "screen": {"fever": True},
            "pain_locations": {"anterior_hip_groin": "left"},
            "aggravating": ["hopping"],
        },
        [(C.INFECTION, L.GP_SAME_DAY), (C.BONE_STRESS, L.STOP_RUNNING_URGENT_MEDICAL)],
        [GP_TODAY, STOP_RUNNING],
    ),
    Case(
        "Callum, cannot bear weight after a fall",
        {"sex": "male", "screen": {"recent_trauma": True, "cannot_bear_weight": True}},
        [(C.FRACTURE, L.EMERGENCY_SAME_DAY)],
        [A_E],
    ),
    Case(
        "Dana, past stress fracture, irregular periods, both hips after a jump",
        {
            "previous_injuries": ["stress_fracture"],
            "bone_health": {"irregular_periods": "yes"},
            "pain_locations": {"lateral_hip": "both"},
            "load_spike": True,
        },
        [(C.OVERTRAINING_REDS, L.ADVISORY)],
        [TRAINING],
    ),
    Case(
        "Elena, cancer 10 years ago and a groin lump",
        {"age": 70, "screen": {"cancer_history": True, "groin_lump": True}, "cancer_treated": "over_5y"},
        [(C.HERNIA, L.ROUTINE_GP), (C.MALIGNANCY, L.REVIEW_AT_VISIT)],
        [GP_WEEKS, AT_VISIT],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_worked_case_gets_its_flags_levels_and_messages(case):
    flags = evaluate({**BASE, **case.answers})
    advice = patient_advice(flags)

    assert [(f.code, f.action_level) for f in flags] == case.flags
    assert advice.headings == case.told


def test_there_are_at_least_25_worked_cases_with_unique_names():
    assert len(CASES) >= 25
    assert len({case.name for case in CASES}) == len(CASES)


def _value(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(
            f"{k} {v}" if not isinstance(v, bool) else (k if v else f"not {k}") for k, v in value.items()
        )
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "none"
    return str(value)


def _answers(answers: dict[str, object]) -> str:
    return "; ".join(f"{key}: {_value(value)}" for key, value in answers.items()) or "(as the base)"


def markdown() -> str:
    """The docs table: the base answers, then one row per case."""
    lines = [
        f"Base answers of every case: {_answers(BASE)}.",
        "",
        "| # | Case | Answers (changes to the base) | Flags · action level | The patient is told |",
        "|---|---|---|---|---|",
    ]
    for number, case in enumerate(CASES, start=1):
        flags = "; ".join(f"`{code}` · `{level}`" for code, level in case.flags) or "none"
        told = "; ".join(f"“{heading}”" for heading in case.told) or "nothing"
        lines.append(f"| {number} | {case.name} | {_answers(case.answers)} | {flags} | {told} |")
    return "\n".join(lines)


def test_docs_table_is_generated_from_these_cases():
    text = DOCS.read_text(encoding="utf-8")
    generated = text[text.index(START) + len(START) : text.index(END)].strip()

    assert generated == markdown(), "Regenerate: python -m tests.patients.intake.test_worked_cases"


if __name__ == "__main__":
    print(markdown())
