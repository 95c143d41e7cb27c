"""Common passwords padded to the length rule are refused (clinic.staff.validators)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from clinic.staff.validators import PaddedCommonPasswordValidator
from tests.factories import UserFactory

PADDED = "This password is a common password with numbers or symbols added, or repeated."


@pytest.mark.parametrize(
    "password",
    [
        "Password2024!",
        "letmeinletmein",
        "iloveyou123456",
        "monkey!!!!!!!!",
        "!!Sunshine2026",
        "dragon-dragon-",
    ],
)
def test_padded_common_passwords_are_refused(password):
    user = UserFactory.build(email="lena.hartmann@stride.test", full_name="Lena Hartmann")

    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)

    assert [e.code for e in refused.value.error_list] == ["password_too_common"]
    assert [m for e in refused.value.error_list for m in e.messages] == [PADDED]


@pytest.mark.parametrize(
    "password",
    ["every Tuesday the river floods", "kq7-mzp-vw2x", "stride-demo-2026", "correct-horse-battery-staple"],
)
def test_passphrases_and_random_passwords_pass(password):
    assert PaddedCommonPasswordValidator().validate(password) is None


def test_a_password_on_djangos_list_itself_is_left_to_djangos_validator():
    # One message per refusal: "password1234" is on Django's list as it is.
    assert PaddedCommonPasswordValidator().validate("password1234") is None


def test_the_validator_is_in_the_settings(settings):
    names = [v["NAME"] for v in settings.AUTH_PASSWORD_VALIDATORS]

    assert "clinic.staff.validators.PaddedCommonPasswordValidator" in names
