"""The examination's cells: one form per test and side, plus per-row settings (position, lever arm)."""

from decimal import Decimal

from django import forms

from assessments.models.base import decimal_range
from assessments.record import measures
from assessments.record.choices import (
    HOP_JUMP_CODES,
    IMPACT_SCREEN_CODES,
    RECORDED_SPECIAL_CODES,
    ForceUnit,
    HhdPosition,
    RomPosition,
    SpecialTestCode,
    Stabilisation,
)
from assessments.record.forms.base import EMPTY_LABEL, FindingForm, RoundedDecimalField, finding_form, style
from assessments.record.services.findings import FINDING_KINDS

PAIN_LABELS = {"pain_nprs": "pain", "familiar_pain": "familiar pain"}


class _Required(FindingForm):
    """A done test needs one of `required_any` (the table's "result when done" rule)."""

    required_any: tuple[str, ...] = ()
    required_message = "Give a result."
    trial_fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if self.trial_fields:
            # Forgiving: trials typed in the 2nd and 3rd boxes move up; order does not matter.
            trials = [cleaned.get(f) for f in self.trial_fields if cleaned.get(f) is not None]
            for index, name in enumerate(self.trial_fields):
                cleaned[name] = trials[index] if index < len(trials) else None
        done = self.has_entry() and not cleaned.get("not_tested")
        if done and self.required_any and all(cleaned.get(name) in (None, "") for name in self.required_any):
            self.add_error(self.required_any[0], self.required_message)
        return cleaned


class _Observation(_Required):
    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        difference = cleaned.get("leg_length_diff_cm")
        shorter = cleaned.get("leg_length_shorter_side")
        if difference is not None and difference > 0 and not shorter:
            self.add_error("leg_length_shorter_side", "Give the shorter side.")
        elif shorter and not (difference is not None and difference > 0):
            self.add_error("leg_length_shorter_side", "A shorter side goes with a difference above 0 cm.")
        if cleaned.get("leg_length_method") and difference is None:
            self.add_error("leg_length_method", "Give the leg length difference it measured.")
        return cleaned


ObservationForm = finding_form(
    FINDING_KINDS["observation"],
    (
        "posture",
        "trunk_lean",
        "foot_strike",
        "cadence_spm",
        "overstriding",
        "crossover_gait",
        "pelvic_drop",
        "leg_length_diff_cm",
        "leg_length_shorter_side",
        "leg_length_method",
        "c_sign",
        "barefoot_in_shorts",
        "stride_notes",
    ),
    labels={"leg_length_diff_cm": "leg length difference", "cadence_spm": "cadence"},
    base=_Observation,
)
ObservationForm.base_fields["stride_notes"].widget = forms.TextInput()


class _DoubleLegSquat(_Required):
    required_any = ("depth",)
    required_message = "Give the squat depth."


DoubleLegSquatForm = finding_form(
    FINDING_KINDS["double_leg_squat"],
    (
        "depth",
        "heel_lift",
        "knee_valgus",
        "trunk_lean",
        "weight_shift",
        "pelvic_tilt",
        "pain_nprs",
        "familiar_pain",
        "notes",
    ),
    labels=PAIN_LABELS,
    base=_DoubleLegSquat,
)


class _SingleLegStance(_Required):
    required_any = ("trial_1_s", "closed_trial_1_s", "trendelenburg")
    required_message = "Give a stance time or the Trendelenburg sign."
    trial_fields = ("trial_1_s", "trial_2_s", "trial_3_s")
    closed_fields = ("closed_trial_1_s", "closed_trial_2_s", "closed_trial_3_s")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        closed = [cleaned.get(f) for f in self.closed_fields if cleaned.get(f) is not None]
        for index, name in enumerate(self.closed_fields):
            cleaned[name] = closed[index] if index < len(closed) else None
        if closed and cleaned.get("eyes") == "closed":
            self.add_error("eyes", "With an eyes-closed set, trials 1–3 are the eyes-open set.")
        cap = cleaned.get("max_s")
        if cap:
            for name in (*self.trial_fields, *self.closed_fields):
                value = cleaned.get(name)
                if value is not None and value > cap:
                    self.add_error(name, f"Longer than the {cap} s cap.")
        return cleaned


