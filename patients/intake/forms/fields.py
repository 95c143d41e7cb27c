"""Form fields and the step-form base for the patient's intake.

Error messages are plain language and sit next to their field. Number fields
take their bounds from patients.intake.choices.RANGES, the same table the
model's validators and check constraints are built from.
"""

from collections.abc import Iterable
from decimal import Decimal

from django import forms
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from patients.intake.choices import RANGES, YesNo
from patients.intake.forms.widgets import InlineRadios, PaceWidget, TapScale, describe
from patients.intake.numbers import PaceError, pace_from_parts, parse_pace

# Cap on what one text answer keeps (raw drafts are cut to the same size).
TEXT_MAX = 2000


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def number_field(name: str, label: str, *, required: bool = False, help_text: str = "") -> forms.Field:
    """A ranged number with plain-language errors ("Enter a number from 0 to 300")."""
    low, high, places, unit = RANGES[name]
    bounds = {"low": _plain(low), "high": _plain(high)}
    if places == 0:
        message = format_lazy(_("Enter a whole number from {low} to {high}."), **bounds)
        field: forms.Field = forms.IntegerField(
            label=label,
            required=required,
            min_value=int(low),
            max_value=int(high),
            help_text=help_text,
            error_messages={
                "required": message,
                "invalid": message,
                "min_value": message,
                "max_value": message,
            },
        )
        field.widget.attrs.update(inputmode="numeric")
    else:
        message = (
            format_lazy(_("Enter a number from {low} to {high} {unit}."), unit=_(unit), **bounds)
            if unit
            else format_lazy(_("Enter a number from {low} to {high}."), **bounds)
        )
        field = forms.DecimalField(
            label=label,
            required=required,
            min_value=low,
            max_value=high,
            decimal_places=places,
            help_text=help_text,
            error_messages={
                "required": message,
                "invalid": format_lazy(_("Enter a number, like 25 or 25.5. {message}"), message=message),
                "min_value": message,
                "max_value": message,
                "max_digits": message,
                "max_decimal_places": format_lazy(
                    ngettext_lazy(
                        "Use no more than {places} decimal place.",
                        "Use no more than {places} decimal places.",
                        places,
                    ),
                    places=places,
                ),
                "max_whole_digits": message,
            },
        )
        field.widget.attrs.update(inputmode="decimal")
    return field


def scale_field(
    name: str, label: str, *, required: bool = True, help_text: str = ""
) -> forms.TypedChoiceField:
    """A 0–10 rating as a row of radio buttons (no decimals possible)."""
    low, high, _places, _unit = RANGES[name]
    choices = [(str(n), str(n)) for n in range(int(low), int(high) + 1)]
    message = format_lazy(_("Choose a number from {low} to {high}."), low=int(low), high=int(high))
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=required,
        widget=TapScale,
        help_text=help_text,
        error_messages={"required": message, "invalid_choice": message},
    )


def multi_field(
    choices: type[models.TextChoices], label: str, *, required: bool = False, help_text: str = ""
) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices.choices,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text or _("Tick all that apply."),
        error_messages={"required": _("Tick at least one."), "invalid_choice": _("Choose from the list.")},
    )


def choice_field(
    choices: Iterable[tuple[str, str]], label: str, *, required: bool = False, help_text: str = ""
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        required=required,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={
            "required": _("Choose one answer."),
            "invalid_choice": _("Choose one of the answers."),
        },
    )


def yes_no_field(label: str, *, required: bool = True, help_text: str = "") -> forms.TypedChoiceField:
    """Yes / No radios, stored as a boolean (None when not answered)."""
    return forms.TypedChoiceField(
        label=label,
        choices=YesNo.choices,
        coerce=lambda value: value == YesNo.YES,
        empty_value=None,
        required=required,
        widget=InlineRadios,
        help_text=help_text,
        error_messages={"required": _("Answer yes or no."), "invalid_choice": _("Answer yes or no.")},
    )


