from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from clinic.staff.models import Location, TherapistProfile
from patients.booking.choices import CancelledBy
from patients.booking.selectors import patient_duplicates
from patients.identity.choices import Sex
from patients.identity.validators import validate_phone
from patients.models import AppointmentType, Patient


class _SlotFields(forms.Form):
    """Date and time of a visit, read in the location's local time."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"))

    def _starts_at(self, location: Location | None) -> datetime | None:
        day, at = self.cleaned_data.get("date"), self.cleaned_data.get("time")
        if day is None or at is None or location is None:
            return None
        starts_at = datetime.combine(day, at, tzinfo=ZoneInfo(location.time_zone))
        if starts_at < timezone.now():
            self.add_error("time", "That time is in the past: choose a time from now on.")
            return None
        if at.minute % 5:
            self.add_error("time", "Choose a time on the five minutes (e.g. 09:15).")
            return None
        return starts_at


class BookingForm(_SlotFields):
    """Book a visit for an existing patient or a new one, in one form."""

    patient = forms.ModelChoiceField(queryset=Patient.objects.all(), required=False, widget=forms.HiddenInput)
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    date_of_birth = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sex = forms.ChoiceField(choices=[("", "—"), *Sex.choices], required=False)
    email = forms.EmailField(required=False, help_text="Needed to send the online intake form.")
    phone = forms.CharField(max_length=30, required=False, validators=[validate_phone])
    confirm_new = forms.BooleanField(
        required=False, label="This is a new patient, not one of the possible matches shown"
    )
    appointment_type = forms.ModelChoiceField(queryset=AppointmentType.objects.filter(is_active=True))
    location = forms.ModelChoiceField(queryset=Location.objects.filter(is_active=True))
    therapist = forms.ModelChoiceField(queryset=TherapistProfile.objects.filter(is_active=True))
    notes = forms.CharField(
        label="Notes for the therapist",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Reason for visit, referral"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates: list[Patient] = []

    def clean_date_of_birth(self) -> object:
        born = self.cleaned_data.get("date_of_birth")
        if born and born > timezone.localdate():
            raise forms.ValidationError("Date of birth cannot be in the future.")
        return born

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        patient = cleaned.get("patient")
        if patient is None:
            for name in ("first_name", "last_name", "date_of_birth", "sex"):
                if not cleaned.get(name) and not self.has_error(name):
                    self.add_error(name, "Required for a new patient.")
            if not cleaned.get("email") and not cleaned.get("phone") and not self.has_error("email"):
                self.add_error("email", "Give an email address or a phone number for the new patient.")
            if not self.errors:
                self.duplicates = list(
                    patient_duplicates(
                        first_name=cleaned["first_name"],
                        last_name=cleaned["last_name"],
                        date_of_birth=cleaned["date_of_birth"],
                        email=cleaned.get("email", ""),
                    )
                )
                if self.duplicates and not cleaned.get("confirm_new"):
                    self.add_error(
                        "confirm_new",
                        "This may be a patient we already have (see the matches). Pick one of them, "
                        "or tick this box if the patient is new.",
                    )
        appointment_type = cleaned.get("appointment_type")
        has_email = cleaned.get("email") or (patient is not None and patient.email)
        if (
            appointment_type
            and appointment_type.requires_intake
            and not has_email
            and not self.has_error("email")
        ):
            self.add_error(
                "email",
                f"An {appointment_type.name.lower()} sends the online intake form by email: "
                "add the patient's email address here.",
            )
        therapist, location = cleaned.get("therapist"), cleaned.get("location")
        if therapist and location and not therapist.locations.filter(pk=location.pk).exists():
            self.add_error("therapist", f"{therapist} does not work at {location}.")
        cleaned["starts_at"] = self._starts_at(location)
        return cleaned


class RescheduleForm(_SlotFields):
    therapist = forms.ModelChoiceField(queryset=TherapistProfile.objects.filter(is_active=True))

    def __init__(self, *args: object, location: Location, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.location = location
        self.fields["therapist"].queryset = location.therapists.filter(is_active=True)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        cleaned["starts_at"] = self._starts_at(self.location)
        return cleaned


class CancelForm(forms.Form):
    cancelled_by = forms.ChoiceField(
        choices=CancelledBy.choices, widget=forms.RadioSelect, label="Cancelled by"
    )
    reason = forms.CharField(
        max_length=200, widget=forms.TextInput(attrs={"placeholder": "e.g. unwell, work"})
    )


class CalendarForm(forms.Form):
    """The calendar's toolbar: where, which day (or its week), whose columns."""

    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True),
        required=False,
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    view = forms.ChoiceField(
        choices=[("day", "Day"), ("week", "Week")],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    therapist = forms.ModelChoiceField(
        queryset=TherapistProfile.objects.filter(is_active=True),
        required=False,
        empty_label="All therapists",
        label="Therapists",
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text="The week shows one column per therapist and day; choose one for wider columns.",
    )


class IntakeResendForm(forms.Form):
    """The front desk's "resend by email" of an intake link."""

    stop_earlier = forms.BooleanField(
        required=False,
        label="Also stop the links sent earlier (for example, sent to a wrong address)",
    )
