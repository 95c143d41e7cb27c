"""Every red-flag trigger and its near miss, at the pure-rule level (docs/clinical-rules.md, "Red-flag triggers").

Each row: a name, the changes to calm answers, and the exact flags (code, action level) they raise.
A near miss sits next to the trigger it nearly meets.
"""

from decimal import Decimal

import pytest

from patients.intake.choices import ActionLevel, RedFlagCode
from patients.intake.redflags import (
    ADVICE,
    LEVELS,
    Flag,
    bmi,
    drinks_at_higher_risk,
    evaluate,
    patient_advice,
)

# Lateral hip pain with running, on one side, no spike, nothing on the screen.
CALM = {
    "screen": {},
    "pain_locations": {"lateral_hip": "right"},
    "aggravating": ["running", "stairs"],
    "easing": ["rest"],
    "night_pain": "lying_on_side",
    "pain_pattern": "with_loading",
    "onset_getting_earlier": False,
    "nprs_now": 3,
    "previous_injuries": ["back_pain"],
    "bone_health": {"irregular_periods": "no"},
    "alcohol_units_per_week": 6,
    "height_cm": Decimal("170"),
    "weight_kg": Decimal("64"),
    "load_spike": False,
    "age": 35,
    "sex": "female",
}
E, ORTHO, GP_TODAY, U, S, G, VISIT, A = (
    ActionLevel.EMERGENCY_SAME_DAY,
    ActionLevel.URGENT_ORTHOPAEDIC,
    ActionLevel.GP_SAME_DAY,
    ActionLevel.URGENT_MEDICAL,
    ActionLevel.STOP_RUNNING_URGENT_MEDICAL,
    ActionLevel.ROUTINE_GP,
    ActionLevel.REVIEW_AT_VISIT,
    ActionLevel.ADVISORY,
)
C = RedFlagCode