def text_field(
    label: str,
    *,
    max_length: int = 200,
    required: bool = False,
    help_text: str = "",
    long: bool = False,
    autocomplete: str = "",
    phone: bool = False,
) -> forms.CharField:
    """Free text; `phone=True` gives a telephone box (type=tel: the phone's dial pad)."""
    widget: forms.Widget = forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput()
    if phone:
        widget = forms.TextInput(attrs={"type": "tel", "autocomplete": autocomplete or "tel"})
    field = forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=widget,
        error_messages={
            "required": _("Enter an answer."),
            "max_length": format_lazy(_("Keep this under {count} characters."), count=max_length),
        },
    )
    if autocomplete:
        field.widget.attrs["autocomplete"] = autocomplete
    return field


class PaceField(forms.DecimalField):
    """Minutes per km typed as minutes and seconds (two boxes), stored as decimal minutes (5:45 → 5.75).

    A plain text value ("5:45", "05:45" or decimal minutes "5.5") is read too.
    """

    widget = PaceWidget

    def to_python(self, value: object) -> Decimal | None:
        try:
            if isinstance(value, list | tuple):
                if len(value) == 1:
                    return parse_pace(str(value[0]))
                minutes, seconds = (str(part) for part in value[:2])
                if ":" in minutes and not seconds.strip():
                    return parse_pace(minutes)  # "5:45" typed into the minutes box
                return pace_from_parts(minutes, seconds)
            if isinstance(value, Decimal | int | float):
                return Decimal(str(value)).quantize(Decimal("0.01"))
            return parse_pace(str(value or ""))
        except PaceError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def prepare_value(self, value: object) -> object:
        return value

    def has_changed(self, initial: object, data: object) -> bool:
        try:
            return self.to_python(data) != (None if initial in (None, "") else self.to_python(initial))
        except forms.ValidationError:
            return True


def pace_field(label: str) -> PaceField:
    low, high, places, _unit = RANGES["typical_pace_min_per_km"]
    message = _("Enter a pace from 2:30 to 15:00 minutes per km, like 5 minutes 30 seconds.")
    return PaceField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        decimal_places=places,
        help_text=_("Minutes and seconds per kilometre, like 5 and 30 for 5:30."),
        error_messages={
            "invalid": message,
            "min_value": message,
            "max_value": message,
            "max_digits": message,
            "max_decimal_places": message,
            "max_whole_digits": message,
        },
    )


def date_field(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter a date."), "invalid": _("Enter a real date, like 31/12/2025.")},
    )


class StepForm(forms.Form):
    """One step of the intake. Subclasses list `model_fields` that map 1:1 to
    IntakeResponse columns and override answers()/initial_from() for the rest.
    """

    slug: str = ""
    title: str = ""
    model_fields: tuple[str, ...] = ()
    template_name_extra: str = ""

    def __init__(self, *args: object, patient: object = None, **kwargs: object) -> None:
        self.patient = patient
        super().__init__(*args, **kwargs)

    def describe(self) -> None:
        """Classes and aria attributes of every input (the view calls it before drawing the page)."""
        describe(self)

    def full_clean(self) -> None:
        super().full_clean()
        describe(self)  # every message next to its question, and the inputs pointing at it

    def answers(self) -> dict[str, object]:
        """IntakeResponse field values from the cleaned data (call after is_valid())."""
        # Empty text and choices clean to "", empty numbers and yes/no to None: as stored.
        return {name: self.cleaned_data.get(name) for name in self.model_fields}

    @classmethod
    def initial_from(cls, response: object) -> dict[str, object]:
        initial: dict[str, object] = {}
        for name in cls.model_fields:
            value = getattr(response, name)
            initial[name] = _as_input(value)
        return initial

    @classmethod
    def multi_valued(cls) -> set[str]:
        """Names whose raw input is a list (checkbox groups, a pace's two boxes)."""
        return {
            name
            for name, field in cls.base_fields.items()
            if isinstance(field, forms.MultipleChoiceField) or isinstance(field.widget, forms.MultiWidget)
        }


def _as_input(value: object) -> object:
    if value is True:
        return YesNo.YES
    if value is False:
        return YesNo.NO
    return value
