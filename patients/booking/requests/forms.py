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
    called = forms.BooleanField(
        label="I called the number on the existing record and the patient confirmed this booking is theirs",
        required=False,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean()
        # Merging moves a booking onto someone's record: only after the person on file has said so.
        if data.get("decision") == SAME_PERSON and not data.get("called"):
            self.add_error("called", "Call the number on the existing record first, then tick this.")
        return data