CASES = [
    # 5. Infection: fever alone is a same-day GP visit; with a hot joint, severe pain or no weight-bearing, A&E.
    ("fever alone", {"screen": {"fever": True}}, [(C.INFECTION, GP_TODAY)]),
    ("hot swollen hip alone", {"screen": {"hot_swollen": True}}, [(C.INFECTION, GP_TODAY)]),
    ("fever + hot joint", {"screen": {"fever": True, "hot_swollen": True}}, [(C.INFECTION, E)]),
    ("fever + pain now 7", {"screen": {"fever": True}, "nprs_now": 7}, [(C.INFECTION, E)]),
    ("fever + pain now 6", {"screen": {"fever": True}, "nprs_now": 6}, [(C.INFECTION, GP_TODAY)]),
    (
        "fever + sudden severe pain",
        {"screen": {"fever": True, "sudden_severe": True}},
        [(C.INFECTION, E), (C.SUDDEN_SEVERE, U)],
    ),
    (
        "fever + cannot bear weight",
        {"screen": {"fever": True, "cannot_bear_weight": True}},
        [(C.FRACTURE, E), (C.INFECTION, E)],
    ),
    # Fracture.
    ("cannot bear weight", {"screen": {"cannot_bear_weight": True}}, [(C.FRACTURE, E)]),
    ("trauma + deformity", {"screen": {"recent_trauma": True, "deformity": True}}, [(C.FRACTURE, E)]),
    ("trauma alone", {"screen": {"recent_trauma": True}}, []),
    ("sudden severe pain", {"screen": {"sudden_severe": True}}, [(C.SUDDEN_SEVERE, U)]),
    # 1. Bone stress: groin (hop, earlier onset, night) and thigh, buttock, pelvis, sacrum, shin (hop, earlier).
    (
        "groin + painful hop",
        {"pain_locations": {"anterior_hip_groin": "left"}, "aggravating": ["hopping"]},
        [(C.BONE_STRESS, S)],
    ),
    (
        "deep groin + earlier each run",
        {"pain_locations": {"deep_groin": "right"}, "onset_getting_earlier": True},
        [(C.BONE_STRESS, S)],
    ),
    (
        "groin + wakes at night",
        {"pain_locations": {"deep_groin": "right"}, "night_pain": "wakes"},
        [(C.BONE_STRESS, S), (C.NIGHT_CONSTANT, U)],
    ),
    ("groin pain alone", {"pain_locations": {"anterior_hip_groin": "left"}}, []),
    (
        "outer thigh + painful hop",
        {"pain_locations": {"lateral_thigh": "left"}, "aggravating": ["hopping"]},
        [(C.BONE_STRESS, S)],
    ),
    (
        "front of thigh + earlier each run",
        {"pain_locations": {"front_thigh": "right"}, "onset_getting_earlier": True},
        [(C.BONE_STRESS, S)],
    ),
    (
        "inner thigh + painful hop",
        {"pain_locations": {"inner_thigh": "right"}, "aggravating": ["hopping"]},
        [(C.BONE_STRESS, S)],
    ),
    ("thigh pain alone", {"pain_locations": {"lateral_thigh": "left"}, "aggravating": ["running"]}, []),
    (
        "buttock + painful hop",
        {"pain_locations": {"posterior_hip": "left"}, "aggravating": ["hopping"]},
        [(C.BONE_STRESS, S)],
    ),
    (
        "sit bone + earlier each run",
        {"pain_locations": {"sit_bone": "left"}, "onset_getting_earlier": True},
        [(C.BONE_STRESS, S)],
    ),
    (
        "sacrum + painful hop",
        {"pain_locations": {"sacrum": "right"}, "aggravating": ["hopping"]},
        [(C.BONE_STRESS, S)],
    ),
    (
        "shin + painful hop",
        {"pain_locations": {"shin": "left"}, "aggravating": ["hopping"]},
        [(C.BONE_STRESS, S)],
    ),
    ("outer hip + painful hop", {"aggravating": ["hopping"]}, []),
    (
        "thigh + night pain that wakes",
        {"pain_locations": {"lateral_thigh": "left"}, "night_pain": "wakes"},
        [(C.NIGHT_CONSTANT, U)],
    ),
    # 2. An adult's limp with pain on walking: bone stress (S4).
    (
        "adult limp + walking hurts",
        {"screen": {"limp": True}, "aggravating": ["walking"]},
        [(C.BONE_STRESS, S)],
    ),
    ("adult limp alone", {"screen": {"limp": True}}, []),
    ("walking hurts, no limp", {"aggravating": ["walking"]}, []),
    # 9. SCFE: under 18 with a limp.
    ("16, limp", {"screen": {"limp": True}, "age": 17}, [(C.SCFE, ORTHO)]),
    (
        "16, limp + walking hurts",
        {"screen": {"limp": True}, "age": 16, "aggravating": ["walking"]},
        [(C.SCFE, ORTHO), (C.BONE_STRESS, S)],
    ),
    ("18, limp", {"screen": {"limp": True}, "age": 18}, []),
    # 6. Constant pain flags only when nothing changes it.
    (
        "constant, nothing changes it",
        {"pain_pattern": "constant", "constant_pain_changes": False},
        [(C.NIGHT_CONSTANT, U)],
    ),
    ("constant, changes with rest", {"pain_pattern": "constant", "constant_pain_changes": True}, []),
    (
        "constant, unanswered, nothing ticked",
        {"pain_pattern": "constant", "aggravating": [], "easing": []},
        [(C.NIGHT_CONSTANT, U)],
    ),
    (
        "constant, unanswered, rest eases it",
        {"pain_pattern": "constant", "aggravating": [], "easing": ["rest"]},
        [],
    ),
    ("constant through the night", {"night_pain": "constant"}, [(C.NIGHT_CONSTANT, U)]),
    # 8. Cancer: urgent when recent or with night pain / weight loss; otherwise reviewed at the visit.
    (
        "cancer, treated now",
        {"screen": {"cancer_history": True}, "cancer_treated": "now"},
        [(C.MALIGNANCY, U)],
    ),
    (
        "cancer 3 years ago",
        {"screen": {"cancer_history": True}, "cancer_treated": "within_5y"},
        [(C.MALIGNANCY, U)],
    ),
    (
        "cancer 10 years ago",
        {"screen": {"cancer_history": True}, "cancer_treated": "over_5y"},
        [(C.MALIGNANCY, VISIT)],
    ),
    (
        "cancer 10 years ago + night pain",
        {"screen": {"cancer_history": True}, "cancer_treated": "over_5y", "night_pain": "wakes"},
        [(C.MALIGNANCY, U), (C.NIGHT_CONSTANT, U)],
    ),
    (
        "cancer 10 years ago + weight loss",
        {"screen": {"cancer_history": True, "weight_loss": True}, "cancer_treated": "over_5y"},
        [(C.MALIGNANCY, U)],
    ),
    ("cancer, when not answered", {"screen": {"cancer_history": True}}, [(C.MALIGNANCY, U)]),
    ("weight loss", {"screen": {"weight_loss": True}}, [(C.MALIGNANCY, U)]),
    ("night sweats", {"screen": {"night_sweats": True}}, [(C.MALIGNANCY, U)]),
    # 7. AVN: long-term steroids or higher-risk drinking (over 35 units women, 50 men) with deep groin pain.
    (
        "woman, 40 units + deep groin",
        {"alcohol_units_per_week": 40, "pain_locations": {"deep_groin": "left"}},
        [(C.AVN, U)],
    ),
    (
        "woman, 20 units + deep groin",
        {"alcohol_units_per_week": 20, "pain_locations": {"deep_groin": "left"}},
        [],
    ),
    (
        "woman, 35 units + deep groin",
        {"alcohol_units_per_week": 35, "pain_locations": {"deep_groin": "left"}},
        [],
    ),
    (
        "man, 40 units + deep groin",
        {"sex": "male", "alcohol_units_per_week": 40, "pain_locations": {"deep_groin": "left"}},
        [],
    ),
    (
        "man, 51 units + deep groin",
        {"sex": "male", "alcohol_units_per_week": 51, "pain_locations": {"deep_groin": "left"}},
        [(C.AVN, U)],
    ),
    (
        "sex not recorded, 36 units + deep groin",
        {"sex": "other", "alcohol_units_per_week": 36, "pain_locations": {"deep_groin": "left"}},
        [(C.AVN, U)],
    ),
    ("woman, 40 units, outer hip pain", {"alcohol_units_per_week": 40}, []),
    (
        "steroids + deep groin",
        {"screen": {"steroids": True}, "pain_locations": {"deep_groin": "right"}},
        [(C.AVN, U)],
    ),
    (
        "steroids + constant pain that changes",
        {"screen": {"steroids": True}, "pain_pattern": "constant", "constant_pain_changes": True},
        [(C.AVN, U)],
    ),
    ("steroids, outer hip pain", {"screen": {"steroids": True}}, []),
    # Nerves, hernia, vessels.
    ("bladder or bowel change", {"screen": {"bladder_bowel": True}}, [(C.CAUDA_EQUINA, E)]),
    ("leg weakness getting worse", {"screen": {"leg_weakness": True}}, [(C.CAUDA_EQUINA, E)]),
    ("groin lump on coughing", {"screen": {"groin_lump": True}}, [(C.HERNIA, G)]),
    ("pulsing groin lump", {"screen": {"pulsing_lump": True}}, [(C.VASCULAR, E)]),
    ("pale cold leg", {"screen": {"pale_cold_leg": True}}, [(C.VASCULAR, E)]),
    # 3. A training spike with pain in both hips, or a hip and a knee or shin (S4).
    (
        "both hips after a spike",
        {"pain_locations": {"lateral_hip": "both"}, "load_spike": True},
        [(C.OVERTRAINING_REDS, A)],
    ),
    ("both hips without a spike", {"pain_locations": {"lateral_hip": "both"}}, []),
    (
        "left groin + right outer hip after a spike",
        {"pain_locations": {"anterior_hip_groin": "left", "lateral_hip": "right"}, "load_spike": True},
        [(C.OVERTRAINING_REDS, A)],
    ),
    (
        "hip + shin after a spike",
        {"pain_locations": {"lateral_hip": "right", "shin": "right"}, "load_spike": True},
        [(C.OVERTRAINING_REDS, A)],
    ),
    (
        "hip + knee after a spike",
        {"pain_locations": {"lateral_hip": "right", "lateral_knee": "right"}, "load_spike": True},
        [(C.OVERTRAINING_REDS, A)],
    ),
    (
        "hip + knee without a spike",
        {"pain_locations": {"lateral_hip": "right", "lateral_knee": "right"}},
        [],
    ),
    ("one hip after a spike", {"load_spike": True}, []),
    ("run down after a spike", {"screen": {"fatigue": True}, "load_spike": True}, [(C.OVERTRAINING_REDS, A)]),
    ("run down, no spike", {"screen": {"fatigue": True}}, []),
    (
        "both legs below the hip after a spike",
        {"pain_locations": {"lateral_knee": "both", "shin": "both"}, "load_spike": True},
        [],
    ),
    # 4. RED-S answers, low vitamin D / calcium, BMI under 18.5 (adults), a past stress fracture.
    ("irregular periods", {"bone_health": {"irregular_periods": "yes"}}, [(C.OVERTRAINING_REDS, A)]),
    ("under-fuelling", {"bone_health": {"under_fuelling": "yes"}}, [(C.OVERTRAINING_REDS, A)]),
    ("low bone density", {"bone_health": {"low_bone_density": "yes"}}, [(C.OVERTRAINING_REDS, A)]),
    ("low vitamin D or calcium", {"bone_health": {"low_vitamin_d": "yes"}}, [(C.OVERTRAINING_REDS, A)]),
    ("vitamin D prefer not to say", {"bone_health": {"low_vitamin_d": "prefer_not"}}, []),
    ("BMI 18.4", {"height_cm": Decimal("170"), "weight_kg": Decimal("53.2")}, [(C.OVERTRAINING_REDS, A)]),
    ("BMI 18.6", {"height_cm": Decimal("170"), "weight_kg": Decimal("53.8")}, []),
    ("BMI 18.4 at 17", {"height_cm": Decimal("170"), "weight_kg": Decimal("53.2"), "age": 17}, []),
    ("no height", {"height_cm": None, "weight_kg": Decimal("40")}, []),
    ("past stress fracture", {"previous_injuries": ["stress_fracture"]}, [(C.OVERTRAINING_REDS, A)]),
]


