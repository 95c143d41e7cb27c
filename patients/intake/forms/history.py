"""Intake step forms, part 1: About you, Running history, Your pain.

Forms only validate; patients.intake.services.responses saves what answers()
returns. Every number is ranged (patients.intake.choices.RANGES) and every error is a
plain sentence next to its field.
"""

from datetime import date
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from patients.identity.validators import validate_phone
from patients.intake.choices import (
    KM_PER_MILE,
    SHOE_KM_MAX,
    Aggravating,
    CrossTraining,
    DistanceUnit,
    Easing,
    Mechanical,
    Neuro,
    NightPain,
    NsaidUse,
    OnsetMode,
    PainPattern,
    PainQuality,
    PainRegion,
    RunOnset,
    SettleTime,
    Side,
    Spread,
    Surface,
    TrainingChange,
    Treatment,
)
from patients.intake.forms.fields import (
    StepForm,
    choice_field,
    date_field,
    multi_field,
    number_field,
    pace_field,
    scale_field,
    text_field,
    yes_no_field,
)
from patients.intake.forms.widgets import FIELD_TEMPLATE, InlineCheckboxes, InlineRadios

MAX_SHOES = 2


def _helper(*layout: object) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    helper.field_template = FIELD_TEMPLATE
    return helper


class AboutForm(StepForm):
    slug = "about"
    title = _("About you")
    model_fields = (
        "phone",
        "email",
        "address_line1",
        "address_line2",
        "town",
        "postcode",
        "emergency_contact_name",
        "emergency_contact_phone",
        "emergency_contact_relationship",
        "gp_practice",
        "referrer",
        "occupation",
        "sitting_hours_per_day",
        "height_cm",
        "weight_kg",
    )

    phone = text_field(_("Mobile or phone number"), max_length=30, phone=True)
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address_line1 = text_field(_("Address"), autocomplete="address-line1")
    address_line2 = text_field(_("Address (line 2)"), autocomplete="address-line2")
    town = text_field(_("Town or city"), max_length=100, autocomplete="address-level2")
    postcode = text_field(_("Postcode"), max_length=12, autocomplete="postal-code")
    emergency_contact_name = text_field(_("Name"), max_length=150, required=True)
    emergency_contact_phone = text_field(_("Phone number"), max_length=30, required=True, phone=True)
    emergency_contact_relationship = text_field(
        _("How do you know them?"), max_length=60, help_text=_("For example partner, parent, friend.")
    )
    gp_practice = text_field(_("Your GP practice"), help_text=_("Name and town of the surgery."))
    referrer = text_field(
        _("Who referred you to us, if anyone?"), help_text=_("A doctor, coach or club, for example.")
    )
    occupation = text_field(_("What is your job or main daily activity?"), max_length=120)
    sitting_hours_per_day = number_field(
        "sitting_hours_per_day",
        _("About how many hours a day do you sit?"),
        help_text=_("At a desk, driving, and so on. 0 to 24."),
    )
    height_cm = number_field("height_cm", _("Height in cm"), help_text=_("Optional. 100 to 230."))
    weight_kg = number_field("weight_kg", _("Weight in kg"), help_text=_("Optional. 30 to 250."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["emergency_contact_name"].error_messages["required"] = _(
            "Enter the name of someone we can call."
        )
        self.fields["emergency_contact_phone"].error_messages["required"] = _("Enter their phone number.")
        self.helper = _helper(
            Fieldset(
                _("Your contact details"),
                "phone",
                "email",
                "address_line1",
                "address_line2",
                Row(Column("town"), Column("postcode")),
            ),
            Fieldset(
                _("Emergency contact"),
                "emergency_contact_name",
                "emergency_contact_phone",
                "emergency_contact_relationship",
            ),
            Fieldset(_("Your doctor and referral"), "gp_practice", "referrer"),
            Fieldset(
                _("Work and body"),
                "occupation",
                "sitting_hours_per_day",
                Row(Column("height_cm"), Column("weight_kg")),
            ),
        )

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"])

    def clean_emergency_contact_phone(self) -> str:
        return _phone(self.cleaned_data["emergency_contact_phone"])

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if not data.get("phone") and not data.get("email") and "phone" not in self.errors:
            self.add_error("phone", _("Give a phone number or an email address so we can reach you."))
        return data

    @classmethod
    def initial_from(cls, response: object) -> dict[str, object]:
        initial = super().initial_from(response)
        if cls.slug in response.steps_done:
            return initial
        # First visit to the step: start from what the clinic has on record.
        patient = response.patient
        return {
            name: value if value not in ("", None) else getattr(patient, name, value)
            for name, value in initial.items()
        }


def _phone(value: str) -> str:
    if value:
        validate_phone(value)
    return value


class RunningForm(StepForm):
    slug = "running"
    title = _("Running history")
    model_fields = (
        "years_running",
        "runs_per_week",
        "weekly_km_now",
        "weekly_km_earlier",
        "longest_run_km",
        "typical_pace_min_per_km",
        "surfaces",
        "recent_changes",
        "cutback_weeks",
        "cross_training",
        "cross_training_sessions_per_week",
        "race_name",
        "race_date",
        "race_distance_km",
        "goals",
    )

    years_running = number_field(
        "years_running",
        _("How many years have you been running?"),
        required=True,
        help_text=_("For example 3, or 0.5 for six months."),
    )
    runs_per_week = number_field(
        "runs_per_week", _("How many runs a week do you usually do?"), required=True, help_text=_("0 to 14.")
    )
    weekly_km_now = number_field(
        "weekly_km_now",
        _("Kilometres a week now"),
        required=True,
        help_text=_("Your usual weekly total over the last 2 weeks. 1 mile = 1.6 km."),
    )
    weekly_km_earlier = number_field(
        "weekly_km_earlier",
        _("Kilometres a week 4–6 weeks ago"),
        required=True,
        help_text=_("Your usual weekly total a month or so ago."),
    )
    longest_run_km = number_field("longest_run_km", _("Your longest run in the last month, in km"))
    typical_pace_min_per_km = pace_field(_("Your usual easy pace"))
    surfaces = multi_field(Surface, _("Where do you usually run?"))
    recent_changes = multi_field(TrainingChange, _("What has changed in your training in the last 8 weeks?"))
    cutback_weeks = yes_no_field(_("Do you take an easier week every 3–4 weeks?"), required=False)
    cross_training = multi_field(CrossTraining, _("Other exercise you do"))
    cross_training_sessions_per_week = number_field(
        "cross_training_sessions_per_week", _("Sessions of other exercise a week")
    )
    shoe_unit = forms.ChoiceField(
        label=_("Shoe distances are in"),
        choices=DistanceUnit.choices,
        required=False,
        widget=InlineRadios,
        error_messages={"invalid_choice": _("Choose km or miles.")},
    )
    shoe1_model = text_field(_("Shoe 1: make and model"), max_length=100)
    shoe1_distance = forms.DecimalField(
        label=_("Shoe 1: distance run in them"), required=False, min_value=0, max_digits=6, decimal_places=1
    )
    shoe2_model = text_field(_("Shoe 2: make and model"), max_length=100)
    shoe2_distance = forms.DecimalField(
        label=_("Shoe 2: distance run in them"), required=False, min_value=0, max_digits=6, decimal_places=1
    )
    race_name = text_field(_("Race or event you're training for"), max_length=120, help_text=_("Optional."))
    race_date = date_field(_("Date of the race"))
    race_distance_km = number_field(
        "race_distance_km", _("Race distance in km"), help_text=_("A marathon is 42.2 km.")
    )
    goals = text_field(
        _("What would you like to get back to, or achieve?"),
        max_length=2000,
        long=True,
        required=True,
        help_text=_("In your own words."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].error_messages["required"] = _(
            "Tell us what you'd like to achieve, in a few words."
        )
        self.fields["shoe_unit"].initial = DistanceUnit.KM
        for name in ("shoe1_distance", "shoe2_distance"):
            field = self.fields[name]
            field.widget.attrs.update(inputmode="decimal")
            message = format_lazy(_("Enter a distance from 0 to {km} km (1,864 miles)."), km=SHOE_KM_MAX)
            field.error_messages.update(
                invalid=message,
                min_value=message,
                max_digits=message,
                max_decimal_places="Use no more than 1 decimal place.",
                max_whole_digits=message,
            )
        self.helper = _helper(
            Fieldset(_("Your running"), "years_running", "runs_per_week"),
            Fieldset(
                _("Weekly distance"),
                Row(Column("weekly_km_now"), Column("weekly_km_earlier")),
                "longest_run_km",
                "typical_pace_min_per_km",
            ),
            Fieldset(
                _("Where and how"),
                "surfaces",
                "recent_changes",
                "cutback_weeks",
                "cross_training",
                "cross_training_sessions_per_week",
            ),
            Fieldset(
                _("Your running shoes"),
                "shoe_unit",
                Row(Column("shoe1_model"), Column("shoe1_distance")),
                Row(Column("shoe2_model"), Column("shoe2_distance")),
            ),
            Fieldset(
                _("Races and goals"),
                "race_name",
                Row(Column("race_date"), Column("race_distance_km")),
                "goals",
            ),
        )

    def clean_race_date(self) -> date | None:
        when = self.cleaned_data["race_date"]
        today = timezone.localdate()
        if when is not None and when < today:
            raise forms.ValidationError(
                _("The race date is in the past. Leave it empty if there's no race planned.")
            )
        if when is not None and when.year > today.year + 3:
            raise forms.ValidationError(_("Enter a race date in the next three years."))
        return when

    def clean(self) -> dict[str, object]:
        data = super().clean()
        unit = data.get("shoe_unit") or DistanceUnit.KM
        for n in range(1, MAX_SHOES + 1):
            distance = data.get(f"shoe{n}_distance")
            if distance is None:
                continue
            km = distance * KM_PER_MILE if unit == DistanceUnit.MI else distance
            if km > SHOE_KM_MAX:
                self.add_error(
                    f"shoe{n}_distance",
                    format_lazy(_("Enter a distance from 0 to {km} km (1,864 miles)."), km=SHOE_KM_MAX),
                )
        return data

    def answers(self) -> dict[str, object]:
        answers = super().answers()
        unit = self.cleaned_data.get("shoe_unit") or DistanceUnit.KM
        shoes = []
        for n in range(1, MAX_SHOES + 1):
            model = self.cleaned_data.get(f"shoe{n}_model", "")
            distance = self.cleaned_data.get(f"shoe{n}_distance")
            if not model and distance is None:
                continue
            km = (
                None
                if distance is None
                else (distance * KM_PER_MILE if unit == DistanceUnit.MI else distance)
            )
            shoes.append(
                {
                    "model": model,
                    "distance": None if distance is None else str(distance),
                    "unit": unit,
                    "km": None if km is None else str(km.quantize(Decimal("0.1"))),
                }
            )
        answers["shoes"] = shoes
        return answers

    @classmethod
    def initial_from(cls, response: object) -> dict[str, object]:
        initial = super().initial_from(response)
        for n, shoe in enumerate(response.shoes[:MAX_SHOES], start=1):
            initial[f"shoe{n}_model"] = shoe.get("model", "")
            initial[f"shoe{n}_distance"] = shoe.get("distance")
            initial["shoe_unit"] = shoe.get("unit", DistanceUnit.KM)
        return initial


SIDES = [(Side.LEFT.value, _("Left")), (Side.RIGHT.value, _("Right"))]


def _region_field(region: PainRegion) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=region.label,
        choices=SIDES,
        required=False,
        widget=InlineCheckboxes,
        error_messages={"invalid_choice": _("Choose left, right or both.")},
    )


class PainForm(StepForm):
    slug = "pain"
    title = _("Your pain")
    model_fields = (
        "pain_spread",
        "pain_quality",
        "nprs_worst_7d",
        "nprs_now",
        "nprs_during_run",
        "nprs_next_morning",
        "pain_pattern",
        "constant_pain_changes",
        "run_onset",
        "run_onset_km",
        "onset_getting_earlier",
        "aggravating",
        "easing",
        "settle_time",
        "night_pain",
        "morning_stiffness_min",
        "mechanical",
        "neuro",
        "neuro_location",
        "nsaid_use",
        "onset_date",
        "onset_mode",
        "trauma_at_onset",
        "trauma_detail",
        "treatments_tried",
    )

    pain_spread = multi_field(Spread, _("Does the pain spread anywhere?"))
    pain_quality = multi_field(PainQuality, _("What does it feel like?"))
    mechanical = multi_field(
        Mechanical, _("Does the hip do any of these?"), help_text=_("Tick any that happen.")
    )
    nprs_worst_7d = scale_field(
        "nprs_worst_7d",
        _("Worst pain in the last 7 days"),
        help_text=_("0 = no pain, 10 = worst pain imaginable."),
    )
    nprs_now = scale_field(
        "nprs_now", _("Pain right now"), help_text=_("0 = no pain, 10 = worst pain imaginable.")
    )
    nprs_during_run = scale_field(
        "nprs_during_run",
        _("Pain during a run"),
        required=False,
        help_text=_("Leave empty if you're not running."),
    )
    nprs_next_morning = scale_field("nprs_next_morning", _("Pain the morning after a run"), required=False)
    pain_pattern = choice_field(PainPattern.choices, _("Is the pain there all the time?"), required=True)
    constant_pain_changes = yes_no_field(
        _("If it's there all the time: does anything change it, like moving, resting or changing position?"),
        required=False,
        help_text=_("Yes if it gets better or worse with any of these."),
    )
    run_onset = choice_field(RunOnset.choices, _("When does it start in a run?"))
    run_onset_km = number_field("run_onset_km", _("If after a certain distance: about how many km?"))
    onset_getting_earlier = yes_no_field(_("Is it coming on earlier in each run?"), required=False)
    aggravating = multi_field(Aggravating, _("What brings it on or makes it worse?"))
    easing = multi_field(Easing, _("What eases it?"))
    settle_time = choice_field(SettleTime.choices, _("After a run, how long does it take to settle?"))
    night_pain = choice_field(NightPain.choices, _("Pain at night"), required=True)
    morning_stiffness_min = number_field(
        "morning_stiffness_min",
        _("Morning stiffness: for how many minutes?"),
        help_text=_("0 if none. Up to 240."),
    )
    neuro = multi_field(Neuro, _("Do you have any of these in the leg?"))
    neuro_location = text_field(_("Where do you feel them?"))
    nsaid_use = choice_field(
        NsaidUse.choices, _("Do you take anti-inflammatory painkillers (like ibuprofen)?")
    )
    onset_date = date_field(_("When did the pain start?"), help_text=_("An approximate date is fine."))
    onset_mode = choice_field(OnsetMode.choices, _("Did it start suddenly or gradually?"), required=True)
    trauma_at_onset = yes_no_field(_("Did it start with a fall, a twist or a 'pop'?"), required=False)
    trauma_detail = text_field(_("What happened?"), max_length=300)
    treatments_tried = multi_field(Treatment, _("What have you tried so far?"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for region in PainRegion:
            self.fields[f"pain_{region.value}"] = _region_field(region)
        regions = [f"pain_{region.value}" for region in PainRegion]
        self.helper = _helper(
            Fieldset(
                _("Where do you feel the pain?"),
                HTML(_('<p class="form-text">Tick left, right or both for each place that hurts.</p>')),
                *regions,
                css_class="pain-map",
            ),
            Fieldset(
                _("How it feels"), "pain_spread", "pain_quality", "mechanical", "neuro", "neuro_location"
            ),
            Fieldset(
                _("How bad it is"),
                "nprs_worst_7d",
                "nprs_now",
                "nprs_during_run",
                "nprs_next_morning",
            ),
            Fieldset(
                _("When it hurts"),
                "pain_pattern",
                "constant_pain_changes",
                "run_onset",
                "run_onset_km",
                "onset_getting_earlier",
                "aggravating",
                "easing",
                "settle_time",
                "night_pain",
                "morning_stiffness_min",
            ),
            Fieldset(_("How it started"), "onset_date", "onset_mode", "trauma_at_onset", "trauma_detail"),
            Fieldset(_("Treatment so far"), "treatments_tried", "nsaid_use"),
        )

    def clean_onset_date(self) -> date | None:
        when = self.cleaned_data["onset_date"]
        if when is not None and when > timezone.localdate():
            raise forms.ValidationError(_("The start date can't be in the future."))
        if when is not None and when.year < 1900:
            raise forms.ValidationError(_("Enter a date after 1900."))
        born = getattr(self.patient, "date_of_birth", None)
        if when is not None and born is not None and when < born:
            raise forms.ValidationError(_("The start date is before your date of birth."))
        return when

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if not any(data.get(f"pain_{region.value}") for region in PainRegion):
            self.add_error(f"pain_{PainRegion.values[0]}", _("Tick at least one place where you feel pain."))
        constant = data.get("pain_pattern") == PainPattern.CONSTANT
        if (
            constant
            and data.get("constant_pain_changes") is None
            and "constant_pain_changes" not in self.errors
        ):
            self.add_error(
                "constant_pain_changes", _("Answer yes or no: does anything change the pain, even a little?")
            )
        if not constant:
            data["constant_pain_changes"] = None  # only asked about pain that is there all the time
        return data

    def answers(self) -> dict[str, object]:
        answers = super().answers()
        locations = {}
        for region in PainRegion:
            sides = set(self.cleaned_data.get(f"pain_{region.value}") or [])
            if sides:
                locations[region.value] = Side.BOTH.value if len(sides) == 2 else sides.pop()
        answers["pain_locations"] = locations
        return answers

    @classmethod
    def initial_from(cls, response: object) -> dict[str, object]:
        initial = super().initial_from(response)
        for region, side in (response.pain_locations or {}).items():
            initial[f"pain_{region}"] = [Side.LEFT.value, Side.RIGHT.value] if side == Side.BOTH else [side]
        return initial

    @classmethod
    def multi_valued(cls) -> set[str]:
        return super().multi_valued() | {f"pain_{region.value}" for region in PainRegion}
