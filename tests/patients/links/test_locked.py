"""The lock after INTAKE_MAX_FAILED_CHECKS (5) wrong identity checks, on every portal."""

from django.test import Client

from tests.patients.links.conftest import CHECK_ERROR, page_text


def _lock(portal) -> None:
    stranger = Client()
    portal.open(stranger)
    for _ in range(5):
        portal.check(stranger, last_name="Wrong")


def test_fifth_wrong_check_locks_the_link(client, portal):
    portal.open(client)
    for attempt in range(1, 5):
        response = portal.check(client, last_name="Wrong")
        assert (response.status_code, CHECK_ERROR in response.content.decode()) == (400, True)
        assert portal.counts() == (attempt, False)

    fifth = portal.check(client, last_name="Wrong")

    assert fifth.status_code == 200
    assert portal.unavailable in fifth.content.decode()
    assert CHECK_ERROR not in fifth.content.decode()
    assert portal.counts() == (5, True)


def test_locked_link_refuses_the_right_details(client, portal):
    portal.open(client)
    _lock(portal)

    response = portal.check(client)

    assert portal.unavailable in response.content.decode()
    assert client.get(portal.page_url).status_code == 403


def test_locked_link_gets_the_same_page_as_an_unknown_one(client, portal):
    _lock(portal)
    unknown = Client().get(portal.start_url("x" * 43))

    response = portal.open(client)

    assert response.status_code == 200
    assert page_text(response) == page_text(unknown)
    assert portal.unavailable in response.content.decode()


def test_lock_ends_a_session_already_open(client, portal):
    portal.sign_in(client)
    assert client.get(portal.page_url).status_code == 200

    _lock(portal)

    assert client.get(portal.page_url).status_code == 403


def test_right_details_before_the_fifth_failure_reset_the_count(client, portal):
    portal.open(client)
    for _ in range(4):
        portal.check(client, last_name="Wrong")

    assert portal.check(client).status_code == 302

    assert portal.counts() == (0, False)


def test_new_link_from_staff_opens_after_a_lock(client, portal):
    _lock(portal)

    token = portal.new_link()

    assert portal.sign_in(client, token)["Location"] == portal.home_url
    assert client.get(portal.page_url).status_code == 200
    assert portal.counts() == (0, False)
