"""The clinic admin's forms for API clients: a new client with its scopes, and a rotation's grace."""

from datetime import timedelta

from django import forms

from assessments.fhir.api.scopes import scopes_for
from assessments.fhir.bundle import RESOURCE_TYPES
from assessments.programmes.forms.plan import bootstrap

ALL, SOME = "all", "some"
# The grace a rotation leaves the replaced token, in hours (0: it stops at once).
GRACE_HOURS = ((0, "None: the current token stops now"), (1, "1 hour"), (24, "24 hours"), (168, "7 days"))


class FhirClientForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="The system as the audit trail will name it, e.g. “Riverside GP practice”."
    )
    contact = forms.CharField(
        max_length=200,
        help_text="Who to call about this system: a name and an email address or phone number.",
    )
    access = forms.ChoiceField(
        label="What it may read",
        choices=(
            (ALL, "Every patient record resource (patient/*.read)"),
            (SOME, "Only the types ticked below"),
        ),
        initial=ALL,
        widget=forms.RadioSelect,
    )
    resource_types = forms.MultipleChoiceField(
        label="Resource types",
        choices=[(t, t) for t in RESOURCE_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Read as patient/<Type>.read. Patient/<id>/$everything needs every type.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("access") == SOME and not cleaned.get("resource_types"):
            self.add_error("resource_types", "Tick at least one type, or choose every resource.")
        return cleaned

    def scopes(self) -> list[str]:
        if self.cleaned_data["access"] == ALL:
            return scopes_for(None)
        return scopes_for(self.cleaned_data["resource_types"])


class RotateForm(forms.Form):
    grace_hours = forms.TypedChoiceField(
        label="Keep the current token working for",
        choices=GRACE_HOURS,
        coerce=int,
        initial=24,
        help_text="Time for the system's administrator to put the new token in place.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def grace(self) -> timedelta:
        return timedelta(hours=self.cleaned_data["grace_hours"])
