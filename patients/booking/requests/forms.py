from django import forms

from patients.booking.requests.services import DIFFERENT_PEOPLE, SAME_PERSON


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (quoted in the email to the patient)",
        max_length=200,
        error_messages={"required": "Give a reason: the patient's email quotes it."},
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(SAME_PERSON, "Same person"), (DIFFERENT_PEOPLE, "Different people")],
        error_messages={"required": "Choose whether these are the same person."},
    )
