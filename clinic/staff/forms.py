from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import translation

from clinic.messaging.emails import render_email_parts
from clinic.messaging.letterhead import letterhead_email


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


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form, its email on the clinic's letterhead (logo inline) and in the clinic's language."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        template = email_template_name.removeprefix("emails/").removesuffix("-body.txt")
        with translation.override(settings.LANGUAGE_CODE):
            subject, text, html = render_email_parts(template, context)
        letterhead_email(subject=subject, text=text, html=html, from_email=from_email, to=[to_email]).send()
