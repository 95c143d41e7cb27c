"""Sign-in and password-reset limits per address (behind a proxy too) and per account; lockout notices."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

import clinic.audit.services
import patients.links.core
from clinic.staff.choices import Role
from clinic.web import client_ip
from tests.clinic.logins import password_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADDRESS = "198.51.100.7"
OTHER_ADDRESS = "203.0.113.9"
PROXY = "10.0.0.2"
WRONG = "wrong-password-123"


def _staff(count: int) -> list[str]:
    return [UserFactory(email=f"staff{n}@stride.test", role=Role.THERAPIST).email for n in range(count)]


# --- Address-only sign-in limit -------------------------------------------------------------------


def test_thirty_failures_over_ten_accounts_lock_the_address():
    emails = _staff(10)
    client = Client()

    with time_machine.travel(NOW, tick=False):
        # Three wrong passwords for each account: none reaches its own limit of five.
        statuses = [
            password_login(client, email, WRONG, REMOTE_ADDR=ADDRESS).status_code
            for _ in range(3)
            for email in emails
        ]
        right_password_here = password_login(Client(), emails[0], REMOTE_ADDR=ADDRESS)
        right_password_elsewhere = password_login(Client(), emails[1], REMOTE_ADDR=OTHER_ADDRESS)

    assert statuses[:19] == [200] * 19
    assert statuses[19:] == [429] * 11  # the 20th failure locks the address
    assert right_password_here.status_code == 429
    assert "Too many failed sign-in attempts." in right_password_here.content.decode()
    assert right_password_elsewhere.status_code == 302
    assert max(AccessAttempt.objects.values_list("failures_since_start", flat=True)) < 5


def test_address_lock_ends_after_the_cool_off():
    emails = _staff(4)
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            for email in emails:
                password_login(Client(), email, WRONG, REMOTE_ADDR=ADDRESS)
        assert password_login(Client(), emails[0], REMOTE_ADDR=ADDRESS).status_code == 429

    with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
        assert password_login(Client(), emails[0], REMOTE_ADDR=ADDRESS).status_code == 302


def test_address_limit_follows_the_setting(settings):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 6
    emails = _staff(3)

    statuses = [
        password_login(Client(), email, WRONG, REMOTE_ADDR=ADDRESS).status_code
        for _ in range(2)
        for email in emails
    ]

    assert statuses == [200] * 5 + [429]


# --- Behind a proxy: the client's address from the proxy's header ----------------------------------


def test_behind_the_proxy_two_clients_are_limited_apart(settings):
    settings.CLIENT_IP_META = "HTTP_X_REAL_IP"
    UserFactory(email="lena@stride.test", role=Role.THERAPIST)

    first = [
        password_login(
            Client(), "lena@stride.test", WRONG, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=ADDRESS
        ).status_code
        for _ in range(5)
    ]
    second_client = password_login(
        Client(), "lena@stride.test", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=OTHER_ADDRESS
    )
    first_again = password_login(Client(), "lena@stride.test", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=ADDRESS)

    assert first == [200, 200, 200, 200, 429]
    assert second_client.status_code == 302
    assert first_again.status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ADDRESS]


def test_behind_the_proxy_the_address_limit_counts_each_client(settings):
    settings.CLIENT_IP_META = "HTTP_X_REAL_IP"
    emails = _staff(10)

    for email in emails * 2:
        password_login(Client(), email, WRONG, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=ADDRESS)

    assert password_login(Client(), emails[0], REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=ADDRESS).status_code == 429
    assert (
        password_login(Client(), emails[0], REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=OTHER_ADDRESS).status_code
        == 302
    )


def test_one_client_address_for_every_limit_and_the_audit(rf, settings):
    settings.CLIENT_IP_META = "HTTP_X_FORWARDED_FOR"
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {ADDRESS}")

    # The nearest proxy's entry (the last): whatever the client put before it is ignored.
    assert client_ip(request) == ADDRESS
    assert clinic.audit.services.client_ip is client_ip
    assert patients.links.core.client_ip is client_ip
    assert settings.AXES_CLIENT_IP_CALLABLE == "clinic.web.client_ip"


def test_a_header_that_is_not_an_address_gives_none(rf, settings):
    settings.CLIENT_IP_META = "HTTP_X_REAL_IP"

    assert client_ip(rf.get("/", HTTP_X_REAL_IP="not-an-address")) is None
    assert client_ip(rf.get("/")) is None


# --- Lockout notices --------------------------------------------------------------------------------


def test_lockout_emails_the_clinic_admins_once(mailoutbox):
    UserFactory(email="ada.admin@stride.test", role=Role.CLINIC_ADMIN)
    UserFactory(email="omar.admin@stride.test", role=Role.CLINIC_ADMIN, is_active=False)
    UserFactory(email="lena@stride.test", role=Role.THERAPIST)

    for _ in range(8):
        password_login(Client(), "lena@stride.test", WRONG, REMOTE_ADDR=ADDRESS)

    assert len(mailoutbox) == 1
    notice = mailoutbox[0]
    assert notice.to == ["ada.admin@stride.test"]
    assert notice.subject == "Stride Running Injury Clinic: sign-in locked"
    assert "Sign-in for lena@stride.test from address 198.51.100.7 is paused for 15 minutes" in notice.body
    assert "5 failed sign-ins" in notice.body


def test_address_lockout_notice_names_the_address_not_unknown_emails(mailoutbox):
    UserFactory(email="ada.admin@stride.test", role=Role.CLINIC_ADMIN)

    for n in range(25):
        password_login(Client(), f"guess{n}@example.com", WRONG, REMOTE_ADDR=ADDRESS)

    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "Sign-in from address 198.51.100.7 is paused for 15 minutes" in body
    assert "an email address that is not a staff account" in body
    assert "@example.com" not in body
    assert "manage.py axes_reset_ip 198.51.100.7" in body


# --- Password-reset requests ------------------------------------------------------------------------


def _reset(email: str, address: str):
    return Client().post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_requests_are_limited_per_email(mailoutbox):
    UserFactory(email="lena@stride.test", role=Role.THERAPIST)

    responses = [_reset("Lena@stride.test", f"198.51.100.{n}") for n in range(1, 6)]

    assert [r.status_code for r in responses] == [302] * 5
    assert {r["Location"] for r in responses} == {reverse("password_reset_done")}
    assert len(mailoutbox) == 3  # PASSWORD_RESET_PER_EMAIL_PER_HOUR


def test_password_reset_requests_are_limited_per_address(mailoutbox):
    emails = _staff(12)

    responses = [_reset(email, ADDRESS) for email in emails[:11]]
    elsewhere = _reset(emails[11], OTHER_ADDRESS)

    assert [r.status_code for r in responses] == [302] * 11
    assert elsewhere.status_code == 302
    # Ten from the one address (PASSWORD_RESET_PER_IP_PER_HOUR), and the one from elsewhere.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([*emails[:10], emails[11]])


def test_password_reset_limit_counts_unknown_addresses_too(mailoutbox):
    UserFactory(email="lena@stride.test", role=Role.THERAPIST)

    for n in range(10):
        _reset(f"nobody{n}@example.com", ADDRESS)
    refused = _reset("lena@stride.test", ADDRESS)

    assert refused.status_code == 302
    assert mailoutbox == []


def test_password_reset_limit_behind_the_proxy_counts_each_client(mailoutbox, settings):
    settings.CLIENT_IP_META = "HTTP_X_REAL_IP"
    emails = _staff(11)

    for email in emails[:10]:
        Client().post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=ADDRESS)
    Client().post(
        reverse("password_reset"), {"email": emails[10]}, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=OTHER_ADDRESS
    )

    assert len(mailoutbox) == 11
