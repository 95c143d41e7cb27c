import re
import zoneinfo
from functools import cache

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Passwords up to 128 characters (OWASP ASVS); longer ones are refused."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long: use at most {self.max_length} characters.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters."


_EDGE = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_REPEATED = re.compile(r"^(.+?)\1+$")


@cache
def _common_passwords() -> frozenset[str]:
    # Django's list of about 20,000 passwords from breaches (lower case), read once.
    return frozenset(CommonPasswordValidator().passwords)


def _cores(password: str) -> set[str]:
    """The password, lower case, without the padding people add to reach a length rule."""
    lowered = password.lower().strip()
    cores = {lowered}
    stripped = _EDGE.sub("", lowered)
    if stripped:
        cores.add(stripped)
    for candidate in list(cores):
        repeated = _REPEATED.match(candidate)
        if repeated:
            cores.add(repeated.group(1))
            cores.add(_EDGE.sub("", repeated.group(1)))
    return cores - {""}


class PaddedCommonPasswordValidator:
    """Refuse a common password padded to length: "Password2024!", "letmeinletmein", "iloveyou123456".

    With a 12-character minimum, Django's CommonPasswordValidator alone refuses
    few passwords (fewer than 200 of its 20,000 are that long). Passwords from
    breaches that are 12 or more characters are mostly a common one with digits
    or symbols around it, or repeated; this refuses those against the same list.
    """

    def validate(self, password: str, user: object = None) -> None:
        common = _common_passwords()
        # The password itself is CommonPasswordValidator's to refuse; cores of 4
        # characters or fewer ("abc", "1234") would refuse too much.
        whole = password.lower().strip()
        if whole in common:
            return
        cores = _cores(password) - {whole}
        if any(len(core) > 4 and core in common for core in cores):
            raise ValidationError(
                "This password is a common password with numbers or symbols added, or repeated.",
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return "Your password can’t be a common password with numbers or symbols added."


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (e.g. Europe/London).")
