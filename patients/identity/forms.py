from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone

from patients.identity.services import PATIENT_FIELDS
from patients.models import Patient


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label="Search patients",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": "Name, date of birth (31/12/1990), email or phone", "autofocus": True}
        ),
    )


class PatientForm(forms.ModelForm):
    # The record's version when the form was loaded (the optimistic lock); the view reads it.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Patient
        fields = PATIENT_FIELDS
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: object, submit_label: str = "Save", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "version",
            Fieldset(
                "Patient",
                Row(Column("first_name"), Column("last_name"), Column("preferred_name")),
                Row(Column("date_of_birth"), Column("sex")),
            ),
            Fieldset(
                "Contact",
                Row(Column("email"), Column("phone"), Column("preferred_contact")),
                "address_line1",
                "address_line2",
                Row(Column("town"), Column("postcode")),
            ),
            Fieldset(
                "Emergency contact",
                Row(
                    Column("emergency_contact_name"),
                    Column("emergency_contact_phone"),
                    Column("emergency_contact_relationship"),
                ),
            ),
            Fieldset("Referral", Row(Column("referral_source"), Column("referral_detail"))),
        )
        self.helper.add_input(Submit("save", submit_label))

    def clean_date_of_birth(self) -> object:
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError("Date of birth cannot be in the future.")
        return born

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not self.has_error("email"):
            self.add_error("email", "Give an email address or a phone number so we can reach the patient.")
        return cleaned