SingleLegStanceForm = finding_form(
    FINDING_KINDS["single_leg_stance"],
    (
        "trial_1_s",
        "trial_2_s",
        "trial_3_s",
        "closed_trial_1_s",
        "closed_trial_2_s",
        "closed_trial_3_s",
        "trendelenburg",
        "trunk_lean",
        "wobble",
        "pain_nprs",
        "familiar_pain",
        "notes",
    ),
    settings=("max_s", "eyes"),
    labels={
        "eyes": "trials 1–3 with",
        "trial_1_s": "trial 1",
        "trial_2_s": "trial 2",
        "trial_3_s": "trial 3",
        "closed_trial_1_s": "eyes closed, trial 1",
        "closed_trial_2_s": "eyes closed, trial 2",
        "closed_trial_3_s": "eyes closed, trial 3",
        **PAIN_LABELS,
    },
    base=_SingleLegStance,
)


class _SingleLegSquat(_Required):
    CRITERIA = (
        "overall_impression",
        "weight_transfer",
        "lumbopelvic_alignment",
        "leg_alignment",
        "foot_alignment",
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if self.has_entry() and not cleaned.get("not_tested"):
            for name in self.CRITERIA:
                if not cleaned.get(name):
                    self.add_error(name, "Rate good or poor.")
        return cleaned


SingleLegSquatForm = finding_form(
    FINDING_KINDS["single_leg_squat"],
    (*_SingleLegSquat.CRITERIA, "trendelenburg_during_squat", "pain_nprs", "familiar_pain", "notes"),
    labels=PAIN_LABELS,
    base=_SingleLegSquat,
)


class _Strength(_Required):
    required_any = ("mmt_grade", "trial_1_n")
    required_message = "Give an MMT grade or a dynamometer force."
    trial_fields = ("trial_1_n", "trial_2_n", "trial_3_n")


StrengthForm = finding_form(
    FINDING_KINDS["strength"],
    ("mmt_grade", "trial_1_n", "trial_2_n", "trial_3_n", "pain_nprs", "familiar_pain"),
    labels={
        "mmt_grade": "MMT",
        "trial_1_n": "force 1",
        "trial_2_n": "force 2",
        "trial_3_n": "force 3",
        **PAIN_LABELS,
    },
    base=_Strength,
)


class _Rom(_Required):
    required_any = ("degrees",)
    required_message = "Give the range in degrees."

    def __init__(self, *args: object, key: tuple[str, ...], **kwargs: object) -> None:
        super().__init__(*args, key=key, **kwargs)
        if key[0] in measures.ROM_LIMITS:
            low, high = measures.ROM_LIMITS[key[0]]
            self.fields["degrees"].widget.attrs.update({"min": str(low), "max": str(high)})

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        degrees = cleaned.get("degrees")
        if degrees is not None:
            try:
                measures.validate_rom(self.key[0], degrees)
            except ValueError as exc:
                self.add_error("degrees", str(exc).capitalize() + ".")
        return cleaned


RangeOfMotionForm = finding_form(
    FINDING_KINDS["rom"],
    ("degrees", "end_range_pain"),
    labels={"degrees": "degrees", "end_range_pain": "end-range pain"},
    base=_Rom,
)


class _Special(_Required):
    required_any = ("result", "hops_completed", "distance_trial_1_cm", "completed")
    required_message = "Give the result (positive or negative)."
    trial_fields = ("distance_trial_1_cm", "distance_trial_2_cm", "distance_trial_3_cm")
    DISTANCE = (SpecialTestCode.HOP_DISTANCE,)
    ONLY_FOR: dict[str, tuple[str, ...]] = {
        "result": tuple(c for c in RECORDED_SPECIAL_CODES if c not in IMPACT_SCREEN_CODES),
        "hops_completed": (SpecialTestCode.HOP,),
        "distance_trial_1_cm": DISTANCE,
        "distance_trial_2_cm": DISTANCE,
        "distance_trial_3_cm": DISTANCE,
        "completed": tuple(IMPACT_SCREEN_CODES),
        "pain_site": (SpecialTestCode.FABER,),
        "bone_stress_reason": tuple(HOP_JUMP_CODES),
    }

    def __init__(
        self, *args: object, key: tuple[str, ...], row: object | None = None, **kwargs: object
    ) -> None:
        if row is not None and row.performed and row.distance_cm is not None and not row.distance_trials:
            # An earlier record with the best distance only: it shows as the first trial.
            kwargs.setdefault("initial", {**forms.model_to_dict(row), "distance_trial_1_cm": row.distance_cm})
        super().__init__(*args, key=key, row=row, **kwargs)
        for name, tests in self.ONLY_FOR.items():
            if key[0] not in tests:
                del self.fields[name]
        self.entry_fields = tuple(name for name in self.entry_fields if name in self.fields)
        self.trial_fields = tuple(name for name in self.trial_fields if name in self.fields)

    def has_entry(self, cleaned: dict[str, object] | None = None) -> bool:
        # "Not completed" is a result, though a False.
        cleaned = self.cleaned_data if cleaned is None else cleaned
        return super().has_entry(cleaned) or cleaned.get("completed") is not None


SpecialTestForm = finding_form(
    FINDING_KINDS["special"],
    (
        "result",
        "hops_completed",
        "distance_trial_1_cm",
        "distance_trial_2_cm",
        "distance_trial_3_cm",
        "completed",
        "pain_site",
        "pain_nprs",
        "familiar_pain",
        "bone_stress_reason",
        "notes",
    ),
    labels={
        "hops_completed": "hops (0–30)",
        "distance_trial_1_cm": "trial 1",
        "distance_trial_2_cm": "trial 2",
        "distance_trial_3_cm": "trial 3",
        "bone_stress_reason": "reason, with suspected bone stress",
        **PAIN_LABELS,
    },
    base=_Special,
)
SpecialTestForm.base_fields["bone_stress_reason"].widget = forms.TextInput()


class _MuscleLength(_Required):
    required_any = ("rating",)
    required_message = "Rate the muscle length normal or reduced."


MuscleLengthForm = finding_form(
    FINDING_KINDS["muscle_length"],
    ("rating", "pain"),
    labels={"rating": "length", "pain": "pain"},
    base=_MuscleLength,
)


class _Palpation(_Required):
    required_any = ("tenderness",)
    required_message = "Give the tenderness (none to severe)."


PalpationForm = finding_form(
    FINDING_KINDS["palpation"], ("tenderness", "familiar_pain"), labels=PAIN_LABELS, base=_Palpation
)


def _choices(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", EMPTY_LABEL), *choices]


class StrengthSettingsForm(forms.Form):
    """Per muscle group, shared by both sides so they stay comparable (same position and lever)."""

    position = forms.ChoiceField(choices=_choices(HhdPosition.choices), required=False)
    stabilisation = forms.ChoiceField(choices=_choices(Stabilisation.choices), required=False)
    lever_arm_m = RoundedDecimalField(
        label="lever arm (m)",
        max_digits=3,
        decimal_places=2,
        required=False,
        validators=decimal_range("0.10", "1.20"),
    )
    unit = forms.ChoiceField(label="force unit", choices=ForceUnit.choices, initial=ForceUnit.NEWTON)

    def __init__(self, *args: object, rows: list[object], label: str = "", **kwargs: object) -> None:
        first = next((r for r in rows if r is not None and r.performed), None)
        if first is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "position": first.position,
                "stabilisation": first.stabilisation,
                "lever_arm_m": first.lever_arm_m,
                "unit": ForceUnit.NEWTON,
            }
        super().__init__(*args, **kwargs)
        style(self, label_prefix=label)

    def to_newtons(self, value: Decimal | None) -> Decimal | None:
        if value is None or self.cleaned_data.get("unit") != ForceUnit.KGF:
            return value
        return measures.kgf_to_newtons(value)

    def shared(self) -> dict[str, object]:
        return {name: self.cleaned_data.get(name) for name in ("position", "stabilisation", "lever_arm_m")}


class RomSettingsForm(forms.Form):
    position = forms.ChoiceField(choices=_choices(RomPosition.choices), required=False)

    def __init__(self, *args: object, rows: list[object], label: str = "", **kwargs: object) -> None:
        first = next((r for r in rows if r is not None and r.performed), None)
        if first is not None and "initial" not in kwargs:
            kwargs["initial"] = {"position": first.position}
        super().__init__(*args, **kwargs)
        style(self, label_prefix=label)

    def shared(self) -> dict[str, object]:
        return {"position": self.cleaned_data.get("position", "")}


CELL_FORMS: dict[str, type[FindingForm]] = {
    "observation": ObservationForm,
    "double_leg_squat": DoubleLegSquatForm,
    "single_leg_stance": SingleLegStanceForm,
    "single_leg_squat": SingleLegSquatForm,
    "strength": StrengthForm,
    "rom": RangeOfMotionForm,
    "muscle_length": MuscleLengthForm,
    "special": SpecialTestForm,
    "palpation": PalpationForm,
}
SETTINGS_FORMS = {"strength": StrengthSettingsForm, "rom": RomSettingsForm}
# Which special tests show which fields (a test's row differs from another's only by these).
SPECIAL_ONLY_FOR = _Special.ONLY_FOR
