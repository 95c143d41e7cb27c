"""The manage link's forms: cancel (reason optional), and the new time chosen from the free ones."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clinic.dates import format_date
from clinic.staff.models import Location, TherapistProfile
from patients.booking.scheduling import Slot


class PatientCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Please don't include health details."),
    )


class SlotDayForm(forms.Form):
    """Which day's free times to show, and with whom (read from the query string)."""

    day = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    therapist = forms.ModelChoiceField(
        queryset=TherapistProfile.objects.none(), required=False, empty_label=_("Any therapist")
    )

    def __init__(self, *args: Any, location: Location, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["therapist"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 -- narrows the type
        field.queryset = location.therapists.filter(is_active=True, online_bookable=True).order_by(
            "display_name"
        )


def slot_value(slot: Slot) -> str:
    return f"{slot.therapist.pk}@{slot.starts_at:%Y-%m-%dT%H:%MZ}"


class SlotChoiceForm(forms.Form):
    """One of the day's free times (therapist and start), as the page listed them."""

    day = forms.DateField(widget=forms.HiddenInput)
    slot = forms.ChoiceField(
        label=_("New time"), widget=forms.RadioSelect, error_messages={"required": _("Choose a time.")}
    )

    def __init__(
        self, *args: Any, slots: list[Slot], location: Location, day: date | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        zone = ZoneInfo(location.time_zone)
        self._slots = {slot_value(slot): slot for slot in slots}
        field = self.fields["slot"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 -- narrows the type
        field.choices = [
            (
                value,
                gettext("{time} with {therapist}").format(
                    time=format_date(slot.starts_at, "time", zone=zone), therapist=slot.therapist.display_name
                ),
            )
            for value, slot in self._slots.items()
        ]
        if day is not None:
            self.fields["day"].initial = day

    def chosen(self) -> tuple[TherapistProfile, datetime]:
        slot = self._slots[self.cleaned_data["slot"]]
        return slot.therapist, slot.starts_at
