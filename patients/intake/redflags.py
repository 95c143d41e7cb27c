"""Red-flag rules of domain.md §3: intake answers → flags with action levels → what the patient is told.

Pure rules, no database access. `evaluate(answers)` takes a mapping of the
intake answers (see RedFlagAnswers for the keys; missing keys count as "no")
and returns the flags, most urgent first; `patient_advice(flags)` says what
the patient must do and by when. Each trigger, its level and its source are
in docs/clinical-rules.md ("Red-flag triggers"); the worked cases there are
the rows of tests/patients/intake/test_worked_cases.py. The action levels are
proposals (†) that the clinic lead physio must confirm before go-live.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypedDict

from patients.identity.choices import Sex
from patients.intake.choices import (
    ACTION_LEVEL_ORDER,
    GROIN_REGIONS,
    HIP_REGIONS,
    KNEE_SHIN_REGIONS,
    OTHER_BONE_STRESS_REGIONS,
    ActionLevel,
    Aggravating,
    CancerTreated,
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
    easing: list[str]
    night_pain: str | None
    pain_pattern: str | None
    constant_pain_changes: bool | None  # asked when the pain is there all the time
    onset_getting_earlier: bool | None
    nprs_now: int | None
    previous_injuries: list[str]
    cancer_treated: str | None  # CancerTreated, asked after a yes to cancer_history
    alcohol_units_per_week: int | None
    height_cm: Decimal | str | None
    weight_kg: Decimal | str | None
    load_spike: bool
    age: int | None
    sex: str | None  # patients.identity.choices.Sex


@dataclass(frozen=True, order=True)
class Flag:
    code: str
    action_level: str


ADULT_AGE = 18
# NPRS 7–10 is "severe" in the usual banding of the 0–10 scale (1–3 mild, 4–6 moderate).
SEVERE_PAIN_NPRS = 7
# UK higher-risk drinking: regularly more than 35 units a week (women) or 50 (men).
HIGHER_RISK_UNITS = {Sex.MALE.value: 50}
HIGHER_RISK_UNITS_DEFAULT = 35  # women, and anyone whose sex is not recorded as male
CANCER_RECENT = frozenset({CancerTreated.NOW, CancerTreated.WITHIN_5Y})
# WHO: BMI under 18.5 kg/m² is underweight (adults; under-18s need age centiles).
LOW_BMI = Decimal("18.5")
RED_S_ANSWERS = ("irregular_periods", "under_fuelling", "low_bone_density", "low_vitamin_d")


def _yes(screen: Mapping[str, bool], *codes: str) -> bool:
    return any(screen.get(code) is True for code in codes)


def _decimal(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def bmi(*, height_cm: object, weight_kg: object) -> Decimal | None:
    """Body mass index in kg/m², unrounded; None without both measures."""
    height, weight = _decimal(height_cm), _decimal(weight_kg)
    if not height or weight is None or height <= 0:
        return None
    metres = height / 100
    return weight / (metres * metres)


def drinks_at_higher_risk(*, units_per_week: int | None, sex: str | None) -> bool:
    if units_per_week is None:
        return False
    return units_per_week > HIGHER_RISK_UNITS.get(sex or "", HIGHER_RISK_UNITS_DEFAULT)


def constant_pain_unchanged(answers: RedFlagAnswers) -> bool:
    """Pain there all the time that nothing (activity, rest, position) changes.

    The patient's own answer decides; unanswered, ticking anything that brings
    the pain on or eases it counts as "it changes".
    """
    if answers.get("pain_pattern") != PainPattern.CONSTANT:
        return False
    changes = answers.get("constant_pain_changes")
    if changes is None:
        return not (answers.get("aggravating") or answers.get("easing"))
    return changes is False


def _both_hips(locations: Mapping[str, str]) -> bool:
    sides = {side for region, side in locations.items() if region in HIP_REGIONS}
    return Side.BOTH in sides or {Side.LEFT, Side.RIGHT} <= sides


def _rules(answers: RedFlagAnswers) -> dict[str, str | None]:
    """Flag code -> the action level its triggers raise (None: not raised)."""
    screen = answers.get("screen") or {}
    locations = answers.get("pain_locations") or {}
    aggravating = set(answers.get("aggravating") or [])
    bone_health = answers.get("bone_health") or {}
    age = answers.get("age")
    adult = age is None or age >= ADULT_AGE
    nprs_now = answers.get("nprs_now")

    wakes_at_night = answers.get("night_pain") in {NightPain.WAKES, NightPain.CONSTANT}
    hopping = Aggravating.HOPPING in aggravating
    earlier = answers.get("onset_getting_earlier") is True
    groin = any(region in GROIN_REGIONS for region in locations)
    other_bone = any(region in OTHER_BONE_STRESS_REGIONS for region in locations)
    limp = _yes(screen, "limp")

    fever = _yes(screen, "fever")
    hot_joint = _yes(screen, "hot_swollen")
    severe = _yes(screen, "sudden_severe") or (nprs_now is not None and nprs_now >= SEVERE_PAIN_NPRS)
    cannot_bear_weight = _yes(screen, "cannot_bear_weight")
    infection = None
    if fever and (hot_joint or severe or cannot_bear_weight):
        infection = ActionLevel.EMERGENCY_SAME_DAY
    elif fever or hot_joint:
        infection = ActionLevel.GP_SAME_DAY

    malignancy = None
    if _yes(screen, "weight_loss", "night_sweats"):
        malignancy = ActionLevel.URGENT_MEDICAL
    elif _yes(screen, "cancer_history"):
        # Unanswered "when" counts as recent.
        recent = (answers.get("cancer_treated") or CancerTreated.NOW) in CANCER_RECENT
        malignancy = ActionLevel.URGENT_MEDICAL if recent or wakes_at_night else ActionLevel.REVIEW_AT_VISIT

    body_mass = bmi(height_cm=answers.get("height_cm"), weight_kg=answers.get("weight_kg"))
    higher_risk_drinking = drinks_at_higher_risk(
        units_per_week=answers.get("alcohol_units_per_week"), sex=answers.get("sex")
    )
    training_spike = bool(answers.get("load_spike")) and (
        _both_hips(locations)
        or (
            any(region in HIP_REGIONS for region in locations)
            and any(region in KNEE_SHIN_REGIONS for region in locations)
        )
        or _yes(screen, "fatigue")
    )

    def level(hit: bool, code: str) -> str | None:
        return LEVELS[code] if hit else None

    return {
        RedFlagCode.INFECTION: infection,
        RedFlagCode.FRACTURE: level(
            cannot_bear_weight or (_yes(screen, "recent_trauma") and _yes(screen, "deformity")),
            RedFlagCode.FRACTURE,
        ),
        RedFlagCode.SUDDEN_SEVERE: level(_yes(screen, "sudden_severe"), RedFlagCode.SUDDEN_SEVERE),
        RedFlagCode.BONE_STRESS: level(
            (groin and (hopping or earlier or wakes_at_night))
            or (other_bone and (hopping or earlier))
            or (limp and Aggravating.WALKING in aggravating),
            RedFlagCode.BONE_STRESS,
        ),
        RedFlagCode.NIGHT_CONSTANT: level(
            wakes_at_night or constant_pain_unchanged(answers), RedFlagCode.NIGHT_CONSTANT
        ),
        RedFlagCode.MALIGNANCY: malignancy,
        RedFlagCode.AVN: level(
            (_yes(screen, "steroids") or higher_risk_drinking)
            and ("deep_groin" in locations or answers.get("pain_pattern") == PainPattern.CONSTANT),
            RedFlagCode.AVN,
        ),
        RedFlagCode.SCFE: level(not adult and limp, RedFlagCode.SCFE),
        RedFlagCode.CAUDA_EQUINA: level(
            _yes(screen, "bladder_bowel", "leg_weakness"), RedFlagCode.CAUDA_EQUINA
        ),
        RedFlagCode.HERNIA: level(_yes(screen, "groin_lump"), RedFlagCode.HERNIA),
        RedFlagCode.VASCULAR: level(_yes(screen, "pulsing_lump", "pale_cold_leg"), RedFlagCode.VASCULAR),
        RedFlagCode.OVERTRAINING_REDS: level(
            any(bone_health.get(code) == "yes" for code in RED_S_ANSWERS)
            or (adult and body_mass is not None and body_mass < LOW_BMI)
            or PreviousInjury.STRESS_FRACTURE in (answers.get("previous_injuries") or [])
            or training_spike,
            RedFlagCode.OVERTRAINING_REDS,
        ),
    }


# Each flag's level when raised without the intake's follow-up answers (a check-in, a clinician):
# the most urgent it can have. The intake lowers two of them: a fever alone, or a hot, swollen hip
# alone, is a same-day GP visit; a cancer treated 5 or more years ago, with no night pain or weight
# loss, is reviewed at the visit.
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


def evaluate(answers: RedFlagAnswers) -> list[Flag]:
    """The red flags these answers raise, most urgent action level first."""
    if not isinstance(answers, Mapping):
        raise ValueError(f"Red-flag answers must be a mapping, got {type(answers).__name__}")
    flags = [Flag(code=str(code), action_level=str(lvl)) for code, lvl in _rules(answers).items() if lvl]
    return sorted(flags, key=lambda f: (ACTION_LEVEL_ORDER.index(f.action_level), f.code))


# --- What the patient is told ----------------------------------------------------------------
#
# The texts are English message ids: `_` only marks them for the message catalogue
# (makemessages reads it; this module imports nothing from Django). The caller passes
# `translate` (gettext) and the clinic's country `words` (clinic.locality: the emergency
# number and place, primary care, urgent advice) into patient_advice(), which fills
# {emergency_place} and the rest into the translated text. Without them: the UK's words
# in English.


def _(text: str) -> str:
    return text


Words = Mapping[str, str]
Translate = Callable[[str], str]

UK_WORDS: dict[str, str] = {
    "emergency_number": "999",
    "emergency_place": "A&E",
    "primary_care": "your GP",
    "primary_care_office": "your GP surgery",
    "urgent_advice": "call NHS 111",
}


@dataclass(frozen=True)
class Advice:
    heading: str  # what to do and by when, in a few words
    action: str  # the full instruction
    safety_net: str = ""  # when to go sooner


# One instruction per action level: every message says what to do and by when.
ADVICE: dict[str, Advice] = {
    ActionLevel.EMERGENCY_SAME_DAY: Advice(
        _("Go to {emergency_place} now"),
        _(
            "Go to {emergency_place} now, or call {emergency_number} if you can't get there safely. Don't "
            "wait for your appointment with us, and don't put weight on the leg if it hurts to."
        ),
    ),
    ActionLevel.URGENT_ORTHOPAEDIC: Advice(
        _("Stop running, keep weight off the leg and go to {emergency_place} today"),
        _(
            "Don't put weight on the painful leg (use crutches if you have them) and stop running. Go to "
            "{emergency_place} today to have your hip checked, and call us to let us know."
        ),
    ),
    ActionLevel.GP_SAME_DAY: Advice(
        _("See {primary_care} today"),
        _(
            "See {primary_care} today: call {primary_care_office} now and ask for an urgent appointment, "
            "or {urgent_advice} if it is closed. Don't wait for your appointment with us."
        ),
        _(
            "Go to {emergency_place} now if you have a fever and a hot or swollen hip together, the pain "
            "becomes severe, or you can't put weight on your leg."
        ),
    ),
    ActionLevel.URGENT_MEDICAL: Advice(
        _("See {primary_care} within 1–2 days"),
        _(
            "Call {primary_care_office} today for an appointment in the next 1–2 days, and call us today "
            "so your physiotherapist knows before your visit."
        ),
        _("If it gets much worse before then, {urgent_advice}."),
    ),
    ActionLevel.STOP_RUNNING_URGENT_MEDICAL: Advice(
        _("Stop running and call the clinic today"),
        _(
            "Stop running now, and don't hop or jump, until a clinician has checked you. Call the clinic "
            "today so we can arrange a medical review, usually with an MRI scan."
        ),
    ),
    ActionLevel.ROUTINE_GP: Advice(
        _("See {primary_care} in the next few weeks"),
        _(
            "Book a routine appointment with {primary_care} in the next few weeks, and mention it at your visit."
        ),
        _(
            "Go to {emergency_place} now if the lump becomes painful or hard, you can't push it back in, "
            "or you're being sick."
        ),
    ),
    ActionLevel.REVIEW_AT_VISIT: Advice(
        _("Mention it at your visit"),
        _(
            "Mention it at your visit: your physiotherapist will go through it with you. You don't need to "
            "do anything before then."
        ),
        _(
            "See {primary_care} before your visit if you lose weight without trying or the pain starts to wake you at night."
        ),
    ),
    ActionLevel.ADVISORY: Advice(
        _("Talk about your training at your visit"),
        _(
            "Mention it at your visit: your physiotherapist will look at your training, eating and bone "
            "health with you. Until then, don't increase your training."
        ),
    ),
}

# Why, per flag (and per level where one flag can be raised at two levels).
REASONS: dict[tuple[str, str | None], str] = {
    (RedFlagCode.INFECTION, ActionLevel.EMERGENCY_SAME_DAY): _(
        "A fever with a hot, swollen or very painful hip, or with not being able to put weight on the "
        "leg, can be a sign of an infection in the joint."
    ),
    (RedFlagCode.INFECTION, ActionLevel.GP_SAME_DAY): _(
        "A fever or feeling unwell, or a hot, red or swollen hip, needs a doctor to check for an infection."
    ),
    (RedFlagCode.FRACTURE, None): _(
        "Not being able to put weight on your leg, or a leg that looks out of shape after a fall or "
        "knock, can be a sign of a broken bone."
    ),
    (RedFlagCode.CAUDA_EQUINA, None): _(
        "New bladder or bowel problems, numbness around your bottom or genitals, or leg weakness or "
        "numbness that is getting worse can mean pressure on the nerves in your back."
    ),
    (RedFlagCode.VASCULAR, None): _(
        "A lump in the groin that throbs, or a leg or foot that goes pale, cold or blue, can be a "
        "problem with the blood supply."
    ),
    (RedFlagCode.SCFE, None): _(
        "In young people, hip or knee pain with a limp can be a sign that the growth plate at the top of "
        "the thigh bone has slipped. It needs checking the same day."
    ),
    (RedFlagCode.BONE_STRESS, None): _(
        "Your answers can be signs of a bone stress injury (an overload injury of the bone), which gets "
        "worse if you keep running on it."
    ),
    (
        RedFlagCode.SUDDEN_SEVERE,
        None,
    ): _("Severe pain or swelling that came on suddenly needs a doctor to look at it."),
    (RedFlagCode.NIGHT_CONSTANT, None): _(
        "Pain that wakes you at night, or that is there all the time whatever you do, needs a doctor to "
        "look at it."
    ),
    (RedFlagCode.MALIGNANCY, ActionLevel.URGENT_MEDICAL): _(
        "Weight loss you can't explain, night sweats, or new pain after cancer needs a doctor to check it."
    ),
    (RedFlagCode.MALIGNANCY, ActionLevel.REVIEW_AT_VISIT): _(
        "You told us you had cancer more than 5 years ago. Your physiotherapist will ask you about it."
    ),
    (RedFlagCode.AVN, None): _(
        "Pain deep in the groin or hip with long-term steroid use or heavy drinking needs a doctor to "
        "check the blood supply to the hip bone."
    ),
    (RedFlagCode.HERNIA, None): _("A lump in the groin when you cough or strain can be a hernia."),
    (RedFlagCode.OVERTRAINING_REDS, None): _(
        "Some answers suggest your training load, eating or bone health needs a look, for example pain "
        "in both hips after a jump in training, a low body weight, or low vitamin D or calcium."
    ),
}


def flag_reason(flag: Flag) -> str:
    return REASONS.get((flag.code, flag.action_level)) or REASONS[(flag.code, None)]


@dataclass(frozen=True)
class AdviceStep:
    """One thing the patient must do, by when, and the answers that call for it."""

    level: str
    heading: str
    action: str
    reasons: tuple[str, ...]
    safety_net: str


@dataclass(frozen=True)
class PatientAdvice:
    """What the patient is told at once (rendered by templates/patients/intake/_safety_advice.html)."""

    steps: tuple[AdviceStep, ...] = ()
    urgent: bool = False  # any step before a routine GP visit: shown as an alert

    @property
    def any(self) -> bool:
        return bool(self.steps)

    @property
    def headings(self) -> list[str]:
        return [step.heading for step in self.steps]


NOT_URGENT = frozenset({ActionLevel.ROUTINE_GP, ActionLevel.REVIEW_AT_VISIT, ActionLevel.ADVISORY})


def patient_advice(
    flags: list[Flag], *, words: Words | None = None, translate: Translate | None = None
) -> PatientAdvice:
    """One step per action level raised, most urgent first, each with the reasons for it.

    `translate` (gettext) gives each text in the patient's language, and `words` the
    clinic's country's words filled into it (clinic.locality's Locality.words()).
    """
    fill = {**UK_WORDS, **(words or {})}
    tr: Translate = translate or (lambda text: text)

    def say(text: str) -> str:
        return tr(text).format(**fill) if text else ""

    levels = sorted({flag.action_level for flag in flags}, key=ACTION_LEVEL_ORDER.index)
    steps = tuple(
        AdviceStep(
            level=lvl,
            heading=say(ADVICE[lvl].heading),
            action=say(ADVICE[lvl].action),
            reasons=tuple(tr(flag_reason(flag)) for flag in flags if flag.action_level == lvl),
            safety_net=say(ADVICE[lvl].safety_net),
        )
        for lvl in levels
    )
    return PatientAdvice(steps=steps, urgent=any(lvl not in NOT_URGENT for lvl in levels))
