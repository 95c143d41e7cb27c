"""The per-address limit on identity checks (INTAKE_CHECKS_PER_IP_PER_HOUR), on every portal."""

import pytest

from tests.patients.links.conftest import IP

OTHER_IP = "198.51.100.10"


@pytest.fixture(autouse=True)
def three_an_hour(settings):
    settings.INTAKE_CHECKS_PER_IP_PER_HOUR = 3


def test_checks_beyond_the_limit_are_refused_before_checking(client, portal):
    portal.open(client)
    for _ in range(3):
        assert portal.check(client, last_name="Wrong", ip=IP).status_code == 400

    limited = portal.check(client, ip=IP)  # the right details, too late

    assert limited.status_code == 429
    assert "try again in an hour" in limited.content.decode()
    assert limited["Referrer-Policy"] == "no-referrer"
    assert portal.counts() == (3, False)  # the refused attempt was not even checked
    assert client.get(portal.page_url).status_code == 403


def test_the_limit_is_per_address(client, portal):
    portal.open(client)
    for _ in range(3):
        portal.check(client, last_name="Wrong", ip=IP)

    response = portal.pass_code(client, portal.check(client, ip=OTHER_IP), ip=OTHER_IP)

    assert response.status_code == 302
    assert response["Location"] == portal.home_url


def test_the_limit_counts_incomplete_forms_and_refuses_the_form_itself(client, portal):
    portal.open(client)
    for _ in range(3):
        assert client.post(portal.check_url, {"last_name": ""}, REMOTE_ADDR=IP).status_code == 400

    page = client.get(portal.check_url, REMOTE_ADDR=IP)

    assert page.status_code == 429
    assert "Date of birth" not in page.content.decode()
    assert portal.counts() == (0, False)
