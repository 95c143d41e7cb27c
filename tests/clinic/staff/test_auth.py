"""Sign-in (OWASP ASVS 5.0 V6): lockout, password rules, second factor, password reset."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.staff.choices import Role
from clinic.staff.services import WRONG_CODE
from tests.clinic.logins import login_verified, password_login
from tests.factories import PASSWORD, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

# A Monday morning, clinic time; frozen so TOTP codes are deterministic.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LOCKED_MESSAGE = "Too many failed sign-in attempts."
INVALID_LOGIN = (
    "Please enter a correct email address and password. Note that both fields may be case-sensitive."
)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def _device(user, **kwargs) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True, **kwargs)


def _signed_in(client) -> bool:
    return SESSION_KEY in client.session


def _verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


# --- Lockout (django-axes) -----------------------------------------------------------------------


def test_lockout_after_five_failures_refuses_the_right_password(client):
    UserFactory(email="lena@stride.test", role=Role.THERAPIST)

    statuses = [
        password_login(client, "lena@stride.test", "wrong-password-123").status_code for _ in range(5)
    ]
    sixth = password_login(client, "lena@stride.test", PASSWORD)

    assert statuses == [200, 200, 200, 200, 429]
    assert sixth.status_code == 429
    assert "staff/locked_out.html" in [t.name for t in sixth.templates]
    assert LOCKED_MESSAGE in sixth.content.decode()
    assert "paused for 15 minutes" in sixth.content.decode()
    assert _signed_in(client) is False


def test_lockout_response_is_the_same_for_an_unknown_account(client):
    UserFactory(email="lena@stride.test", role=Role.THERAPIST)

    known = [password_login(client, "lena@stride.test", "wrong-password-123") for _ in range(6)]
    unknown = [password_login(client, "nobody@stride.test", "wrong-password-123") for _ in range(6)]

    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [200] * 4 + [429] * 2
    assert [r.context["form"].non_field_errors() for r in known[:4]] == [[INVALID_LOGIN]] * 4
    assert [r.context["form"].non_field_errors() for r in unknown[:4]] == [[INVALID_LOGIN]] * 4
    assert known[-1].content == unknown[-1].content


def test_lockout_counts_one_account_and_address_pair(client):
    UserFactory(email="lena@stride.test", role=Role.THERAPIST)
    UserFactory(email="omar@stride.test", role=Role.THERAPIST)
    for _ in range(5):
        password_login(client, "lena@stride.test", "wrong-password-123", REMOTE_ADDR="198.51.100.7")

    same_pair = password_login(client, "lena@stride.test", REMOTE_ADDR="198.51.100.7")
    other_account = password_login(client, "omar@stride.test", REMOTE_ADDR="198.51.100.7")
    client.logout()
    other_address = password_login(client, "lena@stride.test", REMOTE_ADDR="203.0.113.9")

    assert (same_pair.status_code, other_account.status_code, other_address.status_code) == (429, 302, 302)


def test_lockout_counts_email_case_variants_as_one_account(client):
    UserFactory(email="lena@stride.test", role=Role.THERAPIST)
    for email in [
        "Lena@stride.test",
        "LENA@STRIDE.TEST",
        " lena@stride.test",
        "lena@Stride.test",
        "lena@stride.test",
    ]:
        password_login(client, email, "wrong-password-123")

    response = password_login(client, "lena@stride.test", PASSWORD)

    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("lena@stride.test", 6)
    ]


def test_lockout_ends_after_the_cool_off(client):
    UserFactory(email="lena@stride.test", role=Role.THERAPIST)
    with time_machine.travel(NOW, tick=False) as traveller:
        for _ in range(5):
            password_login(client, "lena@stride.test", "wrong-password-123")
        traveller.shift(timedelta(minutes=14))
        still_locked = password_login(client, "lena@stride.test")
        traveller.shift(timedelta(minutes=15, seconds=1))
        after_cool_off = password_login(client, "lena@stride.test")

    assert (still_locked.status_code, after_cool_off.status_code) == (429, 302)


def test_admin_unlock_with_axes_reset_lets_the_user_sign_in(client):
    UserFactory(email="lena@stride.test", role=Role.THERAPIST)
    for _ in range(5):
        password_login(client, "lena@stride.test", "wrong-password-123")

    call_command("axes_reset_username", "lena@stride.test")
    response = password_login(client, "lena@stride.test")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert AccessAttempt.objects.count() == 0


def test_admin_unlock_action_in_the_admin_lets_the_user_sign_in(client):
    from django.test import Client

    login_verified(client, UserFactory(role=Role.CLINIC_ADMIN, is_staff=True))
    lena = UserFactory(email="lena@stride.test", role=Role.THERAPIST)
    other = Client()
    for _ in range(5):
        password_login(other, "lena@stride.test", "wrong-password-123")

    response = client.post(
        reverse("admin:staff_user_changelist"), {"action": "unlock_signin", "_selected_action": [lena.pk]}
    )

    assert response.status_code == 302
    assert AccessAttempt.objects.count() == 0
    assert password_login(other, "lena@stride.test").status_code == 302


def test_successful_sign_in_clears_earlier_failures(client):
    UserFactory(email="lena@stride.test", role=Role.THERAPIST)
    for _ in range(4):
        password_login(client, "lena@stride.test", "wrong-password-123")

    password_login(client, "lena@stride.test")

    assert AccessAttempt.objects.count() == 0


# --- Password rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        ("kq7-mzp-vw2", ["password_too_short"]),  # 11 characters
        (("river-otter-" * 11)[:129], ["password_too_long"]),
        ("password1234", ["password_too_common"]),
        ("lena.hartmann", ["password_too_similar"]),  # the email's local part
    ],
    ids=["11_chars", "129_chars", "common", "similar_to_email"],
)
def test_password_rules_refuse(password, codes):
    user = UserFactory.build(email="lena.hartmann@stride.test", full_name="Lena Hartmann")

    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)

    assert [e.code for e in refused.value.error_list] == codes


@pytest.mark.parametrize(
    "password",
    ["kq7-mzp-vw2x", ("river-otter-" * 11)[:128], "every Tuesday the river floods"],
    ids=["12_chars", "128_chars", "passphrase_no_composition_rules"],
)
def test_password_rules_accept(password):
    user = UserFactory.build(email="lena.hartmann@stride.test", full_name="Lena Hartmann")

    assert validate_password(password, user) is None


def test_password_change_form_applies_the_rules(therapist_client):
    response = therapist_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "kq7-mzp-vw2", "new_password2": "kq7-mzp-vw2"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == [
        "This password is too short. It must contain at least 12 characters."
    ]


# --- Second factor (django-otp TOTP) -------------------------------------------------------------


def test_admin_password_login_leads_to_twofactor_setup(client):
    UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)

    login = password_login(client, "ada@stride.test")
    home = client.get(reverse("home"))
    patients = client.get(reverse("patients:list"))
    admin_site = client.get(reverse("admin:index"))

    assert (login.status_code, login["Location"]) == (302, reverse("home"))
    assert home["Location"] == reverse("twofactor_setup") + "?next=%2F"
    assert patients["Location"] == reverse("twofactor_setup") + "?next=%2Fpatients%2F"
    assert admin_site["Location"] == reverse("twofactor_setup") + "?next=%2Fadmin%2F"


def test_twofactor_setup_shows_a_qr_code_and_the_key(client):
    ada = UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)
    password_login(client, "ada@stride.test")

    response = client.get(reverse("twofactor_setup"))

    device = TOTPDevice.objects.get(user=ada)
    html = response.content.decode()
    assert response.status_code == 200
    assert device.confirmed is False
    assert html.count("<svg ") == 1
    assert 'aria-label="QR code for your authenticator app"' in html
    assert response.context["secret"].replace(" ", "") == _base32(device.bin_key)
    assert device.config_url.startswith(
        "otpauth://totp/Stride%20Running%20Injury%20Clinic%3Aada%40stride.test?"
    )


def _base32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode().rstrip("=")


def test_twofactor_setup_with_the_app_code_turns_it_on(client):
    ada = UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)
    with time_machine.travel(NOW, tick=False):
        password_login(client, "ada@stride.test")
        client.get(reverse("twofactor_setup"))
        device = TOTPDevice.objects.get(user=ada)
        response = client.post(
            reverse("twofactor_setup"), {"otp_token": _code(device), "next": reverse("patients:list")}
        )
        page = client.get(reverse("patients:list"))
        verified = _verified(client)

    device.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, reverse("patients:list"))
    assert device.confirmed is True
    assert verified is True
    assert page.status_code == 200


def test_twofactor_setup_refuses_a_wrong_code(client):
    ada = UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)
    password_login(client, "ada@stride.test")
    client.get(reverse("twofactor_setup"))

    response = client.post(reverse("twofactor_setup"), {"otp_token": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors["otp_token"] == [WRONG_CODE]
    assert TOTPDevice.objects.get(user=ada).confirmed is False
    assert _verified(client) is False


def test_twofactor_setup_cannot_add_a_second_app_before_verifying(client):
    ada = UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)
    _device(ada)
    password_login(client, "ada@stride.test")

    response = client.get(reverse("twofactor_setup"))
    posted = client.post(reverse("twofactor_setup"), {"otp_token": "123456"})

    assert response["Location"] == reverse("twofactor_verify") + "?next=%2F"
    assert posted["Location"] == reverse("twofactor_verify") + "?next=%2F"
    assert TOTPDevice.objects.filter(user=ada).count() == 1


def test_twofactor_setup_when_already_verified_says_so(client):
    ada = UserFactory(role=Role.CLINIC_ADMIN)
    login_verified(client, ada)

    response = client.get(reverse("twofactor_setup"), follow=True)

    assert response.redirect_chain[0] == (reverse("home"), 302)
    assert [str(m) for m in response.context["messages"]] == ["Two-factor authentication is already set up."]
    assert TOTPDevice.objects.filter(user=ada).count() == 1


def test_admin_with_an_app_must_give_a_code_before_any_page(client):
    ada = UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)
    _device(ada)

    password_login(client, "ada@stride.test")
    responses = [
        client.get(url) for url in (reverse("home"), reverse("patients:list"), reverse("admin:index"))
    ]
    verify_page = client.get(reverse("twofactor_verify"))

    assert [r["Location"] for r in responses] == [
        reverse("twofactor_verify") + "?next=%2F",
        reverse("twofactor_verify") + "?next=%2Fpatients%2F",
        reverse("twofactor_verify") + "?next=%2Fadmin%2F",
    ]
    assert verify_page.status_code == 200
    assert _signed_in(client) is True
    assert _verified(client) is False


def test_verify_with_a_correct_code_opens_the_pages(client):
    ada = UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)
    device = _device(ada)
    with time_machine.travel(NOW, tick=False):
        password_login(client, "ada@stride.test")
        response = client.post(
            reverse("twofactor_verify"), {"otp_token": _code(device), "next": reverse("patients:list")}
        )
        home = client.get(reverse("home"))
        verified = _verified(client)

    assert (response.status_code, response["Location"]) == (302, reverse("patients:list"))
    assert home["Location"] == reverse("messaging:outbox")
    assert verified is True


def test_verify_refuses_a_replayed_code(client):
    from django.test import Client

    ada = UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)
    device = _device(ada)
    second = Client()
    with time_machine.travel(NOW, tick=False):
        code = _code(device)
        password_login(client, "ada@stride.test")
        first_use = client.post(reverse("twofactor_verify"), {"otp_token": code})
        password_login(second, "ada@stride.test")
        replay = second.post(reverse("twofactor_verify"), {"otp_token": code})
        page = second.get(reverse("patients:list"))
        second_verified = _verified(second)

    device.refresh_from_db()
    assert first_use.status_code == 302
    assert replay.status_code == 200
    assert replay.context["form"].errors["otp_token"] == [WRONG_CODE]
    assert device.last_t == int(NOW.timestamp()) // 30
    assert second_verified is False
    assert page["Location"] == reverse("twofactor_verify") + "?next=%2Fpatients%2F"


def test_verify_refuses_a_wrong_code(client):
    ada = UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)
    device = _device(ada)
    with time_machine.travel(NOW, tick=False):
        wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
        password_login(client, "ada@stride.test")
        response = client.post(reverse("twofactor_verify"), {"otp_token": wrong})
        verified = _verified(client)

    assert response.status_code == 200
    assert response.context["form"].errors["otp_token"] == [WRONG_CODE]
    assert verified is False


def test_verify_slows_down_after_a_wrong_code(client):
    ada = UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)
    device = _device(ada)
    with time_machine.travel(NOW, tick=False) as traveller:
        password_login(client, "ada@stride.test")
        client.post(reverse("twofactor_verify"), {"otp_token": "000000"})
        too_soon = client.post(reverse("twofactor_verify"), {"otp_token": _code(device)})
        traveller.shift(timedelta(seconds=2))
        later = client.post(reverse("twofactor_verify"), {"otp_token": _code(device)})

    assert too_soon.context["form"].errors["otp_token"] == [
        "Too many wrong codes. Wait 1 second, then try again."
    ]
    assert later.status_code == 302


def test_verify_gives_a_new_session_key(client):
    ada = UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)
    device = _device(ada)
    with time_machine.travel(NOW, tick=False):
        password_login(client, "ada@stride.test")
        before = client.session.session_key
        client.post(reverse("twofactor_verify"), {"otp_token": _code(device)})
        after = client.session

        assert after.session_key != before
        assert after.exists(before) is False
        assert after[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_clinic_wide_setting_requires_twofactor_for_a_therapist(client, settings):
    settings.STAFF_2FA_REQUIRED = True
    UserFactory(email="sam@stride.test", role=Role.THERAPIST)

    password_login(client, "sam@stride.test")
    response = client.get(reverse("patients:my_day"))

    assert response["Location"] == reverse("twofactor_setup") + "?next=%2Fpatients%2Fmy-day%2F"


def test_twofactor_is_required_of_every_role_by_default(client):
    UserFactory(email="sam@stride.test", role=Role.THERAPIST)

    password_login(client, "sam@stride.test")
    response = client.get(reverse("patients:my_day"))

    assert response["Location"] == reverse("twofactor_setup") + "?next=%2Fpatients%2Fmy-day%2F"


def test_therapist_needs_no_twofactor_without_the_setting(client, settings):
    settings.STAFF_2FA_REQUIRED = False
    UserFactory(email="sam@stride.test", role=Role.THERAPIST)

    password_login(client, "sam@stride.test")
    response = client.get(reverse("patients:my_day"))

    assert response.status_code == 200


def test_therapist_who_set_up_an_app_is_asked_for_a_code(client):
    sam = UserFactory(email="sam@stride.test", role=Role.THERAPIST)
    _device(sam)

    password_login(client, "sam@stride.test")
    response = client.get(reverse("patients:my_day"))

    assert response["Location"] == reverse("twofactor_verify") + "?next=%2Fpatients%2Fmy-day%2F"


def test_admins_need_no_twofactor_when_enforcement_is_off(client, settings):
    settings.STAFF_2FA_REQUIRED = False
    settings.STAFF_2FA_ENFORCE_FOR_ADMINS = False
    UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)

    password_login(client, "ada@stride.test")
    response = client.get(reverse("messaging:outbox"))

    assert response.status_code == 200


def test_twofactor_reset_command_sends_the_user_back_to_setup(client):
    ada = UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)
    _device(ada)

    call_command("twofactor_reset", "Ada@stride.test")
    password_login(client, "ada@stride.test")
    response = client.get(reverse("home"))

    assert TOTPDevice.objects.filter(user=ada).count() == 0
    assert response["Location"] == reverse("twofactor_setup") + "?next=%2F"


def test_verify_does_not_redirect_to_another_site(client):
    ada = UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)
    device = _device(ada)
    with time_machine.travel(NOW, tick=False):
        password_login(client, "ada@stride.test")
        response = client.post(
            reverse("twofactor_verify"), {"otp_token": _code(device), "next": "https://evil.example/"}
        )

    assert response["Location"] == reverse("home")


# --- Password reset --------------------------------------------------------------------------------


def _reset_link(email) -> str:
    match = re.search(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)", email.body)
    assert match is not None
    return match.group(1)


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "http://testserver"
    return settings.SITE_URL


def test_password_reset_email_link_works_once(client, mailoutbox, site_url):
    lena = UserFactory(email="lena@stride.test", role=Role.THERAPIST)

    sent = client.post(reverse("password_reset"), {"email": "lena@stride.test"})
    link = _reset_link(mailoutbox[0])
    opened = client.get(link)
    form_page = client.get(opened["Location"])
    changed = client.post(
        opened["Location"],
        {"new_password1": "a brand new river path", "new_password2": "a brand new river path"},
    )
    second_use = client.get(link)

    lena.refresh_from_db()
    assert (sent.status_code, sent["Location"]) == (302, reverse("password_reset_done"))
    assert [m.to for m in mailoutbox] == [["lena@stride.test"]]
    assert opened.status_code == 302
    assert form_page.context["validlink"] is True
    assert (changed.status_code, changed["Location"]) == (302, reverse("password_reset_complete"))
    assert lena.check_password("a brand new river path") is True
    assert second_use.status_code == 200
    assert second_use.context["validlink"] is False
    assert password_login(client, "lena@stride.test", "a brand new river path").status_code == 302


def test_password_reset_link_expires_after_an_hour(client, mailoutbox, site_url):
    UserFactory(email="lena@stride.test", role=Role.THERAPIST)
    with time_machine.travel(NOW, tick=False) as traveller:
        client.post(reverse("password_reset"), {"email": "lena@stride.test"})
        link = _reset_link(mailoutbox[0])
        traveller.shift(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1))
        response = client.get(link)

    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert "This link no longer works" in response.content.decode()


def test_password_reset_email_contains_only_the_link(client, mailoutbox, settings):
    settings.SITE_URL = "https://stride.example"
    lena = UserFactory(email="lena@stride.test", full_name="Lena Hartmann", role=Role.THERAPIST)
    patient = PatientFactory(first_name="Robin", last_name="Strider")

    client.post(reverse("password_reset"), {"email": "lena@stride.test"})

    email = mailoutbox[0]
    link = re.search(r"https://stride\.example/accounts/password/reset/[^/\s]+/[^/\s]+/", email.body).group(0)
    assert email.subject == "Reset your Stride Running Injury Clinic staff password"
    assert email.body == (
        "Hello,\n\n"
        "Someone asked to reset the password of the Stride Running Injury Clinic staff account for this "
        "email address. To choose a new password, open this link:\n\n"
        f"{link}\n\n"
        "The link works once, for 1 hour. If you did not ask for a new password, ignore this email: "
        "your password stays as it is.\n\n"
        "Stride Running Injury Clinic\n"
        f"{settings.CLINIC_PHONE} · {settings.CLINIC_EMAIL}\n"
    )
    html = email.alternatives[0][0]
    assert email.alternatives[0][1] == "text/html"
    assert f'href="{link}"' in html
    private = [patient.first_name, patient.last_name, patient.email, patient.phone, lena.full_name]
    private += [patient.date_of_birth.isoformat(), f"{patient.date_of_birth:%d/%m/%Y}"]
    for text in private:
        assert text not in email.subject + email.body + html


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, mailoutbox):
    UserFactory(email="lena@stride.test", role=Role.THERAPIST)

    known = client.post(reverse("password_reset"), {"email": "lena@stride.test"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@stride.test"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mailoutbox) == 1


def test_password_reset_ends_other_sessions_and_clears_lockout(client, mailoutbox, site_url):
    from django.test import Client

    UserFactory(email="lena@stride.test", role=Role.THERAPIST)
    elsewhere = Client()
    password_login(elsewhere, "lena@stride.test")
    for _ in range(5):
        password_login(client, "lena@stride.test", "wrong-password-123")

    client.post(reverse("password_reset"), {"email": "lena@stride.test"})
    opened = client.get(_reset_link(mailoutbox[0]))
    client.post(
        opened["Location"],
        {"new_password1": "a brand new river path", "new_password2": "a brand new river path"},
    )

    assert elsewhere.get(reverse("patients:my_day")).status_code == 302
    assert AccessAttempt.objects.count() == 0
    assert password_login(client, "lena@stride.test", "a brand new river path").status_code == 302


def test_password_reset_does_not_skip_the_second_factor(client, mailoutbox, site_url):
    ada = UserFactory(email="ada@stride.test", role=Role.CLINIC_ADMIN)
    _device(ada)

    client.post(reverse("password_reset"), {"email": "ada@stride.test"})
    opened = client.get(_reset_link(mailoutbox[0]))
    client.post(
        opened["Location"],
        {"new_password1": "a brand new river path", "new_password2": "a brand new river path"},
    )
    password_login(client, "ada@stride.test", "a brand new river path")

    assert client.get(reverse("home"))["Location"] == reverse("twofactor_verify") + "?next=%2F"
