"""The booking pages' forms: who is booking (no health questions) and the emailed code."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patients.identity.validators import validate_phone
from patients.links.forms import CodeForm

__all__ = ["CodeForm", "DetailsForm"]


class DetailsForm(forms.Form):
    """Name, date of birth, email and phone; `website` is the honeypot (people never see it)."""

    first_name = forms.CharField(
        max_length=100,
        error_messages={"required": _("Enter your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "autocapitalize": "words"}),
    )
    last_name = forms.CharField(
        max_length=100,
        error_messages={"required": _("Enter your last name.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "autocapitalize": "words"}),
    )
    date_of_birth = forms.DateField(
        error_messages={
            "required": _("Enter your date of birth."),
            "invalid": _("Enter your date of birth as a date, like 1990-12-31."),
        },
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    email = forms.EmailField(
        max_length=254,
        help_text=_("We email you a code to check it's yours, then your confirmation."),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        max_length=30,
        validators=[validate_phone],
        help_text=_("In case we need to reach you about the appointment."),
        error_messages={"required": _("Enter a phone number.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    # Hidden off-screen (people never fill it in); a filled one is a robot's.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_date_of_birth(self) -> date:
        value: date = self.cleaned_data["date_of_birth"]
        if value > timezone.localdate() or value.year < 1900:
            raise forms.ValidationError(_("Enter your real date of birth, like 1990-12-31."))
        return value

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def typed(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("first_name", "last_name", "date_of_birth", "email", "phone")
        }
