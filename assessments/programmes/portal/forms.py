"""The patient's weekly check-in form and training log (phone-first; every error next to its field).

The form only validates; assessments.programmes.services.checkins saves. The
run log is a formset of a few rows (blank rows ignored); "Add a run" adds
a row without JavaScript.
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.forms import formset_factory
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.exercises.choices import Surface
from assessments.models.checkin import RUN_KM_MAX, RUN_MIN_MAX, SESSIONS_MAX
from assessments.programmes.choices import CHECKIN_SAFETY_QUESTIONS
from assessments.programmes.forms.plan import DATE, bootstrap
from clinic.dates import format_date
from patients.intake.forms.widgets import InlineRadios, TapScale, describe

RUN_PREFIX = "run"
MAX_RUNS = 10
MIN_ROWS = 3
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _pain(label: str, help_text: str = "") -> forms.TypedChoiceField:
    """0–10 as the intake's row of buttons to tap (the same widget and template)."""
    message = _("Use a number from 0 (no pain) to 10.")
    return forms.TypedChoiceField(
        label=label,
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=help_text,
        error_messages={"invalid_choice": message, "required": message},
        widget=TapScale,
    )


class CheckInForm(forms.Form):
    pain_now = _pain(_("Pain now (0–10)"), _("0 = no pain, 10 = worst imaginable."))
    pain_worst = _pain(_("Worst pain this week (0–10)"))
    sessions_done = forms.IntegerField(
        label=_("Home-exercise sessions done this week"),
        min_value=0,
        max_value=SESSIONS_MAX,
        required=False,
        error_messages={
            "min_value": format_lazy(_("Use a number from 0 to {high}."), high=SESSIONS_MAX),
            "max_value": format_lazy(_("Use a number from 0 to {high}."), high=SESSIONS_MAX),
        },
        widget=forms.NumberInput(attrs={"min": 0, "max": SESSIONS_MAX, "inputmode": "numeric"}),
    )
    run_pain_during = _pain(_("Worst pain during your runs (0–10)"), _("Only if you ran this week."))
    run_pain_after = _pain(_("Worst pain after your runs, that evening (0–10)"))
    pain_next_morning = _pain(_("Worst pain the morning after a run (0–10)"))
    sleep = forms.CharField(label=_("Sleep this week, in a few words"), max_length=200, required=False)
    stress = forms.CharField(label=_("Stress this week, in a few words"), max_length=200, required=False)
    comments = forms.CharField(
        label=_("Anything else for your therapist?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, sessions_prescribed: int = 0, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name, label in CHECKIN_SAFETY_QUESTIONS:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=YES_NO,
                required=False,
                widget=InlineRadios,
                error_messages={"invalid_choice": _("Answer yes or no.")},
            )
        if sessions_prescribed:
            self.fields["sessions_done"].help_text = gettext("Your plan: {count} sessions a week.").format(
                count=sessions_prescribed
            )
        bootstrap(self)
        if not self.is_bound:
            describe(self)

    def full_clean(self) -> None:
        super().full_clean()
        describe(self)  # each message next to its question, the inputs pointing at it

    def check_complete(self, *, ran: bool) -> bool:
        """The answers needed to send (a draft may be incomplete); errors go next to the fields."""
        required = ["pain_now", "pain_worst", "sessions_done"]
        if ran:
            # Evening pain decides "settled soon after" (the ladder holds without it).
            required += ["run_pain_during", "run_pain_after", "pain_next_morning"]
        for name in required:
            if self.cleaned_data.get(name) is None and name not in self.errors:
                message = (
                    _("Please answer this (0 if none).")
                    if name != "sessions_done"
                    else _("Please answer this.")
                )
                if name in ("run_pain_during", "run_pain_after", "pain_next_morning"):
                    message = _("You logged a run: please give this (0 if no pain).")
                self.add_error(name, message)
        for name, _question in CHECKIN_SAFETY_QUESTIONS:
            if not self.cleaned_data.get(name) and name not in self.errors:
                self.add_error(name, _("Answer yes or no."))
        bootstrap(self)
        describe(self)
        return not self.errors

    def answers(self) -> dict[str, object]:
        data = self.cleaned_data
        values = {
            name: data.get(name)
            for name in (
                "pain_now",
                "pain_worst",
                "run_pain_during",
                "run_pain_after",
                "pain_next_morning",
                "sessions_done",
            )
        }
        values.update({name: (data.get(name) or "").strip() for name in ("sleep", "stress", "comments")})
        values.update({name: data.get(name) == "yes" for name, _ in CHECKIN_SAFETY_QUESTIONS})
        return values


class RunForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DATE,
        error_messages={"invalid": _("Enter a date, like 2026-03-04.")},
    )
    distance_km = forms.DecimalField(
        label=_("Distance (km)"),
        min_value=Decimal(0),
        max_value=RUN_KM_MAX,
        max_digits=5,
        decimal_places=2,
        required=False,
        error_messages={
            "min_value": _("0 to 100 km."),
            "max_value": _("0 to 100 km."),
            "max_decimal_places": _("Use at most 2 decimals, like 5.25."),
            "invalid": _("Enter a number of km."),
        },
    )
    minutes = forms.IntegerField(
        label=_("Time (minutes)"),
        min_value=1,
        max_value=RUN_MIN_MAX,
        required=False,
        error_messages={
            "min_value": _("1 to 600 minutes."),
            "max_value": _("1 to 600 minutes."),
            "invalid": _("Enter whole minutes."),
        },
    )
    surface = forms.ChoiceField(label=_("Surface"), choices=[("", "—"), *Surface.choices], required=False)
    shoes = forms.CharField(label=_("Shoes"), max_length=100, required=False)

    def __init__(self, *args: object, week: tuple[date, date], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.week = week
        bootstrap(self)

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(n) not in (None, "") for n in ("date", "distance_km", "minutes"))

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if any(name in self.errors for name in self.fields):
            return cleaned
        if self.is_blank():
            return cleaned
        for name, message in (
            ("date", _("Which day?")),
            ("distance_km", _("How far?")),
            ("minutes", _("How long?")),
        ):
            if cleaned.get(name) in (None, ""):
                self.add_error(name, message)
        day = cleaned.get("date")
        if day is not None and not self.week[0] <= day <= self.week[1]:
            self.add_error(
                "date",
                gettext("Pick a day of this week ({start} to {end}).").format(
                    start=format_date(self.week[0], "short"), end=format_date(self.week[1], "short")
                ),
            )
        bootstrap(self)
        return cleaned

    def run(self) -> dict[str, object]:
        return {
            name: self.cleaned_data.get(name)
            for name in ("date", "distance_km", "minutes", "surface", "shoes")
        }


def run_formset(
    *, data: object = None, initial: list[dict] | None = None, rows: int = MIN_ROWS, week: tuple[date, date]
) -> forms.BaseFormSet:
    """The training log with at least `rows` rows (initial runs first, then blanks)."""
    initial = initial or []
    formset_class = formset_factory(
        RunForm,
        extra=max(0, min(MAX_RUNS, max(rows, MIN_ROWS)) - len(initial)),
        max_num=MAX_RUNS,
        absolute_max=MAX_RUNS,
    )
    return formset_class(data, initial=initial, prefix=RUN_PREFIX, form_kwargs={"week": week})


def draft_field_names() -> list[str]:
    """Every input name of the check-in page (kept raw as the draft)."""
    names = [*CheckInForm().fields]
    names += [
        f"{RUN_PREFIX}-{key}" for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
    ]
    for index in range(MAX_RUNS):
        names += [f"{RUN_PREFIX}-{index}-{field}" for field in RunForm.base_fields]
    return names
