import re

from django.core.exceptions import ValidationError

_PHONE_ALLOWED = re.compile(r"^\+?[0-9 ()\-.]+$")


def validate_phone(value: str) -> None:
    """A phone number as people type it: digits, spaces, + ( ) - . and 7–15 digits."""
    digits = re.sub(r"\D", "", value)
    if not _PHONE_ALLOWED.match(value) or not 7 <= len(digits) <= 15:
        raise ValidationError(
            "Enter a phone number of 7 to 15 digits, e.g. 07700 900123 or +44 7700 900123.",
            code="invalid_phone",
        )
