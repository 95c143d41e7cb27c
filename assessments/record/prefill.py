"""The subjective part's starting point: the patient's latest submitted intake (patients.intake.selectors).

`subjective_from_intake(patient)` returns {} when the patient has submitted no
intake. Otherwise:

    {
        "intake_id": 12, "submitted_at": datetime,
        "fields": {Subjective field: typed value},        # pre-fills the therapist's form
        "body_weight_kg": Decimal | None,                 # pre-fills the assessment
        "said": {Subjective field: "what the patient said"},
        "extra": [["Label", "answer"], ...],              # other answers worth seeing
        "flags": [{"code", "label", "action_level", "action_label", "open"}],
    }

`snapshot(prefill)` is the JSON part kept unchanged on the Subjective, so the
signed record shows exactly what the patient said beside the therapist's notes.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db import models

from assessments.models import Subjective
from clinic.dates import format_date
from patients.intake.choices import (
    ActionLevel,
    Aggravating,
    CrossTraining,
    Easing,
    Mechanical,
    Neuro,
    NsaidUse,
    PainRegion,
    PreviousInjury,
    RedFlagCode,
    RunOnset,
    SettleTime,
    Surface,
    TrainingChange,
    Treatment,
)
from patients.intake.choices import Side as IntakeSide
from patients.intake.numbers import format_pace, plain_number
from patients.intake.selectors import intake_latest_submitted
from patients.models import IntakeResponse, Patient

SNAPSHOT_KEYS = ("intake_id", "submitted_at", "said", "extra", "flags")


def _label(choices: type[models.TextChoices], value: object) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _labels(choices: type[models.TextChoices], values: Iterable[object] | None) -> str:
    return "; ".join(_label(choices, v) for v in values or [])


def _number(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _pain_location(locations: object) -> str:
    if not isinstance(locations, dict):
        return ""
    order = {value: index for index, value in enumerate(PainRegion.values)}
    regions = sorted(locations.items(), key=lambda item: order.get(item[0], len(order)))
    return "; ".join(
        f"{_label(PainRegion, region)} ({_label(IntakeSide, side).lower()})" for region, side in regions
    )


def _history(r: IntakeResponse) -> str:
    parts = []
    if getattr(r, "run_onset", ""):
        onset = _label(RunOnset, r.run_onset)
        if getattr(r, "run_onset_km", None) is not None:
            onset += f" ({_number(r.run_onset_km)} km)"
        if getattr(r, "onset_getting_earlier", None):
            onset += ", coming on earlier in each run"
        parts.append(f"Pain during runs: {onset}.")
    if getattr(r, "settle_time", ""):
        parts.append(f"Settles: {_label(SettleTime, r.settle_time).lower()}.")
    if getattr(r, "trauma_at_onset", None):
        parts.append(f"Trauma at onset: {getattr(r, 'trauma_detail', '') or 'yes'}.")
    if getattr(r, "mechanical", None):
        parts.append(f"Mechanical: {_labels(Mechanical, r.mechanical).lower()}.")
    if getattr(r, "neuro", None):
        where = getattr(r, "neuro_location", "")
        parts.append(f"Neuro: {_labels(Neuro, r.neuro).lower()}{f' ({where})' if where else ''}.")
    if getattr(r, "morning_stiffness_min", None):
        parts.append(f"Morning stiffness {r.morning_stiffness_min} min.")
    if getattr(r, "nsaid_use", "") and r.nsaid_use != "none":
        parts.append(f"NSAIDs: {_label(NsaidUse, r.nsaid_use).lower()}.")
    return " ".join(parts)


def _fields(r: IntakeResponse) -> dict[str, object]:
    changes = _labels(TrainingChange, getattr(r, "recent_changes", []))
    if getattr(r, "load_spike", False) and getattr(r, "weekly_km_change_pct", None) is not None:
        changes = f"{changes}; weekly distance up {_number(r.weekly_km_change_pct)} %".lstrip("; ")
    injuries = _labels(PreviousInjury, getattr(r, "previous_injuries", []))
    if getattr(r, "previous_injuries_detail", ""):
        injuries = f"{injuries}: {r.previous_injuries_detail}".lstrip(": ")
    goals = getattr(r, "goals", "")
    if getattr(r, "race_name", ""):
        race = f"Race: {r.race_name}"
        if getattr(r, "race_date", None):
            race += f" on {format_date(r.race_date, 'day')}"
        goals = f"{goals}\n{race}".strip()
    fields = {
        "pain_location": _pain_location(getattr(r, "pain_locations", {})),
        "nprs_now": getattr(r, "nprs_now", None),
        "nprs_worst_7d": getattr(r, "nprs_worst_7d", None),
        "nprs_during_run": getattr(r, "nprs_during_run", None),
        "pain_pattern": getattr(r, "pain_pattern", ""),
        "night_pain": getattr(r, "night_pain", ""),
        "onset_date": getattr(r, "onset_date", None),
        "onset_mode": getattr(r, "onset_mode", ""),
        "history": _history(r),
        "aggravating": _labels(Aggravating, getattr(r, "aggravating", [])),
        "easing": _labels(Easing, getattr(r, "easing", [])),
        "runs_per_week": getattr(r, "runs_per_week", None),
        "weekly_km": getattr(r, "weekly_km_now", None),
        "weekly_km_earlier": getattr(r, "weekly_km_earlier", None),
        "training_changes": changes,
        "previous_injuries": injuries,
        "treatments_tried": _labels(Treatment, getattr(r, "treatments_tried", [])),
        "goals": goals,
    }
    kept = {}
    for name, value in fields.items():
        if value in (None, ""):
            continue
        limit = Subjective._meta.get_field(name).max_length
        kept[name] = value[:limit] if isinstance(value, str) and limit else value
    return kept


def _extra(r: IntakeResponse) -> list[list[str]]:
    rows = [
        ("Years running", getattr(r, "years_running", None)),
        ("Longest recent run (km)", getattr(r, "longest_run_km", None)),
        ("Typical pace (min/km)", format_pace(getattr(r, "typical_pace_min_per_km", None))),
        ("Surfaces", _labels(Surface, getattr(r, "surfaces", []))),
        ("Cross-training", _labels(CrossTraining, getattr(r, "cross_training", []))),
        (
            "Shoes",
            "; ".join(
                f"{s.get('model', '?')} ({plain_number(s.get('km')) or '?'} km)"
                for s in getattr(r, "shoes", []) or []
                if isinstance(s, dict)
            ),
        ),
        ("Sitting hours a day", getattr(r, "sitting_hours_per_day", None)),
        ("Height (cm)", getattr(r, "height_cm", None)),
        ("Weight (kg)", getattr(r, "weight_kg", None)),
        ("Sleep (hours)", getattr(r, "sleep_hours", None)),
        ("Life stress (0–10)", getattr(r, "life_stress", None)),
        ("Medications", getattr(r, "medications", "")),
        ("Other conditions", getattr(r, "conditions", "")),
        ("Previous hip or back surgery", getattr(r, "surgery", "")),
        ("LEFS (0–80)", getattr(r, "lefs_score", None)),
        ("PSFS (mean 0–10)", getattr(r, "psfs_score", None)),
    ]
    return [[label, _number(value)] for label, value in rows if value not in (None, "", [])]


def _flags(r: IntakeResponse) -> list[dict[str, object]]:
    return [
        {
            "code": flag.flag_code,
            "label": _label(RedFlagCode, flag.flag_code),
            "action_level": flag.action_level,
            "action_label": _label(ActionLevel, flag.action_level),
            "open": flag.cleared_at is None,
        }
        for flag in r.red_flags.all()
    ]


def said_display(name: str, value: object) -> str:
    """How a Subjective value reads, for "patient said" beside "therapist noted"."""
    if value in (None, ""):
        return ""
    choices = dict(Subjective._meta.get_field(name).flatchoices)
    if choices:
        return str(choices.get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return format_date(value, "day")
    return _number(value)


def subjective_from_intake(patient: Patient) -> dict[str, object]:
    """The pre-fill for a new assessment's subjective part; {} without a submitted intake."""
    response = intake_latest_submitted(patient=patient)
    if response is None:
        return {}
    fields = _fields(response)
    return {
        "intake_id": response.pk,
        "submitted_at": response.submitted_at,
        "fields": fields,
        "body_weight_kg": getattr(response, "weight_kg", None),
        "said": {name: said_display(name, value) for name, value in fields.items()},
        "extra": _extra(response),
        "flags": _flags(response),
    }


def snapshot(prefill: dict[str, object]) -> dict[str, object]:
    """The part of the pre-fill stored with the assessment (JSON, never edited)."""
    return {key: prefill[key] for key in SNAPSHOT_KEYS if key in prefill}
