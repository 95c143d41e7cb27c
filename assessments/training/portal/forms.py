"""The patient's training-log forms (phone first; every error next to its field, valid values kept).

Distances are typed in the patient's unit and cleaned to metres; times as
h:mm:ss or mm:ss and cleaned to seconds. The forms only validate: the
services in assessments.training.services save.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessments.models import Run, Shoe
from assessments.programmes.forms.plan import DATE, bootstrap
from assessments.training.choices import (
    CYCLE_DAY_MAX,
    NOTE_MAX,
    RUN_DISTANCE_MAX_M,
    RUN_DURATION_MAX_S,
    SESSION_MINUTES_MAX,
    SHOE_STARTING_MAX_M,
    SLEEP_HOURS_MAX,
    DistanceUnit,
    PainOnset,
    PainQuality,
    RunSurface,
    SessionKind,
    SessionType,
    SleepQuality,
)
from assessments.training.durations import format_duration, parse_duration
from assessments.training.load import from_unit, to_unit

# How far back a patient may log (a forgotten run from last month, not last year's diary).
LOG_DAYS_BACK = 90
# "–" first: a score tapped by mistake can be taken back (not given).
ZERO_TO_TEN = [("", "–"), *((n, str(n)) for n in range(11))]


class TapScale(forms.RadioSelect):
    """0–10 as one row of buttons to tap (templates/assessments/training/portal/_scale.html, the intake's styles)."""

    def __init__(self) -> None:
        super().__init__(attrs={"class": "scale-input"})


def scale_field(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=ZERO_TO_TEN,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=help_text,
        widget=TapScale(),
        error_messages={"invalid_choice": _("Choose a number from 0 to 10.")},
    )


def _unit_label(unit: str) -> str:
    return "km" if unit == DistanceUnit.KM else str(_("miles"))


def _distance_field(label: str, unit: str, *, required: bool, max_m: int) -> forms.DecimalField:
    top = to_unit(max_m, unit)
    return forms.DecimalField(
        label=format_lazy("{} ({})", label, _unit_label(unit)),
        min_value=Decimal("0.01") if required else Decimal(0),
        max_value=top,
        max_digits=9,
        decimal_places=2,
        required=required,
        error_messages={
            "required": _("How far?"),
            "min_value": format_lazy(_("Use a distance above 0 {unit}."), unit=_unit_label(unit)),
            "max_value": format_lazy(
                _("That is more than {top} {unit}: check the distance."), top=top, unit=_unit_label(unit)
            ),
            "max_decimal_places": _("Use at most 2 decimals, like 5.25."),
            "invalid": format_lazy(_("Type a number of {unit}, like 5.2."), unit=_unit_label(unit)),
        },
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal", "min": 0}),
    )


def _day_field(label: str = _("Date")) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE,
        error_messages={"required": _("Which day?"), "invalid": _("Type a date, like 2026-03-04.")},
    )


def _check_day(form: forms.Form, name: str, today: date) -> None:
    day = form.cleaned_data.get(name)
    if day is None:
        return
    if day > today:
        form.add_error(name, _("That day hasn't happened yet: pick today or an earlier day."))
    elif day < today - timedelta(days=LOG_DAYS_BACK):
        form.add_error(name, format_lazy(_("Log days of the last {days} days only."), days=LOG_DAYS_BACK))


