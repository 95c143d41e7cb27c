"""Wrong last name or date of birth, on every portal: one generic answer, nothing about the patient."""

from datetime import date

import pytest
from django.test import Client

from tests.factories import PatientFactory
from tests.patients.links.conftest import CHECK_ERROR, DOB, page_text


def test_check_page_shows_no_patient_data(client, portal):
    portal.open(client)

    response = client.get(portal.check_url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Date of birth" in html
    assert [secret for secret in portal.phi if secret in page_text(response)] == []
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("last_name", "dob"),
    [("Wrong", DOB), (None, date(1988, 4, 13)), ("Wrong", date(1990, 1, 1))],
    ids=["wrong-last-name", "wrong-dob", "both-wrong"],
)
def test_wrong_details_get_one_generic_error(client, portal, last_name, dob):
    portal.open(client)
    reference = Client()
    portal.open(reference)
    reference_response = portal.check(reference, last_name="Nobody", dob=date(1970, 1, 1))

    response = portal.check(client, last_name=last_name, dob=dob)

    html = response.content.decode()
    assert response.status_code == 400
    assert CHECK_ERROR in html
    assert "last name is" not in html.lower() and "date of birth is wrong" not in html.lower()
    # Exactly the same page whichever answer was wrong.
    assert page_text(response) == page_text(reference_response)
    assert [secret for secret in portal.phi if secret in page_text(response)] == []
    assert portal.counts() == (2, False)
    assert client.get(portal.page_url).status_code == 403


def test_the_check_ignores_case_spaces_and_punctuation(client, portal):
    portal.open(client)

    response = portal.pass_code(
        client, portal.check(client, last_name=f"  {portal.last_name.upper().replace(' ', '-')} ")
    )

    assert response.status_code == 302
    assert response["Location"] == portal.home_url


def test_another_patients_details_do_not_open_the_link(client, portal):
    other = PatientFactory(first_name="Otto", last_name="Brandt", date_of_birth=date(1975, 6, 1))
    portal.open(client)

    response = portal.check(client, last_name=other.last_name, dob=other.date_of_birth)

    assert response.status_code == 400
    assert CHECK_ERROR in response.content.decode()
    assert "Brandt" not in page_text(response)
    assert client.get(portal.page_url).status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"last_name": "", "dob_day": "12", "dob_month": "4", "dob_year": "1988"}, "Enter your last name."),
        (
            {"last_name": "Quill", "dob_day": "31", "dob_month": "2", "dob_year": "1988"},
            "Enter a real date of birth, like 31 12 1990.",
        ),
    ],
    ids=["no-last-name", "no-such-date"],
)
def test_an_incomplete_form_is_not_counted_as_a_failed_check(client, portal, data, message):
    portal.open(client)

    response = client.post(portal.check_url, data, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert CHECK_ERROR not in response.content.decode()
    assert portal.counts() == (0, False)
