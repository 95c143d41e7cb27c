"""How a patient-link session ends, on every portal: idle time, the pending step's end, leaving, another link."""

from datetime import timedelta

from django.conf import settings

from patients.links.flow import PENDING_SECONDS
from tests.patients.links.conftest import page_text

ENDED = "Please open your link again"


def _idle() -> timedelta:
    return timedelta(minutes=settings.INTAKE_SESSION_MINUTES)


def test_passing_the_check_starts_a_new_session_id(client, portal):
    portal.open(client)
    before = client.session.session_key

    portal.pass_code(client, portal.check(client))

    assert client.session.session_key not in (None, before)


def test_session_ends_after_the_idle_time(client, portal):
    portal.sign_in(client)
    assert client.get(portal.page_url).status_code == 200

    portal.traveller.shift(_idle() + timedelta(minutes=1))
    response = client.get(portal.page_url)

    assert response.status_code == 403
    assert ENDED in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    assert [secret for secret in portal.phi if secret in page_text(response)] == []


def test_each_request_extends_the_session(client, portal):
    portal.sign_in(client)
    step = _idle() - timedelta(minutes=10)

    portal.traveller.shift(step)
    assert client.get(portal.page_url).status_code == 200
    portal.traveller.shift(step)  # longer than the idle time since the check, not since the last page

    assert client.get(portal.page_url).status_code == 200


def test_an_opened_link_must_be_checked_within_its_time(client, portal):
    portal.open(client)

    portal.traveller.shift(timedelta(seconds=PENDING_SECONDS + 60))
    response = portal.check(client)

    assert portal.unavailable in response.content.decode()
    assert client.get(portal.page_url).status_code == 403


def test_leaving_ends_the_session(client, portal):
    portal.sign_in(client)

    left = portal.leave(client)

    assert left.status_code == 200
    assert portal.left in left.content.decode()
    assert "no-store" in left["Cache-Control"]
    response = client.get(portal.page_url)
    assert response.status_code == 403
    assert ENDED in response.content.decode()
    # The link still works: opening it again asks again.
    assert portal.sign_in(client)["Location"] == portal.home_url


def test_opening_a_link_ends_the_session_until_checked_again(client, portal):
    portal.sign_in(client)

    portal.open(client)

    assert client.get(portal.page_url).status_code == 403
    portal.check(client)
    assert client.get(portal.page_url).status_code == 200


def test_pages_need_a_passed_check(client, portal):
    portal.open(client)  # link opened, check not passed

    response = client.get(portal.page_url)

    assert response.status_code == 403
    assert ENDED in response.content.decode()