@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[case[0] for case in CASES])
def test_trigger_or_near_miss_raises_exactly_its_flags(name, change, expected):
    flags = evaluate({**CALM, **change})

    assert sorted((f.code, f.action_level) for f in flags) == sorted(expected)


def test_calm_answers_raise_nothing():
    assert evaluate(CALM) == []
    assert evaluate({}) == []


def test_flags_are_listed_most_urgent_first():
    flags = evaluate(
        {
            **CALM,
            "screen": {"groin_lump": True, "fever": True, "cancer_history": True},
            "cancer_treated": "over_5y",
        }
    )

    assert flags == [Flag(C.INFECTION, GP_TODAY), Flag(C.HERNIA, G), Flag(C.MALIGNANCY, VISIT)]


def test_answers_must_be_a_mapping():
    with pytest.raises(ValueError, match="mapping"):
        evaluate([("fever", True)])


@pytest.mark.parametrize(
    ("height", "weight", "expected"),
    [
        ("170", "53.2", Decimal("18.41")),
        ("170", "53.8", Decimal("18.62")),
        ("", "60", None),
        ("170", None, None),
    ],
)
def test_bmi_from_height_and_weight(height, weight, expected):
    value = bmi(height_cm=height, weight_kg=weight)

    assert (None if value is None else value.quantize(Decimal("0.01"))) == expected


