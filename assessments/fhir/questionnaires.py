"""The Questionnaires Stride exports (intake, LEFS, PSFS, HOOS, weekly check-in) and its CodeSystem.

Each QuestionnaireResponse of the export names one of these by its canonical
URL (`codes.questionnaire_url`), and its items carry the same linkIds. Item
wording is the wording the patient reads (patients.outcomes.questionnaires,
the intake's field labels, the check-in's questions).
"""

from dataclasses import dataclass

from django.db import models
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.resource import Resource

from assessments.fhir.base import make
from assessments.fhir.codes import LOCAL_CODES, local_system, questionnaire_url
from assessments.models import CheckIn, Exercise, RunLog
from assessments.programmes.choices import CHECKIN_SAFETY_QUESTIONS
from patients.intake import choices as intake_choices
from patients.models import IntakeResponse
from patients.outcomes.questionnaires import HOOS_SECTIONS, LEFS_ANSWERS, LEFS_ITEMS, LEFS_QUESTION

VERSION = "1"
INTAKE = "intake"
LEFS = "lefs"
PSFS = "psfs"
HOOS = "hoos"
CHECKIN = "weekly-checkin"
HOOS_ORDER = ("pain", "symptoms", "adl", "sport", "qol")
PSFS_MAX_ACTIVITIES = 5


@dataclass(frozen=True)
class Field:
    """One answer of a questionnaire read from a model column: its linkId is the column's name."""

    name: str
    kind: str  # FHIR item type: integer, decimal, boolean, date, string, text
    repeats: bool = False
    choices: type[models.TextChoices] | None = None


# The intake's clinical answers (contact details are the Patient's; consent and signature stay
# in the clinic's record). Lists hold choice values; their labels are what the patient chose.
INTAKE_FIELDS: tuple[Field, ...] = (
    Field("occupation", "string"),
    Field("sitting_hours_per_day", "decimal"),
    Field("height_cm", "decimal"),
    Field("weight_kg", "decimal"),
    Field("years_running", "decimal"),
    Field("runs_per_week", "integer"),
    Field("weekly_km_now", "decimal"),
    Field("weekly_km_earlier", "decimal"),
    Field("weekly_km_change_pct", "decimal"),
    Field("load_spike", "boolean"),
    Field("longest_run_km", "decimal"),
    Field("typical_pace_min_per_km", "decimal"),
    Field("surfaces", "string", True, intake_choices.Surface),
    Field("recent_changes", "string", True, intake_choices.TrainingChange),
    Field("cutback_weeks", "boolean"),
    Field("cross_training", "string", True, intake_choices.CrossTraining),
    Field("cross_training_sessions_per_week", "integer"),
    Field("shoes", "string", True),
    Field("race_name", "string"),
    Field("race_date", "date"),
    Field("race_distance_km", "decimal"),
    Field("goals", "text"),
    Field("pain_locations", "string", True),
    Field("pain_spread", "string", True, intake_choices.Spread),
    Field("pain_quality", "string", True, intake_choices.PainQuality),
    Field("nprs_worst_7d", "integer"),
    Field("nprs_now", "integer"),
    Field("nprs_during_run", "integer"),
    Field("nprs_next_morning", "integer"),
    Field("pain_pattern", "string"),
    Field("constant_pain_changes", "boolean"),
    Field("run_onset", "string"),
    Field("run_onset_km", "decimal"),
    Field("onset_getting_earlier", "boolean"),
    Field("aggravating", "string", True, intake_choices.Aggravating),
    Field("easing", "string", True, intake_choices.Easing),
    Field("settle_time", "string"),
    Field("night_pain", "string"),
    Field("morning_stiffness_min", "integer"),
    Field("mechanical", "string", True, intake_choices.Mechanical),
    Field("neuro", "string", True, intake_choices.Neuro),
    Field("neuro_location", "string"),
    Field("nsaid_use", "string"),
    Field("onset_date", "date"),
    Field("onset_mode", "string"),
    Field("trauma_at_onset", "boolean"),
    Field("trauma_detail", "string"),
    Field("treatments_tried", "string", True, intake_choices.Treatment),
    Field("cancer_treated", "string"),
    Field("alcohol_units_per_week", "integer"),
    Field("previous_injuries", "string", True, intake_choices.PreviousInjury),
    Field("previous_injuries_detail", "string"),
    Field("surgery", "string"),
    Field("medications", "text"),
    Field("conditions", "text"),
    Field("sleep_hours", "decimal"),
    Field("life_stress", "integer"),
)

CHECKIN_FIELDS: tuple[Field, ...] = (
    Field("pain_now", "integer"),
    Field("pain_worst", "integer"),
    Field("run_pain_during", "integer"),
    Field("run_pain_after", "integer"),
    Field("pain_next_morning", "integer"),
    Field("sessions_done", "integer"),
    Field("sessions_prescribed", "integer"),
    Field("sleep", "string"),
    Field("stress", "string"),
    Field("comments", "text"),
    *(Field(name, "boolean") for name, _ in CHECKIN_SAFETY_QUESTIONS),
)

RUN_FIELDS: tuple[Field, ...] = (
    Field("date", "date"),
    Field("distance_km", "decimal"),
    Field("minutes", "integer"),
    Field("surface", "string"),
    Field("shoes", "string"),
)


def field_label(model: type[models.Model], name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name)).capitalize()


def _field_items(model: type[models.Model], fields: tuple[Field, ...], texts: dict[str, str]) -> list:
    return [
        {
            "linkId": field.name,
            "text": texts.get(field.name) or field_label(model, field.name),
            "type": field.kind,
            "repeats": field.repeats or None,
        }
        for field in fields
    ]


