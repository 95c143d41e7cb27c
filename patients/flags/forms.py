"""Forms of the red-flag pages: raising a flag by hand, clearing any flag."""

from django import forms

from patients.intake.choices import ActionLevel, RedFlagCode
from patients.intake.redflags import LEVELS


class RedFlagClearForm(forms.Form):
    action_taken = forms.CharField(
        label="Action taken",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you checked or did, e.g. 'Phoned patient: no fever since; safe to assess.'",
        error_messages={"required": "Note the action taken before clearing the flag."},
    )
    referred_to = forms.CharField(label="Referred to (if anyone)", max_length=200, required=False)


class RedFlagRaiseForm(forms.Form):
    """A clinician's red flag: what is suspected, how urgent, and what was found."""

    code = forms.ChoiceField(
        label="Red flag",
        choices=[("", "—"), *RedFlagCode.choices],
        error_messages={"required": "Choose the red flag."},
    )
    action_level = forms.ChoiceField(
        label="Action level",
        choices=[("", "—"), *ActionLevel.choices],
        error_messages={"required": "Choose how urgent the action is."},
        help_text="The clinic's usual level for each flag is listed below the form.",
    )
    note = forms.CharField(
        label="What you found",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="e.g. 'Phoned: groin pain now wakes her at night; running stopped.'",
        error_messages={"required": "Say what you found."},
    )


def usual_levels() -> list[tuple[str, str]]:
    """Each flag with the clinic's usual action level (the intake rules' levels), for the raise page."""
    return [(RedFlagCode(code).label, ActionLevel(level).label) for code, level in LEVELS.items()]
