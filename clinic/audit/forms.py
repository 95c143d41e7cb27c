from django import forms
from django.contrib.auth import get_user_model

from clinic.audit.choices import SecurityEventKind


class AccessEventFilterForm(forms.Form):
    patient_name = forms.CharField(
        label="Patient",
        required=False,
        max_length=100,
        help_text="Name, email, date of birth or phone number, as on the patient list.",
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search", "autocomplete": "off"}),
    )
    patient = forms.IntegerField(
        label="Patient id",
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    user = forms.ModelChoiceField(
        label="Staff member",
        queryset=get_user_model()._default_manager.none(),
        required=False,
        empty_label="Anyone",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Former staff stay listed: their access is still part of the record.
        self.fields["user"].queryset = get_user_model()._default_manager.order_by("full_name", "email")

    def clean_patient_name(self) -> str:
        return self.cleaned_data["patient_name"].strip()

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned


class SecurityEventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Event",
        required=False,
        choices=[("", "Any event"), *SecurityEventKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    user = forms.ModelChoiceField(
        label="Staff member",
        queryset=get_user_model()._default_manager.none(),
        required=False,
        empty_label="Anyone",
        help_text="The account concerned or whoever acted.",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model()._default_manager.order_by("full_name", "email")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned
