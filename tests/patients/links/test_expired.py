"""Expired links, on every portal: the one page for unusable links, whenever the link runs out."""

from datetime import timedelta

from django.test import Client

from tests.patients.links.conftest import page_text


def test_expired_link_gets_the_same_page_as_an_unknown_one(client, portal):
    unknown = Client().get(portal.start_url("x" * 43))
    portal.traveller.move_to(portal.expires_at() + timedelta(minutes=1))

    response = portal.open(client)

    assert response.status_code == unknown.status_code == 200
    assert page_text(response) == page_text(unknown)
    html = response.content.decode()
    assert portal.unavailable in html
    assert "01632 960 000" in html  # the clinic's phone
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert [secret for secret in portal.phi if secret in html] == []


def test_expired_link_does_not_start_a_check(client, portal):
    portal.expire()
    portal.open(client)

    response = client.get(portal.check_url)

    assert portal.unavailable in response.content.decode()
    assert "Date of birth" not in response.content.decode()


def test_link_that_expires_while_checking_gets_the_same_page(client, portal):
    assert portal.open(client).status_code == 302
    portal.expire()

    response = portal.check(client)

    assert response.status_code == 200
    assert portal.unavailable in response.content.decode()
    assert client.get(portal.page_url).status_code == 403  # the right details opened nothing


def test_checks_on_an_expired_link_are_not_counted(client, portal):
    portal.open(client)
    portal.expire()

    response = portal.check(client, last_name="Wrong")

    assert portal.unavailable in response.content.decode()
    assert portal.counts() == (0, False)


def test_check_page_without_an_opened_link_gets_the_same_page(client, portal):
    response = client.get(portal.check_url)

    assert response.status_code == 200
    assert portal.unavailable in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
