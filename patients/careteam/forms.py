from django import forms

from clinic.staff.choices import Role
from clinic.staff.models import User
from patients.careteam.services import REASON_MIN_LENGTH


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need this record now?",
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=REASON_MIN_LENGTH,
        max_length=1000,
        help_text="For example: covering Sam's patient today; the patient phoned about a new symptom. "
        "A clinic admin reviews every access outside the care team.",
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class CareAssignForm(forms.Form):
    therapist = forms.ModelChoiceField(queryset=User.objects.none(), label="Therapist")
    reason = forms.CharField(max_length=200, required=False, label="Reason (optional)")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["therapist"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True, groups__name=Role.THERAPIST.label
        ).order_by("full_name")


class GrantReviewForm(forms.Form):
    note = forms.CharField(max_length=500, required=False, label="Review note (optional)")