@pytest.mark.parametrize(
    ("units", "sex", "expected"),
    [
        (35, "female", False),
        (36, "female", True),
        (50, "male", False),
        (51, "male", True),
        (36, "", True),
        (None, "female", False),
    ],
)
def test_higher_risk_drinking_by_sex(units, sex, expected):
    assert drinks_at_higher_risk(units_per_week=units, sex=sex) is expected


def test_every_action_level_has_advice_that_says_what_to_do_and_by_when():
    timing = ("now", "today", "1–2 days", "few weeks", "at your visit")
    for level in ActionLevel:
        advice = ADVICE[level]
        assert any(word in advice.action for word in timing), level
        assert advice.heading, level


def test_every_flag_at_every_level_it_can_take_has_a_reason():
    levels = {**{code: {level} for code, level in LEVELS.items()}}
    levels[C.INFECTION] |= {GP_TODAY}
    levels[C.MALIGNANCY] |= {VISIT}
    for code, code_levels in levels.items():
        for level in code_levels:
            assert patient_advice([Flag(code, level)]).steps[0].reasons != ("",)


@pytest.mark.parametrize(
    ("flags", "headings", "urgent"),
    [
        ([], [], False),
        ([Flag(C.INFECTION, GP_TODAY)], ["See your GP today"], True),
        ([Flag(C.INFECTION, E)], ["Go to A&E now"], True),
        ([Flag(C.SCFE, ORTHO)], ["Stop running, keep weight off the leg and go to A&E today"], True),
        ([Flag(C.BONE_STRESS, S)], ["Stop running and call the clinic today"], True),
        ([Flag(C.MALIGNANCY, VISIT)], ["Mention it at your visit"], False),
        ([Flag(C.OVERTRAINING_REDS, A)], ["Talk about your training at your visit"], False),
        ([Flag(C.HERNIA, G)], ["See your GP in the next few weeks"], False),
        (
            [Flag(C.BONE_STRESS, S), Flag(C.NIGHT_CONSTANT, U), Flag(C.AVN, U)],
            ["See your GP within 1–2 days", "Stop running and call the clinic today"],
            True,
        ),
    ],
)
def test_patient_advice_one_step_per_level_most_urgent_first(flags, headings, urgent):
    advice = patient_advice(flags)

    assert (advice.headings, advice.urgent, advice.any) == (headings, urgent, bool(flags))


def test_advice_gives_each_flags_reason_under_its_level():
    advice = patient_advice([Flag(C.NIGHT_CONSTANT, U), Flag(C.AVN, U)])

    assert advice.steps[0].reasons == (
        "Pain that wakes you at night, or that is there all the time whatever you do, needs a doctor to "
        "look at it.",
        "Pain deep in the groin or hip with long-term steroid use or heavy drinking needs a doctor to "
        "check the blood supply to the hip bone.",
    )
    assert advice.steps[0].safety_net == "If it gets much worse before then, call NHS 111."


def test_same_day_gp_advice_says_when_to_go_to_a_and_e_instead():
    step = patient_advice([Flag(C.INFECTION, GP_TODAY)]).steps[0]

    assert step.action.startswith("See your GP today")
    assert step.safety_net == (
        "Go to A&E now if you have a fever and a hot or swollen hip together, the pain becomes severe, "
        "or you can't put weight on your leg."
    )


def test_scfe_advice_says_no_weight_and_no_running():
    step = patient_advice([Flag(C.SCFE, ORTHO)]).steps[0]

    assert step.action.startswith(
        "Don't put weight on the painful leg (use crutches if you have them) and stop running."
    )