class RunForm(forms.Form):
    """Log a run in seconds: date, distance, time, type, surface, shoes, pain and when it started."""

    day = _day_field()
    distance = forms.DecimalField()  # replaced in __init__ with the patient's unit
    duration = forms.CharField(
        label=_("Time"),
        max_length=12,
        help_text=_("h:mm:ss or mm:ss, like 45:30 (or whole minutes)."),
        error_messages={"required": _("How long was the run?")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "45:30"}),
    )
    session_type = forms.ChoiceField(
        label=_("Type of run"), choices=SessionType.choices, initial=SessionType.EASY
    )
    surface = forms.ChoiceField(label=_("Surface"), choices=RunSurface.choices, initial=RunSurface.ROAD)
    shoe = forms.ModelChoiceField(
        label=_("Shoes"),
        queryset=Shoe.objects.none(),
        required=False,
        empty_label=_("— none or not sure —"),
        error_messages={"invalid_choice": _("Choose shoes from your list.")},
    )
    pain_during = scale_field(_("Pain during the run (0–10)"), _("0 = no pain, 10 = worst imaginable."))
    pain_onset = forms.ChoiceField(
        label=_("When did the pain start?"),
        choices=[
            (PainOnset.NONE, _("No pain")),
            (PainOnset.DISTANCE, _("After a distance")),
            (PainOnset.TIME, _("After some minutes")),
        ],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of these.")},
    )
    onset_distance = forms.DecimalField()  # replaced in __init__
    onset_minutes = forms.IntegerField(
        label=_("Minutes into the run"),
        min_value=0,
        max_value=RUN_DURATION_MAX_S // 60,
        required=False,
        error_messages={"invalid": _("Type whole minutes."), "min_value": _("0 or more minutes.")},
    )
    pain_evening = scale_field(_("Pain that evening (0–10)"), _("You can add this later."))
    pain_next_morning = scale_field(_("Pain the next morning (0–10)"), _("You can add this tomorrow."))
    pain_quality = forms.ChoiceField(
        label=_("The pain felt"),
        choices=[("", _("Not saying")), *PainQuality.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose sharp or dull.")},
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": format_lazy(_("Keep the note to {count} characters."), count=NOTE_MAX)},
    )

    def __init__(
        self, *args: object, unit: str, shoes: Sequence[Shoe] | object, today: date, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.today = today
        self.fields["distance"] = _distance_field(
            _("Distance"), unit, required=True, max_m=RUN_DISTANCE_MAX_M
        )
        self.fields["onset_distance"] = _distance_field(
            _("Distance into the run"), unit, required=False, max_m=RUN_DISTANCE_MAX_M
        )
        self.fields["shoe"].queryset = shoes  # type: ignore[attr-defined]
        self.fields["day"].widget.attrs["max"] = today.isoformat()
        if not self.is_bound and "day" not in self.initial:
            self.initial["day"] = today
        bootstrap(self)

    @classmethod
    def initial_from(cls, run: Run, unit: str) -> dict[str, object]:
        """The form's values for an existing run, in the patient's unit."""
        return {
            "day": run.day,
            "distance": to_unit(run.distance_m, unit),
            "duration": format_duration(run.duration_s),
            "session_type": run.session_type,
            "surface": run.surface,
            "shoe": run.shoe_id,
            "pain_during": run.pain_during,
            "pain_onset": run.pain_onset,
            "onset_distance": to_unit(run.pain_onset_m, unit) if run.pain_onset_m is not None else None,
            "onset_minutes": run.pain_onset_s // 60 if run.pain_onset_s is not None else None,
            "pain_evening": run.pain_evening,
            "pain_next_morning": run.pain_next_morning,
            "pain_quality": run.pain_quality,
            "note": run.note,
        }

    def clean_duration(self) -> int:
        try:
            seconds = parse_duration(self.cleaned_data["duration"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if seconds > RUN_DURATION_MAX_S:
            raise forms.ValidationError(_("That is more than 48 hours: check the time."))
        return seconds

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        _check_day(self, "day", self.today)
        distance, duration = cleaned.get("distance"), cleaned.get("duration")
        distance_m = from_unit(distance, self.unit) if isinstance(distance, Decimal) else None
        if distance_m is not None and distance_m < 1:
            self.add_error("distance", _("Use a distance above 0."))
        pain, onset = cleaned.get("pain_during"), cleaned.get("pain_onset")
        if not onset and pain == 0:
            cleaned["pain_onset"] = onset = PainOnset.NONE
        if onset == PainOnset.NONE and pain:
            self.add_error("pain_onset", _("You scored pain during the run: say when it started."))
        if onset == PainOnset.DISTANCE:
            at = cleaned.get("onset_distance")
            if at is None and "onset_distance" not in self.errors:
                self.add_error("onset_distance", _("How far into the run did it start?"))
            elif at is not None and distance_m is not None and from_unit(at, self.unit) > distance_m:
                self.add_error("onset_distance", _("That is further than the run: check the distance."))
        if onset == PainOnset.TIME:
            minutes = cleaned.get("onset_minutes")
            if minutes is None and "onset_minutes" not in self.errors:
                self.add_error("onset_minutes", _("How many minutes into the run did it start?"))
            elif minutes is not None and isinstance(duration, int) and minutes * 60 > duration:
                self.add_error("onset_minutes", _("That is longer than the run: check the minutes."))
        cleaned["distance_m"] = distance_m
        bootstrap(self)
        return cleaned

    def values(self) -> dict[str, object]:
        """The cleaned run as the services take it (metres and seconds)."""
        data = self.cleaned_data
        onset = data.get("pain_onset") or ""
        at = data.get("onset_distance")
        minutes = data.get("onset_minutes")
        return {
            "day": data["day"],
            "distance_m": data["distance_m"],
            "duration_s": data["duration"],
            "session_type": data["session_type"],
            "surface": data["surface"],
            "shoe": data.get("shoe"),
            "pain_during": data.get("pain_during"),
            "pain_onset": onset,
            "pain_onset_m": from_unit(at, self.unit)
            if onset == PainOnset.DISTANCE and at is not None
            else None,
            "pain_onset_s": minutes * 60 if onset == PainOnset.TIME and minutes is not None else None,
            "pain_evening": data.get("pain_evening"),
            "pain_next_morning": data.get("pain_next_morning"),
            "pain_quality": data.get("pain_quality") or "",
            "note": data.get("note") or "",
        }


class SessionForm(forms.Form):
    """A strength or cross-training session."""

    day = _day_field()
    kind = forms.ChoiceField(
        label=_("What did you do?"),
        choices=SessionKind.choices,
        initial=SessionKind.STRENGTH,
        error_messages={"invalid_choice": _("Choose one of these.")},
    )
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=SESSION_MINUTES_MAX,
        error_messages={
            "required": _("How many minutes?"),
            "min_value": format_lazy(_("1 to {high} minutes."), high=SESSION_MINUTES_MAX),
            "max_value": format_lazy(_("1 to {high} minutes."), high=SESSION_MINUTES_MAX),
            "invalid": _("Type whole minutes."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)

    def __init__(self, *args: object, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["day"].widget.attrs["max"] = today.isoformat()
        if not self.is_bound and "day" not in self.initial:
            self.initial["day"] = today
        bootstrap(self)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        _check_day(self, "day", self.today)
        bootstrap(self)
        return cleaned


class BodyForm(forms.Form):
    """The one-line daily body check-in (the cycle day only with the patient's consent)."""

    day = _day_field(_("Day"))
    hip_feel = scale_field(_("Hip today (0–10)"), _("0 = no pain at all, 10 = worst imaginable."))
    sleep_hours = forms.DecimalField(
        label=_("Sleep (hours)"),
        min_value=Decimal(0),
        max_value=Decimal(SLEEP_HOURS_MAX),
        max_digits=3,
        decimal_places=1,
        required=False,
        error_messages={
            "min_value": format_lazy(_("0 to {high} hours."), high=SLEEP_HOURS_MAX),
            "max_value": format_lazy(_("0 to {high} hours."), high=SLEEP_HOURS_MAX),
            "max_decimal_places": _("Use at most 1 decimal, like 7.5."),
            "invalid": _("Type hours, like 7.5."),
        },
        widget=forms.NumberInput(attrs={"step": "0.5", "min": 0, "max": SLEEP_HOURS_MAX}),
    )
    sleep_quality = forms.TypedChoiceField(
        label=_("Sleep quality"),
        choices=[("", "—"), *SleepQuality.choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose one of these.")},
    )
    stress = scale_field(_("Stress (0–10)"))
    illness = forms.BooleanField(label=_("I'm unwell today (a cold, a bug…)"), required=False)
    illness_note = forms.CharField(label=_("What's wrong?"), max_length=200, required=False)
    cycle_day = forms.IntegerField(
        label=_("Day of your menstrual cycle"),
        min_value=1,
        max_value=CYCLE_DAY_MAX,
        required=False,
        help_text=_("Day 1 is the first day of your period."),
        error_messages={
            "min_value": format_lazy(_("1 to {high}."), high=CYCLE_DAY_MAX),
            "max_value": format_lazy(_("1 to {high}."), high=CYCLE_DAY_MAX),
            "invalid": _("Type a whole number of days."),
        },
    )

    def __init__(self, *args: object, today: date, cycle_tracking: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        if not cycle_tracking:
            del self.fields["cycle_day"]
        self.fields["day"].widget.attrs["max"] = today.isoformat()
        if not self.is_bound and "day" not in self.initial:
            self.initial["day"] = today
        bootstrap(self)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        _check_day(self, "day", self.today)
        if cleaned.get("illness_note") and not cleaned.get("illness"):
            self.add_error("illness", _("Tick this if you are unwell, or clear the note."))
        bootstrap(self)
        return cleaned

    def values(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "day": data["day"],
            "hip_feel": data.get("hip_feel"),
            "sleep_hours": data.get("sleep_hours"),
            "sleep_quality": data.get("sleep_quality"),
            "stress": data.get("stress"),
            "illness": bool(data.get("illness")),
            "illness_note": data.get("illness_note") or "",
            "cycle_day": data.get("cycle_day"),
        }


class ShoeForm(forms.Form):
    """A new pair: its name, the day of its first run and the distance already in it."""

    name = forms.CharField(
        label=_("Make and model"),
        max_length=100,
        error_messages={"required": _("Name the shoes, like “Pegasus 40 (blue)”.")},
    )
    first_run_on = forms.DateField(
        label=_("First run in them"),
        widget=DATE,
        required=False,
        error_messages={"invalid": _("Type a date, like 2026-03-04.")},
    )
    starting = forms.DecimalField()  # replaced in __init__

    def __init__(self, *args: object, unit: str, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.today = today
        self.fields["starting"] = _distance_field(
            _("Distance already run in them"), unit, required=False, max_m=SHOE_STARTING_MAX_M
        )
        self.fields["starting"].help_text = _("0 for new shoes.")
        bootstrap(self)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        first = cleaned.get("first_run_on")
        if first is not None and first > self.today + timedelta(days=30):
            self.add_error("first_run_on", _("Pick a day no later than next month."))
        bootstrap(self)
        return cleaned

    def values(self) -> dict[str, object]:
        starting = self.cleaned_data.get("starting")
        return {
            "name": self.cleaned_data["name"],
            "first_run_on": self.cleaned_data.get("first_run_on"),
            "starting_distance_m": from_unit(starting, self.unit) if starting is not None else 0,
        }


class UnitForm(forms.Form):
    distance_unit = forms.ChoiceField(
        label=_("Show and type distances in"),
        choices=DistanceUnit.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose kilometres or miles."),
            "invalid_choice": _("Choose kilometres or miles."),
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CycleConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=(
            _(
                "I agree to record the day of my menstrual cycle in my training log, for my therapist "
                "to look for links with my pain. I can withdraw at any time, and the days I recorded are then deleted."
            )
        ),
        error_messages={"required": _("Tick the box to agree, or leave cycle tracking off.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
