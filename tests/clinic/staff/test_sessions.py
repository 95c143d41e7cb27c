"""Sessions (OWASP ASVS 5.0 V7): new key at sign-in, idle and absolute limits, sign-out everywhere."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from clinic.staff.choices import Role
from tests.clinic.logins import password_login
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MY_DAY = "/patients/my-day/"
IDLE_MESSAGE = "You were signed out after 30 minutes of inactivity. Please sign in again."
ABSOLUTE_MESSAGE = "You were signed out because you had been signed in for 12 hours. Please sign in again."
JSON = {"HTTP_ACCEPT": "application/json"}
PASSIVE = {"HTTP_ACCEPT": "application/json", "HTTP_X_STRIDE_SESSION_PASSIVE": "1"}


@pytest.fixture
def sam(db):
    return UserFactory(email="sam@stride.test", role=Role.THERAPIST)


@pytest.fixture(autouse=True)
def _password_only(settings):
    # Session limits, not the second factor: here a therapist signs in with the password alone.
    settings.STAFF_2FA_REQUIRED = False


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Session key ---------------------------------------------------------------------------------


def test_login_gives_a_new_session_key(client, sam):
    before = client.session  # an anonymous session exists before sign-in
    before["seen_banner"] = True
    before.save()

    response = password_login(client, "sam@stride.test")

    after = client.session
    assert response.status_code == 302
    assert after.session_key != before.session_key
    assert after.exists(before.session_key) is False
    assert after[SESSION_KEY] == str(sam.pk)


# --- Idle limit ----------------------------------------------------------------------------------


def test_idle_timeout_signs_out_with_a_message(client, sam):
    with time_machine.travel(NOW, tick=False) as traveller:
        password_login(client, "sam@stride.test")
        traveller.shift(timedelta(minutes=30))
        response = client.get(MY_DAY)
        login_page = client.get(response["Location"])
        signed_in = SESSION_KEY in client.session

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/patients/my-day/")
    assert _messages(login_page) == [IDLE_MESSAGE]
    assert IDLE_MESSAGE in login_page.content.decode()
    assert signed_in is False


def test_idle_timeout_on_a_public_page_signs_out_and_opens_it(client, sam):
    with time_machine.travel(NOW, tick=False) as traveller:
        password_login(client, "sam@stride.test")
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("password_reset"))
        signed_in = SESSION_KEY in client.session

    assert response.status_code == 200
    assert _messages(response) == [IDLE_MESSAGE]
    assert signed_in is False


def test_idle_timeout_activity_within_the_limit_extends_it(client, sam):
    with time_machine.travel(NOW, tick=False) as traveller:
        password_login(client, "sam@stride.test")
        statuses = []
        for _ in range(4):  # 4 × 29 minutes: never 30 minutes idle
            traveller.shift(timedelta(minutes=29))
            statuses.append(client.get(MY_DAY).status_code)

    assert statuses == [200, 200, 200, 200]


def test_idle_timeout_follows_the_setting(client, sam, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 60
    with time_machine.travel(NOW, tick=False) as traveller:
        password_login(client, "sam@stride.test")
        traveller.shift(timedelta(seconds=59))
        still_in = client.get(MY_DAY)
        traveller.shift(timedelta(seconds=60))
        response = client.get(MY_DAY, follow=True)

    assert still_in.status_code == 200
    assert _messages(response) == ["You were signed out after 1 minute of inactivity. Please sign in again."]


# --- Absolute limit ------------------------------------------------------------------------------


def test_absolute_timeout_ends_the_session_despite_activity(client, sam):
    with time_machine.travel(NOW, tick=False) as traveller:
        password_login(client, "sam@stride.test")
        statuses = []
        for _ in range(28):  # every 25 minutes up to 11 h 40 min
            traveller.shift(timedelta(minutes=25))
            statuses.append(client.get(MY_DAY).status_code)
        traveller.shift(timedelta(minutes=20))  # 12 h after sign-in, 20 minutes after the last page
        response = client.get(MY_DAY)
        login_page = client.get(response["Location"])

    assert statuses == [200] * 28
    assert response["Location"] == "/accounts/login/?next=/patients/my-day/"
    assert _messages(login_page) == [ABSOLUTE_MESSAGE]


# --- Keep-alive endpoint (used by static/js/session.js) --------------------------------------------


def test_extend_endpoint_refreshes_the_idle_clock(client, sam):
    with time_machine.travel(NOW, tick=False) as traveller:
        password_login(client, "sam@stride.test")
        traveller.shift(timedelta(minutes=28))
        extended = client.post(reverse("session_keepalive"), **JSON)
        traveller.shift(timedelta(minutes=28))  # 56 minutes after sign-in, 28 after extending
        response = client.get(MY_DAY)

    assert extended.status_code == 200
    assert extended.json() == {
        "signed_in": True,
        "idle_remaining": 30 * 60,
        "absolute_remaining": 12 * 3600 - 28 * 60,
    }
    assert response.status_code == 200


def test_extend_endpoint_without_script_returns_to_the_page(client, sam):
    password_login(client, "sam@stride.test")

    response = client.post(
        reverse("session_keepalive"),
        {"next": MY_DAY},
        HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8",
    )

    assert (response.status_code, response["Location"]) == (302, MY_DAY)


@pytest.mark.parametrize("next_page", ["wmxgoy4m4h", "patients", "https://evil.example/", "//evil.example/"])
def test_extend_endpoint_sends_any_next_but_a_local_path_home(client, sam, next_page):
    # A bare word once went to redirect() as a view name: a 500 found by the DAST scan.
    password_login(client, "sam@stride.test")

    response = client.post(reverse("session_keepalive"), {"next": next_page}, HTTP_ACCEPT="text/html")

    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_status_check_is_not_activity(client, sam):
    with time_machine.travel(NOW, tick=False) as traveller:
        password_login(client, "sam@stride.test")
        traveller.shift(timedelta(minutes=28))
        status = client.get(reverse("session_keepalive"), **PASSIVE)
        traveller.shift(timedelta(minutes=2))
        response = client.get(MY_DAY)

    assert status.json() == {
        "signed_in": True,
        "idle_remaining": 2 * 60,
        "absolute_remaining": 12 * 3600 - 28 * 60,
    }
    assert response["Location"] == "/accounts/login/?next=/patients/my-day/"


def test_expired_session_answers_the_script_with_401(client, sam):
    with time_machine.travel(NOW, tick=False) as traveller:
        password_login(client, "sam@stride.test")
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("session_keepalive"), **PASSIVE)
        login_page = client.get(reverse("login"))

    assert response.status_code == 401
    assert response.json() == {"signed_in": False, "login_url": "/accounts/login/"}
    assert _messages(login_page) == [IDLE_MESSAGE]


def test_signed_in_pages_carry_the_session_warning(client, sam):
    with time_machine.travel(NOW, tick=False):
        password_login(client, "sam@stride.test")
        html = client.get(MY_DAY).content.decode()

    assert 'data-idle-remaining="1800"' in html
    assert 'data-absolute-remaining="43200"' in html
    assert 'data-warn-seconds="120"' in html
    assert f'action="{reverse("session_keepalive")}" data-session-extend' in html
    assert '<script src="/static/js/session.js" defer></script>' in html


def test_login_page_has_no_session_warning(client):
    html = client.get(reverse("login")).content.decode()

    assert "session-timeout" not in html
    assert "js/session.js" not in html


# --- Signing out everywhere --------------------------------------------------------------------------


def test_password_change_signs_out_other_sessions(client, sam):
    other = Client()
    password_login(client, "sam@stride.test")
    password_login(other, "sam@stride.test")

    changed = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new river path",
            "new_password2": "a brand new river path",
        },
    )

    assert changed["Location"] == reverse("password_change_done")
    assert client.get(MY_DAY).status_code == 200
    assert other.get(MY_DAY)["Location"] == "/accounts/login/?next=/patients/my-day/"
    assert SESSION_KEY not in other.session


def test_deactivation_signs_out_every_session(client, sam):
    other = Client()
    password_login(client, "sam@stride.test")
    password_login(other, "sam@stride.test")

    sam.is_active = False
    sam.save(update_fields=["is_active"])

    assert client.get(MY_DAY)["Location"] == "/accounts/login/?next=/patients/my-day/"
    assert other.get(MY_DAY)["Location"] == "/accounts/login/?next=/patients/my-day/"
    assert password_login(Client(), "sam@stride.test").status_code == 200


def test_logout_ends_the_session(client, sam):
    password_login(client, "sam@stride.test")
    key = client.session.session_key

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert client.session.exists(key) is False


def test_activity_is_written_at_most_once_a_minute_and_stay_signed_in_always_counts(client, therapist):
    """A page a second does not rewrite the session row; the idle clock stays within a minute."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clinic.staff.sessions import ACTIVE_AT

    # Now, to the second: the session store and the database clock agree with the travelled one.
    start = float(int(datetime.now(UTC).timestamp()))
    with time_machine.travel(start, tick=False):
        client.force_login(therapist)
        client.get(reverse("patients:list"))
    with time_machine.travel(start + 30, tick=False), CaptureQueriesContext(connection) as early:
        client.get(reverse("patients:list"))
    assert client.session[ACTIVE_AT] == int(start)
    assert not any(q["sql"].startswith('UPDATE "django_session"') for q in early.captured_queries)
    with time_machine.travel(start + 61, tick=False):
        client.get(reverse("patients:list"))
    assert client.session[ACTIVE_AT] == int(start + 61)
    with time_machine.travel(start + 70, tick=False):
        client.post(reverse("session_keepalive"), HTTP_ACCEPT="application/json")
    assert client.session[ACTIVE_AT] == int(start + 70)
