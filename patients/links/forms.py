"""The identity check of every patient link: last name and date of birth (patients.links.flow shows it)."""

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class IdentityCheckForm(forms.Form):
    """Last name and date of birth; a mismatch never says which one was wrong."""

    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        error_messages={"required": _("Enter your last name.")},
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "family-name", "autocapitalize": "words"}
        ),
    )
    dob_day = forms.IntegerField(label=_("Day"), min_value=1, max_value=31)
    dob_month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
    dob_year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, autocomplete in (
            ("dob_day", "bday-day"),
            ("dob_month", "bday-month"),
            ("dob_year", "bday-year"),
        ):
            field = self.fields[name]
            field.error_messages.update(
                required="Enter your date of birth as day, month and year.",
                invalid="Enter your date of birth in numbers, like 31 12 1990.",
                min_value="Enter a real date of birth, like 31 12 1990.",
                max_value="Enter a real date of birth, like 31 12 1990.",
            )
            field.widget = forms.TextInput(
                attrs={
                    "class": "form-control",
                    "inputmode": "numeric",
                    "pattern": "[0-9]*",
                    "autocomplete": autocomplete,
                    "size": 4 if name == "dob_year" else 2,
                    "maxlength": 4 if name == "dob_year" else 2,
                }
            )

    @property
    def dob_error(self) -> str:
        """One message for the three date-of-birth boxes (shown once, above them)."""
        for name in ("dob_day", "dob_month", "dob_year"):
            if self.errors.get(name):
                return str(self.errors[name][0])
        return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(k) is not None for k in ("dob_day", "dob_month", "dob_year")):
            try:
                data["date_of_birth"] = date(data["dob_year"], data["dob_month"], data["dob_day"])
            except ValueError:
                self.add_error("dob_day", _("Enter a real date of birth, like 31 12 1990."))
        return data


class CodeForm(forms.Form):
    """The one-time code from the email (spaces ignored)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        error_messages={"required": _("Enter the 6-digit code from the email.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "size": 8,
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(_("Enter the 6 digits of the code in the email, like 123456."))
        return code
