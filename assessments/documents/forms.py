"""The access-request form and the discharge report's email form (validation only; the services act)."""

from django import forms
from django.utils import timezone

from assessments.documents.choices import RecipientKind, RequestChannel
from assessments.documents.services import Recipient
from patients.models import Patient


class AccessRequestForm(forms.Form):
    requested_by = forms.CharField(
        label="Who asked",
        max_length=200,
        help_text="The patient, or who asked on their behalf and in what role (e.g. a solicitor with consent).",
        error_messages={"required": "Say who asked for the record."},
    )
    channel = forms.ChoiceField(label="How the request arrived", choices=RequestChannel.choices)
    received_on = forms.DateField(
        label="Date received",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the date the request arrived.", "invalid": "Give a date."},
    )

    def clean_received_on(self) -> object:
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date received cannot be in the future.")
        return day


class DischargeEmailForm(forms.Form):
    """Who receives the discharge report: the patient's address on record, and/or a typed referrer address.

    A typed address is not on the patient's record, so it is typed twice and
    must match. `confirmed` is set by the confirmation step's button.
    """

    to_patient = forms.BooleanField(label="The patient", required=False)
    referrer_email = forms.EmailField(
        label="The referrer's email address",
        required=False,
        help_text="Not on the patient's record: type it, then type it again below.",
    )
    referrer_email_again = forms.EmailField(label="The referrer's email address again", required=False)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, patient: Patient, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient
        if patient.email:
            self.fields["to_patient"].label = f"The patient, at {patient.email} (on their record)"
        else:
            self.fields["to_patient"].disabled = True
            self.fields["to_patient"].help_text = "The patient has no email address on their record."
        if patient.referral_detail:
            self.fields["referrer_email"].label = f"The referrer's email address ({patient.referral_detail})"

    def clean(self) -> dict[str, object]:
        data = super().clean()
        typed = (data.get("referrer_email") or "").strip()
        again = (data.get("referrer_email_again") or "").strip()
        if typed and not again and "referrer_email_again" not in self.errors:
            self.add_error("referrer_email_again", "Type the address a second time to confirm it.")
        elif typed and again and typed.lower() != again.lower():
            self.add_error(
                "referrer_email_again", "The two addresses differ: type the referrer's address again."
            )
        elif again and not typed and "referrer_email" not in self.errors:
            self.add_error("referrer_email", "Type the referrer's address here too.")
        if not data.get("to_patient") and not typed and not self.errors:
            raise forms.ValidationError("Choose the patient, type the referrer's address, or both.")
        return data

    def recipients(self) -> list[Recipient]:
        data = self.cleaned_data
        chosen = []
        if data.get("to_patient") and self.patient.email:
            chosen.append(Recipient(RecipientKind.PATIENT, self.patient.email, typed=False))
        if data.get("referrer_email"):
            chosen.append(Recipient(RecipientKind.REFERRER, data["referrer_email"].strip(), typed=True))
        return chosen
