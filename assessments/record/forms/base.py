"""Form plumbing shared by the assessment forms: compact tablet widgets and finding cells."""

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from assessments.record.choices import NotPerformedReason
from assessments.record.services.findings import FindingKind
from patients.intake.numbers import plain_number

EMPTY_LABEL = "—"
NOT_TESTED_CHOICES = [("", EMPTY_LABEL), *NotPerformedReason.choices]

# The unit shown as text next to a number input (and read with its label).
UNITS = {
    "cadence_spm": "steps/min",
    "leg_length_diff_cm": "cm",
    "trial_1_s": "s",
    "trial_2_s": "s",
    "trial_3_s": "s",
    "closed_trial_1_s": "s",
    "closed_trial_2_s": "s",
    "closed_trial_3_s": "s",
    "trial_1_n": "N",
    "trial_2_n": "N",
    "trial_3_n": "N",
    "lever_arm_m": "m",
    "degrees": "°",
    "distance_trial_1_cm": "cm",
    "distance_trial_2_cm": "cm",
    "distance_trial_3_cm": "cm",
    "pain_nprs": "/10",
    "pain_rest_nprs": "/10",
    "pain_provocative_nprs": "/10",
    "body_weight_kg": "kg",
}


class RoundedDecimalField(forms.DecimalField):
    """Rounds to the stored places (half up) instead of refusing 12.34 s for a 1 dp column."""

    def to_python(self, value: object) -> Decimal | None:
        number = super().to_python(value)
        if number is None or self.decimal_places is None or not number.is_finite():
            return number
        return number.quantize(Decimal(1).scaleb(-self.decimal_places), rounding=ROUND_HALF_UP)


def _rounded(field: forms.DecimalField) -> RoundedDecimalField:
    rounded = RoundedDecimalField(
        max_digits=field.max_digits,
        decimal_places=field.decimal_places,
        required=field.required,
        label=field.label,
        help_text=field.help_text,
    )
    rounded.validators = list(field.validators)
    return rounded


def model_fields(
    model: type[models.Model], names: tuple[str, ...], **kwargs: object
) -> dict[str, forms.Field]:
    """Form fields for `names` from the model (validators, choices, labels), with "—" for empty."""
    fields = forms.fields_for_model(model, fields=names, **kwargs)
    for name, field in list(fields.items()):
        # Model validators (the plausibility ranges) are not copied by formfield(); a choice
        # list already bounds its values (and validates the text before coercing it).
        if not isinstance(field, forms.ChoiceField):
            field.validators.extend(
                v for v in model._meta.get_field(name).validators if v not in field.validators
            )
        if isinstance(field, forms.NullBooleanField):
            field.widget.choices = [("unknown", EMPTY_LABEL), ("true", "Yes"), ("false", "No")]
        elif isinstance(field, forms.ChoiceField):
            field.choices = [
                ("", EMPTY_LABEL) if value == "" else (value, label) for value, label in field.choices
            ]
        elif isinstance(field, forms.DecimalField):
            fields[name] = _rounded(field)
    return fields


def style(form: forms.BaseForm, *, small: bool = True, label_prefix: str = "") -> None:
    """Bootstrap classes on every widget; `label_prefix` names the cell for screen readers."""
    size = " form-control-sm" if small else ""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.NullBooleanSelect):
            widget.attrs.setdefault("class", f"form-select{' form-select-sm' if small else ''}")
        else:
            widget.attrs.setdefault("class", f"form-control{size}")
        if isinstance(field, forms.DecimalField | forms.IntegerField):
            number_attrs(field)
        if isinstance(field, forms.DecimalField) and type(widget) is forms.NumberInput:
            field.widget = PlainNumberInput(attrs=widget.attrs)
            widget = field.widget
        if label_prefix:
            unit = UNITS.get(name)
            label = f"{label_prefix} {field.label or name}".strip()
            widget.attrs["aria-label"] = f"{label} ({unit})" if unit and f"({unit})" not in label else label
    if form.is_bound:
        for name in form.errors:
            if name in form.fields:
                css = form.fields[name].widget.attrs.get("class", "")
                form.fields[name].widget.attrs["class"] = f"{css} is-invalid".strip()


class PlainNumberInput(forms.NumberInput):
    """A stored decimal shown as it was typed: 9 s, not 9.0 s (the column keeps one place)."""

    def format_value(self, value: object) -> str | None:
        return plain_number(value) or None


