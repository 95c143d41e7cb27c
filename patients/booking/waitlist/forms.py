"""The waitlist form: which days and times suit, and until when (no health questions)."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clinic.staff.choices import Weekday
from clinic.staff.models import Location, TherapistProfile
from patients.booking.waitlist.choices import PartOfDay
from patients.booking.waitlist.rules import bits_of, values_of


class WaitlistForm(forms.Form):
    """Days of the week, parts of the day (or a time range), a therapist or any, and an end date."""

    therapist = forms.ModelChoiceField(
        queryset=TherapistProfile.objects.none(), required=False, empty_label=_("Any therapist")
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days that suit"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day.")},
    )
    parts_of_day = forms.TypedMultipleChoiceField(
        label=_("Times of day that suit"),
        choices=PartOfDay.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    earliest = forms.TimeField(
        label=_("Or from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
    )
    latest = forms.TimeField(
        label="until",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
    )
    until = forms.DateField(
        label=_("Keep me on the list until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose the last date that would suit.")},
    )

    def __init__(self, *args: Any, location: Location, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        therapist_field = self.fields["therapist"]
        assert isinstance(therapist_field, forms.ModelChoiceField)  # noqa: S101 -- narrows the type
        therapist_field.queryset = location.therapists.filter(is_active=True, online_bookable=True).order_by(
            "display_name"
        )

    @classmethod
    def initial_for(cls, *, until: date, therapist: TherapistProfile | None = None) -> dict[str, object]:
        return {
            "therapist": therapist,
            "weekdays": [int(day) for day in Weekday.values],
            "parts_of_day": [int(part) for part in PartOfDay.values],
            "until": until,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        earliest, latest = data.get("earliest"), data.get("latest")
        if earliest or latest:
            if not (earliest and latest):
                self.add_error("latest" if earliest else "earliest", _("Give both times, or neither."))
            elif earliest >= latest:
                self.add_error("latest", _("The end time must be after the start time."))
            data["parts_of_day"] = []
        elif not data.get("parts_of_day"):
            self.add_error("parts_of_day", _("Choose at least one time of day, or give a time range."))
        return data

    def wishes(self) -> dict[str, Any]:
        """The service's keyword arguments (bit sets for days and parts of the day)."""
        data = self.cleaned_data
        return {
            "therapist": data.get("therapist"),
            "weekdays": bits_of(data["weekdays"]),
            "parts_of_day": sum(set(data.get("parts_of_day") or [])),
            "earliest": data.get("earliest"),
            "latest": data.get("latest"),
            "until": data["until"],
        }


def weekday_names(bits: int) -> list[str]:
    return [Weekday(day).label for day in values_of(bits)]
