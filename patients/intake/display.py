"""Turning stored intake answers into readable rows (patient review, therapist summary)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.db import models
from django.utils.translation import gettext

from clinic.dates import format_date
from patients.intake import choices as c
from patients.intake.forms.fields import PaceField, StepForm
from patients.intake.numbers import format_pace, plain_number
from patients.intake.redflags import LOW_BMI, bmi
from patients.models import IntakeResponse
from patients.outcomes.questionnaires import LEFS_ITEMS

EMPTY = (None, "", [], {})


@dataclass(frozen=True)
class AnswerRow:
    label: str
    value: str


def display_value(field: forms.Field, value: object) -> str:
    if value in EMPTY:
        return gettext("Not answered")
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(str(value), value))
    if isinstance(field, forms.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, date):
        return format_date(value, "day_long")
    if isinstance(field, PaceField):
        return gettext("{pace} min/km").format(pace=format_pace(value))
    if isinstance(value, Decimal | float | int):
        return plain_number(value)  # 8.0 → 8, 61.50 → 61.5
    return str(value)


def step_rows(form_class: type[StepForm], response: IntakeResponse) -> list[AnswerRow]:
    """The saved answers of one step, in the form's order (unanswered optional ones left out)."""
    form = form_class(initial=form_class.initial_from(response), patient=response.patient)
    rows = []
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if value in EMPTY and not field.required:
            continue
        rows.append(AnswerRow(str(field.label), display_value(field, value)))
    return rows


def labels(choices: type[models.TextChoices], values: object) -> str:
    """Readable labels of stored codes, joined ("—" when none)."""
    if not values:
        return "—"
    if isinstance(values, str):
        values = [values]
    known = dict(choices.choices)
    return ", ".join(str(known.get(v, v)) for v in values)


def summary_context(response: IntakeResponse) -> dict[str, object]:
    """Readable pieces of the therapist's summary page."""
    side_labels = dict(c.Side.choices)
    pain_sites = [
        (c.PainRegion(region).label if region in c.PainRegion.values else region, side_labels.get(side, side))
        for region, side in (response.pain_locations or {}).items()
    ]
    screen_yes = [
        question for code, question in c.SCREEN_QUESTIONS.items() if (response.screen or {}).get(code)
    ]
    bone_health = [
        (question, dict(c.BoneHealthAnswer.choices).get(answer, answer))
        for code, question in c.BONE_HEALTH_QUESTIONS.items()
        if (answer := (response.bone_health or {}).get(code))
    ]
    lefs = list(zip(LEFS_ITEMS, response.lefs_items or [], strict=False))
    body_mass = bmi(height_cm=response.height_cm, weight_kg=response.weight_kg)
    changes = response.constant_pain_changes
    return {
        "bmi": None if body_mass is None else body_mass.quantize(Decimal("0.1")),
        "low_bmi": body_mass is not None and body_mass < LOW_BMI,
        "constant_pain": (
            ""
            if changes is None
            else "changes with activity, rest or position"
            if changes
            else "nothing changes it (not activity, rest or position)"
        ),
        "pain_sites": pain_sites,
        "screen_yes": screen_yes,
        "bone_health": bone_health,
        "lefs_items": lefs,
        "text": {
            "spread": labels(c.Spread, response.pain_spread),
            "quality": labels(c.PainQuality, response.pain_quality),
            "mechanical": labels(c.Mechanical, response.mechanical),
            "neuro": labels(c.Neuro, response.neuro),
            "pattern": labels(c.PainPattern, response.pain_pattern),
            "run_onset": labels(c.RunOnset, response.run_onset),
            "aggravating": labels(c.Aggravating, response.aggravating),
            "easing": labels(c.Easing, response.easing),
            "settle_time": labels(c.SettleTime, response.settle_time),
            "night_pain": labels(c.NightPain, response.night_pain),
            "nsaid_use": labels(c.NsaidUse, response.nsaid_use),
            "onset_mode": labels(c.OnsetMode, response.onset_mode),
            "treatments": labels(c.Treatment, response.treatments_tried),
            "surfaces": labels(c.Surface, response.surfaces),
            "changes": labels(c.TrainingChange, response.recent_changes),
            "cross_training": labels(c.CrossTraining, response.cross_training),
            "previous_injuries": labels(c.PreviousInjury, response.previous_injuries),
            "cancer_treated": labels(c.CancerTreated, response.cancer_treated),
        },
    }
