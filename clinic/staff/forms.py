from django import forms
from django.core.exceptions import ValidationError


class TokenForm(forms.Form):
    """A 6-digit code from an authenticator app."""

    otp_token = forms.CharField(
        label="6-digit code",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def clean_otp_token(self) -> str:
        token = self.cleaned_data["otp_token"].replace(" ", "")
        if len(token) != 6 or not token.isascii() or not token.isdigit():
            raise ValidationError("Enter the 6 digits shown in your authenticator app.", code="format")
        return token