def number_attrs(field: forms.Field) -> None:
    """Keyboard-friendly number entry: decimal keypad, a step of the stored places, the plausible range.

    The form is `novalidate`: the server validates and rounds, so a browser never blocks a save.
    """
    attrs = field.widget.attrs
    attrs["inputmode"] = "decimal"
    places = getattr(field, "decimal_places", None)
    attrs["step"] = str(Decimal(1).scaleb(-places)) if places else "1"
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            attrs.setdefault("min", str(validator.limit_value))
        elif isinstance(validator, MaxValueValidator):
            attrs.setdefault("max", str(validator.limit_value))


def _empty(value: object) -> bool:
    return value in (None, "", False, [], ())


class FindingForm(forms.Form):
    """One finding cell: the result fields, pain, and "not tested (reason)".

    Empty means "not recorded" (no row); a reason means "not tested"; any
    result means the test was done, so a typed 0 is a measured 0.
    """

    kind: FindingKind
    # Result fields the form shows (subset of kind.input_fields).
    entry_fields: tuple[str, ...] = ()
    # Shown but not a result by themselves (e.g. eyes open/closed).
    setting_fields: tuple[str, ...] = ()

    not_tested = forms.ChoiceField(label="Not tested because", choices=NOT_TESTED_CHOICES, required=False)

    def __init__(
        self,
        *args: object,
        key: tuple[str, ...],
        row: object | None = None,
        label: str = "",
        **kwargs: object,
    ) -> None:
        if row is not None and "initial" not in kwargs:
            initial = forms.model_to_dict(row, fields=[*self.entry_fields, *self.setting_fields])
            if not row.performed:
                initial = {"not_tested": row.not_performed_reason, "notes": row.notes}
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.order_fields([*self.setting_fields, *self.entry_fields, "not_tested"])
        self.key = key
        self.row = row
        self.cell_label = label
        style(self, label_prefix=label)

    def has_entry(self, cleaned: dict[str, object] | None = None) -> bool:
        cleaned = self.cleaned_data if cleaned is None else cleaned
        return any(not _empty(cleaned.get(name)) for name in self.entry_fields if name != "notes")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if cleaned.get("not_tested") and self.has_entry():
            raise forms.ValidationError("Either record a result or mark it not tested, not both.")
        return cleaned

    def to_data(self, cleaned: dict[str, object] | None = None) -> dict[str, object] | None:
        """The service's values for this row; None when nothing was entered (not recorded)."""
        cleaned = self.cleaned_data if cleaned is None else cleaned
        if cleaned.get("not_tested"):
            return {
                "performed": False,
                "not_performed_reason": cleaned["not_tested"],
                "notes": cleaned.get("notes", ""),
            }
        if not self.has_entry(cleaned):
            return None
        names = [*self.entry_fields, *self.setting_fields]
        return {"performed": True, **{name: cleaned.get(name) for name in names if name in self.fields}}

    def kept_values(self) -> dict[str, object]:
        """An invalid cell's valid values; a field in error keeps what the record holds for it.

        With a result and "not tested" both given, the result counts (any result means the
        test was done) and the error stays on the page.
        """
        bad = {name for name in self.errors if name in self.fields}
        cleaned = {name: value for name, value in self.cleaned_data.items() if name not in bad}
        stored = self.row if self.row is not None and self.row.performed else None
        for name in bad:
            if stored is not None and name in (*self.entry_fields, *self.setting_fields):
                cleaned[name] = getattr(stored, name, None)
        if cleaned.get("not_tested") and self.has_entry(cleaned):
            cleaned["not_tested"] = ""
        return cleaned

    def partial_data(self) -> dict[str, object] | None:
        """What an invalid cell can still save: `to_data` of its kept values."""
        return self.to_data(self.kept_values())


def finding_form(
    kind: FindingKind,
    entry: tuple[str, ...],
    *,
    settings: tuple[str, ...] = (),
    labels: dict[str, str] | None = None,
    widgets: dict[str, forms.Widget] | None = None,
    base: type[FindingForm] = FindingForm,
) -> type[FindingForm]:
    """A FindingForm class for `kind` with the model's fields `entry` (results) and `settings`."""
    fields = model_fields(kind.model, (*settings, *entry), labels=labels, widgets=widgets)
    for name in ("pain_nprs",):
        if name in fields:
            fields[name].widget.attrs.update({"min": 0, "max": 10})
    attrs = {**fields, "kind": kind, "entry_fields": entry, "setting_fields": settings}
    return type(f"{kind.model.__name__}Form", (base,), attrs)