def _questionnaire(name: str, title: str, items: list, description: str = "") -> Questionnaire:
    return make(
        Questionnaire,
        {
            "id": name,
            "url": questionnaire_url(name),
            "version": VERSION,
            "name": name.replace("-", "_").upper(),
            "title": title,
            "status": "active",
            "subjectType": ["Patient"],
            "publisher": "Stride",
            "description": description,
            "item": items,
        },
    )


def intake_questionnaire() -> Questionnaire:
    screen = [
        {"linkId": f"screen.{code}", "text": question, "type": "boolean"}
        for code, question in intake_choices.SCREEN_QUESTIONS.items()
    ]
    bone_health = [
        {"linkId": f"bone_health.{code}", "text": question, "type": "string"}
        for code, question in intake_choices.BONE_HEALTH_QUESTIONS.items()
    ]
    items = [
        *_field_items(IntakeResponse, INTAKE_FIELDS, {}),
        {"linkId": "screen", "text": "Health screen", "type": "group", "item": screen},
        {"linkId": "bone_health", "text": "Bone health", "type": "group", "item": bone_health},
    ]
    return _questionnaire(
        INTAKE,
        "Stride running hip pain intake",
        items,
        "The patient's online intake before the first visit: running history, pain and health screen. "
        "The LEFS, PSFS and HOOS answered with it are their own responses.",
    )


def lefs_questionnaire() -> Questionnaire:
    scale = "; ".join(f"{value} = {label}" for value, label in LEFS_ANSWERS)
    items = [
        {"linkId": "lefs.scale", "text": f"{LEFS_QUESTION} ({scale})", "type": "display"},
        *(
            {"linkId": f"lefs.{number}", "text": text, "type": "integer"}
            for number, text in enumerate(LEFS_ITEMS, start=1)
        ),
    ]
    return _questionnaire(LEFS, "Lower Extremity Functional Scale (LEFS)", items, "20 items 0-4; total 0-80.")


def psfs_questionnaire() -> Questionnaire:
    activity = [
        {"linkId": "psfs.activity.id", "text": "Activity number (kept across follow-ups)", "type": "integer"},
        {"linkId": "psfs.activity.name", "text": "Activity", "type": "string"},
        {
            "linkId": "psfs.activity.rating",
            "text": "How able are you now (0 = unable, 10 = as able as before)?",
            "type": "integer",
        },
    ]
    items = [
        {
            "linkId": "psfs.activity",
            "text": "An activity you find hard because of your hip",
            "type": "group",
            "repeats": True,
            "item": activity,
        }
    ]
    return _questionnaire(
        PSFS,
        "Patient-Specific Functional Scale (PSFS)",
        items,
        "Up to 5 activities rated 0-10; score = mean.",
    )


def hoos_questionnaire() -> Questionnaire:
    groups = []
    for subscale in HOOS_ORDER:
        heading, questions = HOOS_SECTIONS[subscale]
        groups.append(
            {
                "linkId": f"hoos.{subscale}",
                "text": heading,
                "type": "group",
                "item": [
                    {
                        "linkId": f"hoos.{subscale}.{number}",
                        "text": f"{text} (0 = {labels[0]} … 4 = {labels[-1]})",
                        "type": "integer",
                    }
                    for number, (text, labels) in enumerate(questions, start=1)
                ],
            }
        )
    return _questionnaire(
        HOOS,
        "Hip disability and Osteoarthritis Outcome Score (HOOS)",
        groups,
        "40 items 0-4 in five subscales, each scored 0-100 (100 = no problems).",
    )


def checkin_questionnaire() -> Questionnaire:
    texts = {name: str(question) for name, question in CHECKIN_SAFETY_QUESTIONS}
    runs = {
        "linkId": "runs",
        "text": "Runs this week",
        "type": "group",
        "repeats": True,
        "item": [
            {**item, "linkId": f"runs.{item['linkId']}"} for item in _field_items(RunLog, RUN_FIELDS, {})
        ],
    }
    items = [*_field_items(CheckIn, CHECKIN_FIELDS, texts), runs]
    return _questionnaire(
        CHECKIN,
        "Stride weekly check-in",
        items,
        "Pain, exercise sessions, runs and safety questions each week.",
    )


def code_system() -> CodeSystem:
    """Stride's own codes: scores, examination tests, impressions, red flags, and the exercise catalogue."""
    concepts = [{"code": code, "display": display} for code, display in LOCAL_CODES.items()]
    concepts += [
        {"code": code, "display": f"Exercise: {name}"}
        for code, name in Exercise.objects.order_by("code").values_list("code", "name")
    ]
    return make(
        CodeSystem,
        {
            "id": "stride",
            "url": local_system(),
            "version": VERSION,
            "name": "Stride",
            "title": "Stride local codes",
            "status": "active",
            "publisher": "Stride",
            "description": (
                "Codes Stride uses where no external code has been verified: outcome scores (LEFS, PSFS, HOOS), "
                "examination findings, clinical impressions, red flags and the exercise catalogue."
            ),
            "caseSensitive": True,
            "content": "complete",
            "count": len(concepts),
            "concept": concepts,
        },
    )


def questionnaire_resources() -> list[Resource]:
    return [
        intake_questionnaire(),
        lefs_questionnaire(),
        psfs_questionnaire(),
        hoos_questionnaire(),
        checkin_questionnaire(),
        code_system(),
    ]
